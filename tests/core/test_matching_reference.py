"""The name index's fast paths answer exactly as the plain algorithms they replaced.

`_Reference` is the index as it was before: typos looked up afresh each time, a reading that
merges every plain match into one dict, and a whole reading that measures each candidate in
Python. Random names over a few letters (so that typos collide) and queries made from them
with slips must get the same results from both, through every search method.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from bot.core.matching import (
    SURE_MARGIN,
    SURE_MIN_LENGTH,
    WHOLE_MARGIN,
    WHOLE_MIN_LENGTH,
    Accept,
    Match,
    NameIndex,
    NameKeys,
    Tier,
    compact,
)


class _Reference(NameIndex):
    """The index with the slow paths it had before the fast ones."""

    def _typos(self, token: str, allowance: int) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        if allowance == 0 or any(ch.isdigit() for ch in token):
            return found
        for length in range(len(token) - allowance, len(token) + allowance + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            for word, edits, _ in process.extract(
                token, bucket, scorer=OSA.distance, score_cutoff=allowance, limit=None
            ):
                if word != token:
                    found.append((word, int(edits)))
        return found

    def _plain_matches(self, token: str, min_prefix: int) -> dict[int, Match]:
        matches: dict[int, Match] = {}
        if len(token) >= min_prefix and not token.isdigit():
            for word in self._prefixed(token):
                matches.update(dict.fromkeys(self._postings[word], (Tier.PREFIX, 0)))
        matches.update(dict.fromkeys(self._postings.get(token, ()), (Tier.TOKEN, 0)))
        return matches

    def reading(
        self, query: str, accept: Accept | None = None, *, min_prefix: int = 3
    ) -> dict[str, str] | None:
        tokens = query.split()
        if len(tokens) > 1:
            min_prefix = 1
        corrections: dict[str, str] = {}
        for token in tokens:
            plain = self._plain_matches(token, min_prefix)
            if any(accept is None or i in accept for i in plain):
                continue
            close = [
                (word, edits)
                for word, edits in self._typos(token, SURE_MARGIN)
                if accept is None or not accept.isdisjoint(self._postings[word])
            ]
            if len(token) < SURE_MIN_LENGTH or len(close) != 1:
                return None
            word, edits = close[0]
            if edits != 1 or word[0] != token[0]:
                return None
            corrections[token] = word
        return corrections or None

    def whole_reading(self, query: str, accept: Accept | None = None) -> int | None:
        key = compact(query)
        if len(key) < WHOLE_MIN_LENGTH or any(ch.isdigit() for ch in key):
            return None
        candidates: set[int] = set()
        for token in dict.fromkeys(query.split()):
            for word, _ in self._typos(token, min(len(token) // 3, 2)):
                candidates.update(self._postings[word])
            candidates.update(self._postings.get(token, ()))
        if accept is not None:
            candidates &= accept
        close: dict[str, list[int]] = {}
        for name_id in candidates:
            name = self._keys[name_id]
            if name and Levenshtein.distance(key, name, score_cutoff=WHOLE_MARGIN) <= WHOLE_MARGIN:
                close.setdefault(name, []).append(name_id)
        if len(close) != 1:
            return None
        name, ids = next(iter(close.items()))
        if Levenshtein.distance(key, name) != 1 or name[0] != key[0] or len(ids) != 1:
            return None
        return ids[0]


# Few letters, so that words are often a slip or two from each other.
word = st.text(alphabet="abcd", min_size=1, max_size=8) | st.sampled_from(["1", "a1", "22"])
name_text = st.lists(word, min_size=1, max_size=3).map(" ".join)
name_keys = st.builds(
    lambda texts, extra: NameKeys(tuple(texts), tuple(extra)),
    st.lists(name_text, max_size=2),
    st.lists(word, max_size=2),
)


@st.composite
def slipped(draw: st.DrawFn, texts: list[str]) -> str:
    """A name's text (or any text) with a few random slips: letters changed, dropped, added,
    neighbours swapped, words dropped or split."""
    from_a_name = draw(st.booleans())
    text = draw(st.sampled_from(texts)) if texts and from_a_name else draw(name_text)
    chars = list(text)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, max(len(chars) - 1, 0)))
        kind = draw(st.sampled_from(["change", "drop", "add", "swap", "space"]))
        letter = draw(st.sampled_from("abcdef1 "))
        if kind == "change" and chars:
            chars[at] = letter
        elif kind == "drop" and chars:
            del chars[at]
        elif kind == "add":
            chars.insert(at, letter)
        elif kind == "swap" and at + 1 < len(chars):
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        elif kind == "space":
            chars.insert(at, " ")
    return " ".join("".join(chars).split())


def _searches(index: NameIndex, query: str, accept: Accept | None) -> Iterable[object]:
    """Every search method's answer to the query, in a fixed order."""
    yield index.reading(query, accept)
    yield index.reading(query, accept, min_prefix=1)
    yield index.whole_reading(query, accept)
    yield sorted((hit.id, hit.tier, hit.edits) for hit in index.search(query, accept))
    yield index.matches(query, accept, min_prefix=1, fuzzy_below=25, numeric_prefix=True)
    yield index.near(query, accept, limit=5)
    yield index.best(query, 4, min_prefix=1)


@st.composite
def look_alikes(draw: st.DrawFn) -> list[NameKeys]:
    """Names, some of them a name with a slip or two: whole readings then have near rivals."""
    keys = draw(st.lists(name_keys, min_size=1, max_size=12))
    texts = [text for name in keys for text in name.texts] or [draw(name_text)]
    for _ in range(draw(st.integers(0, 8))):
        keys.append(NameKeys((draw(slipped(texts)),)))
    return keys


@settings(max_examples=500, deadline=None)
@given(st.data(), look_alikes())
def test_the_fast_paths_answer_as_the_reference(data: st.DataObject, keys: list[NameKeys]) -> None:
    """Readings, whole readings and every search agree with the reference index, with or
    without accepted ids, asked twice (the second time from the typos kept)."""
    index = NameIndex(keys)
    reference = _Reference(keys)
    packed = NameIndex.packed(marshal.dumps(index.state()))
    texts = [text for name in keys for text in name.texts]
    for _ in range(data.draw(st.integers(1, 6))):
        query = data.draw(slipped(texts))
        ids = st.integers(0, len(keys) - 1)
        # Few accepted ids, or most of them (more than a search's candidates) but a few.
        most = st.frozensets(ids).map(lambda left_out: frozenset(range(len(keys) + 40)) - left_out)
        accept = data.draw(st.none() | st.frozensets(ids) | most)
        expected = list(_searches(reference, query, accept))
        assert list(_searches(index, query, accept)) == expected, query
        assert list(_searches(index, query, accept)) == expected, query
        assert list(_searches(packed, query, accept)) == expected, query


def test_typos_kept_are_forgotten_past_a_bound() -> None:
    """Typos are kept for a bounded number of words, and found alike once forgotten."""
    index = NameIndex([NameKeys(("herbert dyson",)), NameKeys(("herbret",))])
    reference = _Reference([NameKeys(("herbert dyson",)), NameKeys(("herbret",))])
    for first, second, third in product("abcdefghijklm", repeat=3):
        index.reading(f"herb{first}{second}{third}")
    assert len(index._remembered_typos[1]) <= 512
    for query in ("herbet", "herbrt dyson", "hrebert", "dysno"):
        assert list(_searches(index, query, None)) == list(_searches(reference, query, None))


@pytest.mark.parametrize(
    ("names", "query", "accept"),
    [
        (["abcdefg", "abcdexx"], "abcdefh", None),  # a rival two slips away: no reading
        (["abcdefg", "abcdexx"], "abcdefh", frozenset({0, *range(2, 60)})),  # rival not accepted
        (["abcdefg", "abcdexx"], "abcdefh", frozenset({1})),
        (["123 abcdef", "abcdef"], "1 abcdeg", None),  # numbers are whole words only
        (["123 abcdef", "abcdef"], "12 abcdeg", frozenset({0, 1})),
        (["herbert", "herbret", "hebert"], "herbet", None),
        (["dyson racing", "dyson racer", "corvette racing"], "dysn racing", None),
        (["dyson racing", "dyson racer"], "dysn racing", frozenset({0, *range(2, 60)})),
    ],
)
def test_edge_cases_answer_as_the_reference(
    names: list[str], query: str, accept: Accept | None
) -> None:
    """Cases random names seldom hit: a rival name just within the margin, accepted or not,
    and numbers, which are never prefixes."""
    keys = [NameKeys((name,)) for name in names]
    expected = list(_searches(_Reference(keys), query, accept))
    assert list(_searches(NameIndex(keys), query, accept)) == expected


def test_typos_kept_are_forgotten_with_the_words() -> None:
    """An index given another index's words finds typos among those, not the ones it kept."""
    index = NameIndex([NameKeys(("herbert",))])
    assert index.reading("herbret") == {"herbret": "herbert"}
    other = NameIndex([NameKeys(("hurbret",))])
    index._set_state(other.state())
    assert index.reading("herbret") == other.reading("herbret") == {"herbret": "hurbret"}
