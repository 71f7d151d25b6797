"""The circuit and the place of a race, read from its article's opening sentences. Linear."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, NamedTuple

from bot.core.prose_dates import MONTHS, WrittenDate, written_dates

_TOKEN = re.compile(r"\S+")
TRAILING = ',;:!?"”'
_VENUE_VERBS: Final = frozenset({"held", "run", "raced", "contested", "staged", "season"})
_PLACE_PREPOSITIONS: Final = frozenset({"in", "near", "outside"})
_CONNECTORS: Final = frozenset(
    "de del della di do da dos das du des la le les of the e y et und von van an am sur".split()
)
_DESCRIBED_BY: Final = frozenset({"of", "around", "at", "as"})


class _Word(NamedTuple):
    text: str
    comma: bool
    in_date: bool


def venue(
    sentences: list[str], dates: Callable[[str], list[WrittenDate]] = written_dates
) -> tuple[str | None, str | None]:
    """The circuit ('at C') and place ('in P', 'C, P', 'on the streets of P') of the race.

    `dates` finds a sentence's dates (the caller may share what it found with other readers).
    """
    place: str | None = None
    for sentence in sentences:
        words = _words(sentence, dates(sentence))
        circuit, location = _venue_in(words)
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


def _venue_in(words: list[_Word]) -> tuple[str | None, str | None]:
    """Circuit and place of one sentence, read after a verb such as 'held' or 'took place'."""
    verb = next((i for i, word in enumerate(words) if _is_venue_verb(words, i)), None)
    if verb is None:
        return None, None
    place: str | None = None
    i = verb + 1
    while i < len(words):
        text = words[i].text
        # "at C", or "on a temporary street circuit known as C" (never "on July 27").
        described = text == "on" and i + 1 < len(words) and words[i + 1].text in ("a", "an")
        if (text == "at" or described) and (circuit := _name(words, i + 1, described=True)):
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
