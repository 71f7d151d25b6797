"""A community's own commands: /import a race document, /settings for the server; announcements.

Who may import is the operator's decision, not each server's: the races are shared by every
server the bot is in. So /import is for the bot's owner (or its application team) and the
users in RACEBOT_EDITOR_IDS; it is registered for Manage Server (hidden from most members) and
that permission is checked again when it runs, because a server can change who sees a command.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.core.importing import (
    MAX_IMPORT_BYTES,
    ImportRefused,
    ImportResult,
    import_document,
    race_summary,
)
from bot.core.library import RaceLibrary
from bot.core.parsing import SeedError
from bot.discord.announce import ShowResults, announce, library_changes
from bot.discord.attachments import AttachmentProblem, read_attachment
from bot.discord.client import RaceBot
from bot.discord.reload_report import escape
from bot.discord.tree import new_error_id
from bot.present.text import plain, truncate
from bot.storage.guild_settings import SPOILER_DAYS_MAX, GuildSettings

log = logging.getLogger(__name__)

Interaction = discord.Interaction[RaceBot]

NOT_EDITOR: Final = (
    "Only the bot's owner and its editors (RACEBOT_EDITOR_IDS) can import races: "
    "they are shared by every server the bot is in."
)
REPLY_LIMIT: Final = 1900
"""Characters of a reply's text (Discord allows 2000; the rest is headroom)."""

ANNOUNCE_PERMISSIONS: Final = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True
)


async def may_import(bot: RaceBot, user: discord.abc.User) -> bool:
    """Whether a user may import: the owner or a team member, or one of RACEBOT_EDITOR_IDS."""
    return user.id in bot.settings.editors or await bot.is_owner(user)


def import_reply(result: ImportResult, races: int) -> str:
    """The private summary of an import: what was added or replaced, and where."""
    lines = [f"{result.action.capitalize()}: {escape(race_summary(result.race))}."]
    lines.append(f"Saved as `{result.path.name}`; {races} races are loaded.")
    if result.kept:
        lines.append("The previous version is kept in `seeds/.history/`.")
    return truncate("\n".join(lines), REPLY_LIMIT)


def settings_text(settings: GuildSettings) -> str:
    """A server's settings as /settings shows them."""
    channel = f"<#{settings.announce_channel}>" if settings.announce_channel else "none"
    if settings.announce_problem:
        channel += f" (not announcing: {settings.announce_problem}; set the channel again)"
    days = settings.spoiler_days
    window = f"{days} day{'s' if days != 1 else ''}" if days else "off"
    return "\n".join(
        (
            f"Announce channel: {channel}",
            f"Spoiler window: {window}",
            f"Answers: {settings.answers}",
        )
    )


def channel_warning(channel: discord.TextChannel) -> str | None:
    """Why the bot could not announce in a channel, or None when it can."""
    me = channel.guild.me
    if me is None:
        return "I can't check my permissions there."
    missing = ANNOUNCE_PERMISSIONS.value & ~channel.permissions_for(me).value
    if not missing:
        return None
    names = [name.replace("_", " ") for name, on in discord.Permissions(missing) if on]
    return f"I can't announce in {channel.mention} yet: I need {', '.join(names)} there."


class Community(commands.Cog):
    """Adding races from Discord, per-server settings, announcements."""

    def __init__(self, bot: RaceBot) -> None:
        self.bot = bot

    @app_commands.command(name="import")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(
        file="A race document (.txt, UTF-8, at most 1 MB)",
        replace="Replace a race with the same title (the old version is kept)",
    )
    async def import_(
        self, interaction: Interaction, file: discord.Attachment, replace: bool = False
    ) -> None:
        """Add or replace a race document (owner and editors only)."""
        if not await may_import(self.bot, interaction.user):
            await interaction.response.send_message(NOT_EDITOR, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self._import(file, replace)
        await interaction.followup.send(reply, ephemeral=True)

    async def _import(self, file: discord.Attachment, replace: bool) -> str:
        """Download, validate, write and reload; the reply to send."""
        try:
            data = await read_attachment(file, MAX_IMPORT_BYTES)
        except AttachmentProblem as exc:
            return f"Not imported: {exc}."
        async with self.bot.import_lock:  # the library read here includes every earlier import
            library = self.bot.service.library
            try:
                result = await asyncio.to_thread(
                    import_document,
                    self.bot.settings.seeds_dir,
                    data,
                    truncate(file.filename, 100),
                    library,
                    replace=replace,
                )
            except SeedError as exc:
                problem = escape(plain(str(exc)))
                return truncate(f"Not imported, nothing was written:\n{problem}", REPLY_LIMIT)
            except ImportRefused as exc:
                return truncate(f"Not imported: {escape(str(exc))}.", REPLY_LIMIT)
            except OSError:
                error_id = new_error_id()
                log.exception("error %s writing an imported document", error_id)
                return (
                    f"Not imported: the seeds folder could not be written (error id `{error_id}`)."
                )
            load = await self.bot.reload_library()
        return import_reply(result, load.races)

    @app_commands.command(name="settings")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.choices(answers=[Choice(name=v, value=v) for v in ("public", "private")])
    @app_commands.describe(
        announce_channel="Where new races are announced",
        announce_off="Stop announcing new races",
        spoiler_days="Answer privately about races of the last N days (0 = off)",
        answers="Answer in the channel (public) or only to the asker (private)",
    )
    async def settings(
        self,
        interaction: Interaction,
        announce_channel: discord.TextChannel | None = None,
        announce_off: bool = False,
        spoiler_days: Range[int, 0, SPOILER_DAYS_MAX] | None = None,
        answers: Range[str, 6, 7] | None = None,
    ) -> None:
        """Show or change this server's settings (Manage Server)."""
        assert interaction.guild_id is not None  # guild_only
        changes: dict[str, object] = {}
        warning = None
        if announce_channel is not None:
            changes.update(announce_channel=announce_channel.id, announce_problem=None)
            warning = channel_warning(announce_channel)
        if announce_off:
            changes.update(announce_channel=None, announce_problem=None)
        if spoiler_days is not None:
            changes["spoiler_days"] = spoiler_days
        if answers is not None:
            changes["answers"] = answers
        store = self.bot.guild_settings
        if changes:
            current = await store.update(interaction.guild_id, **changes)
        else:
            current = store.get(interaction.guild_id)
        text = settings_text(current)
        if warning:
            text += f"\n{warning}"
        await interaction.response.send_message(text, ephemeral=True)

    @commands.Cog.listener()
    async def on_library_changed(self, old: RaceLibrary, new: RaceLibrary) -> None:
        """Announce the races a reload (or import) added or changed."""
        changes = library_changes(old, new)
        if changes:
            sent = await announce(self.bot, changes)
            log.info("announced %d changed races (%d messages)", len(changes), sent)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot left (or was removed from) a server: forget its settings."""
        await self.bot.guild_settings.delete(guild.id)
        log.info("removed from server %d; its settings are deleted", guild.id)


async def setup(bot: RaceBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Community(bot))
    bot.add_dynamic_items(ShowResults)
