"""`racebot import FILE [--replace] [--seeds DIR]` and `racebot remove RACE`: what /import and
/remove do, from a shell, into the store."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.app.cli import main
from bot.loader import store_of
from bot.loader.keeper import MAX_IMPORT_BYTES
from bot.settings import Settings
from bot.store.records import HistoryEntry, StoredDocument

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "races" / "2003-grand-prix-of-sonoma.txt"


def _stored(seeds: Path) -> tuple[list[StoredDocument], list[HistoryEntry]]:
    """The documents and history of the store `--seeds seeds` uses."""

    async def read() -> tuple[list[StoredDocument], list[HistoryEntry]]:
        store, _ = store_of(Settings(), seeds)
        await store.open()
        try:
            return await store.documents(), await store.history()
        finally:
            await store.close()

    return asyncio.run(read())


def test_import_adds_refuses_then_replaces(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Added (exit 0), refused as already stored (exit 1), replaced with --replace (exit 0)."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 0
    assert "added: 2003 Grand Prix of Sonoma" in capsys.readouterr().out
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 1
    refusal = capsys.readouterr().err
    assert f"to replace it: racebot import {SEED} --replace" in refusal  # the CLI's own words
    assert "replace:true" not in refusal
    assert "kept in the store's history" in refusal
    assert main(["import", str(SEED), "--seeds", str(seeds), "--replace"]) == 0
    assert "is kept in its history" in capsys.readouterr().out
    documents, history = _stored(seeds)
    assert [(d.origin, d.source, d.added_by) for d in documents] == [
        ("import", SEED.name, "command line")
    ]
    assert [(h.ended_how, h.body) for h in history] == [("replaced", SEED.read_bytes())]
    assert list(seeds.iterdir()) == []  # the store holds imports, not the seeds folder


def test_remove_takes_an_imported_race_out_and_keeps_its_document(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot remove` by title: gone from the library, its bytes kept in the history."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 0
    assert main(["remove", "Sonoma Grand Prix 2003", "--seeds", str(seeds)]) == 1
    assert "type its title as it is" in capsys.readouterr().err  # never removed on a guess
    assert main(["remove", "2003 Grand Prix of Sonoma", "--seeds", str(seeds)]) == 0
    assert "removed: 2003 Grand Prix of Sonoma" in capsys.readouterr().out
    documents, history = _stored(seeds)
    assert documents == []
    assert [(h.ended_how, h.ended_by, h.body) for h in history] == [
        ("removed", "command line", SEED.read_bytes())
    ]


def test_a_race_from_the_seeds_folder_is_removed_there(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A seeds/ race is not removed from the store (the folder would bring it back)."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    (seeds / SEED.name).write_bytes(SEED.read_bytes())
    assert main(["remove", "2003 Grand Prix of Sonoma", "--seeds", str(seeds)]) == 1
    assert "delete that file instead" in capsys.readouterr().err
    assert len(_stored(seeds)[0]) == 1


def test_a_bad_document_is_reported_by_file_and_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed file: `FILE:line: message`, exit 1, nothing stored."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    bad = clean_env / "bad.txt"
    bad.write_bytes(SEED.read_bytes().replace(b"| 102 |", b"| many |", 1))
    assert main(["import", str(bad), "--seeds", str(seeds)]) == 1
    assert f"{bad}:" in capsys.readouterr().err
    assert _stored(seeds) == ([], [])


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "too big"])
def test_files_that_are_not_documents_are_refused_unread(
    clean_env: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A FIFO, a link to /dev/zero, a folder or an oversized file: refused at once, by name."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    odd = clean_env / "odd.txt"
    if kind == "fifo":
        os.mkfifo(odd)  # with no writer: reading it would block for ever
    elif kind == "device":
        odd.symlink_to("/dev/zero")  # reading it would never end
    elif kind == "folder":
        odd.mkdir()
    else:
        odd.write_bytes(SEED.read_bytes() + b"\n" * MAX_IMPORT_BYTES)
    assert main(["import", str(odd), "--seeds", str(seeds)]) == 1
    expected = "is over 1 MB" if kind == "too big" else "is not a regular file"
    assert f"{odd}: {expected}" in capsys.readouterr().err
    assert list(seeds.iterdir()) == []
