"""`racebot run | start | commands | sync`: the bot's life from the command line.

This is the composition root: it reads the settings, loads the library, names the extensions
(`cogs.EXTENSIONS`) and builds the bot inside the event loop. A `SettingsError` is left to
`cli.main`, which reports it in one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any, Final

import aiohttp
import discord

from bot.core.library import RaceLibrary
from bot.core.query import QueryService
from bot.discord.announce import announceable
from bot.discord.client import RaceBot, build_bot
from bot.loader import Keeper, open_keeper
from bot.settings import Settings, load_settings
from bot.store import StoreError
from cogs import EXTENSIONS

log = logging.getLogger(__name__)

CONFIG_ERROR: Final = 2
"""Exit status for a problem the user fixes in the configuration (token, .env, seeds)."""

CONNECTION_ERROR: Final = 1
"""Exit status when Discord cannot be reached or refuses a request."""

STORE_ERROR: Final = 1
"""Exit status when the store cannot be opened or used (the line names it)."""

TOKEN_HELP: Final = (
    "Put it in .env (see .env.example) or the environment; "
    '`racebot ask "/result Dyson"` and `racebot console` work without one.'
)

LOGIN_FAILED: Final = (
    "Discord rejected DISCORD_TOKEN (login failed). Reset the bot's token in the Developer "
    "Portal and update .env."
)


def _fail(message: str, status: int = CONFIG_ERROR) -> int:
    print(f"racebot: {message}", file=sys.stderr)
    return status


def _settings(seeds: Path | None = None) -> Settings:
    """The settings with an explicit `--seeds` folder taking the place of RACEBOT_SEEDS_DIR."""
    settings = load_settings()
    return settings if seeds is None else settings.model_copy(update={"seeds_dir": seeds})


def _token(settings: Settings) -> str:
    assert settings.discord_token is not None  # checked by token_problem() before
    return settings.discord_token.get_secret_value()


def _offline_service() -> QueryService:
    """A service over no races: enough to build the command tree, which needs no data."""
    return QueryService(RaceLibrary(()))


def run_bot(seeds: Path | None) -> int:
    """`racebot run`: connect to Discord and answer until SIGINT/SIGTERM."""
    settings = _settings(seeds)
    if problem := settings.token_problem():
        return _fail(f"{problem}. {TOKEN_HELP}")
    discord.utils.setup_logging(level=settings.log_level_number)
    return asyncio.run(_serve(settings))


def _bot(settings: Settings, library: Keeper | QueryService, **options: Any) -> RaceBot:
    """The bot with racebot's extensions; call it inside the running loop."""
    return build_bot(settings, library, extensions=EXTENSIONS, **options)


async def _open(settings: Settings) -> Keeper | int:
    """The store opened and the library loaded, or the exit status after one line saying why."""
    try:
        keeper = await open_keeper(settings)
    except StoreError as exc:
        return _fail(str(exc), STORE_ERROR)
    if not keeper.built.races:
        await keeper.store.close()
        folder = keeper.seeds_dir or settings.seeds_dir
        return _fail(
            f"no race document loaded from {folder} and none is stored; the bot has nothing "
            "to answer"
        )
    log.info("loaded %d races from %s", keeper.built.races, keeper.store.description)
    return keeper


async def _serve(settings: Settings) -> int:
    keeper = await _open(settings)
    if isinstance(keeper, int):
        return keeper
    bot = _bot(settings, keeper)
    report = keeper.last_mirror
    if report is not None and not report.first_fill:
        # Added while starting: announced once the gateway has delivered the servers.
        bot.pending_announcements.extend(announceable(report.changes))
    token = _token(settings)
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def close() -> None:
        log.info("shutting down")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    for signum in (signal.SIGINT, signal.SIGTERM):
        # Windows has no loop signal handlers; there Ctrl+C raises KeyboardInterrupt instead.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, close)
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        return _fail(LOGIN_FAILED)
    except (aiohttp.ClientError, discord.GatewayNotFound, OSError) as exc:
        return _fail(f"cannot reach Discord ({exc.__class__.__name__}: {exc})", CONNECTION_ERROR)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    return 0


def run_start(seeds: Path | None) -> int:
    """`racebot start` (`make run`): the bot when a usable token is set, else the console."""
    settings = load_settings()
    if problem := settings.token_problem():
        print(f"racebot: {problem}, so starting the offline console instead.", file=sys.stderr)
        from bot.app.console import run_console

        return run_console(seeds)
    return run_bot(seeds)


def run_migrate(seeds: Path | None) -> int:
    """`racebot migrate`: bring the store's schema up to date and mirror seeds/ into it; with
    PostgreSQL, run once per release before the bot's processes start."""
    settings = _settings(seeds)
    discord.utils.setup_logging(level=settings.log_level_number)
    return asyncio.run(_migrate(settings))


async def _migrate(settings: Settings) -> int:
    try:
        keeper = await open_keeper(settings, mirror=True, migrate=True)
    except StoreError as exc:
        return _fail(str(exc), STORE_ERROR)
    try:
        report = keeper.last_mirror
        problems = await keeper.problems()
        version = await keeper.store.schema_version()
    finally:
        await keeper.store.close()
    print(f"{keeper.store.description}: schema {version}, {keeper.built.races} races")
    if report is not None:
        print(
            f"seeds/ {report.folder}: {report.parsed} parsed, {report.unchanged} unchanged, "
            f"{len(report.changes)} changes"
        )
        for skipped in report.skipped:
            print(f"skipped {skipped}", file=sys.stderr)
    for problem in problems:
        print(f"refused {problem}", file=sys.stderr)
    return 0


async def offline_command_payload(settings: Settings) -> list[dict[str, Any]]:
    """The registration payload of the real bot and cogs, built without logging in."""
    bot = _bot(settings, _offline_service())
    try:
        await bot.load_cogs()
        return bot.command_payload()
    finally:
        await bot.close()


def print_commands(*, as_json: bool) -> int:
    """`racebot commands [--json]`: what a sync registers, as JSON or a readable list."""
    settings = load_settings()
    payload = asyncio.run(offline_command_payload(settings))
    if as_json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(describe_command(command) for command in payload))
    return 0


def describe_command(command: dict[str, Any]) -> str:
    """One command of the payload as a person reads it: usage, description, options."""
    options: list[dict[str, Any]] = command.get("options", [])
    usage = " ".join(
        [f"/{command['name']}"]
        + [o["name"] if o.get("required") else f"[{o['name']}]" for o in options]
    )
    lines = [usage, f"    {command['description']}"]
    lines += [f"    {o['name']}: {o['description']}" for o in options]
    return "\n".join(lines)


def run_sync(guild_id: int | None) -> int:
    """`racebot sync [--guild ID]`: log in, register the commands, report how many."""
    settings = load_settings()
    if problem := settings.token_problem():
        return _fail(f"{problem}. {TOKEN_HELP}")
    discord.utils.setup_logging(level=settings.log_level_number)
    return asyncio.run(_sync(settings, guild_id))


async def _sync(settings: Settings, guild_id: int | None) -> int:
    bot = _bot(settings, _offline_service(), sync_dev_guild=False)
    try:
        async with bot:
            await bot.login(_token(settings))  # runs setup_hook: the cogs load, nothing syncs
            synced = await bot.sync_commands(guild_id)
    except discord.LoginFailure:
        return _fail(LOGIN_FAILED)
    except discord.HTTPException as exc:
        return _fail(f"Discord refused the sync ({exc})", CONNECTION_ERROR)
    except (aiohttp.ClientError, OSError) as exc:
        return _fail(f"cannot reach Discord ({exc.__class__.__name__}: {exc})", CONNECTION_ERROR)
    where = "globally" if guild_id is None else f"in guild {guild_id}"
    print(f"Registered {len(synced)} commands {where}.")
    return 0
