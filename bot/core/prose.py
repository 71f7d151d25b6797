"""A race article's opening prose -> series, round, date, circuit and location. Pure and linear.

Only the first `PROSE_LIMIT` characters are read, sentence by sentence, with patterns that
cannot backtrack far, so any input costs time in proportion to that bounded prefix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Final, NamedTuple

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

_MONTHS: Final = {
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
# A range ("July 26-27, 2003", "26-27 July 2003", "30 April - 1 May") keeps its last day.
_MDY = re.compile(
    rf"\b{_WEEKDAY}(?P<m1>{_MONTH})\s(?P<d1>{_DAY})(?:{_TO}(?:(?P<m2>{_MONTH})\s)?(?P<d2>{_DAY}))?"
    rf"(?:,?\s(?P<y>\d{{4}})\b)?"
)
_DMY = re.compile(
    rf"\b{_WEEKDAY}(?:the\s)?(?P<d1>{_DAY})(?:\s(?P<m1>{_MONTH}))?(?:{_TO}(?P<d2>{_DAY}))?"
    rf"\s(?:of\s)?(?P<m2>{_MONTH})(?![a-z])(?:,?\s(?P<y>\d{{4}})\b)?"
)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
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
    r"|\b(?:[Ww]as|[Ii]s|as)\san?\s(?:race|round)"
)
_OF_THE = re.compile(r"\s(?:of|for|in)\s(?:both\s)?the\s")
_PART_OF = re.compile(r"\bpart\sof\s(?:both\s)?the\s")
_KIND_OF = re.compile(r"\b(?:[Ww]as|[Ii]s)\san?\s")
_YEAR_LEAD = re.compile(r"\d{4}(?:\s?[–/-]\s?\d{2,4})?\s")
_SERIES_END = re.compile(
    r"[,;:!?]|\s(?:season|and|held|at|on|in|with|as|which|where|when|that|to|from|was|is|it"
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
_TOKEN = re.compile(r"\S+")
_TRAILING = ',;:!?"”'
_VENUE_VERBS: Final = frozenset({"held", "run", "raced", "contested", "staged", "season"})
_PLACE_PREPOSITIONS: Final = frozenset({"in", "near", "outside"})
_CONNECTORS: Final = frozenset(
    "de del della di do da dos das du des la le les of the e y et und von van an am sur".split()
)
_DESCRIBED_BY: Final = frozenset({"of", "around", "at"})


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
        return asdict(self)


def read_prose(title: str, paragraphs: str) -> ProseFacts:
    """Series, round, date, circuit and location as the article's opening prose states them."""
    sentences = list(_sentences(paragraphs[:PROSE_LIMIT]))
    series, round_ = _series_and_round(sentences)
    circuit, location = _venue(sentences)
    return ProseFacts(series, round_, _race_date(sentences, title_year(title)), circuit, location)


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
    text = _ASIDE.sub("", _CITATION.sub("", text))
    for paragraph in text.splitlines():
        paragraph = _SPACES.sub(" ", paragraph).strip()
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
        if word.rstrip(_TRAILING) == "race" and named and all(w.islower() for w in rest[:plain]):
            return " ".join(words[:named])
    return None


# --- date ---------------------------------------------------------------------------------------


class _Date(NamedTuple):
    start: int
    end: int
    date: dt.date | None
    month: int
    day: int


def _race_date(sentences: list[str], year: int | None) -> dt.date | None:
    """The first date the prose gives the race; a day and month alone take the title's year."""
    partial: dt.date | None = None
    for sentence in sentences:
        previous_end = 0
        for found in _dates(sentence):
            context = sentence[max(previous_end, found.start - 40) : found.start]
            previous_end = found.end
            if _NOT_RACE_DAY.search(context):
                continue
            if found.date:
                return found.date
            if partial is None and year is not None:
                partial = _valid_date(year, found.month, found.day)
    return partial


def _dates(sentence: str) -> list[_Date]:
    """Every date written in the sentence, in order, overlapping forms resolved to the longest."""
    found: list[_Date] = []
    for pattern in (_MDY, _DMY):
        for match in pattern.finditer(sentence):
            month = _MONTHS[(match["m2"] or match["m1"]).rstrip(".").lower()]
            day = int(re.sub(r"\D", "", match["d2"] or match["d1"]))
            date = _valid_date(int(match["y"]), month, day) if match["y"] else None
            found.append(_Date(match.start(), match.end(), date, month, day))
    for match in _ISO.finditer(sentence):
        date = _valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
        found.append(_Date(match.start(), match.end(), date, int(match["m"]), int(match["d"])))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[_Date] = []
    for written in found:
        if not kept or written.start >= kept[-1].end:
            kept.append(written)
    return kept


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- circuit and location -----------------------------------------------------------------------


class _Word(NamedTuple):
    text: str
    comma: bool
    in_date: bool


def _venue(sentences: list[str]) -> tuple[str | None, str | None]:
    """The circuit ('at C') and place ('in P', 'C, P', 'on the streets of P') of the race."""
    place: str | None = None
    for sentence in sentences:
        words = _words(sentence)
        circuit, location = _venue_in(words)
        if circuit:
            return circuit, location or place
        place = place or location
    return None, place


def _words(sentence: str) -> list[_Word]:
    spans = [(d.start, d.end) for d in _dates(sentence)]
    words: list[_Word] = []
    for token in _TOKEN.finditer(sentence):
        text = token.group().rstrip(_TRAILING)
        comma = token.group().endswith(",")
        in_date = any(start <= token.start() < end for start, end in spans)
        words.append(_Word(text, comma, in_date))
    return words


def _venue_in(words: list[_Word]) -> tuple[str | None, str | None]:
    """Circuit and place of one sentence, read after a verb such as 'held' or 'took place'."""
    verb = next((i for i, word in enumerate(words) if _is_venue_verb(words, i)), None)
    if verb is None:
        return None, None
    place: str | None = None
    i = verb + 1
    while i < len(words):
        text = words[i].text
        if text == "at" and (circuit := _name(words, i + 1, described=True)):
            name, after = circuit
            return name, _place_after(words, after, words[after - 1].comma) or place
        if text in _PLACE_PREPOSITIONS and place is None:
            place = _place(words, i + 1, skip_months=True)
        elif text == "streets" and i + 1 < len(words) and words[i + 1].text == "of":
            place = place or _place(words, i + 2, skip_months=True)
        i += 1
    return None, place


def _is_venue_verb(words: list[_Word], i: int) -> bool:
    text = words[i].text.lower()
    if text == "place":
        return i > 0 and words[i - 1].text.lower() in ("took", "takes", "take")
    return text in _VENUE_VERBS


def _capitalised(word: _Word) -> bool:
    return word.text[:1].isupper() and not word.in_date


def _name(words: list[_Word], i: int, *, described: bool = False) -> tuple[str, int] | None:
    """A proper name starting at word `i`, and the index after it.

    With `described`, a description before the name is skipped: 'the 4.032 km version of
    Sonoma Raceway', 'a temporary street course built around Reliant Park'.
    """
    if i < len(words) and words[i].text in ("the", "a", "an"):
        i += 1
    if described and i < len(words) and not _capitalised(words[i]):
        for j in range(i, min(i + 8, len(words) - 1)):
            if words[j].text in _DESCRIBED_BY and _capitalised(words[j + 1]):
                i = j + 1
                break
            if words[j].comma:
                return None
        else:
            return None
        if _MONTHS.get(words[i].text.rstrip(".").lower()):
            return None
    parts: list[str] = []
    while i < len(words) and _capitalised(words[i]):
        parts.append(words[i].text)
        i += 1
        if words[i - 1].comma:
            break
        joined = _connectors(words, i)
        if joined:
            parts += [w.text for w in words[i:joined]]
            i = joined
    return (" ".join(parts), i) if parts else None


def _connectors(words: list[_Word], i: int) -> int:
    """The index after lower-case joining words ('de', 'of the') that lead to a capital, or 0."""
    j = i
    while j < len(words) and words[j].text in _CONNECTORS and not words[j].comma:
        j += 1
    return j if j > i and j < len(words) and _capitalised(words[j]) else 0


def _place_after(words: list[_Word], i: int, after_comma: bool) -> str | None:
    """The place written after a circuit: ', P', ' in P', ', located in P', ', the … in P'."""
    if i >= len(words):
        return None
    text = words[i].text
    if text in _PLACE_PREPOSITIONS:
        return _place(words, i + 1)
    if text == "located" and i + 1 < len(words) and words[i + 1].text in _PLACE_PREPOSITIONS:
        return _place(words, i + 2)
    if not after_comma:
        return None
    if text in ("the", "a", "an"):
        # An aside about the circuit: 'C, the temporary street course in P'.
        for j in range(i + 1, min(i + 12, len(words))):
            if words[j].text in _PLACE_PREPOSITIONS:
                return _place(words, j + 1)
            if words[j].comma:
                return None
        return None
    return _place(words, i)


def _place(words: list[_Word], i: int, *, skip_months: bool = False) -> str | None:
    """Comma-separated proper names from word `i`: 'Trois-Rivières, Quebec'."""
    chunks: list[str] = []
    while i < len(words):
        if skip_months and not chunks and words[i].text.rstrip(".").lower() in _MONTHS:
            return None
        name = _name(words, i)
        if name is None:
            break
        chunks.append(name[0])
        i = name[1]
        if not words[i - 1].comma:
            break
    return ", ".join(chunks) or None
