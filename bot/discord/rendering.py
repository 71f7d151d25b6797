"""Cards -> Discord: embeds, and the exact message payload an answer is sent as.

`message_payload` is the `data` object of Discord's interaction response (the OpenAPI schema's
IncomingWebhookInteractionRequest): what `racebot ask --json` prints and what the bot sends
through discord.py (whose client is set to allow no mentions).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import discord

from bot.core.answers import Answer
from bot.present.cards import Card, answer_cards

if TYPE_CHECKING:
    from bot.core.query import QueryService

PAGE_PREV_ID: Final = "racebot:page:prev"
PAGE_NEXT_ID: Final = "racebot:page:next"
PAGE_PREV_LABEL: Final = "◀"
PAGE_NEXT_LABEL: Final = "▶"
EPHEMERAL_FLAG: Final = 1 << 6
"""MessageFlags.EPHEMERAL: only the asker sees the message."""
ACTION_ROW: Final = 1


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
    return embed


def answer_embeds(answer: Answer) -> list[discord.Embed]:
    """One embed per page of the answer, in order (one message shows one page)."""
    return [card_embed(card) for card in answer_cards(answer)]


class RenderedAnswer(NamedTuple):
    """An answer and its pages as embeds (shared between askers: never modified)."""

    answer: Answer
    pages: tuple[discord.Embed, ...]


RENDERED_ANSWERS_KEPT: Final = 1024
"""Distinct questions whose rendered answer is kept (about 3 kB each)."""


class RenderedAnswers:
    """One query service's answers, rendered once per distinct question and then reused.

    A library never changes under its service (/reload builds a new service, and a new
    cache), so the same question always gets the same pages; after a race most questions
    are repeats, and a repeat costs a dictionary look-up instead of a query and its pages.
    """

    def __init__(self, service: QueryService, kept: int = RENDERED_ANSWERS_KEPT) -> None:
        self.service = service
        self._kept = kept
        self._answers: OrderedDict[tuple[object, ...], RenderedAnswer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def ask(self, command: str, **options: str | None) -> RenderedAnswer:
        """The answer to a command with its options, and its pages."""
        key = (command, *sorted(options.items()))
        rendered = self._answers.get(key)
        if rendered is not None:
            self._answers.move_to_end(key)
            return rendered
        answer = self.service.ask(command, **options)
        rendered = RenderedAnswer(answer, tuple(answer_embeds(answer)))
        self._answers[key] = rendered
        if len(self._answers) > self._kept:
            self._answers.popitem(last=False)  # the least recently asked
        return rendered


def no_mentions() -> discord.AllowedMentions:
    """What every racebot message may ping: nobody."""
    return discord.AllowedMentions.none()


def pager_components(page: int, pages: int) -> list[dict[str, Any]]:
    """The ◀ ▶ action row under page `page` (0-based) of `pages`, as discord.py sends it."""
    buttons = [
        discord.ui.Button[discord.ui.View](
            label=PAGE_PREV_LABEL,
            style=discord.ButtonStyle.secondary,
            custom_id=PAGE_PREV_ID,
            disabled=page <= 0,
        ),
        discord.ui.Button[discord.ui.View](
            label=PAGE_NEXT_LABEL,
            style=discord.ButtonStyle.secondary,
            custom_id=PAGE_NEXT_ID,
            disabled=page >= pages - 1,
        ),
    ]
    row: dict[str, Any] = {
        "type": ACTION_ROW,
        "components": [dict(button.to_component_dict()) for button in buttons],
    }
    return [row]


def cards_payload(cards: list[Card], page: int = 0) -> dict[str, Any]:
    """The interaction-response `data` showing one page of cards (clamped to the ends)."""
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
    if len(cards) > 1:
        payload["components"] = pager_components(page, len(cards))
    return payload


def message_payload(answer: Answer, page: int = 0) -> dict[str, Any]:
    """Exactly the interaction-response `data` object sent for one page of an answer."""
    return cards_payload(answer_cards(answer), page)
