"""The offline console: slash-command questions typed in a terminal, answered as the bot would.

`racebot ask "/driver Herbert"` answers one question; `racebot` alone opens a prompt (or, with
stdin not a terminal, answers each line it reads). Questions are written as in Discord:
`/result Dyson`, `/result query:Dyson race:2003`, `/class class:GT race:Sonoma`; the slash is
optional and text before the first `name:` goes to the command's first option.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from rapidfuzz import fuzz, process
from rich.console import Console
from rich.text import Text

from bot.app.answering import (
    ANSWERED,
    INTERNAL_ERROR,
    exit_status,
    load_service,
    prepare_terminal,
    print_error,
    serving,
)
from bot.app.chart import show_answer
from bot.app.completion import OPTION, Completer
from bot.core.asking.answers import AmbiguousAnswer, Answer, InvalidAnswer, NotFoundAnswer
from bot.core.asking.commands import COMMANDS, too_long
from bot.core.limits import MAX_CHOICES, MAX_OPTION_LENGTH
from bot.core.matching import strip_controls
from bot.present.terminal import render_terminal
from bot.present.text import plain

if TYPE_CHECKING:
    from bot.core.asking.query import QueryService

PROMPT: Final = "racebot> "
QUIT_WORDS: Final = frozenset({"quit", "exit", "q"})
COMPLETION_DELIMITERS: Final = " \t\n"
"""Readline completes the word after the last space, so candidates replace only that word."""

_QUOTES: Final = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»"}

log = logging.getLogger(__name__)


COMMAND_SIMILARITY: Final = 70
"""How alike (rapidfuzz ratio, 0-100) an unknown command must be to a known one to suggest it."""


class QuestionError(ValueError):
    """A line that is not a well-formed question; the message says how to ask instead."""

    def __init__(self, message: str, retry: str | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        """The line as it was probably meant (a mistyped command corrected), if any."""


@dataclass(frozen=True, slots=True)
class Question:
    """A parsed question: the command and its options (absent options are left out)."""

    command: str
    options: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        """An option's value, or None when it was not given."""
        return self.options.get(name)

    @property
    def typed(self) -> str:
        """The question as it would be typed: `/driver name:Clint Field`."""
        return " ".join((f"/{self.command}", *(f"{k}:{v}" for k, v in self.options.items())))


@dataclass(frozen=True, slots=True)
class Offer:
    """A question the console offers by number: what the list shows, and what it asks."""

    label: str
    question: Question


def _command_list() -> str:
    return ", ".join(f"/{name}" for name in COMMANDS)


def closest_command(word: str) -> str | None:
    """The command an unknown word most likely meant ("resutl" -> "result"), or None."""
    best = process.extractOne(
        word.lower(), list(COMMANDS), scorer=fuzz.ratio, score_cutoff=COMMAND_SIMILARITY
    )
    return best[0] if best is not None else None


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
        meant = closest_command(head)
        if meant is None:
            raise QuestionError(f"Unknown command “{shown}”. Commands: {_command_list()}.")
        raise QuestionError(
            f"Unknown command “{shown}”: did you mean /{meant}? Commands: {_command_list()}.",
            retry=f"/{meant} {rest}".strip(),
        )
    matches = list(OPTION.finditer(rest))
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
            raise QuestionError(too_long(len(value)))
        options[name] = value
    for name in spec.required:
        # Text without a name may hold several required options ("/compare Herbert Lehto"):
        # the question reads them from the first, or says it needs them.
        if name not in options and not (positional.strip() and spec.options[0].name in options):
            raise QuestionError(f"/{command} needs a {name}, for example {spec.typed_example}.")
    return Question(command, MappingProxyType(options))


def is_plain(line: str) -> bool:
    """Whether a typed line is a plain question: it does not start with '/' and its first word
    is no command (so `class GTS` is still /class GTS, and `who won GTS` a question)."""
    text = " ".join(strip_controls(line).split())
    if not text or text.startswith("/"):
        return False
    return text.split()[0].lower() not in COMMANDS


def respond(service: QueryService, line: str) -> tuple[Answer, list[Offer]]:
    """The answer to one typed line, and the questions it offers by number. A line that is not
    a command ("who won at Sonoma") is a plain question, read as `/ask` reads it."""
    if is_plain(line):
        return ask_question(service, Question("ask", MappingProxyType({"question": line})))
    try:
        question = parse_question(line)
    except QuestionError as exc:
        return InvalidAnswer(message=str(exc)), _retry_offer(exc.retry)
    return ask_question(service, question)


def ask_question(service: QueryService, question: Question) -> tuple[Answer, list[Offer]]:
    """The answer to a parsed question, and the questions it offers by number."""
    answer = service.ask(question.command, **question.options)
    choices = answer.choices if isinstance(answer, NotFoundAnswer | AmbiguousAnswer) else ()
    offers = [
        Offer(c.label, Question(c.command, MappingProxyType(dict(c.options)))) for c in choices
    ]
    return answer, offers[:MAX_CHOICES]


def _retry_offer(retry: str | None) -> list[Offer]:
    """The corrected line of a mistyped command as the one offer, when it parses."""
    if retry is None:
        return []
    try:
        question = parse_question(retry)
    except QuestionError:
        return []
    return [Offer(question.typed, question)]


def show_offers(offers: list[Offer], console: Console, *, by_number: bool) -> None:
    """The offers numbered ("1. Clint Field · #30 Intersport Racing"), each with its question."""
    for number, offer in enumerate(offers, 1):
        line = Text(f"{number}. ", style="bold")
        line.append(plain(offer.label))
        if offer.label != offer.question.typed:  # a corrected command is its own label
            line.append(f"   {plain(offer.question.typed)}", style="dim")
        console.print(line)
    if offers and by_number:
        console.print(Text("Type a number to ask it.", style="dim"))


# Completion.


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


def _answer_safely(
    service: QueryService, line: str, offers: list[Offer] | None = None
) -> tuple[Answer, list[Offer]] | None:
    """The answer to a line (a number picks one of `offers`), or None after a bug is reported."""
    try:
        number = line.strip()
        if offers is not None and number.isdecimal() and len(number) <= 3:
            if not 1 <= int(number) <= len(offers):
                return InvalidAnswer(message=_no_offer(int(number), len(offers))), offers
            return ask_question(service, offers[int(number) - 1].question)
        return respond(service, line)
    except Exception as exc:  # a bug must not end in a traceback: one line, then carry on
        log.debug("failed to answer %r", line, exc_info=True)
        print_error(f"could not answer that ({type(exc).__name__}: {exc})")
        return None


def _no_offer(number: int, offered: int) -> str:
    if not offered:
        return f"There is nothing to choose by number ({number}); ask a question, e.g. /help."
    return f"There is no choice {number}: type a number from 1 to {offered}."


def run_ask(
    question: str, seeds: Path | None, *, as_json: bool, chart_dir: Path | None = None
) -> int:
    """Answer one question on stdout (rendered, or the exact Discord payload as JSON); a chart's
    picture goes into `chart_dir` (default: the data folder's charts/)."""
    prepare_terminal()
    # The answer is printed (and flushed) before the store is closed: a first start writes
    # its library snapshot for the next one after it.
    with serving(seeds) as (service, _):
        answered = _answer_safely(service, question)
        if answered is None:
            return INTERNAL_ERROR
        answer, offers = answered
        if as_json:
            from bot.discord.rendering import message_payload

            print(json.dumps(message_payload(answer), ensure_ascii=False, indent=2))
        else:
            console = Console()
            show_answer(answer, console, chart_dir)
            show_offers(offers, console, by_number=False)
        sys.stdout.flush()
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


def interact(
    service: QueryService,
    lines: Iterable[str],
    console: Console,
    *,
    echo: bool,
    chart_dir: Path | None = None,
) -> int:
    """Answer each line until the lines end or /quit; `echo` repeats each question (for pipes).
    A /chart picture goes into `chart_dir` (default: the data folder's charts/).

    An answer's offers are numbered, and a number as the next line asks that question.
    """
    offers: list[Offer] = []
    try:
        for line in lines:
            if not line.strip():
                continue
            if echo:
                console.print(Text(PROMPT + strip_controls(line).strip(), style="bold"))
            if _is_quit(line):
                break
            answered = _answer_safely(service, line, offers)
            if answered is not None:
                answer, offers = answered
                show_answer(answer, console, chart_dir)
                show_offers(offers, console, by_number=True)
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


def run_console(seeds: Path | None, chart_dir: Path | None = None) -> int:
    """The interactive console: banner, a demo answer, then questions until /quit or Ctrl-D."""
    prepare_terminal()
    console = Console()
    try:
        service, folder = load_service(seeds)
        interactive = sys.stdin is not None and sys.stdin.isatty()
        console.print(banner(service, folder))
        demo = _answer_safely(service, "/race")
        if demo is not None:
            render_terminal(demo[0], console)
        if sys.stdin is None:
            return ANSWERED
        if interactive:
            _install_readline(service)
            lines = _prompted_lines(PROMPT, console)
            return interact(service, lines, console, echo=False, chart_dir=chart_dir)
        return interact(service, sys.stdin, console, echo=True, chart_dir=chart_dir)
    except KeyboardInterrupt:
        console.print()
        return ANSWERED
