"""The query service's autocomplete: choices for what has been typed so far."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.core.asking.answers import (
    RaceAnswer,
)
from bot.core.asking.query import (
    MAX_CHOICE_LENGTH,
    MAX_SUGGESTIONS,
    QueryService,
    Suggestion,
    SuggestKind,
)
from bot.core.documents.parsing import parse_race
from bot.core.library.races import RaceLibrary
from tests.core.asking.three_races import (
    PETIT_2003,
    SEED_TEXT,
    SONOMA_2003,
    SONOMA_2004,
    variant,
)

# --- autocomplete -----------------------------------------------------------------------------


def values(suggestions: Sequence[Suggestion]) -> list[str]:
    """The values of suggestions."""
    return [s.value for s in suggestions]


@pytest.mark.parametrize(
    ("kind", "prefix", "expected"),
    [
        (SuggestKind.QUERY, "dyson", ["Dyson Racing", "Chris Dyson"]),
        (SuggestKind.QUERY, "dy", ["Dyson Racing", "Chris Dyson"]),
        (SuggestKind.QUERY, "herbet", ["Johnny Herbert"]),
        (SuggestKind.QUERY, "03", ["03"]),
        ("driver", "herb", ["Johnny Herbert"]),  # a plain string names the kind too
        ("bogus", "herb", []),
        (SuggestKind.CAR, "3", ["3", "38", "30", "35", "31", "33", "37"]),
        (SuggestKind.CAR, "#0", ["0", "03"]),
        (SuggestKind.CAR, "dyson", ["16", "20"]),
        (SuggestKind.DRIVER, "field", ["Clint Field", "Jon Field"]),
        (SuggestKind.DRIVER, "jorg", ["Jörg Bergmeister"]),
        (SuggestKind.DRIVER, "leitz", ["Butch Leitzinger"]),
        (SuggestKind.DRIVER, "Leitzingr", ["Butch Leitzinger"]),
        (SuggestKind.DRIVER, "schumacher", []),
        (SuggestKind.TEAM, "racer", ["The Racer's Group"]),
        (SuggestKind.TEAM, "pk", ["P.K. Sport"]),
        (SuggestKind.TEAM, "orbit", ["Orbit Racing"]),
        (SuggestKind.CLASS, "", ["LMP675", "LMP900", "GTS", "GT"]),
        (SuggestKind.CLASS, "gt", ["GT", "GTS"]),  # the exact class first
        (SuggestKind.CLASS, "lmp", ["LMP675", "LMP900"]),
        (SuggestKind.CLASS, "900", ["LMP900"]),
        (SuggestKind.RACE, "", [SONOMA_2003]),
        (SuggestKind.RACE, "sono", [SONOMA_2003]),
        (SuggestKind.RACE, "daytona", []),
    ],
)
def test_suggest(
    service: QueryService, kind: SuggestKind, prefix: str, expected: list[str]
) -> None:
    """Autocomplete ranks exact, then prefix (names starting with it first), then typos."""
    assert values(service.suggest(kind, prefix)) == expected


def test_suggest_labels_say_what_a_name_is(service: QueryService) -> None:
    """Labels tell teams, drivers and cars apart."""
    labels = [s.label for s in service.suggest(SuggestKind.QUERY, "dyson")]
    assert labels == ["Dyson Racing (team: #16, #20)", "Chris Dyson (driver: #20 Dyson Racing)"]
    (car,) = service.suggest(SuggestKind.CAR, "03")
    assert car.label == "#03 Hyper Sport (GT): Joe Foster / Brad Nyberg / Rick Skelton"
    (field, _) = service.suggest(SuggestKind.DRIVER, "field")
    assert field.label == "Clint Field (#30 Intersport Racing)"
    (gts,) = service.suggest(SuggestKind.CLASS, "gts")
    assert gts.label == "GTS (6 cars)"


def test_suggest_empty_prefix_in_finishing_order(service: QueryService) -> None:
    """With nothing typed, the first names in finishing order, at most 25."""
    drivers = values(service.suggest(SuggestKind.DRIVER, ""))
    assert len(drivers) == MAX_SUGGESTIONS
    assert drivers[:4] == ["Butch Leitzinger", "James Weaver", "Marco Werner", "Frank Biela"]
    teams = values(service.suggest(SuggestKind.TEAM, "", limit=3))
    assert teams == ["Dyson Racing", "Infineon Team Joest", "ADT Champion Racing"]
    cars = values(service.suggest(SuggestKind.CAR, "", limit=4))
    assert cars == ["16", "1", "38", "27"]
    assert values(service.suggest(SuggestKind.QUERY, "", limit=4)) == cars


@pytest.mark.parametrize("limit", [-5, 0, 1, 7, 25, 26, 1000])
def test_suggest_limit(service: QueryService, limit: int) -> None:
    """Never more than asked for, and never more than 25."""
    for kind in SuggestKind:
        assert len(service.suggest(kind, "", limit=limit)) <= max(0, min(limit, 25))
    assert len(service.suggest(SuggestKind.QUERY, "r", limit=limit)) == max(0, min(limit, 25))


def test_suggest_choices_fit_discord(multi: QueryService) -> None:
    """Every label and value fits Discord's 100 characters, even for a very long team name."""
    long_team = "Petersen Motorsport White Lightning Racing " + "Extra Long Sponsor " * 8
    race = variant(
        "long.txt",
        (f"= {SONOMA_2003} =", "= 2005 Long Names Cup ="),
        ("July 27, 2003", "July 24, 2005"),
        ("Petersen Motorsport White Lightning Racing", long_team.strip()),
    )
    service = QueryService(RaceLibrary([race]))
    choices = [c for kind in SuggestKind for c in service.suggest(kind, "")]
    choices += service.suggest(SuggestKind.TEAM, "petersen")
    choices += service.suggest(SuggestKind.CAR, "31")
    assert any(c.value.startswith("Petersen") for c in choices)
    for choice in choices:
        assert 0 < len(choice.label) <= MAX_CHOICE_LENGTH
        assert 0 < len(choice.value) <= MAX_CHOICE_LENGTH


def test_suggest_follows_the_race(multi: QueryService) -> None:
    """Suggestions come from the chosen race; drivers from every race when none is chosen."""
    assert values(multi.suggest(SuggestKind.DRIVER, "leitz")) == ["Butch Leitzinger"]
    assert multi.suggest(SuggestKind.DRIVER, "leitz", race="2004") == []
    assert values(multi.suggest(SuggestKind.DRIVER, "leitz", race="sonoma 2003")) == [
        "Butch Leitzinger"
    ]
    assert multi.suggest(SuggestKind.QUERY, "leitz") == []  # the latest race has no Leitzinger
    assert multi.suggest(SuggestKind.TEAM, "dyson", race="Sebring") == []
    (butch,) = multi.suggest(SuggestKind.DRIVER, "butch")
    assert butch.label == "Butch Leitzinger (#16 Dyson Racing)"


def test_suggest_race_values_select_their_race(multi: QueryService) -> None:
    """A race choice's value picks exactly that race; newest first."""
    choices = multi.suggest(SuggestKind.RACE, "")
    assert values(choices) == [SONOMA_2004, PETIT_2003, SONOMA_2003]
    assert choices[0].label == f"{SONOMA_2004} (Infineon Raceway, July 25, 2004)"
    for choice in choices:
        answer = multi.race(choice.value)
        assert isinstance(answer, RaceAnswer)
        assert answer.race.title == choice.value
    assert values(multi.suggest(SuggestKind.RACE, "sonoma")) == [SONOMA_2004, SONOMA_2003]
    assert values(multi.suggest(SuggestKind.RACE, "2003 so")) == [SONOMA_2003]


def test_suggest_race_value_is_the_file_when_titles_repeat() -> None:
    """Two races with one title are told apart by their file names."""
    first = parse_race(SEED_TEXT, "a.txt")
    second = variant("b.txt", ("July 27, 2003", "July 28, 2003"))
    service = QueryService(RaceLibrary([first, second]))
    choices = service.suggest(SuggestKind.RACE, "")
    assert values(choices) == ["b.txt", "a.txt"]
    assert [service.race(c.value).race.source for c in choices] == ["b.txt", "a.txt"]  # type: ignore[union-attr]
