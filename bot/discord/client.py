"""The Discord bot: settings, a query service and the extensions to load go in; answers come out.

Build it inside the running event loop (its HTTP connector needs one), as discord.py's
examples/advanced_startup.py does; the app layer names the extensions, so nothing here imports
the cogs that import this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Iterator, Sequence
from typing import Any, Final

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.core.loading import FolderLoad, service_from_folder
from bot.core.query import QueryService
from bot.discord.answer_service import AnswerService
from bot.discord.checks import QUESTION_WINDOW_S, QUESTIONS_PER_WINDOW, UserRateLimit
from bot.discord.metrics import METRICS
from bot.discord.tree import RaceTree
from bot.settings import Settings
from bot.storage.guild_settings import SettingsStore

log = logging.getLogger(__name__)

HTTP_CONNECTIONS: Final = 64
"""Open connections to Discord's API at most (discord.py's default has no limit, so a burst of
interactions would open a socket per answer and run out of file descriptors)."""


def _not_voice_warning(record: logging.LogRecord) -> bool:
    return "voice will NOT be supported" not in record.getMessage()


@contextlib.contextmanager
def _quiet_about_voice() -> Iterator[None]:
    """Drop discord.py's "voice will NOT be supported" warnings while a text-only bot is built."""
    logger = logging.getLogger("discord.client")
    logger.addFilter(_not_voice_warning)
    try:
        yield
    finally:
        logger.removeFilter(_not_voice_warning)


class RaceBot(commands.Bot):
    """The racebot client: answers from its service, loads the given extensions on setup."""

    def __init__(
        self,
        settings: Settings,
        service: QueryService,
        *,
        extensions: Sequence[str],
        sync_dev_guild: bool = True,
        connector: aiohttp.BaseConnector | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # slash commands need no other (and no privileged) intent
        with _quiet_about_voice():
            super().__init__(
                command_prefix=commands.when_mentioned,
                help_command=None,
                intents=intents,
                allowed_mentions=discord.AllowedMentions.none(),
                tree_cls=RaceTree,
                connector=connector or aiohttp.TCPConnector(limit=HTTP_CONNECTIONS),
                **options,
            )
        self.settings = settings
        self.initial_extensions = tuple(extensions)
        # /reload replaces it in one assignment
        self.answers = AnswerService(service, max_bytes=settings.answer_cache_bytes)
        self.sync_dev_guild = sync_dev_guild
        self.question_limit = UserRateLimit(QUESTIONS_PER_WINDOW, QUESTION_WINDOW_S)
        self._reload_lock = asyncio.Lock()
        self.guild_settings = SettingsStore(settings.data_dir)  # opened in setup_hook
        self.import_lock = asyncio.Lock()  # /import: one at a time

    @property
    def service(self) -> QueryService:
        """The query service over the loaded library."""
        return self.answers.service

    async def load_cogs(self) -> None:
        """Load every extension the bot was given, in order (no network)."""
        for extension in self.initial_extensions:
            await self.load_extension(extension)
            log.debug("loaded %s", extension)

    async def setup_hook(self) -> None:
        """Open the settings database, load the cogs, sync to DISCORD_GUILD_ID when it is set."""
        await self.guild_settings.open()
        await self.load_cogs()
        guild_id = self.settings.discord_guild_id
        if not self.sync_dev_guild or guild_id is None:
            return
        try:
            synced = await self.sync_commands(guild_id)
        except discord.HTTPException as exc:  # keep running: the commands may be synced already
            log.error(
                "could not sync commands to DISCORD_GUILD_ID %d (%s); is the bot in that server, "
                "invited with the applications.commands scope?",
                guild_id,
                exc,
            )
        else:
            log.info("synced %d commands to guild %d", len(synced), guild_id)

    async def on_ready(self) -> None:
        """Log who the bot is and where it is, once connected."""
        log.info("ready as %s in %d servers", self.user, len(self.guilds))

    async def close(self) -> None:
        """Close the connection, and the HTTP connector even if the bot never logged in."""
        await super().close()
        await self.guild_settings.close()
        connector = self.http.connector
        if connector is not discord.utils.MISSING and not connector.closed:
            await connector.close()  # discord.py closes it only with a session it opened

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Register the commands globally, or in one guild (a copy of the global ones)."""
        if guild_id is None:
            return await self.tree.sync()
        guild = discord.Object(id=guild_id)
        self.tree.copy_global_to(guild=guild)
        return await self.tree.sync(guild=guild)

    def command_payload(self) -> list[dict[str, Any]]:
        """The exact list a global sync sends to Discord (bulk overwrite)."""
        return [command.to_dict(self.tree) for command in self.tree.get_commands()]

    async def reload_library(self) -> FolderLoad:
        """Re-read the seeds folder; the new library replaces the old only if it loaded."""
        async with self._reload_lock:
            load = await asyncio.to_thread(
                service_from_folder, self.settings.seeds_dir, self.settings.data_dir
            )
            load = dataclasses.replace(load, previous=len(self.service.library))
            METRICS.reloads.labels("loaded" if load.usable else "refused").inc()
            if load.usable:
                previous = self.service.library
                # One assignment: a question sees the old library or the new, never a mix.
                self.answers = AnswerService(
                    load.service, max_bytes=self.settings.answer_cache_bytes
                )
                if self.is_ready():  # listeners (announcements) run as tasks, once connected
                    self.dispatch("library_changed", previous, load.service.library)
            log.info("reload of %s: %d races, %d errors", load.folder, load.races, len(load.errors))
            return load


class ShardedRaceBot(RaceBot, commands.AutoShardedBot):
    """RaceBot on several gateway shards (RACEBOT_SHARD_COUNT / RACEBOT_SHARD_IDS)."""


def build_bot(
    settings: Settings, service: QueryService, *, extensions: Sequence[str], **options: Any
) -> RaceBot:
    """The bot the settings call for: sharded when RACEBOT_SHARD_COUNT is set."""
    if settings.sharded:
        return ShardedRaceBot(
            settings,
            service,
            extensions=extensions,
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids,
            **options,
        )
    return RaceBot(settings, service, extensions=extensions, **options)
