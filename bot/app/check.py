"""`racebot check FILE_OR_DIR...`: a linter for people who write race documents."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.core.importing import race_summary as summary
from bot.core.library import distinct_titles
from bot.core.model import Race
from bot.core.names import strip_controls
from bot.core.parsing import SeedError, load_race


def check_paths(paths: Iterable[Path], out: TextIO | None = None) -> int:
    """Print `file:line: message` for each refused document and a summary for each good one.

    0 when every document loads, 1 when any is refused (or a path names nothing).
    """
    out = out or sys.stdout  # looked up per call, so redirected output is honoured
    status = 0
    for path in paths:
        if path.is_dir() and not any(path.glob("*.txt")):  # a wrong folder is not a clean one
            status = 1
            print(strip_controls(f"{path}: no race documents (*.txt) in this folder"), file=out)
    outcomes: list[tuple[Path, Race | SeedError]] = []
    for path in _documents(paths):
        try:
            outcomes.append((path, load_race(path).model_copy(update={"source": str(path)})))
        except SeedError as error:
            outcomes.append((path, error))
    # As a folder load refuses them: a later document whose title is taken.
    races = (outcome for _, outcome in outcomes if isinstance(outcome, Race))
    duplicates = {error.source: error for error in distinct_titles(races)[1]}
    for path, outcome in outcomes:
        refusal = duplicates.get(str(path), outcome)
        if isinstance(refusal, SeedError):
            status = 1
            _problem(path, refusal, out)
        else:
            print(strip_controls(f"{path}: ok: {summary(refusal)}"), file=out)
    return status


def _problem(path: Path, error: SeedError, out: TextIO) -> None:
    where = str(path) if error.line is None else f"{path}:{error.line}"
    print(strip_controls(f"{where}: {error.message}"), file=out)


def _documents(paths: Iterable[Path]) -> Iterator[Path]:
    """Each file as given, and the `*.txt` documents of each folder, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.txt"))
        else:
            # A missing path or a FIFO is refused by the loader with its own message.
            yield path
