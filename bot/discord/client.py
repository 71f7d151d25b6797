"""The Discord bot: settings and the race library go in, slash commands come out."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.core.formats import clip, plural
from bot.core.library import RaceLibrary
from bot.core.parsing import SeedError
from bot.core.query import QueryService
from bot.discord.rendering import RenderedAnswers
from bot.settings import Settings
from cogs import EXTENSIONS

log = logging.getLogger(__name__)

T = TypeVar("T")

QUESTIONS_PER_WINDOW: Final = 5
QUESTION_WINDOW_S: Final = 10.0
"""A generous per-user limit: five questions in ten seconds, whatever the command."""

HTTP_CONNECTIONS: Final = 64
"""Open connections to Discord's API at most (discord.py's default has no limit, so a burst of
interactions would open a socket per answer and run out of file descriptors)."""

ERROR_LIST_LIMIT: Final = 10
"""Bad documents listed by name in a /reload reply; the rest are counted (all are logged)."""


def new_error_id() -> str:
    """A short id that ties an apology in Discord to its traceback in the log."""
    return secrets.token_hex(4)


# --- Checks ---------------------------------------------------------------------------------


class NotOwner(app_commands.CheckFailure):
    """The command is for the bot's owner only."""


async def _is_owner(interaction: discord.Interaction[RaceBot]) -> bool:
    if await interaction.client.is_owner(interaction.user):
        return True
    raise NotOwner("only the bot's owner can use this command")


def owner_only() -> Callable[[T], T]:
    """An app-command check that lets only the bot's owner (or its team) through."""
    return app_commands.check(_is_owner)


class UserRateLimit:
    """At most `rate` questions per `per` seconds for each user, across every command.

    discord.py's cooldown decorator scans every user's bucket on each call, so its cost grows
    with the crowd; here idle buckets are dropped at most once per window instead.
    """

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, app_commands.Cooldown] = {}
        self._next_purge = 0.0

    def __len__(self) -> int:
        return len(self._buckets)

    def hit(self, user_id: int, now: float) -> None:
        """Count one question; raise `CommandOnCooldown` when the user must wait."""
        if now >= self._next_purge:
            self._buckets = {
                user: bucket
                for user, bucket in self._buckets.items()
                if bucket.get_tokens(now) < self.rate
            }
            self._next_purge = now + self.per
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
        retry_after = bucket.update_rate_limit(now)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)


async def _within_rate_limit(interaction: discord.Interaction[RaceBot]) -> bool:
    interaction.client.question_limit.hit(interaction.user.id, interaction.created_at.timestamp())
    return True


def question_cooldown() -> Callable[[T], T]:
    """The app-command check applying the bot's per-user question limit."""
    return app_commands.check(_within_rate_limit)


# --- The library ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class LoadOutcome:
    """What reading a folder of race documents gave: the race count and every bad document."""

    folder: Path
    races: int
    errors: tuple[SeedError, ...]
    previous: int | None = None  # races in the library being replaced, when there was one

    @property
    def usable(self) -> bool:
        """Whether at least one race loaded, so the library may replace the current one."""
        return self.races > 0

    def summary(self) -> str:
        """A short report for the person who asked for the reload."""
        if self.usable:
            was = f" (was {self.previous})" if self.previous is not None else ""
            lines = [f"Loaded {plural(self.races, 'race')} from `{self.folder}`{was}."]
        else:
            kept = f" ({plural(self.previous, 'race')})" if self.previous is not None else ""
            lines = [f"Kept the current library{kept}: no document in `{self.folder}` loaded."]
        if self.errors:
            lines.append(f"Skipped {len(self.errors)} bad document(s):")
            lines += [f"- {clip(str(error), 180)}" for error in self.errors[:ERROR_LIST_LIMIT]]
            if len(self.errors) > ERROR_LIST_LIMIT:
                lines.append(f"- … and {len(self.errors) - ERROR_LIST_LIMIT} more (see the log)")
        return "\n".join(lines)


def load_service(folder: Path) -> tuple[QueryService | None, LoadOutcome]:
    """Build a query service from a folder; None when not a single race loaded."""
    library, errors = RaceLibrary.from_folder(folder)
    outcome = LoadOutcome(folder=folder, races=len(library), errors=errors)
    return (QueryService(library) if outcome.usable else None), outcome


# --- Errors ---------------------------------------------------------------------------------


def user_message(error: app_commands.AppCommandError) -> str | None:
    """What to tell the user about an expected problem; None means a bug (log and apologise)."""
    if isinstance(error, app_commands.CommandOnCooldown):
        retry_at = discord.utils.utcnow() + dt.timedelta(seconds=error.retry_after)
        return (
            f"You're asking quickly: try again {discord.utils.format_dt(retry_at, 'R')} "
            f"(in {error.retry_after:.0f} s)."
        )
    if isinstance(error, NotOwner):
        return "Only the bot's owner can use this command."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permissions(error.missing_permissions)} permission for this."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_permissions(error.missing_permissions)} permission here."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works only in a server."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't read the value '{clip(str(error.value), 100)}'."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "That command has changed; Discord will show the new version shortly."
    return None


def _permissions(names: list[str]) -> str:
    return ", ".join(name.replace("_", " ").replace("guild", "server").title() for name in names)


async def reply_privately(interaction: discord.Interaction[Any], content: str) -> None:
    """Answer only the user, whether or not the interaction has been answered already."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException:  # the interaction expired or was deleted; nobody to tell
        log.warning("could not send an error reply", exc_info=True)


def command_name(interaction: discord.Interaction[Any]) -> str:
    """The invoked command as typed, for logs."""
    command = interaction.command
    return f"/{command.qualified_name}" if command is not None else "an interaction"


class RaceTree(app_commands.CommandTree["RaceBot"]):
    """The bot's command tree: one error handler for every slash command."""

    async def on_error(
        self, interaction: discord.Interaction[RaceBot], error: app_commands.AppCommandError
    ) -> None:
        """Tell the user what went wrong in one short private line; log anything unexpected."""
        message = user_message(error)
        if message is None:
            error_id = new_error_id()
            original = (
                error.original if isinstance(error, app_commands.CommandInvokeError) else error
            )
            log.error("error %s in %s", error_id, command_name(interaction), exc_info=original)
            message = f"Sorry, something went wrong on my side (error id `{error_id}`)."
        elif isinstance(
            error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound
        ):
            log.warning("out-of-date command registration: %s", error)
        await reply_privately(interaction, message)


# --- The bot --------------------------------------------------------------------------------


class RaceBot(commands.Bot):
    """The racebot client: given its settings and query service, loads the cogs on setup."""

    def __init__(
        self,
        settings: Settings,
        service: QueryService,
        *,
        sync_dev_guild: bool = True,
        **options: Any,
    ) -> None:
        # A text-only bot: no warning at start-up that voice libraries are missing.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        intents = discord.Intents.none()
        intents.guilds = True  # slash commands need no other (and no privileged) intent
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=RaceTree,
            **options,
        )
        self.settings = settings
        self.answers = RenderedAnswers(service)  # /reload replaces it in one assignment
        self.sync_dev_guild = sync_dev_guild
        self.question_limit = UserRateLimit(QUESTIONS_PER_WINDOW, QUESTION_WINDOW_S)
        self._reload_lock = asyncio.Lock()

    @property
    def service(self) -> QueryService:
        """The query service over the loaded library."""
        return self.answers.service

    async def login(self, token: str) -> None:
        """Log in over a bounded connection pool (created here, inside the running loop)."""
        if self.http.connector is discord.utils.MISSING:
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        await super().login(token)

    async def load_cogs(self) -> None:
        """Load every extension in `cogs.EXTENSIONS` (no network)."""
        for extension in EXTENSIONS:
            await self.load_extension(extension)
            log.debug("loaded %s", extension)

    async def setup_hook(self) -> None:
        """Load the cogs; sync to DISCORD_GUILD_ID (instant, for development) when it is set."""
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

    async def reload_library(self) -> LoadOutcome:
        """Re-read the seeds folder; the new library replaces the old only if it loaded."""
        async with self._reload_lock:
            service, outcome = await asyncio.to_thread(load_service, self.settings.seeds_dir)
            outcome = dataclasses.replace(outcome, previous=len(self.service.library))
            if service is not None:
                # One assignment: a question sees the old library or the new, never a mix.
                self.answers = RenderedAnswers(service)
            log.info(
                "reload of %s: %d races, %d errors",
                outcome.folder,
                outcome.races,
                len(outcome.errors),
            )
            return outcome


class ShardedRaceBot(RaceBot, commands.AutoShardedBot):
    """RaceBot on several gateway shards (RACEBOT_SHARD_COUNT / RACEBOT_SHARD_IDS)."""


def build_bot(settings: Settings, service: QueryService, **options: Any) -> RaceBot:
    """The bot the settings call for: sharded when RACEBOT_SHARD_COUNT is set."""
    if settings.sharded:
        return ShardedRaceBot(
            settings,
            service,
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids,
            **options,
        )
    return RaceBot(settings, service, **options)
