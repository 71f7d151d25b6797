"""`racebot import FILE [--replace] [--seeds DIR]`: the same import as /import."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.app.cli import main
from bot.core.importing import MAX_IMPORT_BYTES
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED


def test_import_adds_refuses_then_replaces(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Added (exit 0), refused as a duplicate (exit 1), replaced with --replace (exit 0)."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 0
    assert "added: 2003 Grand Prix of Sonoma" in capsys.readouterr().out
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 1
    refusal = capsys.readouterr().err
    assert f"to replace it: racebot import {SEED} --replace" in refusal  # the CLI's own words
    assert "replace:true" not in refusal
    assert "seeds/.history/" in refusal
    assert main(["import", str(SEED), "--seeds", str(seeds), "--replace"]) == 0
    assert "previous version kept" in capsys.readouterr().out
    assert len(list((seeds / ".history").iterdir())) == 1


def test_a_bad_document_is_reported_by_file_and_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed file: `FILE:line: message`, exit 1, nothing written."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    bad = clean_env / "bad.txt"
    bad.write_bytes(SEED.read_bytes().replace(b"| 102 |", b"| many |", 1))
    assert main(["import", str(bad), "--seeds", str(seeds)]) == 1
    assert f"{bad}:" in capsys.readouterr().err
    assert list(seeds.glob("*.txt")) == []


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


def test_an_imported_document_is_readable_by_others(clean_env: Path) -> None:
    """The new file is rw-r--r-- like the seeds, not owner-only, whoever runs the bot."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 0
    [written] = seeds.glob("*.txt")
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
