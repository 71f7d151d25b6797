"""The seed and variants of it: the libraries the query service's tests ask."""

from __future__ import annotations

from bot.core.asking.answers import (
    Answer,
    ResultsAnswer,
)
from bot.core.documents.model import Race
from bot.core.documents.parsing import parse_race
from tests.paths import RACES

SEEDS = RACES
SEED_TEXT = (SEEDS / "2003-grand-prix-of-sonoma.txt").read_text(encoding="utf-8")
SONOMA_2003 = "2003 Grand Prix of Sonoma"
SONOMA_2004 = "2004 Grand Prix of Sonoma"
PETIT_2003 = "2003 Petit Le Mans"


def variant(source: str, *replacements: tuple[str, str]) -> Race:
    """The seed document with some text replaced, parsed as another race."""
    text = SEED_TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return parse_race(text, source)


def numbers(answer: Answer) -> list[str]:
    """Car numbers of a results answer, in its order."""
    assert isinstance(answer, ResultsAnswer), answer
    return [car.number for car in answer.cars]
