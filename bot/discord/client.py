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
from pathlib import Path
from typing import Any, Final

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.core.asking.query import QueryService
from bot.core.documents.parsing import SeedError
from bot.discord.answer_service import AnswerService
from bot.discord.checks import QUESTION_WINDOW_S, QUESTIONS_PER_WINDOW, UserRateLimit
from bot.discord.metrics import METRICS
from bot.discord.tree import RaceTree
from bot.loader import Keeper, store_of
from bot.loader.guild_settings import GuildSettingsCache
from bot.settings import Settings
from bot.store import Store
from bot.store.engine import CHANGES_CHANNEL, SETTINGS_CHANNEL
from bot.store.records import Change

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


@dataclasses.dataclass(frozen=True, slots=True)
class Reload:
    """What a /reload did: the races now and before, the changes, and the refused documents."""

    folder: Path | None
    races: int
    previous: int
    changes: tuple[Change, ...]
    errors: tuple[SeedError, ...]

    @property
    def usable(self) -> bool:
        """Whether the library holds any race."""
        return self.races > 0


class RaceBot(commands.AutoShardedBot):
    """The racebot client: answers from its library, loads the given extensions on setup.

    Always an AutoShardedBot: with no RACEBOT_SHARD_COUNT Discord says how many shards, and
    RACEBOT_SHARD_IDS lets several processes each run a range of them over one store.
    """

    def __init__(
        self,
        settings: Settings,
        library: Keeper | QueryService,
        *,
        extensions: Sequence[str],
        sync_dev_guild: bool = True,
        connector: aiohttp.BaseConnector | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # slash commands need no other (and no privileged) intent
        if settings.sharded:
            options.setdefault("shard_count", settings.shard_count)
            options.setdefault("shard_ids", settings.shard_ids)
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
        # A bare service (tests, the offline command list) is served over the settings' store.
        self.keeper = (
            library if isinstance(library, Keeper) else Keeper.serving(library, *store_of(settings))
        )
        self.initial_extensions = tuple(extensions)
        # A change replaces it in one assignment
        self.answers = AnswerService(self.keeper.service, max_bytes=settings.answer_cache_bytes)
        self.sync_dev_guild = sync_dev_guild
        self.question_limit = UserRateLimit(QUESTIONS_PER_WINDOW, QUESTION_WINDOW_S)
        self._reload_lock = asyncio.Lock()
        self.guild_settings = GuildSettingsCache(self.keeper.store)  # read in setup_hook
        self.import_lock = asyncio.Lock()  # /import: one at a time
        self.pending_announcements: list[Change] = []
        """Changes taken in before the servers were delivered: announced once they are."""

    @property
    def service(self) -> QueryService:
        """The query service over the loaded library."""
        return self.answers.service

    @property
    def store(self) -> Store:
        """The store everything the bot knows lives in."""
        return self.keeper.store

    async def load_cogs(self) -> None:
        """Load every extension the bot was given, in order (no network)."""
        for extension in self.initial_extensions:
            await self.load_extension(extension)
            log.debug("loaded %s", extension)

    async def setup_hook(self) -> None:
        """Read the settings, listen for other processes' changes, load the cogs, and sync to
        DISCORD_GUILD_ID when it is set."""
        await self.open_store()
        await self.guild_settings.load()
        await self.store.listen(self._heard)
        # What another process changed between the library's load and listening: taken in now
        # (and, the servers not being there yet, announced once they are).
        await self.take_in_changes()
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

    async def open_store(self) -> None:
        """Open the store if it is not open (a bot built for a test may not have started)."""
        if not self.store.is_open:
            await self.store.open(migrate=self.store.engine.name == "sqlite")

    async def _heard(self, channel: str, payload: str) -> None:
        """Another process changed the store: take the change in."""
        if channel == CHANGES_CHANNEL:
            await self.take_in_changes()
        elif channel == SETTINGS_CHANNEL:
            await self.guild_settings.refresh(int(payload) if payload.isdigit() else None)

    async def take_in_changes(self) -> tuple[Change, ...]:
        """Rebuild the library from the store if it changed since; the changes taken in."""
        await self.open_store()
        async with self._reload_lock:
            built = self.keeper.built
            changes = tuple(await self.keeper.catch_up())
            if changes or self.keeper.built is not built:  # or only the aliases file changed
                # One assignment: a question sees the old library or the new, never a mix.
                self.answers = AnswerService(
                    self.keeper.service, max_bytes=self.settings.answer_cache_bytes
                )
            if changes:
                if self.is_ready():  # listeners (announcements) run as tasks, once connected
                    self.dispatch("library_changed", changes)
                else:
                    self.pending_announcements.extend(changes)
                log.info("took in %d changes; %d races", len(changes), self.keeper.built.races)
            return changes

    async def on_ready(self) -> None:
        """Log who the bot is and where it is, once connected."""
        log.info("ready as %s in %d servers", self.user, len(self.guilds))
        if self.pending_announcements:
            pending, self.pending_announcements = self.pending_announcements, []
            self.dispatch("library_changed", tuple(pending))

    async def close(self) -> None:
        """Close the connection, the keeper (its store and seeds/ watch), and the HTTP connector
        even if never logged in."""
        if getattr(self, "_AutoShardedClient__queue", None) is None:
            # A sharded client's close needs what its async setup makes (a bot built, never run).
            await self._async_setup_hook()
        await super().close()
        await self.keeper.close()
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

    async def reload_library(self) -> Reload:
        """Bring the library up to date: with SQLite, seeds/ is mirrored into the store first
        (with PostgreSQL that is `racebot migrate`'s job); then every change is taken in."""
        await self.open_store()
        previous = self.keeper.built.races
        skipped: tuple[SeedError, ...] = ()
        if self.store.engine.name == "sqlite" and self.keeper.seeds_dir is not None:
            async with self._reload_lock:
                report = await self.keeper.mirror_seeds()
            skipped = report.skipped
        changes = await self.take_in_changes()
        METRICS.reloads.labels("loaded" if self.keeper.built.races else "refused").inc()
        errors = (*skipped, *await self.keeper.problems())
        log.info("reload: %d races, %d refused documents", self.keeper.built.races, len(errors))
        return Reload(
            self.keeper.seeds_dir, self.keeper.built.races, previous, changes, tuple(errors)
        )


def build_bot(
    settings: Settings, library: Keeper | QueryService, *, extensions: Sequence[str], **options: Any
) -> RaceBot:
    """The bot the settings call for (sharded as RACEBOT_SHARD_COUNT / _IDS say)."""
    return RaceBot(settings, library, extensions=extensions, **options)
