"""The library built from the store's documents: summaries and names from each document's view,
each race made from its record only when a question reads it."""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections import Counter
from collections.abc import Sequence

from bot.core.asking.query import QueryService
from bot.core.collector import collector_paused, keep_out_of_collections
from bot.core.documents import records
from bot.core.documents.model import CarNames, RaceSummary
from bot.core.documents.names import recut_changes
from bot.core.library.catalogue import CatalogueIndex, build_index, patch_index
from bot.core.library.identities import Aliases
from bot.core.library.races import RaceLibrary, RaceShelf, library_order
from bot.store import StoredDocument

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
        positions = {key: index for index, key in enumerate(self.race_keys)}
        object.__setattr__(self, "positions", positions)


class CrewCuts:
    """Crews written without separators, cut with the names other documents write alone, kept
    between builds: a change that adds no such name costs only its own long cells.

    A cell's cut can change only by a known name whose first two words stand together in it
    (`names.recut_changes`), so names added make only the cells holding their openings be cut
    again; names gone (a removal) make every cell be cut again."""

    def __init__(self) -> None:
        self._known: frozenset[str] = frozenset()
        self._cuts: dict[str, tuple[str, ...] | None] = {}

    def changes(self, known: frozenset[str], long: set[str]) -> dict[str, tuple[str, ...]]:
        """Each long cell that the known names cut differently from its own document."""
        if known != self._known:
            if self._known - known:
                self._cuts.clear()
            else:
                openings = {" ".join(name.split(" ", 2)[:2]) for name in known - self._known}
                self._cuts = {
                    cell: cut
                    for cell, cut in self._cuts.items()
                    if not _holds_any(cell.split(), openings)
                }
            self._known = known
        missing = sorted(cell for cell in long if cell not in self._cuts)
        if missing:
            found = recut_changes(missing, known)
            self._cuts.update((cell, found.get(cell)) for cell in missing)
        return {cell: cut for cell in long if (cut := self._cuts[cell]) is not None}


def _holds_any(words: list[str], openings: set[str]) -> bool:
    """Whether two words standing together in `words` are one of `openings`."""
    return any(f"{first} {second}" in openings for first, second in itertools.pairwise(words))


@dataclasses.dataclass(slots=True)
class _Built:
    """The last library built, as the next change may patch it."""

    positions: dict[str, int]
    views: list[records.View]
    summaries: list[RaceSummary]
    stored: list[bytes]
    index: CatalogueIndex
    known: frozenset[str]
    shelf: RaceShelf


class LibraryParts:
    """What the library is built from, kept between builds: each document and its view read
    once, and the crews cut across documents; a change reads only the documents it touched.

    A change that leaves every race where it was in the order and its cars and names as they
    were (a result corrected: laps, places, statuses, times) is patched into the last library
    built: its race's record, summary and postings replaced, the rest shared
    (`catalogue.patch_index`). Anything else builds the library afresh: a changed name may
    change which spellings are one team (`bot.core.library.identities`), decided over every
    document."""

    def __init__(self) -> None:
        self._documents: dict[str, tuple[records.View, StoredDocument]] = {}
        self._cuts = CrewCuts()
        self.damaged: list[str] = []
        self._aliases: Aliases | None = None
        self._built: _Built | None = None
        self._touched: set[str] | None = set()
        """Races changed since the last build (None: build afresh)."""

    def replace_all(self, documents: Sequence[StoredDocument]) -> None:
        """Every document afresh (a start, or a reload after a damaged view)."""
        self._documents.clear()
        self.damaged.clear()
        self.update(documents, ())
        self._touched = None

    def update(self, documents: Sequence[StoredDocument], removed: Sequence[str]) -> None:
        """Documents added or changed, and the races whose documents are gone."""
        if removed:
            self._touched = None
        if self._touched is not None:
            self._touched.update(document.race_key for document in documents)
        for race_key in removed:
            self._documents.pop(race_key, None)
        for document in documents:
            try:
                self._documents[document.race_key] = (records.read_view(document.view), document)
            except ValueError:
                self._documents.pop(document.race_key, None)
                self.damaged.append(document.race_key)

    @property
    def aliases(self) -> Aliases | None:
        """What the aliases file kept in the store says (`bot.core.library.identities`)."""
        return self._aliases

    @aliases.setter
    def aliases(self, aliases: Aliases | None) -> None:
        if aliases != self._aliases:
            self._touched = None  # other identities: every race is built afresh
        self._aliases = aliases

    def build(self) -> BuiltLibrary:
        """The library of the documents held (CPU-bound: run it off the event loop)."""
        touched, self._touched = self._touched, set()
        if touched is not None and self._built is not None and not self.damaged:
            with collector_paused():
                patched = self._patched(self._built, touched)
            if patched is not None:
                return patched
        return self._build()

    def _patched(self, built: _Built, touched: set[str]) -> BuiltLibrary | None:
        """The last library with the touched races patched in, or None when a race would move,
        its cars or names changed, or the crews of other documents could be cut differently."""
        places = []
        for race_key in touched:
            place = built.positions.get(race_key)
            if place is None:
                return None
            view, document = self._documents[race_key]
            old = built.views[place]
            if library_order(view.summary) != library_order(old.summary) or view.known != old.known:
                return None
            if Counter(view.cars) != Counter(old.cars):
                # A name or a car's crew changed: which spellings are one team depends on every
                # document's names (`bot.core.library.identities`), so the library is built afresh.
                return None
            places.append((place, view, document))
        index, summaries, stored = built.index, list(built.summaries), list(built.stored)
        views = list(built.views)
        interner = records.Interner()
        for place, view, document in sorted(places, key=lambda found: found[0]):
            recut = self._cuts.changes(built.known, set(view.long))
            record, cars = _cut(view, document, recut)
            summaries[place] = view.summary
            before = views[place].summary
            patched = patch_index(index, summaries, place, before, interner.cars(cars))
            if patched is None:
                return None
            index, stored[place], views[place] = patched, record, view
        shelf = RaceShelf(stored)
        shelf.keep_from(built.shelf, (place for place, _, _ in places))
        self._built = _Built(built.positions, views, summaries, stored, index, built.known, shelf)
        library = RaceLibrary.shelved(summaries, shelf)
        keys = tuple(sorted(built.positions, key=built.positions.__getitem__))
        return BuiltLibrary(QueryService(library, index), keys, tuple(self.damaged))

    def _build(self) -> BuiltLibrary:
        """The library of the documents held, built afresh."""
        with collector_paused():
            views = sorted(
                self._documents.values(),
                key=lambda pair: library_order(pair[0].summary),
                reverse=True,
            )
            known = frozenset().union(*(view.known for view, _ in views))
            recut = self._cuts.changes(known, {cell for view, _ in views for cell in view.long})
            stored: list[bytes] = []
            cars: list[list[CarNames]] = []
            for view, document in views:
                record, race_cars = _cut(view, document, recut)
                stored.append(record)
                cars.append(race_cars)
            summaries = [view.summary for view, _ in views]
            shelf = RaceShelf(stored)
            library = RaceLibrary.shelved(summaries, shelf)
            interner = records.Interner()
            index = build_index(
                summaries, (interner.cars(race_cars) for race_cars in cars), self.aliases
            )
            service = QueryService(library, index)
        keys = tuple(document.race_key for _, document in views)
        built = BuiltLibrary(service, keys, tuple(self.damaged))
        keep_out_of_collections()
        self._built = _Built(
            dict(built.positions),
            [view for view, _ in views],
            summaries,
            stored,
            index,
            known,
            shelf,
        )
        return built


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
    return parts.build()


Crews = dict[int, tuple[str, ...]]


def _cut(
    view: records.View, document: StoredDocument, recut: dict[str, tuple[str, ...]]
) -> tuple[bytes, list[CarNames]]:
    """A document's record and cars with its crews cut as the library's names cut them."""
    changed = _changed_crews(view, recut)
    if not changed:
        return document.record, view.cars
    record = records.with_crews(document.record, changed)
    cars = [(n, t, changed.get(i, d), c, e) for i, (n, t, d, c, e) in enumerate(view.cars)]
    return record, cars


def _changed_crews(view: records.View, recut: dict[str, tuple[str, ...]]) -> Crews:
    """The cars whose crew the library's names cut differently from their own document."""
    if not recut:
        return {}
    return {
        index: drivers
        for index, cell in enumerate(view.crews)
        if (drivers := recut.get(cell)) is not None and drivers != view.cars[index][2]
    }
