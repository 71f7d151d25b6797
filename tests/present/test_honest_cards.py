"""Honest answers as cards: corrections said aloud, misses that point the way, dates per reader."""

from __future__ import annotations

import io
import time

import pytest
from rich.console import Console

from bot.core.asking.answers import (
    ClassAnswer,
    Correction,
    DriverAnswer,
    DriverRace,
    NotFoundAnswer,
    RaceAnswer,
    ResultsAnswer,
    Subject,
)
from bot.core.documents.model import Race, summarise
from bot.core.formats import plain_dates
from bot.present.terminal import markdown_text, render_terminal
from tests.present.support import car, field_values, only_card

SONOMA_DATE = "<t:1059264000:D>"
HERBRET = (Correction(typed="herbret", read_as="Johnny Herbert"),)


def test_a_driver_read_through_a_typo_says_so(sonoma: Race) -> None:
    """/driver herbret: the card says “Showing Johnny Herbert for “herbret””."""
    answer = DriverAnswer(
        driver="Johnny Herbert",
        appearances=(DriverRace(race=summarise(sonoma), entry=car(sonoma, "38")),),
        corrections=HERBRET,
    )
    assert only_card(answer).description.splitlines() == [
        "Showing Johnny Herbert for “herbret”",
        "1 race · 1 car",
    ]


def test_a_result_read_through_a_typo_says_so_instead_of_matched(sonoma: Race) -> None:
    """/result herbret: the correction line takes the place of the "Matched" line, first."""
    fix = (Correction(typed="herbret", read_as="driver Johnny Herbert"),)
    answer = ResultsAnswer(
        race=sonoma,
        query="herbret",
        matched=("driver Johnny Herbert",),
        cars=(car(sonoma, "38"),),
        corrections=fix,
    )
    lines = only_card(answer).description.splitlines()
    assert lines[0] == "Showing driver Johnny Herbert for “herbret”"
    assert not any(line.startswith("Matched") for line in lines)


def test_a_race_read_through_a_typo_says_so(sonoma: Race) -> None:
    """race:Snoma on /class and /race: the same line, first."""
    fix = (Correction(typed="Snoma", read_as="2003 Grand Prix of Sonoma"),)
    gts = ClassAnswer(
        race=sonoma, class_="GTS", entries=sonoma.class_entries("GTS"), corrections=fix
    )
    said = "Showing 2003 Grand Prix of Sonoma for “Snoma”"
    assert only_card(gts).description.splitlines()[0] == said
    assert only_card(RaceAnswer(race=sonoma, corrections=fix)).description.startswith(said)


@pytest.mark.parametrize(
    ("answer", "title", "text"),
    [
        (
            NotFoundAnswer(
                subject=Subject.CAR,
                query="50",
                searched="2003 Grand Prix of Sonoma",
                elsewhere=("2003 Petit Le Mans",),
            ),
            "Nothing found",
            "No car matches “50” in the 2003 Grand Prix of Sonoma.\n"
            "Found in the **2003 Petit Le Mans**.",
        ),
        (
            NotFoundAnswer(
                subject=Subject.DRIVER,
                query="Hill",
                suggestions=("Bill Auberlen",),
                searched="2003 Grand Prix of Sonoma",
            ),
            "Did you mean…?",
            "No driver matches “Hill” in the 2003 Grand Prix of Sonoma. "
            "Did you mean: **Bill Auberlen**?",
        ),
        (
            NotFoundAnswer(
                subject=Subject.RACE,
                query="Dyson",
                hint="/stats takes a race; for Dyson's result try /result Dyson",
            ),
            "Nothing found",
            "No race matches “Dyson”.\n/stats takes a race; for Dyson's result try /result Dyson.",
        ),
        (
            NotFoundAnswer(
                subject=Subject.QUERY,
                query="fastest lap",
                hint="The fastest lap is answered by /stats: try /stats",
            ),
            "Nothing found",
            "No team, driver, car, chassis or engine matches “fastest lap”.\n"
            "The fastest lap is answered by /stats: try /stats.",
        ),
    ],
)
def test_every_miss_message(answer: NotFoundAnswer, title: str, text: str) -> None:
    """A miss names the race searched, where else it is, and the command the words belong to."""
    card = only_card(answer)
    assert (card.title, card.description) == (title, text)
    assert card.ephemeral


@pytest.mark.parametrize("zone", ["Pacific/Honolulu", "Pacific/Auckland", "UTC"])
def test_race_days_are_the_same_in_every_zone(
    sonoma: Race, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race day is text from the document, so readers at UTC-10 and UTC+12 see July 27."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        driver = DriverAnswer(
            driver="Johnny Herbert",
            appearances=(DriverRace(race=summarise(sonoma), entry=car(sonoma, "38")),),
        )
        cards = [only_card(RaceAnswer(race=sonoma)), only_card(driver)]
        assert field_values(cards[0])["Date"] == "Sun 27 Jul 2003"
        for card in cards:
            shown = card.description + "".join(f.name + f.value for f in card.fields)
            assert "<t:" not in shown
            assert "Jul 26" not in shown
            assert "Jul 28" not in shown
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_terminal_shows_plain_dates(sonoma: Race) -> None:
    """The terminal writes the markup back as the plain date, in descriptions and fields alike."""
    assert plain_dates(f"Sonoma · {SONOMA_DATE}") == "Sonoma · July 27, 2003"
    assert plain_dates("<t:99999999999999:D> <t:x:D>") == "<t:99999999999999:D> <t:x:D>"
    assert markdown_text(f"**{SONOMA_DATE}**").plain == "July 27, 2003"
    console = Console(file=io.StringIO(), width=100)
    render_terminal(RaceAnswer(race=sonoma), console)
    output = console.file
    assert isinstance(output, io.StringIO)
    assert "Sun 27 Jul 2003" in output.getvalue()
    assert "<t:" not in output.getvalue()
