"""`racebot check`: every problem as file:line: message, a summary for good documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED


def test_good_documents_are_summarised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder of good documents: one summary line each and exit 0."""
    shutil.copy(SEED, tmp_path / "a.txt")
    assert main(["check", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        f"{tmp_path / 'a.txt'}: ok: 2003 Grand Prix of Sonoma (2003-07-27), 36 cars, "
        "classes LMP675, LMP900, GTS, GT\n"
    )


def test_problems_are_file_line_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad files and missing paths are named with their line; any refusal exits 1."""
    good = tmp_path / "good.txt"
    shutil.copy(SEED, good)
    bad = tmp_path / "bad.txt"
    bad.write_text(
        SEED.read_text(encoding="utf-8").replace("| 102 |", "| ² |", 1), encoding="utf-8"
    )
    missing = tmp_path / "missing.txt"
    assert main(["check", str(bad), str(good), str(missing)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{bad}:12: laps '²' is not a number"
    assert lines[1].startswith(f"{good}: ok: 2003 Grand Prix of Sonoma")
    assert lines[2] == f"{missing}: cannot read the file (No such file or directory)"


def test_an_empty_folder_is_not_a_clean_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder with no *.txt (a wrong path, a wrong extension) says so and exits 1."""
    assert main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().out == f"{tmp_path}: no race documents (*.txt) in this folder\n"


def test_a_second_document_with_a_taken_title_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two documents of one title: the first (by name) loads, the second is refused by name."""
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(SEED, tmp_path / "b.txt")
    assert main(["check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'a.txt'}: ok: 2003 Grand Prix of Sonoma")
    assert lines[1] == (
        f"{tmp_path / 'b.txt'}: has the same title as {tmp_path / 'a.txt'}"
        " ('2003 Grand Prix of Sonoma'): rename one"
    )
