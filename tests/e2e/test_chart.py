"""/chart end to end: the picture attached through the stand-in, drawn off the event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from bench.standin import DiscordStandin, RecordedRequest
from bot.core.asking.answers import ChartAnswer
from bot.core.asking.query import QueryService
from bot.core.documents.model import Race
from bot.discord.charts import ChartCache
from bot.discord.client import RaceBot
from bot.discord.rendering import message_payload
from bot.present.chart import race_chart
from tests.e2e.support import TOKEN, ask, assert_clean, fresh_user, new_bot, text_of

FILENAME = "chart-2003-grand-prix-of-sonoma.png"


@pytest_asyncio.fixture
async def bot(standin: DiscordStandin, query_service: QueryService) -> AsyncIterator[RaceBot]:
    """racebot over the seeds, logged in and ready."""
    client = new_bot(standin, query_service)
    async with standin.running(client, token=TOKEN):
        yield client


async def _followup(standin: DiscordStandin, iid: int, timeout: float = 10.0) -> RecordedRequest:
    """The follow-up message an interaction was answered with after its "thinking"."""
    token = standin.interactions[iid].token
    return await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith(token), timeout=timeout
    )


def _assert_chart_message(data: dict[str, Any], request: RecordedRequest, race: Race) -> None:
    """The message `racebot ask --json` prints, with the race's PNG as its one upload."""
    expected = message_payload(ChartAnswer(race=race))
    assert data["embeds"] == expected["embeds"]
    assert data["attachments"] == expected["attachments"] == [{"id": 0, "filename": FILENAME}]
    assert data["embeds"][0]["image"] == {"url": f"attachment://{FILENAME}"}
    [upload] = request.uploads
    assert (upload.part, upload.filename) == ("files[0]", FILENAME)
    assert upload.data == race_chart(race)  # the same race draws the same bytes


async def test_chart_is_attached_and_drawn_once(
    standin: DiscordStandin, bot: RaceBot, query_service: QueryService
) -> None:
    """Cold: "thinking", then a follow-up with the PNG; warm: an answer at once, not redrawn."""
    race = query_service.library.latest
    assert race is not None
    drawn: list[str] = []

    def counting(race: Race) -> bytes:
        drawn.append(race.title)
        return race_chart(race)

    bot.answers.charts = ChartCache(render=counting)
    iid = await standin.send_command("chart", user_id=fresh_user())
    assert (await standin.wait_for_callback(iid))["type"] == 5
    followup = await _followup(standin, iid)
    _assert_chart_message(followup.body, followup, race)

    iid = await standin.send_command("chart", {"race": "Sonoma"}, user_id=fresh_user())
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 4
    _assert_chart_message(body["data"], standin.callbacks(iid)[0], race)
    assert drawn == [race.title]
    assert_clean(standin)


async def test_a_missing_race_is_refused_privately(standin: DiscordStandin, bot: RaceBot) -> None:
    """/chart race:Monza: nothing to draw, the usual private "no race matches"."""
    data = await ask(standin, "chart", {"race": "Monza"})
    assert "attachments" not in data
    assert data["flags"] & 64
    assert "Monza" in text_of(data)
    assert_clean(standin)


async def test_the_bot_keeps_answering_while_a_chart_is_drawn(
    standin: DiscordStandin, bot: RaceBot, query_service: QueryService
) -> None:
    """While a drawing is held in its worker thread, /result is answered and a second /chart
    waits for the same drawing; once released, both charts are sent, drawn once."""
    started, release = threading.Event(), threading.Event()
    drawn: list[str] = []

    def held(race: Race) -> bytes:
        drawn.append(race.title)
        started.set()
        release.wait(timeout=10)  # the worker thread sleeps; the event loop must not
        return race_chart(race)

    bot.answers.charts = ChartCache(render=held)
    first = await standin.send_command("chart", user_id=fresh_user())
    assert (await standin.wait_for_callback(first))["type"] == 5
    assert await asyncio.to_thread(started.wait, 5)
    second = await standin.send_command("chart", {"race": "2003"}, user_id=fresh_user())
    assert (await standin.wait_for_callback(second))["type"] == 5

    data = await ask(standin, "result", {"query": "Dyson"})
    assert "Dyson Racing" in text_of(data)
    assert not release.is_set()
    assert not standin.interactions[first].followups  # still drawing

    release.set()
    race = query_service.library.latest
    assert race is not None
    for iid in (first, second):
        followup = await _followup(standin, iid)
        _assert_chart_message(followup.body, followup, race)
    assert drawn == [race.title]
    assert_clean(standin)
