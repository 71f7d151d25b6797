"""The settings database: migrations from every released version, write-through cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.guild_settings import DATABASE_NAME, GuildSettings, SettingsStore
from bot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, SchemaTooNew, migrate, schema_version


def test_a_new_database_gets_every_migration(tmp_path: Path) -> None:
    """A new database is migrated to the latest schema version."""
    connection = sqlite3.connect(tmp_path / "new.sqlite3")
    assert migrate(connection) == SCHEMA_VERSION == len(MIGRATIONS)
    connection.close()


async def test_a_version_1_database_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    """A database written by the first version keeps its settings and gains the new defaults."""
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert migrate(connection, target=1) == 1
    connection.execute("INSERT INTO guild_settings VALUES (42, 99, 5)")
    connection.commit()
    connection.close()

    store = SettingsStore(tmp_path)
    await store.open()
    assert store.get(42) == GuildSettings(42, announce_channel=99, spoiler_days=5)
    await store.close()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as upgraded:
        assert schema_version(upgraded) == SCHEMA_VERSION


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    """A database from a newer racebot is not touched."""
    connection = sqlite3.connect(tmp_path / "newer.sqlite3")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew):
        migrate(connection)
    connection.close()


async def test_changes_are_written_through_and_survive_reopening(tmp_path: Path) -> None:
    """update and delete reach the database; a new store reads what the old one wrote."""
    store = SettingsStore(tmp_path / "data")
    await store.open()
    assert store.get(1) == GuildSettings(1)
    await store.update(1, spoiler_days=30, answers="private")
    await store.update(2, announce_channel=7)
    await store.delete(2)
    await store.close()

    reopened = SettingsStore(tmp_path / "data")
    await reopened.open()
    assert reopened.get(1) == GuildSettings(1, spoiler_days=30, answers="private")
    assert reopened.get(2) == GuildSettings(2)
    await reopened.close()


async def test_bad_values_are_refused_before_writing(tmp_path: Path) -> None:
    """spoiler_days beyond 0-30 or an unknown answers value never reach the database."""
    store = SettingsStore(tmp_path)
    await store.open()
    with pytest.raises(ValueError, match="spoiler_days"):
        await store.update(1, spoiler_days=31)
    with pytest.raises(ValueError, match="answers"):
        await store.update(1, answers="loud")
    assert store.get(1) == GuildSettings(1)
    await store.close()
