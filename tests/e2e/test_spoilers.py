"""The spoiler window, end to end: every command that reveals a result, inside and outside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bench.standin import EPHEMERAL, DiscordStandin
from bot.core.asking.query import QueryService
from bot.discord import privacy
from bot.discord.charts import ChartCache
from bot.discord.client import RaceBot
from tests.core.asking.fans import sonoma_library
from tests.e2e.support import assert_clean, fresh_user, is_ephemeral

RACE_DAY = dt.date(2003, 7, 27)
INSIDE = RACE_DAY + dt.timedelta(days=2)
OUTSIDE = RACE_DAY + dt.timedelta(days=30)
WINDOW = 3

COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("result", {"query": "Dyson"}),
    ("class", {"class": "GTS"}),
    ("driver", {"name": "Herbert"}),
    ("car", {"number": "16"}),
    ("stats", {}),
    ("race", {}),
    ("classification", {}),
    ("compare", {"first": "Herbert", "second": "Werner"}),
    ("season", {}),
    ("chart", {}),
    ("ask", {"question": "who won GTS"}),
]


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The query service over a copy of the seed (the live seeds folder may change)."""
    return QueryService(sonoma_library())


async def _message(standin: DiscordStandin, command: str, options: dict[str, Any]) -> Any:
    """The message a command was answered with: at once, or after "thinking" (a chart)."""
    iid = await standin.send_command(command, options, user_id=fresh_user())
    body = await standin.wait_for_callback(iid)
    if body["type"] == 4:
        return body["data"]
    assert body["type"] == 5, body  # a chart being drawn: "thinking", then a follow-up
    token = standin.interactions[iid].token
    request = await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith(token), timeout=10.0
    )
    return {**request.body, "deferred_flags": (body.get("data") or {}).get("flags", 0)}


@pytest.mark.parametrize(("command", "options"), COMMANDS, ids=[c for c, _ in COMMANDS])
async def test_every_result_is_private_inside_the_window(
    standin: DiscordStandin,
    live_bot: RaceBot,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    options: dict[str, Any],
) -> None:
    """Inside a 3-day window the answer goes to the asker alone with the note; 30 days on,
    the same question is answered in the channel."""
    live_bot.answers.charts = ChartCache(render=lambda race: b"\x89PNG\r\n\x1a\n")
    await live_bot.guild_settings.update(standin.guild_id, spoiler_days=WINDOW)
    monkeypatch.setattr(privacy, "spoiler_today", lambda: INSIDE)
    inside = await _message(standin, command, options)
    assert is_ephemeral(inside), command
    assert "spoiler window" in (inside.get("content") or ""), command
    if "deferred_flags" in inside:  # even the "thinking" of a chart is private
        assert inside["deferred_flags"] & EPHEMERAL

    monkeypatch.setattr(privacy, "spoiler_today", lambda: OUTSIDE)
    live_bot.answers.charts = ChartCache(render=lambda race: b"\x89PNG\r\n\x1a\n")
    outside = await _message(standin, command, options)
    assert not is_ephemeral(outside), command
    assert "spoiler window" not in (outside.get("content") or "")
    assert_clean(standin)
