"""Prose read around the traps real articles hold, and the prose reader's parts: ordinals,
title years, how much is read and how sentences are cut."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.documents import prose, prose_dates, venue
from bot.core.documents.model import Race
from bot.core.documents.parsing import parse_race
from bot.core.documents.prose import PROSE_LIMIT, ProseFacts, ordinal_value, read_prose, title_year
from tests.core.documents.test_prose import REAL, Case
from tests.paths import SEED as FIXTURE_SEED

SEED_TEXT = FIXTURE_SEED.read_text(encoding="utf-8")


# Constructed around the shapes real articles take, for the traps they hold.
TRAPS = [
    Case(  # the example: ", held on DATE at C in P, Q" after the round
        "2004 Grand Prix of Mid-Ohio",
        "The 2004 Grand Prix of Mid-Ohio was the fifth round of the 2004 American Le Mans "
        "Series season, held on June 6, 2004 at Mid-Ohio Sports Car Course in Lexington, Ohio.",
        "American Le Mans Series",
        5,
        dt.date(2004, 6, 6),
        "Mid-Ohio Sports Car Course",
        "Lexington, Ohio",
    ),
    Case(  # the example: day-month-year, an aside naming the place
        "2003 Grand Prix de Trois-Rivières",
        "The race was run on 3 August 2003 at Circuit Trois-Rivières, the temporary street "
        "course in Trois-Rivières.",
        None,
        None,
        dt.date(2003, 8, 3),
        "Circuit Trois-Rivières",
        "Trois-Rivières",
    ),
    Case(  # "the 20th running" is no round; a weekday; the place before the circuit
        "2003 Grand Prix of Sonoma",
        "The 2003 Grand Prix of Sonoma, the 20th running of the event, was held on Sunday, "
        "July 27, 2003 in Sonoma, California at Infineon Raceway.",
        None,
        None,
        dt.date(2003, 7, 27),
        "Infineon Raceway",
        "Sonoma, California",
    ),
    Case(  # a month-first range means its last day, the race day
        "2003 Grand Prix of Sonoma",
        "The 2003 Grand Prix of Sonoma was held on July 26–27, 2003 at Infineon Raceway. "
        "It was the third race of the 2003 American Le Mans Series season.",
        "American Le Mans Series",
        3,
        dt.date(2003, 7, 27),
        "Infineon Raceway",
        None,
    ),
    Case(  # a range across two months
        "2022 6 Hours of Spa-Francorchamps",
        "The race was held between 5 May and 7 May 2022 at the Circuit de Spa-Francorchamps, "
        "and was the second round of the 2022 FIA World Endurance Championship.",
        "FIA World Endurance Championship",
        2,
        dt.date(2022, 5, 7),
        "Circuit de Spa-Francorchamps",
        None,
    ),
    Case(  # "the 50th Grand Prix of X" is no round either
        "1992 Monaco Grand Prix",
        "The 1992 Monaco Grand Prix, the 50th Grand Prix of Monaco, was a Formula One motor "
        "race held on 31 May 1992 at the Circuit de Monaco.",
        "Formula One",
        None,
        dt.date(1992, 5, 31),
        "Circuit de Monaco",
        None,
    ),
    Case(  # sponsor words around the series name are not part of it
        "2013 Petit Le Mans",
        "The 2013 Petit Le Mans powered by Mazda was the tenth round of the 2013 American Le "
        "Mans Series presented by Tequila Patrón. It took place at Road Atlanta, Georgia on "
        "October 19, 2013.",
        "American Le Mans Series",
        10,
        dt.date(2013, 10, 19),
        "Road Atlanta",
        "Georgia",
    ),
    Case(  # citation markers anywhere
        "2003 Grand Prix of Sonoma",
        "The 2003 Infineon Grand Prix of Sonoma was the third race[1] of the 2003 American Le "
        "Mans Series season.[2] It took place at Infineon Raceway,[a] California on July 27, "
        "2003.[3][note 1]",
        "American Le Mans Series",
        3,
        dt.date(2003, 7, 27),
        "Infineon Raceway",
        "California",
    ),
    Case(  # a test day's date, mentioned first, is not the race's
        "2003 Grand Prix of Sonoma",
        "Testing was held at Infineon Raceway on July 20, 2003. The race took place a week "
        "later, on July 27, 2003, and was the third race of the 2003 American Le Mans Series "
        "season.",
        "American Le Mans Series",
        3,
        dt.date(2003, 7, 27),
        "Infineon Raceway",
        None,
    ),
    Case(  # an abbreviation's full stop ends no sentence; "Round N of"
        "2009 Grand Prix of St. Petersburg",
        "The race was held on April 4, 2009 on the streets of St. Petersburg, Florida. It was "
        "Round 1 of the 2009 American Le Mans Series.",
        "American Le Mans Series",
        1,
        dt.date(2009, 4, 4),
        None,
        "St. Petersburg, Florida",
    ),
    Case(  # a day and month alone take the title's year; never a day from the title
        "2015 6 Hours of Spa-Francorchamps",
        "The race was held on 2 May at the Circuit de Spa-Francorchamps in Stavelot, Belgium.",
        None,
        None,
        dt.date(2015, 5, 2),
        "Circuit de Spa-Francorchamps",
        "Stavelot, Belgium",
    ),
    Case(  # nothing stated, nothing guessed
        "2003 Grand Prix of Sonoma",
        "The race was won by Dyson Racing in a car of the LMP675 class.",
        None,
        None,
        None,
        None,
        None,
    ),
]


def _facts(case: Case) -> ProseFacts:
    return ProseFacts(case.series, case.round, case.date, case.circuit, case.location)


@pytest.mark.parametrize("case", TRAPS, ids=[f"{n:02d} {c.title}" for n, c in enumerate(TRAPS)])
def test_traps(case: Case) -> None:
    """Ranges, running counts, sponsors, citations, test days and asides are read right."""
    assert read_prose(case.title, case.prose) == _facts(case)


@pytest.mark.parametrize(
    ("word", "value"),
    [("third", 3), ("Twenty-second", 22), ("twenty second", 22), ("12th", 12), ("opening", 1)],
)
def test_ordinal_values(word: str, value: int) -> None:
    """Ordinal words, compounds and numerals all give their number."""
    assert ordinal_value(word) == value


@pytest.mark.parametrize("word", ["final", "th", "running", ""])
def test_words_that_are_no_ordinal(word: str) -> None:
    """Words without a number give None."""
    assert ordinal_value(word) is None


@pytest.mark.parametrize(
    ("title", "year"),
    [("2003 Grand Prix of Sonoma", 2003), ("Grand Prix of Sonoma", None), ("1999 vs 2003", None)],
)
def test_title_year(title: str, year: int | None) -> None:
    """A title names a year only when it names exactly one."""
    assert title_year(title) == year


def test_race_year_falls_back_to_the_title() -> None:
    """Without a date a race's year, for ordering, is its title's; the date stays unknown."""
    race = parse_race(SEED_TEXT.replace(" on July 27, 2003", ""), source="x.txt")
    assert race.date is None
    assert race.year == 2003
    untitled = race.model_copy(update={"title": "Grand Prix of Sonoma"})
    assert isinstance(untitled, Race)
    assert untitled.year is None


def test_facts_become_race_fields() -> None:
    """The facts map one to one onto the race model's fields."""
    facts = read_prose(REAL[0].title, REAL[0].prose)
    assert facts.as_fields() == {
        "series": "American Le Mans Series",
        "round": 3,
        "date": dt.date(2003, 7, 27),
        "circuit": "Infineon Raceway",
        "location": "California",
    }


@pytest.mark.parametrize(
    "hostile",
    [
        "the " * 250_000,
        "at " * 330_000,
        "was the first " * 70_000,
        "July 26–27, " * 80_000,
        "1 and " * 160_000,
        "(" * 1_000_000,
        "[1" * 500_000,
        "took place at A, " * 60_000,
        "x" * 1_000_000,
        ". " * 500_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_hostile_prose_is_read_quickly(hostile: str) -> None:
    """A megabyte of repetitive prose (or title) is read in a fraction of a second."""
    started = time.perf_counter()
    read_prose(hostile, hostile)
    assert time.perf_counter() - started < 0.5


def test_only_the_opening_is_read() -> None:
    """Facts beyond the first PROSE_LIMIT characters are not read."""
    late = " " * PROSE_LIMIT + "It took place at Infineon Raceway on July 27, 2003."
    assert read_prose("x", late) == ProseFacts()


def test_a_sentence_without_dates_is_cut_into_the_same_words() -> None:
    """venue's shortcut for sentences without dates: split() cuts where the token pattern does."""
    for code in range(0x110000):
        char = chr(code)
        assert (venue._TOKEN.match(char) is None) == char.isspace(), hex(code)
    text = " It took\u00a0place at  Road\u2028Atlanta,\tGeorgia\x1c on\u3000June "
    assert venue._words(text, []) == [
        venue._Word(token.rstrip(venue.TRAILING), token.endswith(","), False)
        for token in venue._TOKEN.findall(text)
    ]


def test_every_month_the_date_patterns_read_starts_as_the_shortcut_looks_for() -> None:
    """written_dates skips its month patterns where no month can start, so none may be missed."""
    names = prose_dates._MONTH.removeprefix("(?:").removesuffix(r")\.?").split("|")
    assert len(names) == 24
    for name in names:
        assert prose_dates._MONTH_START.match(name), name


_PROSE_BITS = ["a", "b", " ", ". ", "(", ")", "[1]", "[", "\t", "\n"]


@given(st.lists(st.sampled_from(_PROSE_BITS)).map("".join))
def test_sentences_are_cut_as_with_every_pattern_run(text: str) -> None:
    """_sentences' shortcuts (patterns skipped where they cannot match) change no sentence."""
    text += " \u00a0\u2009\u202f\u3000 x" if len(text) % 2 else ""
    expected = []
    for paragraph in prose._ASIDE.sub("", prose._CITATION.sub("", text)).splitlines():
        paragraph = prose._SPACES.sub(" ", paragraph).strip()
        start = 0
        for gap in prose._BREAK.finditer(paragraph):
            before = paragraph[start : gap.start() - 1]
            if prose._ABBREVIATION.fullmatch(before.rsplit(" ", 1)[-1]):
                continue
            expected.append(before.strip())
            start = gap.end()
        if tail := paragraph[start:].rstrip(".!? "):
            expected.append(tail)
    assert list(prose._sentences(text)) == expected
