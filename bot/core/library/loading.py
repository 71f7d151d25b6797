"""A folder of documents read straight into a library, with no store: for `racebot check`-like
uses and the tests. The bot itself loads its library from the store (`bot.loader`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.core.documents.parsing import SeedError, load_folder
from bot.core.library.races import RaceLibrary, distinct_races


@dataclasses.dataclass(frozen=True, slots=True)
class LibraryLoad:
    """A folder's library and its documents' errors."""

    library: RaceLibrary
    errors: tuple[SeedError, ...]


def load_library(folder: Path) -> LibraryLoad:
    """Every document in `folder` as a library; one document per race, the others refused."""
    report = load_folder(folder)
    races, duplicates = distinct_races(report.races, title_lines=report.title_lines)
    return LibraryLoad(RaceLibrary(races), report.errors + duplicates)
