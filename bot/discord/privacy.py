"""Whether an answer goes to the channel or to the asker only, by the server's settings.

A server may want every answer private (`answers: private`), or answers about a race of the
last `spoiler_days` days private so that people who have not watched yet are not spoiled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, NamedTuple

import discord

from bot.core.asking.answers import Answer, CompareAnswer, DriverAnswer, SeasonAnswer
from bot.core.documents.model import Race, RaceSummary
from bot.store import GuildSettings

SPOILER_NOTE: Final = (
    "Sent only to you: this race is inside this server's {days}-day spoiler window."
)


class Privacy(NamedTuple):
    """Whether only the asker sees the answer, and the one-line note that says why (if any)."""

    private: bool
    note: str | None = None


def answer_races(answer: Answer) -> tuple[Race | RaceSummary, ...]:
    """The races whose results an answer shows (none for help, lists and problems): one race's
    answers, a driver's races, both sides' races of a comparison and every race of a season."""
    if isinstance(answer, DriverAnswer):
        return tuple(appearance.race for appearance in answer.appearances)
    if isinstance(answer, CompareAnswer):
        sides = (*answer.first.appearances, *answer.second.appearances)
        return (
            *(shared.race for shared in answer.shared),
            *(appearance.race for appearance in sides),
        )
    if isinstance(answer, SeasonAnswer):
        return answer.races
    race = getattr(answer, "race", None)
    return (race,) if isinstance(race, Race) else ()


def spoiler_today() -> dt.date:
    """Today's date in UTC, as the spoiler window counts it (one place, so tests can set it)."""
    return discord.utils.utcnow().date()


def in_spoiler_window(race: Race | RaceSummary, days: int, today: dt.date) -> bool:
    """Whether a race is recent enough to spoil: dated within `days` days (0: never)."""
    return days > 0 and race.date is not None and race.date >= today - dt.timedelta(days=days)


def privacy_for(answer: Answer, settings: GuildSettings, today: dt.date) -> Privacy:
    """The privacy a server's settings give an answer."""
    if answer.ephemeral or settings.answers == "private":
        return Privacy(True)
    days = settings.spoiler_days
    if any(in_spoiler_window(race, days, today) for race in answer_races(answer)):
        return Privacy(True, SPOILER_NOTE.format(days=days))
    return Privacy(False)


def answer_privacy(interaction: discord.Interaction[Any], answer: Answer) -> Privacy:
    """The privacy of an answer to this interaction: its server's settings, if it has any."""
    store = getattr(interaction.client, "guild_settings", None)  # a client with no store: none
    guild_id = getattr(interaction, "guild_id", None)
    if store is None or guild_id is None:
        return Privacy(answer.ephemeral)
    return privacy_for(answer, store.get(guild_id), spoiler_today())
