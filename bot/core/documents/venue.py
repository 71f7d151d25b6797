"""The circuit and the place of a race, read from its article's opening sentences. Linear.

Only a sentence that says where this race took place gives them: a place named in passing (a
prelude to another race, where the event was held before, a race it replaced) is never this
race's circuit, and a sentence that gives a place with another year ("held at Sebring in
1999" in an article about 1998) is about another race. Where the text is unclear, nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, NamedTuple

from bot.core.documents.prose_dates import MONTHS, WrittenDate, written_dates

_TOKEN = re.compile(r"\S+")
TRAILING = ',;:!?"”'
_VENUE_VERBS: Final = frozenset(
    {"held", "run", "raced", "contested", "staged", "season", "occurred"}
)
_PLACE_PREPOSITIONS: Final = frozenset({"in", "near", "outside"})
_CONNECTORS: Final = frozenset(
    "de del della di do da dos das du des la le les of the e y et und von van an am sur".split()
)
_DESCRIBED_BY: Final = frozenset({"of", "around", "at", "as"})
# "on the streets around C": only "around" makes what follows the circuit ("on the streets of
# P" names a city, and "on the same weekend as the race at C" another race's circuit).
_STREETS_AROUND: Final = frozenset({"around"})
_STREETS: Final = frozenset({"streets", "roads"})
# Words before the verb that make a sentence about another race or another time.
_IN_PASSING: Final = frozenset(
    """prelude precursor predecessor forerunner previously formerly originally replaced
    replacing replace unlike instead preceded succeeded relocated moved history""".split()
)
# What a circuit is called between its name and its place: "Road Atlanta race track near P".
_CIRCUIT_WORDS: Final = frozenset(
    """race racing track racetrack circuit street temporary road course raceway speedway
    venue facility permanent oval layout""".split()
)
# Units of a length written before a circuit's name: "the 1.755 mi Exhibition Place".
_LENGTH_UNITS: Final = frozenset("mi mile miles km kilometre kilometres kilometer".split())
_LENGTH = re.compile(r"[0-9]+(?:[.,][0-9]+)?(?:-(?:mile|km|kilometre|kilometer))?")
_YEAR = re.compile(r"(?:1[89]|20)[0-9]{2}")


class _Word(NamedTuple):
    text: str
    comma: bool
    in_date: bool


def venue(
    sentences: list[str],
    dates: Callable[[str], list[WrittenDate]] = written_dates,
    year: int | None = None,
) -> tuple[str | None, str | None]:
    """The circuit ('at C') and place ('in P', 'C, P', 'on the streets of P') of the race.

    `dates` finds a sentence's dates (the caller may share what it found with other readers);
    `year` is the race's (its title's), so a place given with another year is not taken.
    """
    place: str | None = None
    for sentence in sentences:
        words = _words(sentence, dates(sentence))
        circuit, location = _venue_in(words, year)
        if circuit:
            return circuit, location or place
        place = place or location
    return None, place


def _words(sentence: str, dates: list[WrittenDate]) -> list[_Word]:
    if not dates:  # most sentences: no span to test, so no token's place is needed
        # split() cuts at the white space `\S` excludes: the same tokens, in half the time.
        return [
            _Word(word.rstrip(TRAILING), word.endswith(","), False) for word in sentence.split()
        ]
    dated = {at for d in dates for at in range(d.start, d.end)}  # a look-up a token, no loop
    words: list[_Word] = []
    for token in _TOKEN.finditer(sentence):
        word = token.group()
        words.append(_Word(word.rstrip(TRAILING), word.endswith(","), token.start() in dated))
    return words


def _venue_in(words: list[_Word], year: int | None = None) -> tuple[str | None, str | None]:
    """Circuit and place of one sentence, read after a verb such as 'held' or 'took place';
    nothing from a sentence about another race (see the module's docstring)."""
    verb = next((i for i, word in enumerate(words) if _is_venue_verb(words, i)), None)
    if verb is None or any(word.text.lower() in _IN_PASSING for word in words[:verb]):
        return None, None
    place: str | None = None
    i = verb + 1
    while i < len(words):
        text = words[i].text
        # "at C", or "on a temporary street circuit known as C" (never "on July 27"), or
        # "on the streets around C".
        following = words[i + 1].text if i + 1 < len(words) else ""
        described = text == "on" and following in ("a", "an")
        around = (
            text == "on"
            and following == "the"
            and i + 2 < len(words)
            and words[i + 2].text in _STREETS
        )
        via = _STREETS_AROUND if around else _DESCRIBED_BY
        if (text == "at" or described or around) and (
            circuit := _name(words, i + 1, described=True, via=via)
        ):
            name, after = circuit
            if _another_year(words, after, year):
                return None, None
            return name, _place_after(words, after, words[after - 1].comma) or place
        if text in _PLACE_PREPOSITIONS and place is None:
            place = _place(words, i + 1, skip_months=True)
        elif text == "streets" and i + 1 < len(words) and words[i + 1].text == "of":
            place = place or _place(words, i + 2, skip_months=True)
        i += 1
    return None, place


def _another_year(words: list[_Word], i: int, year: int | None) -> bool:
    """Whether the place is followed by 'in YYYY' of a year not the race's."""
    if year is None or i + 1 >= len(words) or words[i].text != "in":
        return False
    written = words[i + 1].text.rstrip(".")
    return _YEAR.fullmatch(written) is not None and int(written) != year


def _is_venue_verb(words: list[_Word], i: int) -> bool:
    text = words[i].text.lower()
    if text == "place":
        return i > 0 and words[i - 1].text.lower() in ("took", "takes", "take")
    return text in _VENUE_VERBS


def _capitalised(word: _Word) -> bool:
    return word.text[:1].isupper() and not word.in_date


def _name(
    words: list[_Word],
    i: int,
    *,
    described: bool = False,
    via: frozenset[str] = _DESCRIBED_BY,
) -> tuple[str, int] | None:
    """A proper name starting at word `i`, and the index after it.

    With `described`, a length and a description before the name are skipped: 'the 1.755 mi
    Exhibition Place', 'the 4.032 km version of Sonoma Raceway', 'a temporary street course
    built around Reliant Park' (the description joined to the name by a word of `via`).
    """
    if i < len(words) and words[i].text in ("the", "a", "an"):
        i += 1
    if described:
        i = _after_length(words, i)
    if described and i < len(words) and not _capitalised(words[i]):
        for j in range(i, min(i + 8, len(words) - 1)):
            if words[j].text in via and _capitalised(words[j + 1]):
                i = j + 1
                break
            if words[j].comma:
                return None
        else:
            return None
        if MONTHS.get(words[i].text.rstrip(".").lower()):
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


def _after_length(words: list[_Word], i: int) -> int:
    """The index after a length written at word `i` ('1.755 mi', '1.755-mile'), else `i`."""
    if i >= len(words) or words[i].comma or not _LENGTH.fullmatch(words[i].text):
        return i
    if "-" in words[i].text:
        return i + 1
    if i + 1 < len(words) and words[i + 1].text in _LENGTH_UNITS and not words[i + 1].comma:
        return i + 2
    return i


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
    if not after_comma:  # 'C race track near P', 'C temporary street circuit in P'
        j = i
        while j < min(i + 4, len(words)) and words[j].text in _CIRCUIT_WORDS:
            if words[j].comma:
                return None
            j += 1
        if j < len(words) and words[j].text in _PLACE_PREPOSITIONS:
            return _place(words, j + 1)
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
        if skip_months and not chunks and words[i].text.rstrip(".").lower() in MONTHS:
            return None
        name = _name(words, i)
        if name is None:
            break
        chunks.append(name[0])
        i = name[1]
        if not words[i - 1].comma:
            break
    return ", ".join(chunks) or None
