"""Fixtures for end-to-end tests against the local Discord stand-in."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bench.standin import DiscordStandin, discord_standin, open_file_limit
from bot.core.asking.query import QueryService
from bot.core.library.loading import load_library
from bot.discord.client import RaceBot
from tests.e2e.support import SEEDS, TOKEN, new_bot

__all__ = ["discord_standin", "enough_open_files", "live_bot", "service", "standin"]


@pytest.fixture(scope="session", autouse=True)
def enough_open_files() -> Iterator[None]:
    """Bursts hold two sockets per callback in flight: lift a 1024 open-file limit."""
    with open_file_limit():
        yield


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The query service over the project's seeds (loaded the way the bot loads them)."""
    loaded = load_library(SEEDS)
    library, errors = loaded.library, loaded.errors
    assert not errors
    return QueryService(library)


@pytest_asyncio.fixture
async def standin(clean_env: Path) -> AsyncIterator[DiscordStandin]:
    """A stand-in expecting racebot's token, with discord.py pointed at it."""
    async with DiscordStandin(token=TOKEN) as server:
        with server.patched():
            yield server


@pytest_asyncio.fixture
async def live_bot(standin: DiscordStandin, service: QueryService) -> AsyncIterator[RaceBot]:
    """racebot logged in, synced to the guild and ready; closed at teardown."""
    bot = new_bot(standin, service)
    async with standin.running(bot, token=TOKEN):
        yield bot
    assert bot.is_closed()
