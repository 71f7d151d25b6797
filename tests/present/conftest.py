"""Fixtures of the presentation tests: the seed race."""

from __future__ import annotations

import pytest

from bot.core.library import RaceLibrary
from bot.core.model import Race


@pytest.fixture(scope="module")
def sonoma(seed_library: RaceLibrary) -> Race:
    """The seed race."""
    race = seed_library.latest
    assert race is not None
    return race
