"""What the tests of issue 21 share: a copy of the seed document, and libraries made from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.core.asking.query import QueryService
from bot.core.documents.model import Race
from bot.core.documents.parsing import parse_race
from bot.core.library.loading import load_library
from bot.core.library.races import RaceLibrary

DOCUMENTS = Path(__file__).resolve().parent / "fans_documents"
SONOMA_TEXT = (DOCUMENTS / "2003-grand-prix-of-sonoma.txt").read_text(encoding="utf-8")
SONOMA = "2003 Grand Prix of Sonoma"


def sonoma_library() -> RaceLibrary:
    """The seed, copied under tests/ (the live seeds folder may change)."""
    loaded = load_library(DOCUMENTS)
    assert not loaded.errors
    return loaded.library


def variant(title: str, date: dt.date, round_: int, replace: dict[str, str] | None = None) -> str:
    """The seed document renamed, re-dated and renumbered, with lines replaced."""
    text = SONOMA_TEXT.replace("= 2003 Grand Prix of Sonoma =", f"= {title} =", 1)
    text = text.replace("July 27, 2003", f"{date:%B} {date.day}, {date.year}", 1)
    ordinals = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    text = text.replace("the third race", f"the {ordinals[round_]} race", 1)
    text = text.replace("2003 American Le Mans Series", f"{date.year} American Le Mans Series", 1)
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def library_of(*documents: tuple[str, str]) -> RaceLibrary:
    """A library of documents given as (file name, text)."""
    return RaceLibrary([parse_race(text, name) for name, text in documents])


def service_of(*documents: tuple[str, str]) -> QueryService:
    """The query service over documents given as (file name, text)."""
    return QueryService(library_of(*documents))


def title_of(answer: object) -> str:
    """The title of the race an answer is about ('' when it is about none)."""
    race = getattr(answer, "race", None)
    return race.title if isinstance(race, Race) else ""
