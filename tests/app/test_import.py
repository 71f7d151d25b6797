"""`racebot import FILE [--replace] [--seeds DIR]`: the same import as /import."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.cli import main

SEED = Path(__file__).resolve().parents[2] / "seeds" / "2003-grand-prix-of-sonoma.txt"


def test_import_adds_refuses_then_replaces(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Added (exit 0), refused as a duplicate (exit 1), replaced with --replace (exit 0)."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 0
    assert "added: 2003 Grand Prix of Sonoma" in capsys.readouterr().out
    assert main(["import", str(SEED), "--seeds", str(seeds)]) == 1
    assert "--replace" not in capsys.readouterr().err  # says replace:true, the shared wording
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
