"""The store on both engines: migrations, documents and their history, settings, announcements."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.loader import store_of
from bot.loader.documents import new_document
from bot.settings import Settings
from bot.store import (
    DocumentExists,
    NewDocument,
    SchemaNotCurrent,
    SchemaTooNew,
    SeedProblem,
    Store,
)
from bot.store.engine import CHANGES_CHANNEL, latest_schema
from bot.store.records import GuildSettings

FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "races" / "2003-grand-prix-of-sonoma.txt"
)
SEED = FIXTURE.read_bytes()
MOMENT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def seeded(source: str = "sonoma.txt", data: bytes = SEED) -> NewDocument:
    """A seeds/ document as the loader stores it."""
    return new_document(data, source, "seeds")[0]


def imported(data: bytes = SEED, by: str = "42") -> NewDocument:
    """An imported document as the loader stores it."""
    return new_document(data, "race.txt", "import", added_by=by)[0]


def renamed(title: str, date: str = "July 27, 2003") -> bytes:
    """The seed under another title and date: another race."""
    text = SEED.decode("utf-8").replace("= 2003 Grand Prix of Sonoma =", f"= {title} =", 1)
    return text.replace("July 27, 2003", date, 1).encode("utf-8")


async def test_a_new_store_has_every_migration(store: Store, store_settings: Settings) -> None:
    """Opened once, the schema is the latest; opened again, nothing is applied twice."""
    assert await store.schema_version() == latest_schema(store.engine.name) >= 3
    again, _ = store_of(store_settings)
    await again.open()
    assert await again.schema_version() == latest_schema(store.engine.name)
    await again.close()


async def test_a_store_not_migrated_is_refused_without_migrating(
    store_settings: Settings,
) -> None:
    """A process that must not migrate (a bot on PostgreSQL) says to run `racebot migrate`."""
    store, _ = store_of(store_settings)
    with pytest.raises(SchemaNotCurrent, match="racebot migrate"):
        await store.open(migrate=False)
    assert not store.is_open


async def test_a_store_from_a_newer_racebot_is_refused(
    store: Store, store_settings: Settings
) -> None:
    """A schema newer than this release knows: refused with the store named, nothing changed."""
    async with store.engine.transaction() as connection:
        await store.engine.schema_version(connection)
        await store.engine.set_schema_version(connection, 99)
    await store.close()
    newer, _ = store_of(store_settings)
    with pytest.raises(SchemaTooNew, match="upgrade racebot") as refused:
        await newer.open()
    assert newer.engine.location in str(refused.value)


async def test_a_race_is_refused_then_replaced_and_the_old_document_kept(store: Store) -> None:
    """The same race again: refused (naming what is stored), replaced on request, old kept."""
    first = await store.add(seeded(), now=MOMENT)
    assert (first.action, first.revision) == ("added", 1)
    changed = SEED.replace(b"Dyson Racing", b"Dyson Racing Team", 1)
    with pytest.raises(DocumentExists) as refused:
        await store.add(imported(changed))
    assert refused.value.existing.source == "sonoma.txt"
    replaced = await store.add(imported(changed), replace=True)
    assert (replaced.action, replaced.revision) == ("replaced", 2)
    [document] = await store.documents()
    assert (document.origin, document.added_by, document.revision) == ("import", "42", 2)
    assert await store.body(document.race_key) == changed
    [kept] = await store.history(document.race_key)
    assert (kept.body, kept.origin, kept.ended_how, kept.ended_by) == (
        SEED,
        "seeds",
        "replaced",
        "42",
    )
    assert kept.added_at == MOMENT


async def test_removing_keeps_the_document_and_numbers_the_change(store: Store) -> None:
    """A removal is a numbered change; the document's bytes stay in the history."""
    added = await store.add(imported())
    removed = await store.remove(added.race_key, by="7")
    assert removed is not None
    assert (removed.action, removed.revision) == ("removed", 2)
    assert await store.documents() == []
    assert await store.remove(added.race_key, by="7") is None
    [kept] = await store.history()
    assert (kept.body, kept.ended_how, kept.ended_by) == (SEED, "removed", "7")
    assert [c.action for c in await store.changes_since(0)] == ["added", "removed"]
    assert [c.revision for c in await store.changes_since(1)] == [2]
    assert await store.revision() == 2


async def test_seeds_known_to_the_caller_are_used_only_at_their_revision(store: Store) -> None:
    """Sources the caller read at the store's revision stand for the rows; at an older one
    (another process changed the store since) the rows are read: a wrong list changes nothing."""
    other = seeded("other.txt", renamed("2004 Grand Prix of Elsewhere", "July 25, 2004"))
    await store.sync_seeds([seeded(), other], [], ["sonoma.txt", "other.txt"])
    revision = await store.revision()
    stale = await store.sync_seeds([], [], ["sonoma.txt"], seeded=(revision - 1, []))
    assert [(c.action, c.title) for c in stale.changes] == [
        ("removed", "2004 Grand Prix of Elsewhere")
    ]
    current = await store.revision()
    known = await store.sync_seeds([], [], [], seeded=(current, ["sonoma.txt"]))
    assert [(c.action, c.title) for c in known.changes] == [
        ("removed", "2003 Grand Prix of Sonoma")
    ]
    assert await store.documents() == []


async def test_seeds_are_mirrored_in_one_step(store: Store) -> None:
    """New files are added, a changed file replaces its race, a gone file removes it (kept)."""
    other = seeded("other.txt", renamed("2004 Grand Prix of Elsewhere", "July 25, 2004"))
    sync = await store.sync_seeds([seeded(), other], [], ["sonoma.txt", "other.txt"])
    assert [c.action for c in sync.changes] == ["added", "added"]
    changed = seeded("sonoma.txt", SEED.replace(b"Dyson Racing", b"Dyson Racing Team", 1))
    sync = await store.sync_seeds([changed], [], ["sonoma.txt", "other.txt"])
    assert [(c.action, c.title) for c in sync.changes] == [
        ("replaced", "2003 Grand Prix of Sonoma")
    ]
    sync = await store.sync_seeds([], [], ["sonoma.txt"])
    assert [(c.action, c.title) for c in sync.changes] == [
        ("removed", "2004 Grand Prix of Elsewhere")
    ]
    assert [d.source for d in await store.documents()] == ["sonoma.txt"]
    assert [(h.source, h.ended_how) for h in await store.history()] == [
        ("sonoma.txt", "replaced"),
        ("other.txt", "removed"),
    ]


async def test_a_seeds_file_repeating_a_stored_race_is_refused(store: Store) -> None:
    """A second file of the same race is refused naming the first; an import is never replaced
    by seeds/."""
    await store.add(imported())
    sync = await store.sync_seeds([seeded("copy.txt")], [], ["copy.txt"])
    assert sync.changes == ()
    [problem] = sync.repeats
    assert problem.source == "copy.txt"
    assert "is the same race as an import (race.txt)" in problem.message
    assert [p.source for p in await store.seed_problems()] == ["copy.txt"]
    assert [(d.origin, d.source) for d in await store.documents()] == [("import", "race.txt")]


async def test_refused_files_are_remembered_until_fixed_or_gone(store: Store) -> None:
    """A refused file is listed with its hash (so unchanged it is not parsed again), and
    forgotten once it is fixed or removed."""
    bad = SeedProblem("bad.txt", "abc", 12, "laps 'ninety' is not a number")
    await store.sync_seeds([], [bad], ["bad.txt"])
    assert [(f.source, f.sha256, f.race_key) for f in await store.seed_files()] == [
        ("bad.txt", "abc", None)
    ]
    assert await store.seed_problems() == [bad]
    await store.sync_seeds([seeded("bad.txt")], [], ["bad.txt"])
    assert await store.seed_problems() == []
    await store.sync_seeds([], [bad], ["bad.txt"])  # broken again: its race leaves
    assert await store.documents() == []
    await store.sync_seeds([], [], [])
    assert await store.seed_problems() == []


async def test_settings_are_stored_read_and_forgotten(store: Store) -> None:
    """A server's settings round-trip; unknown servers read as the defaults; delete forgets."""
    assert await store.settings_of(5) == GuildSettings(5)
    wanted = GuildSettings(5, announce_channel=2**62, spoiler_days=30, answers="private")
    await store.save_settings(wanted)
    assert await store.settings_of(5) == wanted
    assert await store.all_settings() == [wanted]
    await store.save_settings(GuildSettings(5, announce_problem="the channel is gone"))
    assert (await store.settings_of(5)).announce_problem == "the channel is gone"
    await store.delete_settings(5)
    assert await store.all_settings() == []


async def test_an_announcement_is_claimed_once(store: Store) -> None:
    """The first claim of (server, change) wins; every later one, from any process, loses."""
    assert await store.claim_announcement(1, 7)
    assert not await store.claim_announcement(1, 7)
    assert await store.claim_announcement(2, 7)
    assert await store.announced(1) == {7}


async def test_facts_are_kept(store: Store) -> None:
    """A fact is None until set, then its latest value."""
    assert await store.fact("x") is None
    await store.set_fact("x", "1")
    await store.set_fact("x", "2")
    assert await store.fact("x") == "2"


async def test_stale_parses_are_found_and_replaced_in_place(store: Store) -> None:
    """Documents read by another parser version are listed with their bytes; a new parse
    replaces the stored one without a history entry."""
    document = seeded()
    await store.add(dataclasses.replace(document, parser="old"))
    [(key, source, body)] = await store.stale(document.parser)
    assert (source, body) == ("sonoma.txt", SEED)
    [change] = await store.reparsed([(key, document.parser, document.record, document.view)])
    assert change.action == "reparsed"
    assert await store.stale(document.parser) == []
    assert await store.history() == []


async def test_other_processes_hear_of_changes_and_facts(
    store: Store, store_settings: Settings
) -> None:
    """Another store on the same database (another process) hears a document change and a
    changed fact (the aliases file) within a second."""
    other, _ = store_of(store_settings)
    await other.open()
    heard: list[str] = []

    async def listener(channel: str, payload: str) -> None:
        heard.append(channel)

    await other.listen(listener)
    await asyncio.sleep(0.3)  # the SQLite engine's first look at the file
    for write in (store.add(seeded()), store.set_fact("aliases", "[[same]]")):
        heard.clear()
        await write
        for _ in range(40):
            if CHANGES_CHANNEL in heard:
                break
            await asyncio.sleep(0.025)
        assert CHANGES_CHANNEL in heard
    await other.close()


async def test_a_large_write_is_copied_out_of_the_log_after_its_commit(tmp_path: Path) -> None:
    """SQLite: a commit that makes the write-ahead log large does not copy it into the database
    file itself (the caller goes on at once); that copy follows on a connection of its own, and
    closing leaves no log: every fact is in the file, whoever reads it next."""
    from bot.store import store_for
    from bot.store.sqlite import CHECKPOINT_BYTES, SQLiteEngine

    path = tmp_path / "store.sqlite3"
    store = store_for(None, path)
    assert isinstance(store.engine, SQLiteEngine)
    await store.open()
    large = "x" * (CHECKPOINT_BYTES + 1)
    await store.set_fact("large", large)
    log = tmp_path / "store.sqlite3-wal"
    assert log.stat().st_size > CHECKPOINT_BYTES
    copying = store.engine._checkpoint
    assert copying is not None
    await copying
    assert path.stat().st_size > CHECKPOINT_BYTES  # copied into the file
    await store.set_fact("small", "1")  # the log is reused from its start: small again
    assert store.engine._checkpoint is copying  # nothing more to copy
    await store.close()
    assert not log.exists()
    again = store_for(None, path)
    await again.open()
    try:
        assert await again.fact("large") == large
        assert await again.fact("small") == "1"
    finally:
        await again.close()
