"""Fixtures for everything about the store, on both engines: SQLite in a temporary folder, and
PostgreSQL on a throwaway server started once per test session (a new database per test).

Registered by tests/conftest.py (`pytest_plugins`), so any test may ask for `store_settings`
(parametrised over both engines), `store`, `postgres_url` or `fresh_postgres`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.loader import store_of
from bot.settings import Settings
from bot.store import Store
from tests.postgres_server import postgres_server, require_postgres, unavailable_reason

ENGINES = ("sqlite", "postgresql")
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server for this test session (skipped, or under CI failed, when
    PostgreSQL is not installed)."""
    require_postgres()
    with postgres_server() as url:
        yield url


def with_database(url: str, database: str) -> str:
    """The same server's URL for another database."""
    return url.rsplit("/", 1)[0] + f"/{database}"


@pytest.fixture
def fresh_postgres(postgres_url: str) -> str:
    """A URL to a new, empty database on the throwaway server."""
    database = f"racebot_test_{next(_numbers)}"

    async def create() -> None:
        connection = await asyncpg.connect(postgres_url)
        try:
            await connection.execute(f"CREATE DATABASE {database}")
        finally:
            await connection.close()

    asyncio.run(create())
    return with_database(postgres_url, database)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn."""
    return str(request.param)


@pytest.fixture
def store_settings(engine: str, clean_env: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings for a store of the engine under test, with empty seeds and data folders."""
    url = request.getfixturevalue("fresh_postgres") if engine == "postgresql" else None
    (clean_env / "seeds").mkdir(exist_ok=True)
    return Settings(
        RACEBOT_DATA_DIR=clean_env / "data",
        RACEBOT_SEEDS_DIR=clean_env / "seeds",
        RACEBOT_DATABASE_URL=url,
    )


@pytest.fixture
async def store(store_settings: Settings) -> AsyncIterator[Store]:
    """An open, migrated, empty store of the engine under test."""
    opened, _ = store_of(store_settings)
    await opened.open()
    yield opened
    await opened.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One visible line when the PostgreSQL tests were skipped for want of PostgreSQL."""
    reason = unavailable_reason()
    if reason is not None:
        terminalreporter.write_line(f"racebot: {reason}: the PostgreSQL tests were skipped")
