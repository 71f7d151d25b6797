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

from bot.app.housekeeping import DataDirProblem, prepare_data_dir, remove_leftovers
from bot.app.logs import setup_logging
from bot.core.asking.query import QueryService
from bot.core.library.races import RaceLibrary
from bot.discord.announce import announceable
from bot.discord.client import RaceBot, build_bot
from bot.discord.health import HealthServer
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

NEW_TOKEN: Final = (
    "Get a token at https://discord.com/developers/applications (your application, Bot, "
    "Reset Token) and put it in .env (see .env.example) or the environment"
)
"""Where a token comes from: every token problem ends with it (and never shows the token)."""

TOKEN_HELP: Final = (
    f'{NEW_TOKEN}; `racebot ask "/result Dyson"` and `racebot console` work without one.'
)

LOGIN_FAILED: Final = f"Discord rejected DISCORD_TOKEN (login failed). {NEW_TOKEN}."


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
    setup_logging(settings.log_level_number, settings.log_format)
    try:
        prepare_data_dir(settings.data_dir)
    except DataDirProblem as exc:
        return _fail(f"{exc}; set RACEBOT_DATA_DIR to a folder racebot may write")
    remove_leftovers(settings.seeds_dir, settings.data_dir)
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
        await keeper.close()
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
    health = None if settings.health_port is None else HealthServer(bot, settings.health_port)
    try:
        async with bot:
            if health is not None:
                try:
                    await health.start()
                except OSError as exc:
                    where = f"127.0.0.1:{settings.health_port}"
                    return _fail(f"cannot serve /healthz on {where} ({exc.strerror or exc})")
            await bot.start(token)
    except discord.LoginFailure:
        return _fail(LOGIN_FAILED)
    except StoreError as exc:
        return _fail(str(exc), STORE_ERROR)
    except (aiohttp.ClientError, discord.GatewayNotFound, OSError) as exc:
        return _fail(f"cannot reach Discord ({exc.__class__.__name__}: {exc})", CONNECTION_ERROR)
    finally:
        if health is not None:
            await health.close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    return 0


def run_start(seeds: Path | None, chart_dir: Path | None = None) -> int:
    """`racebot start` (`make run`): the bot when a token is set; the offline console only when
    no token is set and the input is a terminal. A set but malformed token is an error, and so
    is no token without a terminal (a service manager must see that, not a console at EOF)."""
    settings = load_settings()
    if settings.discord_token is None:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            return _fail(
                "DISCORD_TOKEN is not set, and the input is not a terminal, so there is neither "
                f"a bot nor a console to start. {NEW_TOKEN}; for the offline console with piped "
                "questions use `racebot console`."
            )
        print(
            "racebot: DISCORD_TOKEN is not set, so starting the offline console.", file=sys.stderr
        )
        from bot.app.console import run_console

        return run_console(seeds, chart_dir)
    if problem := settings.token_problem():
        return _fail(f"{problem}. {NEW_TOKEN}.")
    return run_bot(seeds)


def run_migrate(seeds: Path | None) -> int:
    """`racebot migrate`: bring the store's schema up to date and mirror seeds/ into it; with
    PostgreSQL, run once per release before the bot's processes start."""
    settings = _settings(seeds)
    setup_logging(settings.log_level_number, settings.log_format)
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
        await keeper.close()
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
    setup_logging(settings.log_level_number, settings.log_format)
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
