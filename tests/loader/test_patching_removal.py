"""A race whose document is gone is taken out of the library kept between builds (the races
after it move one up; `LibraryParts._removed`, `catalogue.remove_race`), and the library then
indexes and answers exactly as one built afresh from the documents left."""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.core.documents.model import Race
from bot.core.library.races import library_order
from bot.loader.library import BuiltLibrary, LibraryParts, build_library
from bot.store import StoredDocument
from tests.loader.test_patching import RACES, built, edited, library, new_race, stored
from tests.loader.test_patching_names import assert_same_names


def started(documents: list[StoredDocument], restored: bool = False) -> LibraryParts:
    """Parts that built the library of these documents (or read it back from its snapshot)."""
    parts = LibraryParts()
    parts.replace_all(documents)
    assert parts.build() is not None
    if restored:
        write = parts.snapshot()
        assert write is not None
        parts = LibraryParts()
        parts.restore(write())
    return parts


def removed(parts: LibraryParts, documents: list[StoredDocument], *gone: int) -> BuiltLibrary:
    """The parts' next library once these documents are gone (taken out of `documents`), taken
    out without reading any other document."""
    keys = [documents[at].race_key for at in gone]
    for at in sorted(gone, reverse=True):
        del documents[at]
    parts.update([], keys)
    library = parts.build()
    assert library is not None  # no document read again
    assert not parts.afresh
    return library


def in_order(races: list[Race]) -> list[int]:
    """The races' indexes, newest first (the library's order)."""
    return sorted(range(len(races)), key=lambda at: library_order(races[at]), reverse=True)


@pytest.mark.parametrize("restored", [False, True])
@pytest.mark.parametrize("which", ["newest", "oldest", "middle"])
def test_a_removed_race_is_taken_out_as_a_fresh_build_would(which: str, restored: bool) -> None:
    """The newest, the oldest or a middle race removed: the races after it move one up, the
    names it was first to meet are first met later (their ids in that order), and the library
    answers as one built afresh from the documents left; so does a change after it."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents, restored)
    order = in_order(races)
    at = {"newest": order[0], "oldest": order[-1], "middle": order[len(order) // 2]}[which]
    before = build_library(documents).service.catalogue
    first_there = [
        name_id
        for name_id in before.race_names[order.index(at)]
        if next(iter(before.postings[name_id])) == order.index(at)
    ]
    assert first_there  # names it was first to meet (most of the newest race's)
    library_now = removed(parts, documents, at)
    del races[at]
    assert_same_names(library_now, build_library(documents))
    documents[0] = stored(edited(races[0], "team", 3, 3))
    parts.update([documents[0]], [])
    assert_same_names(built(parts, documents), build_library(documents))


@pytest.mark.parametrize("restored", [False, True])
@pytest.mark.parametrize("when", ["newest", "oldest", "middle", "undated"])
@pytest.mark.parametrize("names", ["team", "crew"])
def test_a_race_with_names_only_it_wrote_is_taken_out(
    when: str, names: str, restored: bool
) -> None:
    """A race of a new series with a team or a person no other race has, added and then
    removed (its series' last race): the names are found by nothing, as in a fresh build."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents, restored)
    race = new_race(races[1], when, names, "Zenith Endurance Cup", 0, 7)
    documents.append(stored(race))
    parts.update([documents[-1]], [])
    assert_same_names(built(parts, documents), build_library(documents))
    library_now = removed(parts, documents, len(documents) - 1)
    assert_same_names(library_now, build_library(documents))
    for name in ("Zenith Endurance Cup", "zenith", "quentin zanardi"):
        for command in ("season", "driver", "result"):
            option = {"season": "series", "driver": "name", "result": "query"}[command]
            one = library_now.service.ask(command, **{option: name})
            assert one == build_library(documents).service.ask(command, **{option: name})


@pytest.mark.parametrize("restored", [False, True])
def test_several_races_removed_at_once_then_one_put_back(restored: bool) -> None:
    """Two races removed in one change, then a third, then one of them put back (inserted
    again) and another changed: each step answers as a fresh build."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents, restored)
    order = in_order(races)
    first, second = order[0], order[3]
    put_back = documents[second]
    assert_same_names(removed(parts, documents, first, second), build_library(documents))
    assert_same_names(removed(parts, documents, 1), build_library(documents))
    documents.append(put_back)
    parts.update([put_back], [])
    assert_same_names(built(parts, documents), build_library(documents))
    assert not parts.afresh
    documents[0] = stored(edited(library()[0], "crew", 2, 3))
    parts.update([documents[0]], [])
    assert_same_names(built(parts, documents), build_library(documents))


def test_every_race_removed_one_by_one() -> None:
    """The races removed one at a time down to one: each taken out, each as a fresh build, and
    so is the library read back from the snapshot written after each."""
    documents = [stored(race) for race in library()]
    parts = started(documents)
    while len(documents) > 1:
        library_now = removed(parts, documents, len(documents) // 2)
        fresh = build_library(documents)
        assert_same_names(library_now, fresh)
        write = parts.snapshot()
        assert write is not None
        assert_same_names(LibraryParts().restore(write()), fresh)


steps = st.lists(
    st.tuples(
        st.sampled_from(["remove", "add", "change", "remove two"]),
        st.integers(0, 100),
        st.sampled_from(["newest", "oldest", "middle", "undated"]),
        st.sampled_from(["same", "team", "crew", "number"]),
        st.integers(0, 10_000),
        st.sampled_from(["", "same title", "same file"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(steps, st.booleans())
def test_a_library_with_races_removed_answers_as_one_built_afresh(
    changes: list[tuple[str, int, str, str, int, str]], restored: bool
) -> None:
    """Any sequence of races removed (one or two at once), new races (of known names or new
    ones) and changed races: the library kept between builds equals the one built from
    scratch over the documents left, names, their order and the name index included (and
    which races a title repeated in several selects by their file names)."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents, restored)
    for number, (step, which, when, names, pick, title) in enumerate(changes):
        if step.startswith("remove") and len(documents) > 2:
            gone = [which % len(documents)]
            if step == "remove two":
                gone.append((which + 1 + pick) % len(documents))
            gone = sorted(set(gone), reverse=True)
            keys = [documents[at].race_key for at in gone]
            for at in gone:
                del races[at], documents[at]
            parts.update([], keys)
        elif step == "add" or step.startswith("remove"):
            race = new_race(library()[which % RACES], when, names, None, pick, number, title)
            if stored(race).race_key in {document.race_key for document in documents}:
                continue
            races.append(race)
            documents.append(stored(race))
            parts.update([documents[-1]], [])
        else:
            at = which % len(documents)
            races[at] = edited(races[at], names if names != "same" else "number", pick, pick)
            documents[at] = stored(races[at])
            parts.update([documents[at]], [])
        assert_same_names(built(parts, documents), build_library(documents))
        event(f"{step}: {'built afresh' if parts.afresh else 'patched'}")


@pytest.mark.parametrize("restored", [False, True])
def test_a_name_shown_as_the_removed_race_wrote_it_is_shown_as_the_next_one_does(
    restored: bool,
) -> None:
    """The newest race writes a team of others' races in its own way (other capitals and
    spaces: the same name), so the library shows it so; once that race is removed, the name is
    shown as the race that now first meets it writes it, as in a fresh build."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents, restored)
    base = races[in_order(races)[1]]
    race = new_race(base, "newest", "same", None, 0, 9)
    entries = list(race.entries)
    entries[0] = entries[0].model_copy(update={"team": f"  {entries[0].team.upper()}  "})
    race = race.model_copy(update={"entries": tuple(entries)})
    documents.append(stored(race))
    parts.update([documents[-1]], [])
    fresh = build_library(documents)
    assert entries[0].team.upper().strip() in fresh.service.catalogue.displays
    assert_same_names(built(parts, documents), fresh)
    keys = [documents[-1].race_key]
    del documents[-1]
    parts.update([], keys)
    assert_same_names(built(parts, documents), build_library(documents))


@pytest.mark.parametrize("title", ["same title", "same file"])
@pytest.mark.parametrize("which", ["copy", "original"])
def test_a_race_sharing_a_title_removed(title: str, which: str) -> None:
    """A race sharing its title (or its file name too) with another, and either of the two
    then removed: what selects the one left on its own is as in a fresh build."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents)
    race = new_race(races[2], "oldest", "same", None, 0, 5, title)
    documents.append(stored(race))
    parts.update([documents[-1]], [])
    fresh = build_library(documents)
    assert race.source in fresh.service.catalogue.race_values or title == "same file"
    assert_same_names(built(parts, documents), fresh)
    library_now = removed(parts, documents, len(documents) - 1 if which == "copy" else 2)
    assert_same_names(library_now, build_library(documents))


@pytest.mark.parametrize("restored", [False, True])
def test_a_race_added_and_removed_between_two_builds_costs_no_build(restored: bool) -> None:
    """A race added and taken out again before the next build (a process catching up on
    another's changes, or a restart's snapshot older than both) leaves nothing to patch: the
    other change is patched in, nothing is built afresh."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = started(documents, restored)
    passing = stored(new_race(races[0], "newest", "known", None, 0, 1))
    parts.update([passing], [])
    parts.update([], [passing.race_key])
    documents[0] = stored(edited(races[0], "number", 2, 1))
    parts.update([documents[0]], [])
    assert_same_names(built(parts, documents), build_library(documents))
    assert not parts.afresh
