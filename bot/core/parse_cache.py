"""The parse cache: each document's parsed race, kept in a SQLite file beside the settings.

An optimisation only. A row is used when the document's size, mtime_ns and content hash all
match it, so a changed document is parsed again and a removed one is never read (rows of
removed documents are dropped on the next write). Whatever goes wrong with the file (corrupt,
locked, an unwritable folder) is logged and the cache is rebuilt or skipped: loading never fails
because of it. Plain and synchronous; one connection per load, used by one thread at a time
(the loader, then the thread that writes what it built).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

CACHE_FILE: Final = "parse-cache.sqlite3"
"""The cache's file name in the data folder (RACEBOT_DATA_DIR)."""

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS documents (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    record BLOB NOT NULL,
    view BLOB NOT NULL,
    library TEXT,
    drivers TEXT
)
"""
# library: the key of the library the crew pass last ran over; drivers: its result (JSON).


@dataclass(frozen=True, slots=True)
class Signature:
    """What identifies one version of a document: its size, mtime_ns and content hash."""

    name: str
    size: int
    mtime_ns: int
    hash: str


@dataclass(frozen=True, slots=True)
class Row:
    """A cached document: its signature, record and view (None: not read yet), and the crew
    pass's result."""

    signature: Signature
    record: bytes | None
    library: str | None
    drivers: str | None
    view: bytes | None = None  # what the library is built from (`records.view`)


class ParseCache:
    """A connection to one cache file; every failure turns the cache off, never the load."""

    def __init__(self, connection: sqlite3.Connection | None, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, folder: Path | None, version: str = "") -> ParseCache:
        """The cache in `folder` for parses by `version` of the parser, rebuilt if corrupt.

        Off when there is no folder or it is unusable. Rows of another version are dropped.
        """
        if folder is None:
            return cls(None, Path())
        path = folder / CACHE_FILE
        for attempt in range(2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                return cls(_connect(path, version), path)
            except (sqlite3.Error, OSError) as exc:
                if attempt or not _is_corrupt(exc) or not _remove(path):
                    log.warning("parse cache %s unusable, loading without it: %s", path, exc)
                    return cls(None, path)
                log.warning("parse cache %s is corrupt (%s); rebuilding it", path, exc)
        return cls(None, path)  # pragma: no cover - the loop always returns

    @property
    def enabled(self) -> bool:
        """Whether rows are read and written."""
        return self._db is not None

    def rows(self) -> dict[str, Row]:
        """Every cached document by name, records not read (empty when the cache is off)."""
        if self._db is None:
            return {}
        try:
            found = self._db.execute(
                "SELECT name, size, mtime_ns, hash, library, drivers FROM documents"
            ).fetchall()
        except sqlite3.Error as exc:
            self._fail("read", exc)
            return {}
        return {
            name: Row(Signature(name, size, mtime, digest), None, library, drivers)
            for name, size, mtime, digest, library, drivers in found
        }

    def record(self, signature: Signature) -> tuple[bytes, bytes] | None:
        """The record and view cached for exactly this version of a document, if any."""
        if self._db is None:
            return None
        try:
            found = self._db.execute(
                "SELECT record, view FROM documents WHERE name = ? AND size = ? AND mtime_ns = ? "
                "AND hash = ?",
                (signature.name, signature.size, signature.mtime_ns, signature.hash),
            ).fetchone()
        except sqlite3.Error as exc:
            self._fail("read", exc)
            return None
        if found is None or not all(isinstance(value, bytes) for value in found):
            return None
        return found[0], found[1]

    def save(self, rows: Iterable[Row], keep: Iterable[str]) -> None:
        """Write new or changed rows and drop those of documents no longer in the folder."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (name TEXT PRIMARY KEY)")
                self._db.execute("DELETE FROM kept")
                self._db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((n,) for n in keep))
                self._db.execute("DELETE FROM documents WHERE name NOT IN (SELECT name FROM kept)")
                self._db.executemany(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (_values(row) for row in rows if row.record is not None and row.view),
                )
        except sqlite3.Error as exc:
            self._fail("write", exc)

    def save_drivers(self, library: str, drivers: Iterable[tuple[str, str | None]]) -> None:
        """Record the crew pass's result for each document under the library's key."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "UPDATE documents SET library = ?, drivers = ? WHERE name = ?",
                    ((library, result, name) for name, result in drivers),
                )
        except sqlite3.Error as exc:
            self._fail("write", exc)

    def close(self) -> None:
        """Close the connection."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _fail(self, doing: str, exc: sqlite3.Error) -> None:
        log.warning("parse cache %s: cannot %s (%s); going on without it", self.path, doing, exc)
        if _is_corrupt(exc):
            self.close()
            if _remove(self.path):
                log.warning("parse cache %s removed; it is rebuilt on the next load", self.path)
        self.close()


def _connect(path: Path, version: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=5, isolation_level="DEFERRED", check_same_thread=False)
    try:
        # Large pages (for a new file; the next line makes it permanent): a row's blobs are a
        # few kB, so a library's worth is ten times fewer reads and writes than with 4 kB pages.
        db.execute(f"PRAGMA page_size={_PAGE_SIZE}")
        db.execute("PRAGMA journal_mode=WAL")  # a reader never waits for another process's write
        db.execute("PRAGMA synchronous=NORMAL")  # losing the last write costs only a re-parse
        db.execute(_SCHEMA)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "SELECT name, size, mtime_ns, hash, record, view, library, drivers FROM documents"
        )
        found = db.execute("SELECT value FROM meta WHERE key = 'parser'").fetchone()
        if found is None or found[0] != version:
            log.info("parse cache %s: made by another parser; starting afresh", path)
            db.execute("DELETE FROM documents")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('parser', ?)", (version,))
            db.commit()
            _use_large_pages(db, path)
        db.commit()
    except BaseException:
        db.close()
        raise
    return db


_PAGE_SIZE: Final = 65536


def _use_large_pages(db: sqlite3.Connection, path: Path) -> None:
    """An emptied file made before large pages gets them (a file in WAL mode keeps its page
    size until it leaves WAL and is rebuilt, which costs nothing while it is empty)."""
    if db.execute("PRAGMA page_size").fetchone()[0] == _PAGE_SIZE:
        return
    try:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute(f"PRAGMA page_size={_PAGE_SIZE}")
        db.execute("VACUUM")
    except sqlite3.Error as exc:  # another process has it open: small pages, only slower
        log.info("parse cache %s: keeps its page size (%s)", path, exc)
    finally:
        db.execute("PRAGMA journal_mode=WAL")


def _values(row: Row) -> tuple[object, ...]:
    sig = row.signature
    return (
        sig.name,
        sig.size,
        sig.mtime_ns,
        sig.hash,
        row.record,
        row.view,
        row.library,
        row.drivers,
    )


def _is_corrupt(exc: BaseException) -> bool:
    """Whether the file is not a usable cache (as opposed to locked or unwritable)."""
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return True
    text = str(exc).lower()
    return any(words in text for words in ("malformed", "not a database", "no such column"))


def _remove(path: Path) -> bool:
    """Delete the cache file and its journal; False if it could not be deleted."""
    for suffix in ("", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink()
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True
