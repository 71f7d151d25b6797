"""What the store needs of a database engine: transactions, queries, migrations, notifications.

The store's own logic (`bot.store.store`) is written once, in SQL both engines speak, with `?`
placeholders; each engine turns those into its own and keeps its differences (how times are
stored, how other processes are told of a change) to itself.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib import resources
from typing import Any, Final, Protocol

CHANGES_CHANNEL: Final = "racebot_changes"
"""What other processes are told when documents change (the payload: the new revision)."""
SETTINGS_CHANNEL: Final = "racebot_settings"
"""What other processes are told when a server's settings change (the payload: its id)."""

Row = Sequence[Any]
Listener = Callable[[str, str], Awaitable[None]]
"""Called with (channel, payload) when another process tells of a change."""


class StoreError(RuntimeError):
    """The store cannot be used; the message is one line naming it and what to do."""


class StoreUnavailable(StoreError):
    """The store cannot be reached now (it may come back: answers go on from memory)."""


class SchemaTooNew(StoreError):
    """The store was written by a newer racebot; refusing beats guessing."""


class SchemaNotCurrent(StoreError):
    """The store's schema is older than this racebot's: `racebot migrate` has not run."""


class Connection(Protocol):
    """One connection, inside a transaction or a read."""

    async def execute(self, sql: str, *args: Any) -> None:
        """Run a statement."""

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement for each row of arguments, in one call (many rows at once)."""

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        """Run a query; every row."""

    async def fetchval(self, sql: str, *args: Any) -> Any:
        """Run a query; the first column of its first row, or None."""

    async def order_changes(self) -> None:
        """Make this transaction's changes commit in the order they are numbered: a process
        catching up reads the changes after the last it saw, so a change numbered earlier but
        committed later would never be read (SQLite already writes one transaction at a time)."""


class Engine(ABC):
    """A database the store runs on."""

    name: str
    """"sqlite" or "postgresql"."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the data is, as a person may be shown it (never a password)."""

    @property
    @abstractmethod
    def is_open(self) -> bool:
        """Whether `connect` has succeeded and `close` has not been called since."""

    @abstractmethod
    async def connect(self) -> None:
        """Open the database; `StoreError` naming it when it cannot be."""

    @abstractmethod
    async def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A connection in a transaction: committed when the block ends, rolled back on error."""

    @abstractmethod
    def reading(self) -> AbstractAsyncContextManager[Connection]:
        """A connection for reads."""

    @abstractmethod
    async def schema_version(self, connection: Connection) -> int:
        """The number of the last migration applied (0 for a new database)."""

    @abstractmethod
    async def set_schema_version(self, connection: Connection, version: int) -> None:
        """Record that migration `version` is applied (inside its transaction)."""

    @abstractmethod
    async def run_script(self, connection: Connection, script: str) -> None:
        """Run a migration's statements (inside its transaction)."""

    @abstractmethod
    def time(self, moment: dt.datetime) -> Any:
        """A moment as this engine stores it."""

    @abstractmethod
    def read_time(self, value: Any) -> dt.datetime:
        """A stored moment, as an aware datetime."""

    @abstractmethod
    async def notify(self, connection: Connection, channel: str, payload: str) -> None:
        """Tell other processes, once the transaction commits."""

    @abstractmethod
    async def listen(self, listener: Listener) -> None:
        """Call `listener` whenever another process tells of a change (until closed)."""


def migrations(engine: str) -> list[tuple[int, str, str]]:
    """The engine's migrations in order: (number, file name, SQL)."""
    folder = resources.files("bot.store") / "migrations" / engine
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            number = int(item.name.split("_", 1)[0])
            found.append((number, item.name, item.read_text(encoding="utf-8")))
    found.sort()
    if [number for number, _, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"the {engine} migrations are not numbered 1 to {len(found)}")
    return found


def latest_schema(engine: str) -> int:
    """The schema version this racebot writes."""
    return len(migrations(engine))
