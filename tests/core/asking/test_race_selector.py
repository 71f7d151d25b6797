"""A race option matches titles, circuits, places and years, never a series name alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.asking.answers import NotFoundAnswer, StatsAnswer
from bot.core.asking.query import QueryService
from bot.core.documents.parsing import parse_race
from bot.core.library.races import RaceLibrary

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "fixtures" / "2003-grand-prix-of-sonoma.txt"
).read_text(encoding="utf-8")
LE_MANS = (
    SEED_TEXT.replace("= 2003 Grand Prix of Sonoma =", "= 2003 24 Hours of Le Mans =")
    .replace("The 2003 Infineon Grand Prix of Sonoma was the third race of the 2003 American Le"
             " Mans Series season.", "The 2003 24 Hours of Le Mans was the 71st Grand Prix of"
             " Endurance.")
    .replace("at Infineon Raceway, California on July 27, 2003",
             "at the Circuit de la Sarthe, Le Mans, France on June 15, 2003")
)  # fmt: skip


@pytest.fixture
def sonoma_only() -> QueryService:
    """The 2003 Grand Prix of Sonoma, a race of the American Le Mans Series."""
    return QueryService(RaceLibrary([parse_race(SEED_TEXT, "sonoma.txt")]))


@pytest.mark.parametrize("selector", ["Le Mans 2003", "American Le Mans Series", "Le Mans"])
def test_a_series_name_alone_picks_no_race(sonoma_only: QueryService, selector: str) -> None:
    """Words of the series name never make the race match: a miss, not Sonoma."""
    answer = sonoma_only.stats(selector)
    assert isinstance(answer, NotFoundAnswer)


def test_the_miss_points_to_what_exists(sonoma_only: QueryService) -> None:
    """'Le Mans 2003' misses, and offers the 2003 race that is loaded (by its year)."""
    answer = sonoma_only.stats("Le Mans 2003")
    assert isinstance(answer, NotFoundAnswer)
    assert answer.suggestions == ("2003 Grand Prix of Sonoma",)


def test_le_mans_picks_the_race_titled_so() -> None:
    """With the 24 Hours of Le Mans loaded, 'Le Mans 2003' is that race alone, never the
    American Le Mans Series race of the same year."""
    service = QueryService(
        RaceLibrary([parse_race(SEED_TEXT, "sonoma.txt"), parse_race(LE_MANS, "le-mans.txt")])
    )
    answer = service.stats("Le Mans 2003")
    assert isinstance(answer, StatsAnswer)
    assert answer.race.title == "2003 24 Hours of Le Mans"
