"""One team, one person, one car and one class across documents (issue 20, sections 2 and 3).

The library is built from copies of real-shaped documents in `identity_documents/`: three rounds
of the American Le Mans Series and a second document of the 2004 race under another title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.asking.answers import (
    AmbiguousAnswer,
    ClassAnswer,
    CompareAnswer,
    DriverAnswer,
    NotFoundAnswer,
    ResultsAnswer,
)
from bot.core.asking.commands import SuggestKind
from bot.core.asking.query import QueryService
from bot.core.asking.questions.season import standings
from bot.core.documents.model import CarNames, car_names
from bot.core.library.catalogue import build_index
from bot.core.library.identities import Aliases, Identities, decide, name_key, read_aliases
from bot.core.library.loading import load_library

FOLDER: Final = Path(__file__).parent / "identity_documents"
TR, P04, P05 = (
    "2003 Grand Prix de Trois-Rivières",
    "2004 Portland Grand Prix",
    "2005 Portland Grand Prix",
)
CHAMPION_NOTE: Final = "Champion Racing, also entered as ADT Champion Racing"


def _service(aliases: Aliases | None = None) -> QueryService:
    library = load_library(FOLDER).library
    cars = ([car_names(e) for e in race.entries] for race in library.races)
    return QueryService(library, build_index(library.summaries, cars, aliases))


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The library of the identity documents, no aliases file."""
    return _service()


def _likely(aliases: Aliases | None = None) -> set[tuple[str, frozenset[str]]]:
    """The look-alikes left apart, as `racebot check` finds them (a library build skips them)."""
    races = load_library(FOLDER).library.races
    found = decide([(r.series, [car_names(e) for e in r.entries]) for r in races], aliases)
    return {(item.kind, frozenset((item.first, item.second))) for item in found.likely}


def _races(answer: DriverAnswer) -> list[str]:
    return [appearance.race.title for appearance in answer.appearances]


def test_the_same_race_under_two_titles_is_one_race() -> None:
    """The summary of the 2004 race under another title is refused; three races load."""
    loaded = load_library(FOLDER)
    assert [race.title for race in loaded.library.summaries] == [P05, P04, TR]
    assert [error.source.endswith("portland-2004-summary.txt") for error in loaded.errors] == [True]


def test_a_sponsor_in_front_is_one_team_said_aloud(service: QueryService) -> None:
    """Champion Racing finds the ADT Champion Racing car of 2003 and says it grouped them."""
    answer = service.result("Champion Racing", race=TR)
    assert isinstance(answer, ResultsAnswer)
    assert [(car.number, car.team) for car in answer.cars] == [("38", "ADT Champion Racing")]
    assert answer.matched == ("team Champion Racing",)
    assert answer.notes == (CHAMPION_NOTE,)


def test_either_spelling_finds_the_team_everywhere(service: QueryService) -> None:
    """The sponsor's spelling, typed whole, finds the 2005 Champion Racing car too."""
    answer = service.result("ADT Champion Racing", race=P05)
    assert isinstance(answer, ResultsAnswer)
    assert [car.number for car in answer.cars] == ["2"]
    assert answer.notes == (CHAMPION_NOTE,)


def test_a_plural_slip_is_one_team(service: QueryService) -> None:
    """A plural slip is one team; a team's name in front (Petersen Motorsports) is no sponsor."""
    for race in (TR, P04):
        answer = service.result("Petersen Motorsport White Lightning Racing", race=race)
        assert isinstance(answer, ResultsAnswer), race
        assert [car.number for car in answer.cars] == ["31"]
        assert answer.matched == ("team Petersen Motorsports White Lightning Racing",)
        assert answer.notes == (
            "Petersen Motorsports White Lightning Racing, also entered as "
            "Petersen Motorsport White Lightning Racing",
        )
    alone = service.result("White Lightning Racing", race=P05)
    assert isinstance(alone, ResultsAnswer)
    assert (alone.matched, alone.notes) == (("team White Lightning Racing",), ())


def test_the_same_entry_and_crew_in_one_series_is_one_team(service: QueryService) -> None:
    """Intersport #37 (2004) and Intersport Racing #37 (2005) with one crew are one team."""
    answer = service.result("Intersport Racing", race=P04)
    assert isinstance(answer, ResultsAnswer)
    assert [(car.number, car.team) for car in answer.cars] == [("37", "Intersport")]


def test_names_without_evidence_stay_apart_and_are_listed(service: QueryService) -> None:
    """Names without evidence stay apart and are listed as likely duplicates for check."""
    answer = service.result("Dyson Racing Team", race=TR)
    assert not isinstance(answer, ResultsAnswer)
    assert _likely() == {
        ("team", frozenset({"Dyson Racing", "Dyson Racing Team"})),
        (
            "team",
            frozenset({"White Lightning Racing", "Petersen Motorsports White Lightning Racing"}),
        ),
        ("driver", frozenset({"David Brabham", "D. Brabham"})),
    }


def _cars(*rows: tuple[str, str, tuple[str, ...]]) -> list[CarNames]:
    return [(number, team, crew, None, None) for number, team, crew in rows]


def test_a_sponsor_merge_needs_one_series_and_no_shared_race() -> None:
    """A sponsor's name is not merged across two series, nor when both ran in one race."""
    sponsor = _cars(("38", "ADT Champion Racing", ("A B",)))
    base = _cars(("2", "Champion Racing", ("C D",)))
    apart = decide([("Series One", sponsor), ("Series Two", base)])
    assert apart.roots == {}
    assert [item.reason.endswith("never in one series") for item in apart.likely] == [True]
    together = decide([("Series One", sponsor + base)])
    assert together.roots == {}
    merged = decide([("Series One", sponsor), ("Series One", base)])
    assert merged.root("team", name_key("ADT Champion Racing")) == name_key("Champion Racing")


def test_an_entry_merge_needs_a_word_in_common() -> None:
    """The same number and crew under two unrelated names is listed, never merged."""
    races = [
        ("S", _cars(("2", "Audi Sport North America", ("Ann Bee", "Cy Dee")))),
        ("S", _cars(("2", "ADT Champion Racing", ("Ann Bee", "Cy Dee")))),
    ]
    found = decide(races)
    assert found.roots == {}
    assert [item.reason for item in found.likely] == ["the same #2 and crew in one series"]


def test_people_written_differently_are_one(service: QueryService) -> None:
    """JJ Lehto (flags in 2003) and J.J. Lehto, Tomáš Enge and Tomas Enge are one person each."""
    lehto = service.driver("J.J. Lehto")
    assert isinstance(lehto, DriverAnswer)
    assert _races(lehto) == [P04, TR]
    enge = service.driver("Tomas Enge")
    assert isinstance(enge, DriverAnswer)
    assert (enge.driver, _races(enge)) == ("Tomas Enge", [P04, TR])
    herbert = service.driver("Johnny Herbert")
    assert isinstance(herbert, DriverAnswer)
    assert [a.entry.drivers for a in herbert.appearances] == [("JJ Lehto", "Johnny Herbert")]


def test_people_with_close_names_stay_apart(service: QueryService) -> None:
    """Jon and Clint Field, Oliver Gavin and Olivier Beretta, D. and David Brabham are others."""
    jon = service.driver("Jon Field")
    assert isinstance(jon, DriverAnswer)
    assert _races(jon) == [P05, P04]
    assert isinstance(service.driver("Field"), AmbiguousAnswer)
    gavin = service.driver("Oliver Gavin")
    assert isinstance(gavin, DriverAnswer)
    assert gavin.driver == "Oliver Gavin"
    brabham = service.driver("David Brabham")
    assert isinstance(brabham, DriverAnswer)
    assert _races(brabham) == [P05]
    assert service.catalogue.identities.roots.keys().isdisjoint(
        {("driver", name_key("D. Brabham")), ("driver", name_key("David Brabham"))}
    )


def test_a_number_is_matched_as_written(service: QueryService) -> None:
    """#7 is not #007: each finds its own car, and a miss offers the look-alike."""
    seven = service.car("7", race=P04)
    assert isinstance(seven, ResultsAnswer)
    assert [car.team for car in seven.cars] == ["Prodrive"]
    miss = service.car("7", race=P05)
    assert isinstance(miss, NotFoundAnswer)
    assert "#007" in miss.suggestions
    assert not isinstance(service.result("7", race=P05), ResultsAnswer)
    bond = service.car("007", race=P05)
    assert isinstance(bond, ResultsAnswer)
    assert [car.team for car in bond.cars] == ["Aston Martin Racing"]


def test_a_number_found_nowhere_names_the_look_alikes(service: QueryService) -> None:
    """No #07 anywhere: the miss names #7 and #007 and where they ran, each one tap away."""
    miss = service.car("07", race=TR)
    assert isinstance(miss, NotFoundAnswer)
    assert miss.hint == (
        f"No #07 in any loaded race; #007 Aston Martin Racing ran in the {P05}; "
        f"#7 Prodrive ran in the {P04}"
    )
    assert {choice.command for choice in miss.choices} == {"car"}
    assert {dict(choice.options)["number"] for choice in miss.choices} == {"7", "007"}


def test_a_class_asked_where_it_did_not_run_shows_where_it_did(service: QueryService) -> None:
    """LMP675 ran only in 2003: asked of the latest race, it is shown there and said so."""
    answer = service.class_results("LMP675")
    assert isinstance(answer, ClassAnswer)
    assert (answer.race.title, answer.class_) == (TR, "LMP675")
    assert answer.notes == (f"LMP675 did not run at {P05}; it last ran at {TR}",)


def test_a_class_name_in_result_points_to_class(service: QueryService) -> None:
    """/result LMP675 of a race without it is no chassis search: it points to /class LMP675."""
    answer = service.result("LMP675")
    assert isinstance(answer, NotFoundAnswer)
    assert answer.hint == "LMP675 is a class: try /class LMP675"
    assert [(c.command, c.options) for c in answer.choices] == [("class", (("class", "LMP675"),))]


def test_compare_finds_both_teams_where_they_met(service: QueryService) -> None:
    """Champion Racing and Infineon Team Joest met at Trois-Rivières 2003, in one option or two."""
    for answer in (
        service.compare("Champion Racing Infineon Team Joest"),
        service.compare("Champion Racing", "Infineon Team Joest"),
    ):
        assert isinstance(answer, CompareAnswer)
        assert [shared.race.title for shared in answer.shared] == [TR]
        assert answer.notes == (CHAMPION_NOTE,)


def test_compare_of_two_who_never_met_names_where_each_ran(service: QueryService) -> None:
    """Aston Martin Racing and Prodrive never met: no shared race, each side's races listed."""
    answer = service.compare("Aston Martin Racing", "Prodrive")
    assert isinstance(answer, CompareAnswer)
    assert answer.shared == ()
    assert [a.race.title for a in answer.first.appearances] == [P05]
    assert [a.race.title for a in answer.second.appearances] == [P04, TR]


def test_every_command_finds_one_identity(service: QueryService) -> None:
    """/result, /compare, autocomplete and /season take ADT Champion Racing as Champion Racing."""
    result = service.result("ADT Champion Racing", race=TR)
    assert isinstance(result, ResultsAnswer)
    assert result.matched == ("team Champion Racing",)
    compare = service.compare("ADT Champion Racing", "Corvette Racing")
    assert isinstance(compare, CompareAnswer)
    assert compare.first.name == "Champion Racing"
    assert [shared.race.title for shared in compare.shared] == [P05, P04, TR]
    values = [s.value for s in service.suggest(SuggestKind.TEAM, "ADT Champ")]
    assert values == ["Champion Racing"]
    races = service.catalogue.races
    _, teams, notes = standings(races, service.catalogue.identities)
    champion = [row for row in teams if row.name == "Champion Racing"]
    assert [(row.wins, row.podiums) for row in champion] == [(3, 3)]
    assert CHAMPION_NOTE in notes


ALIASES: Final = """\
# Settled by the maintainers.
[[same]]
teams = ["Dyson Racing", "Dyson Racing Team"]

[[different]]
teams = ["Intersport", "Intersport Racing"]
"""


def test_the_aliases_file_settles_what_the_rules_get_wrong() -> None:
    """The aliases file merges Dyson Racing (Team), keeps Intersport and Intersport Racing apart."""
    aliases, errors = read_aliases(ALIASES)
    assert errors == []
    service = _service(aliases)
    dyson = service.result("Dyson Racing", race=P04)
    assert isinstance(dyson, ResultsAnswer)
    assert [car.number for car in dyson.cars] == ["20"]
    assert dyson.notes == ("Dyson Racing, also entered as Dyson Racing Team",)
    intersport = service.result("Intersport Racing", race=P04)
    assert not isinstance(intersport, ResultsAnswer)
    assert {kind for kind, _ in _likely(aliases)} == {"team", "driver"}
    assert ("team", frozenset({"Intersport", "Intersport Racing"})) not in _likely(aliases)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[same]]\nteams = ["A" "B"]\n', 2, "not TOML"),
        ('[[same]]\nteams = ["A", "B"\n', 2, "not TOML"),
        ('[[same]]\nteams = ["A"]\n', 1, "teams needs two different names or more"),
        ("[[same]]\n\ncars = ['A', 'B']\n", 1, "expected [[same]] or [[different]] tables"),
        ('[[same]]\nteams = ["A", 3]\n', 1, "teams must be a list of names in quotes"),
        ('[names]\nteams = ["A", "B"]\n', 1, "expected [[same]] or [[different]] tables"),
    ],
)
def test_the_aliases_file_errors_name_their_line(text: str, line: int, message: str) -> None:
    """A malformed aliases file is refused table by table, each error with file and line."""
    _, errors = read_aliases(text, "seeds/aliases.toml")
    assert [(e.source, e.line) for e in errors] == [("seeds/aliases.toml", line)]
    assert errors[0].message.startswith(message)


def test_an_unknown_name_and_a_name_both_same_and_different_are_errors() -> None:
    """A name no loaded race has, and a pair declared the same and different, name their line."""
    text = (
        "[[same]]\n"
        'teams = ["Champion Racing",\n'
        '         "Team Nobody"]\n'
        "\n"
        "[[different]]\n"
        'teams = ["Intersport", "Intersport Racing"]\n'
        "\n"
        "[[same]]\n"
        'teams = ["Intersport",\n'
        '         "Intersport Racing"]\n'
    )
    aliases, errors = read_aliases(text, "aliases.toml")
    assert errors == []
    found = _service(aliases).catalogue.identities
    assert [(e.line, e.message) for e in found.errors] == [
        (3, "no team 'Team Nobody' in any loaded race"),
        (10, "'Intersport Racing' is declared both the same as 'Intersport' and different"),
    ]


def test_a_library_build_groups_as_check_does() -> None:
    """Skipping the look-alikes (as a library build does) never changes which names are one."""
    for folder in (FOLDER, Path(__file__).parents[1] / "documents" / "real_documents"):
        races = load_library(folder).library.races
        cars = [(r.series, [car_names(e) for e in r.entries]) for r in races]
        full, built = decide(cars), decide(cars, likely=False)
        assert (full.roots, full.displays, full.others) == (
            built.roots,
            built.displays,
            built.others,
        )
        assert full.roots


def test_the_aliases_file_makes_two_written_people_one() -> None:
    """[[same]] drivers: D. Brabham's car is David Brabham's, and the answer says so."""
    aliases, errors = read_aliases('[[same]]\ndrivers = ["David Brabham", "D. Brabham"]\n')
    assert errors == []
    answer = _service(aliases).driver("David Brabham")
    assert isinstance(answer, DriverAnswer)
    assert _races(answer) == [P05, P04]
    assert answer.notes == ("David Brabham, also written as D. Brabham",)


_ENTRY_TEAMS: Final = (
    "Intersport",
    "Intersport Racing",
    "Team Intersport",
    "Dyson Racing",
    "Dyson Racing Team",
    "Dyson",
    "Audi Sport North America",
    "ADT Champion Racing",
    "Champion Racing",
)
_ENTRY_CREWS: Final = (
    ("Ann Bee", "Cy Dee"),
    ("Ann Bee", "Cy Dee", "Eve Fay"),
    ("Cy Dee", "Eve Fay"),
    ("Gus Hal",),
    ("Ann Bee",),
)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["S", "T"]),
            st.lists(
                st.tuples(
                    st.sampled_from(["1", "2"]),
                    st.sampled_from(_ENTRY_TEAMS),
                    st.sampled_from(_ENTRY_CREWS),
                ),
                min_size=1,
                max_size=3,
                unique_by=lambda car: car[0],
            ),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_build_pairs_only_names_an_entry_can_merge_and_groups_as_check_does(
    races: list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]],
) -> None:
    """Many names on one number and crew: the build, which pairs only names of the same
    distinctive words, groups exactly as the full pass that pairs every two does."""
    cars = [(series, _cars(*race_cars)) for series, race_cars in races]
    full, built = decide(cars), decide(cars, likely=False)
    assert (full.roots, full.displays, full.others) == (built.roots, built.displays, built.others)
    # (The groups come in the order they were found, and with the reason found first, which
    # the names left out of a build's entries can change: only who is in them counts.)
    assert _groups(full) == _groups(built)


def _groups(identities: Identities) -> list[tuple[str, str, tuple[str, ...]]]:
    """The groups, in no set order."""
    return sorted((g.kind, g.name, g.others) for g in identities.groupings)
