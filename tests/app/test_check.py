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


def test_a_second_document_of_a_race_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same race under another title and file: the first (by name) loads, the second is
    refused with its heading line and the race it repeats, and the check exits 1."""
    shutil.copy(SEED, tmp_path / "a.txt")
    text = SEED.read_text(encoding="utf-8").replace("= 2003 Grand Prix of Sonoma =", "= Sonoma =")
    (tmp_path / "b.txt").write_text("\n" + text, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'a.txt'}: ok: 2003 Grand Prix of Sonoma")
    assert lines[1] == (
        f"{tmp_path / 'b.txt'}:2: is the same race as {tmp_path / 'a.txt'}"
        " ('2003 Grand Prix of Sonoma', American Le Mans Series, 2003-07-27):"
        " the same series and date; keep one document per race"
    )


def test_one_title_in_two_years_is_two_races(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two documents of one title but different dates are two races: both load, exit 0."""
    shutil.copy(SEED, tmp_path / "a.txt")
    text = SEED.read_text(encoding="utf-8").replace("July 27, 2003", "July 25, 2004")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok: 2003 Grand Prix of Sonoma") == 2


def test_impossible_documents_are_refused_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """More laps than the winner, an invisible team: refused with file and line, exit 1."""
    seed = SEED.read_text(encoding="utf-8")
    laps = tmp_path / "laps.txt"
    laps.write_text(seed.replace("| 91 |", "| 9000 |", 1), encoding="utf-8")
    team = tmp_path / "team.txt"
    team.write_text(seed.replace("| Prodrive |", "| \u200b |", 1), encoding="utf-8")
    assert main(["check", str(laps), str(team)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{laps}:48: 9000 laps, more than the winner's 102: no car can cover more",
        f"{team}:30: the team cell has only invisible characters",
    ]


def test_warnings_are_printed_and_still_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unlikely document prints `file:line: warning: ...`, then its summary; exit 0."""
    seed = SEED.read_text(encoding="utf-8")
    odd = tmp_path / "odd.txt"
    # Tenth (line 30) with 99 laps behind the ninth's 97: unlikely, not impossible.
    odd.write_text(seed.replace("Maranello | | 96 |", "Maranello | | 99 |"), encoding="utf-8")
    assert main(["check", str(odd)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"{odd}:30: warning: 99 laps, more than the 97 of the car classified ahead of it"
    )
    assert lines[1].startswith(f"{odd}: ok: 2003 Grand Prix of Sonoma")


def test_a_file_named_twice_is_checked_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same file given twice, and inside its folder: one summary, no duplicate of itself."""
    shutil.copy(SEED, tmp_path / "a.txt")
    assert main(["check", str(tmp_path / "a.txt"), str(tmp_path), str(tmp_path / "a.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{tmp_path / 'a.txt'}: ok: 2003 Grand Prix of Sonoma")


IDENTITY_DOCUMENTS = Path(__file__).parents[1] / "core" / "library" / "identity_documents"


def _identity_folder(tmp_path: Path) -> Path:
    """A copy of the identity documents' three races (not the second document of one)."""
    for document in IDENTITY_DOCUMENTS.glob("20*.txt"):
        shutil.copy(document, tmp_path / document.name)
    return tmp_path


def test_likely_duplicates_and_merges_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names taken as one are noted, look-alikes left apart listed for the aliases file; exit 0."""
    folder = _identity_folder(tmp_path)
    assert main(["check", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        "note: team 'Champion Racing' is also 'ADT Champion Racing' "
        "(a sponsor ('ADT' in front of 'Champion Racing'))"
    ) in lines
    assert (
        "likely duplicate: team 'Dyson Racing Team' and 'Dyson Racing' (the same name but for "
        "words like Racing or Team); settle it in aliases.toml with [[same]] or [[different]]"
    ) in lines


def test_aliases_file_errors_are_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown name and a pair both same and different are refused with file:line; exit 1."""
    folder = _identity_folder(tmp_path)
    aliases = folder / "aliases.toml"
    aliases.write_text(
        '[[same]]\nteams = ["Dyson Racing", "Dyson Racing Team"]\n\n'
        '[[different]]\ndrivers = ["David Brabham", "D. Brabham", "Ayrton Nobody"]\n\n'
        '[[same]]\ndrivers = ["David Brabham", "D. Brabham"]\n',
        encoding="utf-8",
    )
    assert main(["check", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{aliases}:5: no driver 'Ayrton Nobody' in any loaded race" in lines
    assert (
        f"{aliases}:8: 'D. Brabham' is declared both the same as 'David Brabham' and different"
    ) in lines
    assert not any(line.startswith("likely duplicate: driver") for line in lines)


def test_a_malformed_aliases_file_is_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An aliases file that is not TOML is one line naming file and line, and exit 1."""
    folder = _identity_folder(tmp_path)
    (folder / "aliases.toml").write_text('[[same]]\nteams = ["A" "B"]\n', encoding="utf-8")
    assert main(["check", str(folder)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{folder / 'aliases.toml'}:2: not TOML: ")
