"""Announcing a new or replaced race in every server that asked for it (`announce_channel`).

Outside a server's spoiler window the announcement is the race overview (date, circuit, the
winner and every class winner); inside it, the race's name and a "Show results" button that
answers privately. Each (server, change) is claimed in the store before the message goes, so
with several processes (or a restart) an announcement is sent at most once, by the process
whose shards hold the server. Changes taken in before the servers are delivered wait for them.
A channel that refuses (403) or has gone (404) is logged once and marked in that server's
settings; it is skipped from then on, until /settings names a channel again, and never stops
the announcements to other servers. Nothing is retried in a loop.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import discord

from bot.core.asking.answers import RaceAnswer
from bot.discord.privacy import in_spoiler_window
from bot.discord.rendering import answer_embeds
from bot.discord.tree import reply_privately
from bot.present.text import md
from bot.store import GuildSettings, StoreError
from bot.store.records import Change

if TYPE_CHECKING:
    from bot.core.documents.model import Race, RaceSummary
    from bot.discord.client import RaceBot

log = logging.getLogger(__name__)

ANNOUNCED_PER_RELOAD: Final = 5
"""Races announced after one reload at most (newest first): a bulk copy is not news."""

SHOW_RESULTS_ID: Final = "racebot:show:{key}"
GONE: Final = "That race is no longer loaded."


def announceable(changes: Sequence[Change]) -> list[Change]:
    """The changes worth announcing (added or replaced races), newest first, one per race."""
    picked: dict[str, Change] = {}
    for change in sorted(changes, key=lambda c: c.revision, reverse=True):
        if change.action in ("added", "replaced") and change.race_key not in picked:
            picked[change.race_key] = change
    return list(picked.values())


def show_key(race: Race | RaceSummary) -> str:
    """A short fixed-length key for a race's title (custom ids hold 100 characters)."""
    return hashlib.sha256(race.title.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def announcement(race: Race, action: str, spoiler_days: int, today: dt.date) -> dict[str, Any]:
    """The message (content, embed, view) announcing a change in one server."""
    verb = "New race" if action == "added" else "Updated results"
    if not in_spoiler_window(race, spoiler_days, today):
        embed = answer_embeds(RaceAnswer(race=race))[0]
        return {"content": f"{verb}: **{md(race.title)}**", "embed": embed}
    embed = discord.Embed(
        title=md(race.title, 250),
        description=f"Results are hidden here for {spoiler_days} days after the race, so "
        "nobody is spoiled. Press **Show results** to see them (only you will).",
    )
    view = discord.ui.View(timeout=None)
    view.add_item(ShowResults(show_key(race)))
    return {"content": f"{verb}: **{md(race.title)}**", "embed": embed, "view": view}


class ShowResults(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"racebot:show:(?P<key>[0-9a-f]{16})"
):
    """The "Show results" button of a spoiler-free announcement: the race overview, privately."""

    def __init__(self, key: str) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Show results",
            style=discord.ButtonStyle.primary,
            custom_id=SHOW_RESULTS_ID.format(key=key),
        )
        super().__init__(button)
        self.key = key

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: Any,
        /,
    ) -> ShowResults:
        """Rebuild the button from a press (works across restarts: the key is in the id)."""
        return cls(str(match["key"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer the presser, and only them, with the race overview."""
        library = interaction.client.service.library
        found = (i for i, summary in enumerate(library.summaries) if show_key(summary) == self.key)
        index = next(found, None)
        if index is None:
            await reply_privately(interaction, GONE)
            return
        race = library.races[index]
        embed = answer_embeds(RaceAnswer(race=race))[0]
        await interaction.response.send_message(embed=embed, ephemeral=True)


def holds(bot: RaceBot, guild_id: int) -> bool:
    """Whether this process runs the shard a server is on (Discord's rule: the server id's
    timestamp part modulo the shard count)."""
    count, ids = bot.shard_count, bot.shard_ids
    if count is None or ids is None:
        return True  # every shard is this process's
    return (guild_id >> 22) % count in ids


async def announce(bot: RaceBot, changes: Sequence[Change]) -> int:
    """Announce the changes in every server with an announce channel that this process holds;
    the messages sent. Before the servers are delivered, the changes wait for them."""
    picked = announceable(changes)[:ANNOUNCED_PER_RELOAD]
    if not picked:
        return 0
    if not bot.is_ready():  # the servers are not known yet: announced from on_ready
        bot.pending_announcements.extend(picked)
        return 0
    library = bot.keeper.built
    races = [(change, library.position(change.race_key)) for change in picked]
    today = discord.utils.utcnow().date()
    sent = 0
    for settings in bot.guild_settings:
        if settings.announce_channel is None or settings.announce_problem is not None:
            continue  # a marked channel waits for /settings: no retry loop
        if not holds(bot, settings.guild_id):
            continue  # another process's shard holds it, and announces there
        for change, index in races:
            if index is None:
                continue  # removed again since
            try:
                if not await bot.store.claim_announcement(settings.guild_id, change.revision):
                    continue  # another process (or an earlier run) sent it
            except StoreError as exc:
                log.warning("not announcing: the store cannot be written (%s)", exc)
                return sent
            race = bot.service.library.races[index]
            message = announcement(race, change.action, settings.spoiler_days, today)
            if not await _send(bot, settings, message):
                break
            sent += 1
    return sent


async def _send(bot: RaceBot, settings: GuildSettings, message: dict[str, Any]) -> bool:
    """Send one announcement; on 403/404 log once and mark the channel. Whether it went."""
    assert settings.announce_channel is not None
    channel = bot.get_partial_messageable(settings.announce_channel, guild_id=settings.guild_id)
    try:
        await channel.send(**message)
    except (discord.Forbidden, discord.NotFound) as exc:
        problem = "the channel is gone" if exc.status == 404 else "I may not post there"
        log.warning(
            "not announcing in server %d: channel %d refused (%d %s); marked in /settings",
            settings.guild_id,
            settings.announce_channel,
            exc.status,
            exc.text,
        )
        with contextlib.suppress(StoreError):  # unreachable now; the next failure marks it
            await bot.guild_settings.update(settings.guild_id, announce_problem=problem)
        return False
    except discord.HTTPException as exc:  # Discord's own trouble: skip this server this time
        log.warning("announcement in server %d failed (%s)", settings.guild_id, exc)
        return False
    return True
