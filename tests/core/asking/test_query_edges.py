"""The query service at its edges: no races, no input that makes it raise, car numbers read
exactly, and every command of the table answered."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_races
from bot.core.asking.answers import (
    AmbiguousAnswer,
    ClassAnswer,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    ResultsAnswer,
    Subject,
)
from bot.core.asking.commands import COMMANDS
from bot.core.asking.query import (
    MAX_CHOICE_LENGTH,
    MAX_SUGGESTIONS,
    QueryService,
    SuggestKind,
)
from bot.core.library.races import RaceLibrary
from tests.core.asking.three_races import (
    SONOMA_2003,
)

# --- no races ---------------------------------------------------------------------------------


def test_empty_library(empty: QueryService) -> None:
    """With no races loaded, every question says so clearly; help and autocomplete still work."""
    for answer in (
        empty.result("Dyson"),
        empty.class_results(),
        empty.class_results("GT"),
        empty.driver("Herbert"),
        empty.car("3"),
        empty.stats(),
        empty.race(),
        empty.race("2003"),
        empty.races(),
        empty.ask("result", query="Dyson"),
    ):
        assert isinstance(answer, InvalidAnswer)
        assert "No races are loaded" in answer.message
    assert isinstance(empty.help(), HelpAnswer)
    assert all(empty.suggest(kind, "a") == [] for kind in SuggestKind)


# --- no input makes anything raise ------------------------------------------------------------

nasty = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="#*_`|~>@<:!0123456789 \x00\u200b\u202e🏎️é-.'", max_size=30),
    st.sampled_from(["Dyson", "03", "GT", "2003", "Sonoma", "Field", "x" * 6000, "@everyone"]),
)


@settings(max_examples=150, deadline=None)
@given(text=nasty, race=st.one_of(st.none(), nasty))
def test_no_question_raises(multi: QueryService, text: str, race: str | None) -> None:
    """Any text, in any option, gives an answer of a known kind and never raises."""
    answers = [
        multi.result(text, race),
        multi.class_results(text, race),
        multi.driver(text, race),
        multi.car(text, race),
        multi.stats(race),
        multi.race(race),
        multi.race(text),
        multi.ask(text, race=race),
        multi.ask("result", query=text, race=race),
    ]
    for answer in answers:
        assert answer.kind in {
            "results",
            "class",
            "class_winners",
            "driver",
            "stats",
            "race",
            "races",
            "help",
            "not_found",
            "ambiguous",
            "invalid",
        }
        if isinstance(answer, NotFoundAnswer | AmbiguousAnswer):
            assert len(answer.query) <= 100


@settings(max_examples=150, deadline=None)
@given(prefix=nasty, race=st.one_of(st.none(), nasty), limit=st.integers(-3, 40))
def test_no_suggestion_raises(
    multi: QueryService, prefix: str, race: str | None, limit: int
) -> None:
    """Any typed text gives at most `limit` (and 25) choices that fit Discord."""
    for kind in SuggestKind:
        choices = multi.suggest(kind, prefix, limit=limit, race=race)
        assert len(choices) <= max(0, min(limit, MAX_SUGGESTIONS))
        for choice in choices:
            assert 0 < len(choice.label) <= MAX_CHOICE_LENGTH
            assert 0 < len(choice.value) <= MAX_CHOICE_LENGTH


def test_ambiguity_beyond_the_list_is_counted() -> None:
    """A name shared by hundreds of drivers lists 25 and counts the rest, never silently."""
    races = synthetic_races(40, seed=3)
    service = QueryService(RaceLibrary(races))
    sharing = {
        name
        for race in races
        for entry in race.entries
        for name in entry.drivers
        if "Hoffmann" in name.replace("-", " ").split()
    }
    answer = service.driver("Hoffmann")
    assert isinstance(answer, AmbiguousAnswer)
    assert len(sharing) > 25
    assert len(answer.options) == 25
    assert answer.more == len(sharing) - 25


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("3", "3"),
        ("03", "03"),
        ("#03", "03"),
        ("0", "0"),
        ("No.3", "3"),
        ("No. 3", "3"),
        ("car 16", "16"),
        ("#16", "16"),
        (" 16 ", "16"),
        ("1.6", None),
        ("3.0", None),
        ("1 6", None),
        ("-1", None),
        ("00", None),
        ("16 and 20", None),
    ],
)
def test_car_numbers_are_read_exactly(
    service: QueryService, typed: str, number: str | None
) -> None:
    """A car number is found as typed; "1.6", "1 6" or "-1" are never car 16 or car 1."""
    answer = service.car(typed)
    if number is None:
        assert isinstance(answer, NotFoundAnswer)
        assert (answer.subject, answer.query) == (Subject.CAR, typed)
        assert all(suggestion.startswith("#") for suggestion in answer.suggestions)
    else:
        assert isinstance(answer, ResultsAnswer)
        assert [car.number for car in answer.cars] == [number]


@pytest.mark.parametrize(
    ("typed", "suggestions"),
    [("3 8", ()), ("1.6", ()), ("-16", ())],
)
def test_results_do_not_read_numbers_loosely(
    service: QueryService, typed: str, suggestions: tuple[str, ...]
) -> None:
    """/result with something number-like but not a car number finds nothing and offers no car."""
    answer = service.result(typed)
    assert isinstance(answer, NotFoundAnswer)
    assert (answer.subject, answer.query, answer.suggestions) == (Subject.QUERY, typed, suggestions)
    assert answer.searched == SONOMA_2003


@pytest.mark.parametrize(
    ("typed", "class_", "count"), [("GT", "GT", 18), ("gts", "GTS", 6), ("lmp 900", "LMP900", 7)]
)
def test_result_of_a_class_name_is_the_class(
    service: QueryService, typed: str, class_: str, count: int
) -> None:
    """/result GT means the GT class (18 cars), not the chassis "Panoz Esperante GT-LM"."""
    answer = service.result(typed)
    assert isinstance(answer, ClassAnswer)
    assert (answer.class_, len(answer.entries)) == (class_, count)


# --- dispatch by the command table --------------------------------------------------------------


EXPECTED_KINDS = (
    ("result", "results"),
    ("class", "class_winners"),
    ("classification", "classification"),
    ("driver", "driver"),
    ("car", "results"),
    ("stats", "stats"),
    ("race", "race"),
    ("chart", "chart"),
    ("races", "races"),
    ("compare", "compare"),
    ("season", "season"),
    ("ask", "class"),
    ("help", "help"),
)
"""The answer each command gives with only its required options, in the table's order."""


@pytest.mark.parametrize(("name", "kind"), EXPECTED_KINDS)
def test_every_table_command_is_answered(service: QueryService, name: str, kind: str) -> None:
    """`ask` answers each command of the table, given only its required options."""
    assert [command for command, _ in EXPECTED_KINDS] == list(COMMANDS)
    values = {"query": "Dyson", "name": "Herbert", "number": "03"}
    values |= {"first": "Herbert", "second": "Werner", "question": "who won GTS"}
    answer = service.ask(name, **{option: values[option] for option in COMMANDS[name].required})
    assert answer.kind == kind


def test_ask_refuses_options_the_table_does_not_list(service: QueryService) -> None:
    """An option not in the table is refused, naming the options the command takes."""
