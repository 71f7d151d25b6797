"""The offline console: slash-command questions typed in a terminal, answered as the bot would.

`racebot ask "/driver Herbert"` answers one question; `racebot` alone opens a prompt (or, with
stdin not a terminal, answers each line it reads). Questions are written as in Discord:
`/result Dyson`, `/result query:Dyson race:2003`, `/class class:GT race:Sonoma`; the slash is
optional and text before the first `name:` goes to the command's first option.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from rich.console import Console
from rich.text import Text

from bot.core.answers import Answer, InvalidAnswer, NotFoundAnswer
from bot.core.commands import COMMANDS
from bot.core.limits import MAX_CHOICES, MAX_OPTION_LENGTH
from bot.core.loading import service_from_folder
from bot.core.matching import strip_controls
from bot.present.terminal import render_terminal
from bot.settings import seeds_folder

if TYPE_CHECKING:
    from bot.core.query import QueryService

ANSWERED: Final = 0
NOTHING_MATCHED: Final = 1
BAD_USAGE: Final = 2
INTERNAL_ERROR: Final = 70
"""EX_SOFTWARE: a bug, reported in one line on stderr instead of a traceback."""

PROMPT: Final = "racebot> "
QUIT_WORDS: Final = frozenset({"quit", "exit", "q"})
COMPLETION_DELIMITERS: Final = " \t\n"
"""Readline completes the word after the last space, so candidates replace only that word."""

_OPTION: Final = re.compile(r"(?:^|(?<=\s))([A-Za-z_][A-Za-z0-9_]*):")
_QUOTES: Final = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»"}

log = logging.getLogger(__name__)


class QuestionError(ValueError):
    """A line that is not a well-formed question; the message says how to ask instead."""


@dataclass(frozen=True, slots=True)
class Question:
    """A parsed question: the command and its options (absent options are left out)."""

    command: str
    options: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        """An option's value, or None when it was not given."""
        return self.options.get(name)


def _command_list() -> str:
    return ", ".join(f"/{name}" for name in COMMANDS)


def _unquote(value: str) -> str:
    if len(value) >= 2 and _QUOTES.get(value[0]) == value[-1]:
        return value[1:-1].strip()
    return value


def parse_question(line: str) -> Question:
    """Parse `/command text name:value …`; raise `QuestionError` saying what is wrong."""
    # The query service's own cleaning, so `racebot ask` answers exactly as Discord would.
    text = " ".join(strip_controls(line).split())
    text = text.removeprefix("/").lstrip()
    if not text:
        raise QuestionError("Ask a question, for example /result Dyson (/help lists them all).")
    head, _, rest = text.partition(" ")
    command = head.lower()
    spec = COMMANDS.get(command)
    if spec is None:
        shown = head if len(head) <= 30 else head[:29] + "…"
        raise QuestionError(f"Unknown command “{shown}”. Commands: {_command_list()}.")
    matches = list(_OPTION.finditer(rest))
    positional = rest[: matches[0].start()] if matches else rest
    raw: dict[str, str] = {}
    if positional.strip():
        if not spec.options:
            raise QuestionError(f"/{command} takes no options.")
        raw[spec.options[0].name] = positional
    for index, match in enumerate(matches):
        name = match[1].lower()
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        if spec.option(name) is None:
            known = ", ".join(f"{option}:" for option in spec.option_names) or "none"
            raise QuestionError(f"/{command} has no option “{name}:” (its options: {known}).")
        if name in raw:
            raise QuestionError(f"/{command} got {name}: twice.")
        raw[name] = rest[match.end() : end]
    options: dict[str, str] = {}
    for name, value in raw.items():
        value = _unquote(value.strip())
        if not value:
            raise QuestionError(f"{name}: needs a value, for example {spec.typed_example}.")
        if len(value) > MAX_OPTION_LENGTH:  # what Discord would refuse, the console refuses
            raise QuestionError(
                f"{name}: is {len(value)} characters long; at most {MAX_OPTION_LENGTH}."
            )
        options[name] = value
    for name in spec.required:
        # Text without a name may hold several required options ("/compare Herbert Lehto"):
        # the question reads them from the first, or says it needs them.
        if name not in options and not (positional.strip() and spec.options[0].name in options):
            raise QuestionError(f"/{command} needs a {name}, for example {spec.typed_example}.")
    return Question(command, MappingProxyType(options))


def answer_line(service: QueryService, line: str) -> Answer:
    """The answer to one typed line; malformed lines get an InvalidAnswer saying why."""
    try:
        question = parse_question(line)
    except QuestionError as exc:
        return InvalidAnswer(message=str(exc))
    return service.ask(question.command, **question.options)


def exit_status(answer: Answer) -> int:
    """0 answered (ambiguity lists included), 1 nothing matched, 2 bad usage."""
    if isinstance(answer, NotFoundAnswer):
        return NOTHING_MATCHED
    if isinstance(answer, InvalidAnswer):
        return BAD_USAGE
    return ANSWERED


# Completion.


def completions(line: str, service: QueryService, limit: int = MAX_CHOICES) -> list[str]:
    """Whole-line completions of `line` (the text up to the cursor): commands, options, names."""
    stripped = line.lstrip()
    lead = line[: len(line) - len(stripped)]
    slash = "/" if stripped.startswith("/") else ""
    body = stripped[len(slash) :]
    if " " not in body:
        word = body.lower()
        return [f"{lead}{slash}{name} " for name in COMMANDS if name.startswith(word)][:limit]
    head, _, rest = body.partition(" ")
    spec = COMMANDS.get(head.lower())
    if spec is None:
        return []
    before = line[: len(line) - len(rest)]
    matches = list(_OPTION.finditer(rest))
    given = {match[1].lower(): match for match in matches}
    candidates: list[str] = []
    last_word = rest.rsplit(" ", 1)[-1]
    if ":" not in last_word:
        start = before + rest[: len(rest) - len(last_word)]
        candidates += [
            f"{start}{name}:"
            for name in spec.option_names
            if name not in given and name.startswith(last_word.lower())
        ]
    if matches:
        option = spec.option(matches[-1][1].lower())
        value_start = matches[-1].end()
    else:
        option = spec.options[0] if spec.options else None
        value_start = 0
    if option is not None and option.suggest is not None:
        race = None
        if option.name != "race" and "race" in given:
            race_match = given["race"]
            following = [m.start() for m in matches if m.start() > race_match.start()]
            race = rest[race_match.end() : min(following, default=len(rest))].strip() or None
        prefix = rest[value_start:].strip()
        for suggestion in service.suggest(option.suggest, prefix, limit=limit, race=race):
            candidates.append(f"{before}{rest[:value_start]}{suggestion.value} ")
    return list(dict.fromkeys(candidates))[:limit]


def _keeping_the_word(word: str, matches: list[str]) -> list[str]:
    """The matches readline may offer for `word` without deleting any of what was typed.

    Readline replaces the word with the matches' longest common prefix, or keeps it when they
    have none. A shorter common prefix would delete typed text ("/result Dy" offering "Dyson
    Racing" and "Chris Dyson" must not become "/result "), so then only the matches that extend
    the word are offered, spelled with the word exactly as typed.
    """
    if len(matches) <= 1:
        return matches
    size = len(word)
    common = _common_prefix(matches)
    if not common or (len(common) >= size and common[:size].casefold() == word.casefold()):
        return matches
    return [word + match[size:] for match in matches if match[:size].casefold() == word.casefold()]


def _common_prefix(texts: list[str]) -> str:
    """The longest text every one of `texts` starts with, compared as readline does (exactly)."""
    shortest, longest = min(texts), max(texts)
    size = next(
        (i for i, (a, b) in enumerate(zip(shortest, longest, strict=False)) if a != b),
        len(shortest),
    )
    return shortest[:size]


class Completer:
    """A readline completer over `completions`: candidates for the text from readline's begidx."""

    def __init__(
        self,
        service: QueryService,
        line_buffer: Callable[[], str],
        begin: Callable[[], int] = lambda: 0,
    ) -> None:
        self.service = service
        self.line_buffer = line_buffer
        self.begin = begin
        self._matches: list[str] = []

    def __call__(self, text: str, state: int) -> str | None:
        """The `state`-th completion (readline calls 0, 1, 2, … until None)."""
        if state == 0:
            try:
                line = self.line_buffer()
                start = self.begin()
                before = line[:start].casefold()
                matches = [
                    candidate[start:]
                    for candidate in completions(line, self.service)
                    if candidate[:start].casefold() == before
                ]
                self._matches = _keeping_the_word(line[start:], list(dict.fromkeys(matches)))
            except Exception:  # readline would swallow it anyway; keep the prompt alive
                log.debug("completion failed", exc_info=True)
                self._matches = []
        return self._matches[state] if state < len(self._matches) else None


def _install_readline(service: QueryService) -> None:
    """Tab completion and in-memory history, when the platform has readline."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return

    def line_to_cursor() -> str:
        return readline.get_line_buffer()[: readline.get_endidx()]

    readline.set_completer_delims(COMPLETION_DELIMITERS)
    readline.set_completer(Completer(service, line_to_cursor, readline.get_begidx))
    if "libedit" in (readline.__doc__ or ""):  # pragma: no cover - macOS
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")


# Entry points.


def _safe_streams() -> None:
    """Never fail on text the terminal cannot encode or bytes that are not UTF-8."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                stream.reconfigure(errors="replace")


def _quiet_logging() -> None:
    """Seed problems are reported below once; keep the parser's warnings from repeating them."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.ERROR, format="racebot: %(name)s: %(message)s")


def _error(message: str) -> None:
    print(f"racebot: {message}", file=sys.stderr)


def load_service(seeds: Path | None) -> tuple[QueryService, Path]:
    """The query service over the seed folder; each bad document goes to stderr."""
    load = service_from_folder(seeds_folder(seeds))
    for error in load.errors:
        _error(str(error))
    return load.service, load.folder


def _answer_safely(service: QueryService, line: str) -> Answer | None:
    try:
        return answer_line(service, line)
    except Exception as exc:  # a bug must not end in a traceback: one line, then carry on
        log.debug("failed to answer %r", line, exc_info=True)
        _error(f"could not answer that ({type(exc).__name__}: {exc})")
        return None


def run_ask(question: str, seeds: Path | None, *, as_json: bool) -> int:
    """Answer one question on stdout (rendered, or the exact Discord payload as JSON)."""
    _safe_streams()
    _quiet_logging()
    service, _ = load_service(seeds)
    answer = _answer_safely(service, question)
    if answer is None:
        return INTERNAL_ERROR
    if as_json:
        from bot.discord.rendering import message_payload

        print(json.dumps(message_payload(answer), ensure_ascii=False, indent=2))
    else:
        render_terminal(answer, Console())
    return exit_status(answer)


def _prompted_lines(prompt: str, console: Console) -> Iterator[str]:
    """Lines typed at the prompt until Ctrl-D; Ctrl-C abandons the line and prompts again."""
    while True:
        try:
            yield input(prompt)
        except EOFError:
            console.print()
            return
        except KeyboardInterrupt:  # as in a shell: clear the line, keep the console
            console.print()


def _is_quit(line: str) -> bool:
    return strip_controls(line).strip().removeprefix("/").strip().lower() in QUIT_WORDS


def interact(service: QueryService, lines: Iterable[str], console: Console, *, echo: bool) -> int:
    """Answer each line until the lines end or /quit; `echo` repeats each question (for pipes)."""
    try:
        for line in lines:
            if not line.strip():
                continue
            if echo:
                console.print(Text(PROMPT + strip_controls(line).strip(), style="bold"))
            if _is_quit(line):
                break
            answer = _answer_safely(service, line)
            if answer is not None:
                render_terminal(answer, console)
    except KeyboardInterrupt:
        console.print()
    return ANSWERED


def banner(service: QueryService, folder: Path) -> Text:
    """The console's greeting: what is loaded and how to ask."""
    count = len(service.library)
    races = "1 race" if count == 1 else f"{count} races"
    text = Text("racebot", style="bold")
    text.append(f" — offline console · {races} loaded from {folder}\n", style="")
    text.append("Ask as on Discord: /result Dyson, /class GTS, /driver Herbert, /stats, /help.\n")
    text.append("Tab completes commands, options and names; /quit or Ctrl-D leaves.", style="dim")
    return text


def run_console(seeds: Path | None) -> int:
    """The interactive console: banner, a demo answer, then questions until /quit or Ctrl-D."""
    _safe_streams()
    _quiet_logging()
    console = Console()
    try:
        service, folder = load_service(seeds)
        interactive = sys.stdin is not None and sys.stdin.isatty()
        console.print(banner(service, folder))
        demo = _answer_safely(service, "/race")
        if demo is not None:
            render_terminal(demo, console)
        if sys.stdin is None:
            return ANSWERED
        if interactive:
            _install_readline(service)
            return interact(service, _prompted_lines(PROMPT, console), console, echo=False)
        return interact(service, sys.stdin, console, echo=True)
    except KeyboardInterrupt:
        console.print()
        return ANSWERED
