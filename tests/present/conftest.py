"""Fixtures of the presentation tests: the seed race."""

from __future__ import annotations

import pytest

from bot.core.documents.model import Race
from bot.core.library.races import RaceLibrary


@pytest.fixture(scope="module")
def sonoma(seed_library: RaceLibrary) -> Race:
    """The seed race."""
    race = seed_library.latest
    assert race is not None
    return race
