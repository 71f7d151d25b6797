"""The shared engine: PostgreSQL, for several bot processes (shards) on one or more machines.

asyncpg's pool serves queries; one more connection LISTENs, so a change one process makes
reaches the others as soon as it commits. When the server goes away, queries fail with
`StoreUnavailable` (the bot answers from memory meanwhile) and the listener reconnects with
backoff, saying so once in the log; once back, it asks for what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Final, TypeAlias
from urllib.parse import unquote, urlsplit

import asyncpg

from bot.store.engine import (
    CHANGES_CHANNEL,
    SETTINGS_CHANNEL,
    Connection,
    Engine,
    Listener,
    Row,
    StoreError,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S: Final = 10.0
POOL_SIZE: Final = 4
BACKOFF_S: Final = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""Waits between attempts to get the listening connection back; the last repeats."""
MIGRATION_LOCK: Final = 0x7261_6365  # "race": one `racebot migrate` at a time
CHANGES_LOCK: Final = 0x7261_6366
"""Held by a transaction that numbers changes, until it commits (`order_changes`)."""

_AnyConnection: TypeAlias = "asyncpg.Connection[Any] | asyncpg.pool.PoolConnectionProxy[Any]"
_PLACEHOLDER: Final = re.compile(r"\?")
_LOST: Final = (
    OSError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
)


def describe(url: str) -> str:
    """Where a PostgreSQL URL points, as a person may be shown it: host, port, database, user."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        port = parts.port or 5432
    except ValueError:
        port = 5432
    database = unquote(parts.path.lstrip("/")) or "(default database)"
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return f"postgresql://{user}{host}:{port}/{database}"


def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1`, `$2`, ..."""
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


class _Connection:
    """An asyncpg connection as the store's `Connection`."""

    def __init__(self, connection: _AnyConnection, where: str) -> None:
        self._connection = connection
        self._where = where
        self._ordered = False

    async def execute(self, sql: str, *args: Any) -> None:
        try:
            await self._connection.execute(_numbered(sql), *args)
        except _LOST as exc:
            raise StoreUnavailable(f"lost the connection to {self._where}") from exc

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            await self._connection.executemany(_numbered(sql), rows)
        except _LOST as exc:
            raise StoreUnavailable(f"lost the connection to {self._where}") from exc

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        try:
            return [tuple(row) for row in await self._connection.fetch(_numbered(sql), *args)]
        except _LOST as exc:
            raise StoreUnavailable(f"lost the connection to {self._where}") from exc

    async def fetchval(self, sql: str, *args: Any) -> Any:
        try:
            return await self._connection.fetchval(_numbered(sql), *args)
        except _LOST as exc:
            raise StoreUnavailable(f"lost the connection to {self._where}") from exc

    async def order_changes(self) -> None:
        """Writers that number changes take turns until they commit (a lock held to the end of
        the transaction), so changes commit in the order of their numbers."""
        if not self._ordered:
            await self.execute(f"SELECT pg_advisory_xact_lock({CHANGES_LOCK})")
            self._ordered = True


class PostgresEngine(Engine):
    """A store in a PostgreSQL database."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        self._url = url
        self._where = describe(url)
        self._pool: asyncpg.Pool | None = None
        self._listening: asyncio.Task[None] | None = None

    @property
    def location(self) -> str:
        return self._where

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    async def connect(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(
                self._url, min_size=1, max_size=POOL_SIZE, timeout=CONNECT_TIMEOUT_S
            )
        except asyncpg.exceptions.InvalidPasswordError as exc:
            raise StoreError(
                f"{self._where} refused the login (check the user and password in "
                "RACEBOT_DATABASE_URL)"
            ) from exc
        except asyncpg.exceptions.InvalidCatalogNameError as exc:
            raise StoreError(f"{self._where}: the database does not exist; create it") from exc
        except (*_LOST, TimeoutError, asyncpg.exceptions.PostgresError) as exc:
            reason = _reason(exc)
            raise StoreUnavailable(f"cannot reach {self._where} ({reason})") from exc

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening
            self._listening = None
        if self._pool is not None:
            pool, self._pool = self._pool, None
            with contextlib.suppress(*_LOST, TimeoutError):
                await asyncio.wait_for(pool.close(), timeout=5)

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[_AnyConnection]:
        if self._pool is None:
            raise StoreError(f"{self._where} is not open")
        try:
            async with self._pool.acquire(timeout=CONNECT_TIMEOUT_S) as connection:
                yield connection
        except (*_LOST, TimeoutError) as exc:
            raise StoreUnavailable(f"lost the connection to {self._where}") from exc

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._connection() as connection, connection.transaction():
            yield _Connection(connection, self._where)

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Connection]:
        async with self._connection() as connection:
            yield _Connection(connection, self._where)

    async def schema_version(self, connection: Connection) -> int:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS racebot_schema (version INTEGER NOT NULL)"
        )
        # Two `racebot migrate` at once: the second waits for the first, then finds it done.
        await connection.execute(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        version = await connection.fetchval("SELECT max(version) FROM racebot_schema")
        return int(version or 0)

    async def set_schema_version(self, connection: Connection, version: int) -> None:
        await connection.execute("DELETE FROM racebot_schema")
        await connection.execute("INSERT INTO racebot_schema (version) VALUES (?)", version)

    async def run_script(self, connection: Connection, script: str) -> None:
        await connection.execute(script)

    def time(self, moment: dt.datetime) -> Any:
        return moment

    def read_time(self, value: Any) -> dt.datetime:
        if not isinstance(value, dt.datetime):
            raise TypeError(f"not a moment: {value!r}")
        return value

    async def notify(self, connection: Connection, channel: str, payload: str) -> None:
        await connection.execute("SELECT pg_notify(?, ?)", channel, payload)

    async def listen(self, listener: Listener) -> None:
        if self._listening is None:
            ready = asyncio.get_running_loop().create_future()
            self._listening = asyncio.create_task(
                self._listen(listener, ready), name="racebot-postgres-listen"
            )
            await ready

    async def _listen(self, listener: Listener, ready: asyncio.Future[None]) -> None:
        """Keep one connection listening; reconnect with backoff when it is lost."""
        attempt = 0
        lost = False
        while True:
            try:
                connection = await asyncpg.connect(self._url, timeout=CONNECT_TIMEOUT_S)
            except (*_LOST, TimeoutError, asyncpg.exceptions.PostgresError) as exc:
                if not lost:
                    log.warning("lost %s (%s); reconnecting", self._where, _reason(exc))
                    lost = True
                if not ready.done():
                    ready.set_result(None)
                await asyncio.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
                attempt += 1
                continue
            closed = asyncio.Event()
            connection.add_termination_listener(_setter(closed))

            def heard(_c: object, _pid: int, channel: str, payload: object) -> None:
                task = asyncio.create_task(_hear(listener, channel, str(payload)))
                _HEARING.add(task)
                task.add_done_callback(_HEARING.discard)

            try:
                for channel in (CHANGES_CHANNEL, SETTINGS_CHANNEL):
                    await connection.add_listener(channel, heard)
                if lost:
                    log.warning("reconnected to %s", self._where)
                    lost = False
                    # Notifications sent while away are gone: ask for everything since.
                    for channel in (CHANGES_CHANNEL, SETTINGS_CHANNEL):
                        await _hear(listener, channel, "")
                attempt = 0
                if not ready.done():
                    ready.set_result(None)
                while not closed.is_set():
                    # A connection dropped without a goodbye is found by a query that fails.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(closed.wait(), timeout=5)
                    if not closed.is_set():
                        await connection.fetchval("SELECT 1", timeout=5)
            except (*_LOST, TimeoutError, asyncpg.exceptions.PostgresError) as exc:
                if not lost:
                    log.warning("lost %s (%s); reconnecting", self._where, _reason(exc))
                    lost = True
            finally:
                with contextlib.suppress(Exception):
                    connection.terminate()
            if not lost:
                log.warning("lost %s; reconnecting", self._where)
                lost = True


_HEARING: set[asyncio.Task[None]] = set()


def _setter(event: asyncio.Event) -> Callable[[object], None]:
    """A termination callback that sets `event`."""
    return lambda _connection: event.set()


async def _hear(listener: Listener, channel: str, payload: str) -> None:
    try:
        await listener(channel, payload)
    except StoreUnavailable as exc:
        log.warning("a change from another process could not be read yet: %s", exc)
    except Exception:
        log.exception("a change from another process could not be taken in")


def _reason(exc: BaseException) -> str:
    """What went wrong, in a few words, without anything from the URL."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__
