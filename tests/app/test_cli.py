"""The `racebot` command line: help for every option, exit codes, `racebot run` as a service."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.cli import build_parser, main
from bot.discord.health import HealthServer
from tests.paths import RACES, SEED

RACEBOT = Path(sys.executable).parent / "racebot"


def _one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


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


def test_ask_on_an_empty_store_answers_then_stores(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first `racebot ask` prints its answer before it fills the store; the next one finds
    the documents stored. A store that cannot take them after the answer is one line and a
    non-zero exit, the answer given all the same."""
    from bot.store import Store
    from bot.store.engine import StoreError

    assert main(["ask", "/result Dyson"]) == 0
    assert "Dyson" in capsys.readouterr().out
    answered: list[str] = []
    sync_seeds = Store.sync_seeds

    async def recorded(store: Store, *args: object, **kwargs: object) -> object:
        answered.append(capsys.readouterr().out)  # printed before the store is filled
        return await sync_seeds(store, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "sync_seeds", recorded)
    other = clean_env / "other"
    shutil.copytree(RACES, other)
    assert main(["ask", "/result Dyson", "--seeds", str(other)]) == 0
    [printed] = answered
    assert "Dyson" in printed
    capsys.readouterr()
    assert main(["ask", "/result Dyson", "--seeds", str(other)]) == 0  # stored: nothing new
    assert answered == [printed]

    async def refused(store: Store, *args: object, **kwargs: object) -> object:
        raise StoreError("the store cannot be written")

    monkeypatch.setattr(Store, "sync_seeds", refused)
    third = clean_env / "third"
    shutil.copytree(RACES, third)
    assert main(["ask", "/result Dyson", "--seeds", str(third)]) != 0
    out, err = capsys.readouterr()
    assert "Dyson" in out
    assert "the store cannot be written" in _one_line(err)
