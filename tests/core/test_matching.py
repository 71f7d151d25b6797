"""The name index: normalisation, and exact -> word -> prefix -> typo tiers that never guess."""

from __future__ import annotations

import marshal
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.limits import MAX_OPTION_LENGTH
from bot.core.matching import (
    Hit,
    NameIndex,
    NameKeys,
    Tier,
    compact,
    max_edits,
    normalise,
    normalise_unicode,
    strip_controls,
)

# Names from the seed, plus a few look-alikes that make the tiers matter.
NAMES = (
    "Johnny Herbert",
    "Johnny O'Connell",
    "Johnny Mowlem",
    "Butch Leitzinger",
    "Chris Dyson",
    "Dyson Racing",
    "Clint Field",
    "Jon Field",
    "Jonathan Bomarito",
    "Joe Policastro",
    "Joe Policastro Jr.",
    "Tomáš Enge",
    "Jörg Bergmeister",
    "The Racer's Group",
    "P.K. Sport",
    "Jean-Philippe Belloc",
    "Corvette Racing",
    "Porsche 911 GT3-RS",
    "Porsche 911 GT3-R",
    "Carl Hansen",
    "Carl Hanson",
    "Michael Schrom",
)


@pytest.fixture(scope="module")
def index() -> NameIndex:
    """An index over NAMES; ids are positions in NAMES."""
    return NameIndex(NameKeys((name,)) for name in NAMES)


def names(index: NameIndex, query: str, **options: int | bool) -> set[str]:
    """The names a search returns, by text."""
    return {NAMES[hit.id] for hit in index.search(normalise(query), **options)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tomáš Enge", "tomas enge"),
        ("Jörg Bergmeister", "jorg bergmeister"),
        ("The Racer's Group", "the racers group"),
        ("racer’s group", "racers group"),
        ("P.K. Sport", "pk sport"),
        ("Jean-Philippe Belloc", "jean philippe belloc"),
        ("  DYSON \t  racing ", "dyson racing"),
        ("**Dyson**", "dyson"),
        ("||Dyson||", "dyson"),
        ("`Dyson`", "dyson"),
        ("@everyone", "everyone"),
        ("🏎️ Dyson 🏁", "dyson"),
        ("Dy\x00son", "dyson"),
        ("Dy\u200bson", "dyson"),
        ("Søren Ærø Łukasz", "soren aero lukasz"),
        ("Straße", "strasse"),
        ("㎒", "mhz"),
        ("MG (AER) XP20 2.0L Turbo I4", "mg aer xp20 20l turbo i4"),
        ("Lola B2K/10B", "lola b2k 10b"),
        ("#03", "03"),
        ("", ""),
        ("***", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    """Case, accents, punctuation, markdown, emoji and spacing all fold away."""
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a\x00b\x07c", "abc"),
        ("zero\u200bwidth", "zerowidth"),
        ("tab\there\nnewline", "tab here newline"),
        ("bidi\u202eflip", "bidiflip"),
        ("lone\ud800surrogate", "lonesurrogate"),
    ],
)
def test_strip_controls(text: str, expected: str) -> None:
    """Control, format and surrogate characters go; white space becomes spaces."""
    assert strip_controls(text) == expected


def test_compact_joins_words() -> None:
    """The exact key ignores spacing: "PK Sport" and "P.K. Sport" share it."""
    assert compact(normalise("PK Sport")) == compact(normalise("P.K. Sport")) == "pksport"


@pytest.mark.parametrize(
    ("word", "edits"),
    [
        ("gt", 0),
        ("lmp", 0),
        ("enge", 1),
        ("dyson", 1),
        ("herbert", 1),
        ("leitzinger", 2),
        ("lmp900", 0),
        ("b2k", 0),
        ("schumacher", 2),
    ],
)
def test_max_edits(word: str, edits: int) -> None:
    """Short words and words with digits forgive no mistakes; long words forgive two."""
    assert max_edits(word) == edits


@pytest.mark.parametrize(
    ("query", "expected", "tier"),
    [
        # Exact whole names beat everything, even names that contain them.
        ("Joe Policastro", {"Joe Policastro"}, Tier.EXACT),
        ("PK Sport", {"P.K. Sport"}, Tier.EXACT),
        ("pksport", {"P.K. Sport"}, Tier.EXACT),
        ("Jean Philippe Belloc", {"Jean-Philippe Belloc"}, Tier.EXACT),
        ("tomas enge", {"Tomáš Enge"}, Tier.EXACT),
        ("JORG BERGMEISTER", {"Jörg Bergmeister"}, Tier.EXACT),
        # Every word of the query is a word of the name: all such names, never one picked.
        ("Dyson", {"Chris Dyson", "Dyson Racing"}, Tier.TOKEN),
        ("Field", {"Clint Field", "Jon Field"}, Tier.TOKEN),
        ("Policastro", {"Joe Policastro", "Joe Policastro Jr."}, Tier.TOKEN),
        ("Racers Group", {"The Racer's Group"}, Tier.TOKEN),
        ("Herbert Johnny", {"Johnny Herbert"}, Tier.TOKEN),
        ("Jon", {"Jon Field"}, Tier.TOKEN),  # a whole word beats "Jonathan"
        ("911", {"Porsche 911 GT3-RS", "Porsche 911 GT3-R"}, Tier.TOKEN),
        ("gt3 r", {"Porsche 911 GT3-R"}, Tier.TOKEN),
        # Prefixes of words.
        ("Leitz", {"Butch Leitzinger"}, Tier.PREFIX),
        ("johnny h", {"Johnny Herbert"}, Tier.PREFIX),
        ("Jona", {"Jonathan Bomarito"}, Tier.PREFIX),
        ("gt3 r dyson", set(), None),
        # Typos, fewest mistakes only.
        ("Herbet", {"Johnny Herbert"}, Tier.FUZZY),
        ("Hebrert", {"Johnny Herbert"}, Tier.FUZZY),  # swapped neighbours are one slip
        ("Leitzingr", {"Butch Leitzinger"}, Tier.FUZZY),
        ("Leitzigner", {"Butch Leitzinger"}, Tier.FUZZY),
        ("Corvete", {"Corvette Racing"}, Tier.FUZZY),
        ("Dysen", {"Chris Dyson", "Dyson Racing"}, Tier.FUZZY),
        ("Jonny Herbrt", {"Johnny Herbert"}, Tier.FUZZY),
        ("Hanssen", {"Carl Hansen"}, Tier.FUZZY),
        ("Hansan", {"Carl Hansen", "Carl Hanson"}, Tier.FUZZY),
    ],
)
def test_search_tiers(index: NameIndex, query: str, expected: set[str], tier: Tier | None) -> None:
    """The best tier answers, with every name in it."""
    hits = index.search(normalise(query))
    assert {NAMES[hit.id] for hit in hits} == expected
    assert {hit.tier for hit in hits} == ({tier} if tier is not None else set())


@pytest.mark.parametrize(
    "query",
    [
        "Schumacher",
        "Hamilton",
        "Senna",
        "Herbertson",  # three letters more than Herbert is another name
        "Dixon",
        "Hulkenberg",
        "Schrommer",
        "Fields Jon Jr",
        "Jo",  # two letters are not enough to be a prefix on their own
        "Le",
        "9",  # numbers are whole words: "9" is not "911"
        "912",  # and never typos of each other
        "GT4",
        "",
    ],
)
def test_near_misses_find_nothing(index: NameIndex, query: str) -> None:
    """A wrong answer is worse than none: names that are not there match nothing."""
    assert index.search(normalise(query)) == []


def test_min_prefix_can_be_lowered(index: NameIndex) -> None:
    """Autocomplete takes one letter as a prefix; questions need three."""
    assert names(index, "Le") == set()
    assert names(index, "Le", min_prefix=1) == {"Butch Leitzinger"}


def test_fuzzy_can_be_turned_off(index: NameIndex) -> None:
    """Without typo search, a typo finds nothing."""
    assert names(index, "Herbet", fuzzy=False) == set()


def test_accept_limits_the_names(index: NameIndex) -> None:
    """Only accepted ids are returned, and tiers are judged among them."""
    jon = NAMES.index("Jon Field")
    jonathan = NAMES.index("Jonathan Bomarito")
    assert {h.id for h in index.search("jon", frozenset({jon, jonathan}))} == {jon}
    hits = index.search("jon", frozenset({jonathan}))
    assert [(h.id, h.tier) for h in hits] == [(jonathan, Tier.PREFIX)]
    assert index.search("jon", frozenset()) == []


def test_matches_ranks_every_candidate(index: NameIndex) -> None:
    """`matches` returns all tiers; typos only while too few better ones were found."""
    found = index.matches("johnny", min_prefix=1, fuzzy_below=25)
    johnnies = {NAMES.index(n) for n in ("Johnny Herbert", "Johnny O'Connell", "Johnny Mowlem")}
    assert set(found) == johnnies
    assert set(found.values()) == {(Tier.TOKEN, 0)}
    assert index.matches("herbet", fuzzy_below=0) == {}
    assert index.matches("herbet", fuzzy_below=1) == {
        NAMES.index("Johnny Herbert"): (Tier.FUZZY, 1)
    }


def test_numeric_prefix_only_when_asked(index: NameIndex) -> None:
    """Digits complete in autocomplete, never in answers."""
    assert index.matches("91", min_prefix=1) == {}
    assert {NAMES[i] for i in index.matches("91", min_prefix=1, numeric_prefix=True)} == {
        "Porsche 911 GT3-RS",
        "Porsche 911 GT3-R",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Herbertson", ["Johnny Herbert"]),
        ("Le", ["Butch Leitzinger"]),
        ("Johnny Schumacher", ["Johnny Herbert", "Johnny O'Connell", "Johnny Mowlem"]),
        ("Schumacher", []),
        ("Leitzinger Dyson", ["Butch Leitzinger", "Chris Dyson", "Dyson Racing"]),
    ],
)
def test_near_suggests_close_names(index: NameIndex, query: str, expected: list[str]) -> None:
    """Close names to suggest: most words matched, then fewest slips, then id order; at most 3."""
    assert [NAMES[i] for i in index.near(normalise(query))] == expected


def test_near_respects_accept_and_limit(index: NameIndex) -> None:
    """Suggestions come only from accepted names, and no more than asked for."""
    mowlem = NAMES.index("Johnny Mowlem")
    assert index.near("johnny schumacher", frozenset({mowlem})) == [mowlem]
    assert len(index.near("johnny", limit=2)) == 2


def test_aliases_are_exact_keys_only() -> None:
    """A race is found by its file name exactly, but the file name's words are not words of it."""
    race_index = NameIndex(
        [
            NameKeys(
                ("2003 Grand Prix of Sonoma",),
                ("Infineon Raceway", "California", "2003"),
                ("2003-grand-prix-of-sonoma.txt",),
            ),
            NameKeys(("2004 Grand Prix of Sonoma",), ("Infineon Raceway", "2004"), ("b.txt",)),
        ]
    )
    assert [h.id for h in race_index.search(normalise("2003-grand-prix-of-sonoma.txt"))] == [0]
    assert race_index.search("txt") == []
    assert {h.id for h in race_index.search("sonoma")} == {0, 1}
    assert [h.id for h in race_index.search("sonoma 2004")] == [1]
    assert [h.id for h in race_index.search("infinion 2003")] == [0]
    assert race_index.search("2005") == []


def test_empty_index_finds_nothing() -> None:
    """An index of no names answers every query with nothing."""
    empty = NameIndex([])
    assert len(empty) == 0
    assert empty.search("dyson") == []
    assert empty.near("dyson") == []
    assert empty.matches("d", min_prefix=1, fuzzy_below=25) == {}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_OPTION_LENGTH * 2))
def test_any_text_is_safe(index: NameIndex, text: str) -> None:
    """No text makes normalisation or any search raise, and normalised text is canonical."""
    normalised = normalise(text)
    assert normalise(normalised) == normalised
    assert normalised == normalised.strip()
    assert "  " not in normalised
    index.search(normalised)
    index.matches(normalised, min_prefix=1, fuzzy_below=25, numeric_prefix=True)
    index.near(normalised)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_path_normalises_as_the_general_one(text: str) -> None:
    """Every ASCII text, controls and punctuation included, normalises the same both ways."""
    assert normalise(text) == normalise_unicode(text)


def test_every_ascii_character_normalises_as_the_general_path() -> None:
    """Each of the 128 ASCII characters, alone and between two words."""
    for code in range(128):
        for text in (chr(code), f"Ab{chr(code)}cD", f" x {chr(code)} 9 "):
            assert normalise(text) == normalise_unicode(text), repr(text)


words = st.lists(st.sampled_from(["dyson", "racing", "herbert", "leitz", "ø", "van", "2003"]))
keys = st.builds(
    lambda texts, extra, aliases: NameKeys(
        tuple(" ".join(t) for t in texts), tuple(extra), tuple(" ".join(a) for a in aliases)
    ),
    st.lists(words, max_size=2),
    words,
    st.lists(words, max_size=1),
)


@settings(max_examples=80)
@given(st.lists(keys, max_size=6), st.lists(keys, max_size=4))
def test_an_extended_index_is_the_index_built_with_every_name(
    first: list[NameKeys], more: list[NameKeys]
) -> None:
    """Names added to a built index give exactly the index built with all of them, and the
    index extended is left as it was."""
    index = NameIndex(first)
    before = repr(index.state())
    assert index.extended(more).state() == NameIndex([*first, *more]).state()
    assert repr(index.state()) == before


def test_an_index_read_back_from_its_state_searches_alike(index: NameIndex) -> None:
    """As the library snapshot keeps it: plain, or packed and unpacked when first searched."""
    plain = NameIndex.from_state(index.state())
    packed = NameIndex.packed(marshal.dumps(index.state()))
    for query in ("Dyson", "Herbet", "johnny h", "pksport", "Jona", "911"):
        expected = index.search(normalise(query))
        assert plain.search(normalise(query)) == expected
        assert packed.search(normalise(query)) == expected
    assert packed.state() == index.state()
    assert len(packed) == len(index)


def by_id(hits: list[Hit]) -> list[Hit]:
    """Hits in id order (a search gives them in any order)."""
    return sorted(hits, key=lambda hit: hit.id)


@settings(max_examples=80)
@given(
    st.lists(keys, max_size=6),
    st.lists(st.tuples(st.floats(0, 1), keys, st.booleans()), min_size=1, max_size=5),
    st.booleans(),
)
def test_an_index_with_names_inserted_is_the_index_built_with_them(
    first: list[NameKeys], inserts: list[tuple[float, NameKeys, bool]], packed: bool
) -> None:
    """Names inserted one after another anywhere (the ids after each moving one along), the
    index searched or not in between, and then extended and revised: each time exactly the
    index built of the names in that order, and the index inserted into is left as it was."""
    names = list(first)
    index = NameIndex(names)
    if packed:  # read back from a snapshot: nothing unpacked by the inserts
        index = NameIndex.packed(marshal.dumps(index.state()))
    for fraction, name, searched in inserts:
        place = round(fraction * len(names))
        before = repr(index.state()) if searched else None
        inserted = index.inserted(place, name)
        names.insert(place, name)
        if searched:  # its moved ids read (and kept) before the next insert
            for query in ("dyson", "racing herbert", "leitz", "2003", "vn"):
                assert by_id(inserted.search(query)) == by_id(NameIndex(names).search(query))
            assert repr(index.state()) == before
        index = inserted
    assert index.state() == NameIndex(names).state()
    more = NameKeys(("dyson racing", "van leitz"))
    assert index.extended([more]).state() == NameIndex([*names, more]).state()
    gone = {0: names[0]} if names else {}
    left = index.revised(gone, {})  # found by nothing (its id kept), then back at its id
    assert left.state()[1:] == NameIndex([NameKeys(()), *names[1:]]).state()[1:]
    assert left.revised({}, gone).state() == NameIndex(names).state()


@settings(max_examples=80)
@given(st.lists(keys, min_size=1, max_size=6), st.lists(st.randoms(), min_size=1, max_size=12))
def test_a_renumbered_index_is_the_index_built_in_the_new_order(
    first: list[NameKeys], shuffles: list[random.Random]
) -> None:
    """Names renumbered again and again (more times than moves are kept apart), one new name
    taken in each time: exactly the index built of the names in their new order."""
    names = list(first)
    index = NameIndex(names)
    for number, shuffle in enumerate(shuffles):
        new = NameKeys((f"new {number} racing",))
        order = [*range(len(names)), -1]
        shuffle.shuffle(order)
        ids = [0] * len(order)
        for new_id, old in enumerate(order):
            ids[old if old >= 0 else len(names)] = new_id
        ordered = [old for old in order if old >= 0] == sorted(old for old in order if old >= 0)
        index = index.remapped(order, ids, {ids[len(names)]: new}, ordered=ordered)
        names = [names[old] if old >= 0 else new for old in order]
        assert by_id(index.search("racing")) == by_id(NameIndex(names).search("racing"))
    assert index.state() == NameIndex(names).state()
