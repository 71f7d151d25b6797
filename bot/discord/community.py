"""The Discord side of a community's own commands: who may import, importing an attachment,
and how a server's settings read. The cog in cogs/community.py only wires these to commands.

Who may import is the operator's decision, not each server's: the races are shared by every
server the bot is in. So /import is for the bot's owner (or its application team) and the
users in RACEBOT_EDITOR_IDS.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Final

import discord

from bot.core.asking.questions.common import Refused
from bot.core.documents.importing import race_summary
from bot.core.documents.parsing import SeedError
from bot.core.formats import plural
from bot.discord.attachments import AttachmentProblem, read_attachment
from bot.discord.client import RaceBot
from bot.discord.metrics import METRICS
from bot.discord.reload_report import escape
from bot.discord.tree import new_error_id
from bot.loader.keeper import MAX_IMPORT_BYTES, AlreadyStored, Imported
from bot.present.text import plain, truncate
from bot.store import GuildSettings, StoreError

log = logging.getLogger(__name__)

NOT_EDITOR: Final = (
    "Only the bot's owner and its editors (RACEBOT_EDITOR_IDS) can import races: "
    "they are shared by every server the bot is in."
)
STORE_DOWN: Final = (
    "Nothing was changed: the bot's database cannot be reached just now. Questions are still "
    "answered; try this again in a minute."
)
REPLY_LIMIT: Final = 1900
"""Characters of a reply's text (Discord allows 2000; the rest is headroom)."""

ANNOUNCE_PERMISSIONS: Final = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True
)


async def may_import(bot: RaceBot, user: discord.abc.User) -> bool:
    """Whether a user may import: the owner or a team member, or one of RACEBOT_EDITOR_IDS."""
    return user.id in bot.settings.editors or await bot.is_owner(user)


def import_reply(result: Imported, races: int) -> str:
    """The private summary of an import: what was added or replaced, and that it is kept."""
    lines = [f"{result.change.action.capitalize()}: {escape(race_summary(result.race))}."]
    lines.append(f"{races} races are loaded; every server's bot has it within a second.")
    if result.replaced is not None:
        lines.append("The previous version is kept in the store's history.")
    lines += [f"Check: {escape(plain(str(warning)))}" for warning in result.warnings[:5]]
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


@dataclasses.dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The private reply to an import, and the offer to replace when the race is stored."""

    text: str
    offer: ReplaceOffer | None = None


async def import_attachment(
    bot: RaceBot, file: discord.Attachment, replace: bool, user_id: int | None = None
) -> ImportOutcome:
    """Download, validate and store (one import at a time); the private reply, with a one-tap
    offer to replace a race that is already stored."""
    try:
        data = await read_attachment(file, MAX_IMPORT_BYTES)
    except AttachmentProblem as exc:
        return ImportOutcome(f"Not imported: {exc}.")
    name = truncate(file.filename, 100)
    try:
        return ImportOutcome(await store_import(bot, data, name, user_id, replace=replace))
    except AlreadyStored as exc:
        how = " Press **Replace it** to replace it (or import again with replace:true)"
        text = truncate(f"Not imported: {escape(str(exc))}.{how}", REPLY_LIMIT)
        return ImportOutcome(text, ReplaceOffer(bot, data, name, user_id))


async def store_import(
    bot: RaceBot, data: bytes, name: str, user_id: int | None, *, replace: bool
) -> str:
    """Store a document and take the change in; the private reply (`AlreadyStored` raised)."""
    async with bot.import_lock:
        try:
            result = await bot.keeper.import_document(
                data, name, by=str(user_id or "unknown"), replace=replace
            )
        except SeedError as exc:
            problem = escape(plain(str(exc)))
            return truncate(f"Not imported, nothing was stored:\n{problem}", REPLY_LIMIT)
        except StoreError:
            error_id = new_error_id()
            log.exception(
                "error %s storing an imported document", error_id, extra={"error_id": error_id}
            )
            return f"Not imported: {STORE_DOWN} (error id `{error_id}`)"
        await bot.take_in_changes()
    METRICS.imports.inc()
    return import_reply(result, len(bot.service.library))


REPLACE_OFFER_S: Final = 600
"""How long the offer to replace stays open (the document waits in memory meanwhile)."""
ONLY_THE_IMPORTER: Final = "Only the editor who imported this document can replace with it."


class ReplaceOffer(discord.ui.View):
    """One tap to replace the race an import repeats; only the importer may press it, once.

    The document waits in this process's memory until then: the press comes back to the same
    process, since it is the same server's shard."""

    def __init__(self, bot: RaceBot, data: bytes, name: str, user_id: int | None) -> None:
        super().__init__(timeout=REPLACE_OFFER_S)
        self.bot, self.data, self.name, self.user_id = bot, data, name, user_id

    @discord.ui.button(label="Replace it", style=discord.ButtonStyle.danger)
    async def replace(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[ReplaceOffer]
    ) -> None:
        """Replace the stored race with the document; say what happened, privately."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(ONLY_THE_IMPORTER, ephemeral=True)
            return
        button.disabled = True
        self.stop()
        await interaction.response.edit_message(view=self)
        reply = await store_import(self.bot, self.data, self.name, self.user_id, replace=True)
        await interaction.followup.send(reply, ephemeral=True)


async def remove_race(bot: RaceBot, race: str, user_id: int) -> str:
    """Remove an imported race's document (kept in the history); the private reply."""
    async with bot.import_lock:
        try:
            index, race_key = bot.keeper.find_race(race)
        except Refused:
            return truncate(
                f"Nothing removed: no race is named {escape(plain(race))!r}; pick one from the "
                "list as you type.",
                REPLY_LIMIT,
            )
        except ValueError as exc:
            return truncate(f"Nothing removed: {escape(str(exc))}", REPLY_LIMIT)
        summary = bot.service.library.summaries[index]
        try:
            document = await bot.store.document(race_key)
            if document is not None and document.origin == "seeds":
                return truncate(
                    f"Nothing removed: {escape(summary.title)} comes from the seeds folder "
                    f"({escape(document.source)}); the operator removes it there.",
                    REPLY_LIMIT,
                )
            change = await bot.keeper.remove(race_key, by=str(user_id))
        except StoreError:
            return STORE_DOWN
        await bot.take_in_changes()
    if change is None:
        return f"Nothing removed: {escape(summary.title)} was removed already."
    return truncate(
        f"Removed {escape(summary.title)}; its document is kept in the store's history.",
        REPLY_LIMIT,
    )
