"""Pole and fastest lap name the driver when the document gives one, and never guess."""

from __future__ import annotations

import datetime as dt

from bot.core.asking.answers import StatsAnswer
from bot.present.cards import answer_cards
from tests.core.asking.fans import SONOMA, SONOMA_TEXT, service_of, variant

PROSE = "by a margin of 3.7 seconds."


def _stats(text: str) -> StatsAnswer:
    answer = service_of(("race.txt", text)).ask("stats")
    assert isinstance(answer, StatsAnswer)
    return answer


def _field(answer: StatsAnswer, name: str) -> str:
    fields = {field.name: field.value for field in answer_cards(answer)[0].fields}
    return fields[name].replace("\\", "")


def test_two_drivers_and_no_word_from_the_document_name_nobody() -> None:
    """The seed names car #16 only: its two drivers are not guessed between."""
    answer = _stats(SONOMA_TEXT)
    assert (answer.pole_driver, answer.fastest_lap_driver) == (None, None)
    assert _field(answer, "Pole position").splitlines()[0] == "#16 Dyson Racing · 1:23.085"
    assert "Leitzinger" not in _field(answer, "Pole position")


def test_the_prose_names_the_driver() -> None:
    """A sentence about the pole (or the fastest lap) naming one of the crew names the driver."""
    text = variant(
        SONOMA,
        dt.date(2003, 7, 27),
        3,
        {
            PROSE: PROSE + " James Weaver took pole position. Butch Leitzinger set the "
            "fastest lap on lap 60."
        },
    )
    answer = _stats(text)
    assert answer.pole_driver == "James Weaver"
    assert answer.fastest_lap_driver == "Butch Leitzinger"
    assert _field(answer, "Pole position").splitlines()[:2] == [
        "#16 Dyson Racing · 1:23.085",
        "James Weaver",
    ]
    assert _field(answer, "Fastest lap").splitlines()[1] == "Butch Leitzinger"


def test_a_sentence_naming_both_team_mates_names_neither() -> None:
    """'Weaver and Leitzinger shared pole duties' gives no one driver: none is shown."""
    text = variant(
        SONOMA,
        dt.date(2003, 7, 27),
        3,
        {PROSE: PROSE + " Weaver and Leitzinger shared the pole effort."},
    )
    assert _stats(text).pole_driver is None


def test_a_car_with_one_driver_is_its_driver() -> None:
    """When the table lists one driver for the car, that driver set the lap."""
    text = variant(
        SONOMA,
        dt.date(2003, 7, 27),
        3,
        {"| Butch Leitzinger James Weaver |": "| Butch Leitzinger |"},
    )
    answer = _stats(text)
    assert answer.pole_driver == answer.fastest_lap_driver == "Butch Leitzinger"


def test_the_statistics_line_names_the_driver() -> None:
    """A statistics line naming one of the car's crew names the driver."""
    text = variant(
        SONOMA,
        dt.date(2003, 7, 27),
        3,
        {
            "#16 Dyson Racing - 1:23.085": "#16 Dyson Racing (Butch Leitzinger) - 1:23.085",
            "#16 Dyson Racing - 1:24.229": "#16 Dyson Racing James Weaver - 1:24.229",
        },
    )
    answer = _stats(text)
    assert (answer.pole_driver, answer.fastest_lap_driver) == ("Butch Leitzinger", "James Weaver")
