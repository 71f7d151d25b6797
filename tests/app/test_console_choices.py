"""The console's choices: numbered, asked by number; "did you mean /result"; one refusal wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from bot.app.answering import BAD_USAGE, NOTHING_MATCHED
from bot.app.cli import main
from bot.app.console import (
    Offer,
    Question,
    closest_command,
    interact,
    respond,
    show_offers,
)
from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.commands import too_long
from bot.core.asking.query import QueryService
from bot.discord.rendering import message_payload

FIELDS = (
    Choice(
        label="Clint Field · #30 Intersport Racing",
        command="driver",
        options=(("name", "Clint Field"),),
    ),
    Choice(
        label="Jon Field · #37 Intersport Racing",
        command="driver",
        options=(("name", "Jon Field"),),
    ),
)
WHICH_FIELD = AmbiguousAnswer(
    subject=Subject.DRIVER, query="Field", options=("Clint Field", "Jon Field"), choices=FIELDS
)
FEILD = NotFoundAnswer(subject=Subject.DRIVER, query="Feild", choices=FIELDS)


@pytest.fixture
def offering(monkeypatch: pytest.MonkeyPatch) -> None:
    """/driver Field is a which-one and /driver Feild a did-you-mean, both with choices."""
    real = QueryService.ask

    def ask(self: QueryService, command: str, **options: str | None) -> Answer:
        answers: dict[str, Answer] = {"Field": WHICH_FIELD, "Feild": FEILD}
        canned = answers.get(options.get("name") or "") if command == "driver" else None
        return canned if canned is not None else real(self, command, **options)

    monkeypatch.setattr(QueryService, "ask", ask)


def _console() -> Console:
    return Console(width=100, record=True, color_system=None)


def test_choices_are_numbered_with_their_question() -> None:
    """Each offer is a numbered line: the label, then the question it asks."""
    console = _console()
    offers = [Offer(c.label, Question(c.command, dict(c.options))) for c in FIELDS]
    show_offers(offers, console, by_number=True)
    lines = console.export_text().splitlines()
    assert lines[0].startswith("1. Clint Field · #30 Intersport Racing")
    assert lines[0].endswith("/driver name:Clint Field")
    assert lines[1].startswith("2. Jon Field · #37 Intersport Racing")
    assert lines[2] == "Type a number to ask it."


def test_a_number_asks_the_offered_question(query_service: QueryService, offering: None) -> None:
    """After a which-one, typing 2 answers /driver name:Jon Field, exactly as typed."""
    console = _console()
    interact(query_service, ["/driver Field", "5", "2", "/stats", "1"], console, echo=True)
    text = console.export_text()
    assert "1. Clint Field · #30 Intersport Racing" in text
    assert "There is no choice 5: type a number from 1 to 2." in text
    jon = text.split("racebot> 2", 1)[1]
    assert "Jon Field" in jon.split("racebot> /stats", 1)[0]
    assert "There is nothing to choose by number (1)" in text.split("racebot> 1", 1)[1]


def test_offers_carry_the_choices(query_service: QueryService, offering: None) -> None:
    """respond() returns the answer and its choices as questions."""
    answer, offers = respond(query_service, "/driver Feild")
    assert answer == FEILD
    assert [o.question.typed for o in offers] == [
        "/driver name:Clint Field",
        "/driver name:Jon Field",
    ]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("resutl", "result"),
        ("reslt", "result"),
        ("clas", "class"),
        ("drivers", "driver"),
        ("stat", "stats"),
        ("RACE", "race"),
        ("frobnicate", None),
        ("x", None),
    ],
)
def test_closest_command(typed: str, meant: str | None) -> None:
    """A mistyped command is matched to the table's closest name, or to none."""
    assert closest_command(typed) == meant


def test_a_mistyped_command_is_offered_corrected(query_service: QueryService) -> None:
    """/resutl Dyson says "did you mean /result" and offers /result query:Dyson as 1."""
    answer, offers = respond(query_service, "/resutl Dyson")
    assert isinstance(answer, InvalidAnswer)
    assert "did you mean /result?" in answer.message
    assert [o.question.typed for o in offers] == ["/result query:Dyson"]
    console = _console()
    interact(query_service, ["/resutl Dyson", "1"], console, echo=False)
    shown = console.export_text()
    assert "1. /result query:Dyson\n" in shown  # the corrected command is shown once
    assert "Dyson Racing" in shown


def test_the_too_long_refusal_has_one_wording(query_service: QueryService) -> None:
    """The console refuses a 5,000-character option in the words the core (and bot) use."""
    console_says = respond(query_service, "/result " + "x" * 5000)[0]
    core_says = query_service.ask("result", query="x" * 5000)
    assert isinstance(console_says, InvalidAnswer)
    assert console_says == core_says == InvalidAnswer(message=too_long(5000))


def test_ask_exit_codes_with_choices(
    clean_env: Path, capsys: pytest.CaptureFixture[str], offering: None
) -> None:
    """A which-one with choices is answered (0); a did-you-mean offer is not (1); usage is 2."""
    assert main(["ask", "/driver Field"]) == 0
    out = capsys.readouterr().out
    assert "2. Jon Field · #37 Intersport Racing" in out
    assert "/driver name:Jon Field" in out
    assert main(["ask", "/driver Feild"]) == NOTHING_MATCHED
    assert "1. Clint Field" in capsys.readouterr().out
    assert main(["ask", "/resutl Dyson"]) == BAD_USAGE
    assert "did you mean /result?" in capsys.readouterr().out


def test_ask_json_carries_the_components(
    clean_env: Path, capsys: pytest.CaptureFixture[str], offering: None
) -> None:
    """`racebot ask --json` prints the buttons exactly as the bot sends them."""
    assert main(["ask", "--json", "/driver Field"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == message_payload(WHICH_FIELD)
    labels = [b["label"] for b in printed["components"][0]["components"]]
    assert labels == [c.label for c in FIELDS]
