"""A folder loaded through the caches: the library a plain load gives, fast the second time.

Two levels, both in the data folder:
- the library, stored whole in its own file under a key of every document's signature
  (`library_cache`): when no document changed, reading it back is the whole load, and no race
  is made until asked for;
- each document's record and view, in the parse cache (`parse_cache`): on a miss, a document
  whose size, mtime_ns and hash match its row is not parsed again, the others are (in worker
  processes when there are many: a cold start).
The library-wide crew pass (`parsing._with_library_crews`) depends on every document, so its
result is cached under a key of the whole library's hashes and reused only while no document
has changed. Every load through the caches is served from the stored form, built or read back,
so the first load and the next answer alike.

A cold start keeps every core busy (`reading.Workers`): documents go to worker processes as
the folder is read; each parse comes back as its record and view, taken in as it arrives; the
crew pass's facts come with each view, so its re-cut starts in the workers as soon as the last
parse is in, while this process builds the indexes (with each cell's own cut: built again in
the rare library the re-cut changes) and a thread writes the parse cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.core import library_cache, records
from bot.core.catalogue import CatalogueIndex, build_index
from bot.core.library import RaceLibrary, distinct_races, library_order
from bot.core.model import CarNames, Race, RaceSummary
from bot.core.parse_cache import ParseCache, Row, Signature
from bot.core.parsing import SeedError, load_folder
from bot.core.reading import Document, Workers, read_document

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LibraryLoad:
    """A folder's library, its documents' errors, and the catalogue's indexes when stored."""

    library: RaceLibrary
    errors: tuple[SeedError, ...]
    index: CatalogueIndex | None = None


def load_library(folder: Path, data_dir: Path | None = None) -> LibraryLoad:
    """Every document in `folder` as a library, through the caches in `data_dir` (None: none).

    One document per race (`duplicates.distinct_races`): a later one (by file name) is refused.
    """
    if data_dir is None or not folder.is_dir():
        report = load_folder(folder)
        races, duplicates = distinct_races(report.races, title_lines=report.title_lines)
        return LibraryLoad(RaceLibrary(races), report.errors + duplicates)
    cache = ParseCache.open(data_dir, records.PARSER_VERSION)
    try:
        return _load(folder, data_dir, cache)
    finally:
        cache.close()


def iter_folder(
    folder: Path, data_dir: Path | None
) -> tuple[tuple[SeedError, ...], Iterator[Race]]:
    """The folder's errors, and its races oldest first, each made when wanted (for export)."""
    load = load_library(folder, data_dir)
    races = load.library.races
    return load.errors, (races[i] for i in reversed(range(len(races))))


@dataclass(slots=True)
class _Scan:
    signatures: list[Signature]  # every readable document's, in file-name order
    errors: list[SeedError]  # documents that cannot be read
    fresh: set[str]  # documents with no row of their version (parsed, or to be)
    unsent: list[Document]  # those of them not yet given to the workers, with their bytes
    rows: dict[str, Row]


@dataclass(slots=True)
class _Item:
    """One good document on the way into the library."""

    row: Row  # its signature, and the crew pass's cached result
    stored: bytes
    summary: RaceSummary
    crews: list[str]
    cars: list[CarNames]
    changed: dict[int, tuple[str, ...]] = field(default_factory=dict)  # by the crew pass

    @property
    def title(self) -> str:
        """The race's title."""
        return self.summary.title

    @property
    def source(self) -> str:
        """The document's file name."""
        return self.summary.source


def _load(folder: Path, data_dir: Path, cache: ParseCache) -> LibraryLoad:
    with Workers() as workers, _Writer() as writer:
        # With no stored library (a cold start) documents are parsed while the folder is read;
        # else only once the stored one is known not to match (most starts: it matches).
        cold = not (data_dir / library_cache.LIBRARY_FILE).exists()
        scan = _scan(folder, cache, workers if cold else None)
        key = library_cache.library_key(scan.signatures)
        stored = library_cache.load(data_dir, key)
        if stored is None:
            sections = _build(folder, cache, scan, workers, writer)
            library_cache.save(data_dir, key, sections)
            stored = library_cache.unpack(sections)  # served as it would be read back
    return _served(stored, scan.errors)


def _served(stored: library_cache.Stored, unreadable: list[SeedError]) -> LibraryLoad:
    errors = sorted([*unreadable, *stored.errors], key=lambda error: error.source)
    return LibraryLoad(stored.library, (*errors, *stored.refused), stored.index)


def _scan(folder: Path, cache: ParseCache, workers: Workers | None) -> _Scan:
    """Every document's signature; those not cached are parsed as they are read (given the
    workers), or kept to be."""
    scan = _Scan([], [], set(), [], cache.rows())
    # By name, as Path order is within one folder, without comparing 10,000 Paths part by part.
    for path in sorted(folder.glob("*.txt"), key=lambda path: path.name):
        document = read_document(path)  # in threads it was 3 times slower: the GIL
        if isinstance(document, SeedError):
            scan.errors.append(document)
            continue
        scan.signatures.append(document.signature)
        row = scan.rows.get(path.name)
        if row is None or row.signature != document.signature:
            scan.fresh.add(path.name)
            if workers is not None:
                workers.add(document)
            else:
                scan.unsent.append(document)
    return scan


@dataclass(slots=True)
class _Gathered:
    """The items of good documents as they come, and the crew pass's facts of all their cells
    (`names.crew_facts`: a library's are the union of its documents')."""

    items: list[_Item] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    long: set[str] = field(default_factory=set)
    interner: records.Interner = field(default_factory=records.Interner)

    def add(self, row: Row, *, cached: bool) -> None:
        """A document's item, from its view: its record is not read (only checked, if cached).
        `ValueError` if the row's record or view is missing or damaged."""
        if row.record is None or row.view is None:
            raise ValueError("no record")
        view = records.read_view(row.view)
        if cached:  # a cached record is served later, when a question reads the race: whole now
            records.check(row.record)
        # One copy of each team, crew, chassis and engine: 10,000 races' cars held for the
        # build are 70 MB fewer.
        cars = self.interner.cars(view.cars)
        kept = Row(row.signature, None, row.library, row.drivers)  # the view is read: let it go
        self.items.append(_Item(kept, row.record, view.summary, view.crews, cars))
        self.known.update(view.known)
        self.long.update(view.long)


def _build(
    folder: Path, cache: ParseCache, scan: _Scan, workers: Workers, writer: _Writer
) -> list[bytes]:
    """The library, built from cached records and fresh parses, as `library_cache` stores it
    (the parse cache's rows may still be being written when it returns)."""
    for document in scan.unsent:
        workers.add(document)
    scan.unsent.clear()
    gathered = _cached_items(folder, cache, scan, workers)
    errors: list[SeedError] = []
    new_rows: list[Row] = []
    # Each parse is taken in as it comes, while the workers go on with the next ones.
    for outcome in workers.outcomes():
        if isinstance(outcome, SeedError):
            errors.append(outcome)
        else:
            new_rows.append(outcome)
            gathered.add(outcome, cached=False)
    items = gathered.items
    crew_key = _crew_key(items)
    pending = _crew_pass(gathered, crew_key, workers)
    kept, refused = distinct_races(items, lambda item: item.summary)
    kept.sort(key=lambda item: library_order(item.summary), reverse=True)
    summaries = [item.summary for item in kept]
    # Built with each cell's own cut while the workers re-cut; the crew pass seldom changes
    # a crew (no race of 10,000 synthetic ones), and when it does, the index is built again.
    index = build_index(summaries, (item.cars for item in kept))
    results = {} if pending is None else _crew_results(items, pending())
    _save(writer, cache, new_rows, items, (crew_key, results))
    del new_rows  # the writer has them (the views), until they are written
    if pending is not None and _recut_changed(items):
        index = build_index(summaries, (item.cars for item in kept))
    return library_cache.pack(summaries, [item.stored for item in kept], index, errors, refused)


def _save(
    writer: _Writer,
    cache: ParseCache,
    new_rows: list[Row],
    items: list[_Item],
    crew_pass: tuple[str, dict[str, str]],
) -> None:
    """The new rows written with the crew pass's results (once: updating 10,000 rows of a few
    kB each costs as much again), the other rows' results updated, the rest dropped."""
    crew_key, results = crew_pass
    new = {row.signature.name for row in new_rows}
    rows = [
        Row(row.signature, row.record, crew_key, results[name], row.view)
        if (name := row.signature.name) in results
        else row
        for row in new_rows
    ]
    writer.start(cache.save, rows, [item.row.signature.name for item in items])
    updates = [(name, sealed) for name, sealed in results.items() if name not in new]
    if updates:
        writer.start(cache.save_drivers, crew_key, updates)


class _Writer:
    """The parse cache's writes, one after another in a thread while the load goes on
    (SQLite writes without holding the GIL); all done when the block ends."""

    def __init__(self) -> None:
        self._last: threading.Thread | None = None
        self._failed = False

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._last is not None:
            self._last.join()

    def start(self, write: Callable[..., None], *args: object) -> None:
        """`write(*args)`, after the writes started before it (one connection, in order);
        after one fails, the next are skipped (the cache is only an optimisation)."""
        before = self._last

        def run() -> None:
            if before is not None:
                before.join()
            if self._failed:
                return
            try:
                write(*args)
            except Exception:  # `ParseCache` words SQLite's own errors; anything else is a bug
                log.exception("parse cache: a write failed; the next ones are skipped")
                self._failed = True

        self._last = threading.Thread(target=run, name="parse-cache-writer", daemon=True)
        self._last.start()


def _cached_items(folder: Path, cache: ParseCache, scan: _Scan, workers: Workers) -> _Gathered:
    """The items of documents whose rows are whole in the cache; the others go to be parsed."""
    gathered = _Gathered()
    for signature in scan.signatures:
        row = scan.rows.get(signature.name)
        if signature.name in scan.fresh or row is None:
            continue
        found = cache.record(signature)
        if found is not None:
            record, view = found
            try:
                gathered.add(Row(signature, record, row.library, row.drivers, view), cached=True)
                continue
            except ValueError as exc:
                log.warning(
                    "parse cache: bad row for %s (%s); parsing it again", signature.name, exc
                )
        document = read_document(folder / signature.name)
        if isinstance(document, SeedError):
            scan.errors.append(document)
        else:
            workers.add(document)
    return gathered


def _crew_key(items: list[_Item]) -> str:
    """The key the crew pass's result is cached under: the parser and every document."""
    digest = hashlib.blake2b(digest_size=16)
    for item in sorted(items, key=lambda item: item.row.signature.name):
        digest.update(f"{item.row.signature.name}\0{item.row.signature.hash}\0".encode())
    return f"{records.PARSER_VERSION}:{digest.hexdigest()}"


def _crew_pass(
    gathered: _Gathered, crew_key: str, workers: Workers
) -> Callable[[], dict[str, tuple[str, ...]]] | None:
    """Re-cut long crews with the names written unambiguously anywhere (see `names`): the
    cached result applied now (None), or the re-cut started in the workers."""
    if _cached_crew_pass(gathered.items, crew_key):
        _recut_changed(gathered.items)
        return None
    return workers.recut(list(gathered.long), frozenset(gathered.known))


def _crew_results(items: list[_Item], recut: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each item's crews the re-cut changes (set on it), as the parse cache keeps them: by
    document name."""
    results: dict[str, str] = {}
    unchanged = _sealed(json.dumps({}))
    for item in items:
        item.changed = {}
        if recut:
            for index, cell in enumerate(item.crews):
                drivers = recut.get(cell)
                if drivers is not None and drivers != item.cars[index][2]:
                    item.changed[index] = drivers
        sealed = _sealed(json.dumps(item.changed)) if item.changed else unchanged
        results[item.row.signature.name] = sealed
    return results


def _recut_changed(items: list[_Item]) -> bool:
    """Apply the crew pass's changes to the items; whether any crew changed."""
    changed = False
    for item in items:
        if item.changed:
            _recut(item)
            changed = True
    return changed


def _cached_crew_pass(items: list[_Item], library: str) -> bool:
    """Whether the crew pass's result for this library was cached (and is now applied)."""
    if not all(item.row.library == library for item in items):
        return False
    try:
        changes = [_crew_changes(item.row.drivers) for item in items]
    except (ValueError, TypeError, AttributeError) as exc:
        log.warning("parse cache: bad crew-pass result (%s); running the pass again", exc)
        return False
    for item, changed in zip(items, changes, strict=True):
        if not all(0 <= index < len(item.cars) for index in changed):
            log.warning(
                "parse cache: bad crew-pass result for %s; running the pass again", item.source
            )
            return False
    for item, changed in zip(items, changes, strict=True):
        item.changed = changed
    return True


def _sealed(text: str) -> str:
    """The text with a checksum in front: a damaged crew-pass result is found, not applied."""
    return f"{hashlib.blake2b(text.encode(), digest_size=8).hexdigest()} {text}"


def _crew_changes(stored: str | None) -> dict[int, tuple[str, ...]]:
    """A cached crew-pass result: entry index -> drivers; `ValueError` if it is damaged."""
    text = (stored or "").partition(" ")[2]
    if _sealed(text) != stored:
        raise ValueError("its checksum does not match")
    found = json.loads(text)
    changes = {int(index): tuple(names) for index, names in found.items()}
    if not all(isinstance(name, str) for names in changes.values() for name in names):
        raise ValueError("a driver is not a name")
    return changes


def _recut(item: _Item) -> None:
    """The item's record and cars with the crew pass's drivers."""
    record = records.with_crews(records.read(item.stored), item.changed)
    item.stored = records.write(record)
    for index, drivers in item.changed.items():
        number, team, _, chassis, engine = item.cars[index]
        item.cars[index] = (number, team, drivers, chassis, engine)
