"""Cards -> Discord: embeds that mirror their cards, and the exact interaction-response data."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord.utils import MISSING
from discord.webhook.async_ import interaction_message_response_params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.asking.answers import (
    Answer,
    ClassAnswer,
    DriverAnswer,
    DriverRace,
    NotFoundAnswer,
    RaceAnswer,
    ResultsAnswer,
    StatsAnswer,
    Subject,
)
from bot.core.documents.model import Race, summarise
from bot.core.library.races import RaceLibrary
from bot.discord.choices import component_rows
from bot.discord.paging import PAGE_NEXT_ID, PAGE_PREV_ID, page_buttons
from bot.discord.rendering import (
    EPHEMERAL_FLAG,
    answer_embeds,
    card_embed,
    cards_payload,
    message_payload,
)
from bot.discord.views import AnswerView
from bot.present.cards import answer_cards
from bot.present.colours import class_colour
from bot.present.pages import Card, CardField

# Property names from the official OpenAPI description (discord-openapi.json):
# IncomingWebhookInteractionRequest, RichEmbed (+ "flags", which discord.py 2.7 always sends),
# ActionRowComponentForMessageRequest and ButtonComponentForMessageRequest.
DATA_KEYS = {"content", "embeds", "allowed_mentions", "components", "attachments", "poll", "tts",
             "flags"}  # fmt: skip
EMBED_KEYS = {"type", "url", "title", "color", "timestamp", "description", "author", "image",
              "thumbnail", "footer", "fields", "provider", "video", "flags"}  # fmt: skip
ROW_KEYS = {"type", "id", "components"}
BUTTON_KEYS = {"type", "id", "custom_id", "style", "label", "disabled", "url", "sku_id", "emoji"}


@pytest.fixture(scope="module")
def sonoma(seed_library: RaceLibrary) -> Race:
    """The seed race."""
    race = seed_library.latest
    assert race is not None
    return race


def herbert(race: Race) -> ResultsAnswer:
    """/result Herbert, one car."""
    entry = next(entry for entry in race.entries if entry.number == "38")
    return ResultsAnswer(
        race=race, query="Herbert", matched=("driver Johnny Herbert",), cars=(entry,)
    )


def every_car(race: Race) -> ResultsAnswer:
    """A /result matching all 36 cars: four pages."""
    return ResultsAnswer(race=race, query="R", matched=(), cars=race.entries)


def test_card_embed_mirrors_the_card() -> None:
    """Title, description, colour, fields (with inline) and footer carry over unchanged."""
    card = Card(
        title="T",
        description="D",
        colour=0x123456,
        fields=(CardField("a", "1", inline=True), CardField("b", "2")),
        footer="F",
    )
    embed = card_embed(card)
    assert embed.title == "T"
    assert embed.description == "D"
    assert embed.colour == discord.Colour(0x123456)
    assert [(f.name, f.value, f.inline) for f in embed.fields] == [
        ("a", "1", True),
        ("b", "2", False),
    ]
    assert embed.footer.text == "F"


def test_card_embed_leaves_out_empty_parts() -> None:
    """No description or footer key when the card has none."""
    data = card_embed(Card(title="T", description="", colour=0)).to_dict()
    assert "description" not in data
    assert "footer" not in data
    assert data["title"] == "T"


def test_answer_embeds_one_per_page(sonoma: Race) -> None:
    """One embed per card, in order."""
    embeds = answer_embeds(every_car(sonoma))
    cards = answer_cards(every_car(sonoma))
    assert [embed.footer.text for embed in embeds] == [card.footer for card in cards]
    assert len(embeds) == 4


def test_payload_of_a_public_answer(sonoma: Race) -> None:
    """One embed, no mentions allowed, no flags, no components."""
    payload = message_payload(herbert(sonoma))
    assert set(payload) == {"embeds", "allowed_mentions"}
    assert payload["allowed_mentions"] == {"parse": []}
    (embed,) = payload["embeds"]
    assert embed["title"] == r"\#38 ADT Champion Racing"
    assert embed["color"] == class_colour("LMP900")
    assert embed["footer"] == {"text": "Source: 2003-grand-prix-of-sonoma.txt:16"}
    assert embed["description"].startswith("**P3 · 2nd in LMP900**")


def test_payload_of_a_problem_is_ephemeral() -> None:
    """Not-found answers carry the EPHEMERAL flag (64)."""
    payload = message_payload(NotFoundAnswer(subject=Subject.DRIVER, query="Schumacher"))
    assert payload["flags"] == EPHEMERAL_FLAG == 64
    assert payload["allowed_mentions"] == {"parse": []}


def test_paged_payload_has_the_pager(sonoma: Race) -> None:
    """Several pages: ◀ disabled on the first, ▶ disabled on the last, out-of-range clamped."""
    answer = every_car(sonoma)
    first = message_payload(answer)
    assert first["components"] == [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 2, "label": "◀", "custom_id": PAGE_PREV_ID, "disabled": True},
                {"type": 2, "style": 2, "label": "▶", "custom_id": PAGE_NEXT_ID, "disabled": False},
            ],
        }
    ]
    assert first["embeds"][0]["footer"]["text"].endswith("page 1/4")
    last = message_payload(answer, page=3)
    buttons = last["components"][0]["components"]
    assert [button["disabled"] for button in buttons] == [False, True]
    assert last["embeds"][0]["footer"]["text"].endswith("page 4/4")
    assert message_payload(answer, page=99) == last
    assert message_payload(answer, page=-5) == first


def test_pager_ids_are_distinct_and_short() -> None:
    """Custom ids are unique within the row and within Discord's 100 characters."""
    ids = [button["custom_id"] for button in component_rows(page_buttons(1, 3))[0]["components"]]
    assert len(set(ids)) == len(ids)
    assert all(0 < len(custom_id) <= 100 for custom_id in ids)


def test_cards_payload_needs_a_card() -> None:
    """There is no message for no cards."""
    with pytest.raises(ValueError, match="at least one card"):
        cards_payload([])


def _keys_follow_the_schema(payload: dict[str, Any]) -> None:
    assert set(payload) <= DATA_KEYS
    assert len(payload["embeds"]) <= 10
    for embed in payload["embeds"]:
        assert set(embed) <= EMBED_KEYS
    for row in payload.get("components", []):
        assert set(row) <= ROW_KEYS
        assert 1 <= len(row["components"]) <= 5
        for button in row["components"]:
            assert set(button) <= BUTTON_KEYS


def test_payloads_use_only_documented_properties(sonoma: Race) -> None:
    """Every key is a property of the OpenAPI request schemas."""
    for answer in (herbert(sonoma), every_car(sonoma), RaceAnswer(race=sonoma)):
        _keys_follow_the_schema(message_payload(answer))


@pytest.mark.parametrize("ephemeral_answer", [False, True])
async def test_payload_is_what_discord_py_sends(sonoma: Race, ephemeral_answer: bool) -> None:
    """The payload equals what discord.py itself sends for the bot's paginator."""
    # The client allows no mentions; discord.py adds only tts=false and flags=0.
    answer: Answer = (
        NotFoundAnswer(subject=Subject.QUERY, query="x") if ephemeral_answer else every_car(sonoma)
    )
    pages = answer_embeds(answer)
    view = AnswerView(pages, owner_id=1) if len(pages) > 1 else MISSING
    flags = discord.MessageFlags._from_value(0)
    flags.ephemeral = answer.ephemeral
    params = interaction_message_response_params(
        type=discord.InteractionResponseType.channel_message.value,
        embed=pages[0],
        view=view,
        flags=flags,
        previous_allowed_mentions=discord.AllowedMentions.none(),
    )
    assert params.payload is not None
    sent = dict(params.payload["data"])
    assert sent.pop("tts") is False
    if sent["flags"] == 0:
        del sent["flags"]
    assert sent == message_payload(answer)


def test_every_seed_page_is_within_discords_total(sonoma: Race) -> None:
    """discord.py's own count (Embed.__len__) stays within 6000 for every page."""
    appearances = tuple(DriverRace(race=summarise(sonoma), entry=entry) for entry in sonoma.entries)
    answers: list[Answer] = [
        herbert(sonoma),
        every_car(sonoma),
        ClassAnswer(race=sonoma, class_="GT", entries=sonoma.class_entries("GT")),
        DriverAnswer(driver="Everyone", appearances=appearances),
        RaceAnswer(race=sonoma),
        StatsAnswer(
            race=sonoma, statistics=sonoma.statistics, entries=36, starters=35, classified=28,
            dnf=7, dns=1, nc=0,
        ),
    ]  # fmt: skip
    for answer in answers:
        for embed in answer_embeds(answer):
            assert 0 < len(embed) <= 6000
            assert len(embed.fields) <= 25


huge = st.one_of(
    st.text(min_size=1, max_size=30),
    st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=3),
              st.integers(100, 2000)),
)  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team=huge, drivers=st.lists(huge, max_size=8), title=huge, query=huge)
def test_huge_names_stay_within_discords_total(
    sonoma: Race, team: str, drivers: list[str], title: str, query: str
) -> None:
    """Whatever the names, discord.py counts at most 6000 per embed and 25 fields."""
    entries = tuple(
        entry.model_copy(update={"team": team, "drivers": tuple(drivers)})
        for entry in sonoma.entries
    )
    race = sonoma.model_copy(update={"title": title, "entries": entries})
    answers: list[Answer] = [
        ResultsAnswer(race=race, query=query, matched=(query,) * 5, cars=entries),
        ResultsAnswer(race=race, query=query, matched=(), cars=entries[:1]),
        ClassAnswer(race=race, class_=query, entries=entries),
        DriverAnswer(
            driver=query,
            appearances=tuple(DriverRace(race=summarise(race), entry=e) for e in entries),
        ),
        RaceAnswer(race=race),
    ]
    for answer in answers:
        for page, embed in enumerate(answer_embeds(answer)):
            assert len(embed) <= 6000
            assert len(embed.fields) <= 25
            payload = message_payload(answer, page)
            assert sum(len(discord.Embed.from_dict(e)) for e in payload["embeds"]) <= 6000
