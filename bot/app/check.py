"""`racebot check FILE_OR_DIR...`: a linter for people who write race documents."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.core.documents.importing import race_summary as summary
from bot.core.documents.model import Race, car_names
from bot.core.documents.names import strip_controls
from bot.core.documents.parsing import ParsedDocument, SeedError, load_document
from bot.core.library.identities import ALIASES_FILE, Aliases, decide, read_aliases
from bot.core.library.races import distinct_races


def check_paths(paths: Iterable[Path], out: TextIO | None = None) -> int:
    """Print `file:line: message` for each refused document, `file:line: warning: message`
    for what is unlikely in one that loads, and a summary for each good one.

    0 when every document loads (warnings or not), 1 when any is refused (or a path names
    nothing): a malformed document, one that cannot be true, or a second document of a race.
    """
    out = out or sys.stdout  # looked up per call, so redirected output is honoured
    paths = list(paths)
    status = 0
    aliases, alias_errors = _aliases(paths)
    for error in alias_errors:
        status = 1
        print(strip_controls(str(error)), file=out)
    for path in paths:
        if path.is_dir() and not any(path.glob("*.txt")):  # a wrong folder is not a clean one
            status = 1
            print(strip_controls(f"{path}: no race documents (*.txt) in this folder"), file=out)
    outcomes: list[tuple[Path, ParsedDocument | SeedError]] = []
    for path in _documents(paths):
        try:
            document = load_document(path)
        except SeedError as error:
            outcomes.append((path, error))
            continue
        race = document.race.model_copy(update={"source": str(path)})
        outcomes.append((path, dataclasses.replace(document, race=race)))
    # As a folder load refuses them: a later document (by name) of a race already there.
    documents = [outcome for _, outcome in outcomes if isinstance(outcome, ParsedDocument)]
    lines = {document.race.source: document.title_line for document in documents}
    races = (document.race for document in documents)
    duplicates = {error.source: error for error in distinct_races(races, title_lines=lines)[1]}
    for path, outcome in outcomes:
        if isinstance(outcome, ParsedDocument):
            for warning in outcome.warnings:
                where = str(path) if warning.line is None else f"{path}:{warning.line}"
                print(strip_controls(f"{where}: warning: {warning.message}"), file=out)
        refusal = duplicates.get(str(path), outcome)
        if isinstance(refusal, SeedError):
            status = 1
            _problem(path, refusal, out)
        else:
            print(strip_controls(f"{path}: ok: {summary(refusal.race)}"), file=out)
    loaded = [
        document.race
        for path, document in outcomes
        if isinstance(document, ParsedDocument) and str(path) not in duplicates
    ]
    return max(status, _identities(loaded, aliases, out))


def _aliases(paths: list[Path]) -> tuple[Aliases | None, list[SeedError]]:
    """The aliases file checked with the documents (`aliases.toml` in a folder given, or a
    `.toml` file given), and its own errors; the first found is used."""
    for path in paths:
        file = path / ALIASES_FILE if path.is_dir() else path
        if file.suffix == ".toml" and file.is_file():
            try:
                text = file.read_text("utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                return None, [SeedError(str(file), None, f"cannot read the aliases file ({error})")]
            return read_aliases(text, str(file))
    return None, []


def _identities(races: list[Race], aliases: Aliases | None, out: TextIO) -> int:
    """The aliases file's errors against the documents (1 when any), the names taken as one,
    and the look-alikes left apart for a maintainer to settle."""
    by_date = sorted(races, key=lambda race: (race.date is None, race.date), reverse=True)
    cars = [(race.series, [car_names(entry) for entry in race.entries]) for race in by_date]
    found = decide(cars, aliases)
    for error in found.errors:
        print(strip_controls(str(error)), file=out)
    where = aliases.source if aliases else ALIASES_FILE
    for grouping in found.groupings:
        others = ", ".join(repr(name) for name in grouping.others)
        line = f"note: {grouping.kind} {grouping.name!r} is also {others} ({grouping.reason})"
        print(strip_controls(line), file=out)
    for likely in found.likely:
        line = (
            f"likely duplicate: {likely.kind} {likely.first!r} and {likely.second!r} "
            f"({likely.reason}); settle it in {where} with [[same]] or [[different]]"
        )
        print(strip_controls(line), file=out)
    return 1 if found.errors else 0


def _problem(path: Path, error: SeedError, out: TextIO) -> None:
    where = str(path) if error.line is None else f"{path}:{error.line}"
    print(strip_controls(f"{where}: {error.message}"), file=out)


def _documents(paths: Iterable[Path]) -> Iterator[Path]:
    """Each file as given, and the `*.txt` documents of each folder, in name order; a file
    named twice (or also inside a folder given) is checked once."""
    seen: set[Path] = set()
    for path in paths:
        if not path.is_dir() and path.suffix == ".toml":
            continue  # the aliases file: checked on its own
        for document in sorted(path.glob("*.txt")) if path.is_dir() else [path]:
            # A missing path or a FIFO is refused by the loader with its own message.
            key = Path(os.path.abspath(document))
            if key not in seen:
                seen.add(key)
                yield document
