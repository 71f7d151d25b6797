"""A race's identity: what makes two documents the same race, whatever their titles or files.

A race is its series and date; without a date, its series, year and round; without a series,
its circuit and date. A document that gives none of these is known by its title alone. The key
is plain text, so the store can use it as the race's primary key and a person can read it.
"""

from __future__ import annotations

import unicodedata
from typing import Protocol

from bot.core.matching import compact, normalise


class Identifiable(Protocol):
    """What tells races apart: a race and its summary both have it."""

    @property
    def title(self) -> str: ...

    @property
    def series(self) -> str | None: ...

    @property
    def circuit(self) -> str | None: ...

    @property
    def round(self) -> int | None: ...

    @property
    def year(self) -> int | None: ...

    @property
    def date(self) -> object: ...


def _word(text: str) -> str:
    """Text as one comparable word: case, accents, spacing and punctuation folded."""
    folded = unicodedata.normalize("NFKC", text)
    return compact(normalise(folded)) or folded.casefold().strip()


def race_key(race: Identifiable) -> str:
    """The race's identity as a key: `series|date`, `series|year|round`, `@circuit|date`, or
    `title|...` when the document gives neither series nor circuit with a date."""
    date = race.date
    if race.series and date is not None:
        return f"series:{_word(race.series)}|{date}"
    if race.series and race.year is not None and race.round is not None:
        return f"series:{_word(race.series)}|{race.year}|round {race.round}"
    if race.circuit and date is not None:
        return f"circuit:{_word(race.circuit)}|{date}"
    return f"title:{_word(race.title)}"
