"""Cards and paging: long answers split into pages, every card within Discord's limits."""

from __future__ import annotations

import pytest

from bench.synthetic import synthetic_races
from bot.core.asking.answers import (
    ClassAnswer,
    DriverAnswer,
    DriverRace,
    ResultsAnswer,
)
from bot.core.documents.model import Race, summarise
from bot.present.cards import answer_cards
from bot.present.pages import Card, CardField, card_problems
from tests.present.support import SOURCE, assert_within_limits


def test_many_cars_are_paged(sonoma: Race) -> None:
    """All 36 cars in one /result answer: ten per page, "page n/N" in every footer."""
    answer = ResultsAnswer(race=sonoma, query="R", matched=(), cars=sonoma.entries)
    cards = answer_cards(answer)
    assert [len(card.fields) for card in cards] == [10, 10, 10, 6]
    assert [card.footer for card in cards] == [
        f"Source: {SOURCE} · page {page}/4" for page in range(1, 5)
    ]
    assert_within_limits(cards)


def test_a_36_car_class_listing_is_paged(sonoma: Race) -> None:
    """A class listing longer than a page continues on the next, the counts on every page."""
    answer = ClassAnswer(race=sonoma, class_="ALL", entries=sonoma.entries)
    cards = answer_cards(answer)
    assert len(cards) == 2
    lines = [line for card in cards for line in card.description.splitlines()[2:]]
    assert len(lines) == 36
    assert all(card.description.startswith("36 cars · 28 classified") for card in cards)
    assert cards[1].footer.endswith("page 2/2")


def test_driver_across_many_races_is_paged() -> None:
    """A driver in sixty synthetic races: eight races a page, all within limits."""
    appearances = []
    for race in synthetic_races(60, seed=3):
        entry = race.entries[0]
        crew = ("Johnny Herbert", *entry.drivers[1:])
        appearances.append(
            DriverRace(race=summarise(race), entry=entry.model_copy(update={"drivers": crew}))
        )
    cards = answer_cards(DriverAnswer(driver="Johnny Herbert", appearances=tuple(appearances)))
    assert len(cards) == 8
    assert [len(card.fields) for card in cards] == [8] * 7 + [4]
    assert cards[0].description == "60 races · 60 cars"
    assert cards[0].footer.startswith("Sources: ")
    assert cards[0].footer.endswith("page 1/8")
    assert_within_limits(cards)


def test_card_refuses_to_exceed_limits() -> None:
    """A Card built by hand past a limit is rejected, naming the limit."""
    with pytest.raises(ValueError, match="title"):
        Card(title="x" * 257, description="", colour=0)
    with pytest.raises(ValueError, match="fields"):
        Card(title="t", description="", colour=0, fields=(CardField("n", "v"),) * 26)
    with pytest.raises(ValueError, match="in all"):
        Card(title="t", description="d" * 4000, colour=0, footer="f" * 2001)
    assert card_problems(Card(title="t", description="d", colour=0)) == []
