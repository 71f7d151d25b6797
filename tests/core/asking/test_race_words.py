"""Every race option: latest, last, previous, a year, a circuit, a round and a title; and the
answer says which race it chose when the words did not name it by its title."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.asking.answers import AmbiguousAnswer, NotFoundAnswer, RaceAnswer
from bot.core.asking.query import QueryService
from bot.present.cards import answer_cards
from tests.core.asking.fans import SONOMA_TEXT, service_of, title_of, variant

SONOMA = "2003 Grand Prix of Sonoma"
PETIT = "2004 Petit Le Mans"
PETIT_TEXT = variant(
    PETIT, dt.date(2004, 9, 25), 4, {"Infineon Raceway, California": "Road Atlanta, Georgia"}
)


@pytest.fixture(scope="module")
def service() -> QueryService:
    """Two races: the seed (round 3, 2003) and a later one (round 4, 2004)."""
    return service_of(("2003-sonoma.txt", SONOMA_TEXT), ("2004-petit.txt", PETIT_TEXT))


@pytest.mark.parametrize(
    ("race", "title", "said"),
    [
        ("latest", PETIT, True),
        ("last", PETIT, True),
        ("the latest race", PETIT, True),
        ("previous", SONOMA, True),
        ("previous race", SONOMA, True),
        ("round 3 2003", SONOMA, True),
        ("round 4", PETIT, True),
        ("2003 round 3", SONOMA, True),
        ("Road Atlanta", PETIT, True),
        ("Infineon", SONOMA, True),
        ("2003", SONOMA, False),
        ("Sonoma", SONOMA, False),
        ("Petit Le Mans", PETIT, False),
        (SONOMA, SONOMA, False),
    ],
)
def test_every_race_option(service: QueryService, race: str, title: str, said: bool) -> None:
    """Each selector chooses its race; one that is not the title's words says which it chose."""
    answer = service.ask("race", race=race)
    assert isinstance(answer, RaceAnswer), answer
    assert answer.race.title == title
    line = f"Showing {title} for “{race}”"
    assert (answer_cards(answer)[0].description.splitlines()[0] == line) is said


def test_a_round_in_two_years_is_offered(service: QueryService) -> None:
    """'round 3' with two rounds 3 loaded is not guessed: both are offered."""
    again = variant("2005 Grand Prix of Sonoma", dt.date(2005, 7, 24), 3)
    two = service_of(("a.txt", SONOMA_TEXT), ("b.txt", again))
    answer = two.ask("race", race="round 3")
    assert isinstance(answer, AmbiguousAnswer)
    assert len(answer.choices) == 2


def test_missing_rounds_and_previous_say_what_is_loaded() -> None:
    """'previous' with one race, or a round not loaded, is a miss that offers the latest."""
    one = service_of(("a.txt", SONOMA_TEXT))
    for race in ("previous", "round 9"):
        answer = one.ask("stats", race=race)
        assert isinstance(answer, NotFoundAnswer)
        assert "1 race loaded" in answer.hint
        assert [choice.options for choice in answer.choices] == [(("race", SONOMA),)]


def test_every_command_takes_the_words(service: QueryService) -> None:
    """latest and previous work on every command with a race option."""
    for command, options in (
        ("class", {"class": "GTS"}),
        ("classification", {}),
        ("result", {"query": "Dyson"}),
        ("car", {"number": "16"}),
        ("stats", {}),
        ("chart", {}),
    ):
        latest = service.ask(command, race="latest", **options)
        previous = service.ask(command, race="previous", **options)
        assert title_of(latest) == PETIT, command
        assert title_of(previous) == SONOMA, command
