"""A first start (an empty store): its parse in worker processes started early gives what a
parse in one process does, and the views decoded as the parse came in build exactly the
library that decoding the stored views builds."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from bot.core.cores import usable_cores
from bot.core.documents import records
from bot.core.documents.parsing import SeedError
from bot.core.documents.writing import write_race
from bot.loader import documents as documents_module
from bot.loader import open_keeper, start_parsers_early
from bot.loader.documents import (
    BATCH,
    EarlyParses,
    ReadDocument,
    SeedDocument,
    parse_seeds,
    sha256,
)
from bot.loader.keeper import Keeper
from bot.loader.library import LibraryParts
from bot.settings import Settings
from bot.store import DATABASE_NAME, StoredDocument
from tests.loader.test_patching import assert_same, library, stored
from tests.loader.test_snapshot import written


def seed_documents() -> list[SeedDocument]:
    """The synthetic races as seeds/ files, a refused one among them (more than two batches)."""
    documents = [
        SeedDocument(race.source, data, sha256(data))
        for race in library()
        for data in [write_race(race).encode()]
    ]
    documents.insert(len(documents) // 2, SeedDocument("broken.txt", b"no race", sha256(b"no")))
    while len(documents) <= 2 * BATCH:  # the same races again under other names: more batches
        documents += [doc._replace(source=f"x{len(documents)}-{doc.source}") for doc in documents]
    return documents


@pytest.mark.parametrize("early", [True, False])
def test_a_parse_in_workers_gives_what_one_process_does(
    early: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each outcome in its document's place, with the document's bytes (which the workers do
    not send back) and, from workers started early for a first start, its view decoded from
    the very bytes stored (workers of its own decode none: no first build follows)."""
    documents = seed_documents()
    alone = documents_module._parse_batch(documents)
    if early:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
            pooled = parse_seeds(documents, pool)
    else:
        monkeypatch.setattr(documents_module, "PARALLEL_FROM", 2)
        monkeypatch.setattr(documents_module, "usable_cores", lambda: 2)
        pooled = parse_seeds(documents)
    assert len(pooled) == len(alone) == len(documents)
    for document, mine, theirs in zip(documents, pooled, alone, strict=True):
        assert_same_outcome(document, mine, theirs, decoded=early)


def assert_same_outcome(
    document: SeedDocument,
    mine: ReadDocument | SeedError,
    theirs: ReadDocument | SeedError,
    *,
    decoded: bool,
) -> None:
    """A document's outcome from workers (`mine`) is its outcome in one process (`theirs`),
    with the document's bytes, and (`decoded`) its view decoded, with the shape its view's
    digest is (made beside it by the worker)."""
    if isinstance(theirs, SeedError):
        assert isinstance(mine, SeedError)
        assert str(mine) == str(theirs)
        return
    assert isinstance(mine, ReadDocument)
    assert mine.document == theirs.document
    assert mine.document.body == document.data
    assert (mine.summary, mine.title_line, mine.warnings) == (
        theirs.summary,
        theirs.title_line,
        theirs.warnings,
    )
    assert theirs.view is None
    if decoded:
        view = records.read_view(theirs.document.view)
        assert mine.view == view._replace(shape=records.shape(view.cars, view.known))
        assert mine.view.shape == mine.shape == theirs.shape
    else:
        assert mine.view is None


async def assert_built_from_store(keeper: Keeper) -> None:
    """The keeper's library is the one its store's documents build, snapshot byte for byte."""
    parts = LibraryParts()
    parts.aliases = keeper._parts.aliases
    parts.replace_all(await keeper.store.documents())
    fresh = parts.build()
    assert fresh is not None
    assert_same(keeper.built, fresh)
    assert written(keeper._parts) == written(parts)


def test_documents_sent_as_the_scan_reads_them_give_what_one_process_does() -> None:
    """Outcomes taken from batches sent while the scan read (the last one short) are the
    outcomes of the very documents given: one sent with other bytes than it now has is parsed
    again, one never sent is parsed then, and one sent but not given is not taken."""
    documents = seed_documents()
    changed = documents[3]._replace(data=documents[5].data, sha256=documents[5].sha256)
    given = [*documents[:3], changed, *documents[4:]]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        early = EarlyParses(pool)
        for document in documents[:-7]:  # the last few not sent
            early.read(document)
        early.read(SeedDocument("not-given.txt", documents[0].data, documents[0].sha256))
        early.send()
        pooled = parse_seeds(given, pool, early)
        early.drop()
    alone = documents_module._parse_batch(given)
    assert len(pooled) == len(alone) == len(given)
    for document, mine, theirs in zip(given, pooled, alone, strict=True):
        assert_same_outcome(document, mine, theirs, decoded=True)


def test_views_decoded_early_build_the_library_the_stored_views_do() -> None:
    """The same library, to the snapshot's last byte; a view decoded from other bytes than the
    stored ones (the store changed meanwhile) is not taken."""
    documents = [stored(race) for race in library()]
    plain = LibraryParts()
    plain.replace_all(documents)
    fresh = plain.build()
    early = LibraryParts()
    early.replace_all(
        documents, {d.race_key: (d.view, records.read_view(d.view)) for d in documents}
    )
    built_early = early.build()
    assert fresh is not None
    assert built_early is not None
    assert_same(built_early, fresh)
    assert written(early) == written(plain)
    # Each race given another race's view decoded, and that race's bytes: none is taken.
    others = documents[1:] + documents[:1]
    wrong = LibraryParts()
    wrong.replace_all(
        documents,
        {
            d.race_key: (o.view, records.read_view(o.view))
            for d, o in zip(documents, others, strict=True)
        },
    )
    built_wrong = wrong.build()
    assert built_wrong is not None
    assert_same(built_wrong, fresh)
    assert written(wrong) == written(plain)


async def test_a_first_start_with_early_workers_builds_what_the_store_holds(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first start whose parse (and crew cuts) ran in workers started beside opening the store
    builds the library a build from the stored documents makes; the workers are shut down
    after."""
    monkeypatch.setattr(documents_module, "PARALLEL_FROM", 2)
    started: list[ProcessPoolExecutor | None] = []
    start = documents_module.start_parsers

    def recorded(count: int) -> ProcessPoolExecutor | None:
        started.append(start(count))
        return started[-1]

    monkeypatch.setattr("bot.loader.start_parsers", recorded)
    cut_in_workers: list[int] = []
    cuts_started = documents_module.cuts_started

    def cutting(pool: ProcessPoolExecutor, views: list[records.View]) -> object:
        cut_in_workers.append(len(views))
        return cuts_started(pool, views)

    monkeypatch.setattr("bot.loader.keeper.cuts_started", cutting)
    for document in seed_documents()[: len(library()) + 1]:
        (store_settings.seeds_dir / document.source).write_bytes(document.data)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    try:
        assert keeper.parsers is None
        if usable_cores() >= 2:
            assert len(started) == 1
            assert started[0] is not None
            assert cut_in_workers == [len(library())]  # the crews cut there, beside the fill
        assert keeper._parts._cuts._coming is None  # taken by the build
        assert keeper.last_mirror is not None
        assert keeper.last_mirror.parsed == len(library()) + 1
        assert keeper.built.races == len(library())
        await assert_built_from_store(keeper)
    finally:
        await keeper.close()


@pytest.mark.parametrize("engine", ["sqlite"])  # early workers are for a SQLite store
async def test_workers_started_before_the_imports_parse_the_first_start(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers started for a store not made yet are the ones the first start parses with (the
    library as built from the stored documents); none are started for a store that exists, and
    those started for a store made meanwhile are shut down unused."""
    monkeypatch.setattr(documents_module, "usable_cores", lambda: 2)  # as on any machine
    monkeypatch.setattr(documents_module, "PARALLEL_FROM", 2)
    for document in seed_documents()[: len(library()) + 1]:  # a refused one among them
        (store_settings.seeds_dir / document.source).write_bytes(document.data)
    started: list[ProcessPoolExecutor | None] = []
    start = documents_module.start_parsers

    def recorded(count: int) -> ProcessPoolExecutor | None:
        started.append(start(count))
        return started[-1]

    monkeypatch.setattr("bot.loader.start_parsers", recorded)
    start_parsers_early(store_settings)
    assert len(started) == 1
    early = started[0]
    assert early is not None
    keeper = await open_keeper(store_settings)
    try:
        assert len(started) == 1  # no other started
        assert early._shutdown_thread  # shut down by the start that took them
        assert keeper.built.races == len(library())
        parts = LibraryParts()
        parts.replace_all(await keeper.store.documents())
        fresh = parts.build()
        assert fresh is not None
        assert_same(keeper.built, fresh)
    finally:
        await keeper.close()
    start_parsers_early(store_settings)  # the store exists: nothing started
    assert len(started) == 1
    (store_settings.data_dir / DATABASE_NAME).unlink()
    start_parsers_early(store_settings)  # for a store not made yet...
    assert len(started) == 2
    assert started[1] is not None
    keeper = await open_keeper(store_settings, mirror=False)  # ...but not mirrored
    try:
        assert started[1]._shutdown_thread
    finally:
        await keeper.close()


async def test_a_first_start_builds_from_the_documents_as_the_store_reads_them(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """The documents a first start's fill wrote, which its first load takes rather than reading
    them back, are those the store reads, field for field and in its order; once another
    process has changed the store, they are read from it."""
    for document in seed_documents()[: len(library()) + 1]:  # a refused one among them
        (store_settings.seeds_dir / document.source).write_bytes(document.data)
    taken: list[list[StoredDocument]] = []
    replace_all = LibraryParts.replace_all

    def recorded(parts: LibraryParts, documents: list[StoredDocument], *args: object) -> None:
        taken.append(list(documents))
        replace_all(parts, documents, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(LibraryParts, "replace_all", recorded)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    try:
        [documents] = taken
        assert len(documents) == len(library())
        assert documents == await keeper.store.documents()
    finally:
        await keeper.close()
    # Another process's change between the fill and the first load: read from the store.
    if store_settings.database is None:  # the store made afresh
        (store_settings.data_dir / DATABASE_NAME).unlink(missing_ok=True)
    else:  # a new, empty database on the same server
        store_settings = Settings(
            RACEBOT_DATA_DIR=store_settings.data_dir,
            RACEBOT_SEEDS_DIR=store_settings.seeds_dir,
            RACEBOT_DATABASE_URL=request.getfixturevalue("fresh_postgres"),
        )
    taken.clear()
    other = seed_documents()[0]
    load = Keeper.load

    async def changed_first(keeper: Keeper) -> object:
        await keeper.store.remove(documents[0].race_key, by="another process")
        return await load(keeper)

    monkeypatch.setattr(Keeper, "load", changed_first)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    try:
        [documents] = taken
        assert other.source not in {document.source for document in documents}
        assert documents == await keeper.store.documents()
    finally:
        await keeper.close()
