"""One document per race: `distinct_races` and `repeats`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.core.documents.model import summarise
from bot.core.documents.parsing import parse_race
from bot.core.library.duplicates import distinct_races, repeats
from bot.core.library.races import distinct_races as from_library

ALMS = "American Le Mans Series"


@dataclass(frozen=True)
class _Race:
    title: str
    source: str
    series: str | None = None
    date: dt.date | None = None
    circuit: str | None = None
    round: int | None = None
    year: int | None = None


SONOMA = _Race("2003 Grand Prix of Sonoma", "a.txt", ALMS, dt.date(2003, 7, 27), "Infineon")


def test_the_same_race_under_another_title_is_refused() -> None:
    """Same series and date, another title and file: the later file is refused, naming the
    first race and the line it was given."""
    other = _Race("Sonoma 2003", "b.txt", "american le mans series", dt.date(2003, 7, 27))
    kept, errors = distinct_races([other, SONOMA], title_lines={"b.txt": 3})
    assert kept == [SONOMA]
    assert [str(e) for e in errors] == [
        "b.txt:3: is the same race as a.txt ('2003 Grand Prix of Sonoma', American Le Mans"
        " Series, 2003-07-27): the same series and date; keep one document per race"
    ]


def test_one_title_in_two_series_or_years_is_two_races() -> None:
    """A title shared by races of other series or dates is no duplicate."""
    races = [
        SONOMA,
        _Race(SONOMA.title, "b.txt", "Grand-Am", dt.date(2003, 7, 27)),
        _Race(SONOMA.title, "c.txt", ALMS, dt.date(2004, 7, 25)),
    ]
    kept, errors = distinct_races(races)
    assert kept == races
    assert errors == ()


def test_other_identities() -> None:
    """Series, year and round; circuit and date; title alone: each says why."""
    by_round = [_Race(t, s, ALMS, None, None, 3, 2003) for t, s in (("A", "a"), ("B", "b"))]
    by_circuit = [_Race(t, s, None, dt.date(2003, 7, 27), "Infineon") for t, s in (("C", "c"),)]
    by_circuit.append(_Race("D", "d", None, dt.date(2003, 7, 27), "INFINEON"))
    by_title = [_Race("E", "e"), _Race("e", "f")]
    _, errors = distinct_races([*by_round, *by_circuit, *by_title])
    assert [e.message for e in errors] == [
        "is the same race as a ('A', American Le Mans Series, 2003 round 3): the same series,"
        " year and round; keep one document per race",
        "is the same race as c ('C', Infineon, 2003-07-27): the same circuit and date;"
        " keep one document per race",
        "is the same race as e ('E'): the same title, and neither says its series and date;"
        " keep one document per race",
    ]
    assert all(e.line is None for e in errors)


def test_items_are_read_through_facts() -> None:
    """A loader's own items are kept whole, their race read through `facts`."""
    items = [("second", _Race("X", "b.txt", ALMS, SONOMA.date)), ("first", SONOMA)]
    kept, errors = from_library(items, lambda item: item[1])
    assert kept == [("first", SONOMA)]
    assert [e.source for e in errors] == ["b.txt"]


def test_repeats_names_the_race_a_new_one_repeats() -> None:
    """A single race against those loaded: an error naming the first it repeats, else None."""
    new = _Race("Infineon GP", "new.txt", ALMS, SONOMA.date)
    other = _Race("Petit Le Mans", "p.txt", ALMS, dt.date(2003, 10, 18))
    error = repeats(new, [other, SONOMA], line=1)
    assert error is not None
    assert (error.source, error.line) == ("new.txt", 1)
    assert error.message.startswith("is the same race as a.txt ('2003 Grand Prix of Sonoma'")
    assert repeats(other, [SONOMA]) is None


def test_parsed_races_and_their_summaries_are_compared_alike() -> None:
    """A race and the summary of the same race under another title repeat each other."""
    text = (
        Path(__file__).resolve().parents[2] / "fixtures" / "2003-grand-prix-of-sonoma.txt"
    ).read_text(encoding="utf-8")
    first = parse_race(text, "a.txt")
    again = parse_race(text.replace("= 2003 Grand Prix of Sonoma =", "= Sonoma =", 1), "b.txt")
    error = repeats(again, [summarise(first)], line=1)
    assert error is not None
    assert str(error) == (
        "b.txt:1: is the same race as a.txt ('2003 Grand Prix of Sonoma', American Le Mans"
        " Series, 2003-07-27): the same series and date; keep one document per race"
    )
    other_year = parse_race(text.replace("July 27, 2003", "July 25, 2004"), "c.txt")
    assert repeats(other_year, [first, summarise(first)]) is None
