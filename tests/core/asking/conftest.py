"""The query services the tests of asking share: the seed alone, three races, none."""

from __future__ import annotations

import pytest

from bot.core.asking.query import (
    QueryService,
)
from bot.core.documents.parsing import parse_race
from bot.core.library.loading import load_library
from bot.core.library.races import RaceLibrary
from tests.core.asking.three_races import (
    PETIT_2003,
    SEED_TEXT,
    SEEDS,
    SONOMA_2003,
    SONOMA_2004,
    variant,
)


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The query service over the project's seed folder (one race)."""
    loaded = load_library(SEEDS)
    library, errors = loaded.library, loaded.errors
    assert not errors
    return QueryService(library)


@pytest.fixture(scope="module")
def multi() -> QueryService:
    """Three races: the seed, the 2004 Sonoma race, and a 2003 Petit Le Mans at Road Atlanta.

    2004 has "Tomas Enge" written without accents and Elliott Forbes-Robinson in place of
    Butch Leitzinger, so Leitzinger raced only in 2003.
    """
    seed = parse_race(SEED_TEXT, "2003-grand-prix-of-sonoma.txt")
    sonoma_2004 = variant(
        "2004-grand-prix-of-sonoma.txt",
        (f"= {SONOMA_2003} =", f"= {SONOMA_2004} ="),
        ("The 2003 Infineon", "The 2004 Infineon"),
        ("third race of the 2003", "fourth race of the 2004"),
        ("July 27, 2003", "July 25, 2004"),
        ("Tomáš Enge", "Tomas Enge"),
        ("Butch Leitzinger", "Elliott Forbes-Robinson"),
    )
    petit = variant(
        "2003-petit-le-mans.txt",
        (f"= {SONOMA_2003} =", f"= {PETIT_2003} ="),
        ("The 2003 Infineon Grand Prix of Sonoma was the third", f"The {PETIT_2003} was the ninth"),
        (
            "Infineon Raceway, California on July 27, 2003",
            "Road Atlanta, Georgia on October 18, 2003",
        ),
    )
    return QueryService(RaceLibrary([seed, petit, sonoma_2004]))


@pytest.fixture(scope="module")
def empty() -> QueryService:
    """The query service over no races."""
    return QueryService(RaceLibrary([]))
