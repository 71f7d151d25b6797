"""The library snapshot: a library read back from it holds and answers exactly what one built
afresh from the same documents does; a damaged, foreign or stale snapshot never makes an answer
wrong (it is refused and the library built, or the changes since it are taken in)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings

from bot.core.documents.seed_error import SeedError
from bot.core.documents.writing import write_race
from bot.core.library.identities import ALIASES_FILE, Grouping, Identities, Likely, read_aliases
from bot.core.library.packed import PackedList
from bot.core.matching import NameIndex
from bot.loader import library as library_module
from bot.loader import open_keeper
from bot.loader.keeper import ALIASES, Keeper
from bot.loader.library import BuiltLibrary, LibraryParts, build_library, snapshot_of
from bot.settings import Settings
from tests.loader.test_keeper import race
from tests.loader.test_patching import (
    assert_same,
    built,
    edited,
    edits,
    library,
    new_race,
    stored,
)


def written(parts: LibraryParts) -> bytes:
    """The parts' last library as snapshot bytes, its crew cuts sorted first (a snapshot keeps
    them in the order the cells were met, which depends on how the library was built)."""
    parts._cuts._cuts = dict(sorted(parts._cuts._cuts.items()))
    write = parts.snapshot()
    assert write is not None
    return write()


def fresh_parts() -> tuple[LibraryParts, BuiltLibrary]:
    """Parts that built the synthetic library from its documents."""
    parts = LibraryParts()
    parts.replace_all([stored(race) for race in library()])
    first = parts.build()
    assert first is not None
    return parts, first


def test_a_restored_library_holds_what_was_built() -> None:
    """Every part of the library built (races, order, summaries, records, each index, the crew
    facts) comes back equal: a part added to the build and not to the snapshot fails here."""
    parts, first = fresh_parts()
    restored_parts = LibraryParts()
    restored = restored_parts.restore(written(parts))
    assert_same(restored, first)
    mine, theirs = parts._built, restored_parts._built
    assert mine is not None
    assert theirs is not None
    for field in dataclasses.fields(mine):
        if field.name not in ("shelf", "index", "team_words"):  # these: below
            assert getattr(theirs, field.name) == getattr(mine, field.name), field.name
    assert vars(theirs.team_words) == vars(mine.team_words)
    for field in dataclasses.fields(mine.index):
        value, back = getattr(mine.index, field.name), getattr(theirs.index, field.name)
        if isinstance(value, NameIndex):  # a name index: everything it holds
            value, back = value.state(), back.state()
        if isinstance(back, PackedList):  # read back packed, each item as it is read
            back = list(back)
        assert back == value, field.name
    assert theirs.shelf.packed(0) == mine.shelf.packed(0)
    assert restored_parts._cuts.changes(mine.known, set()) == {}
    assert restored_parts._cuts._cuts == parts._cuts._cuts


@pytest.mark.parametrize("restored_first", [False, True])
def test_a_library_with_new_races_is_restored_as_it_was(restored_first: bool) -> None:
    """New races inserted (their lists rearranged, remapped when read, the car numbers' races
    moved when read) are written as they are read: the restored library equals the patched
    one, part by part, and one built afresh."""
    parts, _ = fresh_parts()
    if restored_first:  # the lists read back packed before the races are inserted
        restored_parts = LibraryParts()
        restored_parts.restore(written(parts))
        parts = restored_parts
    races = list(library())
    documents = [stored(race) for race in races]
    for number, when in enumerate(["newest", "middle", "oldest", "newest"]):
        documents.append(stored(new_race(races[number], when, "team", None, number, number)))
        parts.update([documents[-1]], [])
        assert built(parts, documents) is not None
        assert not parts.afresh  # patched in
    again = LibraryParts()
    restored = again.restore(written(parts))
    assert_same(restored, build_library(documents))
    mine, theirs = parts._built, again._built
    assert mine is not None
    assert theirs is not None
    for field in dataclasses.fields(mine.index):
        value, back = getattr(mine.index, field.name), getattr(theirs.index, field.name)
        if isinstance(value, NameIndex):
            value, back = value.state(), back.state()
        if isinstance(value, Mapping):
            value, back = dict(value), dict(back)
        if isinstance(value, Sequence) and not isinstance(value, str):  # lists made when read
            value, back = list(value), list(back)
        assert back == value, field.name


def test_a_restores_catch_up_settles_the_moves_it_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build after a restore (its catch-up at start) that inserts and takes out races
    unpacks the large postings their moves dropped back to packed (`catalogue.settle`), each as
    a question reading it later would (the library equals one built afresh, and one whose
    catch-up left them to its questions); a live change after leaves them to the questions."""
    monkeypatch.setattr(library_module, "_UNPACKED_FROM", 64)  # the synthetic names count
    parts, _ = fresh_parts()
    snapshot = written(parts)
    races = list(library())
    documents = [stored(race) for race in races]
    added = stored(new_race(races[0], "middle", "team", None, 0, 0))
    now = [added, *documents[:1], *documents[2:]]
    settled, lazy = LibraryParts(), LibraryParts()
    for each in (settled, lazy):
        each.restore(snapshot)
        each.update([added], [documents[1].race_key])
    lazy._settle = False  # as a live change leaves them
    settled_library, lazy_library = built(settled, now), built(lazy, now)
    assert settled._built is not None
    assert lazy._built is not None
    mine, theirs = settled._built.index.postings, lazy._built.index.postings
    assert isinstance(mine, PackedList)
    assert isinstance(theirs, PackedList)
    assert mine.moved
    assert theirs.moved
    sizes = [len(mine.packed(i)) for i in range(len(mine))]
    large = [i for i, size in enumerate(sizes) if size >= 64]
    assert large
    assert all(mine._read[i] is not None for i in large)
    assert not any(theirs._read[i] is not None for i in large)
    assert list(mine) == list(theirs)
    assert_same(settled_library, build_library(now))
    assert_same(lazy_library, build_library(now))
    later = stored(new_race(races[2], "middle", "team", None, 1, 1))
    settled.update([later], [])
    later_library = built(settled, [*now, later])
    assert settled._built is not None
    after = settled._built.index.postings
    assert isinstance(after, PackedList)
    # Left to the questions (but those the insert itself read, of the new race's names).
    assert sum(after._read[i] is not None for i in large) < len(large) // 2
    assert_same(later_library, build_library([*now, later]))


@settings(max_examples=10, deadline=None)
@given(edits)
def test_changes_after_a_restore_equal_a_fresh_build(
    changes: list[tuple[int, str, int, int]],
) -> None:
    """A restored library takes in changed documents (patched, or built afresh from every
    document) exactly as the library it was written from would."""
    parts, _ = fresh_parts()
    races = list(library())
    documents = {i: stored(race) for i, race in enumerate(races)}
    restored = LibraryParts()
    restored.restore(written(parts))
    for which, kind, car, pick in changes:
        races[which] = edited(races[which], kind, car, pick)
        old = documents[which]
        documents[which] = stored(races[which])
        removed = [old.race_key] if old.race_key != documents[which].race_key else []
        restored.update([documents[which]], removed)
        now = list(documents.values())
        assert_same(built(restored, now), build_library(now))


def test_a_damaged_snapshot_is_refused() -> None:
    """A byte changed anywhere, or bytes cut off, is refused, not read."""
    parts, _ = fresh_parts()
    data = written(parts)
    for at in (0, 3, 4, 12, len(data) // 3, len(data) // 2, len(data) - 1):
        damaged = bytearray(data)
        damaged[at] ^= 0x20
        with pytest.raises(ValueError, match="not a library snapshot"):
            LibraryParts().restore(bytes(damaged))
    for cut in (data[: len(data) // 2], data[:3], b""):
        with pytest.raises(ValueError, match="not a library snapshot"):
            LibraryParts().restore(cut)


def test_a_snapshot_naming_other_code_is_refused() -> None:
    """A snapshot whose checksum holds but which names something beyond the core's data to
    make is refused (the store is trusted as the code is, and still nothing else is called)."""
    import pickle

    foreign = pickle.dumps(Path("x"))
    with pytest.raises(pickle.UnpicklingError, match="not part of a library snapshot"):
        library_module._loads(foreign)


# The keeper on both engines


def seed(settings: Settings) -> None:
    """The synthetic races as seeds/ files."""
    for number, one in enumerate(library()):
        (settings.seeds_dir / f"race-{number}.txt").write_text(write_race(one), "utf-8")


def correct_a_result(settings: Settings, number: int) -> None:
    """seeds/ race `number` with its last placed car one lap down: a result corrected."""
    one = list(library())[number]
    entries = list(one.entries)
    at = max(i for i, e in enumerate(entries) if e.position is not None and e.laps)
    entries[at] = entries[at].model_copy(update={"laps": (entries[at].laps or 1) - 1})
    corrected = one.model_copy(update={"entries": tuple(entries)})
    (settings.seeds_dir / f"race-{number}.txt").write_text(write_race(corrected), "utf-8")


async def first_start(settings: Settings) -> Keeper:
    """A first start: seeds/ mirrored, the library built, its snapshot written."""
    seed(settings)
    keeper = await open_keeper(settings, mirror=True, migrate=True)
    await keeper.snapshot_written()
    return keeper


def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the libraries built afresh from here on."""
    count: list[int] = []
    build = LibraryParts._build

    def counted(self: LibraryParts) -> BuiltLibrary:
        count.append(1)
        return build(self)

    monkeypatch.setattr(LibraryParts, "_build", counted)
    return count


async def assert_as_built(keeper: Keeper) -> None:
    """The keeper's library is the one built afresh from the store's documents."""
    text = await keeper.store.fact(ALIASES) or ""
    aliases, _ = read_aliases(text, ALIASES_FILE)
    assert_same(keeper.built, build_library(await keeper.store.documents(), aliases))


async def test_a_warm_start_reads_the_snapshot(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start whose documents have not changed builds nothing and answers as a build does."""
    first = await first_start(store_settings)
    count = builds(monkeypatch)
    again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert count == []
    assert again.revision == first.revision
    await assert_as_built(again)
    for keeper in (first, again):
        await keeper.close()


async def test_a_damaged_snapshot_is_built_again_with_one_line(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged snapshot row is ignored with one log line, the library built and the snapshot
    written again."""
    first = await first_start(store_settings)
    kept = await first.store.snapshot(*version_and_aliases(""))
    assert kept is not None
    damaged = bytearray(kept.data)
    damaged[len(damaged) // 2] ^= 1
    row = dataclasses.replace(kept, data=bytes(damaged))
    assert await first.store.save_snapshot(row)
    count = builds(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="bot.loader.keeper"):
        again = await open_keeper(store_settings, mirror=False, migrate=False)
    assert count == [1]
    assert [r.getMessage() for r in caplog.records if "snapshot" in r.getMessage()] == [
        "the library snapshot is unusable (not a library snapshot (ValueError: its checksum "
        "does not match)); building the library again"
    ]
    await assert_as_built(again)
    await again.snapshot_written()
    assert await again.store.snapshot(*version_and_aliases("")) == kept  # written anew
    for keeper in (first, again):
        await keeper.close()


def version_and_aliases(aliases: str) -> tuple[str, str]:
    """What the store is asked for a snapshot by this code with this aliases file."""
    row = snapshot_of(0, aliases, b"")
    return row.version, row.aliases


async def test_another_version_or_aliases_file_builds_afresh(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot of another format (or code) or made with another aliases file is not read."""
    first = await first_start(store_settings)
    count = builds(monkeypatch)
    monkeypatch.setattr(library_module, "SNAPSHOT_FORMAT", library_module.SNAPSHOT_FORMAT + 1)
    other = await open_keeper(store_settings, mirror=False, migrate=False)
    assert count == [1]
    await other.snapshot_written()
    await other.close()
    monkeypatch.undo()
    count = builds(monkeypatch)
    (store_settings.seeds_dir / "aliases.toml").write_text(
        '[[same]]\nteams = ["Zenith Quartz Works", "Zenith Quartz"]\n', encoding="utf-8"
    )
    aliased = await open_keeper(store_settings, mirror=True, migrate=True)
    assert count == [1]
    await assert_as_built(aliased)
    for keeper in (first, aliased):
        await keeper.close()


async def test_changes_after_the_snapshot_are_taken_in(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start after documents changed reads the snapshot and takes in the changes since: a
    corrected result patched in (nothing built), a race added patched in too, and a race added
    and gone again since the snapshot left out (nothing of it to patch: nothing built)."""
    first = await first_start(store_settings)
    correct_a_result(store_settings, 1)
    await first.mirror_seeds()
    count = builds(monkeypatch)
    patched = await open_keeper(store_settings, mirror=False, migrate=False)
    assert count == []
    assert patched.revision == await patched.store.revision() > first.revision
    await assert_as_built(patched)
    await patched.close()
    (store_settings.seeds_dir / "again.txt").write_bytes(race("2006 Race", "May 1, 2006"))
    await first.mirror_seeds()
    count.clear()  # (`assert_as_built` built one)
    added = await open_keeper(store_settings, mirror=False, migrate=False)
    assert count == []
    assert added.built.races == len(library()) + 1
    await assert_as_built(added)
    await added.close()
    (store_settings.seeds_dir / "again.txt").unlink()
    await first.mirror_seeds()
    count.clear()
    again = await open_keeper(store_settings, mirror=False, migrate=False)
    assert count == []
    assert again.built.races == len(library())
    await assert_as_built(again)
    for keeper in (first, again):
        await keeper.close()


async def test_a_snapshot_ahead_of_the_store_is_not_read(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot of a revision the store has not reached (a store restored from an older
    backup) is not read."""
    first = await first_start(store_settings)
    kept = await first.store.snapshot(*version_and_aliases(""))
    assert kept is not None
    await first.store.forget_snapshot()
    assert await first.store.save_snapshot(dataclasses.replace(kept, revision=kept.revision + 5))
    count = builds(monkeypatch)
    again = await open_keeper(store_settings, mirror=False, migrate=False)
    assert count == [1]
    await assert_as_built(again)
    for keeper in (first, again):
        await keeper.close()


async def test_a_snapshot_waits_for_a_quiet_spell(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot writes the snapshot only once builds stop coming (one write for a burst of
    changes, none while a change is being answered); a one-off command writes it at once."""
    seed(store_settings)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert keeper._saving is not None
    assert not keeper._saving.done()
    assert await keeper.store.snapshot(*version_and_aliases("")) is None
    waiting = keeper._saving
    await keeper._load()  # another build: the waiting write gives way to its library
    await asyncio.wait({waiting})
    assert waiting.cancelled()
    await keeper.snapshot_written()
    kept = await keeper.store.snapshot(*version_and_aliases(""))
    assert kept is not None
    assert kept.revision == keeper.revision
    await keeper.close()


def test_the_snapshot_version_covers_the_code_that_builds_a_library() -> None:
    """New code for reading documents, deciding identities, indexing or matching names never
    reads a library an older version built: each module's text is part of the version."""
    from bot.loader import library as library_module

    names = {path.relative_to(library_module._CORE).as_posix() for path in _building_code()}
    assert {
        "documents/parsing.py",
        "documents/records.py",
        "library/identities.py",
        "library/catalogue.py",
        "library/races.py",
        "matching.py",
    } <= names
    assert not any(name.startswith("asking/") for name in names)


def _building_code() -> list[Path]:
    from bot.loader import library as library_module

    return [
        path for path in library_module._BUILDING_CODE if path.is_relative_to(library_module._CORE)
    ]


async def test_a_change_committed_while_catching_up_is_caught_up_next(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change another process commits after the changes were read, but before the store's
    revision is, is not counted as taken in: the next catch-up reads it, and a snapshot written
    meanwhile does not claim it (a warm start from it answers as a fresh build)."""
    first = await first_start(store_settings)
    second = await open_keeper(store_settings, mirror=False, migrate=False)
    correct_a_result(store_settings, 1)
    await first.mirror_seeds()
    read_revision = second.store.revision
    committed: list[int] = []

    async def revision_after_another_commit() -> int:
        if not committed:  # the other process commits between the two reads
            correct_a_result(store_settings, 2)
            committed.extend(change.revision for change in (await first.mirror_seeds()).changes)
        return await read_revision()

    monkeypatch.setattr(second.store, "revision", revision_after_another_commit)
    keepers = [first, second]
    try:  # closed even when an assertion fails (PostgreSQL's test database is dropped after)
        await second.catch_up()
        assert second.revision < committed[0]
        second._write_snapshot(second.revision, await second.store.fact(ALIASES) or "")
        await second.snapshot_written()
        assert [change.revision for change in await second.catch_up()] == committed
        await assert_as_built(second)
        keepers.append(await open_keeper(store_settings, mirror=False, migrate=False))
        await assert_as_built(keepers[-1])
    finally:
        for keeper in keepers:
            await keeper.close()


def test_a_snapshot_makes_only_its_own_classes() -> None:
    """Identities with groupings, look-alikes and errors come back as they went; a row naming
    anything else (a function to call) is refused, and the library is built instead."""
    identities = Identities(
        roots={("team", "dyson"): "dyson racing"},
        displays={("team", "dyson racing"): "Dyson Racing"},
        others={("team", "dyson racing"): ("Dyson",)},
        groupings=(Grouping("team", "Dyson Racing", ("Dyson",), "a sponsor"),),
        likely=(Likely("team", "Dyson Racing", "Dyson Team", "words like Racing"),),
        errors=(SeedError("aliases.toml", 3, "names a team no document has"),),
    )
    again = library_module._loads(library_module._dumps(identities))
    assert again == dataclasses.replace(identities, errors=again.errors)
    assert [str(error) for error in again.errors] == [str(error) for error in identities.errors]
    hostile = pickle.dumps(Hostile())
    with pytest.raises(pickle.UnpicklingError, match=r"builtins\.print is not part"):
        library_module._loads(hostile)
    with pytest.raises(ValueError, match="not a library snapshot"):
        LibraryParts().restore(b"\0\0\0\0" + hostile)


class Hostile:
    """A pickle that would call a function when loaded."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("loaded",))
