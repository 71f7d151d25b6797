"""The store: everything the bot knows, in SQLite (the default) or PostgreSQL.

This package imports nothing else of racebot: it keeps documents as bytes and the core's
parses as opaque blobs, so the core never meets a database and the store never meets a race.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from bot.store.engine import (
    SchemaNotCurrent,
    SchemaTooNew,
    StoreError,
    StoreUnavailable,
)
from bot.store.records import GuildSettings, NewDocument, SeedProblem, Snapshot, StoredDocument
from bot.store.store import DocumentExists, SeedSync, Store

DATABASE_NAME: Final = "racebot.sqlite3"
"""The SQLite store's file in the data folder (the name the settings database always had)."""

__all__ = [
    "DATABASE_NAME",
    "DocumentExists",
    "GuildSettings",
    "NewDocument",
    "SchemaNotCurrent",
    "SchemaTooNew",
    "SeedProblem",
    "SeedSync",
    "Snapshot",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoredDocument",
    "store_for",
]


def store_for(database_url: str | None, sqlite_path: Path) -> Store:
    """The store a deployment asks for: PostgreSQL when a URL is given, else the SQLite file."""
    if database_url:
        from bot.store.postgres import PostgresEngine

        return Store(PostgresEngine(database_url))
    from bot.store.sqlite import SQLiteEngine

    return Store(SQLiteEngine(sqlite_path))
