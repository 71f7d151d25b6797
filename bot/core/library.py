"""The loaded races: what every question is asked of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.core.cached_loading import load_folder_cached
from bot.core.model import Race
from bot.core.parsing import LoadReport, SeedError


def distinct_titles(races: Iterable[Race]) -> tuple[tuple[Race, ...], tuple[SeedError, ...]]:
    """The races with one document per title (the first by file name); each later document
    with a title already taken is refused by name, since no question could tell the two apart."""
    kept: dict[str, Race] = {}
    refused: list[SeedError] = []
    for race in sorted(races, key=lambda r: r.source):
        key = " ".join(race.title.casefold().split())
        first = kept.setdefault(key, race)
        if first is not race:
            message = f"has the same title as {first.source} ('{first.title}'): rename one"
            refused.append(SeedError(race.source, None, message))
    return tuple(kept.values()), tuple(refused)


class RaceLibrary:
    """Races ordered newest first; documents without a date sort last."""

    def __init__(self, races: Iterable[Race]) -> None:
        self.races: tuple[Race, ...] = tuple(
            sorted(races, key=lambda r: (r.date or dt.date.min, r.title), reverse=True)
        )

    @classmethod
    def from_folder(
        cls, folder: Path, data_dir: Path | None = None
    ) -> tuple[RaceLibrary, tuple[SeedError, ...]]:
        """Load every document in a folder (through the parse cache in `data_dir`, if given)."""
        report: LoadReport = load_folder_cached(folder, data_dir)
        races, duplicates = distinct_titles(report.races)
        return cls(races), report.errors + duplicates

    @property
    def latest(self) -> Race | None:
        """The newest race, the default for every question."""
        return self.races[0] if self.races else None

    def __iter__(self) -> Iterator[Race]:
        return iter(self.races)

    def __len__(self) -> int:
        return len(self.races)
