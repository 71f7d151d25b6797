"""/compare: sides resolved honestly, shared races, who finished ahead, the tally."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    CompareAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.query import QueryService
from bot.core.asking.questions.compare import ahead
from bot.core.documents.model import Entry, Status
from bot.core.library.races import RaceLibrary
from tests.core.asking.season_library import (
    ALPHA,
    ANNA,
    BEN,
    BETA,
    CARLOS,
    CASTRO,
    CREST,
    DELTA,
    EPSILON,
    GAMMA,
    season_library,
)


@pytest.fixture(scope="module")
def season() -> QueryService:
    """The query service over the small multi-race library."""
    return QueryService(season_library())


def compared(answer: Answer) -> CompareAnswer:
    """The answer, checked to be a comparison."""
    assert isinstance(answer, CompareAnswer), answer
    return answer


def test_seed_team_mates_are_said_to_be(query_service: QueryService) -> None:
    """Herbert and Lehto share #38: one shared race, the same car, nobody ahead."""
    answer = compared(query_service.ask("compare", first="Herbert", second="Lehto"))
    assert (answer.first.name, answer.first.what) == ("Johnny Herbert", "driver")
    assert (answer.second.name, answer.second.what) == ("JJ Lehto", "driver")
    [shared] = answer.shared
    assert shared.same_car
    assert shared.ahead is None
    assert [e.number for e in shared.first] == [e.number for e in shared.second] == ["38"]
    assert (shared.first[0].position, shared.first[0].class_position) == (3, 2)
    assert answer.tally == (0, 0)


def test_seed_drivers_of_different_cars(query_service: QueryService) -> None:
    """Herbert (#38, P3) against Werner (#1, P2): Werner ahead, 0-1."""
    answer = compared(query_service.ask("compare", first="Herbert", second="Marco Werner"))
    [shared] = answer.shared
    assert shared.race.title == "2003 Grand Prix of Sonoma"
    assert (shared.first[0].number, shared.second[0].number) == ("38", "1")
    assert (shared.first[0].laps, shared.second[0].laps) == (102, 102)
    assert (shared.first[0].status, shared.second[0].status) == (Status.CLASSIFIED,) * 2
    assert shared.ahead == "second"
    assert not shared.same_car
    assert answer.tally == (0, 1)


def test_seed_cars_and_teams(query_service: QueryService) -> None:
    """Two car numbers, and a driver against a team with two cars (its best car counts)."""
    cars = compared(query_service.ask("compare", first="16", second="#20"))
    assert (cars.first.name, cars.first.what, cars.second.name) == ("#16", "car", "#20")
    assert cars.shared[0].ahead == "first"
    mixed = compared(query_service.ask("compare", first="Chris Dyson", second="Corvette"))
    assert (mixed.second.name, mixed.second.what) == ("Corvette Racing", "team")
    assert [entry.number for entry in mixed.shared[0].second] == ["3", "4"]
    assert mixed.shared[0].ahead == "first"  # P7 against the best Corvette, P8


def test_across_a_season(season: QueryService) -> None:
    """Ackermann and Castro share three races, newest first; Ackermann ahead 2-1."""
    answer = compared(season.ask("compare", first="Ackermann", second="Carlos Castro"))
    assert answer.first.name == ANNA
    assert answer.second.name == CARLOS
    assert [shared.race.title for shared in answer.shared] == [GAMMA, BETA, ALPHA]
    assert [shared.ahead for shared in answer.shared] == ["first", "second", "first"]
    assert not any(shared.same_car for shared in answer.shared)
    assert answer.tally == (2, 1)
    gamma = answer.shared[0]
    assert (gamma.first[0].number, gamma.first[0].position) == ("7", 1)
    assert (gamma.second[0].status, gamma.second[0].position) == (Status.DNF, None)


def test_a_driver_in_two_cars_of_one_race(season: QueryService) -> None:
    """In Beta, Ackermann raced #1 (P2) and #5 (DNF): both shown, the best one compared."""
    answer = compared(season.ask("compare", first="Anna Ackermann", second=CARLOS, race="Beta"))
    [beta] = answer.shared
    assert [(e.number, e.position, e.status) for e in beta.first] == [
        ("1", 2, Status.CLASSIFIED),
        ("5", 6, Status.DNF),
    ]
    assert [entry.number for entry in beta.second] == ["2"]
    assert beta.ahead == "second"  # Castro's P1 against Ackermann's best, P2
    assert answer.tally == (0, 1)


def test_team_mates_across_a_season(season: QueryService) -> None:
    """Ackermann and Brück share #1 in Alpha and Beta (and Ackermann's #5 changes nothing)."""
    answer = compared(season.ask("compare", first="Ackermann", second="Brück"))
    assert [shared.race.title for shared in answer.shared] == [BETA, ALPHA]
    assert all(shared.same_car and shared.ahead is None for shared in answer.shared)
    assert answer.tally == (0, 0)


def test_no_shared_race_shows_each_sides_races(season: QueryService) -> None:
    """Brück and Dubois never met: no shared race, and each side's races are there."""
    answer = compared(season.ask("compare", first=BEN, second="Dario Dubois"))
    assert answer.shared == ()
    assert [item.race.title for item in answer.first.appearances] == [BETA, ALPHA, EPSILON]
    assert [item.race.title for item in answer.second.appearances] == [DELTA]
    assert answer.tally == (0, 0)


def test_teams_best_cars_compared(season: QueryService) -> None:
    """Crest Team against Castro Racing: each race's best-placed cars; Castro ahead 2-1."""
    answer = compared(season.ask("compare", first="Crest", second="Castro Racing"))
    assert (answer.first.name, answer.first.what) == (CREST, "team")
    assert [shared.first[0].number for shared in answer.shared] == ["51", "50", "50"]
    assert [shared.ahead for shared in answer.shared] == ["second", "first", "second"]
    assert answer.tally == (1, 2)


def test_unclear_names_are_offered_not_guessed(season: QueryService) -> None:
    """ "Castro" is a driver and a team; "Hoffmann" two drivers: options, never a pick."""
    castro = season.ask("compare", first="Ackermann", second="Castro")
    assert isinstance(castro, AmbiguousAnswer)
    assert castro.subject is Subject.SIDE
    assert castro.options == (
        "Carlos Castro (#2 Blue Falcon Motorsport; 3 races)",
        "Castro Racing (team: #9; 3 races)",
    )
    hoffmann = season.ask("compare", first="Hoffmann", second=CASTRO)
    assert isinstance(hoffmann, AmbiguousAnswer)
    assert hoffmann.subject is Subject.SIDE
    assert [option.split(" (")[0] for option in hoffmann.options] == [
        "Hans Hoffmann",
        "Greta Hoffmann",
    ]


def test_missing_names_and_cars(season: QueryService) -> None:
    """Nobody called Schumacher, no car #99: not found, with nothing guessed."""
    nobody = season.ask("compare", first="Ackermann", second="Schumacher")
    assert isinstance(nobody, NotFoundAnswer)
    assert (nobody.subject, nobody.query) == (Subject.SIDE, "Schumacher")
    no_car = season.ask("compare", first="99", second="Ackermann")
    assert isinstance(no_car, NotFoundAnswer)
    assert (no_car.subject, no_car.query) == (Subject.CAR, "99")


def test_the_same_side_twice_is_refused(season: QueryService) -> None:
    """Comparing someone with themselves says so."""
    answer = season.ask("compare", first="Anna Ackermann", second="ackermann")
    assert isinstance(answer, InvalidAnswer)
    assert "Anna Ackermann" in answer.message


def test_both_names_in_the_first_option(season: QueryService) -> None:
    """ "Ackermann Castro Racing" splits one way only; one word alone asks for a second."""
    answer = compared(season.ask("compare", first="Ackermann Castro Racing"))
    assert (answer.first.name, answer.second.name) == (ANNA, CASTRO)
    unclear = season.ask("compare", first="Ackermann Castro")
    assert isinstance(unclear, AmbiguousAnswer)  # the one split, but "Castro" is two things
    alone = season.ask("compare", first="Ackermann")
    assert isinstance(alone, InvalidAnswer)
    assert "/compare first:" in alone.message


def test_a_car_with_a_position_is_ahead_of_one_without(season: QueryService) -> None:
    """In Gamma, #52 (NC, P5) is ahead of #2 (DNF, no position)."""
    answer = compared(season.ask("compare", first="2", second="52", race="Gamma"))
    assert answer.shared[0].ahead == "second"


def _car(position: int | None, status: Status, laps: int | None) -> Entry:
    """An entry with just the facts `ahead` reads."""
    return Entry.model_validate(
        {
            "position": position,
            "status": status,
            "class_": "P",
            "number": "1",
            "team": "T",
            "drivers": (),
            "chassis": None,
            "engine": None,
            "tyre": None,
            "laps": laps,
            "line": 1,
        }
    )


def test_ahead_rules() -> None:
    """Better position; a position beats none; else more laps; else level."""
    assert ahead(_car(3, Status.CLASSIFIED, 9), _car(2, Status.CLASSIFIED, 9)) == "second"
    assert ahead(_car(29, Status.DNF, 9), _car(None, Status.DNF, 50)) == "first"
    assert ahead(_car(None, Status.DNF, 40), _car(None, Status.DNF, 20)) == "first"
    assert ahead(_car(None, Status.DNS, None), _car(None, Status.DNS, None)) is None


def test_without_races(query_service: QueryService) -> None:
    """No races loaded: the usual refusal."""
    answer = QueryService(RaceLibrary([])).ask("compare", first="A", second="B")
    assert isinstance(answer, InvalidAnswer)
