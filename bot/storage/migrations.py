"""The database schema as numbered migrations, applied in order at start.

`PRAGMA user_version` holds the number of the last migration applied. A migration is never
edited once released: a change of schema is a new migration at the end of the list.
"""

from __future__ import annotations

import sqlite3
from typing import Final

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: where each server wants new races announced, and its spoiler window.
    """
    CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        announce_channel INTEGER,
        spoiler_days INTEGER NOT NULL DEFAULT 0 CHECK (spoiler_days BETWEEN 0 AND 30)
    );
    """,
    # 2: answers in private for servers that want no bot output in channels, and the last
    # problem sending to the announce channel (shown in /settings).
    """
    ALTER TABLE guild_settings ADD COLUMN answers TEXT NOT NULL DEFAULT 'public'
        CHECK (answers IN ('public', 'private'));
    ALTER TABLE guild_settings ADD COLUMN announce_problem TEXT;
    """,
)
"""Migration N (1-based) is MIGRATIONS[N - 1]."""

SCHEMA_VERSION: Final = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer racebot; refusing beats guessing."""


def schema_version(connection: sqlite3.Connection) -> int:
    """The number of the last migration applied to this database (0 for a new one)."""
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration after the database's version up to `target`, each in a transaction."""
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database has schema {version}; this racebot knows {SCHEMA_VERSION}"
        )
    for number in range(version + 1, target + 1):
        # executescript commits first, so BEGIN/COMMIT are spelled out: all of it or none.
        try:
            connection.executescript(
                f"BEGIN; {MIGRATIONS[number - 1]} PRAGMA user_version = {number}; COMMIT;"
            )
        except sqlite3.Error:
            if connection.in_transaction:
                connection.rollback()
            raise
    return schema_version(connection)
