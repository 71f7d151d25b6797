"""One home for each small format every front end shares: ordinals, plurals, dates, labels."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Sequence
from typing import Final, Protocol

ELLIPSIS = "…"
_TIMESTAMP: Final = re.compile(r"<t:(-?[0-9]{1,12}):D>")


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 lap', '5 laps'."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def long_date(date: dt.date | None) -> str:
    """'July 27, 2003', or '' for an unknown date."""
    return f"{date:%B} {date.day}, {date.year}" if date else ""


_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def race_day(date: dt.date | None) -> str:
    """A race's day as the document gives it, as text: 'Sun 27 Jul 2003' ('' when unknown).

    A race day is a calendar date, not an instant: shown as text it reads the same in every
    time zone (Discord's timestamp markup would put it a day early in the Americas)."""
    if date is None:
        return ""
    return f"{_WEEKDAYS[date.weekday()]} {date.day} {_MONTHS[date.month - 1]} {date.year}"


def plain_dates(text: str) -> str:
    """Text with every '<t:N:D>' markup written as the plain date ('July 27, 2003')."""
    return _TIMESTAMP.sub(_plain_date, text) if "<t:" in text else text


def _plain_date(match: re.Match[str]) -> str:
    try:
        return long_date(dt.datetime.fromtimestamp(int(match[1]), dt.UTC).date())
    except (OverflowError, OSError, ValueError):
        return match[0]


def shared_places(keys: Sequence[Hashable]) -> list[str]:
    """The places of rows already ranked best first, by the key they are ranked on: rows level
    on it share a place, written '=2' ('1', '=2', '=2', '4'); a place alone is its number."""
    places: list[str] = []
    for index, key in enumerate(keys):
        start = index
        while start > 0 and keys[start - 1] == key:
            start -= 1
        level = (start < index) or (index + 1 < len(keys) and keys[index + 1] == key)
        places.append(f"={start + 1}" if level else str(start + 1))
    return places


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


class NumberedCar(Protocol):
    """A car with its number and team (`model.Entry`); named by what it has, so that this
    module imports nothing of the race model."""

    @property
    def number(self) -> str: ...

    @property
    def team(self) -> str: ...


def car_label(entry: NumberedCar) -> str:
    """A car as "#30 Intersport Racing" (plain text; presentation escapes it)."""
    return f"#{entry.number} {entry.team}".strip()
