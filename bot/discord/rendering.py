"""Cards -> Discord: embeds, and the exact message payload an answer is sent as.

`message_payload` is the `data` object of Discord's interaction response (the OpenAPI schema's
IncomingWebhookInteractionRequest): what `racebot ask --json` prints and what the bot sends
through discord.py (whose client is set to allow no mentions).
"""

from __future__ import annotations

import io
from typing import Any, Final

import discord

from bot.core.asking.answers import Answer, Choice
from bot.discord.choices import answer_choices, answer_items, component_rows
from bot.present.cards import answer_cards
from bot.present.pages import Card, attachment_name

EPHEMERAL_FLAG: Final = 1 << 6
"""MessageFlags.EPHEMERAL: only the asker sees the message."""


def card_embed(card: Card) -> discord.Embed:
    """The embed showing one card."""
    embed = discord.Embed(
        title=card.title or None,
        description=card.description or None,
        colour=card.colour,
    )
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    if card.image:
        embed.set_image(url=card.image)
    return embed


def answer_embeds(answer: Answer) -> list[discord.Embed]:
    """One embed per page of the answer, in order (one message shows one page)."""
    return [card_embed(card) for card in answer_cards(answer)]


def no_mentions() -> discord.AllowedMentions:
    """What every racebot message may ping: nobody."""
    return discord.AllowedMentions.none()


def cards_payload(
    cards: list[Card], page: int = 0, choices: tuple[Choice, ...] = ()
) -> dict[str, Any]:
    """The interaction-response `data` showing one page of cards (clamped to the ends).

    Under it: the choices (buttons, or a select menu when more than five), then ◀ ▶ if paged.
    """
    if not cards:
        raise ValueError("an answer has at least one card")
    page = max(0, min(page, len(cards) - 1))
    card = cards[page]
    payload: dict[str, Any] = {
        "embeds": [card_embed(card).to_dict()],
        "allowed_mentions": no_mentions().to_dict(),
    }
    if card.ephemeral:
        payload["flags"] = EPHEMERAL_FLAG
    items = answer_items(choices, page, len(cards))
    if items:
        payload["components"] = component_rows(items)
    if (name := attachment_name(card.image)) is not None:
        # As discord.py sends it: the upload's index as id, and the name the embed refers to.
        payload["attachments"] = [{"id": 0, "filename": name}]
    return payload


def picture_file(embed: discord.Embed, data: bytes) -> discord.File:
    """The file an embed's `attachment://` image names, holding the picture's bytes."""
    name = attachment_name(embed.image.url or "")
    if name is None:
        raise ValueError("the embed's image is not an attachment")
    return discord.File(io.BytesIO(data), filename=name)


def message_payload(answer: Answer, page: int = 0) -> dict[str, Any]:
    """Exactly the interaction-response `data` object sent for one page of an answer."""
    return cards_payload(answer_cards(answer), page, answer_choices(answer))
