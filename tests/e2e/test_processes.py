"""Two `racebot run` processes, each running one shard of two, over one PostgreSQL store and the
local Discord stand-in: an import through one is answered by the other within a second, a
setting changed through one holds in the other, and the announcement reaches its channel once."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bench.standin import DiscordStandin, GatewaySession
from bot.app.cli import main
from tests.e2e.support import TOKEN, fresh_user, text_of

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "races" / "2003-grand-prix-of-sonoma.txt"
EDITOR = 7_200_000_000_000_000_001
CAN_ANNOUNCE = str(
    discord.Permissions(view_channel=True, send_messages=True, embed_links=True).value
)

# `racebot run` itself, with discord.py pointed at the stand-in (its port the first argument).
LAUNCHER = """
import sys
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
port = int(sys.argv[1])
Route.BASE = f"http://127.0.0.1:{port}/api/v10"
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/gateway")
from bot.app.cli import main
sys.exit(main(["run"]))
"""


def document(title: str, date: dt.date) -> bytes:
    """The seed renamed and re-dated: a new race."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("= 2003 Grand Prix of Sonoma =", f"= {title} =", 1)
    text = text.replace("July 27, 2003", f"{date:%B} {date.day}, {date.year}", 1)
    return text.encode("utf-8")


@pytest.fixture
def shared(
    clean_env: Path, fresh_postgres: str, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> dict[str, str]:
    """One PostgreSQL store, migrated with a seeds folder, and the settings both processes share."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    env = {
        "DISCORD_TOKEN": TOKEN,
        "RACEBOT_DATABASE_URL": fresh_postgres,
        "RACEBOT_SEEDS_DIR": str(seeds),
        "RACEBOT_SHARD_COUNT": "2",
        "RACEBOT_EDITOR_IDS": str(EDITOR),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DISCORD_TOKEN")  # migrate needs no token
    assert main(["migrate"]) == 0
    return env


@pytest_asyncio.fixture
async def standin(clean_env: Path) -> AsyncIterator[DiscordStandin]:
    """A stand-in whose guild lets the bot post."""
    async with DiscordStandin(token=TOKEN) as server:
        server.everyone_permissions = CAN_ANNOUNCE
        yield server


@pytest.fixture
def processes(
    standin: DiscordStandin, shared: dict[str, str], clean_env: Path
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two `racebot run` processes, shard 0 and shard 1, each with its own data folder."""
    started = []
    for shard in (0, 1):
        env = {
            **os.environ,
            **shared,
            "RACEBOT_SHARD_IDS": str(shard),
            "RACEBOT_DATA_DIR": str(clean_env / f"data-{shard}"),
            "DISCORD_GUILD_ID": str(standin.guild_id),
            "PYTHONPATH": str(ROOT),
        }
        log = open(clean_env / f"bot-{shard}.log", "wb")  # noqa: SIM115 - closed below
        started.append(
            subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(standin.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


async def _session(standin: DiscordStandin, shard: int, timeout: float = 60.0) -> GatewaySession:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session = standin.shard_session(shard)
        if session is not None and standin.commands.get(standin.guild_id):
            return session
        await asyncio.sleep(0.05)
    raise TimeoutError(f"shard {shard} never became ready")


async def _ask(
    standin: DiscordStandin,
    session: GatewaySession,
    name: str,
    options: dict[str, Any] | None = None,
    user: int | None = None,
) -> dict[str, Any]:
    """A command through one process; the data of its reply (the follow-up when deferred)."""
    iid = await standin.send_command(name, options, user_id=user or fresh_user(), session=session)
    body = await standin.wait_for_callback(iid, timeout=20.0)
    if body["type"] == 4:
        data: dict[str, Any] = body["data"]
        return data
    token = standin.interactions[iid].token
    request = await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith(f"/{token}"), timeout=20.0
    )
    followup: dict[str, Any] = request.body
    return followup


def _announcements(standin: DiscordStandin) -> list[dict[str, Any]]:
    return [
        r.body
        for r in standin.requests_matching("POST", rf"/channels/{standin.channel_id}/messages")
    ]


async def test_two_processes_share_imports_settings_and_announcements(
    standin: DiscordStandin, processes: list[subprocess.Popen[bytes]], clean_env: Path
) -> None:
    """Shards 0 and 1 in two processes over one store behave as one bot."""
    first, second = await _session(standin, 0), await _session(standin, 1)

    changed = await _ask(standin, first, "settings", {"announce_channel": standin.channel_id})
    assert f"<#{standin.channel_id}>" in changed["content"]
    changed_at = time.monotonic()
    while True:  # the same server, read in the other process
        shown = await _ask(standin, second, "settings")
        if f"<#{standin.channel_id}>" in shown["content"]:
            break
        assert time.monotonic() - changed_at < 1.0, "the other process did not have it in 1 s"
        await asyncio.sleep(0.05)

    title = "2004 Grand Prix of Twoprocess"
    attachment = standin.add_attachment("race.txt", document(title, dt.date(2004, 7, 25)))
    reply = await _ask(standin, first, "import", {"file": attachment}, user=EDITOR)
    assert reply["content"].startswith(f"Added: {title}")
    imported = time.monotonic()
    while True:
        races = text_of(await _ask(standin, second, "races"))
        if title in races:
            break
        assert time.monotonic() - imported < 1.0, "the other process did not have it in 1 s"
        await asyncio.sleep(0.05)

    deadline = time.monotonic() + 10
    while not _announcements(standin) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # time for a second (wrong) announcement to arrive
    [announced] = _announcements(standin)
    assert title in announced["content"]

    for process in processes:
        process.send_signal(signal.SIGTERM)
    for shard, process in enumerate(processes):
        assert process.wait(timeout=20) == 0, (clean_env / f"bot-{shard}.log").read_text()
