"""A folder loaded through the parse cache: the races `load_folder` gives, faster the second time.

Each document is read and hashed; one whose size, mtime_ns and hash match its cached row is
rebuilt from the row's record (no parsing, no validation), the others are parsed (in worker
processes when there are many: a cold start of a large library). The library-wide crew pass
(`parsing._with_library_crews`) depends on every document, so its result is cached under a key
of the whole library's hashes and reused only while no document has changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core import records
from bot.core.model import Race
from bot.core.names import known_names, split_drivers
from bot.core.parse_cache import ParseCache, Row
from bot.core.parsing import LoadReport, SeedError, load_folder
from bot.core.reading import Document, parse_documents, read_document

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Loaded:
    """One good document: its race (or only what export needs of it) and its crews."""

    row: Row
    race: Race | None
    crews: tuple[str, ...]
    sort_key: tuple[object, str]
    long_crews: dict[int, tuple[str, ...]]  # drivers as first cut, where the crew pass may recut
    changed: dict[int, tuple[str, ...]] = field(default_factory=dict)  # by the crew pass


@dataclass(slots=True)
class _Scan:
    loaded: list[_Loaded]
    errors: list[SeedError]


def load_folder_cached(folder: Path, data_dir: Path | None) -> LoadReport:
    """`load_folder` through the cache in `data_dir` (None: no cache, as `load_folder`)."""
    if data_dir is None or not folder.is_dir():
        return load_folder(folder)
    cache = ParseCache.open(data_dir, records.PARSER_VERSION)
    try:
        scan = _scan(folder, cache, keep_races=True)
    finally:
        cache.close()
    races = tuple(_final(item, item.race) for item in scan.loaded if item.race is not None)
    return LoadReport(races, tuple(scan.errors))


def iter_folder(
    folder: Path, data_dir: Path | None
) -> tuple[tuple[SeedError, ...], Iterator[Race]]:
    """The folder's errors, and its races oldest first made one at a time (for export)."""
    if not folder.is_dir():
        return load_folder(folder).errors, iter(())
    cache = ParseCache.open(data_dir, records.PARSER_VERSION)
    scan = _scan(folder, cache, keep_races=False)
    # The library's order (newest first, ties as read) reversed, without holding the races.
    order = sorted(range(len(scan.loaded)), key=lambda i: scan.loaded[i].sort_key, reverse=True)
    return tuple(scan.errors), _stream([scan.loaded[i] for i in reversed(order)], folder, cache)


def _stream(items: list[_Loaded], folder: Path, cache: ParseCache) -> Iterator[Race]:
    """Each race made from its record when it is wanted, and let go once written."""
    try:
        for item in items:
            text = _record(item, folder, cache)
            if text is not None:
                yield _final(item, records.decode(text, records.Interner())[0])
    finally:
        cache.close()


def _record(item: _Loaded, folder: Path, cache: ParseCache) -> str | None:
    """A document's record: from the cache, else parsed again (the cache is off)."""
    text = item.row.record or cache.record(item.row.signature)
    if text is not None:
        return text
    document = read_document(folder / item.row.signature.name)
    if isinstance(document, SeedError) or document.signature != item.row.signature:
        log.warning("%s changed while it was being read; left out", item.row.signature.name)
        return None
    outcome = parse_documents([document])[0]
    return None if isinstance(outcome, SeedError) else outcome.record


def _scan(folder: Path, cache: ParseCache, *, keep_races: bool) -> _Scan:
    cached = cache.rows()
    interner = records.Interner()
    loaded: list[_Loaded] = []
    errors: list[SeedError] = []
    fresh: list[Document] = []
    slots: list[int] = []  # where each freshly parsed document goes in `loaded`
    for path in sorted(folder.glob("*.txt")):
        document = read_document(path)
        row = cached.get(path.name)
        if isinstance(document, SeedError):
            errors.append(document)
            continue
        text = cache.record(row.signature) if row and row.signature == document.signature else None
        if row is not None and text is not None:
            try:
                loaded.append(_item(replace(row, record=text), interner, keep_races))
                continue
            except ValueError as exc:
                log.warning("parse cache: bad row for %s (%s); parsing it again", path.name, exc)
        slots.append(len(loaded))
        loaded.append(None)  # type: ignore[arg-type]  # filled below
        fresh.append(document)
    new_rows: list[Row] = []
    for slot, outcome in zip(slots, parse_documents(fresh), strict=True):
        if isinstance(outcome, SeedError):
            errors.append(outcome)
            continue
        new_rows.append(outcome)
        loaded[slot] = _item(outcome, interner, keep_races)
    good = [item for item in loaded if item is not None]
    errors.sort(key=lambda error: error.source)
    cache.save(new_rows, keep=(item.row.signature.name for item in good))
    _crew_pass(good, cache)
    return _Scan(good, errors)


def _item(row: Row, interner: records.Interner, keep_race: bool) -> _Loaded:
    assert row.record is not None
    race, crews = records.decode(row.record, interner)
    key = (race.date or dt.date.min, race.title)
    # split_drivers uses the library's names only on runs of four or more words.
    long = {i: race.entries[i].drivers for i, cell in enumerate(crews) if cell.count(" ") >= 3}
    if keep_race:
        return _Loaded(row, race, crews, key, long)
    # Export keeps no race nor record: each is read again when its race is written.
    return _Loaded(replace(row, record=None), None, crews, key, long)


def _crew_pass(items: list[_Loaded], cache: ParseCache) -> None:
    """Re-cut long crews with the names written unambiguously anywhere (see `parsing`)."""
    digest = hashlib.blake2b(digest_size=16)
    for item in items:
        digest.update(f"{item.row.signature.name}\0{item.row.signature.hash}\0".encode())
    library = f"{records.PARSER_VERSION}:{digest.hexdigest()}"
    if all(item.row.library == library for item in items):
        try:
            stored = [json.loads(item.row.drivers or "{}") for item in items]
            changes = [{int(i): tuple(names) for i, names in got.items()} for got in stored]
        except (ValueError, TypeError, AttributeError) as exc:
            log.warning("parse cache: bad crew-pass result (%s); running the pass again", exc)
        else:
            for item, changed in zip(items, changes, strict=True):
                item.changed = changed
            return
    known = known_names(cell for item in items for cell in item.crews)
    results: list[tuple[str, str | None]] = []
    for item in items:
        item.changed = {}
        for index, first_cut in item.long_crews.items():
            drivers = split_drivers(item.crews[index], known)
            if drivers != first_cut:
                item.changed[index] = drivers
        result = json.dumps(item.changed) if item.changed else None
        results.append((item.row.signature.name, result))
    cache.save_drivers(library, results)


def _final(item: _Loaded, race: Race) -> Race:
    """The race after the crew pass."""
    if not item.changed:
        return race
    entries = tuple(
        records.with_drivers(entry, item.changed[i]) if i in item.changed else entry
        for i, entry in enumerate(race.entries)
    )
    return race.model_copy(update={"entries": entries})
