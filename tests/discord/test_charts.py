"""/chart on Discord: the payload names its attachment, pictures are drawn once, off the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from discord.webhook.async_ import interaction_message_response_params

from bot.core.asking.answers import ChartAnswer
from bot.core.asking.query import QueryService
from bot.core.documents.model import Race
from bot.core.library.races import RaceLibrary
from bot.discord.answer_service import AnswerService
from bot.discord.charts import ChartCache, chart_key
from bot.discord.rendering import answer_embeds, message_payload, picture_file
from bot.discord.views import send_chart
from bot.present.chart import race_chart
from bot.store import GuildSettings

FILENAME = "chart-2003-grand-prix-of-sonoma.png"
PNG = b"\x89PNG\r\n\x1a\npretend"


@pytest.fixture(scope="module")
def sonoma(seed_library: RaceLibrary) -> Race:
    """The seed race."""
    race = seed_library.latest
    assert race is not None
    return race


class Counting:
    """A renderer that counts its calls, and which thread made them."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.threads: set[int] = set()

    def __call__(self, race: Race) -> bytes:
        """Pretend to draw the race."""
        self.calls.append(race.title)
        self.threads.add(threading.get_ident())
        return PNG + race.title.encode()


def test_the_payload_names_the_attachment_the_embed_shows(sonoma: Race) -> None:
    """`attachments` has the file, and the embed's image refers to it by name."""
    payload = message_payload(ChartAnswer(race=sonoma))
    assert payload["attachments"] == [{"id": 0, "filename": FILENAME}]
    assert payload["embeds"][0]["image"] == {"url": f"attachment://{FILENAME}"}
    assert "flags" not in payload


def test_the_payload_is_what_discord_py_sends_with_the_file(sonoma: Race) -> None:
    """discord.py's own interaction-response data for the embed and file equals ours."""
    [embed] = answer_embeds(ChartAnswer(race=sonoma))
    params = interaction_message_response_params(
        type=discord.InteractionResponseType.channel_message.value,
        embed=embed,
        file=picture_file(embed, PNG),
        previous_allowed_mentions=discord.AllowedMentions.none(),
    )
    assert params.payload is None  # a file makes it multipart
    assert params.multipart is not None
    [json_part, file_part] = params.multipart
    sent = discord.utils._from_json(json_part["value"])["data"]
    assert sent.pop("tts") is False
    assert sent == message_payload(ChartAnswer(race=sonoma))
    assert (file_part["name"], file_part["filename"]) == ("files[0]", FILENAME)


def test_picture_file_needs_an_attachment_image() -> None:
    """An embed without an `attachment://` image has no file to carry."""
    with pytest.raises(ValueError, match="attachment"):
        picture_file(discord.Embed(title="no picture"), PNG)


async def test_a_race_is_drawn_once_in_a_worker_thread(sonoma: Race) -> None:
    """Repeated and concurrent askers share one drawing, made off the event loop's thread."""
    render = Counting()
    charts = ChartCache(render=render)
    assert charts.cached(sonoma) is None
    pictures = await asyncio.gather(*(charts.picture(sonoma) for _ in range(5)))
    again = await charts.picture(sonoma)
    assert set(pictures) == {again} == {charts.cached(sonoma)}
    assert render.calls == [sonoma.title]
    assert threading.get_ident() not in render.threads


async def test_the_cache_keeps_the_most_recent_races(sonoma: Race) -> None:
    """Keyed by source and title; past `kept` the least recently used race is drawn anew."""
    render = Counting()
    charts = ChartCache(render=render, kept=1)
    other = sonoma.model_copy(update={"title": "Another race", "source": "another.txt"})
    assert chart_key(other) == ("another.txt", "Another race")
    await charts.picture(sonoma)
    await charts.picture(other)
    await charts.picture(sonoma)
    assert (len(charts), render.calls) == (1, [sonoma.title, other.title, sonoma.title])


async def test_a_failed_drawing_is_tried_again(sonoma: Race) -> None:
    """An error reaches the asker; the next asker draws again."""
    failures = [RuntimeError("boom")]

    def flaky(race: Race) -> bytes:
        if failures:
            raise failures.pop()
        return PNG

    charts = ChartCache(render=flaky)
    with pytest.raises(RuntimeError, match="boom"):
        await charts.picture(sonoma)
    assert await charts.picture(sonoma) == PNG


def test_each_answer_service_has_its_own_charts(seed_library: RaceLibrary) -> None:
    """A new library (a /reload) comes with an empty chart cache."""
    service = QueryService(seed_library)
    assert AnswerService(service).charts is not AnswerService(service).charts


async def test_send_chart_thinks_then_follows_up_when_cold(
    query_service: QueryService, make_interaction: Callable[..., Any], sonoma: Race
) -> None:
    """Cold: defer with "thinking", then a follow-up with the embed and the named PNG."""
    answers = AnswerService(query_service)
    render = Counting()
    answers.charts = ChartCache(render=render)
    interaction = make_interaction()
    await send_chart(interaction, answers.ask("chart", race=None), answers.charts)
    assert interaction.response.deferred == {"ephemeral": False, "thinking": True}
    [file] = interaction.message_sent.files
    assert file.filename == FILENAME
    assert file.fp.read() == PNG + sonoma.title.encode()
    assert interaction.message_sent.embeds[0].image.url == f"attachment://{FILENAME}"

    warm = make_interaction()
    await send_chart(warm, answers.ask("chart", race="Sonoma"), answers.charts)
    assert warm.response.deferred is None
    assert [f.filename for f in warm.message_sent.files] == [FILENAME]
    assert render.calls == [sonoma.title]


async def test_send_chart_refusal_has_no_file(
    query_service: QueryService, make_interaction: Callable[..., Any]
) -> None:
    """No race matched: the private refusal, nothing drawn, nothing deferred."""
    answers = AnswerService(query_service)
    render = Counting()
    answers.charts = ChartCache(render=render)
    interaction = make_interaction()
    await send_chart(interaction, answers.ask("chart", race="Monza"), answers.charts)
    assert interaction.response.deferred is None
    assert interaction.message_sent.ephemeral
    assert interaction.message_sent.files == []
    assert render.calls == []


class _PrivateServer:
    """A settings store in which every server wants answers in private."""

    def get(self, guild_id: int) -> GuildSettings:
        """The server's settings: private answers."""
        return GuildSettings(guild_id, answers="private")


async def test_a_private_server_gets_a_private_chart(
    query_service: QueryService, make_interaction: Callable[..., Any], sonoma: Race
) -> None:
    """answers: private also hides the "thinking" message, so the chart never shows publicly."""
    answers = AnswerService(query_service)
    answers.charts = ChartCache(render=Counting())
    interaction = make_interaction(SimpleNamespace(guild_settings=_PrivateServer()))
    interaction.guild_id = 42
    await send_chart(interaction, answers.ask("chart", race=None), answers.charts)
    assert interaction.response.deferred == {"ephemeral": True, "thinking": True}
    assert interaction.message_sent.ephemeral
    assert [f.filename for f in interaction.message_sent.files] == [FILENAME]


async def test_a_chart_after_an_answered_press_is_not_deferred_again(
    query_service: QueryService, make_interaction: Callable[..., Any], sonoma: Race
) -> None:
    """A pressed choice has answered already: the chart follows without a second response."""
    answers = AnswerService(query_service)
    answers.charts = ChartCache(render=Counting())
    interaction = make_interaction()
    await interaction.response.edit_message(content="You chose the chart: it follows.")
    await send_chart(interaction, answers.ask("chart", race=None), answers.charts)
    assert interaction.response.deferred is None
    assert [f.filename for f in interaction.sent[-1].files] == [FILENAME]


async def test_drawing_never_holds_up_other_answers() -> None:
    """A 200-car chart is drawn on another thread while the event loop goes on answering (its
    speed is the chart benchmark's to measure, not a unit test's)."""
    from bench.chart_bench import large_field

    race = large_field(200)
    loop_thread = threading.get_ident()
    drawn_on: list[int] = []

    def render(race: Race) -> bytes:
        drawn_on.append(threading.get_ident())
        return race_chart(race)

    charts = ChartCache(render)
    drawing = asyncio.create_task(charts.picture(race))
    ticks = 0
    while not drawing.done():
        await asyncio.sleep(0)
        ticks += 1
    assert (await drawing).startswith(b"\x89PNG")
    assert drawn_on
    assert loop_thread not in drawn_on
    assert ticks > 1  # the loop ran other work meanwhile
