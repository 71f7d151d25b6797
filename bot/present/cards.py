"""Answers -> cards: `answer_cards` is the one way in, whatever the answer.

The formatters live in `bot.present.formatters` (one function per answer type); the `Card`
they build and its paging in `bot.present.pages`; Discord's limits in `bot.present.limits`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    ChartAnswer,
    ClassAnswer,
    ClassificationAnswer,
    ClassWinnersAnswer,
    CompareAnswer,
    DriverAnswer,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    RaceAnswer,
    RacesAnswer,
    ResultsAnswer,
    SeasonAnswer,
    StatsAnswer,
)
from bot.present.formatters.chart import chart_cards
from bot.present.formatters.classification import classification_cards
from bot.present.formatters.compare import compare_cards
from bot.present.formatters.races import race_cards, races_cards, stats_cards
from bot.present.formatters.replies import (
    ambiguous_cards,
    help_cards,
    invalid_cards,
    not_found_cards,
)
from bot.present.formatters.results import (
    class_cards,
    class_winners_cards,
    driver_cards,
    results_cards,
)
from bot.present.formatters.season import season_cards
from bot.present.limits import DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT
from bot.present.pages import Card, card_length
from bot.present.text import plain, text_length, truncate

READ_AS_CAP: Final = 300
"""The longest reading of a plain question shown (a question is at most 100 characters)."""


def answer_cards(answer: Answer) -> list[Card]:
    """The pages that show an answer, in order; at least one, each within Discord's limits.
    A plain question's answer says first how it was read ("Read as `/class GTS`")."""
    cards = _cards(answer)
    if answer.read_as:
        cards[0] = with_first_line(cards[0], read_as_line(answer.read_as))
    return cards


def read_as_line(command: str) -> str:
    """'Read as `/class GTS race:Sonoma 2003`' (backticks in the words made quotes)."""
    shown = truncate(plain(command).replace("`", "'"), READ_AS_CAP)
    return f"Read as `{shown}`"


def with_first_line(card: Card, line: str) -> Card:
    """The card with a line before its description, the description cut to keep every limit."""
    room = min(
        DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - card_length(card) + text_length(card.description)
    )
    room -= text_length(line) + 1
    description = truncate(card.description, max(room, 0)) if card.description else ""
    return replace(card, description=f"{line}\n{description}" if description else line)


def _cards(answer: Answer) -> list[Card]:
    match answer:
        case ResultsAnswer():
            return results_cards(answer)
        case ClassAnswer():
            return class_cards(answer)
        case ClassificationAnswer():
            return classification_cards(answer)
        case ClassWinnersAnswer():
            return class_winners_cards(answer)
        case DriverAnswer():
            return driver_cards(answer)
        case StatsAnswer():
            return stats_cards(answer)
        case RaceAnswer():
            return race_cards(answer)
        case ChartAnswer():
            return chart_cards(answer)
        case RacesAnswer():
            return races_cards(answer)
        case HelpAnswer():
            return help_cards(answer)
        case NotFoundAnswer():
            return not_found_cards(answer)
        case AmbiguousAnswer():
            return ambiguous_cards(answer)
        case InvalidAnswer():
            return invalid_cards(answer)
        case CompareAnswer():
            return compare_cards(answer)
        case SeasonAnswer():
            return season_cards(answer)
