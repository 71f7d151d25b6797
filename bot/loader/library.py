"""The library built from the store's documents: summaries and names from each document's view,
each race made from its record only when a question reads it."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from bot.core import records
from bot.core.catalogue import build_index
from bot.core.collector import collector_paused
from bot.core.library import RaceLibrary, RaceShelf, library_order
from bot.core.model import CarNames
from bot.core.names import recut_changes
from bot.core.query import QueryService
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


def build_library(documents: Sequence[StoredDocument]) -> BuiltLibrary:
    """The library of these documents (CPU-bound: run it off the event loop).

    Each document is parsed on its own; the one fact that crosses documents is a crew written
    without separators ("Scott Dixon Ryan Briscoe Christian da Matta"), cut with the names other
    documents write unambiguously. Each view carries its document's share of those facts, so
    this costs a look at the few long cells, not a pass over every race.
    """
    with collector_paused():
        views: list[tuple[records.View, StoredDocument]] = []
        damaged: list[str] = []
        for document in documents:
            try:
                views.append((records.read_view(document.view), document))
            except ValueError:
                damaged.append(document.race_key)
        views.sort(key=lambda pair: library_order(pair[0].summary), reverse=True)
        known = frozenset().union(*(view.known for view, _ in views))
        recut = recut_changes(sorted({cell for view, _ in views for cell in view.long}), known)
        stored: list[bytes] = []
        cars: list[list[CarNames]] = []
        for view, document in views:
            changed = _changed_crews(view, recut)
            stored.append(
                records.with_crews(document.record, changed) if changed else document.record
            )
            cars.append(
                [(n, t, changed.get(i, d), c, e) for i, (n, t, d, c, e) in enumerate(view.cars)]
                if changed
                else view.cars
            )
        summaries = [view.summary for view, _ in views]
        library = RaceLibrary.shelved(summaries, RaceShelf(stored))
        interner = records.Interner()
        index = build_index(summaries, (interner.cars(race_cars) for race_cars in cars))
        service = QueryService(library, index)
    keys = tuple(document.race_key for _, document in views)
    return BuiltLibrary(service, keys, tuple(damaged))


def _changed_crews(
    view: records.View, recut: dict[str, tuple[str, ...]]
) -> dict[int, tuple[str, ...]]:
    """The cars whose crew the library's names cut differently from their own document."""
    if not recut:
        return {}
    return {
        index: drivers
        for index, cell in enumerate(view.crews)
        if (drivers := recut.get(cell)) is not None and drivers != view.cars[index][2]
    }
