"""A library patched one changed document at a time answers exactly as one built afresh from the
same documents (`LibraryParts` and `catalogue.patch_index`)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_races
from bot.core.documents.model import Race
from bot.core.documents.writing import write_race
from bot.core.library.catalogue import Catalogue
from bot.core.library.races import RaceShelf
from bot.loader.documents import new_document
from bot.loader.library import BuiltLibrary, LibraryParts, build_library
from bot.store import StoredDocument

RACES = 6
NEW_TEAM = "Zenith Quartz Works"
NEW_DRIVER = "Quentin Zanardi-Okafor"


@cache
def library() -> tuple[Race, ...]:
    """A few synthetic races (made once)."""
    return tuple(synthetic_races(RACES, seed=7))


def stored(race: Race) -> StoredDocument:
    """A race written as its document and stored, as the store hands it to the loader."""
    document, _ = new_document(write_race(race).encode(), race.source, "seeds")
    return StoredDocument(
        race_key=document.race_key,
        title=document.title,
        origin="seeds",
        source=document.source,
        added_by=None,
        added_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        sha256=document.sha256,
        parser=document.parser,
        record=document.record,
        view=document.view,
        revision=0,
    )


def edited(race: Race, kind: str, car: int, pick: int) -> Race:
    """The race with one car's team, crew or number changed (to a name or number that another
    race has, or to a new one), or its title changed (the race moves: built afresh)."""
    others = [entry for other in library() for entry in other.entries]
    entries = list(race.entries)
    entry = entries[car % len(entries)]
    if kind == "title":
        return race.model_copy(update={"title": f"{race.title} Revisited"})
    if kind == "team":
        team = NEW_TEAM if pick % 3 == 0 else others[pick % len(others)].team
        entry = entry.model_copy(update={"team": team})
    elif kind == "crew":
        crew = (NEW_DRIVER,) if pick % 3 == 0 else others[pick % len(others)].drivers
        entry = entry.model_copy(update={"drivers": crew})
    else:
        taken = {other.number for other in entries}
        number = next(str(n) for n in range(90 + pick % 5, 1000) if str(n) not in taken)
        entry = entry.model_copy(update={"number": number})
    entries[car % len(entries)] = entry
    return race.model_copy(update={"entries": tuple(entries)})


def built(parts: LibraryParts, documents: list[StoredDocument]) -> BuiltLibrary:
    """The parts' next library, as the keeper makes it: every document read again when the
    change cannot be patched in (the parts keep no document decoded between builds)."""
    library = parts.build()
    if library is None:
        assert parts.needs_all
        parts.replace_all(documents)
        library = parts.build()
    assert library is not None
    return library


def index_by_key(catalogue: Catalogue) -> dict[object, object]:
    """The catalogue's contents with names by kind and key, not by id (ids of names new to a
    patched library come last)."""
    keys = catalogue.names.keys
    name = [(catalogue.kinds[i], keys[i]) for i in range(len(keys))]
    postings = {name[i]: list(races.items()) for i, races in enumerate(catalogue.postings)}
    postings_of = catalogue.postings
    return {
        # Ids break ties between equally good names: the names in races, in the order of ids.
        "name_order": [name[i] for i, races in enumerate(catalogue.postings) if races],
        "displays": {name[i]: catalogue.displays[i] for i in range(len(keys)) if postings_of[i]},
        "race_index": catalogue.race_index.state(),
        "postings": {key: races for key, races in postings.items() if races},
        "race_names": [[name[i] for i in ids] for ids in catalogue.race_names],
        "numbers": list(catalogue.numbers),
        "number_races": dict(catalogue.number_races),
        "race_values": list(catalogue.race_values),
    }


def assert_same(patched: BuiltLibrary, fresh: BuiltLibrary) -> None:
    """Both libraries hold the same races in the same order, index them alike and answer alike."""
    assert patched.race_keys == fresh.race_keys
    one, two = patched.service, fresh.service
    assert list(one.library.summaries) == list(two.library.summaries)
    assert list(one.library.races) == list(two.library.races)
    assert index_by_key(one.catalogue) == index_by_key(two.catalogue)
    for race in two.library.races:
        entry = race.entries[len(race.entries) // 2]
        questions = [
            ("driver", {"name": entry.drivers[0] if entry.drivers else "x"}),
            ("result", {"query": entry.team, "race": race.title}),
            ("car", {"number": entry.number, "race": race.title}),
            ("compare", {"first": entry.team, "second": NEW_TEAM}),
        ]
        for command, options in questions:
            assert one.ask(command, **options) == two.ask(command, **options)
    for name in (NEW_TEAM, NEW_DRIVER, "zenith", "quentin zanardi"):
        assert one.ask("driver", name=name) == two.ask("driver", name=name)
        assert one.ask("result", query=name) == two.ask("result", query=name)


edits = st.lists(
    st.tuples(
        st.integers(0, RACES - 1),
        st.sampled_from(["team", "crew", "number", "title"]),
        st.integers(0, 40),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=25, deadline=None)
@given(edits)
def test_patched_library_answers_as_one_built_afresh(
    changes: list[tuple[int, str, int, int]],
) -> None:
    """After any sequence of changed documents, the library kept between builds equals the one
    built from scratch over the same documents: races, order, indexes and answers."""
    races = list(library())
    documents = {i: stored(race) for i, race in enumerate(races)}
    parts = LibraryParts()
    parts.replace_all(list(documents.values()))
    parts.build()
    for which, kind, car, pick in changes:
        races[which] = edited(races[which], kind, car, pick)
        old = documents[which]
        documents[which] = stored(races[which])
        removed = [old.race_key] if old.race_key != documents[which].race_key else []
        parts.update([documents[which]], removed)
        now = list(documents.values())
        assert_same(built(parts, now), build_library(now))


def test_cars_read_alone_are_the_races_cars() -> None:
    """A car read from its record alone, first or again, is the car of the race as made."""
    races = list(library())
    shelf = build_library([stored(race) for race in races]).service.library.races
    assert isinstance(shelf, RaceShelf)
    packed = [shelf.packed(i) for i in range(len(shelf))]
    fresh = RaceShelf(packed)
    for _ in range(2):
        for index in range(len(shelf)):
            for entry in range(len(fresh[index].entries)):
                assert shelf.entry(index, entry) == fresh[index].entries[entry]


def also_by_key(catalogue: Catalogue) -> dict[object, tuple[str, ...]]:
    """Each name's other spellings (one identity of several), by kind and key."""
    keys = catalogue.names.keys
    return {
        (catalogue.kinds[i], keys[i]): tuple(also) for i, also in enumerate(catalogue.also) if also
    }


def test_a_result_correction_is_patched_in() -> None:
    """A document whose cars and names stay the same (a lap count corrected) is patched in:
    the race selector index is shared, and it answers as one built afresh."""
    races = list(library())
    parts = LibraryParts()
    parts.replace_all([stored(race) for race in races])
    before = parts.build()
    assert before is not None
    entries = list(races[0].entries)
    at = max(i for i, e in enumerate(entries) if e.position is not None and e.laps)
    laps = entries[at].laps
    assert laps
    entries[at] = entries[at].model_copy(update={"laps": laps - 1})
    races[0] = races[0].model_copy(update={"entries": tuple(entries)})
    parts.update([stored(races[0])], [])
    after = parts.build()
    assert after is not None  # patched: no other document read
    assert after.service.catalogue.race_index is before.service.catalogue.race_index
    assert_same(after, build_library([stored(race) for race in races]))


def test_a_new_spelling_of_a_team_is_one_identity_as_in_a_fresh_build() -> None:
    """A team renamed into a sponsor's spelling of a team another race has ("ADT " in front):
    the library is built afresh, so the spellings are one identity exactly as a fresh build
    makes them, said aloud the same way."""
    races = list(library())
    parts = LibraryParts()
    parts.replace_all([stored(race) for race in races])
    parts.build()
    known = {entry.team for race in races[1:] for entry in race.entries}
    mine = {entry.team for entry in races[0].entries}
    target = sorted(team for team in known - mine if len(team.split()) >= 2)[0]
    entries = list(races[0].entries)
    teams = [entry.team for entry in entries]
    at = max(i for i, team in enumerate(teams) if teams.count(team) > 1)  # its team stays
    entries[at] = entries[at].model_copy(update={"team": f"ADT {target}"})
    races[0] = races[0].model_copy(update={"entries": tuple(entries)})
    parts.update([stored(races[0])], [])
    after = built(parts, [stored(race) for race in races])
    fresh = build_library([stored(race) for race in races])
    assert also_by_key(fresh.service.catalogue)  # the fresh build makes them one
    assert_same(after, fresh)
    assert also_by_key(after.service.catalogue) == also_by_key(fresh.service.catalogue)


def new_race(
    base: Race, when: str, names: str, series: str | None, pick: int, number: int, title: str = ""
) -> Race:
    """A new race made of one of the library's: dated newest, oldest, or between two races (or
    undated), with its cars as they were, or with a new team or driver, or another's; in its
    own series or a new one; its title new, or the base race's (and its file name too)."""
    dates = sorted(race.date for race in library() if race.date)
    date = {
        "newest": dt.date(9000, 1, 1) + dt.timedelta(days=number),
        "oldest": dt.date(1901, 1, 1) + dt.timedelta(days=number),
        "middle": dates[len(dates) // 2] + dt.timedelta(days=1 + number),
        "same day": dates[len(dates) // 2],  # as another race (its own key: another series)
        "undated": None,
    }[when]
    retitled = f"{base.title} Added {number}" if not title else base.title
    series = series or base.series
    if when in ("same day", "undated"):  # its own key: another series
        series = f"Zenith {when.title()} Cup {number}"
    assert base.date is not None
    assert base.series is not None
    # The document says its date and series in its prose: said anew there.
    was = f" on {base.date:%B} {base.date.day}, {base.date.year}"
    held = f" on {date:%B} {date.day}, {date.year}" if date else ""
    prose = tuple(line.replace(was, held).replace(base.series, series or "") for line in base.prose)
    race = base.model_copy(
        update={
            "title": retitled,
            "date": date,
            "round": base.round if date else None,  # else its key would be the base race's
            "prose": prose,
            "source": base.source if title == "same file" else f"added-{number}.txt",
            "series": series,
        }
    )
    if names == "same":
        return race
    return edited(race, names, pick, pick * 7)


new_races = st.lists(
    st.tuples(
        st.integers(0, RACES - 1),
        st.sampled_from(["newest", "oldest", "middle", "same day", "undated"]),
        st.sampled_from(["same", "team", "crew", "number"]),
        st.sampled_from([None, "Zenith Endurance Cup"]),
        st.integers(0, 10_000),
        st.sampled_from(["", "same title", "same file"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=30, deadline=None)
@given(new_races, st.booleans(), st.sampled_from(["one at a time", "together", "with a change"]))
def test_a_library_with_new_races_answers_as_one_built_afresh(
    added: list[tuple[int, str, str, str | None, int, str]], restored: bool, taken: str
) -> None:
    """New races, one at a time or all taken in at once (with a change to another race or
    not), anywhere in the order (with names known or new, in a new series), then a change to
    one of the races: the library equals one built afresh."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = LibraryParts()
    parts.replace_all(documents)
    first = parts.build()
    if restored:  # read back from its snapshot: the packed lists are remapped when unpacked
        write = parts.snapshot()
        assert write is not None
        assert first is not None
        parts.restore(write())
    for number, (which, when, names, series, pick, title) in enumerate(added):
        race = new_race(races[which], when, names, series, pick, number, title)
        races.append(race)
        documents.append(stored(race))
        assert len({document.race_key for document in documents}) == len(documents)
        parts.update([documents[-1]], [])
        if taken == "one at a time":
            assert_same(built(parts, documents), build_library(documents))
    if taken == "with a change":
        documents[1] = stored(edited(races[1], "number", added[0][4], added[0][4]))
        parts.update([documents[1]], [])
    assert_same(built(parts, documents), build_library(documents))
    documents[0] = stored(edited(races[0], "team", added[0][4], added[0][4]))
    parts.update([documents[0]], [])
    assert_same(built(parts, documents), build_library(documents))


@pytest.mark.parametrize("when", ["newest", "oldest", "middle", "two at once"])
def test_a_new_race_of_known_names_is_patched_in(when: str) -> None:
    """A new race whose names the library knows (a copy of a race, retitled) is patched in,
    not built afresh, wherever it goes in the order, and answers as a fresh build; so are two
    taken in at once."""
    races = list(library())
    documents = [stored(race) for race in races]
    parts = LibraryParts()
    parts.replace_all(documents)
    parts.build()
    for number, at in enumerate(["newest", "middle"] if when == "two at once" else [when]):
        documents.append(stored(new_race(races[2 + number], at, "same", None, 0, number)))
    parts.update(documents[len(races) :], [])
    patched = parts.build()
    assert patched is not None
    assert not parts.afresh
    assert_same(patched, build_library(documents))
