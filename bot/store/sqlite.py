"""The embedded engine: one SQLite file in the data folder, nothing to install.

aiosqlite runs every statement on its own thread, so the event loop never waits on the disk.
One connection serves the process; a lock keeps one transaction on it at a time. Other
processes on the same file (a `racebot import` from a shell) are noticed by polling SQLite's
`data_version`, which changes when another connection commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, Final

import aiosqlite

from bot.store.engine import (
    CHANGES_CHANNEL,
    SETTINGS_CHANNEL,
    Connection,
    Engine,
    Listener,
    Row,
    StoreError,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S: Final = 5.0
"""How long a write waits for another process's write to finish before giving up."""
POLL_S: Final = 0.25
"""How often another process's commits are looked for (well within the 1 s promise)."""
CHECKPOINT_BYTES: Final = 4 * 1024 * 1024
"""The write-ahead log's size from which a commit has its pages copied into the database file
(SQLite's own threshold is 1,000 pages: 4 MB)."""


def problem(path: Path, exc: BaseException) -> StoreError:
    """One line naming the file and what to do, for what SQLite said."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"{path} is damaged or not a racebot database; restore it from a backup "
            "(README: Backup and restore) or move it away to start afresh"
        )
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} is locked by another program; stop it, or wait and retry")
    if "readonly" in text or "read-only" in text or "permission" in text:
        return StoreError(f"{path} cannot be written; check its permissions and its folder's")
    if "unable to open" in text:
        return StoreError(f"{path} cannot be opened; check that its folder exists and is writable")
    return StoreError(f"{path}: {exc}")


class _Connection:
    """aiosqlite's connection as the store's `Connection`."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    async def execute(self, sql: str, *args: Any) -> None:
        try:
            async with self._db.execute(sql, args) as cursor:
                await cursor.fetchall()
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise problem(self._path, exc) from exc

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            await self._db.executemany(sql, rows)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise problem(self._path, exc) from exc

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        try:
            async with self._db.execute(sql, args) as cursor:
                return list(await cursor.fetchall())
        except sqlite3.Error as exc:
            raise problem(self._path, exc) from exc

    async def fetchval(self, sql: str, *args: Any) -> Any:
        rows = await self.fetch(sql, *args)
        return rows[0][0] if rows else None

    async def order_changes(self) -> None:
        """Nothing to do: a write transaction here holds the whole file (BEGIN IMMEDIATE)."""


class SQLiteEngine(Engine):
    """A store in one SQLite file."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(os.path.abspath(path))  # named in full in every message
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._poller: asyncio.Task[None] | None = None
        self._checkpoint: asyncio.Task[None] | None = None
        """The write-ahead log being copied into the database file (`_checkpoint_later`)."""

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def is_open(self) -> bool:
        return self._db is not None

    async def connect(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            folder = self.path.parent
            raise StoreError(f"cannot create the data folder {folder} ({exc.strerror})") from exc
        try:
            db = await aiosqlite.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise problem(self.path, exc) from exc
        try:
            # Reading the schema finds a file that is not a database, before anything is written.
            async with db.execute("SELECT count(*) FROM sqlite_master") as cursor:
                await cursor.fetchall()
            if self.path.exists() and not _writable(self.path):
                raise StoreError(
                    f"{self.path} cannot be written; check its permissions and its folder's"
                )
            # No checkpoint inside a commit (`_checkpoint_later` makes them); a log copied
            # whole is cut short when it is next written, so its size says what waits in it.
            for pragma in (
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                "PRAGMA wal_autocheckpoint = 0",
                f"PRAGMA journal_size_limit = {CHECKPOINT_BYTES // 4}",
            ):
                async with db.execute(pragma) as cursor:
                    await cursor.fetchall()
        except sqlite3.Error as exc:
            await db.close()
            raise problem(self.path, exc) from exc
        except StoreError:
            await db.close()
            raise
        self._db = db

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        if self._checkpoint is not None:  # (closing the last connection makes the last one)
            await asyncio.gather(self._checkpoint, return_exceptions=True)
            self._checkpoint = None
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    def _open_db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError(f"{self.path} is not open")
        return self._db

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        db = self._open_db()
        async with self._lock:
            try:
                # IMMEDIATE: take the write lock now, so two processes never both read then write.
                await db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise problem(self.path, exc) from exc
            try:
                yield _Connection(db, self.path)
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    await db.execute("ROLLBACK")
                raise
            try:
                await db.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    await db.execute("ROLLBACK")
                raise problem(self.path, exc) from exc
        self._checkpoint_later()

    def _checkpoint_later(self) -> None:
        """Copy the write-ahead log into the database file once it is large, beside whatever
        comes next: on a connection of its own, in a thread (readers and writers go on). SQLite
        would copy it inside the commit that made it large, which then waits for it: a first
        start's fill of 10,000 races (150 MB) waited 0.35 s more before the library was built."""
        if self._checkpoint is not None and not self._checkpoint.done():
            return
        try:
            if os.path.getsize(f"{self.path}-wal") < CHECKPOINT_BYTES:
                return
        except OSError:
            return
        self._checkpoint = asyncio.create_task(asyncio.to_thread(self._copy_log))

    def _copy_log(self) -> None:
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                db.close()
        except sqlite3.Error as exc:  # the next large commit tries again; closing makes one
            log.info("cannot copy the write-ahead log of %s yet (%s)", self.path, exc)

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Connection]:
        db = self._open_db()
        async with self._lock:
            yield _Connection(db, self.path)

    async def schema_version(self, connection: Connection) -> int:
        return int(await connection.fetchval("PRAGMA user_version"))

    async def set_schema_version(self, connection: Connection, version: int) -> None:
        await connection.execute(f"PRAGMA user_version = {int(version)}")

    async def run_script(self, connection: Connection, script: str) -> None:
        # One statement at a time: executescript would commit the open transaction first.
        for statement in _statements(script):
            await connection.execute(statement)

    def time(self, moment: dt.datetime) -> Any:
        return moment.astimezone(dt.UTC).isoformat()

    def read_time(self, value: Any) -> dt.datetime:
        return dt.datetime.fromisoformat(str(value))

    async def notify(self, connection: Connection, channel: str, payload: str) -> None:
        """Nothing to send: other processes see the commit through `data_version`."""

    async def listen(self, listener: Listener) -> None:
        if self._poller is None:
            self._poller = asyncio.create_task(self._poll(listener), name="racebot-sqlite-poll")

    async def _poll(self, listener: Listener) -> None:
        """Tell `listener` of every commit another connection makes to the file."""
        seen: int | None = None
        while True:
            await asyncio.sleep(POLL_S)
            try:
                async with self.reading() as connection:
                    version = int(await connection.fetchval("PRAGMA data_version"))
            except StoreError as exc:
                log.warning("cannot look for changes in %s: %s", self.path, exc)
                continue
            if seen is not None and version != seen:
                for channel in (CHANGES_CHANNEL, SETTINGS_CHANNEL):
                    try:
                        await listener(channel, "")
                    except Exception:
                        log.exception("a change from another process could not be taken in")
            seen = version


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _statements(script: str) -> list[str]:
    """A migration's statements, split where SQLite says one is complete."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not current.strip():
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
