"""A community's own commands: /import a race document, /settings for the server; announcements.

/import is registered for Manage Server (hidden from most members) and that permission is
checked again when it runs, because a server can change who sees a command; who may import at
all is decided in bot/discord/community.py.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.discord.announce import ShowResults, announce
from bot.discord.client import RaceBot
from bot.discord.community import (
    NOT_EDITOR,
    STORE_DOWN,
    channel_warning,
    import_attachment,
    may_import,
    remove_race,
    settings_text,
)
from bot.loader.guild_settings import SPOILER_DAYS_MAX, SettingsUnavailable
from bot.store.records import Change
from cogs.results import race_choices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[RaceBot]


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
        outcome = await import_attachment(self.bot, file, replace, interaction.user.id)
        if outcome.offer is None:
            await interaction.followup.send(outcome.text, ephemeral=True)
        else:
            await interaction.followup.send(outcome.text, ephemeral=True, view=outcome.offer)

    @app_commands.command(name="remove")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(race="The imported race to remove (its document is kept in history)")
    @app_commands.autocomplete(race=race_choices)
    async def remove(self, interaction: Interaction, race: Range[str, 1, 100]) -> None:
        """Remove an imported race (owner and editors only); its document is kept."""
        if not await may_import(self.bot, interaction.user):
            await interaction.response.send_message(NOT_EDITOR, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await remove_race(self.bot, race, interaction.user.id)
        await interaction.followup.send(reply, ephemeral=True)

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
            try:
                current = await store.update(interaction.guild_id, **changes)
            except SettingsUnavailable:
                await interaction.response.send_message(STORE_DOWN, ephemeral=True)
                return
        else:
            current = store.get(interaction.guild_id)
        text = settings_text(current)
        if warning:
            text += f"\n{warning}"
        await interaction.response.send_message(text, ephemeral=True)

    @commands.Cog.listener()
    async def on_library_changed(self, changes: tuple[Change, ...]) -> None:
        """Announce the races a change (here or in another process) added or replaced."""
        sent = await announce(self.bot, changes)
        if sent:
            log.info("announced %d changes (%d messages)", len(changes), sent)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot left (or was removed from) a server: forget its settings."""
        try:
            await self.bot.guild_settings.delete(guild.id)
        except SettingsUnavailable as exc:
            log.warning("removed from server %d; its settings stay (%s)", guild.id, exc)
            return
        log.info("removed from server %d; its settings are deleted", guild.id)


async def setup(bot: RaceBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Community(bot))
    bot.add_dynamic_items(ShowResults)
