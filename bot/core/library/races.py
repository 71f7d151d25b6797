"""The loaded races: what every question is asked of.

A library holds every race's summary. Its races are either all in memory (a library made from
races: the plain loader, tests) or kept as compressed records and made when first read, the last
`KEPT_RACES` read kept (a library read from the library cache): 10,000 races then cost about
30 MB rather than 400, and a question pays only for the races it looks at (~0.2 ms each).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from bot.core.documents import records
from bot.core.documents.model import Entry, Race, RaceSummary, summarise
from bot.core.library.duplicates import distinct_races as distinct_races
from bot.core.library.duplicates import repeats as repeats
from bot.core.library.unpacking import Unpacking

KEPT_RACES: Final = 2048
"""Races a shelved library keeps made (about 15 kB each at the seed's 36 cars)."""
KEPT_ENTRIES: Final = 8192
"""Cars read alone (a driver's across races) a shelved library keeps (under 1 kB each)."""


def library_order(race: RaceSummary | Race) -> tuple[dt.date, str]:
    """The sort key of the library's order (reversed): newest first, undated last."""
    return (race.date or dt.date.min, race.title)


class RaceShelf(Unpacking[bytes, Race]):
    """Races kept as stored records, each made when read; the last `keep` made are kept."""

    def __init__(self, stored: Sequence[bytes], keep: int = KEPT_RACES) -> None:
        self._interner = records.Interner()  # one copy of each team, class and crew
        super().__init__(stored, lambda data: records.decode(data, self._interner)[0], keep)
        self._entries: OrderedDict[tuple[int, int], Entry] = OrderedDict()

    def keep_from(self, other: RaceShelf, changed: Iterable[int]) -> None:
        """Keep what `other` (the shelf of the library before a change that moved no race) has
        made, but for the `changed` races: the first questions after a change cost no more."""
        gone = set(changed)
        with other._lock:
            made = [(i, race) for i, race in other._made.items() if i not in gone]
            cars = [(key, car) for key, car in other._entries.items() if key[0] not in gone]
            self._interner = other._interner  # the races made share its strings
        with self._lock:
            self._made.update(made)
            self._entries.update(cars)

    def entry(self, index: int, entry: int) -> Entry:
        """One car of a race: from the race if it is made, else from its record alone (the last
        `KEPT_ENTRIES` read so are kept: a prolific driver's cars are asked for again)."""
        race = self.made(index)
        if race is not None:
            return race.entries[entry]
        key = (index, entry)
        with self._lock:  # the interner and the kept cars are shared
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
            found = self._entries[key] = records.entry_of(self.packed(index), entry, self._interner)
            if len(self._entries) > KEPT_ENTRIES:
                self._entries.popitem(last=False)
            return found


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
