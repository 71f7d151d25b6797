"""Owner commands: re-read the race documents, register the commands globally."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import owner_only
from bot.discord.client import RaceBot
from bot.discord.reload_report import reload_report

Interaction = discord.Interaction[RaceBot]


class Admin(commands.Cog):
    """Running the bot: hidden from members without Manage Server, refused to all but the owner."""

    def __init__(self, bot: RaceBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload")
    @app_commands.default_permissions(manage_guild=True)
    @owner_only()
    async def reload(self, interaction: Interaction) -> None:
        """Re-read the race documents (owner only); the old races stay if none load."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = reload_report(await self.bot.reload_library())
        await interaction.followup.send(report.content, files=report.files(), ephemeral=True)

    @app_commands.command(name="sync")
    @app_commands.default_permissions(manage_guild=True)
    @owner_only()
    async def sync(self, interaction: Interaction) -> None:
        """Register the slash commands with Discord everywhere (owner only)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.sync_commands()
        await interaction.followup.send(
            f"Registered {len(synced)} commands globally.", ephemeral=True
        )


async def setup(bot: RaceBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Admin(bot))
