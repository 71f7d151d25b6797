"""A race article's opening prose -> series, round, date, circuit and location. Pure and linear.

Only the first `PROSE_LIMIT` characters are read, sentence by sentence, with patterns that
cannot backtrack far, so any input costs time in proportion to that bounded prefix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from bot.core.documents.prose_dates import WrittenDate, valid_date, written_dates
from bot.core.documents.venue import TRAILING, venue

PROSE_LIMIT: Final = 4_000
"""Characters of prose read: the facts live in the opening paragraph or two."""

_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS = """tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth
    eighteenth nineteenth""".split()
_TENS = {20: ("twentieth", "twenty"), 30: ("thirtieth", "thirty"), 40: ("fortieth", "forty")}


def _ordinal_words() -> dict[str, int]:
    words = {word: n for n, word in enumerate(_UNITS, start=1)}
    words |= {word: n for n, word in enumerate(_TEENS, start=10)}
    for tens, (whole, stem) in _TENS.items():
        words[whole] = tens
        words |= {f"{stem}-{unit}": tens + n for n, unit in enumerate(_UNITS, start=1)}
    return words | {"opening": 1, "inaugural": 1, "season-opening": 1}


ORDINAL_WORDS: Final = _ordinal_words()
"""'third' -> 3, 'twenty-second' -> 22, 'opening' -> 1."""

# A date right after one of these words is not the race's: a test day, a postponed plan.
_NOT_RACE_DAY = re.compile(
    r"\b(?:[Tt]est(?:s|ed|ing)?|originally|postponed|rescheduled|announced|unveiled|published"
    r"|released|born|died|[Pp]ractice|[Qq]ualifying)\b"
)

_ORD = "|".join(
    re.escape(word).replace("\\-", "[- ]") for word in sorted(ORDINAL_WORDS, key=len, reverse=True)
)
_LAST = r"(?:final|last|penultimate|closing|concluding|deciding)"
_ROUND = re.compile(
    rf"\b[Tt]he\s(?:(?P<ord>{_ORD}|\d{{1,3}}(?:st|nd|rd|th))(?:\sand\s{_LAST})?|{_LAST})"
    r"(?:\s(?:championship|points|scheduled|official))?\s(?:race|round|event|leg)"
    rf"|\b[Tt]he\s(?P<of>{_ORD}|\d{{1,3}}(?:st|nd|rd|th))\sof\s\w+\s(?:[\w-]+\s){{0,3}}?"
    r"(?:races|rounds|events)"
    r"|\b[Rr](?:ound|ace)\s(?P<num>\d{1,3})"
    r"|\b[Tt]he\sseason\s(?P<opener>opener|finale)"
    r"|\b(?:[Ww]as|[Ii]s|as)\san?\s(?:(?!support\b)[a-z]+\s){0,2}?(?:race|round)"
)
_OF_THE = re.compile(r"\s(?:of|for|in)\s(?:both\s)?the\s")
_PART_OF = re.compile(r"\bpart\sof\s(?:both\s)?the\s")
_KIND_OF = re.compile(r"\b(?:[Ww]as|[Ii]s)\san?\s")
_YEAR_LEAD = re.compile(r"\d{4}(?:\s?[–/-]\s?\d{2,4})?\s")
# "the third round of the inaugural American Le Mans Series season": not part of the name.
_SEASON_WORDS = re.compile(r"(?:inaugural|maiden|debut|revived|new|first|newly formed)\s")
_SERIES_END = re.compile(
    r"[,;:!?]|\s(?:[Ss]eason|and|held|at|on|in|with|as|which|where|when|that|to|from|was|is|it"
    r"|were|since|after|before|during)\b"
)
_SPONSOR_AFTER = re.compile(r"\s(?:[Pp]resented|[Pp]owered|[Ss]ponsored|[Ff]uell?ed)\sby\s.*")
_SPONSOR_BEFORE = re.compile(r"^.*?\b[Pp]resents\sthe\s")
_TITLE_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_CITATION = re.compile(r"\[(?:\d{1,3}|[A-Za-z]|(?:note|nb|n)\s?\d{1,3}|citation needed|edit)\]")
_ASIDE = re.compile(r"\s?\([^()]{0,300}\)")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_BREAK = re.compile(r"(?<=[.!?])\s+")
# A period after these ends no sentence: "St. Petersburg", "U.S. F2000", "No. 7".
_ABBREVIATION = re.compile(
    r"(?:[A-Za-z]\.)+[A-Za-z]?|[A-Z]|St|Ste|Mt|Ft|Pt|Jr|Sr|Dr|Mr|Mrs|No|Nos|vs|approx|ca|Inc|Ltd|Co"
)


@dataclass(frozen=True, slots=True)
class ProseFacts:
    """What the opening prose states about a race; None where it states nothing."""

    series: str | None = None
    round: int | None = None
    date: dt.date | None = None
    circuit: str | None = None
    location: str | None = None

    def as_fields(self) -> dict[str, object]:
        """The facts as keyword arguments for `Race`."""
        # Not asdict(), which deep-copies each value: a tenth of reading the prose.
        return {
            "series": self.series,
            "round": self.round,
            "date": self.date,
            "circuit": self.circuit,
            "location": self.location,
        }


def read_prose(title: str, paragraphs: str) -> ProseFacts:
    """Series, round, date, circuit and location as the article's opening prose states them."""
    sentences = list(_sentences(paragraphs[:PROSE_LIMIT]))
    series, round_ = _series_and_round(sentences)
    # The venue and the date both look for dates in the same sentences: find them once.
    found: dict[str, list[WrittenDate]] = {}

    def dates(sentence: str) -> list[WrittenDate]:
        if sentence not in found:
            found[sentence] = written_dates(sentence)
        return found[sentence]

    year = title_year(title)
    circuit, location = venue(sentences, dates, year)
    date = _race_date(sentences, year, dates)
    return ProseFacts(series, round_, date, circuit, location)


def title_year(title: str) -> int | None:
    """The one year a title names ('2003 Grand Prix of Sonoma' -> 2003), else None."""
    years = set(_TITLE_YEAR.findall(title[:PROSE_LIMIT]))
    return int(years.pop()) if len(years) == 1 else None


def ordinal_value(word: str) -> int | None:
    """'third' -> 3, 'twenty-second' -> 22, '12th' -> 12, anything else -> None."""
    word = word.lower().replace(" ", "-")
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    digits = word[:-2]
    return int(digits) if digits.isdigit() and word[-2:] in ("st", "nd", "rd", "th") else None


def _sentences(text: str) -> Iterator[str]:
    """Sentences without citation markers, asides in brackets or their final stop."""
    # Each pattern runs only where it may match: most openings have no citation nor aside,
    # and their spaces are single (the spaces the pattern collapses but " " are unprintable).
    text = _CITATION.sub("", text) if "[" in text else text
    text = _ASIDE.sub("", text) if "(" in text else text
    for paragraph in text.splitlines():
        if "  " in paragraph or not paragraph.isprintable():
            paragraph = _SPACES.sub(" ", paragraph)
        paragraph = paragraph.strip()
        start = 0
        for gap in _BREAK.finditer(paragraph):
            before = paragraph[start : gap.start() - 1]
            last_word = before.rsplit(" ", 1)[-1]
            if _ABBREVIATION.fullmatch(last_word):
                continue
            yield before.strip()
            start = gap.end()
        tail = paragraph[start:].rstrip(".!? ")
        if tail:
            yield tail


# --- series and round ---------------------------------------------------------------------------


def _series_and_round(sentences: list[str]) -> tuple[str | None, int | None]:
    """The first championship a sentence places the race in, and its round number there."""
    for sentence in sentences:
        for match in _ROUND.finditer(sentence):
            tail = _OF_THE.match(sentence, match.end())
            series = _series_name(sentence[tail.end() :]) if tail else None
            if series:
                return series, _round_number(match)
    for sentence in sentences:
        if (part := _PART_OF.search(sentence)) and (series := _series_name(sentence[part.end() :])):
            return series, None
    for sentence in sentences:
        for kind in _KIND_OF.finditer(sentence):
            if series := _series_before_race(sentence[kind.end() :]):
                return series, None
    return None, None


def _round_number(match: re.Match[str]) -> int | None:
    if match["num"]:
        return int(match["num"])
    if match["opener"]:
        return 1 if match["opener"] == "opener" else None
    word = match["ord"] or match["of"]
    return ordinal_value(word) if word else None


def _series_name(text: str) -> str | None:
    """The championship at the start of `text`: '2003 American Le Mans Series season...'."""
    if lead := _SEASON_WORDS.match(text):
        text = text[lead.end() :]
    if lead := _YEAR_LEAD.match(text):
        text = text[lead.end() :]
    end = _SERIES_END.search(text)
    name = text[: end.start()] if end else text
    name = _SPONSOR_BEFORE.sub("", _SPONSOR_AFTER.sub("", name)).strip()
    if not name or not (name[0].isupper() or name[0].isdigit()) or len(name) > 120:
        return None
    return name


def _series_before_race(text: str) -> str | None:
    """'GP2 Series motor race held…' -> 'GP2 Series': capitalised words, a few plain ones, race."""
    words = text.split(" ", 12)
    named = 0
    while named < len(words) and (words[named][:1].isupper() or words[named].isdigit()):
        named += 1
    rest = words[named : named + 4]
    for plain, word in enumerate(rest):
        if word.rstrip(TRAILING) == "race" and named and all(w.islower() for w in rest[:plain]):
            return " ".join(words[:named])
    return None


# --- date ---------------------------------------------------------------------------------------


def _race_date(
    sentences: list[str],
    year: int | None,
    dates: Callable[[str], list[WrittenDate]] = written_dates,
) -> dt.date | None:
    """The first date the prose gives the race; a day and month alone take the title's year."""
    partial: dt.date | None = None
    for sentence in sentences:
        previous_end = 0
        for found in dates(sentence):
            context = sentence[max(previous_end, found.start - 40) : found.start]
            previous_end = found.end
            if _NOT_RACE_DAY.search(context):
                continue
            if found.date:
                return found.date
            if partial is None and year is not None:
                partial = valid_date(year, found.month, found.day)
    return partial
