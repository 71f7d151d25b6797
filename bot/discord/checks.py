"""App-command checks: the owner-only gate and the per-user question limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.discord.client import RaceBot

T = TypeVar("T")

QUESTIONS_PER_WINDOW: Final = 5
QUESTION_WINDOW_S: Final = 10.0
"""A generous per-user limit: five questions in ten seconds, whatever the command."""


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
