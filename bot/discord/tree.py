"""The command tree's one error handler: expected problems in a line, bugs logged with an id."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import secrets
from typing import TYPE_CHECKING, Any, Final

import discord
from discord import app_commands

from bot.core.formats import clip
from bot.discord.checks import NotOwner
from bot.discord.metrics import METRICS, error_kind

if TYPE_CHECKING:
    from bot.discord.client import RaceBot

log = logging.getLogger(__name__)

GUILD_ID: Final[contextvars.ContextVar[int | None]] = contextvars.ContextVar(
    "racebot_guild_id", default=None
)
"""The server of the interaction being handled: each interaction runs in its own task, so every
log line written while answering it can say where (see `bot.app.logs`)."""


def new_error_id() -> str:
    """A short id that ties an apology in Discord to its traceback in the log."""
    return secrets.token_hex(4)


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

    async def interaction_check(self, interaction: discord.Interaction[RaceBot]) -> bool:
        """Note the interaction's server for the log lines written while answering it."""
        GUILD_ID.set(interaction.guild_id)
        return True

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
            METRICS.errors.labels("internal").inc()
            log.error(
                "error %s in %s",
                error_id,
                command_name(interaction),
                exc_info=original,
                extra={"error_id": error_id, "guild_id": interaction.guild_id},
            )
            message = f"Sorry, something went wrong on my side (error id `{error_id}`)."
        else:
            METRICS.errors.labels(error_kind(error)).inc()
        if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
            log.warning("out-of-date command registration: %s", error)
        await reply_privately(interaction, message)
