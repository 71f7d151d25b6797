"""The loaded races: what every question is asked of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.core.model import Race
from bot.core.parsing import LoadReport, SeedError, load_folder


class RaceLibrary:
    """Races ordered newest first; documents without a date sort last."""

    def __init__(self, races: Iterable[Race]) -> None:
        self.races: tuple[Race, ...] = tuple(
            sorted(races, key=lambda r: (r.date or dt.date.min, r.title), reverse=True)
        )

    @classmethod
    def from_folder(cls, folder: Path) -> tuple[RaceLibrary, tuple[SeedError, ...]]:
        """Load every document in a folder; the errors name each bad file and line."""
        report: LoadReport = load_folder(folder)
        return cls(report.races), report.errors

    @property
    def latest(self) -> Race | None:
        """The newest race, the default for every question."""
        return self.races[0] if self.races else None

    def __iter__(self) -> Iterator[Race]:
        return iter(self.races)

    def __len__(self) -> int:
        return len(self.races)
