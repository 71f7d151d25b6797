"""Shortcuts for large libraries give the answers the plain way gives: the best few matches of a
word typed for autocomplete are found without ranking every name it matches."""

from __future__ import annotations

import heapq
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_races
from bot.core.library import RaceLibrary
from bot.core.matching import NameIndex, NameKeys, normalise
from bot.core.query import QueryService, Suggestion, SuggestKind, race_label
from bot.core.suggestions import _choice


def ranked_the_plain_way(
    index: NameIndex, query: str, limit: int, min_prefix: int, numeric_prefix: bool
) -> list[int]:
    """Every match ranked, then cut: what `NameIndex.best` must give."""
    found = index.matches(
        query, min_prefix=min_prefix, fuzzy_below=limit, numeric_prefix=numeric_prefix
    )
    return [i for _, i in sorted((match, i) for i, match in found.items())][:limit]


@cache
def service() -> QueryService:
    """Many races sharing years, circuits and title words, so one letter matches most."""
    return QueryService(RaceLibrary(synthetic_races(150)))


# Few letters, so that words share prefixes and names share words; digits for years.
_WORD = st.text(alphabet="ab12", min_size=1, max_size=4)
_NAME = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(st.tuples(_NAME, st.lists(_WORD, max_size=2)), max_size=60),
    query=st.lists(_WORD, min_size=1, max_size=2).map(" ".join),
    limit=st.integers(0, 30),
    min_prefix=st.integers(1, 3),
    numeric_prefix=st.booleans(),
)
def test_best_is_the_first_of_every_match_ranked(
    names: list[tuple[str, list[str]]],
    query: str,
    limit: int,
    min_prefix: int,
    numeric_prefix: bool,
) -> None:
    index = NameIndex(NameKeys((text,), tuple(words)) for text, words in names)
    got = index.best(query, limit, min_prefix=min_prefix, numeric_prefix=numeric_prefix)
    assert got == ranked_the_plain_way(index, query, limit, min_prefix, numeric_prefix)


@settings(max_examples=100, deadline=None)
@given(
    names=st.lists(_NAME, min_size=1, max_size=40),
    more=st.lists(_NAME, min_size=1, max_size=10),
    query=_WORD,
    limit=st.integers(1, 30),
)
def test_best_holds_on_an_extended_index(
    names: list[str], more: list[str], query: str, limit: int
) -> None:
    index = NameIndex(NameKeys((text,)) for text in names).extended(
        [NameKeys((text,)) for text in more]
    )
    got = index.best(query, limit, min_prefix=1, numeric_prefix=True)
    assert got == ranked_the_plain_way(index, query, limit, 1, True)


def _typed_for_races() -> list[str]:
    """What people type for a race: each title's first letters, words, years and typos."""
    typed = {"", "2", "1", "g", "grand", "prix", "of", "s", "se", "sebring", "road", "zz"}
    for summary in service().catalogue.summaries[::7]:
        title = summary.title
        typed.update(title[:cut] for cut in range(1, 8))
        typed.update(title.split())
        typed.add(title.replace("Grand", "Grnad"))
    return sorted(typed)


@pytest.mark.parametrize("limit", [1, 3, 25])
def test_race_choices_are_the_plain_ranking(limit: int) -> None:
    catalogue = service().catalogue
    one_letter = 0
    for text in _typed_for_races():
        typed = normalise(text)
        ids = (
            ranked_the_plain_way(catalogue.race_index, typed, limit, 1, True)
            if typed
            else list(range(len(catalogue.races)))[:limit]
        )
        expected = [
            Suggestion(
                label=_choice(race_label(catalogue.summaries[i])),
                value=_choice(catalogue.race_values[i]),
            )
            for i in ids
        ]
        assert service().suggest(SuggestKind.RACE, text, limit=limit) == expected, text
        one_letter += len(typed) == 1 and len(expected) == limit
    assert one_letter  # the shortcut was taken: one letter matched at least `limit` races


def test_one_digit_matches_many_races_and_the_newest_come_first() -> None:
    catalogue = service().catalogue
    found = catalogue.race_index.matches("2", min_prefix=1, fuzzy_below=25, numeric_prefix=True)
    assert len(found) > 25
    best = heapq.nsmallest(25, ((match, i) for i, match in found.items()))
    choices = service().suggest(SuggestKind.RACE, "2")
    assert [c.value for c in choices] == [catalogue.race_values[i] for _, i in best]
