"""The loaded races: what every question is asked of.

A library holds every race's summary. Its races are either all in memory (a library made from
races: the plain loader, tests) or kept as stored records and made when first read, the last
`KEPT_RACES` read kept (a library read from the store): 10,000 races then cost about 50 MB
rather than 400, and a question pays only for the races it looks at (~0.15 ms each), or only
for the cars it reads (a few us each: a driver's answer reads one car in each of his races).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from bot.core.documents import records
from bot.core.documents.model import Entry, Race, RaceSummary, summarise
from bot.core.library.duplicates import distinct_races as distinct_races
from bot.core.library.duplicates import repeats as repeats
from bot.core.library.unpacking import Unpacking

KEPT_RACES: Final = 2048
"""Races a shelved library keeps made (about 15 kB each at the seed's 36 cars)."""


def library_order(race: RaceSummary | Race) -> tuple[dt.date, str]:
    """The sort key of the library's order (reversed): newest first, undated last."""
    return (race.date or dt.date.min, race.title)


class RaceShelf(Unpacking[records.Stored, Race]):
    """Races kept as stored records, each made when read; the last `keep` made are kept."""

    def __init__(self, stored: Sequence[records.Stored], keep: int = KEPT_RACES) -> None:
        self._interner = records.Interner()  # one copy of each team, class and crew
        super().__init__(stored, lambda data: records.decode(data, self._interner)[0], keep)

    def keep_from(
        self,
        other: RaceShelf,
        changed: Iterable[int],
        added: int | None = None,
        removed: int | None = None,
    ) -> None:
        """Keep what `other` (the shelf of the library before a change that moved no race, or
        `added` one at that place, or `removed` the one there) has made, but for the `changed`
        races: the first questions after a change cost no more."""
        gone = {*changed, *(() if removed is None else (removed,))}
        with other._lock:
            made = [(i, race) for i, race in other._made.items() if i not in gone]
            if added is not None:
                made = [(i + (i >= added), race) for i, race in made]
            if removed is not None:  # the races after it move one up
                made = [(i - (i > removed), race) for i, race in made]
            self._interner = other._interner  # the races made share its strings
        with self._lock:
            self._made.update(made)

    def entry(self, index: int, entry: int) -> Entry:
        """One car of a race (see `entries`)."""
        return self.entries(((index, entry),))[0]

    def entries(self, cars: Iterable[tuple[int, int]]) -> list[Entry]:
        """Cars, each (race, car), from their race if it is made, else each from its own row of
        its record, in one call: a driver's answer reads a car from each of hundreds of races.

        Cars read alone are not kept: one is read again in a few us, and a few thousand kept
        (and replaced) would have the collector walk them at every question (several ms); nor
        is anything kept of their records (a car costs its row, its race's first read too)."""
        cars = cars if isinstance(cars, list) else list(cars)
        with self._lock:  # races are made and dropped under it
            made = self._made
            # Most often no race of a driver's is made: found in C, not a look-up per car.
            kept = (
                {race_id: made[race_id] for race_id in made.keys() & {r for r, _ in cars}}
                if made
                else {}
            )
        if not kept:
            return records.cars_of(self._packed, cars)
        alone = [(race_id, car) for race_id, car in cars if race_id not in kept]
        read_alone = iter(records.cars_of(self._packed, alone))
        return [
            kept[race_id].entries[car] if race_id in kept else next(read_alone)
            for race_id, car in cars
        ]


class RaceLibrary:
    """Races ordered newest first; documents without a date sort last."""

    def __init__(self, races: Iterable[Race]) -> None:
        ordered = tuple(sorted(races, key=library_order, reverse=True))
        self.races: Sequence[Race] = ordered
        self.summaries: Sequence[RaceSummary] = tuple(map(summarise, ordered))

    @classmethod
    def shelved(cls, summaries: Sequence[RaceSummary], shelf: RaceShelf) -> RaceLibrary:
        """A library of stored races, already in the library's order, made when read."""
        library = cls(())
        library.races, library.summaries = shelf, summaries
        return library

    def entry(self, race: int, entry: int) -> Entry:
        """One car of one race; a stored race is not made for it (a driver's thousand cars in
        a large library cost a thousand small reads, not a thousand races)."""
        if isinstance(self.races, RaceShelf):
            return self.races.entry(race, entry)
        return self.races[race].entries[entry]

    def entries(self, cars: Iterable[tuple[int, int]]) -> list[Entry]:
        """Cars, each (race, car), as `entry` reads them, in one call."""
        if isinstance(self.races, RaceShelf):
            return self.races.entries(cars)
        races = self.races
        return [races[race].entries[car] for race, car in cars]

    @property
    def latest(self) -> Race | None:
        """The newest race, the default for every question."""
        return self.races[0] if self.races else None

    def same_race(self, index: int, other: RaceLibrary, other_index: int) -> bool:
        """Whether one of this library's races equals one of another's (making neither when
        both are stored: a reload compares thousands)."""
        mine, theirs = self.races, other.races
        if isinstance(mine, RaceShelf) and isinstance(theirs, RaceShelf):
            stored, other_stored = mine.packed(index), theirs.packed(other_index)
            return stored == other_stored or records.same_race(stored, other_stored)
        return mine[index] == theirs[other_index]

    def __iter__(self) -> Iterator[Race]:
        return iter(self.races)

    def __len__(self) -> int:
        return len(self.races)
