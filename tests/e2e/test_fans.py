"""/classification and /ask end to end: the real bot through discord.py and the stand-in."""

from __future__ import annotations

import pytest

from bench.standin import DiscordStandin
from bot.core.asking.query import QueryService
from bot.discord.client import RaceBot
from tests.core.asking.fans import sonoma_library
from tests.e2e.support import ask, assert_clean, assert_public_answer, is_ephemeral


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The query service over a copy of the seed (the live seeds folder may change)."""
    return QueryService(sonoma_library())


async def test_classification_is_paged_with_the_pager(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService
) -> None:
    """/classification: the first of four pages, in public, with ◀ ▶ to turn them."""
    data = await ask(standin, "classification", {"race": "latest"})
    assert_public_answer(data, service.ask("classification", race="latest"))
    embed = data["embeds"][0]
    assert embed["footer"]["text"].endswith("page 1/4")
    assert embed["description"].startswith("Showing 2003 Grand Prix of Sonoma for “latest”")
    assert data["components"]  # the pager
    assert_clean(standin)


async def test_ask_reads_a_plain_question(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService
) -> None:
    """/ask question:who won GTS at Sonoma 2003: the GTS order, its first line the reading."""
    question = {"question": "who won GTS at Sonoma 2003"}
    data = await ask(standin, "ask", question)
    assert_public_answer(data, service.ask("ask", **question))
    description = data["embeds"][0]["description"]
    assert description.splitlines()[0] == "Read as `/class GTS race:Sonoma 2003`"
    miss = await ask(standin, "ask", {"question": "tell me a joke @everyone"})
    assert is_ephemeral(miss)
    assert miss["allowed_mentions"] == {"parse": []}
    assert_clean(standin)
