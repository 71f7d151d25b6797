"""Stats, race and races answers as cards: exact texts for the seed."""

from __future__ import annotations

from bot.core.asking.answers import (
    RaceAnswer,
    RacesAnswer,
    StatsAnswer,
)
from bot.core.documents.model import Race, summarise
from bot.present.colours import class_colour
from bot.present.pages import INTRO_CAP
from tests.present.support import field_values, only_card


def test_stats_card(sonoma: Race) -> None:
    """/stats: pole and fastest lap with lap speeds, distance, speed, duration and counts."""
    answer = StatsAnswer(
        race=sonoma,
        statistics=sonoma.statistics,
        entries=36,
        starters=35,
        classified=28,
        dnf=7,
        dns=1,
        nc=0,
    )
    card = only_card(answer)
    assert card.title == "Statistics — 2003 Grand Prix of Sonoma"
    assert field_values(card) == {
        "Pole position": "\\#16 Dyson Racing · 1:23.085\n176.4 km/h",
        "Fastest lap": "\\#16 Dyson Racing · 1:24.229\n174.0 km/h",
        "Distance": "415.307 km (258.1 mi) · 102 laps",
        "Average speed": "150.145 km/h (93.3 mph)",
        "Race duration": "2:45:58",
        "Lap length": "4.072 km",
        "Entries": "36",
        "Starters": "35",
        "Finishers": "28 classified",
        "DNF": "7",
        "DNS": "1",
        "NC": "0",
    }
    assert all(field.inline for field in card.fields)


def test_stats_card_without_statistics(sonoma: Race) -> None:
    """A document without a Statistics section says what is not recorded."""
    bare = sonoma.model_copy(update={"statistics": type(sonoma.statistics)()})
    answer = StatsAnswer(
        race=bare, statistics=bare.statistics, entries=1, starters=1, classified=1, dnf=0, dns=0,
        nc=0,
    )  # fmt: skip
    values = field_values(only_card(answer))
    assert values["Pole position"] == values["Race duration"] == "not recorded"


def test_race_card(sonoma: Race) -> None:
    """/race: facts, winner, class winners and the article's prose."""
    card = only_card(RaceAnswer(race=sonoma))
    assert card.title == "2003 Grand Prix of Sonoma"
    assert card.description.startswith("The 2003 Infineon Grand Prix of Sonoma was the third race")
    assert "Dyson Lola\\-MG defeated" in card.description
    values = field_values(card)
    assert values["Series"] == "American Le Mans Series · round 3"
    assert values["Circuit"] == "Infineon Raceway, California"
    assert values["Date"] == "Sun 27 Jul 2003"
    assert values["Winner"] == (
        "\\#16 Dyson Racing (LMP675)\nButch Leitzinger, James Weaver\nMG\\-Lola EX257 · 102 laps"
    )
    assert values["Class winners"].splitlines()[1] == r"**LMP900** · \#1 Infineon Team Joest"
    assert values["Entries"] == "36 cars · 4 classes"
    assert card.colour == class_colour("LMP675")


def test_race_card_truncates_long_prose(sonoma: Race) -> None:
    """A long article is cut with an ellipsis, keeping the card small."""
    long = sonoma.model_copy(update={"prose": ("Word " * 2000,)})
    card = only_card(RaceAnswer(race=long))
    assert card.description.endswith("…")
    assert len(card.description) == INTRO_CAP
    assert card.description.startswith("Word Word")


def test_races_card(sonoma: Race) -> None:
    """/races: one line per race."""
    card = only_card(RacesAnswer(races=(summarise(sonoma),)))
    assert card.description.splitlines() == [
        "1 race, newest first",
        "",
        "**2003 Grand Prix of Sonoma** · Sun 27 Jul 2003 · Infineon Raceway"
        " · American Le Mans Series round 3 · 36 cars",
    ]
    assert only_card(RacesAnswer(races=())).description == "No races are loaded."
