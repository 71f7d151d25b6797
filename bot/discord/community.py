"""The Discord side of a community's own commands: who may import, importing an attachment,
and how a server's settings read. The cog in cogs/community.py only wires these to commands.

Who may import is the operator's decision, not each server's: the races are shared by every
server the bot is in. So /import is for the bot's owner (or its application team) and the
users in RACEBOT_EDITOR_IDS.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import discord

from bot.core.formats import plural
from bot.core.importing import (
    MAX_IMPORT_BYTES,
    AlreadyLoaded,
    ImportRefused,
    ImportResult,
    import_document,
    race_summary,
)
from bot.core.parsing import SeedError
from bot.discord.attachments import AttachmentProblem, read_attachment
from bot.discord.client import RaceBot
from bot.discord.metrics import METRICS
from bot.discord.reload_report import escape
from bot.discord.tree import new_error_id
from bot.present.text import plain, truncate
from bot.storage.guild_settings import GuildSettings

log = logging.getLogger(__name__)

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
    window = plural(days, "day") if days else "off"
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


async def import_attachment(bot: RaceBot, file: discord.Attachment, replace: bool) -> str:
    """Download, validate, write and reload (one import at a time); the private reply."""
    try:
        data = await read_attachment(file, MAX_IMPORT_BYTES)
    except AttachmentProblem as exc:
        return f"Not imported: {exc}."
    async with bot.import_lock:  # the library read here includes every earlier import
        library = bot.service.library
        try:
            result = await asyncio.to_thread(
                import_document,
                bot.settings.seeds_dir,
                data,
                truncate(file.filename, 100),
                library.summaries,
                replace=replace,
            )
        except SeedError as exc:
            problem = escape(plain(str(exc)))
            return truncate(f"Not imported, nothing was written:\n{problem}", REPLY_LIMIT)
        except ImportRefused as exc:
            loaded = isinstance(exc, AlreadyLoaded)
            how = " (to replace it, import again with replace:true)" if loaded else ""
            return truncate(f"Not imported: {escape(str(exc))}{how}.", REPLY_LIMIT)
        except OSError:
            error_id = new_error_id()
            log.exception(
                "error %s writing an imported document", error_id, extra={"error_id": error_id}
            )
            return f"Not imported: the seeds folder could not be written (error id `{error_id}`)."
        load = await bot.reload_library()
    METRICS.imports.inc()
    return import_reply(result, load.races)
