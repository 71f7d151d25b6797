"""Who drove a pole or fastest lap, when the document says so: never a guess between team-mates.

A statistics line names a car (`#16 Dyson Racing - 1:23.085`), not a driver; the document gives
the driver when the car had one driver in the results table, when the line itself names one of
the car's crew (`#16 Dyson Racing (Butch Leitzinger) - 1:23.085`), or when the prose names one
of the crew, and only one, in a sentence about the pole or the fastest lap.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from bot.core.documents.model import LapRecord, Race
from bot.core.matching import normalise

LapKind = Literal["pole", "fastest_lap"]
_WORDS: Final[dict[LapKind, tuple[str, ...]]] = {
    "pole": ("pole",),
    "fastest_lap": ("fastest lap", "fastest race lap", "quickest lap", "lap record"),
}
_SENTENCE: Final = re.compile(r"(?<=[.!?])\s+")


def _named(text: str, driver: str) -> bool:
    """Whether normalised text names the driver: the whole name, or the family name."""
    name = normalise(driver)
    if not name:
        return False
    padded = f" {text} "
    family = name.split()[-1]
    return f" {name} " in padded or (len(family) >= 4 and f" {family} " in padded)


def lap_driver(race: Race, record: LapRecord | None, kind: LapKind) -> str | None:
    """The driver of a pole or fastest lap, when the document gives one; else None."""
    if record is None:
        return None
    entry = next((e for e in race.entries if e.number == record.number), None)
    if entry is None or not entry.drivers:
        return None
    crew = [driver for driver in entry.drivers if driver.strip()]
    if len(crew) == 1:
        return crew[0]
    in_line = [driver for driver in crew if _named(normalise(record.team), driver)]
    if len(in_line) == 1:
        return in_line[0]
    named: set[str] = set()
    for paragraph in race.prose:
        for sentence in _SENTENCE.split(paragraph):
            text = normalise(sentence)
            if any(word in text for word in _WORDS[kind]):
                named.update(driver for driver in crew if _named(text, driver))
    return named.pop() if len(named) == 1 else None
