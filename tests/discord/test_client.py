"""The bot object: its command tree and payload, the library swap, its connections."""

from __future__ import annotations

import ast
import inspect
import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
import pytest

from bot.core.asking.query import QueryService
from bot.discord import client as client_module
from bot.discord.client import HTTP_CONNECTIONS, RaceBot, build_bot
from bot.settings import Settings
from bot.store import DATABASE_NAME
from cogs import EXTENSIONS
from tests.discord.support import COMMANDS, payload_problems, registered
from tests.paths import RACES

SEEDS = RACES
BOT = Path(__file__).resolve().parents[2] / "bot"

MakeInteraction = Callable[..., Any]

# --- The tree -----------------------------------------------------------------------------------


async def test_every_extension_loads(racebot: RaceBot) -> None:
    """Every extension in cogs.EXTENSIONS is loaded, and reloads cleanly."""
    assert set(racebot.extensions) == set(EXTENSIONS)
    for extension in EXTENSIONS:
        await racebot.reload_extension(extension)
    assert set(racebot.extensions) == set(EXTENSIONS)


async def test_every_command_is_in_the_tree(racebot: RaceBot) -> None:
    """The tree holds exactly the question and owner commands, all global slash commands."""
    names = {command.name for command in racebot.tree.get_commands()}
    assert names == COMMANDS


async def test_payload_is_within_discord_limits(racebot: RaceBot) -> None:
    """Names, descriptions, option counts and string lengths all fit Discord's rules."""
    assert payload_problems(racebot.command_payload()) == []


async def test_every_parameter_is_described(racebot: RaceBot) -> None:
    """No option falls back to discord.py's placeholder description."""
    for command in racebot.command_payload():
        for option in command.get("options", []):
            assert option["description"] != "…", (command["name"], option["name"])


async def test_name_options_autocomplete(racebot: RaceBot) -> None:
    """Every name option (query, class, driver, car, race) autocompletes."""
    payload = {command["name"]: command for command in racebot.command_payload()}
    for command, option_name in [
        ("result", "query"),
        ("result", "race"),
        ("class", "class"),
        ("driver", "name"),
        ("car", "number"),
        ("stats", "race"),
        ("race", "race"),
    ]:
        option = next(o for o in payload[command]["options"] if o["name"] == option_name)
        assert option.get("autocomplete") is True, (command, option_name)


async def test_owner_commands_are_hidden_from_members(racebot: RaceBot) -> None:
    """/reload and /sync default to Manage Server; the question commands to everyone."""
    payload = {command["name"]: command for command in racebot.command_payload()}
    manage_guild = discord.Permissions(manage_guild=True).value
    assert payload["reload"]["default_member_permissions"] == manage_guild
    assert payload["sync"]["default_member_permissions"] == manage_guild
    assert payload["result"]["default_member_permissions"] is None


async def test_payload_is_what_a_sync_sends(
    racebot: RaceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """command_payload() equals what CommandTree.sync posts for a global bulk overwrite."""
    sent: list[list[dict[str, Any]]] = []

    async def bulk_upsert(
        http: object, application_id: int, *, payload: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        sent.append(payload)
        return [registered(command, index) for index, command in enumerate(payload, 1)]

    monkeypatch.setattr(discord.http.HTTPClient, "bulk_upsert_global_commands", bulk_upsert)
    racebot._connection.application_id = 4242
    synced = await racebot.sync_commands()
    assert sent == [racebot.command_payload()]
    assert len(synced) == len(COMMANDS)


async def test_guild_sync_copies_the_global_commands(
    racebot: RaceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guild sync (DISCORD_GUILD_ID, `racebot sync --guild`) sends the same commands there."""
    sent: dict[int, list[dict[str, Any]]] = {}

    async def bulk_upsert(
        http: object, application_id: int, guild_id: int, *, payload: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        sent[guild_id] = payload
        return [registered(command, index) for index, command in enumerate(payload, 1)]

    monkeypatch.setattr(discord.http.HTTPClient, "bulk_upsert_guild_commands", bulk_upsert)
    racebot._connection.application_id = 4242
    await racebot.sync_commands(777)
    assert list(sent) == [777]
    assert {command["name"] for command in sent[777]} == COMMANDS


async def test_dev_guild_sync_happens_in_setup_hook(
    clean_env: Path,
    no_discord_http: None,
    query_service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With DISCORD_GUILD_ID set, setup_hook syncs there and nowhere else."""
    synced: list[int | None] = []

    async def sync_commands(self: RaceBot, guild_id: int | None = None) -> list[object]:
        synced.append(guild_id)
        return []

    monkeypatch.setattr(RaceBot, "sync_commands", sync_commands)
    bot = RaceBot(Settings(DISCORD_GUILD_ID=555), query_service, extensions=EXTENSIONS)
    await bot.setup_hook()
    await bot.close()
    without_guild = RaceBot(Settings(), query_service, extensions=EXTENSIONS)
    await without_guild.setup_hook()
    await without_guild.close()
    assert synced == [555]


async def test_failed_dev_guild_sync_is_logged_not_fatal(
    clean_env: Path,
    no_discord_http: None,
    query_service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A guild the bot cannot register in is reported in the log; setup carries on."""

    async def forbidden(self: RaceBot, guild_id: int | None = None) -> list[object]:
        response = SimpleNamespace(status=403, reason="Forbidden")
        raise discord.Forbidden(response, {"code": 50001, "message": "Missing Access"})

    monkeypatch.setattr(RaceBot, "sync_commands", forbidden)
    bot = RaceBot(Settings(DISCORD_GUILD_ID=555), query_service, extensions=EXTENSIONS)
    await bot.setup_hook()
    assert set(bot.extensions) == set(EXTENSIONS)
    await bot.close()
    assert "could not sync commands to DISCORD_GUILD_ID 555" in caplog.text
    assert "Missing Access" in caplog.text


async def test_bot_asks_for_no_privileged_intent_and_mentions_nobody(racebot: RaceBot) -> None:
    """Intents are guilds only; allowed mentions are none, for every message."""
    assert racebot.intents.value == discord.Intents(guilds=True).value
    mentions = racebot.allowed_mentions
    assert mentions is not None
    assert dict(mentions.to_dict()) == {"parse": []}


async def test_shard_settings_build_an_autosharded_bot(
    clean_env: Path, query_service: QueryService
) -> None:
    """RACEBOT_SHARD_COUNT/IDS give an AutoShardedBot running those shards."""
    bot = build_bot(
        Settings(RACEBOT_SHARD_COUNT=4, RACEBOT_SHARD_IDS="0,2"), query_service, extensions=()
    )
    assert isinstance(bot, discord.AutoShardedClient)
    assert (bot.shard_count, bot.shard_ids) == (4, [0, 2])
    async with bot:  # an AutoShardedClient can only close after its async setup
        assert bot.intents.value == discord.Intents(guilds=True).value
    plain = build_bot(Settings(), query_service, extensions=())
    # Sharded by default too: Discord then says how many shards, and nothing is fixed here.
    assert isinstance(plain, discord.AutoShardedClient)
    assert plain.shard_count is None
    assert plain.shard_ids is None
    await plain.close()


# --- Swapping the library ----------------------------------------------------------------------


async def test_reload_swaps_in_one_assignment(
    clean_env: Path, no_discord_http: None, query_service: QueryService
) -> None:
    """A reload that changes nothing keeps the service; a changed document replaces it whole."""
    seeds = clean_env / "seeds"
    seeds.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (seeds / seed.name).write_bytes(seed.read_bytes())
    bot = build_bot(Settings(RACEBOT_SEEDS_DIR=seeds), query_service, extensions=())
    first = await bot.reload_library()
    assert first.races == 1
    old = bot.service

    (seeds / "junk.txt").write_text("junk\n", encoding="utf-8")
    kept = await bot.reload_library()
    assert bot.service is old
    assert kept.changes == ()
    assert [error.source for error in kept.errors] == ["junk.txt"]

    seed = next(seeds.glob("2003*.txt"))
    seed.write_text(seed.read_text("utf-8").replace("Dyson Racing", "Dyson Racing Team"), "utf-8")
    answers = bot.answers
    loaded = await bot.reload_library()
    assert bot.service is not old
    assert bot.answers is not answers  # no answer rendered from the old library survives
    assert [change.action for change in loaded.changes] == ["replaced"]
    assert (loaded.races, loaded.previous) == (1, 1)
    await bot.close()


# --- Its own rate limit, the connection pool, no voice ------------------------------------------


async def test_each_bot_has_its_own_rate_limit(query_service: QueryService) -> None:
    """The limit lives on the bot, so one bot's crowd never throttles another's."""
    first = build_bot(Settings(), query_service, extensions=())
    second = build_bot(Settings(), query_service, extensions=())
    try:
        assert first.question_limit is not second.question_limit
        assert (first.question_limit.rate, first.question_limit.per) == (5, 10.0)
    finally:
        await first.close()
        await second.close()


async def test_the_bot_logs_in_over_a_bounded_connector(
    racebot: RaceBot, monkeypatch: pytest.MonkeyPatch, bot_token: str
) -> None:
    """The HTTP client has a connector with a connection limit, given to Bot (no login override)."""
    seen: list[Any] = []

    async def login(self: discord.Client, token: str) -> None:
        seen.append(self.http.connector)

    monkeypatch.setattr(discord.Client, "login", login)
    await racebot.login(bot_token)
    (connector,) = seen
    assert isinstance(connector, aiohttp.TCPConnector)
    assert connector.limit == HTTP_CONNECTIONS
    assert "login" not in vars(RaceBot)


async def test_a_given_connector_is_used_and_closed(query_service: QueryService) -> None:
    """A connector passed to build_bot is the one the bot uses; closing the bot closes it."""
    connector = aiohttp.TCPConnector(limit=3)
    bot = build_bot(Settings(), query_service, extensions=(), connector=connector)
    assert bot.http.connector is connector
    await bot.close()
    assert connector.closed


async def test_building_the_bot_logs_no_voice_warning(
    query_service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A text-only bot starts without "voice will NOT be supported", and leaves no filter behind."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)
    with caplog.at_level(logging.WARNING, logger="discord.client"):
        bot = build_bot(Settings(), query_service, extensions=())
    await bot.close()
    assert "voice" not in caplog.text
    assert logging.getLogger("discord.client").filters == []


def test_the_bot_changes_no_voice_client_settings() -> None:
    """The client module never assigns discord.VoiceClient's class-wide settings."""
    assert "VoiceClient" not in inspect.getsource(client_module)


# --- The import graph ---------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return names


def test_only_the_app_layer_imports_the_cogs() -> None:
    """The extension list reaches the bot from bot/app; nothing else in bot/ imports cogs."""
    importers = {
        str(path.relative_to(BOT.parent))
        for path in BOT.rglob("*.py")
        if any(name.split(".")[0] == "cogs" for name in _imports(path))
    }
    assert importers == {"bot/app/runner.py"}


def test_importing_the_bot_loads_no_cog() -> None:
    """In a fresh interpreter, importing the bot module imports no part of `cogs`."""
    probe = (
        "import sys, bot.discord.client; print(any(m.split('.')[0] == 'cogs' for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


async def test_the_answer_cache_takes_its_budget_from_the_settings(
    clean_env: Path, no_discord_http: None, query_service: QueryService
) -> None:
    """RACEBOT_ANSWER_CACHE_BYTES bounds the bot's kept answers, at start and after /reload."""
    settings = Settings(RACEBOT_ANSWER_CACHE_BYTES=1234, RACEBOT_SEEDS_DIR=SEEDS)
    bot = build_bot(settings, query_service, extensions=())
    assert bot.answers.max_bytes == 1234
    await bot.reload_library()
    assert bot.answers.max_bytes == 1234
    await bot.close()


async def test_reload_keeps_its_store_in_the_data_folder(
    clean_env: Path, no_discord_http: None, query_service: QueryService
) -> None:
    """/reload reads and writes the store under RACEBOT_DATA_DIR, not the working folder."""
    data = clean_env / "elsewhere"
    bot = build_bot(
        Settings(RACEBOT_DATA_DIR=data, RACEBOT_SEEDS_DIR=SEEDS), query_service, extensions=()
    )
    await bot.reload_library()
    assert (data / DATABASE_NAME).is_file()
    assert not (clean_env / "data").exists()
    await bot.close()
