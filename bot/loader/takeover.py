"""Taking over a data folder written by racebot before the store (release 0.1's layout).

That release kept per-server settings in `racebot.sqlite3` (the store's file now: its settings
table is the store's, so the settings carry over as they are), two caches beside it
(`parse-cache.sqlite3`, `library.bin`: rebuilt from the documents, so they are only removed),
and each document an import replaced in `seeds/.history/NAME.STAMP.txt`, which are copied
into the store's history once (the files stay where they are).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
from pathlib import Path
from typing import Final

from bot.core.documents.parsing import SeedError, parse_bytes, read_file
from bot.core.library.identity import race_key
from bot.loader.documents import sha256
from bot.store import Store
from bot.store.records import HistoryEntry

log = logging.getLogger(__name__)

OLD_CACHES: Final = (
    "parse-cache.sqlite3",
    "parse-cache.sqlite3-wal",
    "parse-cache.sqlite3-shm",
    "library.bin",
)
OLD_HISTORY: Final = ".history"
TAKEN_OVER: Final = "seeds history taken over"
"""The store fact that says the old history folder was copied in (so it is done once)."""

_STAMP: Final = re.compile(r"\.(\d{8}T\d{6}\d*Z)\.txt$")


async def take_over(store: Store, data_dir: Path, seeds: Path) -> None:
    """Remove the old caches and copy the old history folder into the store, once."""
    for name in OLD_CACHES:
        path = data_dir / name
        if path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()
                log.info("removed %s: the store replaces it", path)
    if await store.fact(TAKEN_OVER) is not None:
        return
    entries = await asyncio.to_thread(_old_history, seeds / OLD_HISTORY)
    if entries:
        await store.keep_history(entries)
        log.info("copied %d earlier documents from %s into the store", len(entries), seeds)
    await store.set_fact(TAKEN_OVER, dt.datetime.now(dt.UTC).isoformat())


def _old_history(folder: Path) -> list[HistoryEntry]:
    """Each readable document of an old history folder, as the store's history keeps it."""
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted(folder.glob("*.txt")):
        try:
            data, info = read_file(path)
        except SeedError as exc:
            log.warning("not copied into the store's history: %s", exc)
            continue
        match = _STAMP.search(path.name)
        source = path.name[: match.start()] + ".txt" if match else path.name
        when = _stamp_time(match[1]) if match else None
        when = when or dt.datetime.fromtimestamp(info.st_mtime, dt.UTC)
        try:
            race, _ = parse_bytes(data, source)
            key, title = race_key(race), race.title
        except SeedError:  # kept all the same: history is bytes, not a parse
            key, title = f"file:{source}", source
        entries.append(
            HistoryEntry(
                race_key=key,
                title=title,
                origin="seeds",
                source=source,
                added_by=None,
                added_at=when,
                sha256=sha256(data),
                body=data,
                ended_at=when,
                ended_by=None,
                ended_how="replaced",
            )
        )
    return entries


def _stamp_time(stamp: str) -> dt.datetime | None:
    """The moment in a history file's name (`20260101T120000123456Z`)."""
    with contextlib.suppress(ValueError):
        return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    return None
