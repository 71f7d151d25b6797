"""Shortcuts for large libraries give the answers the plain way gives: the best few matches of a
word typed for autocomplete are found without ranking every name it matches."""

from __future__ import annotations

import gc
import heapq
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_races
from bot.core import matching
from bot.core.asking.answers import DriverAnswer, DriverRace
from bot.core.asking.query import QueryService, Suggestion, SuggestKind, race_label
from bot.core.asking.suggestions import _choice
from bot.core.library.races import RaceLibrary
from bot.core.matching import Match, NameIndex, NameKeys, Tier, compact, max_edits, normalise


def matches_the_plain_way(
    index: NameIndex,
    query: str,
    accept: frozenset[int] | None,
    min_prefix: int,
    fuzzy_below: int,
    numeric_prefix: bool,
) -> dict[int, Match]:
    """`NameIndex.matches` as it was written first: every word's matches merged into a dict,
    then intersected."""
    tokens = query.split()
    if not tokens:
        return {}
    exact = dict.fromkeys(
        (i for i in index._exact.get(compact(query), ()) if accept is None or i in accept),
        (Tier.EXACT, 0),
    )
    if len(tokens) > 1:
        min_prefix = 1

    def plain(token: str) -> dict[int, Match]:
        found: dict[int, Match] = {}
        if len(token) >= min_prefix and (numeric_prefix or not token.isdigit()):
            for word in index._prefixed(token):
                found.update(dict.fromkeys(index._postings[word], (Tier.PREFIX, 0)))
        found.update(dict.fromkeys(index._postings.get(token, ()), (Tier.TOKEN, 0)))
        return found

    def intersect(per_token: list[dict[int, Match]]) -> dict[int, Match]:
        ids = set(per_token[0])
        for other in per_token[1:]:
            ids &= other.keys()
        if accept is not None:
            ids &= accept
        return {
            i: (max(words[i][0] for words in per_token), sum(words[i][1] for words in per_token))
            for i in ids
        }

    per_token = [plain(token) for token in tokens]
    found = intersect(per_token)
    if len(found) + len(exact) < fuzzy_below:
        for at, token in enumerate(tokens):
            typos = sorted(index._typos(token, max_edits(token)), key=lambda t: -t[1])
            if not typos:
                continue
            fuzzy: dict[int, Match] = {}
            for typo, edits in typos:
                fuzzy.update(dict.fromkeys(index._postings[typo], (Tier.FUZZY, edits)))
            fuzzy.update(per_token[at])
            per_token[at] = fuzzy
        found = intersect(per_token)
    found.update(exact)
    return found


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


# Longer words too, so that typos are looked up (short words are forgiven none).
_LONG_WORD = st.text(alphabet="abcd12", min_size=1, max_size=7)


@settings(max_examples=400, deadline=None)
@given(
    names=st.lists(st.lists(_LONG_WORD, min_size=1, max_size=4).map(" ".join), max_size=80),
    query=st.lists(_LONG_WORD, min_size=1, max_size=4).map(" ".join),
    accept=st.none() | st.frozensets(st.integers(0, 90)),
    min_prefix=st.integers(1, 3),
    fuzzy_below=st.integers(0, 30),
    numeric_prefix=st.booleans(),
    probe_cost=st.sampled_from([0, matching._PROBE_COST, 10**9]),
)
def test_matches_are_what_merging_every_word_gives(
    names: list[str],
    query: str,
    accept: frozenset[int] | None,
    min_prefix: int,
    fuzzy_below: int,
    numeric_prefix: bool,
    probe_cost: int,
) -> None:
    """Whichever way each word's postings are read (probed always, as tuned, or merged)."""
    index = NameIndex(NameKeys((text,)) for text in names)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "_PROBE_COST", probe_cost)
        got = index.matches(
            query,
            accept,
            min_prefix=min_prefix,
            fuzzy_below=fuzzy_below,
            numeric_prefix=numeric_prefix,
        )
    assert got == matches_the_plain_way(
        index, query, accept, min_prefix, fuzzy_below, numeric_prefix
    )


def test_a_common_word_is_probed_not_merged() -> None:
    """ "2003 grand prix" over many races: the year's races are probed in "grand"'s postings."""
    catalogue = service().catalogue
    for summary in catalogue.summaries[::5]:
        title = normalise(summary.title)
        for query in (title, title.replace("grand", "grnad"), " ".join(title.split()[:3])):
            got = catalogue.race_index.matches(query, min_prefix=1, fuzzy_below=25)
            assert got == matches_the_plain_way(catalogue.race_index, query, None, 1, 25, False)
            assert got


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


def test_a_drivers_cars_are_made_as_validation_makes_them() -> None:
    """/driver's cars are made directly (a driver may have a thousand): equal to validated ones,
    and shown and serialised alike."""
    catalogue = service().catalogue
    for name_id in catalogue.drivers[:: max(1, len(catalogue.drivers) // 20)]:
        answer = service().driver(catalogue.displays[name_id])
        assert isinstance(answer, DriverAnswer)
        validated = tuple(
            DriverRace(race=catalogue.summaries[race_id], entry=catalogue.entry(race_id, entry))
            for race_id, entries in sorted(catalogue.postings[name_id].items())
            for entry in entries
        )
        assert answer.appearances == validated
        assert [a.model_dump_json() for a in answer.appearances] == [
            a.model_dump_json() for a in validated
        ]
        assert all(a.model_fields_set == {"race", "entry"} for a in answer.appearances)


def test_a_drivers_answer_leaves_the_collector_as_it_found_it() -> None:
    """/driver makes its cars with cyclic collections paused (`driver_races`): enabled again
    after, and still disabled after when it was disabled before."""
    catalogue = service().catalogue
    name = catalogue.displays[catalogue.drivers[0]]
    assert gc.isenabled()
    assert isinstance(service().driver(name), DriverAnswer)
    assert gc.isenabled()
    gc.disable()
    try:
        assert isinstance(service().driver(name), DriverAnswer)
        assert not gc.isenabled()
    finally:
        gc.enable()
