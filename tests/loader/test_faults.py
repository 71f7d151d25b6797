"""Faults of the store get one clear line and never lose a document: a damaged, newer, locked or
read-only SQLite file; PostgreSQL unreachable at start or lost while running; a crash (SIGKILL)
in the middle of an import."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bot.app.cli import main
from bot.loader import open_keeper, store_of
from bot.loader.guild_settings import GuildSettingsCache, SettingsUnavailable
from bot.settings import Settings
from bot.store import DATABASE_NAME, StoreUnavailable
from bot.store import sqlite as sqlite_engine
from tests.postgres_server import require_postgres, throwaway_postgres

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "races" / "2003-grand-prix-of-sonoma.txt"


def _project(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeds folder with the seed under `root`, its store in `root/data`; the store's file."""
    seeds = root / "seeds"
    seeds.mkdir(exist_ok=True)
    shutil.copy(SEED, seeds)
    monkeypatch.setenv("RACEBOT_SEEDS_DIR", str(seeds))
    monkeypatch.setenv("RACEBOT_DATA_DIR", str(root / "data"))
    return root / "data" / DATABASE_NAME


def _one_line(err: str) -> str:
    """The one line a command printed to stderr."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_a_damaged_sqlite_file_is_named_with_what_to_do(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a database: exit 1, one line naming the file and the way out; the file is kept."""
    path = _project(clean_env, monkeypatch)
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    assert main(["ask", "/races"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line == (
        f"racebot: {path} is damaged or not a racebot database; restore it from a backup "
        "(README: Backup and restore) or move it away to start afresh"
    )
    assert path.read_bytes().startswith(b"this is not a database")


def test_a_sqlite_file_from_a_newer_racebot_is_refused(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema this release does not know: exit 1, one line, nothing changed."""
    path = _project(clean_env, monkeypatch)
    assert main(["ask", "/races"]) == 0
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    capsys.readouterr()
    assert main(["ask", "/races"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert f"racebot: {path} was written by a newer racebot (schema 99" in line
    assert line.endswith("upgrade racebot")


def test_a_locked_sqlite_file_is_named(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holding the write lock: exit 1 after a short wait, one line."""
    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_S", 0.2)
    path = _project(clean_env, monkeypatch)
    assert main(["ask", "/races"]) == 0
    capsys.readouterr()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["ask", "/races"]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = _one_line(capsys.readouterr().err)
    assert line == f"racebot: {path} is locked by another program; stop it, or wait and retry"


def test_a_read_only_sqlite_file_is_named(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the bot may not write: exit 1, one line saying to check its permissions.

    Run as an unprivileged user when the tests run as root (root may write anything): the
    same interpreter, given the virtual environment's packages, in a folder anyone may read."""
    folder = Path(tempfile.mkdtemp(prefix="racebot-ro-"))
    try:
        folder.chmod(0o755)
        path = _project(folder, monkeypatch)
        os.chdir(folder)
        assert main(["ask", "/races"]) == 0
        os.chdir(clean_env)
        for target in (path.parent, *path.parent.iterdir()):
            target.chmod(0o555 if target.is_dir() else 0o444)
        site = next(Path(p) for p in sys.path if p.endswith("site-packages"))
        probe = (
            f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(site)!r}]; "
            "from bot.app.cli import main; sys.exit(main(['ask', '/races']))"
        )
        command = [sys.executable, "-c", probe]
        if os.geteuid() == 0:
            python = _readable_python()
            if python is None:  # no interpreter nobody may run: root's view, without root's rights
                probe = "import os; os.access = lambda *args, **kwargs: False; " + probe
                python = sys.executable
            else:
                command = ["runuser", "-u", "nobody", "--", python, "-c", probe]
            command[-1] = probe
        env = {**os.environ, "HOME": str(folder)}
        env.pop("RACEBOT_DATABASE_URL", None)
        done = subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 1, done.stderr
    line = _one_line(done.stderr)
    assert line == f"racebot: {path} cannot be written; check its permissions and its folder's"


def _readable_python() -> str | None:
    """An interpreter of this Python version that any user may run (the system's own: the
    virtual environment's may sit in root's home)."""
    wanted = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin"):
        candidate = Path(folder) / wanted
        if candidate.exists() and os.stat(candidate).st_mode & 0o001:
            return str(candidate)
    return None


def test_an_unreachable_postgres_is_one_line_without_the_password(
    clean_env: Path,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing listening: exit 1, one line naming host, port and database, never the password."""
    _project(clean_env, monkeypatch)
    with open(clean_env / ".env", "a", encoding="utf-8") as env:
        env.write("RACEBOT_DATABASE_URL=postgresql://bot:s3cret-pw@127.0.0.1:9/racebot\n")
    started = time.monotonic()
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert time.monotonic() - started < 30
    line = _one_line(err.strip().splitlines()[-1])
    assert line.startswith("racebot: cannot reach postgresql://bot@127.0.0.1:9/racebot (")
    assert "s3cret" not in err


def test_a_bot_on_an_unmigrated_postgres_says_to_migrate(
    clean_env: Path,
    capsys: pytest.CaptureFixture[str],
    fresh_postgres: str,
    restore_logging: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bot processes never migrate PostgreSQL: one line saying to run `racebot migrate`."""
    _project(clean_env, monkeypatch)
    with open(clean_env / ".env", "a", encoding="utf-8") as env:
        env.write(f"RACEBOT_DATABASE_URL={fresh_postgres}\n")
    assert main(["ask", "/races"]) == 1
    assert "run `racebot migrate` first" in _one_line(capsys.readouterr().err)
    assert main(["migrate"]) == 0
    capsys.readouterr()
    assert main(["ask", "/races"]) == 0


async def test_a_lost_postgres_is_survived_and_caught_up(
    clean_env: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server goes away: answers go on from memory, changes are refused as unavailable, the
    loss and the return are logged once each, and what changed meanwhile is caught up."""
    require_postgres()
    with throwaway_postgres() as server:
        _project(clean_env, monkeypatch)
        settings = Settings(
            RACEBOT_SEEDS_DIR=clean_env / "seeds",
            RACEBOT_DATA_DIR=clean_env / "data",
            RACEBOT_DATABASE_URL=server.url,
        )
        keeper = await open_keeper(settings, mirror=True, migrate=True)
        heard: list[str] = []

        async def listener(channel: str, payload: str) -> None:
            heard.append(channel)

        with caplog.at_level(logging.WARNING, logger="bot.store"):
            await keeper.store.listen(listener)
            settings_cache = GuildSettingsCache(keeper.store)
            server.stop()
            assert keeper.service.ask("result", query="Dyson").__class__.__name__ == (
                "ResultsAnswer"
            )
            with pytest.raises(SettingsUnavailable):
                await settings_cache.update(1, spoiler_days=3)
            with pytest.raises(StoreUnavailable):
                await keeper.store.revision()
            await asyncio.sleep(1.5)
            server.start()
            other = await open_keeper(settings, mirror=False, migrate=False)
            text = SEED.read_text("utf-8").replace("Dyson Racing", "Dyson Racing Team", 1)
            await other.import_document(text.encode(), "r.txt", by="1", replace=True)
            await other.close()
            for _ in range(100):
                if "reconnected" in caplog.text and heard:
                    break
                await asyncio.sleep(0.1)
        lost = [r for r in caplog.records if "reconnecting" in r.getMessage()]
        assert len(lost) == 1
        assert "reconnected" in caplog.text
        assert [c.action for c in await keeper.catch_up()] == ["replaced"]
        assert await settings_cache.update(1, spoiler_days=3)
        await keeper.close()


CHILD = """
import asyncio, sys, time
from pathlib import Path
from bot.loader import open_keeper
from bot.settings import Settings
from bot.store.store import Store

marker = Path(sys.argv[1])
settings = Settings()
original = Store._insert

async def insert_then_hang(self, connection, document, action, moment):
    change = await original(self, connection, document, action, moment)
    marker.write_text("inside the transaction")
    time.sleep(60)  # killed here, before the commit
    return change

Store._insert = insert_then_hang

async def go():
    keeper = await open_keeper(settings)
    data = Path(sys.argv[2]).read_bytes()
    await keeper.import_document(data, "new.txt", by="1", replace=True)

asyncio.run(go())
"""


def test_a_crash_in_the_middle_of_an_import_loses_nothing(
    store_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL inside the import's transaction: the earlier document and its history are as
    they were, and nothing half-written is left."""
    seeds = store_settings.seeds_dir
    shutil.copy(SEED, seeds)
    (tmp_path / "changed.txt").write_bytes(
        SEED.read_bytes().replace(b"Dyson Racing", b"Dyson Racing Team", 1)
    )

    async def before() -> tuple[list[str], int]:
        keeper = await open_keeper(store_settings, mirror=True, migrate=True)
        documents = [d.sha256 for d in await keeper.store.documents()]
        revision = await keeper.store.revision()
        await keeper.close()
        return documents, revision

    documents, revision = asyncio.run(before())
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RACEBOT_SEEDS_DIR": str(seeds),
        "RACEBOT_DATA_DIR": str(store_settings.data_dir),
    }
    if store_settings.database:
        env["RACEBOT_DATABASE_URL"] = store_settings.database
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker), str(tmp_path / "changed.txt")], env=env
    )
    try:
        for _ in range(300):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the child never reached the transaction"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()

    async def after() -> None:
        store, _ = store_of(store_settings)
        await store.open()
        assert [d.sha256 for d in await store.documents()] == documents
        assert await store.history() == []
        assert await store.revision() == revision
        await store.close()

    asyncio.run(after())
