"""What `racebot`, `racebot ask` and `racebot chart` share: a terminal that takes any text, the
query service opened with each refused document reported on stderr, and the exit status an
answer gives."""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

from bot.app.library import opened_library
from bot.core.asking.answers import Answer, InvalidAnswer, NotFoundAnswer
from bot.settings import load_settings

if TYPE_CHECKING:
    from bot.core.asking.query import QueryService

ANSWERED: Final = 0
NOTHING_MATCHED: Final = 1
BAD_USAGE: Final = 2
INTERNAL_ERROR: Final = 70
"""EX_SOFTWARE: a bug, reported in one line on stderr instead of a traceback."""


def exit_status(answer: Answer) -> int:
    """0 answered (ambiguity lists included), 1 nothing matched, 2 bad usage."""
    if isinstance(answer, NotFoundAnswer):
        return NOTHING_MATCHED
    if isinstance(answer, InvalidAnswer):
        return BAD_USAGE
    return ANSWERED


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


def prepare_terminal() -> None:
    """Streams that never fail on odd text, and seed problems reported once (see below)."""
    _safe_streams()
    _quiet_logging()


def print_error(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"racebot: {message}", file=sys.stderr)


def load_service(seeds: Path | None) -> tuple[QueryService, Path]:
    """The query service over the seed folder's store; each refused document goes to stderr."""
    with serving(seeds) as served:
        return served


@contextlib.contextmanager
def serving(seeds: Path | None) -> Iterator[tuple[QueryService, Path]]:
    """`load_service` for one answer: the store is filled (a first start's: `answer_first`),
    the snapshot for the next start written and the store closed after the caller's answer,
    not before it."""
    with opened_library(seeds, load_settings(), answer_first=True) as opened:
        for error in opened.errors:
            print_error(str(error))
        yield opened.service, opened.folder
