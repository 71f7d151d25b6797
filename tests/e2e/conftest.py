"""Fixtures for end-to-end tests against the local Discord stand-in."""

from collections.abc import Iterator

import pytest

from bench.standin import discord_standin, open_file_limit

__all__ = ["discord_standin", "enough_open_files"]


@pytest.fixture(scope="session", autouse=True)
def enough_open_files() -> Iterator[None]:
    """Bursts hold two sockets per callback in flight: lift a 1024 open-file limit."""
    with open_file_limit():
        yield
