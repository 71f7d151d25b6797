"""A one-off answer on an empty store (`answer_first`): the library is built from the parse of
seeds/, the store filled after the answer with exactly those documents, and the snapshot kept
only when the store then holds just them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.core.documents.names import cuts_by_known_names
from bot.loader import documents as documents_module
from bot.loader import library as library_module
from bot.loader import open_keeper
from bot.loader.keeper import ALIASES
from bot.loader.library import LibraryParts, aliases_digest, snapshot_version
from bot.settings import Settings
from tests.loader.test_cold_start import assert_built_from_store, seed_documents
from tests.loader.test_patching import library

ALIASES_TEXT = '[[same]]\nteams = ["Dyson Racing", "Dyson Racing Team"]\n'


def write_seeds(settings: Settings) -> None:
    """The synthetic races as seeds/ files, a refused one among them, and an aliases file."""
    for document in seed_documents()[: len(library()) + 1]:
        (settings.seeds_dir / document.source).write_bytes(document.data)
    (settings.seeds_dir / "aliases.toml").write_text(ALIASES_TEXT, encoding="utf-8")


async def test_the_answer_comes_first_and_the_store_then_holds_what_it_was_built_from(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seeds(store_settings)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True, answer_first=True)
    try:
        # Answerable, with the refused file named, before the store holds anything.
        assert keeper.built.races == len(library())
        assert await keeper.store.revision() == 0
        assert await keeper.store.documents() == []
        assert [error.source for error in await keeper.problems()] == ["broken.txt"]
        report = keeper.last_mirror
        assert report is not None
        assert report.first_fill
        assert report.changes == ()
        assert report.parsed == len(library()) + 1
        await keeper.snapshot_written()
        # Filled after: every document, the refusal, the aliases, and the library's snapshot
        # at the store's revision.
        stored = await keeper.store.documents()
        assert len(stored) == len(library())
        assert await keeper.store.revision() == keeper.revision == len(library())
        assert [error.source for error in await keeper.problems()] == ["broken.txt"]
        assert await keeper.store.fact(ALIASES) == ALIASES_TEXT
        assert keeper.last_mirror is not None
        assert len(keeper.last_mirror.changes) == len(library())
        kept = await keeper.store.snapshot(snapshot_version(), aliases_digest(ALIASES_TEXT))
        assert kept is not None
        assert kept.revision == len(library())
        await assert_built_from_store(keeper)
    finally:
        await keeper.close()
    # The next start restores that snapshot: nothing is parsed or built.
    monkeypatch.setattr(LibraryParts, "_build", lambda parts: pytest.fail("built again"))
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    try:
        assert keeper.built.races == len(library())
        assert keeper.last_mirror is not None
        assert keeper.last_mirror.parsed == 0
    finally:
        await keeper.close()


async def test_no_snapshot_is_kept_when_another_process_changed_the_store_first(
    store_settings: Settings,
) -> None:
    write_seeds(store_settings)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True, answer_first=True)
    try:
        # Another process's import of another race (another year), before the fill.
        other = seed_documents()[0].data.replace(b"1990", b"2999")
        await keeper.import_document(other, "again.txt", by="someone")
        await keeper.snapshot_written()
        assert len(await keeper.store.documents()) == len(library()) + 1  # nothing lost
        assert await keeper.store.snapshot(snapshot_version(), aliases_digest(ALIASES_TEXT)) is None
        assert keeper.revision == 0  # the library is not the store's: the next start builds
    finally:
        await keeper.close()


@pytest.mark.parametrize("answer_first", [False, True])
async def test_the_crews_cut_in_the_workers_are_taken_with_an_aliases_file(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch, answer_first: bool
) -> None:
    """A first start whose folder has an aliases file takes the crew cuts its parse workers
    made (the early snapshot read found an empty store's aliases, not the file's: that must
    not drop them) and cuts no cell itself."""
    monkeypatch.setattr(documents_module, "usable_cores", lambda: 2)  # as on any machine
    monkeypatch.setattr(documents_module, "PARALLEL_FROM", 2)
    cut_here: list[int] = []

    def recorded(long: Sequence[str], known: frozenset[str]) -> dict[str, tuple[str, ...]]:
        cells = list(long)
        if cells:
            cut_here.append(len(cells))
        return cuts_by_known_names(cells, known)

    monkeypatch.setattr(library_module, "cuts_by_known_names", recorded)
    write_seeds(store_settings)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True, answer_first=answer_first)
    try:
        await keeper.snapshot_written()
        assert keeper.built.races == len(library())
        assert cut_here == []
        assert keeper._parts.aliases is not None
    finally:
        await keeper.close()


async def test_crews_cut_with_a_refused_document_s_names_are_cut_again(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers start cutting before the repeats are refused: cut with the names of a
    document then refused (a second file of a race, with a driver of its own), the cuts are
    not taken, and the library is the one its stored documents build."""
    monkeypatch.setattr(documents_module, "usable_cores", lambda: 2)  # as on any machine
    monkeypatch.setattr(documents_module, "PARALLEL_FROM", 2)
    write_seeds(store_settings)
    first = seed_documents()[0]
    repeat = first.data.replace(b"Shane Ib\xc3\xa1\xc3\xb1ez-Tak\xc3\xa1cs", b"Zed Nobody", 1)
    assert repeat != first.data
    (store_settings.seeds_dir / "zz-repeat.txt").write_bytes(repeat)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True, answer_first=True)
    try:
        await keeper.snapshot_written()
        assert "zz-repeat.txt" in {error.source for error in await keeper.problems()}
        await assert_built_from_store(keeper)
    finally:
        await keeper.close()
