"""What the card tests share: the seed's source, a car by number, a card's fields, the limits."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.asking.answers import Answer
from bot.core.documents.model import Entry, Race
from bot.present.cards import answer_cards
from bot.present.limits import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
)
from bot.present.pages import Card, card_length
from bot.present.text import text_length

SOURCE = "2003-grand-prix-of-sonoma.txt"


def car(race: Race, number: str) -> Entry:
    """One entry of a race by its number."""
    return next(entry for entry in race.entries if entry.number == number)


def only_card(answer: Answer) -> Card:
    """The single card of a one-page answer."""
    cards = answer_cards(answer)
    assert len(cards) == 1
    return cards[0]


def field_values(card: Card) -> dict[str, str]:
    """A card's fields by name."""
    return {field.name: field.value for field in card.fields}


def assert_within_limits(cards: Iterable[Card]) -> None:
    """Every Discord limit, checked one by one (in code points and in UTF-16 units)."""
    for card in cards:
        for measure in (len, text_length):
            assert measure(card.title) <= TITLE_LIMIT
            assert measure(card.description) <= DESCRIPTION_LIMIT
            assert measure(card.footer) <= FOOTER_LIMIT
            for field in card.fields:
                assert 0 < measure(field.name) <= FIELD_NAME_LIMIT
                assert 0 < measure(field.value) <= FIELD_VALUE_LIMIT
        assert len(card.fields) <= FIELD_COUNT_LIMIT
        assert card_length(card) <= EMBED_TOTAL_LIMIT
        assert 0 <= card.colour <= 0xFFFFFF
        assert card.title
