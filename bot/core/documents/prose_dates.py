"""Dates as race articles write them: "July 27, 2003", "27 July 2003", ranges, ISO. Linear."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, NamedTuple

MONTHS: Final = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|"
_MONTH += r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\b"
_TO = r"\s?(?:–|—|-|\sto\s|\sand\s|\s&\s)\s?"
# A range ("July 26-27, 2003", "26-27 July 2003", "30 April - 1 May", "August 6 to the 8,
# 2004") keeps its last day.
_MDY = re.compile(
    rf"\b{_WEEKDAY}(?P<m1>{_MONTH})\s(?P<d1>{_DAY})"
    rf"(?:{_TO}(?:the\s)?(?:(?P<m2>{_MONTH})\s)?(?P<d2>{_DAY}))?"
    rf"(?:,?\s(?P<y>\d{{4}})\b)?"
)
_DMY = re.compile(
    rf"\b{_WEEKDAY}(?:the\s)?(?P<d1>{_DAY})(?:\s(?P<m1>{_MONTH}))?(?:{_TO}(?P<d2>{_DAY}))?"
    rf"\s(?:of\s)?(?P<m2>{_MONTH})(?![a-z])(?:,?\s(?P<y>\d{{4}})\b)?"
)
_MONTH_START = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")


class WrittenDate(NamedTuple):
    """A date found in a sentence: its span, the date (None without a year), month and day."""

    start: int
    end: int
    date: dt.date | None
    month: int
    day: int


def written_dates(sentence: str) -> list[WrittenDate]:
    """Every date written in the sentence, in order, overlapping forms resolved to the longest."""
    found: list[WrittenDate] = []
    # Both patterns need a month, whose name starts with one of these: most sentences have none.
    months = _MONTH_START.search(sentence) is not None
    for pattern in (_MDY, _DMY) if months else ():
        for match in pattern.finditer(sentence):
            month = MONTHS[(match["m2"] or match["m1"]).rstrip(".").lower()]
            day = int(re.sub(r"\D", "", match["d2"] or match["d1"]))
            date = valid_date(int(match["y"]), month, day) if match["y"] else None
            found.append(WrittenDate(match.start(), match.end(), date, month, day))
    for match in _ISO.finditer(sentence):
        date = valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
        found.append(
            WrittenDate(match.start(), match.end(), date, int(match["m"]), int(match["d"]))
        )
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[WrittenDate] = []
    for written in found:
        if not kept or written.start >= kept[-1].end:
            kept.append(written)
    return kept


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
