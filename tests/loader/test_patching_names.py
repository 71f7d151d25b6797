"""A changed document whose cars and names change (a team renamed, a car added or dropped, a
crew changed) is patched in only when every identity stays as a fresh build decides it, and
the patched library then indexes and answers exactly as one built afresh (ids aside: a name
new to the library comes last, one left in no race keeps its id with no races)."""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.core.documents.model import Entry, Race, Status
from bot.core.library.catalogue import Catalogue
from bot.core.library.races import library_order
from bot.core.matching import NameIndex
from bot.loader.library import BuiltLibrary, LibraryParts, build_library
from tests.loader.test_patching import (
    NEW_DRIVER,
    NEW_TEAM,
    RACES,
    assert_same,
    built,
    library,
    new_race,
    stored,
)

KINDS = (
    "new team",  # a team no race has
    "other team",  # another race's team
    "works",  # the team with "Works" after it: the same distinctive words
    "twin",  # another race's car (number and crew) under its team's name with "Works" after it
    "sponsor",  # "ADT " in front of another race's team
    "slip",  # another race's team with a plural "s" on its first word
    "crew",  # another race's crew
    "driver added",  # a new person added to the crew
    "alone",  # a new person alone in the car
    "add car",  # another race's car added
    "drop car",
    "back",  # the race as it first was
)


def edited(race: Race, first: Race, kind: str, car: int, pick: int) -> Race:
    """The race with one car's names changed, a car added or dropped, or as it first was."""
    if kind == "back":
        return first
    others = [entry for other in library() for entry in other.entries]
    theirs = others[pick % len(others)]
    entries = list(race.entries)
    at = car % len(entries)
    entry = entries[at]
    if kind == "drop car":
        if len(entries) > 2:
            del entries[at]
        return _with(race, entries)
    if kind == "add car":
        taken = {other.number for other in entries}
        if theirs.number not in taken:
            names = {field: getattr(theirs, field) for field in CAR_NAMES}
            added = {**names, "position": None, "status": Status.DNF, "laps": 0}
            entries.append(entries[-1].model_copy(update=added))
        return _with(race, entries)
    update: dict[str, object]
    if kind == "new team":
        update = {"team": NEW_TEAM}
    elif kind == "other team":
        update = {"team": theirs.team}
    elif kind == "works":
        update = {"team": f"{entry.team} Works"}
    elif kind == "twin":
        taken = {other.number for i, other in enumerate(entries) if i != at}
        if theirs.number in taken:
            return race
        update = {"team": f"{theirs.team} Works", "number": theirs.number}
        update["drivers"] = theirs.drivers
    elif kind == "sponsor":
        update = {"team": f"ADT {theirs.team}"}
    elif kind == "slip":
        first_word, _, rest = theirs.team.partition(" ")
        update = {"team": f"{first_word}s {rest}"}
    elif kind == "driver added":
        update = {"drivers": (*entry.drivers, NEW_DRIVER)}
    elif kind == "alone":
        update = {"drivers": (NEW_DRIVER,)}
    else:
        update = {"drivers": theirs.drivers}
    entries[at] = entry.model_copy(update=update)
    return _with(race, entries)


CAR_NAMES = ("number", "team", "drivers", "chassis", "engine")


def _with(race: Race, entries: list[Entry]) -> Race:
    return race.model_copy(update={"entries": tuple(entries)})


def in_races(catalogue: Catalogue) -> list[int]:
    """The ids of the names in some race, in order."""
    return [i for i, races in enumerate(catalogue.postings) if races]


def name_index_state(index: NameIndex, ids: list[int]) -> tuple[object, ...]:
    """A name index's contents with the ids of `ids` renumbered in their order (others are
    names in no race, which nothing may find)."""
    renumbered = {name_id: new for new, name_id in enumerate(ids)}
    keys, exact, postings, words, by_length = index.state()

    def moved(found: Any) -> list[int]:
        assert all(name_id in renumbered for name_id in found)  # no name in no race is found
        return [renumbered[name_id] for name_id in found]

    return (
        [keys[name_id] for name_id in ids],
        {key: moved(found) for key, found in exact.items()},
        {word: moved(found) for word, found in postings.items()},
        words,
        by_length,
    )


def assert_same_names(patched: BuiltLibrary, fresh: BuiltLibrary) -> None:
    """Both index the same names, in the same order, shown alike, with the same identities
    and name index; and both answer alike (`assert_same`)."""
    assert_same(patched, fresh)
    one, two = patched.service.catalogue, fresh.service.catalogue
    ids = in_races(one)
    assert one.gone == frozenset(range(len(one.kinds))) - set(ids)
    assert in_races(two) == list(range(len(two.kinds)))
    assert [one.kinds[i] for i in ids] == list(two.kinds)
    assert [one.displays[i] for i in ids] == list(two.displays)
    assert [one.others(i) for i in ids] == [two.others(i) for i in range(len(two.kinds))]
    assert one.identities == two.identities
    assert one.drivers == [ids[i] for i in two.drivers]
    assert name_index_state(one.names, ids) == name_index_state(
        two.names, list(range(len(two.kinds)))
    )
    for kind in ("driver", "team"):
        assert one_suggested(patched, kind) == one_suggested(fresh, kind)


def one_suggested(library: BuiltLibrary, kind: str) -> list[object]:
    """What autocomplete offers with nothing typed, and for a few starts."""
    service = library.service
    return [service.suggest(kind, typed) for typed in ("", "z", "adt", "works", "ra")]  # type: ignore[arg-type]


edits = st.lists(
    st.tuples(
        st.integers(0, RACES - 1),
        st.sampled_from(KINDS),
        st.integers(0, 40),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(edits)
def test_a_library_patched_with_changed_names_is_one_built_afresh(
    changes: list[tuple[int, str, int, int]],
) -> None:
    """After any sequence of documents whose names changed, the library kept between builds
    equals the one built from scratch: races, order, names and their order, identities, the
    name index, suggestions and answers."""
    first = list(library())
    races = list(first)
    documents = {i: stored(race) for i, race in enumerate(races)}
    parts = LibraryParts()
    parts.replace_all(list(documents.values()))
    parts.build()
    for which, kind, car, pick in changes:
        races[which] = edited(races[which], first[which], kind, car, pick)
        documents[which] = stored(races[which])
        parts.update([documents[which]], [])
        now = list(documents.values())
        assert_same_names(built(parts, now), build_library(now))
        event(f"{kind}: {'built afresh' if parts.afresh else 'patched'}")


def test_a_team_new_to_the_library_is_patched_in_and_out() -> None:
    """A car under a new team name added to the oldest race (the name is met last: its id comes
    last in a fresh build too), then dropped again (the name is in no race): both patched in,
    each equal to a library built afresh; so is a new person written alone in that car."""
    first = list(library())
    races = list(first)
    oldest = min(range(len(races)), key=lambda i: library_order(races[i]))  # last in the order
    parts = LibraryParts()
    parts.replace_all([stored(race) for race in races])
    parts.build()
    template = races[oldest].entries[-1]
    known = {entry.number for entry in races[oldest].entries}
    number = next(str(n) for n in range(500, 600) if str(n) not in known)
    added = template.model_copy(update={"number": number, "team": NEW_TEAM})
    alone = added.model_copy(update={"drivers": (NEW_DRIVER,)})
    for race in (_with(first[oldest], [*first[oldest].entries, added]), first[oldest]) * 2 + (
        _with(first[oldest], [*first[oldest].entries, alone]),
        first[oldest],
    ):
        races[oldest] = race
        parts.update([stored(race)], [])
        now = [stored(race) for race in races]
        patched = parts.build()
        assert patched is not None  # no document read again
        assert not parts.afresh
        fresh = build_library(now)
        assert_same_names(patched, fresh)
        write = parts.snapshot()  # names in no race, and those back, are read back as they are
        assert write is not None
        assert_same_names(LibraryParts().restore(write()), fresh)


@settings(max_examples=15, deadline=None)
@given(edits)
def test_a_restored_library_patched_with_changed_names_is_one_built_afresh(
    changes: list[tuple[int, str, int, int]],
) -> None:
    """A library read back from its snapshot (team words and the names written alone with it)
    takes in documents whose names changed exactly as one built afresh."""
    first = list(library())
    races = list(first)
    documents = {i: stored(race) for i, race in enumerate(races)}
    parts = LibraryParts()
    parts.replace_all(list(documents.values()))
    parts.build()
    write = parts.snapshot()
    assert write is not None
    restored = LibraryParts()
    restored.restore(write())
    for which, kind, car, pick in changes:
        races[which] = edited(races[which], first[which], kind, car, pick)
        documents[which] = stored(races[which])
        restored.update([documents[which]], [])
        now = list(documents.values())
        assert_same_names(built(restored, now), build_library(now))


additions = st.lists(
    st.tuples(
        st.integers(0, RACES - 1),
        st.sampled_from(["newest", "oldest", "middle", "undated"]),
        st.sampled_from(KINDS),
        st.integers(0, 40),
        st.integers(0, 10_000),
        st.booleans(),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=40, deadline=None)
@given(additions, st.booleans())
def test_a_library_with_new_races_of_changed_names_is_one_built_afresh(
    steps: list[tuple[int, str, str, int, int, bool]], restored: bool
) -> None:
    """New races anywhere in the order, each a race of the library's with its names changed
    (a new team, a sponsor's or a slipped spelling, another race's car...), or a race changed
    so: the library kept between builds equals the one built from scratch, names, their order
    and the name index included."""
    first = list(library())
    races = list(first)
    documents = [stored(race) for race in races]
    parts = LibraryParts()
    parts.replace_all(documents)
    parts.build()
    if restored:
        write = parts.snapshot()
        assert write is not None
        parts = LibraryParts()
        parts.restore(write())
    for number, (which, when, kind, car, pick, add) in enumerate(steps):
        if add:
            base = new_race(first[which], when, "same", None, pick, number)
            races.append(edited(base, base, kind, car, pick))
            documents.append(stored(races[-1]))
            parts.update([documents[-1]], [])
        else:
            races[which] = edited(races[which], first[which], kind, car, pick)
            documents[which] = stored(races[which])
            parts.update([documents[which]], [])
        assert_same_names(built(parts, documents), build_library(documents))
        step = "new race" if add else "change"
        event(f"{step} {kind}: {'built afresh' if parts.afresh else 'patched'}")
