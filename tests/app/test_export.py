"""`racebot export`: the parsed library as JSON or CSV, bad documents on stderr."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.paths import RACES

SEEDS = RACES
SEED = SEEDS / "2003-grand-prix-of-sonoma.txt"


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["export", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_export_of_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON carries every race fact, every entry field and the statistics."""
    status, out, err = _export(capsys, "--seeds", str(SEEDS))
    assert (status, err) == (0, "")
    (race,) = json.loads(out)["races"]
    assert {k: race[k] for k in ("title", "series", "round", "date", "circuit", "location")} == {
        "title": "2003 Grand Prix of Sonoma",
        "series": "American Le Mans Series",
        "round": 3,
        "date": "2003-07-27",
        "circuit": "Infineon Raceway",
        "location": "California",
    }
    assert len(race["entries"]) == 36
    assert race["entries"][2] == {
        "position": 3,
        "status": "classified",
        "class": "LMP900",
        "number": "38",
        "team": "ADT Champion Racing",
        "drivers": ["Johnny Herbert", "JJ Lehto"],
        "chassis": "Audi R8",
        "engine": "Audi 3.6L Turbo V8",
        "tyre": None,
        "laps": 102,
        "class_position": 2,
        "laps_behind_leader": 0,
        "laps_behind_class_winner": 0,
        "reached_classified_distance": True,
        "line": 16,
    }
    assert race["entries"][-1]["position"] is None
    assert race["entries"][-1]["status"] == "dns"
    assert race["entries"][-1]["laps"] is None
    stats = race["statistics"]
    assert stats["pole"] == {
        "number": "16",
        "team": "Dyson Racing",
        "time": "1:23.085",
        "seconds": 83.085,
    }
    assert stats["fastest_lap"]["time"] == "1:24.229"
    assert (stats["distance_km"], stats["average_speed_kmh"]) == (415.307, 150.145)
    assert stats["lap_length_km"] == pytest.approx(4.0716, abs=1e-4)
    assert stats["duration_s"] == pytest.approx(9957.74, abs=0.01)
    assert race["source"] == "2003-grand-prix-of-sonoma.txt"


def test_csv_export(capsys: pytest.CaptureFixture[str]) -> None:
    """One row per car, drivers joined, DNS laps empty."""
    status, out, _ = _export(capsys, "--seeds", str(SEEDS), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert len(rows) == 36
    assert rows[33]["number"] == "03"
    assert rows[33]["drivers"] == "Joe Foster / Brad Nyberg / Rick Skelton"
    assert rows[33]["status"] == "dnf"
    assert (rows[35]["status"], rows[35]["laps"], rows[35]["position"]) == ("dns", "", "")
    assert rows[0]["race"] == "2003 Grand Prix of Sonoma"


def test_bad_documents_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad document is named on stderr and fails the export (exit 1); good races still print."""
    shutil.copy(SEED, tmp_path / "good.txt")
    bad = SEED.read_text(encoding="utf-8").replace("| 102 |", "| ninety-seven |", 1)
    (tmp_path / "bad.txt").write_text(bad, encoding="utf-8")
    status, out, err = _export(capsys, "--seeds", str(tmp_path))
    assert status == 1
    assert [r["source"] for r in json.loads(out)["races"]] == ["good.txt"]
    assert err == "racebot: skipped bad.txt:12: laps 'ninety-seven' is not a number\n"


def test_nothing_loaded_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With no good document at all the export says why and exits 1."""
    (tmp_path / "bad.txt").write_text("no heading", encoding="utf-8")
    status, out, err = _export(capsys, "--seeds", str(tmp_path))
    assert status == 1
    assert json.loads(out) == {"races": []}
    assert "bad.txt:1: the document must start with a '= Title =' heading" in err


def test_seeds_default_to_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --seeds the RACEBOT_SEEDS_DIR setting picks the folder."""
    shutil.copy(SEED, tmp_path / "only.txt")
    monkeypatch.setenv("RACEBOT_SEEDS_DIR", str(tmp_path))
    _, out, _ = _export(capsys)
    assert [r["source"] for r in json.loads(out)["races"]] == ["only.txt"]


def test_closed_pipe_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot export | head` stops with status 1 and no traceback when the reader goes away."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with capsys.disabled(), os.fdopen(write_end, "w") as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        assert main(["export", "--seeds", str(SEEDS)]) == 1


def test_a_bad_setting_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed value in the environment ends the export with one line and status 2."""
    monkeypatch.setenv("DISCORD_GUILD_ID", "abc")
    status, out, err = _export(capsys)
    assert (status, out) == (2, "")
    assert err == (
        "racebot: DISCORD_GUILD_ID is not valid (expected a server id, digits only). "
        "Fix it in .env or the environment.\n"
    )


def test_csv_cells_are_safe_to_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Formula starts get a leading quote, controls are gone, car numbers stay as written."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("| Dyson Racing | Butch", "| =HYPERLINK(1) | Butch", 1)
    text = text.replace("| Infineon Team Joest |", "| @SUM Team\x1b[31m\u202e |", 1)
    text = text.replace("| Audi R8 |", "| -Audi R8 |", 1)
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    status, out, err = _export(capsys, "--seeds", str(tmp_path), "--format", "csv")
    assert (status, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["team"] == "'=HYPERLINK(1)"
    assert rows[1]["team"] == "'@SUM Team[31m"
    assert rows[1]["chassis"] == "'-Audi R8"
    assert rows[33]["number"] == "03"
    assert "\x1b" not in out
    assert "\u202e" not in out


def test_each_skipped_document_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused document is one line on stderr, however the loader logs it."""
    (tmp_path / "bad.txt").write_text("no heading", encoding="utf-8")
    shutil.copy(SEED, tmp_path / "good.txt")
    _, _, err = _export(capsys, "--seeds", str(tmp_path))
    assert err.count("bad.txt") == 1
