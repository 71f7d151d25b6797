"""Each server's settings: in SQLite, cached in memory, written through.

Reads come from the cache (no I/O on the event loop, ever); a change is written to the
database first and enters the cache only once it is stored. The database is opened and
migrated in a worker thread, then used through aiosqlite, whose one thread serialises writes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Literal

import aiosqlite

from bot.storage.migrations import migrate

log = logging.getLogger(__name__)

DATABASE_NAME: Final = "racebot.sqlite3"
SPOILER_DAYS_MAX: Final = 30
Visibility = Literal["public", "private"]

_COLUMNS: Final = ("announce_channel", "spoiler_days", "answers", "announce_problem")


@dataclasses.dataclass(frozen=True, slots=True)
class GuildSettings:
    """One server's settings; the defaults are a server that never set anything."""

    guild_id: int
    announce_channel: int | None = None
    spoiler_days: int = 0
    answers: Visibility = "public"
    announce_problem: str | None = None
    """Why the last announcement could not be sent there (None: no problem known)."""

    def __post_init__(self) -> None:
        if not 0 <= self.spoiler_days <= SPOILER_DAYS_MAX:
            raise ValueError(f"spoiler_days must be 0 to {SPOILER_DAYS_MAX}")
        if self.answers not in ("public", "private"):
            raise ValueError("answers must be public or private")


class StoreClosed(RuntimeError):
    """The settings database is not open (the bot has not started, or has stopped)."""


class SettingsStore:
    """Every server's settings, from `DATA_DIR/racebot.sqlite3`."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DATABASE_NAME
        self._cache: dict[int, GuildSettings] = {}
        self._db: aiosqlite.Connection | None = None

    async def open(self) -> None:
        """Create the folder and database if new, apply migrations, load every row."""
        self._cache = await asyncio.to_thread(_prepare, self.path)
        self._db = await aiosqlite.connect(self.path)
        log.info("settings of %d servers from %s", len(self._cache), self.path)

    async def close(self) -> None:
        """Close the database (the cache stays readable)."""
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    @property
    def is_open(self) -> bool:
        """Whether changes can be stored."""
        return self._db is not None

    def get(self, guild_id: int) -> GuildSettings:
        """A server's settings, from memory (the defaults when it never set any)."""
        return self._cache.get(guild_id) or GuildSettings(guild_id)

    def __iter__(self) -> Iterator[GuildSettings]:
        return iter(tuple(self._cache.values()))

    async def update(self, guild_id: int, **changes: object) -> GuildSettings:
        """Change some of a server's settings: stored first, then cached; returns the result."""
        if self._db is None:
            raise StoreClosed("the settings database is not open")
        settings = dataclasses.replace(self.get(guild_id), **changes)  # type: ignore[arg-type]
        values = [getattr(settings, column) for column in _COLUMNS]
        assignments = ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS)
        await self._db.execute(
            f"INSERT INTO guild_settings (guild_id, {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?) "
            f"ON CONFLICT (guild_id) DO UPDATE SET {assignments}",
            [guild_id, *values],
        )
        await self._db.commit()
        self._cache[guild_id] = settings
        return settings

    async def delete(self, guild_id: int) -> None:
        """Forget a server's settings (the bot was removed from it)."""
        if self._db is None:
            raise StoreClosed("the settings database is not open")
        await self._db.execute("DELETE FROM guild_settings WHERE guild_id = ?", [guild_id])
        await self._db.commit()
        self._cache.pop(guild_id, None)


def _prepare(path: Path) -> dict[int, GuildSettings]:
    """Create and migrate the database; every server's settings (runs in a worker thread)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    try:
        migrate(connection)
        rows = connection.execute(
            f"SELECT guild_id, {', '.join(_COLUMNS)} FROM guild_settings"
        ).fetchall()
    finally:
        connection.close()
    return {row[0]: GuildSettings(*row) for row in rows}
