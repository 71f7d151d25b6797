"""/chart in the core: the race is chosen as /race chooses it, and refused the same way."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import (
    AmbiguousAnswer,
    ChartAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.query import NO_RACES, QueryService
from bot.core.library.races import RaceLibrary


def test_chart_defaults_to_the_latest_race(query_service: QueryService) -> None:
    """With no race, the latest race is charted."""
    assert query_service.ask("chart") == ChartAnswer(race=query_service.library.latest)


@pytest.mark.parametrize("race", ["Sonoma", "2003", "infineon", "2003 Grand Prix of Sonoma"])
def test_chart_selects_the_race_loosely(query_service: QueryService, race: str) -> None:
    """Title, year or circuit select the race, as for /race."""
    answer = query_service.chart(race)
    assert isinstance(answer, ChartAnswer)
    assert answer.race.title == "2003 Grand Prix of Sonoma"


def test_a_missed_race_is_refused(query_service: QueryService) -> None:
    """No race matches: a not-found answer about the race, shown only to the asker."""
    answer = query_service.ask("chart", race="Monza")
    assert isinstance(answer, NotFoundAnswer)
    assert (answer.subject, answer.query, answer.ephemeral) == (Subject.RACE, "Monza", True)
    assert answer == query_service.ask("race", race="Monza")


def test_two_matching_races_are_offered_not_guessed(seed_library: RaceLibrary) -> None:
    """A selector matching two races lists both, as /race does; each choice asks /chart."""
    [sonoma] = seed_library.races
    sprint = sonoma.model_copy(update={"title": "2003 Sonoma Sprint", "source": "sprint.txt"})
    service = QueryService(RaceLibrary([sonoma, sprint]))
    answer = service.ask("chart", race="Sonoma")
    assert isinstance(answer, AmbiguousAnswer)
    assert len(answer.options) == 2
    race = service.ask("race", race="Sonoma")
    assert isinstance(race, AmbiguousAnswer)
    assert answer.options == race.options
    assert [(c.command, c.options) for c in answer.choices] == [
        ("chart", c.options) for c in race.choices
    ]


def test_no_races_loaded() -> None:
    """With an empty library, /chart says so."""
    assert QueryService(RaceLibrary(())).ask("chart") == InvalidAnswer(message=NO_RACES)
