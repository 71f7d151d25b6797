"""`racebot commands` and `racebot sync`: the slash commands as Discord receives them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app.cli import main
from bot.core.asking.query import QueryService
from bot.discord.client import RaceBot
from bot.settings import Settings
from cogs import EXTENSIONS
from tests.discord.support import COMMANDS, payload_problems, registered


async def _built_payload(query_service: QueryService) -> list[dict[str, Any]]:
    bot = RaceBot(Settings(), query_service, extensions=EXTENSIONS)
    await bot.load_cogs()
    payload = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    await bot.close()
    return payload


def test_commands_json_is_the_tree_payload(
    clean_env: Path,
    no_discord_http: None,
    query_service: QueryService,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`racebot commands --json` prints valid JSON equal to the real tree's payload."""
    assert main(["commands", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == asyncio.run(_built_payload(query_service))
    assert payload_problems(printed) == []


def test_commands_lists_usage_readably(
    clean_env: Path, no_discord_http: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --json: one block per command with its usage and description."""
    assert main(["commands"]) == 0
    out = capsys.readouterr().out
    assert "/result query [race]" in out
    assert "/class [class] [race]" in out
    assert "/races\n" in out


def test_sync_without_token_fails_cleanly(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot sync` without a token: one line, exit 2."""
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("racebot: DISCORD_TOKEN is not set.")
    assert err.count("\n") == 1


def test_sync_registers_and_reports(
    clean_env: Path,
    no_discord_http: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """`racebot sync --guild ID` logs in, registers the commands there and says how many."""
    guilds: list[int] = []

    async def bulk_upsert(
        http: object, application_id: int, guild_id: int, *, payload: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        guilds.append(guild_id)
        return [registered(command, index) for index, command in enumerate(payload, 1)]

    monkeypatch.setattr(discord.http.HTTPClient, "bulk_upsert_guild_commands", bulk_upsert)
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    monkeypatch.setenv("DISCORD_GUILD_ID", "999")  # the dev guild is not synced by `sync`
    assert main(["sync", "--guild", "123"]) == 0
    assert fake_login == [bot_token]
    assert guilds == [123]
    assert capsys.readouterr().out == f"Registered {len(COMMANDS)} commands in guild 123.\n"
