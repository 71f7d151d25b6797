"""Honest answers: a sure match is answered (a typo said aloud), a guess is offered with choices,
and a miss says where it looked, where the thing is, and which command answers it."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    Correction,
    DriverAnswer,
    NotFoundAnswer,
    RaceAnswer,
    ResultsAnswer,
    StatsAnswer,
)
from bot.core.asking.query import QueryService
from bot.core.documents.parsing import parse_race
from bot.core.library.races import RaceLibrary
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED
SONOMA = "2003 Grand Prix of Sonoma"
PETIT = "2003 Petit Le Mans"
OPTION = {"result": "query", "driver": "name", "car": "number", "class": "class"}


@pytest.fixture(scope="module")
def seed() -> QueryService:
    """The seed alone."""
    return QueryService(RaceLibrary([parse_race(SEED.read_text(encoding="utf-8"), SEED.name)]))


@pytest.fixture(scope="module")
def two() -> QueryService:
    """The seed and a later Petit Le Mans where #30 is #50 and Damon Hill drives #38."""
    text = SEED.read_text(encoding="utf-8")
    sonoma = parse_race(text, SEED.name)
    for old, new in (
        (f"= {SONOMA} =", f"= {PETIT} ="),
        ("The 2003 Infineon Grand Prix of Sonoma was the third", f"The {PETIT} was the ninth"),
        (
            "Infineon Raceway, California on July 27, 2003",
            "Road Atlanta, Georgia on October 18, 2003",
        ),
        ("| 30 | Intersport", "| 50 | Intersport"),
        ("Johnny Herbert JJ Lehto", "Damon Hill JJ Lehto"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    return QueryService(RaceLibrary([sonoma, parse_race(text, "2003-petit-le-mans.txt")]))


def ask(service: QueryService, command: str, typed: str, race: str | None = None) -> Answer:
    """A command asked with its first option typed (and a race, if given)."""
    options = {OPTION[command]: typed} | ({"race": race} if race is not None else {})
    return service.ask(command, **options)


@pytest.mark.parametrize(
    ("command", "typed", "read_as"),
    [
        ("driver", "Herbert", None),
        ("driver", "Johnny Herbert", None),
        ("driver", "Leitz", None),  # a prefix is answered
        ("driver", "herbret", "Johnny Herbert"),
        ("driver", "Leitzingr", "Butch Leitzinger"),
        ("driver", "Bergmiester", "Jörg Bergmeister"),
        ("result", "Dyson", None),
        ("result", "Dysen", "team Dyson Racing, driver Chris Dyson"),
        ("result", "Corvete", "team Corvette Racing, chassis Chevrolet Corvette C5-R"),
        ("result", "Leitzingr", "driver Butch Leitzinger"),
        ("result", "herbret", "driver Johnny Herbert"),
    ],
)
def test_sure_matches_are_answered(
    seed: QueryService, command: str, typed: str, read_as: str | None
) -> None:
    """Exact, whole-word and prefix matches are answered; an unmistakable typo too, said aloud."""
    answer = ask(seed, command, typed)
    assert isinstance(answer, DriverAnswer | ResultsAnswer), answer
    expected = () if read_as is None else (Correction(typed=typed, read_as=read_as),)
    assert answer.corrections == expected


@pytest.mark.parametrize(
    ("command", "typed", "labels", "values"),
    [
        ("driver", "Hill", ["Bill Auberlen · #27 Doran Lista Racing"], ["Bill Auberlen"]),
        ("driver", "Gill", ["Bill Auberlen · #27 Doran Lista Racing"], ["Bill Auberlen"]),
        ("driver", "Jill", ["Bill Auberlen · #27 Doran Lista Racing"], ["Bill Auberlen"]),
        ("driver", "Price", ["Vic Rice · #61 P.K. Sport"], ["Vic Rice"]),
        ("driver", "Sally", ["Andy Lally · #33 ZIP Racing"], ["Andy Lally"]),
        ("driver", "Herbet", ["Johnny Herbert · #38 ADT Champion Racing"], ["Johnny Herbert"]),
        (
            "driver",
            "Feild",
            ["Clint Field · #30 Intersport Racing", "Jon Field · #37 Intersport Racing"],
            ["Clint Field", "Jon Field"],
        ),
        ("result", "Hill", ["Bill Auberlen · #27 Doran Lista Racing"], ["Bill Auberlen"]),
        (
            "result",
            "Dysn",
            ["Dyson Racing · team: #16, #20", "Chris Dyson · #20 Dyson Racing"],
            ["Dyson Racing", "Chris Dyson"],
        ),
        (
            "result",
            "Jonny Herbrt",
            ["Johnny Herbert · #38 ADT Champion Racing"],
            ["Johnny Herbert"],
        ),
    ],
)
def test_guesses_are_offered(
    seed: QueryService, command: str, typed: str, labels: list[str], values: list[str]
) -> None:
    """A typo-level match that is not unmistakable is offered, never answered: "Did you mean"."""
    answer = ask(seed, command, typed)
    assert isinstance(answer, NotFoundAnswer), answer
    assert answer.ephemeral
    assert [choice.label for choice in answer.choices] == labels
    assert [choice.command for choice in answer.choices] == [command] * len(labels)
    assert [choice.options for choice in answer.choices] == [
        ((OPTION[command], value),) for value in values
    ]
    assert list(answer.suggestions) == values[:3]


def test_pressing_an_offer_answers_it(seed: QueryService) -> None:
    """Every choice of an offer or a which-one asks a question that is answered, not offered."""
    for command, typed in (("driver", "Hill"), ("driver", "Field"), ("result", "Dysn")):
        answer = ask(seed, command, typed)
        assert isinstance(answer, NotFoundAnswer | AmbiguousAnswer)
        assert answer.choices
        for choice in answer.choices:
            pressed = seed.ask(choice.command, **dict(choice.options))
            assert isinstance(pressed, DriverAnswer | ResultsAnswer), (choice, pressed)
            assert pressed.corrections == ()


def test_nothing_close_is_nothing_found(seed: QueryService) -> None:
    """/driver Schumacher finds nobody and offers nobody."""
    answer = ask(seed, "driver", "Schumacher")
    assert isinstance(answer, NotFoundAnswer)
    assert (answer.suggestions, answer.choices, answer.hint) == ((), (), "")


def test_which_one_carries_choices(seed: QueryService) -> None:
    """/driver Field: both Fields, each one tap from its own answer (the race kept if given)."""
    answer = ask(seed, "driver", "Field", race="2003")
    assert isinstance(answer, AmbiguousAnswer)
    assert answer.choices == (
        Choice(
            label="Clint Field · #30 Intersport Racing",
            command="driver",
            options=(("name", "Clint Field"), ("race", SONOMA)),
        ),
        Choice(
            label="Jon Field · #37 Intersport Racing",
            command="driver",
            options=(("name", "Jon Field"), ("race", SONOMA)),
        ),
    )


def test_which_class_carries_choices(seed: QueryService) -> None:
    """/class LMP: LMP675 and LMP900, each with its car count."""
    answer = ask(seed, "class", "LMP")
    assert isinstance(answer, AmbiguousAnswer)
    assert [(c.label, c.options) for c in answer.choices] == [
        ("LMP675 · 5 cars", (("class", "LMP675"),)),
        ("LMP900 · 7 cars", (("class", "LMP900"),)),
    ]


def test_which_race_carries_choices(two: QueryService) -> None:
    """race:2003 matches both races: each offered by its title and date, the question kept."""
    answer = ask(two, "driver", "Lehto", race="2003")
    assert isinstance(answer, AmbiguousAnswer)
    assert [(c.label, c.command, c.options) for c in answer.choices] == [
        (f"{PETIT} · October 18, 2003", "driver", (("name", "Lehto"), ("race", PETIT))),
        (f"{SONOMA} · July 27, 2003", "driver", (("name", "Lehto"), ("race", SONOMA))),
    ]


def test_a_race_typo_is_said(two: QueryService) -> None:
    """race:Snoma is read as the Sonoma race (unmistakable), and the answer says so."""
    answer = two.ask("race", race="Snoma")
    assert isinstance(answer, RaceAnswer)
    assert answer.corrections == (Correction(typed="Snoma", read_as=SONOMA),)
    offered = two.ask("race", race="Tonoma")  # the first letter wrong: offered
    assert isinstance(offered, NotFoundAnswer)
    assert [choice.options for choice in offered.choices] == [(("race", SONOMA),)]


@pytest.mark.parametrize(
    ("command", "typed", "race", "searched", "elsewhere", "choice"),
    [
        ("car", "30", None, PETIT, (SONOMA,), ("car", (("number", "30"), ("race", SONOMA)))),
        ("car", "50", "Sonoma", SONOMA, (PETIT,), ("car", (("number", "50"), ("race", PETIT)))),
        (
            "result",
            "Herbert",
            None,
            PETIT,
            (SONOMA,),
            ("result", (("query", "Herbert"), ("race", SONOMA))),
        ),
        (
            "driver",
            "Damon Hill",
            "Sonoma",
            SONOMA,
            (PETIT,),
            ("driver", (("name", "Damon Hill"), ("race", PETIT))),
        ),
    ],
)
def test_misses_name_the_race_and_where_it_is(
    two: QueryService,
    command: str,
    typed: str,
    race: str | None,
    searched: str,
    elsewhere: tuple[str, ...],
    choice: tuple[str, tuple[tuple[str, str], ...]],
) -> None:
    """A miss names the race searched and the loaded races that have it, offered as choices."""
    answer = ask(two, command, typed, race)
    assert isinstance(answer, NotFoundAnswer), answer
    assert (answer.searched, answer.elsewhere) == (searched, elsewhere)
    assert (answer.choices[0].command, answer.choices[0].options) == choice
    pressed = two.ask(answer.choices[0].command, **dict(answer.choices[0].options))
    assert isinstance(pressed, ResultsAnswer | DriverAnswer)


@pytest.mark.parametrize(
    ("command", "typed", "hint", "choice"),
    [
        ("result", "fastest lap", "The fastest lap is answered by /stats: try /stats", "stats"),
        ("result", "pole", "Pole position is answered by /stats: try /stats", "stats"),
        ("result", "winner", "The winner is answered by /race: try /race", "race"),
        ("result", "who won", "The winner is answered by /race: try /race", "race"),
        ("driver", "Fastest Lap", "The fastest lap is answered by /stats: try /stats", "stats"),
        ("driver", "who won?", "The winner is answered by /race: try /race", "race"),
    ],
)
def test_words_of_another_command_point_to_it(
    seed: QueryService, command: str, typed: str, hint: str, choice: str
) -> None:
    """ "fastest lap", "pole", "winner", "who won" point to /stats or /race, as a choice."""
    answer = ask(seed, command, typed)
    assert isinstance(answer, NotFoundAnswer)
    assert answer.hint == hint
    assert [(c.command, c.options) for c in answer.choices] == [(choice, ())]
    assert isinstance(seed.ask(choice), StatsAnswer | RaceAnswer)


def test_a_name_given_to_stats_points_to_result(seed: QueryService) -> None:
    """/stats Dyson: stats take a race; the result of Dyson is offered instead."""
    answer = seed.ask("stats", race="Dyson")
    assert isinstance(answer, NotFoundAnswer)
    assert answer.hint == "/stats takes a race; for Dyson's result try /result Dyson"
    assert answer.choices[0] == Choice(
        label="/result Dyson", command="result", options=(("query", "Dyson"),)
    )


def test_hints_keep_the_race_asked_about(two: QueryService) -> None:
    """/result winner race:Sonoma offers /race race:<Sonoma>, not the latest race."""
    answer = ask(two, "result", "winner", race="Sonoma")
    assert isinstance(answer, NotFoundAnswer)
    assert answer.choices[0].options == (("race", SONOMA),)


def test_choice_labels_fit_discord(two: QueryService) -> None:
    """Every choice label is at most 80 characters and every offer at most 25 choices."""
    for typed in ("a", "Racing", "Porsche", "Hil", "Johny"):
        answer = ask(two, "result", typed)
        choices = getattr(answer, "choices", ())
        assert len(choices) <= 25
        assert all(len(choice.label) <= 80 for choice in choices)
