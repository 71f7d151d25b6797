"""The catalogue: every name and car number the loaded races mention, indexed once per library.

Every name (teams, drivers, chassis, engines) goes into one `NameIndex`, with postings from each
name to the (race, entries) pairs it appears in, so a question costs a few dictionary look-ups
whether one race or a thousand are loaded. Names are told apart by kind and normalised key, so
"Dyson Racing" and "DYSON  racing" are one team; raw text is normalised only once per kind.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from itertools import compress, islice, repeat
from operator import is_, itemgetter, setitem
from pathlib import PurePath
from typing import Final, TypeVar, overload

from bot.core.documents.model import CarNames, Entry, Race, RaceSummary, car_names
from bot.core.library.identities import NO_IDENTITIES, Aliases, Identities, decide, name_key
from bot.core.library.packed import PackedList, Posting, copied, rearranged
from bot.core.library.races import KEPT_RACES, RaceLibrary
from bot.core.library.unpacking import Unpacking
from bot.core.matching import NameIndex, NameKeys, compact, normalise

_T = TypeVar("_T")
_NUMBER: Final = itemgetter(0)


class NameKind(StrEnum):
    """What a name in an entry is."""

    TEAM = "team"
    DRIVER = "driver"
    CHASSIS = "chassis"
    ENGINE = "engine"


KIND_ORDER: Final = {kind: order for order, kind in enumerate(NameKind)}
"""The order matches are listed in: teams, then drivers, chassis and engines."""

# Words people put in front of a car number: "No. 3", "car 3".
_CAR_NUMBER: Final = re.compile(
    r"(?:(?:car|no|nr|num|number)\.?\s*)?#?\s*([0-9]{1,4}[a-z]?)", re.IGNORECASE
)
"""A car number as people type it: "3", "#03", "No. 3", "car 16", "16B"."""


def number_key(text: str) -> str:
    """A car number as its index key ("#3", "No. 3", "car 3" are "3"), or "" if it is none.

    Read from what was typed, not the normalised text, which drops dots: "1.6" or "3 8"
    must not become car 16 or 38.
    """
    match = _CAR_NUMBER.fullmatch(text.strip())
    return compact(normalise(match[1])) if match else ""


class _Names:
    """Distinct names by (kind, key) as they are met, each with its postings: race -> entries."""

    def __init__(self, identities: Identities = NO_IDENTITIES) -> None:
        self.identities = identities
        self.kinds: list[NameKind] = []
        self.displays: list[str] = []
        self.also: list[tuple[str, ...]] = []
        """Each name's other spellings, when it is one identity of several."""
        self.postings: list[Posting] | PackedList[Posting] = []
        self._by_key: dict[tuple[NameKind, str], int] = {}
        self.by_raw = {kind: _RawIds(self, kind) for kind in NameKind}
        """Each kind's raw text -> name id (None: it names nothing), normalised once."""

    def new_id(self, kind: NameKind, raw: str) -> int | None:
        """The id of a raw name not met before: its key's, added when new; None when it
        normalises to nothing."""
        key = compact(normalise(raw))
        if key and self.identities.roots:
            key = self.identities.root(kind, key)
        name_id = self._by_key.get((kind, key)) if key else None
        if key and name_id is None:
            name_id = self._by_key[(kind, key)] = len(self.kinds)
            self.kinds.append(kind)
            display = self.identities.displays.get((kind, key))
            self.displays.append(display or " ".join(raw.split()))
            self.also.append(self.identities.others.get((kind, key), ()))
            self.postings.append({})
        return name_id


class _RawIds(dict[str, int | None]):
    """One kind's raw text -> name id: a text met before is looked up without leaving C."""

    def __init__(self, names: _Names, kind: NameKind) -> None:
        super().__init__()
        self._names = names
        self._kind = kind

    def __missing__(self, raw: str) -> int | None:
        name_id = self[raw] = self._names.new_id(self._kind, raw)
        return name_id


@dataclass(frozen=True, slots=True)
class CatalogueIndex:
    """What the catalogue indexes, as plain data: built from the races, or read back whole from
    the library snapshot the store keeps (`bot.loader.library`)."""

    kinds: Sequence[NameKind]
    displays: Sequence[str]
    postings: Sequence[dict[int, tuple[int, ...]]]
    """Each name's races (newest first) and its entries in each."""
    race_names: Sequence[Sequence[int]]
    """Each race's names, in order of first appearance."""
    numbers: Sequence[dict[str, tuple[int, ...]]]
    """Each race's car numbers (index keys) and the entries that carry them."""
    number_races: Mapping[str, tuple[int, ...]]
    """Each car number's races, newest first."""
    names: NameIndex
    race_index: NameIndex
    race_values: Sequence[str]
    """What selects each race on its own: its title, or its file name when titles repeat."""
    also: Sequence[tuple[str, ...]] = ()
    """Each name's other spellings when it is one identity of several ("ADT Champion Racing")."""
    identities: Identities = NO_IDENTITIES
    """Which names were grouped, and the look-alikes left apart (`bot.core.library.identities`)."""
    name_ids: Mapping[tuple[NameKind, str], int] | None = None
    """Each name's id by its kind and key (for `patch_index`; None: not kept)."""
    gone: frozenset[int] = frozenset()
    """Names a patch left in no race: their ids are kept, with no races, and nothing lists them."""


def _selects(summary: RaceSummary) -> tuple[object, ...]:
    """What the race selector index reads of a race."""
    return (summary.title, summary.circuit, summary.location, summary.date, summary.source)


def patch_index(
    index: CatalogueIndex,
    summaries: Sequence[RaceSummary],
    race_id: int,
    before: RaceSummary,
    cars: Sequence[CarNames],
) -> CatalogueIndex | None:
    """The index with one race's cars replaced by `cars` (its summary was `before`, and the
    race keeps its place in the order), as `build_index` would make it but for ids: a name new
    to the library comes last, and one left in no race keeps its id with no races (nothing finds
    it; ids keep their order, so equally good names still come in a fresh build's order).
    `index` is left as it is (questions may be reading it) and shares all the rest. The caller
    makes sure the identities are unchanged (`identities.change_keeps_identities`). None when
    the index cannot be patched: ids would not be in the order names are first met, or what
    selects the race changed (then build the index afresh)."""
    if index.name_ids is None or _selects(before) != _selects(summaries[race_id]):
        return None
    # The same identities as the index's: each spelling maps to its identity's id.
    names = _Names(index.identities)
    names.kinds, names.displays = list(index.kinds), list(index.displays)
    names.also = list(index.also)
    names.postings = copied(index.postings)
    names._by_key = dict(index.name_ids)
    known = len(names.kinds)
    in_race = _race_names(cars, names)
    postings = names.postings
    gone: dict[int, NameKeys] = {}
    for name_id in index.race_names[race_id]:
        if name_id not in in_race:
            left = dict(postings[name_id])
            del left[race_id]
            postings[name_id] = left
            if not left:
                gone[name_id] = _keys_of(names, name_id)
    back = {name_id: _keys_of(names, name_id) for name_id in in_race if name_id in index.gone}
    for name_id, entries in in_race.items():
        postings[name_id] = _posted(postings[name_id], race_id, tuple(entries))
    singles: list[tuple[int, ...]] = [(entry_id,) for entry_id in range(len(cars))]
    race_numbers = _race_numbers(cars, singles, {}, {})
    numbers = copied(index.numbers)
    old_numbers = numbers[race_id]
    numbers[race_id] = race_numbers
    number_races: dict[str, tuple[int, ...] | None] = {}
    for number in old_numbers.keys() - race_numbers.keys():
        rest = tuple(other for other in index.number_races[number] if other != race_id)
        number_races[number] = rest or None
    for number in race_numbers.keys() - old_numbers.keys():
        number_races[number] = tuple(sorted((*index.number_races.get(number, ()), race_id)))
    race_names = copied(index.race_names)
    race_names[race_id] = list(in_race)
    # A name's id is its place in the order names are first met, newest race first: ids break
    # ties between equally good names, so they must be in the order a fresh build gives them.
    affected = set(index.race_names[race_id]) | set(in_race)
    for name_id in affected:
        was, now = (index.postings[name_id], postings[name_id]) if name_id < known else ({}, {})
        if was and now and next(iter(was)) != next(iter(now)):
            return None  # a name now first met elsewhere: its id and shown text may change
    if not _first_met_order(postings, race_names, affected) or not _displays_hold(
        cars, names, race_id
    ):
        return None
    added = [NameKeys((display,)) for display in names.displays[known:]]
    found = index.names
    if gone or back:
        found = found.revised(gone, back)
    gone_ids = (index.gone | gone.keys()) - back.keys()
    return CatalogueIndex(
        kinds=names.kinds,
        displays=names.displays,
        postings=postings,
        race_names=race_names,
        numbers=numbers,
        number_races=NumberRaces.changed(index.number_races, None, number_races),
        names=found.extended(added) if added else found,
        race_index=index.race_index,
        race_values=index.race_values,
        also=names.also,
        identities=index.identities,
        name_ids=names._by_key,
        gone=frozenset(gone_ids),
    )


def insert_race(
    index: CatalogueIndex, summaries: Sequence[RaceSummary], place: int, cars: Sequence[CarNames]
) -> CatalogueIndex | None:
    """The index with a new race inserted at `place` in the order (`summaries` hold it there),
    exactly as `build_index` would make it: the races from `place` on move one along, and the
    names the new race is first to meet take their place in the order names are first met
    (ids break ties between equally good names), the others keeping theirs. `index` is left as
    it is (questions may be reading it). The caller makes sure the identities are unchanged
    (`identities.change_keeps_identities`). None when it cannot be done here: a name the new
    race is first to meet would be shown otherwise than it is."""
    if index.name_ids is None:
        return None
    known = len(index.kinds)
    races = len(index.race_names)
    names = _Names(index.identities)
    names.kinds, names.displays = list(index.kinds), list(index.displays)
    names.also = list(index.also)
    names.postings = [{}] * known  # only appended to (a new name's place)
    names._by_key = dict(index.name_ids)
    in_race = _race_names(cars, names)
    postings = index.postings

    def first_race(name_id: int) -> int | None:
        posting = postings[name_id]
        return next(iter(posting)) if posting else None

    # Names first met in the new race: new ones, ones found by nothing (gone), and ones first
    # met only after it (each of the newest race's). They take the new race's place in the
    # order, in its order.
    moved = [
        name_id
        for name_id in in_race
        if not place or name_id >= known or (first := first_race(name_id)) is None or first >= place
    ]
    if not _shown_as_written(cars, names, set(moved), index.identities):
        return None
    # Where those first met after the new race begin, by id (ids are in first-met order).
    low, high = 0, known if place else 0
    while low < high:
        middle = at = (low + high) // 2
        while at < high and (first := first_race(at)) is None:
            at += 1
        if at == high or (first is not None and first >= place):
            high = middle
        else:
            low = at + 1
    order, ids = _order(known, low, moved)
    renamed = order[:known] != list(range(known))

    def renumbered(race_names: Sequence[int]) -> list[int]:
        return list(map(ids.__getitem__, race_names))

    added = [{place: tuple(in_race[known + k])} for k in range(len(order) - known)]
    # Each name's races from `place` on move one along, and the new race's names take it in,
    # when each is next read (a chassis' postings hold thousands of races).
    with_race = {
        ids[name_id]: partial(_with_race, place=place, entries=tuple(entries))
        for name_id, entries in in_race.items()
        if name_id < known
    }
    shifted = partial(_shifted, place=place) if place < races else None
    new_postings = rearranged(postings, order, added, shifted, ids, with_race)
    race_order = [*range(place), -1, *range(place, races)]
    race_ids = [*range(place), *range(place + 1, races + 1)]
    race_names = rearranged(
        index.race_names,
        race_order,
        [[ids[name_id] for name_id in in_race]],
        renumbered if renamed else None,
        race_ids,
    )
    singles: list[tuple[int, ...]] = [(entry_id,) for entry_id in range(len(cars))]
    race_numbers = _race_numbers(cars, singles, {}, {})
    numbers = rearranged(index.numbers, race_order, [race_numbers], None, race_ids)
    number_races = NumberRaces.changed(index.number_races, place, {}, frozenset(race_numbers))

    kinds = _permuted(index.kinds, order, names.kinds[known:])
    displays = _permuted(index.displays, order, names.displays[known:])
    also = _permuted(index.also, order, names.also[known:])
    indexed = {
        ids[name_id]: NameKeys((names.displays[name_id], *names.also[name_id]))
        for name_id in moved
        if name_id >= known or name_id in index.gone
    }
    found_names = index.names
    if renamed or indexed:
        found_names = found_names.remapped(order, ids, indexed, ordered=not renamed)
    race_index = index.race_index.inserted(place, _race_keys(summaries[place]))
    name_ids = dict(zip(names._by_key, map(ids.__getitem__, names._by_key.values()), strict=True))
    return CatalogueIndex(
        kinds=kinds,
        displays=displays,
        postings=new_postings,
        race_names=race_names,
        numbers=numbers,
        number_races=number_races,
        names=found_names,
        race_index=race_index,
        race_values=_RaceValues(
            partial(_race_values_with, index.race_values, summaries, place, race_index),
            len(summaries),
        ),
        also=also,
        identities=index.identities,
        name_ids=name_ids,
        gone=frozenset(ids[name_id] for name_id in index.gone) - indexed.keys(),
    )


def _order(known: int, cut: int, moved: Sequence[int]) -> tuple[list[int], list[int]]:
    """The names' new order when `moved` (old ids, or `known + k` for the k-th new name) take
    the place at `cut` and the others keep theirs: `order[new id]` is the old id (or -1 - k),
    and `ids[old id or known + k]` the new id. Made of runs of ids, each copied in C."""
    order: list[int] = []
    ids = [0] * (known + sum(name_id >= known for name_id in moved))
    taken = sorted(name_id for name_id in moved if name_id < known)

    def kept(start: int, stop: int) -> None:  # the ids in [start, stop) not moved, in order
        at = start
        for name_id in taken[bisect_left(taken, start) : bisect_left(taken, stop)]:
            ids[at:name_id] = range(len(order), len(order) + name_id - at)
            order.extend(range(at, name_id))
            at = name_id + 1
        ids[at:stop] = range(len(order), len(order) + stop - at)
        order.extend(range(at, stop))

    kept(0, cut)
    for name_id in moved:
        ids[name_id] = len(order)
        order.append(name_id if name_id < known else known - 1 - name_id)
    kept(cut, known)
    return order, ids


def _permuted(items: Sequence[_T], order: Sequence[int], new: Sequence[_T] = ()) -> list[_T]:
    """Item i is `items[order[i]]`, or `new[-1 - order[i]]` when that is negative (in C)."""
    return list(map([*items, *reversed(new)].__getitem__, order))


def _with_race(posting: Posting, place: int, entries: tuple[int, ...]) -> Posting:
    """A name's races (moved already) with a new race's entries at `place`."""
    if not posting or place < next(iter(posting)):
        return {place: entries, **posting}
    items = list(posting.items())
    at = bisect_left(items, place, key=lambda item: item[0])
    items.insert(at, (place, entries))
    return dict(items)


class _RaceValues(Sequence[str]):
    """`_unique_race_values` after a race is inserted or taken out (`_race_values_with`,
    `_race_values_without`), made by `make` when first read: it reads the race selector index,
    which a library read back from its snapshot unpacks only when a race is first looked for
    (20 ms at 10,000 races)."""

    def __init__(self, make: Callable[[], list[str]], size: int) -> None:
        self._make: Callable[[], list[str]] | None = make
        self._values: list[str] = []
        self._size = size

    def _made(self) -> list[str]:
        make = self._make
        if make is not None:  # two threads may both make them: equal lists
            self._values = make()
            self._make = None
        return self._values

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._made()[index]

    def __len__(self) -> int:
        return self._size


def remove_race(
    index: CatalogueIndex,
    summaries: Sequence[RaceSummary],
    place: int,
    removed: RaceSummary,
    entries: Callable[[Iterable[tuple[int, int]]], list[Entry]],
) -> CatalogueIndex | None:
    """The index with the race at `place` (whose summary was `removed`) taken out, as
    `build_index` would make it of the races left (`summaries`) but for ids: the races after it
    move one up; a name it alone wrote keeps its id with no races (nothing finds it, as
    `patch_index` leaves one); one it was first to meet takes the place in the order names are
    first met that its next race gives it (ids break ties between equally good names).
    `entries` reads cars, each (race, car) as `index` numbers races. `index` is left as it is.
    The caller makes sure the identities are unchanged (`identities.change_keeps_identities`).
    None when it cannot be done here: a name would now be shown as another race writes it, or
    the ids would not be in the order names are first met."""
    if index.name_ids is None:
        return None
    known = len(index.kinds)
    races = len(index.race_names)
    postings = index.postings
    race_names = index.race_names
    gone: dict[int, NameKeys] = {}
    moved: dict[int, tuple[int, int]] = {}  # first met there: where now (race, place in it)
    first_cars: dict[int, tuple[int, int]] = {}  # the car each moved name is first met in
    for name_id in race_names[place]:
        posting = postings[name_id]
        if len(posting) == 1:
            gone[name_id] = NameKeys((index.displays[name_id], *index.also[name_id]))
        elif next(iter(posting)) == place:
            first, cars = next(islice(posting.items(), 1, None))  # as `index` numbers races
            moved[name_id] = (first, list(race_names[first]).index(name_id))
            first_cars[name_id] = (first, cars[0])
    if not _first_shown_as_written(index, first_cars, entries):
        return None

    met: dict[int, tuple[int, int] | None] = {}

    def first_met(name_id: int) -> tuple[int, int] | None:
        """Where a name is first met once the race is gone (race ids as `index` numbers them;
        None: in no race)."""
        if name_id in moved:
            return moved[name_id]
        if name_id in met:
            return met[name_id]
        found = None
        if name_id not in gone and name_id not in index.gone and (posting := postings[name_id]):
            first = next(iter(posting))
            found = first, list(race_names[first]).index(name_id)
        met[name_id] = found
        return found

    def nearest(at: int) -> tuple[int, tuple[int, int]]:
        """The first name from id `at` on in some race and not moved: its id and where it is
        first met (`known` and (-1, -1): none)."""
        while at < known:
            if at not in moved and (found := first_met(at)) is not None:
                return at, found
            at += 1
        return known, (-1, -1)

    # Each moved name goes before the first name (not moved, in some race) met after it: the
    # others are numbered in the order they are first met, and keep it. Every name before the
    # moved ones is met before them, and so is each name written before it in the race it is
    # now first met in; the place is looked for from there, in steps that double (most names
    # are met again within a few races), then by halves.
    cuts: list[tuple[tuple[int, int], int, int]] = []
    for name_id, where in moved.items():
        first, at = where
        before = [other for other in race_names[first][:at] if other not in moved]
        low, step = max(min(moved), max(before, default=-1) + 1), 1
        high = low
        while high < known:
            at, found = nearest(high)
            if at == known or found > where:
                break
            low, step = at + 1, step * 2
            high = low + step
        high = min(high, known)
        while low < high:
            middle = (low + high) // 2
            at, found = nearest(middle)
            if at >= high or found > where:
                high = middle
            else:
                low = at + 1
        cuts.append((where, low, name_id))
    cuts.sort()
    # Only the ids from the first moved name to the last place one goes to are renumbered.
    low = min(moved, default=0)
    high = max(max(moved, default=-1) + 1, *(cut for _, cut, _ in cuts), low)
    between: list[int] = []
    start = low
    for _, cut, name_id in cuts:
        between.extend(i for i in range(start, cut) if i not in moved)
        between.append(name_id)
        start = max(start, cut)
    between.extend(i for i in range(start, high) if i not in moved)
    renamed = between != list(range(low, high))
    order = [*range(low), *between, *range(high, known)] if renamed else range(known)
    ids = list(range(known))  # each old id's new id
    for new_id, old in enumerate(between, low):
        ids[old] = new_id
    # Each moved name against its neighbours in its new place (others moved too, or not).
    for where, _, name_id in cuts:
        neighbours = (range(ids[name_id] - 1, -1, -1), range(ids[name_id] + 1, known))
        for side, neighbour in enumerate(neighbours):
            beside = next(filter(None, map(first_met, map(order.__getitem__, neighbour))), None)
            if beside is not None and (beside >= where if side == 0 else beside <= where):
                return None

    def renumbered(names_in_race: Sequence[int]) -> list[int]:
        return list(map(ids.__getitem__, names_in_race))

    # Each name's races moved when it is next read (the removed race's names lose it then).
    unshifted = partial(_shifted, place=place, by=-1)
    if place < races - 1:
        new_postings = rearranged(postings, order, [], unshifted, ids)
    else:  # the oldest: no race moves, only its own names change
        own = {ids[name_id]: unshifted for name_id in race_names[place]}
        new_postings = rearranged(postings, order, [], None, ids, own)
    race_order = [*range(place), *range(place + 1, races)]
    race_ids = [*range(place), -1, *range(place, races - 1)]  # -1: taken out
    new_race_names = rearranged(
        race_names, race_order, [], renumbered if renamed else None, race_ids
    )
    numbers = rearranged(index.numbers, race_order, [], None, race_ids)
    number_races = NumberRacesWithout(index.number_races, place, index.numbers[place])
    found_names = index.names
    if gone:
        found_names = found_names.revised(gone, {})
    if renamed:
        found_names = found_names.remapped(order, ids, {}, ordered=False)
    race_index = index.race_index.without(place, _race_keys(removed))
    values = partial(
        _race_values_without, index.race_values, index.race_index, summaries, place, removed
    )
    gone_ids = index.gone | gone.keys()
    return CatalogueIndex(
        kinds=_permuted(index.kinds, order) if renamed else index.kinds,
        displays=_permuted(index.displays, order) if renamed else index.displays,
        postings=new_postings,
        race_names=new_race_names,
        numbers=numbers,
        number_races=number_races,
        names=found_names,
        race_index=race_index,
        race_values=_RaceValues(values, len(summaries)),
        also=_permuted(index.also, order) if renamed else index.also,
        identities=index.identities,
        name_ids={key: ids[i] for key, i in index.name_ids.items()} if renamed else index.name_ids,
        gone=frozenset(ids[name_id] for name_id in gone_ids) if renamed else frozenset(gone_ids),
    )


def _race_values_without(
    values: Sequence[str],
    race_index: NameIndex,
    summaries: Sequence[RaceSummary],
    place: int,
    removed: RaceSummary,
) -> list[str]:
    """`_unique_race_values` (`values`) with the race at `place` (`removed`) taken out
    (`summaries` are without it; `race_index` still holds it): only the races of its title or
    its file name can change."""
    titles = race_index.keys

    def source(race_id: int) -> str:  # by its id in `race_index`
        return compact(normalise(summaries[race_id - (race_id > place)].source))

    def of_title(title: str) -> list[int]:
        found = race_index.exactly(title)
        return [race_id for race_id in found if race_id != place and titles[race_id] == title]

    def of_source(key: str) -> list[int]:
        found = race_index.exactly(key)
        return [race_id for race_id in found if race_id != place and source(race_id) == key]

    title, key = titles[place], compact(normalise(removed.source))
    affected = {*of_title(title), *of_source(key)} if title and key else set()
    if not (title and key) or not all(titles[race_id] and source(race_id) for race_id in affected):
        return _unique_race_values(summaries, _race_index(summaries))  # a blank key: no text
    values = [*values[:place], *values[place + 1 :]]
    for race_id in affected:
        race = summaries[race_id - (race_id > place)]
        repeated = len(of_title(titles[race_id])) > 1 and len(of_source(source(race_id))) == 1
        values[race_id - (race_id > place)] = race.source if repeated else race.title
    return values


def _first_shown_as_written(
    index: CatalogueIndex,
    first_cars: Mapping[int, tuple[int, int]],
    entries: Callable[[Iterable[tuple[int, int]]], list[Entry]],
) -> bool:
    """Whether each name is shown as the car it is first met in (race, car) first writes it (as
    `_shown_as_written`: a grouped identity is shown as the identity is)."""
    if not first_cars:
        return True
    identities, name_ids = index.identities, index.name_ids or {}
    cars = entries(first_cars.values())
    for name_id, car in zip(first_cars, map(car_names, cars), strict=True):
        kind = index.kinds[name_id]
        _, team, crew, chassis, engine = car
        written = {
            NameKind.TEAM: (team,),
            NameKind.DRIVER: crew,
            NameKind.CHASSIS: (chassis or "",),
            NameKind.ENGINE: (engine or "",),
        }[kind]
        for raw in written:
            key = compact(normalise(raw)) if raw else ""
            if key and identities.roots:
                key = identities.root(kind, key)
            if key and name_ids.get((kind, key)) == name_id:
                break
        else:
            return False  # not found where its postings say: not decided here
        if (kind, key) in identities.displays:
            continue
        if index.displays[name_id] != " ".join(raw.split()):
            return False
    return True


def _shifted(
    posting: Posting, place: int, entries: tuple[int, ...] | None = None, *, by: int = 1
) -> Posting:
    """A name's races with those from `place` on moved one along (and a new race's `entries`
    at `place`), or with `by` -1 the race at `place` taken out and those after it moved one
    up, in C loops: a chassis' postings hold thousands of races."""
    keys = list(posting)
    at = bisect_left(keys, place)
    if at == len(keys) and entries is None:
        return posting
    after = at + (by < 0 and keys[at] == place)  # the race taken out is skipped
    if not after and entries is None:  # every race moves (a race inserted newest)
        return dict(zip(map(by.__add__, keys), posting.values(), strict=True))
    values = list(posting.values())
    moved = dict(zip(keys[:at], values[:at], strict=True)) if at else {}
    if entries is not None:
        moved[place] = entries
    moved.update(zip(map(by.__add__, keys[after:]), values[after:], strict=True))
    return moved


def _moved(
    races: tuple[int, ...], place: int, *, with_place: bool = False, by: int = 1
) -> tuple[int, ...]:
    """Race ids with those from `place` on moved one along (and `place` itself taken in), or
    with `by` -1 `place` taken out and those after it moved one up."""
    at = bisect_left(races, place)
    if at == len(races) and not with_place:
        return races
    after = at + (by < 0 and races[at] == place)
    return (*races[:at], *((place,) if with_place else ()), *map(by.__add__, races[after:]))


def _shown_as_written(
    cars: Sequence[CarNames], names: _Names, first_met: set[int], identities: Identities
) -> bool:
    """Whether each name first met in a new race is shown as that race first writes it (a
    grouped identity is shown as the identity is)."""
    for name_id, kind, raw in _first_written(cars, names):
        if name_id not in first_met:
            continue
        key = compact(normalise(raw))
        if (kind, identities.root(kind, key)) in identities.displays:
            continue
        if names.displays[name_id] != " ".join(raw.split()):
            return False
    return True


def _first_written(cars: Sequence[CarNames], names: _Names) -> Iterator[tuple[int, NameKind, str]]:
    """Each name a race's cars write, once: its id, kind and text where first written."""
    seen: set[int] = set()
    for _, team, crew, chassis, engine in cars:
        written = ((NameKind.TEAM, team), *((NameKind.DRIVER, d) for d in crew))
        written += ((NameKind.CHASSIS, chassis or ""), (NameKind.ENGINE, engine or ""))
        for kind, raw in written:
            name_id = names.by_raw[kind][raw] if raw else None
            if name_id is None or name_id in seen:
                continue
            seen.add(name_id)
            yield name_id, kind, raw


def settle(index: CatalogueIndex, large: int) -> int:
    """Apply now, in place, the moves a race inserted or taken out left on the postings packed
    in `large` bytes or more (a chassis's or an engine's: thousands of races), which would
    otherwise be unpacked and moved by the first question that reads each (~2 ms apiece at
    10,000 races: a dozen of the bench mix's 3,000 questions). For a start that took in such
    changes (no one waits on a live change then); each item made as a read would make it.
    How many there were."""
    postings = index.postings
    if not isinstance(postings, PackedList) or not postings.moved:
        return 0  # a change that moved no race left the unpacked items as they were
    return postings.unpack_large(large)


_MOVES_KEPT: Final = 4
"""Inserted races whose moves `NumberRaces` applies when read (then they are all applied)."""


class NumberRaces(Mapping[str, tuple[int, ...]]):
    """Each car number's races, as another's with some numbers changed and, when a race was
    inserted, the races from its place on moved one along and the new race's numbers taking
    it in: each number's races are moved when first read (a change costs the numbers it
    touches, not the 300,000 pairs of 10,000 races)."""

    def __init__(
        self,
        base: Mapping[str, tuple[int, ...]],
        place: int | None,
        changed: Mapping[str, tuple[int, ...] | None],
        taken_in: frozenset[str] = frozenset(),
    ) -> None:
        self._base = base
        self._place = place
        self._depth: int = base._depth + 1 if isinstance(base, NumberRaces) else 1
        self._made: dict[str, tuple[int, ...] | None] = dict(changed)
        """Numbers read or changed (None: in no race now)."""
        self._taken_in = taken_in.difference(changed)
        """Numbers of the inserted race (at `place`), not read yet."""
        self._numbers = [
            *(number for number in base if changed.get(number, ()) is not None),
            *(number for number, races in changed.items() if races and number not in base),
            *(number for number in self._taken_in if number not in base),
        ]

    @staticmethod
    def changed(
        base: Mapping[str, tuple[int, ...]],
        place: int | None,
        changed: Mapping[str, tuple[int, ...] | None],
        taken_in: frozenset[str] = frozenset(),
    ) -> Mapping[str, tuple[int, ...]]:
        """`base` with these numbers changed (None: gone), the races from `place` moved and
        the race inserted there taken in by the `taken_in` numbers."""
        if isinstance(base, NumberRaces):
            if place is None:  # the same moves, more numbers changed
                return NumberRaces(
                    base._base, base._place, {**base._made, **changed}, base._taken_in
                )
            if base._depth >= _MOVES_KEPT:
                base = dict(base)
        if place is None and isinstance(base, dict):
            copy = dict(base)
            for number, races in changed.items():
                if races is None:
                    copy.pop(number, None)
                else:
                    copy[number] = races
            return copy
        return NumberRaces(base, place, changed, taken_in)

    def __getitem__(self, number: str) -> tuple[int, ...]:
        if number in self._made:
            races = self._made[number]
        else:
            taken_in = number in self._taken_in
            races = self._base.get(number, ()) if taken_in else self._base[number]
            if self._place is not None:
                races = _moved(races, self._place, with_place=taken_in)
            self._made[number] = races  # two threads may both make it: equal tuples
        if races is None:
            raise KeyError(number)
        return races

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


class NumberRacesWithout(Mapping[str, tuple[int, ...]]):
    """Each car number's races, as another's with the race at `place` taken out: the races after
    it move one up when a number is first read (a removal costs nothing here, not the 300,000
    pairs of 10,000 races); the numbers of that race alone are gone once first listed."""

    def __init__(
        self, base: Mapping[str, tuple[int, ...]], place: int, numbers: Iterable[str]
    ) -> None:
        depth, under = 0, base
        while isinstance(under, NumberRaces | NumberRacesWithout):
            layer: Mapping[str, tuple[int, ...]] = under._base
            depth, under = depth + 1, layer
        if depth >= _MOVES_KEPT:
            base = dict(base)  # each read goes through every layer: made plain again
        self._base: Mapping[str, tuple[int, ...]] = base
        self._place = place
        self._in_race = frozenset(numbers)
        self._made: dict[str, tuple[int, ...] | None] = {}
        """Numbers read (None: in no race now)."""
        self._numbers: list[str] | None = None

    def __getitem__(self, number: str) -> tuple[int, ...]:
        if number in self._made:
            races = self._made[number]
        else:  # two threads may both make it: equal tuples
            races = self._made[number] = _moved(self._base[number], self._place, by=-1) or None
        if races is None:
            raise KeyError(number)
        return races

    def _listed(self) -> list[str]:
        if self._numbers is None:
            base, in_race = self._base, self._in_race
            self._numbers = [n for n in base if n not in in_race or n in self]
        return self._numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self._listed())

    def __len__(self) -> int:
        return len(self._listed())


def _keys_of(names: _Names, name_id: int) -> NameKeys:
    """What the name index knows a name by (as `_index` makes it)."""
    return NameKeys((names.displays[name_id], *names.also[name_id]))


def _posted(
    races: dict[int, tuple[int, ...]], race_id: int, entries: tuple[int, ...]
) -> dict[int, tuple[int, ...]]:
    """A name's postings with its entries in one race set, newest race first (shared when
    nothing changes)."""
    before = races.get(race_id)
    if before == entries:
        return races
    if before is not None or not races or race_id > next(reversed(races)):
        changed = dict(races)  # in place, or last: the order holds
        changed[race_id] = entries
        return changed
    items = list(races.items())
    at = bisect_left(items, race_id, key=lambda item: item[0])
    items.insert(at, (race_id, entries))
    return dict(items)


def _first_met_order(
    postings: Sequence[dict[int, tuple[int, ...]]],
    race_names: Sequence[Sequence[int]],
    affected: set[int],
) -> bool:
    """Whether the names in some race are still numbered in the order they are first met, given
    that only the `affected` ones may have moved (each is checked against its nearest neighbours
    by id that are in a race: names in none are skipped, as a fresh build has no such name)."""

    def first_met(name_id: int) -> tuple[int, int]:
        race_id = next(iter(postings[name_id]))
        return race_id, list(race_names[race_id]).index(name_id)

    for name_id in affected:
        if not postings[name_id]:
            continue
        before = name_id - 1
        while before >= 0 and not postings[before]:
            before -= 1
        if before >= 0 and first_met(before) >= first_met(name_id):
            return False
        after = name_id + 1
        while after < len(postings) and not postings[after]:
            after += 1
        if after < len(postings) and first_met(name_id) >= first_met(after):
            return False
    return True


class TeamsElsewhere:
    """What the identity check of one changed race reads of the library's other races
    (`identities.OtherRaces`): a team's races and its crews on a car number in a series, from
    the index and the few cars that carry that number (`entries` reads cars, each (race, car))."""

    def __init__(
        self,
        index: CatalogueIndex,
        summaries: Sequence[RaceSummary],
        entries: Callable[[Iterable[tuple[int, int]]], list[Entry]],
        race_id: int,
    ) -> None:
        self._index = index
        self._summaries = summaries
        self._entries = entries
        self._race_id = race_id
        self._series: dict[str | None, str | None] = {}

    def _postings(self, key: str) -> dict[int, tuple[int, ...]]:
        name_id = (self._index.name_ids or {}).get((NameKind.TEAM, key))
        return {} if name_id is None else self._index.postings[name_id]

    def races(self, key: str) -> set[int]:
        """The races of an ungrouped team key, but the changed one."""
        return self._postings(key).keys() - {self._race_id}

    def crew(self, key: str, series: str, number: str) -> set[str]:
        """The driver keys of a team key's cars of this number (as written) in races of this
        series (key), but the changed race."""
        number_key = compact(normalise(number))
        crew: set[str] = set()
        postings = self._postings(key)
        # Only the races with a car of this number; there each of the team's cars is read, all
        # in one call (a car or two a race: cheaper than unpacking each race's numbers, 12 ms
        # after a restart).
        races = postings.keys() & set(self._index.number_races.get(number_key, ()))
        cars: list[tuple[int, int]] = []
        for race_id in sorted(races - {self._race_id}):
            if self._series_key(race_id) != series:
                continue
            cars.extend((race_id, entry_id) for entry_id in postings[race_id])
        for car in self._entries(cars):
            if car.number == number and name_key(car.team) == key:
                crew.update(name_key(driver) for driver in car.drivers)
        return crew

    def _series_key(self, race_id: int) -> str | None:
        series = self._summaries[race_id].series
        if series not in self._series:
            self._series[series] = name_key(series) if series else None
        return self._series[series]


def _displays_hold(cars: Sequence[CarNames], names: _Names, race_id: int) -> bool:
    """Whether each name first met in this race is shown as this race first writes it."""
    for name_id, _, raw in _first_written(cars, names):
        first = next(iter(names.postings[name_id]))
        if first == race_id and names.displays[name_id] != " ".join(raw.split()):
            return False
    return True


def build_index(
    summaries: Sequence[RaceSummary],
    cars: Iterable[Sequence[CarNames]],
    aliases: Aliases | None = None,
    identities: Callable[[], Identities] | None = None,
) -> CatalogueIndex:
    """The catalogue's indexes over races (newest first) and each race's cars, each team and
    person one identity however the documents spell it (`bot.core.library.identities`).

    `identities`: what gives `decide`'s identities of these races (`likely=False`) when they
    are decided elsewhere meanwhile (a full build decides them in another process); called
    once every name is gathered. By default they are decided here, first."""
    cars = list(cars)
    if identities is None:
        decided = decide(
            [
                (summary.series, race_cars)
                for summary, race_cars in zip(summaries, cars, strict=True)
            ],
            aliases,
            likely=False,  # `racebot check` lists look-alikes; the library needs only the groups
        )
        identities = lambda: decided  # noqa: E731
    # Each key gathered as its own name, then grouped as the identities say (`_grouped`): the
    # same index as gathering them grouped, and nothing here waits for the identities.
    names = _Names()
    number_keys = _NumberKeys()
    number_races: dict[str, list[int]] = {}
    # Entry ids are kept as shared tuples: most postings are one entry, the same few tuples.
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    singles: list[tuple[int, ...]] = []
    race_names: list[list[int]] = []
    numbers: list[dict[str, tuple[int, ...]]] = []
    postings_of = names.postings.__getitem__
    share = shared.setdefault
    for race_id, race_cars in enumerate(cars):
        while len(singles) < len(race_cars):
            singles.append((len(singles),))
        race_numbers = _numbers_of_race(race_cars, singles, number_keys, shared)
        in_race = _entries_of_race(race_cars, names, singles)
        # Each name's postings get this race, in C (a million names in races at 10,000).
        entries = in_race.values()
        any(map(setitem, map(postings_of, in_race), repeat(race_id), map(share, entries, entries)))
        race_names.append(list(in_race))
        numbers.append(race_numbers)
        for number in race_numbers:
            number_races.setdefault(number, []).append(race_id)
    names = _grouped(names, race_names, identities())
    return _index(summaries, names, race_names, numbers, number_races)


def _grouped(names: _Names, race_names: list[list[int]], identities: Identities) -> _Names:
    """The names gathered with each key its own name (`identities` not yet known), as one
    identity's keys make one name: its id where the first of them is first met, its postings
    theirs together (`race_names` renumbered in place). As gathering them with the identities
    would: ids in the order names are first met, each race's names in order of appearance."""
    if not identities.roots:  # nothing grouped: every key is its own identity
        names.identities = identities
        return names
    grouped = _Names(identities)
    keys: list[tuple[NameKind, str]] = [(NameKind.TEAM, "")] * len(names.kinds)
    for kind_key, name_id in names._by_key.items():
        keys[name_id] = kind_key
    renumbered: list[int] = []
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    for name_id, (kind, key) in enumerate(keys):
        root = identities.root(kind, key)
        found = grouped._by_key.get((kind, root))
        if found is None:
            found = grouped._by_key[(kind, root)] = len(grouped.kinds)
            grouped.kinds.append(names.kinds[name_id])
            display = identities.displays.get((kind, root))
            grouped.displays.append(display or names.displays[name_id])
            grouped.also.append(identities.others.get((kind, root), ()))
            grouped.postings.append(names.postings[name_id])
        else:
            grouped.postings[found] = _merged(
                grouped.postings[found], names.postings[name_id], shared
            )
        renumbered.append(found)
    for race_id, in_race in enumerate(race_names):
        race_names[race_id] = list(dict.fromkeys(map(renumbered.__getitem__, in_race)))
    return grouped


def _merged(
    one: Posting, other: Posting, shared: dict[tuple[int, ...], tuple[int, ...]]
) -> Posting:
    """Two names' postings as one name's: their races in order, the entries of both in each."""
    merged: Posting = {}
    for race_id in sorted(one.keys() | other.keys()):
        first, second = one.get(race_id, ()), other.get(race_id, ())
        entries = tuple(sorted({*first, *second})) if first and second else first or second
        merged[race_id] = shared.setdefault(entries, entries)
    return merged


def _entries_of_race(
    race_cars: Sequence[CarNames], names: _Names, singles: Sequence[tuple[int, ...]]
) -> dict[int, tuple[int, ...]]:
    """`_race_names` for a build: each name's entries as a tuple (a name in one entry is that
    entry's tuple in `singles`). One loop over the cars, nothing made for a car but its
    names' tuples: `build_index` reads 360,000 cars at 10,000 races."""
    teams, drivers, chassis, engines = (names.by_raw[kind] for kind in NameKind)
    in_race: dict[int | None, tuple[int, ...]] = {}
    get = in_race.get
    for (_, team, crew, chassis_name, engine), single in zip(race_cars, singles, strict=False):
        # A car's team, chassis and engine are the first of their kind in it: never repeated
        # in this car; its drivers may be (one written twice, or two spellings of one key).
        name_id = teams[team]  # looked up first: ids are made in the order names are met
        in_race[name_id] = get(name_id, ()) + single
        for name_id in map(drivers.__getitem__, crew):
            before = get(name_id, ())
            if before[-1:] != single:
                in_race[name_id] = before + single
        if chassis_name:  # blank cells name nothing
            name_id = chassis[chassis_name]
            in_race[name_id] = get(name_id, ()) + single
        if engine:
            name_id = engines[engine]
            in_race[name_id] = get(name_id, ()) + single
    in_race.pop(None, None)  # text that names nothing
    return in_race  # type: ignore[return-value]  # None is gone


def _race_names(race_cars: Sequence[CarNames], names: _Names) -> dict[int, list[int]]:
    """A race's names, in order of first appearance, each with the entries that carry it."""
    teams, drivers, chassis, engines = (names.by_raw[kind] for kind in NameKind)
    in_race: dict[int, list[int]] = {}
    for entry_id, (_, team, crew, chassis_name, engine) in enumerate(race_cars):
        found = [teams[team], *map(drivers.__getitem__, crew)]
        if chassis_name:  # blank cells name nothing
            found.append(chassis[chassis_name])
        if engine:
            found.append(engines[engine])
        for name_id in found:
            if name_id is None:
                continue
            entries = in_race.get(name_id)
            if entries is None:
                in_race[name_id] = [entry_id]
            elif entries[-1] != entry_id:
                entries.append(entry_id)
    return in_race


def _index(
    summaries: Sequence[RaceSummary],
    names: _Names,
    race_names: list[list[int]],
    numbers: list[dict[str, tuple[int, ...]]],
    number_races: dict[str, list[int]],
) -> CatalogueIndex:
    """The indexes, with the name and race selector indexes built over what was gathered."""
    race_index = _race_index(summaries)
    return CatalogueIndex(
        kinds=names.kinds,
        displays=names.displays,
        postings=names.postings,
        race_names=race_names,
        numbers=numbers,
        number_races={number: tuple(ids) for number, ids in number_races.items()},
        names=NameIndex(
            NameKeys((display, *also))
            for display, also in zip(names.displays, names.also, strict=True)
        ),
        race_index=race_index,
        race_values=_unique_race_values(summaries, race_index),
        also=names.also,
        identities=names.identities,
        name_ids=names._by_key,
    )


def _race_numbers(
    cars: Sequence[CarNames],
    singles: list[tuple[int, ...]],
    number_keys: dict[str, str],
    shared: dict[tuple[int, ...], tuple[int, ...]],
) -> dict[str, tuple[int, ...]]:
    """A race's car numbers (index keys) and the entries that carry them."""
    found: dict[str, tuple[int, ...]] = {}
    for entry_id, car in enumerate(cars):
        number = number_keys.get(car[0])
        if number is None:
            number = number_keys[car[0]] = compact(normalise(car[0]))
        carried = found.get(number)
        if carried is None:
            found[number] = singles[entry_id]
        else:
            both = carried + singles[entry_id]
            found[number] = shared.setdefault(both, both)
    return found


class _NumberKeys(dict[str, str]):
    """Car numbers as written -> their index keys, each normalised once (looked up in C)."""

    def __missing__(self, number: str) -> str:
        key = self[number] = compact(normalise(number))
        return key


def _numbers_of_race(
    cars: Sequence[CarNames],
    singles: list[tuple[int, ...]],
    number_keys: _NumberKeys,
    shared: dict[tuple[int, ...], tuple[int, ...]],
) -> dict[str, tuple[int, ...]]:
    """`_race_numbers` for a build: when no two cars share a number (most races), made in C."""
    keys = list(map(number_keys.__getitem__, map(_NUMBER, cars)))
    found = dict(zip(keys, singles, strict=False))  # singles: as many as the most cars
    if len(found) == len(keys):
        return found
    return _race_numbers(cars, singles, number_keys, shared)


def _race_index(summaries: Sequence[RaceSummary]) -> NameIndex:
    """The race selector index: titles exactly, plus circuit, place and year.

    Not the series: its words would make a race of any series that shares them ("Le Mans
    2003" is no race of the American Le Mans Series); `/season` is the question of a series.
    """
    return NameIndex(map(_race_keys, summaries))


def _race_keys(race: RaceSummary) -> NameKeys:
    """What the race selector index knows a race by."""
    year = (str(race.date.year),) if race.date else ()
    words = tuple(w for w in (race.circuit, race.location) if w) + year
    aliases = (race.source, PurePath(race.source).stem) + (
        (race.date.isoformat(),) if race.date else ()
    )
    return NameKeys((race.title,), words, aliases)


def _unique_race_values(summaries: Sequence[RaceSummary], race_index: NameIndex) -> list[str]:
    """What selects each race on its own: its title, or its file name when titles repeat."""
    titles = list(race_index.keys)
    sources = [compact(normalise(race.source)) for race in summaries]
    title_counts: dict[str, int] = {}
    source_counts: dict[str, int] = {}
    for title, source in zip(titles, sources, strict=True):
        title_counts[title] = title_counts.get(title, 0) + 1
        source_counts[source] = source_counts.get(source, 0) + 1
    return [
        race.source
        if title_counts[titles[i]] > 1 and source_counts[sources[i]] == 1
        else race.title
        for i, race in enumerate(summaries)
    ]


def _race_values_with(
    values: Sequence[str], summaries: Sequence[RaceSummary], place: int, race_index: NameIndex
) -> list[str]:
    """`_unique_race_values` with a race inserted at `place` (the index holds it): only the
    races of its title or its file name can change."""
    titles = race_index.keys

    def source(race_id: int) -> str:
        return compact(normalise(summaries[race_id].source))

    def of_title(title: str) -> list[int]:
        return [race_id for race_id in race_index.exactly(title) if titles[race_id] == title]

    def of_source(key: str) -> list[int]:
        return [race_id for race_id in race_index.exactly(key) if source(race_id) == key]

    title, key = titles[place], source(place)
    affected = {*of_title(title), *of_source(key), place}
    if not all(titles[race_id] and source(race_id) for race_id in affected):
        return _unique_race_values(summaries, race_index)  # a blank key is no exact text
    values = [*values[:place], "", *values[place:]]
    for race_id in affected:
        race = summaries[race_id]
        repeated = len(of_title(titles[race_id])) > 1 and len(of_source(source(race_id))) == 1
        values[race_id] = race.source if repeated else race.title
    return values


class Catalogue:
    """The loaded races and their indexes: names, car numbers, classes and race selectors."""

    def __init__(self, library: RaceLibrary, index: CatalogueIndex | None = None) -> None:
        self.library = library
        self.races: Sequence[Race] = library.races
        """Every race, newest first (a large library makes each when first read)."""
        self.summaries: Sequence[RaceSummary] = library.summaries
        if index is None:
            index = build_index(
                library.summaries, ([car_names(e) for e in r.entries] for r in self.races)
            )
        self.kinds = index.kinds
        self.displays = index.displays
        self.postings = index.postings
        self.race_names = index.race_names
        self.numbers = index.numbers
        self.number_races = index.number_races
        self.names = index.names
        self.race_index = index.race_index
        self.race_values = index.race_values
        self.also = index.also
        self.identities = index.identities
        self.gone = index.gone
        """Names a patch left in no race (ids kept, no races): never listed."""
        # In C: every library made (a new race's too) lists them over its 37,000 names.
        kinds = self.kinds
        self.drivers = list(compress(range(len(kinds)), map(is_, kinds, repeat(NameKind.DRIVER))))
        if self.gone:
            self.drivers = [i for i in self.drivers if i not in self.gone]
        # Which names a search may return, as sets so that filtering happens in C; made for a
        # race when first asked (most questions look at a few races), kept once made.
        self.race_sets = Unpacking(self.race_names, frozenset[int], KEPT_RACES)
        self._of_kinds: dict[frozenset[NameKind], frozenset[int]] = {}
        self._class_keys: dict[str, str] = {}  # class name -> its key, across races
        self._class_races: dict[str, list[tuple[int, str]]] | None = None

    def of_kinds(self, kinds: frozenset[NameKind]) -> frozenset[int]:
        """Ids of every name of these kinds (computed once per set of kinds)."""
        found = self._of_kinds.get(kinds)
        if found is None:
            found = frozenset(i for i, kind in enumerate(self.kinds) if kind in kinds)
            self._of_kinds[kinds] = found
        return found

    def wanted(self, kinds: frozenset[NameKind], scope: tuple[int, ...] | None) -> frozenset[int]:
        """Ids of names of these kinds that appear in any race of the scope (None: all races)."""
        of_kind = self.of_kinds(kinds)
        if scope is None:
            return of_kind
        in_scope = frozenset().union(*(self.race_sets[race_id] for race_id in scope))
        return in_scope if len(of_kind) == len(self.kinds) else in_scope & of_kind

    def class_named(self, race_id: int, text: str) -> str | None:
        """The class of the race whose name this normalised text spells ("lmp 900"), if any."""
        wanted = compact(text)
        for name in self.summaries[race_id].classes:
            key = self._class_keys.get(name)
            if key is None:
                key = self._class_keys[name] = compact(normalise(name))
            if key == wanted:
                return name
        return None

    def others(self, name_id: int) -> tuple[str, ...]:
        """A name's other spellings, when the documents write it several ways (else none)."""
        return self.also[name_id] if name_id < len(self.also) else ()

    def grouped(self, name_ids: Iterable[int]) -> tuple[str, ...]:
        """Said with an answer that groups names: "Champion Racing, also entered as ADT
        Champion Racing" ("also written as" for a person)."""
        notes = []
        for name_id in dict.fromkeys(name_ids):
            if others := self.others(name_id):
                verb = "written" if self.kinds[name_id] is NameKind.DRIVER else "entered"
                notes.append(f"{self.displays[name_id]}, also {verb} as {' and '.join(others)}")
        return tuple(notes)

    def entry(self, race_id: int, entry_id: int) -> Entry:
        """One car of one race (a stored race is not made for it)."""
        return self.library.entry(race_id, entry_id)

    def class_races(self, text: str) -> list[tuple[int, str]]:
        """The races (newest first) that ran the class this normalised text spells, each with
        the class as it wrote it (every race's classes indexed when first asked)."""
        if self._class_races is None:
            index: dict[str, list[tuple[int, str]]] = {}
            for race_id, summary in enumerate(self.summaries):
                for name in summary.classes:
                    key = self._class_keys.get(name)
                    if key is None:
                        key = self._class_keys[name] = compact(normalise(name))
                    index.setdefault(key, []).append((race_id, name))
            self._class_races = index
        return self._class_races.get(compact(text), [])

    def look_alike_numbers(self, key: str) -> list[str]:
        """Car number keys that are this one written with other leading zeros ("7": "007",
        "07"), never the number itself: a number is matched only as written."""
        if not key or not key[:1].isdigit():
            return []
        bare = key.lstrip("0") or "0"
        return sorted(k for k in self.number_races if k != key and (k.lstrip("0") or "0") == bare)

    def races_with_number(self, key: str) -> tuple[int, ...]:
        """The races (newest first) with a car of this number key."""
        return self.number_races.get(key, ())

    def first(self, name_id: int, race_id: int) -> int:
        """The first entry a name appears in, in a race it appears in."""
        return self.postings[name_id][race_id][0]

    def newest(self, name_id: int, scope: tuple[int, ...] | None) -> tuple[int, tuple[int, ...]]:
        """The newest race in scope a name appears in (else its newest), and its entries there."""
        for race_id, entry_ids in self.postings[name_id].items():
            if scope is None or race_id in scope:
                return race_id, entry_ids
        race_id = next(iter(self.postings[name_id]))
        return race_id, self.postings[name_id][race_id]
