"""The library built from the store's documents: summaries and names from each document's view,
each race made from its record only when a question reads it."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import itertools
import logging
import marshal
import os
import pickle
import select
import signal
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import pydantic

from bot.core.asking.query import QueryService
from bot.core.collector import collector_paused, keep_out_of_collections
from bot.core.cores import usable_cores
from bot.core.documents import records
from bot.core.documents.model import CarNames, RaceSummary, car_names
from bot.core.documents.names import crew_facts, cuts_by_known_names
from bot.core.library.catalogue import (
    CatalogueIndex,
    TeamsElsewhere,
    build_index,
    insert_race,
    patch_index,
    remove_race,
    settle,
)
from bot.core.library.identities import (
    Aliases,
    Identities,
    RaceCars,
    TeamWords,
    change_keeps_identities,
    decide,
    team_splits,
)
from bot.core.library.packed import PackedList
from bot.core.library.races import RaceLibrary, RaceShelf, library_order
from bot.core.matching import NameIndex
from bot.store import Snapshot, StoredDocument

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class BuiltLibrary:
    """A query service over stored documents, and which document each race came from."""

    service: QueryService
    race_keys: tuple[str, ...]
    """Each race's identity, in the library's order (newest first)."""
    damaged: tuple[str, ...] = ()
    """Documents whose stored parse could not be read (parsed again by the caller)."""
    positions: dict[str, int] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    """Each race's place in the library's order, by its identity (made from `race_keys`)."""

    @property
    def races(self) -> int:
        """How many races the library holds."""
        return len(self.race_keys)

    def position(self, race_key: str) -> int | None:
        """Where a race is in the library's order, or None when it is not there."""
        return self.positions.get(race_key)

    def __post_init__(self) -> None:
        if not self.positions:  # given when unchanged (a patch): made once per full build
            positions = {key: index for index, key in enumerate(self.race_keys)}
            object.__setattr__(self, "positions", positions)


class CrewCuts:
    """Crews written without separators, cut with the names other documents write alone, kept
    between builds: a change that adds no such name costs only its own long cells.

    A cell's cut can change only by a known name whose first two words stand together in it
    (`names.cuts_by_known_names` looks up only names made of a cell's words), so names added or
    gone make only the cells holding their openings be cut again. The cuts of every cell met are
    kept (cells of documents since changed too), so those that change are all found."""

    def __init__(self) -> None:
        self._known: frozenset[str] = frozenset()
        self._cuts: dict[str, tuple[str, ...] | None] = {}
        self._kept: list[bytes | memoryview] = []
        """Cuts read from a snapshot, kept compressed and read only when a build needs them (a
        patch does not: it cuts its own race's cells)."""
        self._shared = False
        """Whether a snapshot being written holds `_cuts`: it is copied before it changes."""
        self._coming: (
            tuple[frozenset[str], set[str], Callable[[], Mapping[str, tuple[str, ...]]]] | None
        ) = None
        """Cells being cut elsewhere with some known names, and what waits for their changes
        (`cut_elsewhere`)."""

    def state(self) -> Callable[[], tuple[frozenset[str], list[bytes | memoryview]]]:
        """What gives the known names and the cuts made with them, pickled in parts (for a
        snapshot; call it off the event loop). Taken now: later changes do not reach it (the
        cuts are copied when they next change, in a build's thread, not here on the loop:
        300,000 of them cost 50 ms)."""
        known, kept, cuts = self._known, list(self._kept), self._cuts
        self._shared = True

        def pickled() -> tuple[frozenset[str], list[bytes | memoryview]]:
            items = list(cuts.items())  # (in the order the cells were met)
            chunks = [zlib.compress(marshal.dumps(chunk), 1) for chunk in _chunks(items)]
            return known, kept + chunks  # as `_take_kept` reads them: the later ones win

        return pickled

    def _own(self) -> dict[str, tuple[str, ...] | None]:
        """The cuts, to change (copied first if a snapshot holds them)."""
        if self._shared:
            self._cuts, self._shared = dict(self._cuts), False
        return self._cuts

    @classmethod
    def from_state(cls, known: frozenset[str], kept: list[bytes | memoryview]) -> CrewCuts:
        """The cuts `state` gave (unpickled when first needed)."""
        cuts = cls()
        cuts._known, cuts._kept = known, kept
        return cuts

    def _take_kept(self) -> None:
        if self._kept:
            kept, self._kept = self._kept, []
            made = self._cuts
            cuts = {
                cell: cut for chunk in kept for cell, cut in marshal.loads(zlib.decompress(chunk))
            }
            cuts.update(made)
            self._cuts, self._shared = cuts, False

    def cut_elsewhere(
        self,
        known: frozenset[str],
        cells: set[str],
        cuts: Callable[[], Mapping[str, tuple[str, ...]]],
    ) -> None:
        """Cells being cut with `known` elsewhere (a first start's parse workers, while the
        store is filled): the next `changes` with these known names takes their cuts from
        `cuts` (their changes, as `cuts_by_known_names` gives them) rather than cutting them."""
        self._coming = (known, cells, cuts)

    def changes(
        self, known: frozenset[str], long: set[str], *, few: bool = False
    ) -> dict[str, tuple[str, ...]]:
        """Each long cell that the known names cut differently from its own document (`few`:
        one race's cells, cut afresh rather than unpickling the cuts a snapshot kept)."""
        if not few:
            self._take_kept()
        if known != self._known:
            self.rekey(known)
        coming, self._coming = self._coming, None
        if not self._cuts and coming is not None and coming[0] == known and long <= coming[1]:
            whole = self._take_whole(long, coming[1], coming[2])
            if whole is not None:
                return whole
            coming = None  # they failed: cut here
        missing = sorted(long.difference(self._cuts))
        if coming is not None and coming[0] == known and missing:
            missing = self._take_coming(missing, coming[1], coming[2])
        if missing:
            found = cuts_by_known_names(missing, known)
            self._own().update((cell, found.get(cell)) for cell in missing)
        return {cell: cut for cell in long if (cut := self._cuts[cell]) is not None}

    def _take_whole(
        self, long: set[str], cells: set[str], cuts: Callable[[], Mapping[str, tuple[str, ...]]]
    ) -> dict[str, tuple[str, ...]] | None:
        """`changes` when every cell was cut elsewhere and none here yet (a first start): the
        cuts taken in whole, in C, rather than cell by cell in a sorted order (0.6 s of one
        core at 10,000 races, the other idle); None when they cannot be taken."""
        try:
            found = cuts()
        except Exception as exc:  # (a worker gone): cut here instead
            log.warning("cutting crews in this process (the parse workers failed: %s)", exc)
            return None
        if not found.keys() <= cells:
            log.warning("cutting crews in this process (the parse workers cut other cells)")
            return None
        changed = {cell: cut for cell, cut in found.items() if cell in long}
        self._cuts = dict.fromkeys(long)
        self._cuts.update(changed)
        self._shared = False
        return changed

    def _take_coming(
        self, missing: list[str], cells: set[str], cuts: Callable[[], Mapping[str, tuple[str, ...]]]
    ) -> list[str]:
        """The cuts of the missing cells cut elsewhere taken in (in `missing`'s order, as
        cutting them here would); the cells still missing."""
        try:
            found = cuts()
        except Exception as exc:  # (a worker gone): cut here instead
            log.warning("cutting crews in this process (the parse workers failed: %s)", exc)
            return missing
        if not found.keys() <= cells:
            log.warning("cutting crews in this process (the parse workers cut other cells)")
            return missing
        self._own().update((cell, found.get(cell)) for cell in missing if cell in cells)
        return [cell for cell in missing if cell not in cells]

    def rekey(self, known: frozenset[str]) -> set[str]:
        """Cut with the `known` names from now on: the cells holding the opening of a name added
        or gone are cut again (no other cell's cut can change). The cells whose cut changed."""
        openings = [name.split(" ", 2)[:2] for name in known ^ self._known]
        # The cuts a snapshot kept are read only when a chunk holds both words of an opening (a
        # chunk writes each of its strings whole at least once): most names are in no cell.
        words = [[word.encode() for word in opening] for opening in openings]
        if any(_holds_words(chunk, words) for chunk in self._kept):
            self._take_kept()
        joined = {" ".join(opening) for opening in openings}
        cells = [
            cell
            for cell in self._cuts
            if any(first in cell and second in cell for first, second in openings)
            and _holds_any(cell.split(), joined)
        ]
        found = cuts_by_known_names(cells, known)
        changed = {cell for cell in cells if found.get(cell) != self._cuts[cell]}
        if cells:
            self._own().update((cell, found.get(cell)) for cell in cells)
        self._known = known
        return changed

    @property
    def known(self) -> frozenset[str]:
        """The names the cells are cut with."""
        return self._known


def _holds_words(chunk: bytes | memoryview, openings: list[list[bytes]]) -> bool:
    """Whether a compressed chunk of cuts holds both words of any opening somewhere."""
    if not openings:
        return False
    data = zlib.decompress(chunk)
    return any(all(word in data for word in opening) for opening in openings)


def _holds_any(words: list[str], openings: set[str]) -> bool:
    """Whether two words standing together in `words` are one of `openings`."""
    return any(f"{first} {second}" in openings for first, second in itertools.pairwise(words))


@dataclasses.dataclass(slots=True)
class _Built:
    """The last library built, as the next change may patch it."""

    positions: dict[str, int]
    race_keys: tuple[str, ...]
    shapes: list[bytes]
    """Each race's cars and the names it writes alone, as its own document writes them
    (`_shape`): a change that keeps the names written alone may be patched in."""
    summaries: list[RaceSummary]
    stored: list[records.Stored]
    index: CatalogueIndex
    known: frozenset[str]
    shelf: RaceShelf
    writers: Mapping[str, int]
    """How many races write each of the `known` names alone."""
    teams: Mapping[str, tuple[tuple[str, ...], ...]]
    """Each team key's words as its spellings split them (`identities.team_splits`)."""
    team_words: TeamWords
    """`teams` indexed for the identity check of a change (made with the library, not in the
    middle of the first change; a change's names only added to it)."""


class LibraryParts:
    """What the library is built from, kept between builds: the crews cut across documents,
    and the last library built; a change reads only the documents it touched.

    A change that leaves every race where it was in the order and the names it writes alone
    as they were is patched into the last library built: its race's record, summary and
    postings replaced, the rest shared (`catalogue.patch_index`). A result corrected keeps its
    cars; a team renamed, a driver changed or a car added in one race is patched in too when
    `identities.change_keeps_identities` is sure every identity stays as it was. A new race
    (alone) is inserted in its place (`_inserted`, `catalogue.insert_race`): the races after it
    move one along, checked as a change from no cars (several, one after another, then any
    changed race). A race whose document is gone is taken out (`_removed`,
    `catalogue.remove_race`): the races after it move one up, checked as a change to no cars.
    Anything else (a race moving, or more than one race changing its cars at once) builds the
    library afresh from every document
    (`needs_all`: the caller reads them all; they are not kept decoded between builds, which
    would cost more memory than the library itself). A start whose documents did not change
    reads the last library built back from its snapshot (`restore`)."""

    def __init__(self) -> None:
        self._documents: dict[str, tuple[records.View, StoredDocument]] = {}
        """The documents given since the last build: every one, or those changes touched."""
        self._whole = False
        """Whether `_documents` holds every document (a full build may be made)."""
        self._cuts = CrewCuts()
        self.damaged: list[str] = []
        self._aliases: Aliases | None = None
        self._built: _Built | None = None
        self._touched: set[str] | None = set()
        """Races changed or removed since the last build (None: build afresh)."""
        self.afresh = False
        """Whether the last build was made afresh (not patched, not restored)."""
        self._settle = False
        """Set by `restore`: the build after it (its catch-up, at start) settles the moves
        it leaves (`catalogue.settle`), which a live change leaves to the questions. A start
        with nothing to take in leaves it set: the first change then settles, once."""

    def replace_all(
        self,
        documents: Sequence[StoredDocument],
        decoded: Mapping[str, tuple[bytes, records.View]] | None = None,
    ) -> None:
        """Every document afresh (a start, or a reload after a damaged view); `decoded`: views
        decoded already, by race, with the bytes they were decoded from (used where a
        document's view is still those bytes)."""
        self._documents.clear()
        self.damaged.clear()
        # 10,000 views make millions of objects, no cycle among them, that live until the build.
        with collector_paused(keep=True):
            self.update(documents, (), decoded)
        self._touched = None
        self._whole = True

    def update(
        self,
        documents: Sequence[StoredDocument],
        removed: Sequence[str],
        decoded: Mapping[str, tuple[bytes, records.View]] | None = None,
    ) -> None:
        """Documents added or changed, and the races whose documents are gone."""
        if self._touched is not None:  # a race removed is touched with no document (`_removed`)
            self._touched.update(document.race_key for document in documents)
            self._touched.update(removed)
        for race_key in removed:
            self._documents.pop(race_key, None)
        for document in documents:
            known = decoded.get(document.race_key) if decoded else None
            if known is not None and known[0] == document.view:
                self._documents[document.race_key] = (known[1], document)
                continue
            try:
                self._documents[document.race_key] = (records.read_view(document.view), document)
            except ValueError:
                self._documents.pop(document.race_key, None)
                self.damaged.append(document.race_key)

    def cut_elsewhere(
        self,
        known: frozenset[str],
        cells: set[str],
        cuts: Callable[[], Mapping[str, tuple[str, ...]]],
    ) -> None:
        """Long cells being cut with `known` elsewhere, for the next build (`CrewCuts`)."""
        self._cuts.cut_elsewhere(known, cells, cuts)

    @property
    def aliases(self) -> Aliases | None:
        """What the aliases file kept in the store says (`bot.core.library.identities`)."""
        return self._aliases

    @aliases.setter
    def aliases(self, aliases: Aliases | None) -> None:
        if aliases != self._aliases:
            self._touched = None  # other identities: every race is built afresh
        self._aliases = aliases

    @property
    def needs_all(self) -> bool:
        """Whether the next build must be made afresh and lacks documents to make it from."""
        return not self._whole and (self._touched is None or self._built is None)

    def build(self) -> BuiltLibrary | None:
        """The library of the documents held (CPU-bound: run it off the event loop); None when
        it must be built afresh and not every document is held (`replace_all` them, again)."""
        touched = self._touched
        settle_now, self._settle = self._settle, False
        if touched is not None and self._built is not None and not self.damaged:
            with collector_paused():
                patched = self._patched(self._built, touched)
                if patched is not None and settle_now:  # a restore's catch-up (lat): see above
                    settle(self._built.index, _UNPACKED_FROM)
                # What the patch made (and the postings it unpacked) lives with the library:
                # left out of collections like the rest of it (else the first collection after
                # it goes over them all, 20 ms in the middle of the change).
                keep_out_of_collections()
            if patched is not None:
                self._touched, self.afresh = set(), False
                self._documents.clear()
                return patched
        if not self._whole:
            self._touched = None
            return None
        self._touched, self.afresh = set(), True
        return self._build()

    def _patched(self, built: _Built, touched: set[str]) -> BuiltLibrary | None:
        """The last library with the touched races patched in, or None when a race would move,
        the names it writes alone changed (other documents' crews could be cut differently), or
        its cars changed in a way that could change an identity."""
        # A race added and taken out again since that library: nothing of it to patch.
        touched = {
            key
            for key in touched
            if key in built.positions or key in self._documents or key in self.damaged
        }
        gone = [key for key in touched if key in built.positions and key not in self._documents]
        for race_key in gone:  # each taken out (the races after it move one up)
            removed = self._removed(built, race_key)
            if removed is None:
                return None
            made, built = removed
        if gone and len(gone) == len(touched):
            self._built = built
            return made
        touched = touched.difference(gone)
        new = sorted(race_key for race_key in touched if race_key not in built.positions)
        for race_key in new:  # each inserted into the library with those before it
            if race_key not in self._documents:
                return None
            inserted = self._inserted(built, race_key)
            if inserted is None:
                return None
            made, built = inserted
        if new and len(new) == len(touched):
            self._built = built
            return made
        touched = touched.difference(new)
        places = []
        for race_key in touched:
            place = built.positions.get(race_key)
            if place is None or race_key not in self._documents:
                return None
            view, document = self._documents[race_key]
            if library_order(view.summary) != library_order(built.summaries[place]):
                return None
            places.append((place, view, document, _shape(view)))
        reshaped = sum(shape != built.shapes[place] for place, _, _, shape in places)
        if reshaped and len(places) > 1:
            return None  # each race's identities are checked against the library as it was
        known, writers = built.known, built.writers
        for place, view, _, shape in places:
            if shape[records.SHAPE_CARS :] != built.shapes[place][records.SHAPE_CARS :]:
                try:
                    _, crews = records.decode(built.stored[place], records.Interner())
                except ValueError:
                    return None  # its record is damaged: every document is read again
                counted = _with_writers(writers, crew_facts(crews)[0], view.known)
                if counted is None:
                    return None  # the counts do not hold what the race wrote: build afresh
                writers, known = counted, frozenset(counted)
                if self._cuts.known != built.known:
                    return None  # cut with other names since (a patch refused): build afresh
                if known != built.known and self._cuts.rekey(known):
                    return None  # a crew would be cut differently, maybe another document's
        index, summaries, stored = built.index, list(built.summaries), list(built.stored)
        shapes, teams = built.shapes, built.teams
        interner = records.Interner()
        for place, view, document, shape in sorted(places, key=lambda found: found[0]):
            cut_by_names = self._cuts.changes(known, set(view.long), few=True)
            record, cars = _cut(view, document, cut_by_names)
            before = summaries[place]
            if shape != built.shapes[place]:
                if not self._keeps_identities(built, place, view.summary, cars):
                    return None
                shapes = list(shapes)
                shapes[place] = shape
                teams = _with_teams(teams, (car[1] for car in cars))
            summaries[place] = view.summary
            patched = patch_index(index, summaries, place, before, interner.cars(cars))
            if patched is None:
                return None
            index, stored[place] = patched, record
        shelf = RaceShelf(stored)
        shelf.keep_from(built.shelf, (place for place, _, _, _ in places))
        self._built = dataclasses.replace(
            built,
            shapes=shapes,
            summaries=summaries,
            stored=stored,
            index=index,
            shelf=shelf,
            teams=teams,
            known=known,
            writers=writers,
        )
        library = RaceLibrary.shelved(summaries, shelf)
        service = QueryService(library, index)
        return BuiltLibrary(service, built.race_keys, tuple(self.damaged), built.positions)

    def _inserted(self, built: _Built, race_key: str) -> tuple[BuiltLibrary, _Built] | None:
        """The library `built` with a new race inserted in its place in the order (the races
        after it move one along), and what it was made of; None when it cannot be (as
        `_patched`)."""
        view, document = self._documents[race_key]
        order = library_order(view.summary)
        summaries = built.summaries
        low, high = 0, len(summaries)
        while low < high:  # newest first: the first race older than the new one
            middle = (low + high) // 2
            if library_order(summaries[middle]) > order:
                low = middle + 1
            else:
                high = middle
        place = low
        if place < len(summaries) and library_order(summaries[place]) == order:
            return None  # races sorting alike keep the order documents are read in
        counted = _with_writers(built.writers, (), view.known)
        assert counted is not None  # nothing is taken away
        writers, known = counted, frozenset(counted)
        if self._cuts.known != built.known:
            return None  # cut with other names since (a patch refused): build afresh
        if known != built.known and self._cuts.rekey(known):
            return None  # a crew would be cut differently, maybe another document's
        cut_by_names = self._cuts.changes(known, set(view.long), few=True)
        record, cars = _cut(view, document, cut_by_names)
        elsewhere = TeamsElsewhere(built.index, summaries, built.shelf.entries, _NEW_RACE)
        try:
            if not change_keeps_identities(
                built.index.identities,
                self.aliases,
                (_NEW_RACE, view.summary.series),
                [],
                cars,
                built.team_words,
                elsewhere,
            ):
                return None
        except ValueError:  # a stored record that cannot be read: not decided here
            return None
        summaries = [*summaries[:place], view.summary, *summaries[place:]]
        interner = records.Interner()
        index = insert_race(built.index, summaries, place, interner.cars(cars))
        if index is None:
            return None
        stored = [*built.stored[:place], record, *built.stored[place:]]
        shapes = [*built.shapes[:place], _shape(view), *built.shapes[place:]]
        keys = (*built.race_keys[:place], race_key, *built.race_keys[place:])
        shelf = RaceShelf(stored)
        shelf.keep_from(built.shelf, (), added=place)
        return self._reordered(
            built,
            keys,
            summaries=summaries,
            stored=stored,
            shapes=shapes,
            index=index,
            shelf=shelf,
            teams=_with_teams(built.teams, (car[1] for car in cars)),
            known=known,
            writers=writers,
        )

    def _removed(self, built: _Built, race_key: str) -> tuple[BuiltLibrary, _Built] | None:
        """The library `built` with a race taken out (its document is gone; the races after it
        move one up), and what it was made of; None when it cannot be (as `_patched`): the
        names it alone wrote alone would cut a crew differently, or an identity could change
        (checked as a change to no cars)."""
        place = built.positions[race_key]
        try:
            _, crews = records.decode(built.stored[place], records.Interner())
        except ValueError:
            return None  # its record is damaged: every document is read again
        counted = _with_writers(built.writers, crew_facts(crews)[0], ())
        if counted is None:
            return None  # the counts do not hold what the race wrote: build afresh
        writers, known = counted, frozenset(counted)
        if self._cuts.known != built.known:
            return None  # cut with other names since (a patch refused): build afresh
        if known != built.known and self._cuts.rekey(known):
            return None  # a crew would be cut differently, maybe another document's
        removed = built.summaries[place]
        if not self._keeps_identities(built, place, removed, []):
            return None
        summaries = [*built.summaries[:place], *built.summaries[place + 1 :]]
        try:
            index = remove_race(built.index, summaries, place, removed, built.shelf.entries)
        except ValueError:  # a stored record that cannot be read: not decided here
            return None
        if index is None:
            return None
        stored = [*built.stored[:place], *built.stored[place + 1 :]]
        shapes = [*built.shapes[:place], *built.shapes[place + 1 :]]
        keys = (*built.race_keys[:place], *built.race_keys[place + 1 :])
        shelf = RaceShelf(stored)
        shelf.keep_from(built.shelf, (), removed=place)
        # The team words keep its spellings: a name left in no race is checked more, not less.
        return self._reordered(
            built,
            keys,
            summaries=summaries,
            stored=stored,
            shapes=shapes,
            index=index,
            shelf=shelf,
            known=known,
            writers=writers,
        )

    def _reordered(
        self, built: _Built, keys: tuple[str, ...], **changed: Any
    ) -> tuple[BuiltLibrary, _Built]:
        """The library of `built` with a race inserted or taken out (`keys` in the new order,
        `changed` the parts that follow), and what it is made of."""
        positions = dict(zip(keys, range(len(keys)), strict=True))  # shared, as a patch's are
        made = dataclasses.replace(built, positions=positions, race_keys=keys, **changed)
        library = RaceLibrary.shelved(made.summaries, made.shelf)
        service = QueryService(library, made.index)
        return BuiltLibrary(service, keys, tuple(self.damaged), positions), made

    def _keeps_identities(
        self, built: _Built, place: int, summary: RaceSummary, cars: list[CarNames]
    ) -> bool:
        """Whether a race's new cars leave every identity of the last library as it was."""
        before = built.summaries[place]
        if summary.series != before.series:
            return False  # the series is what ties a race's entries to others'
        elsewhere = TeamsElsewhere(built.index, built.summaries, built.shelf.entries, place)
        try:
            written = [car_names(entry) for entry in built.shelf[place].entries]
            return change_keeps_identities(
                built.index.identities,
                self.aliases,
                (place, summary.series),
                written,
                cars,
                built.team_words,
                elsewhere,
            )
        except ValueError:  # a stored record that cannot be read: not decided here
            return False

    def _build(self) -> BuiltLibrary:
        """The library of the documents held, built afresh."""
        with collector_paused(keep=True):
            views = sorted(
                self._documents.values(),
                key=lambda pair: library_order(pair[0].summary),
                reverse=True,
            )
            self._documents.clear()  # not kept decoded: the next full build reads them again
            self._whole = False
            known = frozenset().union(*(view.known for view, _ in views))
            long = set[str]().union(*(view.long for view, _ in views))
            cut_by_names = self._cuts.changes(known, long)
            stored: list[records.Stored] = []
            cars: list[list[CarNames]] = []
            for view, document in views:
                record, race_cars = _cut(view, document, cut_by_names)
                stored.append(record)
                cars.append(race_cars)
            summaries = [view.summary for view, _ in views]
            shelf = RaceShelf(stored)
            library = RaceLibrary.shelved(summaries, shelf)
            # The identities are decided in another process meanwhile (on the other core: a
            # second at 10,000 races), the names gathered here. The views' cars as they are:
            # sharing their strings (`records.Interner`, 0.38 s) makes the passes over them
            # faster by about as much, most of it in the identities, decided elsewhere now.
            races = [
                (summary.series, race_cars)
                for summary, race_cars in zip(summaries, cars, strict=True)
            ]
            with _Deciding(races, self.aliases) as deciding:
                index = build_index(summaries, cars, self.aliases, deciding.identities)
            service = QueryService(library, index)
            # Made by the parse workers on a first start (`records.View.shape`).
            shapes = [view.shape or _shape(view) for view, _ in views]
            teams = team_splits(car[1] for race_cars in cars for car in race_cars)
            writers = Counter(itertools.chain.from_iterable(view.known for view, _ in views))
            keys = tuple(document.race_key for _, document in views)
            del views, cars  # freed now, not kept
        built = BuiltLibrary(service, keys, tuple(self.damaged))
        self._built = _Built(
            dict(built.positions),
            keys,
            shapes,
            summaries,
            stored,
            index,
            known,
            shelf,
            dict(writers),
            teams,
            TeamWords(teams),  # (not in the middle of the first change)
        )
        return built

    def snapshot(self) -> Callable[[], bytes] | None:
        """What writes the last library built as a snapshot's bytes (call it off the event
        loop: it pickles in small parts, so the loop is never held for long); None when there
        is none to write. Taken now: later builds do not change what it writes."""
        built = self._built
        if built is None or self.damaged:
            return None
        cut_state = self._cuts.state()

        def write() -> bytes:
            known, cuts = cut_state()
            index = built.index
            bare = dataclasses.replace(
                index,
                postings=(),
                race_names=(),
                numbers=(),
                number_races={},
                race_values=list(index.race_values),  # made when first read, if inserted
                names=_NO_NAMES,
                race_index=_NO_NAMES,
            )
            meta = (
                SNAPSHOT_FORMAT,
                built.race_keys,
                known,
                built.shapes,
                bare,
                built.writers,
                built.teams,
            )
            sections: list[tuple[str, bytes | memoryview]] = [("meta", _dumps(meta))]
            sections += [("summaries", _dumps(chunk)) for chunk in _chunks(built.summaries)]
            # The records one after another, read back in place.
            stored_ends = list(itertools.accumulate(map(len, built.stored)))
            sections += [("stored", b"".join(built.stored))]
            sections += [("stored ends", marshal.dumps(stored_ends))]
            # Plain data as marshal's: it loads several times faster than pickle, and keeps a
            # race's or a name's id one shared object (pickle makes every int anew).
            sections.append(("number_races", marshal.dumps(dict(index.number_races))))
            sections.append(("names", marshal.dumps(index.names.state())))
            sections.append(("race_index", marshal.dumps(index.race_index.state())))
            # Each name's postings, each race's names and numbers packed one by one: unpacked
            # when a question first reads them.
            for name in _PACKED:
                packed, ends = PackedList.pack(getattr(index, name))
                sections += [(name, packed), (f"{name} ends", marshal.dumps(ends))]
            sections += [("cuts", chunk) for chunk in cuts]
            header = marshal.dumps([(name, len(body)) for name, body in sections])
            body = b"".join(
                [
                    len(header).to_bytes(8, "little"),
                    header,
                    _checksum(header),
                    *(body for _, body in sections),
                ]
            )
            return _checksum(body) + body

        return write

    def restore(self, data: bytes) -> BuiltLibrary:
        """The library a snapshot's bytes hold, kept as the last built (CPU-bound: run it off
        the event loop); `ValueError` when they are damaged or not a snapshot of this code."""
        try:
            with collector_paused(keep=True):
                built, cuts = _restored(data)
        except Exception as exc:  # a damaged snapshot may fail in any way: it is only ignored
            raise ValueError(f"not a library snapshot ({type(exc).__name__}: {exc})") from exc
        self._documents.clear()
        self.damaged.clear()
        self._built, self._cuts = built, cuts
        self._touched, self._whole, self.afresh = set(), False, False
        self._settle = True
        library = RaceLibrary.shelved(built.summaries, built.shelf)
        return BuiltLibrary(QueryService(library, built.index), built.race_keys)


_NEW_RACE: Final = -1
"""The id a new race is checked by (`_inserted`): no race of the library has it."""
SNAPSHOT_FORMAT: Final = 2
"""Bumped whenever what a snapshot holds changes (`_Built`, the crew cuts, their layout). The
version also hashes the code that builds a library (`_BUILDING_CODE`), so new code never reads
an older build; this number is for a change the hashes cannot see."""
_DIGEST: Final = 4
_UNPACKED_FROM: Final = 32 * 1024
"""Postings packed in this many bytes or more are unpacked at a restore (thousands of races)."""
_PACKED: Final = ("postings", "race_names", "numbers")
"""The index's lists kept packed item by item (`PackedList`)."""
_NO_NAMES: Final = NameIndex(())
"""What stands for a name index in the pickled part of a snapshot (it is kept as plain data)."""
_CHUNK: Final = 2000
"""Items pickled at once: each `pickle.dumps` holds the interpreter until it returns, and a
snapshot is written while questions are answered."""


_CORE: Final = Path(records.__file__).resolve().parents[1]
_BUILDING_CODE: Final = (
    Path(__file__).resolve(),
    *sorted((_CORE / "documents").glob("*.py")),
    *sorted((_CORE / "library").glob("*.py")),
    *sorted(_CORE.glob("*.py")),
)
"""Every module a built library depends on: this file, reading documents, the library's parts
(identities decide which names are one team; the catalogue indexes them) and the core's shared
modules (matching builds the name index). The questions only read a library, so they are not
here: a change to a question keeps the snapshot."""


def _version() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for path in _BUILDING_CODE:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    python = ".".join(map(str, sys.version_info[:2]))
    return f"{SNAPSHOT_FORMAT}:{digest.hexdigest()}:{python}:{pydantic.VERSION}"


_VERSION: Final = _version()
"""Read when this module is imported, from the code then loaded: files replaced on disk by a
deploy while an older process runs must not make it tag its snapshots as the new code's."""


def snapshot_version() -> str:
    """What a snapshot must have been written by to be read: this format, the code that builds
    a library, this Python and pydantic (whose objects it pickles)."""
    return _VERSION


def aliases_digest(text: str) -> str:
    """The aliases file a library was built with, as a snapshot is tagged with it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def snapshot_of(revision: int, aliases: str, data: bytes) -> Snapshot:
    """A snapshot's row: the library built at `revision` with the aliases file `aliases`."""
    return Snapshot(revision, snapshot_version(), aliases_digest(aliases), data)


def _restored(data: bytes) -> tuple[_Built, CrewCuts]:
    """What `LibraryParts.snapshot` wrote, read in place (no section is copied)."""
    whole = memoryview(data)
    body = whole[_DIGEST:]
    length = int.from_bytes(body[:8], "little")
    at = 8 + length + _DIGEST
    header = body[8 : at - _DIGEST]
    if _checksum(header) != body[at - _DIGEST : at]:
        raise ValueError("its checksum does not match")
    sections: dict[str, list[memoryview]] = {}
    for name, size in marshal.loads(header):
        sections.setdefault(name, []).append(body[at : at + size])
        at += size
    if at != len(body):
        raise ValueError("its sections do not fit it")
    # The whole is checked in another thread (zlib lets go of the interpreter) while the pickles,
    # which only ever make the allowed classes however damaged, are read; marshal's parts are
    # read only once it holds.
    with ThreadPoolExecutor(1) as checker:
        checked = checker.submit(_checksum, body)
        (meta,) = sections["meta"]
        version, keys, known, shapes, index, writers, teams = _loads(meta)
        if version != SNAPSHOT_FORMAT or not isinstance(index, CatalogueIndex):
            raise ValueError("another layout")
        summaries = [item for chunk in sections.get("summaries", ()) for item in _loads(chunk)]
        if checked.result() != whole[:_DIGEST]:
            raise ValueError("its checksum does not match")
    ((records_view,), (records_ends,)) = sections["stored"], sections["stored ends"]
    record_ends = marshal.loads(records_ends)
    stored: list[records.Stored] = [
        records_view[start:end]
        for start, end in zip([0, *record_ends[:-1]], record_ends, strict=True)
    ]
    (names,) = sections["names"]
    (race_index,) = sections["race_index"]
    (number_races,) = sections["number_races"]
    packed: dict[str, PackedList[Any]] = {}
    for name in _PACKED:
        ((items,), (ends,)) = sections[name], sections[f"{name} ends"]
        packed[name] = PackedList(items, marshal.loads(ends))
    # A chassis's or an engine's postings name thousands of races: unpacked now, not in the
    # middle of the first change or question that reads them (50 ms at 10,000 races).
    packed["postings"].unpack_large(_UNPACKED_FROM)
    index = dataclasses.replace(
        index,
        postings=packed["postings"],
        race_names=packed["race_names"],
        numbers=packed["numbers"],
        number_races=marshal.loads(number_races),
        names=NameIndex.from_state(marshal.loads(names)),
        # Read when a race is first looked for by name (not by most questions).
        race_index=NameIndex.packed(race_index),
    )
    if not len(keys) == len(summaries) == len(stored) == len(shapes) == len(index.race_names):
        raise ValueError("the races do not line up")
    if len(index.postings) != len(index.kinds):
        raise ValueError("the names do not line up")
    if frozenset(writers) != known:
        raise ValueError("the names written alone do not line up")
    positions = {key: place for place, key in enumerate(keys)}
    shelf = RaceShelf(stored)
    # The team names indexed now (a few ms), not in the middle of the first change.
    words = TeamWords(teams)
    built = _Built(
        positions, keys, shapes, summaries, stored, index, known, shelf, writers, teams, words
    )
    cuts = CrewCuts.from_state(known, list(sections.get("cuts", ())))
    return built, cuts


def _checksum(body: bytes | memoryview) -> bytes:
    """What finds a damaged snapshot (damage, not malice: the store is as trusted as the code);
    CRC-32 reads 62 MB in 0.05 s, a cryptographic hash in three times that."""
    return zlib.crc32(body).to_bytes(_DIGEST, "big")


def _shape(view: records.View) -> bytes:
    """A race's cars (in any order) and the names it writes alone, as two short digests."""
    return records.shape(view.cars, view.known)


def _with_writers(
    writers: Mapping[str, int], before: Iterable[str], after: Iterable[str]
) -> Mapping[str, int] | None:
    """How many races write each name alone, when one race wrote `before` and now `after`
    (None when `writers` does not count a name of `before`)."""
    changed = dict(writers)
    for name in before:
        count = changed.get(name, 0) - 1
        if count < 0:
            return None
        if count:
            changed[name] = count
        else:
            del changed[name]
    for name in after:
        changed[name] = changed.get(name, 0) + 1
    return changed


def _with_teams(
    teams: Mapping[str, tuple[tuple[str, ...], ...]], written: Iterable[str]
) -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """The team keys' splits with some spellings' taken in (a new mapping when any is new: a
    snapshot being written may be reading the old one)."""
    found = team_splits(written)
    new = {
        key: tuple(sorted({*teams.get(key, ()), *splits}))
        for key, splits in found.items()
        if not set(splits) <= set(teams.get(key, ()))
    }
    return {**teams, **new} if new else teams


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


_SNAPSHOT_CLASSES: Final = frozenset(
    {
        ("bot.core.documents.model", "RaceSummary"),
        ("bot.core.documents.seed_error", "SeedError"),
        ("bot.core.library.catalogue", "CatalogueIndex"),
        ("bot.core.library.catalogue", "NameKind"),
        ("bot.core.library.identities", "Grouping"),
        ("bot.core.library.identities", "Identities"),
        ("bot.core.library.identities", "Likely"),
        ("bot.core.matching", "NameIndex"),
        ("datetime", "date"),
    }
)
"""Every class a snapshot's pickles make, and nothing else: a row that names anything more
(a function to call, say) is refused and the library is built from the documents."""


class _Unpickler(pickle.Unpickler):
    """Makes only the classes a snapshot holds (`_SNAPSHOT_CLASSES`)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SNAPSHOT_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a library snapshot")


def _loads(data: bytes | memoryview) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


def _chunks(items: Sequence[Any]) -> list[list[Any]]:
    return [list(items[at : at + _CHUNK]) for at in range(0, len(items), _CHUNK)]


def build_library(
    documents: Sequence[StoredDocument], aliases: Aliases | None = None
) -> BuiltLibrary:
    """The library of these documents, built once (CPU-bound: run it off the event loop).

    Each document is parsed on its own; the one fact that crosses documents is a crew written
    without separators ("Scott Dixon Ryan Briscoe Christian da Matta"), cut with the names other
    documents write unambiguously, which each view carries its share of.
    """
    parts = LibraryParts()
    parts.aliases = aliases
    parts.replace_all(documents)
    built = parts.build()
    assert built is not None  # every document is held
    return built


Crews = dict[int, tuple[str, ...]]


DECIDING_PATIENCE: Final = 120.0
"""Seconds the forked process may take to decide (10,000 races take about 1.3 s): one stuck
longer is ended and the identities decided here, so a build never waits on it for ever."""


class _Deciding:
    """`identities.decide` (as a library build asks it) in a process forked for it, on another
    core beside the rest of the build (a first start's, when the parse workers are done and the
    other core idles); decided here when there is one core, no process can be forked, or the
    one forked fails.

    The child has every race already (forked: nothing is sent), runs only `decide`, writes its
    identities to a pipe and leaves at once (`os._exit`: nothing of this process's runs there,
    no handler, no thread). Leaving the block ends it if its identities were never read."""

    def __init__(self, races: Sequence[RaceCars], aliases: Aliases | None) -> None:
        self._races, self._aliases = races, aliases
        self._child: tuple[int, int] | None = None
        """The child's process id and the pipe's end its identities are read from."""

    def __enter__(self) -> _Deciding:
        if (
            not hasattr(os, "fork") or usable_cores() < 2
        ):  # one core: the child would take its turns
            return self
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:
            os.close(reader)
            os.close(writer)
            log.warning("deciding identities in this process (no process forked: %s)", exc)
            return self
        if pid == 0:  # the child
            code = 1
            try:
                os.close(reader)
                decided = decide(self._races, self._aliases, likely=False)
                with open(writer, "wb") as pipe:
                    pipe.write(pickle.dumps(decided, protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        self._child = (pid, reader)
        return self

    def identities(self) -> Identities:
        """The identities decided (waits for the child, `DECIDING_PATIENCE` at most)."""
        child, self._child = self._child, None
        if child is not None:
            pid, reader = child
            try:
                data = _read_within(reader, DECIDING_PATIENCE)
                if data is None:  # stuck (a lock another thread held at the fork?): ended
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            finally:
                os.close(reader)
                code = _reaped(pid)
            # None: reaped elsewhere; what it wrote is read whole or not.
            if data is not None and code in (0, None):
                try:
                    decided = pickle.loads(data)
                except Exception:  # cut short: decided here
                    decided = None
                if isinstance(decided, Identities):
                    return decided
            log.warning("deciding identities in this process (the forked one failed)")
        return decide(self._races, self._aliases, likely=False)

    def __exit__(self, *_: object) -> None:
        child, self._child = self._child, None
        if child is not None:  # never read (the build failed): the child is ended
            os.close(child[1])
            with contextlib.suppress(ProcessLookupError):
                os.kill(child[0], signal.SIGKILL)
            _reaped(child[0])


def _read_within(reader: int, seconds: float) -> bytes | None:
    """All a pipe gives until its other end is closed; None when that takes over `seconds`."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([reader], [], [], left)[0]:
            return None
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reaped(pid: int) -> int | None:
    """A child's exit code once it ends; None when something else reaped it first."""
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:
        return None


def _cut(
    view: records.View, document: StoredDocument, cut_by_names: dict[str, tuple[str, ...]]
) -> tuple[bytes, list[CarNames]]:
    """A document's record and cars with its crews cut as the library's names cut them."""
    changed = _changed_crews(view, cut_by_names)
    if not changed:
        return document.record, view.cars
    record = records.with_crews(document.record, changed)
    cars = [(n, t, changed.get(i, d), c, e) for i, (n, t, d, c, e) in enumerate(view.cars)]
    return record, cars


def _changed_crews(view: records.View, cut_by_names: dict[str, tuple[str, ...]]) -> Crews:
    """The cars whose crew the library's names cut differently from their own document."""
    if not cut_by_names:
        return {}
    return {
        index: drivers
        for index, cell in enumerate(view.crews)
        if (drivers := cut_by_names.get(cell)) is not None and drivers != view.cars[index][2]
    }
