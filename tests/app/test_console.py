"""The offline console: question parsing, `racebot ask`, the prompt, completion and the terminal."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import console as console_module
from bot.app.answering import BAD_USAGE, NOTHING_MATCHED, exit_status
from bot.app.cli import main
from bot.app.console import (
    Question,
    QuestionError,
    parse_question,
    respond,
)
from bot.core.asking.answers import HelpAnswer, InvalidAnswer
from bot.core.asking.commands import COMMANDS
from bot.core.asking.query import QueryService
from bot.discord.rendering import message_payload
from tests.paths import SEED as FIXTURE_SEED

PROJECT = Path(__file__).resolve().parents[2]
RACEBOT = Path(sys.executable).parent / "racebot"  # this interpreter's venv (.venv, .venv-3.13)
SEED = FIXTURE_SEED


# --- Parsing questions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "command", "options"),
    [
        ("/result Dyson", "result", {"query": "Dyson"}),
        ("result Dyson", "result", {"query": "Dyson"}),
        ("  /RESULT   Dyson   Racing ", "result", {"query": "Dyson Racing"}),
        ("/result query:Dyson race:2003", "result", {"query": "Dyson", "race": "2003"}),
        ("/result race:2003 query:Dyson", "result", {"query": "Dyson", "race": "2003"}),
        ("/result Dyson race: 2003 GP", "result", {"query": "Dyson", "race": "2003 GP"}),
        ('/result query:"Dyson Racing"', "result", {"query": "Dyson Racing"}),
        ("/result 1:23.085", "result", {"query": "1:23.085"}),
        ("/class GTS", "class", {"class": "GTS"}),
        ("/class", "class", {}),
        ("/class class:GT race:Sonoma", "class", {"class": "GT", "race": "Sonoma"}),
        ("/driver Herbert", "driver", {"name": "Herbert"}),
        ("/driver name:Johnny Herbert", "driver", {"name": "Johnny Herbert"}),
        ("/car 03", "car", {"number": "03"}),
        ("/stats", "stats", {}),
        ("/stats 2003", "stats", {"race": "2003"}),
        ("/race", "race", {}),
        ("/races", "races", {}),
        ("/help", "help", {}),
        # Both names of /compare may come as text; the question splits them.
        ("/compare Herbert Lehto", "compare", {"first": "Herbert Lehto"}),
        ("/compare Herbert second:Lehto", "compare", {"first": "Herbert", "second": "Lehto"}),
        ("/season ALMS 2003", "season", {"series": "ALMS 2003"}),
        ("/season year:2003", "season", {"year": "2003"}),
        ("/result Dy\x1b[31mson\x00", "result", {"query": "Dy[31mson"}),
        # Control characters are dropped, as the query service drops them from Discord options.
        ("/result Dy\x01son", "result", {"query": "Dyson"}),
    ],
)  # fmt: skip
def test_parse_question(line: str, command: str, options: dict[str, str]) -> None:
    """Positional text fills the first option; `name:` options run until the next one."""
    question = parse_question(line)
    assert question.command == command
    assert dict(question.options) == options


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("", "Ask a question"),
        ("   /  ", "Ask a question"),
        ("/nope", "Unknown command “nope”"),
        ("/result colour:red", "/result has no option “colour:”"),
        ("/races extra", "/races takes no options"),
        ("/result Dyson query:Audi", "got query: twice"),
        ("/result race:2003", "/result needs a query"),
        ("/driver", "/driver needs a name"),
        ("/compare second:Lehto", "/compare needs a first"),
        ("/compare race:2003", "/compare needs a first"),
        ("/result query:", "query: needs a value"),
        ("/result " + "x" * 6000, "That is too long to look up .6000 characters."),
        ("/resutl Dyson", "Unknown command “resutl”: did you mean /result?"),
    ],
)
def test_parse_question_refuses(line: str, problem: str) -> None:
    """Malformed questions raise QuestionError saying what is wrong."""
    with pytest.raises(QuestionError, match=problem.replace("(", r"\(")):
        parse_question(line)


def test_console_commands_match_the_help(query_service: QueryService) -> None:
    """Every command /help lists is one the console parses, with the same option names."""
    help_answer = query_service.help()
    assert isinstance(help_answer, HelpAnswer)
    assert [command.name for command in help_answer.commands] == list(COMMANDS)
    for command in help_answer.commands:
        for option in COMMANDS[command.name].option_names:
            assert f"{option}:" in command.usage


def test_question_get() -> None:
    """Absent options read as None."""
    question = Question("result", {"query": "x"})
    assert question.get("query") == "x"
    assert question.get("race") is None


def test_respond_turns_usage_errors_into_answers(query_service: QueryService) -> None:
    """A malformed line is answered with an InvalidAnswer, never an exception."""
    answer = respond(query_service, "/bogus")[0]
    assert isinstance(answer, InvalidAnswer)
    assert exit_status(answer) == BAD_USAGE
    assert exit_status(respond(query_service, "/driver Schumacher")[0]) == NOTHING_MATCHED
    assert exit_status(respond(query_service, "/class LMP")[0]) == 0  # ambiguous: answered


# --- racebot ask ---------------------------------------------------------------------------------


def test_ask_answers_before_the_first_start_keeps_its_snapshot(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first start's `racebot ask` prints its answer, then writes the library snapshot for
    the next start (which reads it back instead of building the library again)."""
    from bot.loader.keeper import Keeper

    printed_before: list[str] = []
    written = Keeper.snapshot_written

    async def recorded(keeper: Keeper) -> None:
        printed_before.append(capsys.readouterr().out)
        await written(keeper)

    monkeypatch.setattr(Keeper, "snapshot_written", recorded)
    restored: list[object] = []
    restore = Keeper._restore_kept

    async def read(keeper: Keeper, aliases_text: str, revision: int) -> object:
        restored.append(found := await restore(keeper, aliases_text, revision))
        return found

    monkeypatch.setattr(Keeper, "_restore_kept", read)
    assert main(["ask", "/driver Herbert"]) == 0
    assert len(printed_before) == 1
    assert "Johnny Herbert" in printed_before[0]
    assert restored == [None]  # the first start had none to read
    assert main(["ask", "/driver Herbert"]) == 0
    assert "Johnny Herbert" in printed_before[1]
    assert len(restored) == 2
    assert restored[1] is not None  # the second read the one the first kept


def test_ask_prints_the_driver_card(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`racebot ask "/driver Herbert"` prints the card as text, and exits 0."""
    assert main(["ask", "/driver Herbert"]) == 0
    out = capsys.readouterr().out
    assert "Johnny Herbert" in out
    assert "P3 · 2nd in LMP900 · #38 ADT Champion Racing" in out
    assert "with JJ Lehto" in out
    assert "Source: 2003-grand-prix-of-sonoma.txt:16" in out
    assert "\\" not in out  # escapes are undone for the terminal


def test_ask_compare_and_season(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`racebot ask "/compare Herbert Lehto"` and `"/season"` print their cards, and exit 0."""
    assert main(["ask", "/compare Herbert Lehto"]) == 0
    out = capsys.readouterr().out
    assert "Johnny Herbert vs JJ Lehto" in out
    assert "Team-mates in #38 ADT Champion Racing" in out
    assert main(["ask", "/season"]) == 0
    out = capsys.readouterr().out
    assert "2003 American Le Mans Series" in out
    assert "Round 3 · 2003 Grand Prix of Sonoma" in out
    assert "Sun 27 Jul 2003 · Infineon Raceway, California" in out
    assert main(["ask", "/compare Herbert"]) == 2  # one name is a usage problem


def test_ask_json_is_exactly_the_payload(
    clean_env: Path, capsys: pytest.CaptureFixture[str], query_service: QueryService
) -> None:
    """`--json` prints the message payload and nothing else on stdout."""
    assert main(["ask", "--json", "/class GTS"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload == message_payload(query_service.class_results("GTS"))
    assert payload["allowed_mentions"] == {"parse": []}
    assert "\\u" not in captured.out  # ensure_ascii=False: names as written
    assert "Tomáš Enge" in captured.out


def test_ask_json_of_a_paged_answer_has_the_pager(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A /result matching more than ten cars shows page 1 and the ◀ ▶ buttons."""
    assert main(["ask", "--json", "/result Porsche"]) == 0
    payload = json.loads(capsys.readouterr().out)
    buttons = payload["components"][0]["components"]
    assert [button["label"] for button in buttons] == ["◀", "▶"]
    assert buttons[0]["disabled"] is True
    assert payload["embeds"][0]["footer"]["text"].endswith("page 1/2")


def test_ask_statuses(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 answered, 1 nothing matched (shown privately), 2 bad usage."""
    assert main(["ask", "--json", "/driver Schumacher"]) == 1
    assert json.loads(capsys.readouterr().out)["flags"] == 64
    assert main(["ask", "/driver Schumacher"]) == 1
    assert "No driver matches “Schumacher”." in capsys.readouterr().out
    assert main(["ask", "/frobnicate"]) == 2
    assert "Unknown command “frobnicate”" in capsys.readouterr().out
    assert main(["ask", "/class LMP"]) == 0  # an ambiguity list is an answer
    assert "LMP675" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("", 2),
        (" ", 2),
        ("/result " + "Dyson " * 1000, 2),
        ("x" * 6000, 2),
        ("/result \x00\x07\x1b[2J\x7f", 1),
        ("/result 🏎️🏁", 1),
        ("/result @everyone", 1),
        ("/result <@123456789>", 1),
        ("/result **bold** _it_ `code` [link](http://x) > quote", 1),
        ("/result Dyson race:Le Mans 1923", 1),
        ("/stats race:nowhere", 1),
        ("/driver \ud800\udfff", 2),
        ("/car -1", 1),
        ("/class \u202eGTS", 0),
    ],
)
def test_bad_input_gets_a_clear_answer(
    clean_env: Path, capsys: pytest.CaptureFixture[str], question: str, expected: int
) -> None:
    """Odd questions are answered (never a traceback) with the status their kind of answer has."""
    for as_json in (False, True):
        status = main(["ask", *(["--json"] if as_json else []), question])
        captured = capsys.readouterr()
        assert status == expected
        assert captured.out.strip()
        assert "Traceback" not in captured.err
        if as_json:  # the terminal may show "@everyone"; what Discord gets may not
            json.loads(captured.out)
            assert "@everyone" not in captured.out
            assert "<@123456789>" not in captured.out


def test_ask_reports_bad_seeds_and_answers_from_the_rest(
    clean_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken document is named (file:line) on stderr; the good one still answers."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "broken.txt").write_text("= Broken =\n\n==Official results==\n| Pos |\n", "utf-8")
    assert main(["ask", "--seeds", str(seeds), "/driver Herbert"]) == 0
    captured = capsys.readouterr()
    assert "racebot: broken.txt:4:" in captured.err
    assert "Johnny Herbert" in captured.out


def test_ask_without_races(
    clean_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing folder is reported and the question is still answered (nothing loaded)."""
    status = main(["ask", "--seeds", str(tmp_path / "missing"), "/race"])
    captured = capsys.readouterr()
    assert status in (1, 2)
    assert "no such folder" in captured.err
    assert "No races are loaded" in captured.out


def test_ask_uses_racebot_seeds_dir(
    clean_env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --seeds, RACEBOT_SEEDS_DIR picks the documents."""
    monkeypatch.setenv("RACEBOT_SEEDS_DIR", str(tmp_path / "elsewhere"))
    main(["ask", "/races"])
    assert "elsewhere" in capsys.readouterr().err


def test_ask_reports_a_bad_setting(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid setting is a usage error named on stderr, not a traceback."""
    monkeypatch.setenv("RACEBOT_SHARD_COUNT", "many")
    assert main(["ask", "/races"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("racebot: RACEBOT_SHARD_COUNT is not valid (expected a whole number")
    assert "many" not in err  # a value is never echoed: it could be a pasted secret


def test_ask_survives_a_bug(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Should the query service fail, one line on stderr and status 70, no traceback."""

    def broken(self: QueryService) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(QueryService, "races", broken)
    assert main(["ask", "/races"]) == 70
    captured = capsys.readouterr()
    assert "could not answer that (RuntimeError: boom)" in captured.err
    assert "Traceback" not in captured.err


def _run_racebot(
    *args: str, cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
        "RACEBOT_SEEDS_DIR": str(SEED.parent),
        "RACEBOT_DATA_DIR": str(cwd / "data"),
    }
    return subprocess.run(
        [str(RACEBOT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        input=stdin,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not RACEBOT.exists(), reason="the racebot script is not installed")
def test_installed_racebot_ask(tmp_path: Path) -> None:
    """The installed script: JSON on stdout that parses, statuses 0, 1 and 2."""
    answered = _run_racebot("ask", "--json", "/result Dyson", cwd=tmp_path)
    assert answered.returncode == 0, answered.stderr
    payload = json.loads(answered.stdout)
    assert "Dyson Racing" in payload["embeds"][0]["title"] + json.dumps(payload, ensure_ascii=False)
    assert answered.stderr == ""
    missing = _run_racebot("ask", "--json", "/driver Schumacher", cwd=tmp_path)
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["flags"] == 64
    bad = _run_racebot("ask", "/result colour:red", cwd=tmp_path)
    assert bad.returncode == 2
    assert "has no option" in bad.stdout
    assert "Traceback" not in bad.stderr


@pytest.mark.skipif(not RACEBOT.exists(), reason="the racebot script is not installed")
def test_installed_racebot_reads_piped_questions(tmp_path: Path) -> None:
    """`echo '/class GTS' | racebot`: the demo, then the answer; and empty stdin just the demo."""
    piped = _run_racebot(cwd=tmp_path, stdin="/class GTS\n")
    assert piped.returncode == 0, piped.stderr
    assert "racebot> /class GTS" in piped.stdout
    assert "GTS — 2003 Grand Prix of Sonoma" in piped.stdout
    demo = _run_racebot(cwd=tmp_path, stdin="")
    assert demo.returncode == 0
    assert "2003 Grand Prix of Sonoma" in demo.stdout
    assert "Traceback" not in demo.stderr


# --- The interactive console ---------------------------------------------------------------------


def test_console_answers_piped_lines(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a terminal: banner, the /race demo, each question echoed and answered, until /quit."""
    monkeypatch.setattr("sys.stdin", io.StringIO("/class GTS\n\n/driver Herb\n/quit\n/stats\n"))
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.index("offline console") < out.index("Infineon Raceway")
    assert "racebot> /class GTS" in out
    assert "🏆 1st · P8 · #3 Corvette Racing" in out
    assert "racebot> /driver Herb" in out
    assert "Johnny Herbert" in out
    assert "Statistics" not in out  # after /quit


class FakeTerminal(io.StringIO):
    """A stdin that says it is a terminal."""

    def isatty(self) -> bool:
        """Always a terminal."""
        return True


def _typed(monkeypatch: pytest.MonkeyPatch, lines: list[str | BaseException]) -> list[str]:
    """Make input() return these lines (raising the exceptions); return the prompts shown."""
    prompts: list[str] = []
    queue: Iterator[str | BaseException] = iter(lines)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        item = next(queue, EOFError())
        if isinstance(item, BaseException):
            raise item
        return item

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr("sys.stdin", FakeTerminal())
    installed: list[QueryService] = []
    monkeypatch.setattr(console_module, "_install_readline", installed.append)
    return prompts


@pytest.mark.parametrize("ending", [EOFError(), "/quit", "exit"])
def test_interactive_console_prompts_until_the_end(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ending: str | BaseException,
) -> None:
    """A terminal: the racebot> prompt, answers, and a clean exit 0 on Ctrl-D or /quit."""
    prompts = _typed(monkeypatch, ["/stats", "", ending, "/help"])
    assert main(["console"]) == 0
    out = capsys.readouterr().out
    assert prompts == ["racebot> "] * 3
    assert "Statistics — 2003 Grand Prix of Sonoma" in out
    assert "2:45:58" in out
    assert "racebot> /stats" not in out  # the terminal echoes what is typed, not us
    assert "/help lists" not in out.split("Race duration")[-1]


def test_ctrl_c_at_the_prompt_clears_the_line(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C at the prompt abandons the line and prompts again; Ctrl-D then leaves with 0."""
    prompts = _typed(monkeypatch, [KeyboardInterrupt(), "/stats", KeyboardInterrupt(), "/help"])
    assert main(["console"]) == 0
    out = capsys.readouterr().out
    assert prompts == ["racebot> "] * 5
    assert "Statistics — 2003 Grand Prix of Sonoma" in out
    assert "/result" in out.split("Race duration")[-1]  # /help, asked after the second Ctrl-C


def test_interactive_console_survives_ctrl_c_during_the_demo(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C at any moment ends the console with status 0."""

    def interrupted(seeds: Path | None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(console_module, "load_service", interrupted)
    assert main([]) == 0
