"""`racebot status`: one line per fact, exit 0 when the library loads, 1 when not."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest

from bot.app.cli import main
from bot.app.status import StatusReport, gather_status, redacted_url
from bot.settings import load_settings
from tests.paths import RACES, SEED


def _one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


def test_status_prints_one_line_per_fact_and_exits_0(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Over the fixture races: version, store, races, refused, last reload, status; exit 0."""
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "version",
        "store",
        "races",
        "documents refused",
        "last reload",
        "status",
    ]
    data = (clean_env / "data").resolve()
    assert lines[1] == f"store: sqlite at {data / 'racebot.sqlite3'}"
    assert lines[2] == f"races: 1 loaded from {RACES}"
    assert lines[3] == "documents refused: 0"
    assert lines[5] == "status: ok"


def test_status_counts_refused_documents(clean_env: Path) -> None:
    """A bad document beside a good one: counted as refused; still healthy."""
    folder = clean_env / "races"
    folder.mkdir()
    shutil.copy(SEED, folder)
    (folder / "bad.txt").write_text("no heading", "utf-8")
    settings = load_settings().model_copy(update={"seeds_dir": folder})
    report = gather_status(settings)
    assert (report.races, report.refused, report.healthy) == (1, 1, True)
    assert report.last_reload is not None
    assert abs(report.last_reload - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_status_without_races_exits_1_with_one_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No race loads: the facts on stdout, one line why on stderr, exit 1."""
    assert main(["status", "--seeds", str(clean_env / "missing")]) == 1
    captured = capsys.readouterr()
    assert "status: not ok: no race document loaded from" in captured.out
    assert _one_line(captured.err) == (
        f"racebot: no race document loaded from {clean_env / 'missing'}\n"
    )


def test_status_with_a_store_that_cannot_be_opened_exits_1(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A settings database that is not a database: exit 1, one line naming the problem."""
    data = clean_env / "data"
    data.mkdir()
    (data / "racebot.sqlite3").write_bytes(b"this is not a database" * 100)
    assert main(["status"]) == 1
    err = _one_line(capsys.readouterr().err)
    assert err.startswith("racebot: cannot open the store (")


def test_status_with_a_data_folder_that_is_a_file_exits_1(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """RACEBOT_DATA_DIR naming a file: exit 1, one line."""
    (clean_env / "datafile").write_text("x", "utf-8")
    monkeypatch.setenv("RACEBOT_DATA_DIR", str(clean_env / "datafile"))
    assert main(["status"]) == 1
    assert "is not a folder" in _one_line(capsys.readouterr().err)


def test_status_is_fast_when_warm(clean_env: Path) -> None:
    """A warm status (caches made by the first) gathers its facts well within a second."""
    settings = load_settings()
    gather_status(settings)
    started = time.perf_counter()
    report = gather_status(settings)
    assert time.perf_counter() - started < 1.0
    assert report.healthy


def test_a_database_url_is_shown_without_secrets() -> None:
    """User, password and query never appear in the store's location."""
    url = "postgresql+asyncpg://racebot:s3cret@db.example:5433/racebot?sslpassword=hush"
    shown = redacted_url(url)
    assert shown == "db.example:5433/racebot"
    assert "s3cret" not in shown
    assert "hush" not in shown


def test_a_report_without_races_is_not_healthy() -> None:
    """Healthy means a store that opened and at least one race."""
    report = StatusReport("1", "sqlite", "x", Path("s"), races=0, refused=0, last_reload=None)
    assert not report.healthy
    assert report.lines()[-1] == "status: not ok: no race loaded"
    assert report.lines()[4] == "last reload: never"
