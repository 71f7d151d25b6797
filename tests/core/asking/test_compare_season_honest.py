"""Honest /compare and /season: a sure side or series is answered (a typo said aloud), a guess is
offered with choices, several are asked back with choices, and pressing a choice answers."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    CompareAnswer,
    Correction,
    NotFoundAnswer,
    SeasonAnswer,
    Subject,
)
from bot.core.asking.query import QueryService
from tests.core.asking.season_library import (
    ALMS,
    ANNA,
    CARLOS,
    CASTRO,
    CREST,
    DELTA,
    OTHER,
    TES,
    season_library,
)

SONOMA = "2003 Grand Prix of Sonoma"
HERBERT, WERNER = "Johnny Herbert", "Marco Werner"
Options = tuple[tuple[str, str], ...]


@pytest.fixture(scope="module")
def season() -> QueryService:
    """The query service over the small multi-race library."""
    return QueryService(season_library())


def _service(name: str, seed: QueryService, season: QueryService) -> QueryService:
    """The seed's service or the multi-race library's, by name."""
    return seed if name == "seed" else season


def _options(first: str, second: str | None = None, race: str | None = None) -> dict[str, str]:
    """/compare's options as a choice or a person gives them."""
    given = {"first": first, "second": second, "race": race}
    return {name: value for name, value in given.items() if value is not None}


def _pressed(service: QueryService, choice: Choice) -> Answer:
    """What pressing a choice asks: its command with its options, exactly."""
    return service.ask(choice.command, **dict(choice.options))


@pytest.mark.parametrize(
    ("library", "asked", "names", "corrections"),
    [
        ("seed", ("Herbert", "Werner"), (HERBERT, WERNER), ()),
        ("seed", ("Johnny Herbert", "#1"), (HERBERT, "#1"), ()),
        ("seed", ("herbret", "Werner"), (HERBERT, WERNER), (("herbret", HERBERT),)),
        ("seed", ("Herbert", "Wern"), (HERBERT, WERNER), ()),  # a prefix is answered
        ("seed", ("Herbert", "Wernr"), (HERBERT, WERNER), (("Wernr", WERNER),)),
        (
            "seed",
            ("Corvete", "Herbert"),
            ("Corvette Racing", HERBERT),
            (("Corvete", "Corvette Racing"),),
        ),
        ("seed", ("herbret Werner", None), (HERBERT, WERNER), (("herbret", HERBERT),)),
        ("seed", ("Herbert", "16", "Snoma"), (HERBERT, "#16"), (("Snoma", SONOMA),)),
        ("season", ("Ackerman", CARLOS), (ANNA, CARLOS), ()),
        ("season", ("Akermann", CASTRO), (ANNA, CASTRO), (("Akermann", ANNA),)),
        ("season", ("Ackermann", "Carlos Castor"), (ANNA, CARLOS), (("Carlos Castor", CARLOS),)),
        ("season", ("Ackermann", "Castro Racin", "Beta"), (ANNA, CASTRO), ()),
    ],
)
def test_sure_sides_are_answered(
    query_service: QueryService,
    season: QueryService,
    library: str,
    asked: tuple[str, ...],
    names: tuple[str, str],
    corrections: tuple[tuple[str, str], ...],
) -> None:
    """Exact, whole-word and prefix sides are answered; an unmistakable typo too, said aloud."""
    answer = _service(library, query_service, season).ask("compare", **_options(*asked))
    assert isinstance(answer, CompareAnswer), answer
    assert (answer.first.name, answer.second.name) == names
    assert answer.corrections == tuple(Correction(typed=t, read_as=r) for t, r in corrections)


@pytest.mark.parametrize(
    ("library", "asked", "labels", "options"),
    [
        (
            "seed",
            ("Hill", "Werner"),
            ["Bill Auberlen · #27 Doran Lista Racing"],
            [(("first", "Bill Auberlen"), ("second", "Werner"))],
        ),
        (
            "seed",
            ("Werner", "Herbet"),
            ["Johnny Herbert · #38 ADT Champion Racing"],
            [(("first", "Werner"), ("second", HERBERT))],
        ),
        (
            "seed",
            ("Hill Werner", None),
            ["Bill Auberlen · #27 Doran Lista Racing"],
            [(("first", "Bill Auberlen"), ("second", "Werner"))],
        ),
        (
            "seed",
            ("Herbert", "Hill", "2003"),
            ["Bill Auberlen · #27 Doran Lista Racing"],
            [(("first", "Herbert"), ("second", "Bill Auberlen"), ("race", SONOMA))],
        ),
        (
            "season",
            ("Ackermann", "Hofman"),
            [
                "Hans Hoffmann · #9 Castro Racing; 3 races",
                "Greta Hoffmann · #50 Crest Team; 3 races",
            ],
            [
                (("first", "Ackermann"), ("second", "Hans Hoffmann")),
                (("first", "Ackermann"), ("second", "Greta Hoffmann")),
            ],
        ),
        (
            "season",
            ("Ackermann", "Castor"),
            [
                "Carlos Castro · #2 Blue Falcon Motorsport; 3 races",
                "Castro Racing · team: #9; 3 races",
            ],
            [
                (("first", "Ackermann"), ("second", CARLOS)),
                (("first", "Ackermann"), ("second", CASTRO)),
            ],
        ),
        (
            "season",
            ("Crest Taem", CASTRO),
            ["Crest Team · team: #51, #50; 3 races"],
            [(("first", CREST), ("second", CASTRO))],
        ),
    ],
)
def test_guessed_sides_are_offered(
    query_service: QueryService,
    season: QueryService,
    library: str,
    asked: tuple[str, ...],
    labels: list[str],
    options: list[Options],
) -> None:
    """A side matched only by a typo that is not unmistakable is offered, never compared; each
    choice replaces that side by the exact name and keeps the other; pressing one answers."""
    service = _service(library, query_service, season)
    answer = service.ask("compare", **_options(*asked))
    assert isinstance(answer, NotFoundAnswer), answer
    assert answer.subject is Subject.SIDE
    assert [choice.label for choice in answer.choices] == labels
    assert [choice.command for choice in answer.choices] == ["compare"] * len(labels)
    assert [choice.options for choice in answer.choices] == options
    for choice in answer.choices:
        pressed = _pressed(service, choice)
        assert isinstance(pressed, CompareAnswer), (choice, pressed)
        assert pressed.corrections == ()


@pytest.mark.parametrize(
    ("library", "asked", "labels", "values"),
    [
        (
            "seed",
            ("Field", "Herbert"),
            ["Clint Field · #30 Intersport Racing", "Jon Field · #37 Intersport Racing"],
            ["Clint Field", "Jon Field"],
        ),
        (
            "seed",
            ("Dyson", "Herbert"),
            ["Chris Dyson · #20 Dyson Racing", "Dyson Racing · team: #16, #20"],
            ["Chris Dyson", "Dyson Racing"],
        ),
        (
            "season",
            ("Hoffmann", "Ackermann"),
            [
                "Hans Hoffmann · #9 Castro Racing; 3 races",
                "Greta Hoffmann · #50 Crest Team; 3 races",
            ],
            ["Hans Hoffmann", "Greta Hoffmann"],
        ),
        (
            "season",
            ("Ackermann Castro", None),
            [
                "Carlos Castro · #2 Blue Falcon Motorsport; 3 races",
                "Castro Racing · team: #9; 3 races",
            ],
            [CARLOS, CASTRO],
        ),
    ],
)
def test_several_sides_are_asked_back_with_choices(
    query_service: QueryService,
    season: QueryService,
    library: str,
    asked: tuple[str, ...],
    labels: list[str],
    values: list[str],
) -> None:
    """ "Which one?" carries every option as a choice naming what identifies it; pressing one
    compares that exact name with the other side as typed."""
    service = _service(library, query_service, season)
    answer = service.ask("compare", **_options(*asked))
    assert isinstance(answer, AmbiguousAnswer), answer
    assert answer.subject is Subject.SIDE
    assert [choice.label for choice in answer.choices] == labels
    which = 1 if asked[0] == "Ackermann Castro" else 0
    other = ("second", "Herbert") if library == "seed" else ("second", "Ackermann")
    if which:
        expected = [(("first", "Ackermann"), ("second", value)) for value in values]
    else:
        expected = [(("first", value), other) for value in values]
    assert [choice.options for choice in answer.choices] == expected
    for choice in answer.choices:
        pressed = _pressed(service, choice)
        assert isinstance(pressed, CompareAnswer), (choice, pressed)
        assert pressed.corrections == ()


def test_a_miss_names_the_race_and_where_the_side_is(season: QueryService) -> None:
    """A side missing from the race asked about: that race named, the race that has it, and the
    comparison over every loaded race offered (which answers)."""
    for second in ("Dario Dubois", "60"):
        answer = season.ask("compare", first="Ackermann", second=second, race="Beta")
        assert isinstance(answer, NotFoundAnswer), answer
        assert (answer.searched, answer.elsewhere) == ("2005 Beta 500", (DELTA,))
        [choice] = answer.choices
        assert choice.label == f"Every loaded race · found in {DELTA}"
        assert choice.options == (("first", "Ackermann"), ("second", second))
        pressed = _pressed(season, choice)
        assert isinstance(pressed, CompareAnswer), pressed
        assert pressed.shared == ()


def test_a_missing_car_offers_near_numbers(query_service: QueryService) -> None:
    """No car #99: the cars one keystroke away, as choices that compare them."""
    answer = query_service.ask("compare", first="Herbert", second="99")
    assert isinstance(answer, NotFoundAnswer), answer
    assert (answer.subject, answer.searched) == (Subject.CAR, "")
    assert answer.suggestions == ("#79", "#89", "#29")
    assert [choice.options for choice in answer.choices] == [
        (("first", "Herbert"), ("second", number)) for number in ("79", "89", "29")
    ]
    assert answer.choices[0].label == f"#79 J3 Racing · GT · {SONOMA}"
    assert all(isinstance(_pressed(query_service, c), CompareAnswer) for c in answer.choices)


def test_nothing_close_offers_nothing(season: QueryService) -> None:
    """Nobody near "Schumacher": nothing found, nothing guessed."""
    answer = season.ask("compare", first="Ackermann", second="Schumacher")
    assert isinstance(answer, NotFoundAnswer), answer
    assert (answer.suggestions, answer.choices, answer.searched) == ((), (), "")


@pytest.mark.parametrize(
    ("library", "series", "year", "expected", "corrections"),
    [
        ("seed", None, None, (ALMS, 2003), ()),
        ("seed", "ALMS", None, (ALMS, 2003), ()),
        ("seed", "americn le mans", None, (ALMS, 2003), (("americn le mans", f"2003 {ALMS}"),)),
        ("season", "Test Endurence", None, (TES, 2005), (("Test Endurence", f"2005 {TES}"),)),
        (
            "season",
            "Test Endurence",
            "2005",
            (TES, 2005),
            (("Test Endurence 2005", f"2005 {TES}"),),
        ),
        (
            "season",
            "Other Sprots Car",
            None,
            (OTHER, 2005),
            (("Other Sprots Car", f"2005 {OTHER}"),),
        ),
        ("season", f"2005 {OTHER}", None, (OTHER, 2005), ()),
    ],
)
def test_sure_seasons_are_answered(
    query_service: QueryService,
    season: QueryService,
    library: str,
    series: str | None,
    year: str | None,
    expected: tuple[str, int],
    corrections: tuple[tuple[str, str], ...],
) -> None:
    """Names, initials and labels are answered; an unmistakable series typo too, said aloud."""
    answer = _service(library, query_service, season).ask("season", series=series, year=year)
    assert isinstance(answer, SeasonAnswer), answer
    assert (answer.series, answer.year) == expected
    assert answer.corrections == tuple(Correction(typed=t, read_as=r) for t, r in corrections)


@pytest.mark.parametrize(
    ("library", "series", "kind", "labels"),
    [
        ("season", "Tset Endurance", NotFoundAnswer, [f"2005 {TES} · 3 races"]),
        ("season", "Oter Sports", NotFoundAnswer, [f"2005 {OTHER} · 1 race"]),
        ("season", "ALMS 2005", NotFoundAnswer, [f"2004 {ALMS} · 1 race"]),
        ("seed", "NASCAR", NotFoundAnswer, []),
        ("season", "2005", AmbiguousAnswer, [f"2005 {TES} · 3 races", f"2005 {OTHER} · 1 race"]),
    ],
)
def test_unclear_seasons_are_offered_with_choices(
    query_service: QueryService,
    season: QueryService,
    library: str,
    series: str,
    kind: type[NotFoundAnswer | AmbiguousAnswer],
    labels: list[str],
) -> None:
    """A guessed series is offered, a year of two series asked back; each choice asks /season
    for that season's label and is answered."""
    service = _service(library, query_service, season)
    answer = service.ask("season", series=series)
    assert isinstance(answer, kind), answer
    assert answer.subject is Subject.SEASON
    assert [choice.label for choice in answer.choices] == labels
    assert [choice.options for choice in answer.choices] == [
        (("series", label.split(" · ")[0]),) for label in labels
    ]
    for choice in answer.choices:
        pressed = _pressed(service, choice)
        assert isinstance(pressed, SeasonAnswer), (choice, pressed)
        assert pressed.corrections == ()
