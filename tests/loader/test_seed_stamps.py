"""The seed stamps kept in the store: a restart over an unchanged seeds/ folder reads no file and
no row of them, and anything that could make the stamps wrong makes them be ignored."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.core.documents import records
from bot.core.documents.parsing import read_file
from bot.loader import documents, open_keeper
from bot.loader.keeper import SEED_STAMPS, _stamps_fact, _stamps_read
from bot.settings import Settings
from bot.store import Store
from bot.store.records import SeedFile
from tests.loader.test_keeper import SEED, race


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test count as settled at once (else the clock's tick makes each be
    hashed again, as a file changed in the last two seconds is)."""
    monkeypatch.setattr(documents, "RACY_NS", 0)


class Reads:
    """Counts the seeds/ files read and the seed-file rows asked of the store."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        self.rows = 0
        seed_files = Store.seed_files

        def counted_read(path: Path) -> tuple[bytes, object]:
            self.files.append(path.name)
            return read_file(path)

        async def counted_rows(store: Store) -> list[SeedFile]:
            self.rows += 1
            return await seed_files(store)

        monkeypatch.setattr(documents, "read_file", counted_read)
        monkeypatch.setattr(Store, "seed_files", counted_rows)


def fill(settings: Settings) -> Path:
    seeds = settings.seeds_dir
    (seeds / "sonoma.txt").write_bytes(SEED)
    (seeds / "elsewhere.txt").write_bytes(race("2004 Grand Prix of Elsewhere", "July 25, 2004"))
    return seeds


async def test_a_restart_over_an_unchanged_folder_reads_no_file_and_no_row(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store_settings)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    titles = [summary.title for summary in first.service.library.summaries]
    await first.close()
    reads = Reads(monkeypatch)
    again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert (reads.files, reads.rows) == ([], 0)
    assert again.last_mirror is not None
    assert again.last_mirror.changes == ()
    assert [summary.title for summary in again.service.library.summaries] == titles
    await again.close()


async def test_a_file_changed_between_processes_is_read_again(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when its size stays the same: its change time moved."""
    seeds = fill(store_settings)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    await first.close()
    changed = SEED.replace(b"Dyson Racing", b"Dyson Rac1ng", 1)
    assert len(changed) == len(SEED)
    (seeds / "sonoma.txt").write_bytes(changed)
    reads = Reads(monkeypatch)
    again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert reads.files == ["sonoma.txt"]
    assert again.last_mirror is not None
    assert [change.action for change in again.last_mirror.changes] == ["replaced"]
    teams = {entry.team for r in again.service.library for entry in r.entries}
    assert "Dyson Rac1ng" in teams
    await again.close()


async def test_a_store_changed_since_reads_the_rows_again(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import by another process moved the revision: what the stamps say of the store's
    rows may be out of date, so the rows are read (the files' hashes still count)."""
    fill(store_settings)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    await first.import_document(race("2005 Imported", "May 1, 2005"), "x.txt", by="someone")
    await first.close()
    reads = Reads(monkeypatch)
    again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert (reads.files, reads.rows) == ([], 1)
    assert again.built.races == 3
    await again.close()


async def test_another_parser_reads_the_rows_and_parses_again(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new release's parser: the stored parses are stale, so the keeper looks for them."""
    fill(store_settings)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    await first.close()
    monkeypatch.setattr(records, "PARSER_VERSION", "another parser")
    reads = Reads(monkeypatch)
    again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert reads.rows == 1
    assert set(await stored_parsers(again.store)) == {"another parser"}
    await again.close()


async def stored_parsers(store: Store) -> list[str]:
    return [document.parser for document in await store.documents()]


async def test_damaged_stamps_are_ignored(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fill(store_settings)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    await first.store.set_fact(SEED_STAMPS, '{"format": 1, "folder": 3')
    await first.close()
    reads = Reads(monkeypatch)
    with caplog.at_level(logging.INFO):
        again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert sorted(reads.files) == ["elsewhere.txt", "sonoma.txt"]
    assert "ignoring the kept seed stamps" in caplog.text
    assert again.built.races == 2
    assert await again.store.fact(SEED_STAMPS) != '{"format": 1, "folder": 3'  # written anew
    await again.close()


def test_stamps_are_only_for_their_own_folder(tmp_path: Path) -> None:
    hashes: documents.KnownHashes = {"a.txt": ((10, 1, 2, 3), "ab" * 32)}
    files = (4, {"a.txt": SeedFile("a.txt", "ab" * 32, "race-a")})
    text = _stamps_fact(tmp_path / "seeds", hashes, files)
    assert _stamps_read(text, tmp_path / "seeds") == (4, hashes, files[1])
    assert _stamps_read(text, tmp_path / "other") is None
    without_rows = _stamps_fact(tmp_path / "seeds", hashes, None)
    assert _stamps_read(without_rows, tmp_path / "seeds") == (-1, hashes, None)
    for damaged in ("", "[]", "not json", '{"format": 2}', text.replace('"stamps"', '"x"')):
        assert _stamps_read(damaged, tmp_path / "seeds") is None
