"""/season: seasons matched loosely, races in round order, class wins and podiums; autocomplete."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    InvalidAnswer,
    NotFoundAnswer,
    SeasonAnswer,
    SeasonStanding,
    Subject,
)
from bot.core.asking.query import QueryService, Suggestion, SuggestKind
from bot.core.asking.questions.season import initials
from bot.core.library.races import RaceLibrary
from tests.core.asking.season_library import (
    ALMS,
    ALPHA,
    APEX,
    BETA,
    CASTRO,
    CREST,
    EAGLE,
    EPSILON,
    FALCON,
    GAMMA,
    OTHER,
    TES,
    season_library,
)


@pytest.fixture(scope="module")
def season() -> QueryService:
    """The query service over the small multi-race library."""
    return QueryService(season_library())


def season_of(answer: Answer) -> SeasonAnswer:
    """The answer, checked to be a season."""
    assert isinstance(answer, SeasonAnswer), answer
    return answer


def test_seed_season(query_service: QueryService) -> None:
    """/season on the seed: 2003 ALMS, one race, every class winner's crew with a win."""
    answer = season_of(query_service.ask("season"))
    assert (answer.series, answer.year) == (ALMS, 2003)
    assert [race.title for race in answer.races] == ["2003 Grand Prix of Sonoma"]
    assert answer.drivers[0] == SeasonStanding(name="Butch Leitzinger", wins=1, podiums=1)
    assert sum(row.wins for row in answer.drivers) == 8  # four classes, two drivers each
    assert answer.teams[:4] == (
        SeasonStanding(name="Alex Job Racing", wins=1, podiums=2),
        SeasonStanding(name="Corvette Racing", wins=1, podiums=2),
        SeasonStanding(name="Dyson Racing", wins=1, podiums=2),
        SeasonStanding(name="Infineon Team Joest", wins=1, podiums=1),
    )


def test_default_is_the_latest_races_season_in_round_order(season: QueryService) -> None:
    """With neither series nor year: the 2005 Test Endurance Series, rounds 1 to 3."""
    answer = season_of(season.ask("season"))
    assert (answer.series, answer.year) == (TES, 2005)
    assert [race.title for race in answer.races] == [ALPHA, BETA, GAMMA]
    assert [race.round for race in answer.races] == [1, 2, 3]


def test_standings_count_class_wins_and_classified_podiums(season: QueryService) -> None:
    """Class wins first, then podiums; DNF and NC cars in a class's top three do not count."""
    answer = season_of(season.ask("season"))
    assert [(row.name, row.wins, row.podiums) for row in answer.drivers] == [
        ("Anna Ackermann", 2, 3),
        ("Greta Hoffmann", 2, 3),
        ("Nico Novák", 2, 3),
        ("Oskar Okafor", 1, 3),
        ("Paulo Pereira", 1, 3),
        ("Ben Brück", 1, 2),
        ("Carlos Castro", 1, 2),
        ("Lars Lindqvist", 1, 2),
        ("Wim West", 1, 1),
        ("Hans Hoffmann", 0, 3),
        ("Ulla Ulrich", 0, 3),
    ]
    assert [(row.name, row.wins, row.podiums) for row in answer.teams] == [
        (CREST, 3, 6),
        (APEX, 1, 2),
        (FALCON, 1, 2),
        (EAGLE, 1, 1),
        (CASTRO, 0, 3),
    ]


@pytest.mark.parametrize(
    ("series", "year", "expected"),
    [
        ("ALMS", None, (ALMS, 2004)),
        ("american le mans", None, (ALMS, 2004)),
        ("alms", "2004", (ALMS, 2004)),
        ("TES", None, (TES, 2005)),
        ("test endurance", "2005", (TES, 2005)),
        ("Test Endurence", None, (TES, 2005)),  # an unmistakable typo, said aloud
        ("OSCC", None, (OTHER, 2005)),
        ("OSC", None, (OTHER, 2005)),  # initials without "Championship"
        ("2004", None, (ALMS, 2004)),
        (None, "2004", (ALMS, 2004)),
        ("2005 Other Sports Car Championship", None, (OTHER, 2005)),  # an autocomplete value
    ],
)
def test_series_and_year_matched_loosely(
    season: QueryService, series: str | None, year: str | None, expected: tuple[str, int]
) -> None:
    """Acronyms, word prefixes, typos and years find the season."""
    answer = season_of(season.ask("season", series=series, year=year))
    assert (answer.series, answer.year) == expected


def test_a_year_with_two_series_is_offered(season: QueryService) -> None:
    """2005 has two series: both seasons are offered, newest first."""
    answer = season.ask("season", year="2005")
    assert isinstance(answer, AmbiguousAnswer)
    assert answer.subject is Subject.SEASON
    assert answer.options == (f"2005 {TES}", f"2005 {OTHER}")


def test_unknown_seasons_suggest_loaded_ones(season: QueryService) -> None:
    """A series not loaded: not found, nothing offered; a year its series did not race: its
    other seasons offered."""
    nascar = season.ask("season", series="NASCAR")
    assert isinstance(nascar, NotFoundAnswer)
    assert nascar.subject is Subject.SEASON
    assert (nascar.suggestions, nascar.choices) == ((), ())
    wrong_year = season.ask("season", series="ALMS", year="2005")
    assert isinstance(wrong_year, NotFoundAnswer)
    assert wrong_year.suggestions == (f"2004 {ALMS}",)


def test_two_years_are_refused(season: QueryService) -> None:
    """One season at a time."""
    answer = season.ask("season", series="2004", year="2005")
    assert isinstance(answer, InvalidAnswer)


def test_without_races_or_series() -> None:
    """No races: the usual refusal; races without a series: no season to show."""
    assert isinstance(QueryService(RaceLibrary([])).ask("season"), InvalidAnswer)
    bare = [race.model_copy(update={"series": None}) for race in season_library().races]
    answer = QueryService(RaceLibrary(bare)).ask("season")
    assert isinstance(answer, InvalidAnswer)
    assert "series" in answer.message


def test_initials() -> None:
    """Initials of every word, and without a generic last word."""
    assert initials("American Le Mans Series") == ("alms", "alm")
    assert initials("Other Sports Car Championship") == ("oscc", "osc")
    assert initials("Formula One") == ("fo",)
    assert initials("IndyCar") == ()


def test_season_autocomplete(season: QueryService) -> None:
    """The loaded seasons, newest first, with their race counts; typed text narrows them."""
    assert season.suggest(SuggestKind.SEASON, "") == [
        Suggestion(f"2005 {TES} · 3 races", f"2005 {TES}"),
        Suggestion(f"2005 {OTHER} · 1 race", f"2005 {OTHER}"),
        Suggestion(f"2004 {ALMS} · 1 race", f"2004 {ALMS}"),
    ]
    assert [s.value for s in season.suggest(SuggestKind.SEASON, "200")] == [
        f"2005 {TES}",
        f"2005 {OTHER}",
        f"2004 {ALMS}",
    ]
    assert [s.value for s in season.suggest(SuggestKind.SEASON, "2004")] == [f"2004 {ALMS}"]
    assert [s.value for s in season.suggest(SuggestKind.SEASON, "alms")] == [f"2004 {ALMS}"]
    assert [s.value for s in season.suggest(SuggestKind.SEASON, "te")] == [f"2005 {TES}"]
    assert season.suggest(SuggestKind.SEASON, "nascar") == []
    assert len(season.suggest(SuggestKind.SEASON, "", limit=1)) == 1


def test_seed_season_autocomplete(query_service: QueryService) -> None:
    """The seed's one season, as the issue shows it."""
    assert query_service.suggest(SuggestKind.SEASON, "am") == [
        Suggestion("2003 American Le Mans Series · 1 race", "2003 American Le Mans Series")
    ]


def test_compare_autocomplete_offers_drivers_teams_and_cars(season: QueryService) -> None:
    """ "Castro" offers the driver and the team; a number offers cars."""
    labels = [s.label for s in season.suggest(SuggestKind.SIDE, "Castro")]
    assert labels[:2] == [
        "Castro Racing (team: #9)",
        "Carlos Castro (driver: #2 Blue Falcon Motorsport)",
    ]
    assert season.suggest(SuggestKind.SIDE, "52")[0].value == "52"


def test_season_races_of_the_epsilon_season(season: QueryService) -> None:
    """A season of one race carries that race."""
    answer = season_of(season.ask("season", series="ALMS"))
    assert [race.title for race in answer.races] == [EPSILON]
