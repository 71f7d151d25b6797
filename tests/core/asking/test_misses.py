"""Misses: nothing close is told so and never guessed, and words meant for another command point
there, as the one choice."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import Answer, Choice, NotFoundAnswer, Subject
from bot.core.asking.query import QueryService

SONOMA = "2003 Grand Prix of Sonoma"
ALMS = "2003 American Le Mans Series"
OPTION = {"result": "query", "car": "number", "class": "class", "season": "series"}


def ask(service: QueryService, command: str, typed: str, race: str | None = None) -> Answer:
    """One question with its first option typed (and the race, for those that take one)."""
    if command in ("race", "chart", "stats"):
        return service.ask(command, race=typed)
    options = {OPTION[command]: typed} | ({"race": race} if race else {})
    return service.ask(command, **options)


def _car(number: str, label: str) -> Choice:
    """A near car offered as the /car question that answers it."""
    return Choice(label=label, command="car", options=(("number", number),))


@pytest.mark.parametrize(
    ("command", "typed", "subject", "searched"),
    [
        ("car", "**x**", Subject.CAR, SONOMA),
        ("car", "<@123>", Subject.CAR, SONOMA),
        ("car", "@everyone", Subject.CAR, SONOMA),
        ("result", "<@123>", Subject.QUERY, SONOMA),
        ("result", "||spoil||", Subject.QUERY, SONOMA),
        ("result", "1.6", Subject.QUERY, SONOMA),
        ("result", "x", Subject.QUERY, SONOMA),
        ("season", "Herbrt", Subject.SEASON, ""),
        ("season", "@everyone", Subject.SEASON, ""),
        ("season", "NASCAR", Subject.SEASON, ""),
        ("season", "1999", Subject.SEASON, ""),
        ("class", "Formula 1", Subject.CLASS, SONOMA),
        ("class", "**x**", Subject.CLASS, SONOMA),
    ],
)
def test_nothing_close_offers_nothing(
    query_service: QueryService, command: str, typed: str, subject: Subject, searched: str
) -> None:
    """Nothing close: "nothing found", naming the race searched, with no guess and no choice."""
    answer = ask(query_service, command, typed)
    assert answer == NotFoundAnswer(subject=subject, query=typed, searched=searched)


@pytest.mark.parametrize(
    ("command", "typed", "suggestions", "choices"),
    [
        (
            "car",
            "50",
            ("#10", "#20", "#80"),
            (
                _car("10", "#10 JML Team Panoz · LMP900"),
                _car("20", "#20 Dyson Racing · LMP675"),
                _car("80", "#80 Prodrive · GTS"),
            ),
        ),
        (
            "car",
            "#5",
            ("#56", "#1", "#3"),
            (
                _car("56", "#56 Team Bucknum Racing · LMP675"),
                _car("1", "#1 Infineon Team Joest · LMP900"),
                _car("3", "#3 Corvette Racing · GTS"),
            ),
        ),
        (
            "result",
            "Hill",
            ("Bill Auberlen",),
            (
                Choice(
                    label="Bill Auberlen · #27 Doran Lista Racing",
                    command="result",
                    options=(("query", "Bill Auberlen"),),
                ),
            ),
        ),
    ],
)
def test_close_things_are_still_offered(
    query_service: QueryService,
    command: str,
    typed: str,
    suggestions: tuple[str, ...],
    choices: tuple[Choice, ...],
) -> None:
    """A car number one keystroke off (or a prefix), or a name within the looser allowance."""
    answer = ask(query_service, command, typed)
    subject = Subject.CAR if command == "car" else Subject.QUERY
    assert answer == NotFoundAnswer(
        subject=subject, query=typed, suggestions=suggestions, choices=choices, searched=SONOMA
    )


@pytest.mark.parametrize(
    ("command", "typed", "race", "hint", "choice"),
    [
        (
            "class",
            "Herbert",
            None,
            "/class takes a class; for Herbert try /driver Herbert",
            Choice(label="/driver Herbert", command="driver", options=(("name", "Herbert"),)),
        ),
        (
            "class",
            "03",
            None,
            "/class takes a class; for 03 try /car 03",
            Choice(label="/car 03", command="car", options=(("number", "03"),)),
        ),
        (
            "class",
            "Dyson",
            "Sonoma",
            "/class takes a class; for Dyson's result try /result Dyson",
            Choice(
                label="/result Dyson",
                command="result",
                options=(("query", "Dyson"), ("race", SONOMA)),
            ),
        ),
        (
            "class",
            "fastest lap",
            None,
            "The fastest lap is answered by /stats: try /stats",
            Choice(label="/stats", command="stats"),
        ),
    ],
)
def test_class_points_elsewhere(
    query_service: QueryService,
    command: str,
    typed: str,
    race: str | None,
    hint: str,
    choice: Choice,
) -> None:
    """A driver, team, car number or another command's words given to /class point there."""
    answer = ask(query_service, command, typed, race)
    assert answer == NotFoundAnswer(
        subject=Subject.CLASS, query=typed, searched=SONOMA, hint=hint, choices=(choice,)
    )


@pytest.mark.parametrize(
    ("command", "typed", "hint", "choice"),
    [
        (
            "race",
            "fastest lap",
            "The fastest lap is answered by /stats: try /stats",
            Choice(label="/stats", command="stats"),
        ),
        (
            "chart",
            "fastest lap",
            "The fastest lap is answered by /stats: try /stats",
            Choice(label="/stats", command="stats"),
        ),
        (
            "chart",
            "who won",
            "The winner is answered by /race: try /race",
            Choice(label="/race", command="race"),
        ),
        (
            "race",
            "Herbert",
            "/race takes a race; for Herbert try /driver Herbert",
            Choice(label="/driver Herbert", command="driver", options=(("name", "Herbert"),)),
        ),
        (
            "chart",
            "Dyson",
            "/chart takes a race; for Dyson's result try /result Dyson",
            Choice(label="/result Dyson", command="result", options=(("query", "Dyson"),)),
        ),
        (
            "stats",
            "Dyson",
            "/stats takes a race; for Dyson's result try /result Dyson",
            Choice(label="/result Dyson", command="result", options=(("query", "Dyson"),)),
        ),
        (
            "stats",
            "03",
            "/stats takes a race; for 03 try /car 03",
            Choice(label="/car 03", command="car", options=(("number", "03"),)),
        ),
    ],
)
def test_race_only_commands_point_elsewhere(
    query_service: QueryService, command: str, typed: str, hint: str, choice: Choice
) -> None:
    """/race, /chart and /stats take a race: other words point to the command that answers."""
    answer = ask(query_service, command, typed)
    assert answer == NotFoundAnswer(subject=Subject.RACE, query=typed, hint=hint, choices=(choice,))


def test_pointers_are_answered(query_service: QueryService) -> None:
    """Each pointer's choice asks a question that is answered, not missed again."""
    for command, typed in (("class", "Herbert"), ("class", "03"), ("chart", "Dyson")):
        answer = ask(query_service, command, typed)
        assert isinstance(answer, NotFoundAnswer)
        [choice] = answer.choices
        pressed = query_service.ask(choice.command, **dict(choice.options))
        assert not isinstance(pressed, NotFoundAnswer), (choice, pressed)


def test_a_season_close_to_a_series_is_still_offered(query_service: QueryService) -> None:
    """A loaded series with a year it did not race: its loaded season is offered."""
    answer = query_service.ask("season", series="ALMS 2005")
    assert answer == NotFoundAnswer(
        subject=Subject.SEASON,
        query="ALMS 2005",
        suggestions=(ALMS,),
        choices=(Choice(label=f"{ALMS} · 1 race", command="season", options=(("series", ALMS),)),),
    )
