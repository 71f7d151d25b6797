"""The checks: the owner-only gate and the per-user question limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from discord import app_commands

from bot.discord.checks import (
    QUESTION_WINDOW_S,
    QUESTIONS_PER_WINDOW,
    NotOwner,
    UserRateLimit,
    question_cooldown,
)
from bot.discord.client import RaceBot

MakeInteraction = Callable[..., Any]


def test_rate_limit_allows_five_then_says_how_long_to_wait() -> None:
    """Five questions in the window pass; the sixth waits for the oldest token to come back."""
    limit = UserRateLimit(5, 10.0)
    for second in range(5):
        limit.hit(user_id=1, now=1000.0 + second)
    with pytest.raises(app_commands.CommandOnCooldown) as waiting:
        limit.hit(user_id=1, now=1004.5)
    assert waiting.value.retry_after == pytest.approx(5.5)
    limit.hit(user_id=2, now=1004.5)  # someone else is not held back
    limit.hit(user_id=1, now=1010.5)  # the window has passed


def test_rate_limit_forgets_idle_users() -> None:
    """Buckets of users idle for a whole window are dropped, so memory follows the crowd."""
    limit = UserRateLimit(5, 10.0)
    for user in range(1_000):
        limit.hit(user_id=user, now=100.0)
    assert len(limit) == 1_000
    limit.hit(user_id=5_000, now=111.0)
    assert len(limit) == 1


def test_the_limit_is_five_questions_in_ten_seconds() -> None:
    """README promises five questions in ten seconds per user."""
    assert (QUESTIONS_PER_WINDOW, QUESTION_WINDOW_S) == (5, 10.0)


async def test_the_question_check_uses_the_bots_limit(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """The check counts each question on the bot's own limit; the sixth in a burst is refused."""

    @question_cooldown()
    async def ask(interaction: Any) -> None:
        """A command guarded by the limit."""

    checks = ask.__discord_app_commands_checks__  # type: ignore[attr-defined]
    (check,) = checks
    interaction = make_interaction(racebot, user_id=31)
    for _ in range(QUESTIONS_PER_WINDOW):
        assert await check(interaction) is True
    with pytest.raises(app_commands.CommandOnCooldown):
        await check(interaction)
    assert len(racebot.question_limit) == 1


def test_not_owner_is_a_check_failure() -> None:
    """NotOwner is a CheckFailure, so discord.py stops the command before it runs."""
    assert issubclass(NotOwner, app_commands.CheckFailure)
