"""One home for each small format every front end shares: ordinals, plurals, dates, labels."""

from __future__ import annotations

import datetime as dt

from bot.core.model import Entry

ELLIPSIS = "…"


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


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def car_label(entry: Entry) -> str:
    """A car as "#30 Intersport Racing" (plain text; presentation escapes it)."""
    return f"#{entry.number} {entry.team}".strip()
