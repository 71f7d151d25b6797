"""Running it as a service: status, exit codes, help for every option, data folder, leftovers."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from bot.app.cli import build_parser, main
from bot.app.housekeeping import prepare_data_dir, remove_leftovers
from bot.app.status import StatusReport, describe_store, gather_status, redacted_url
from bot.discord.health import HealthServer
from bot.settings import PROJECT_DIR, default_data_dir, load_settings
from tests.paths import RACES, SEED

RACEBOT = Path(sys.executable).parent / "racebot"


def _one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


# --- racebot status ------------------------------------------------------------------------------


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


# --- The CLI: help for every option, exit codes ---------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_command_and_option_has_help() -> None:
    """`racebot COMMAND --help` explains every option and argument of every command."""
    parser = build_parser()
    commands = _subcommands(parser)
    assert {"status", "run", "start", "ask", "console", "export", "check", "import"} <= set(
        commands
    )
    undocumented = [
        f"{name} {action.dest}"
        for name, command in commands.items()
        for action in command._actions
        if not action.help
    ]
    assert undocumented == []
    [listing] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert all(choice.help for choice in listing._choices_actions)  # in `racebot --help`


def _racebot(
    *args: str, cwd: Path, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
        "RACEBOT_SEEDS_DIR": str(RACES),
        "RACEBOT_DATA_DIR": str(cwd / "data"),
        **(extra or {}),
    }
    return subprocess.run(
        [str(RACEBOT), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not RACEBOT.exists(), reason="the racebot script is not installed")
def test_installed_commands_exit_non_zero_with_one_line(tmp_path: Path) -> None:
    """As a service manager sees them: failures exit non-zero with one line, never the token."""
    secret = "pasted-client-secret-value"
    cases = [
        (("start",), {}, 2, "DISCORD_TOKEN is not set, and the input is not a terminal"),
        (("run",), {}, 2, "DISCORD_TOKEN is not set."),
        (("start",), {"DISCORD_TOKEN": secret}, 2, "does not look like a bot token"),
        (("run",), {"DISCORD_TOKEN": secret}, 2, "does not look like a bot token"),
    ]
    for args, extra, code, says in cases:
        result = _racebot(*args, cwd=tmp_path, extra=extra)
        assert result.returncode == code, (args, result.stderr)
        assert says in _one_line(result.stderr)
        assert secret not in result.stderr + result.stdout
        assert result.stdout == ""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bad.txt").write_text("no heading", "utf-8")
    shutil.copy(SEED, bad)
    exported = _racebot("export", "--seeds", str(bad), cwd=tmp_path)
    assert exported.returncode == 1
    assert "bad.txt:1:" in _one_line(exported.stderr)
    assert _racebot("status", cwd=tmp_path).returncode == 0


def test_check_and_import_of_a_bad_document_exit_1(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot check` and `racebot import` of a malformed document: exit 1."""
    bad = clean_env / "bad.txt"
    bad.write_text("no heading", "utf-8")
    (clean_env / "races").mkdir()
    assert main(["check", str(bad)]) == 1
    assert main(["import", str(bad), "--seeds", str(clean_env / "races")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_run_with_an_unusable_data_folder_is_one_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    bot_token: str,
) -> None:
    """RACEBOT_DATA_DIR naming a file: `racebot run` exits 2 before connecting, in one line."""
    (clean_env / "datafile").write_text("x", "utf-8")
    monkeypatch.setenv("RACEBOT_DATA_DIR", str(clean_env / "datafile"))
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    assert main(["run"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert err.startswith(f"racebot: the data folder {clean_env / 'datafile'} is a file")
    assert bot_token not in err


def test_run_serves_health_while_it_runs(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """With RACEBOT_HEALTH_PORT the runner starts the health server and closes it at the end."""
    started: list[int] = []
    closed: list[bool] = []
    real_start, real_close = HealthServer.start, HealthServer.close

    async def start(self: HealthServer) -> int:
        started.append(await real_start(self))
        return started[-1]

    async def close(self: HealthServer) -> None:
        closed.append(True)
        await real_close(self)

    monkeypatch.setattr(HealthServer, "start", start)
    monkeypatch.setattr(HealthServer, "close", close)
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    monkeypatch.setenv("RACEBOT_HEALTH_PORT", "0")
    assert main(["run"]) == 0
    assert len(started) == 1
    assert started[0] > 0
    assert closed == [True]


def test_run_with_a_health_port_in_use_is_one_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """A port another process holds: exit 2, one line naming it, and no login."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("DISCORD_TOKEN", bot_token)
        monkeypatch.setenv("RACEBOT_HEALTH_PORT", str(port))
        assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert f"racebot: cannot serve /healthz on 127.0.0.1:{port}" in err
    assert fake_login == []


# --- The data folder and leftovers -------------------------------------------------------------


def test_the_data_folder_is_data_in_a_checkout_else_the_user_data_folder(tmp_path: Path) -> None:
    """From a checkout: its absolute data/; installed as a package: the user data folder."""
    assert default_data_dir(PROJECT_DIR) == PROJECT_DIR / "data"
    assert default_data_dir(PROJECT_DIR).is_absolute()
    installed = default_data_dir(tmp_path)
    assert installed.name == "racebot"
    assert installed.is_absolute()
    assert installed.parent != tmp_path


def test_the_default_data_folder_is_not_the_working_directory(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from another folder, racebot does not make data/ there."""
    monkeypatch.delenv("RACEBOT_DATA_DIR")
    assert load_settings().data_dir == PROJECT_DIR / "data"
    assert load_settings().data_dir.parent != clean_env


def test_leftover_temporary_files_are_removed_at_start(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """Temporaries left by a SIGKILL go when `run` starts; documents and other files stay."""
    seeds = clean_env / "races"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    data = prepare_data_dir(clean_env / "data")
    leftovers = [
        seeds / ".2004-race.txt.abc123.tmp",
        data / ".library-x1y2z3",
        data / "settings.tmp",
    ]
    kept = [seeds / SEED.name, data / "library.bin.keep", seeds / "notes.tmp.txt"]
    for path in [*leftovers, *kept[1:]]:
        path.write_text("partial", "utf-8")
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    assert main(["run", "--seeds", str(seeds)]) == 0
    assert [path for path in leftovers if path.exists()] == []
    assert all(path.exists() for path in kept)


def test_remove_leftovers_skips_a_read_only_seeds_folder(tmp_path: Path) -> None:
    """Nothing to tidy, or a folder that does not exist: no error, nothing removed."""
    assert remove_leftovers(tmp_path / "none", tmp_path / "nothing") == []


@pytest.mark.parametrize("secret", [False, True])
def test_the_store_of_a_database_url_setting_is_described_without_secrets(secret: bool) -> None:
    """With RACEBOT_DATABASE_URL (plain or a SecretStr), status names engine, host and database."""
    url = "postgresql://racebot:pw@postgres:5432/racebot"
    value = SecretStr(url) if secret else url
    settings = SimpleNamespace(database_url=value, data_dir=Path("data"))
    engine, location = describe_store(settings)  # type: ignore[arg-type]
    assert (engine, location) == ("postgresql", "postgres:5432/racebot")
