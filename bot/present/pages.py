"""Cards and paging: a `Card` is one page of an answer, checked against Discord's limits.

A `Card` is an embed without Discord: title, description, fields and footer as Discord-flavoured
markdown. `line_pages` and `field_pages` split an answer's lines or fields into as many cards as
it takes, each within every limit in `bot.present.limits`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.core.formats import ELLIPSIS
from bot.present.limits import (
    ATTACHMENT_NAME_PATTERN,
    ATTACHMENT_SCHEME,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    IMAGE_URL_LIMIT,
    TITLE_LIMIT,
)
from bot.present.text import EMPTY_VALUE, ZERO_WIDTH_SPACE, text_length, truncate

INTRO_CAP: Final = 1024
FOOTER_CAP: Final = 400
# Room kept in every footer for " · page 12345/12345".
PAGE_SUFFIX_ROOM: Final = 24
# Lines per page: enough to be useful, few enough to read on a phone.
LINES_PER_PAGE: Final = 20


@dataclass(frozen=True, slots=True)
class CardField:
    """One name/value pair of a card; inline fields sit side by side."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """One page of an answer: an embed's content, checked against Discord's limits."""

    title: str
    description: str
    colour: int
    fields: tuple[CardField, ...] = ()
    footer: str = ""
    ephemeral: bool = False
    image: str = ""
    """The embed's picture: `attachment://<file>` (a file sent with it) or an https URL."""

    def __post_init__(self) -> None:
        problems = card_problems(self)
        if problems:
            raise ValueError("card exceeds Discord's limits: " + "; ".join(problems))


def card_length(card: Card) -> int:
    """Title, description, field names and values, and footer, as Discord totals them."""
    parts = [card.title, card.description, card.footer]
    parts += [part for field in card.fields for part in (field.name, field.value)]
    return sum(text_length(part) for part in parts)


def card_problems(card: Card) -> list[str]:
    """Every Discord limit the card breaks (none for a card built by `answer_cards`)."""
    problems: list[str] = []
    parts = [
        ("title", card.title, TITLE_LIMIT),
        ("description", card.description, DESCRIPTION_LIMIT),
    ]
    parts.append(("footer", card.footer, FOOTER_LIMIT))
    for index, field in enumerate(card.fields):
        parts.append((f"field {index} name", field.name, FIELD_NAME_LIMIT))
        parts.append((f"field {index} value", field.value, FIELD_VALUE_LIMIT))
        if not field.name.strip() or not field.value.strip():
            problems.append(f"field {index} has an empty name or value")
    total = 0
    for what, text, limit in parts:  # each length measured once, for its limit and the total
        length = text_length(text)
        total += length
        if length > limit:
            problems.append(f"{what} is {length} long (limit {limit})")
    if len(card.fields) > FIELD_COUNT_LIMIT:
        problems.append(f"{len(card.fields)} fields (limit {FIELD_COUNT_LIMIT})")
    if total > EMBED_TOTAL_LIMIT:
        problems.append(f"{total} characters in all (limit {EMBED_TOTAL_LIMIT})")
    if not 0 <= card.colour <= 0xFFFFFF:
        problems.append(f"colour {card.colour} is not a 24-bit RGB value")
    if card.image:
        problems += _image_problems(card.image)
    return problems


_ATTACHMENT_NAME: Final = re.compile(ATTACHMENT_NAME_PATTERN)


def attachment_name(url: str) -> str | None:
    """The file an `attachment://<file>` URL names, or None for any other URL."""
    return url.removeprefix(ATTACHMENT_SCHEME) if url.startswith(ATTACHMENT_SCHEME) else None


def _image_problems(url: str) -> list[str]:
    if len(url) > IMAGE_URL_LIMIT:
        return [f"image URL is {len(url)} long (limit {IMAGE_URL_LIMIT})"]
    name = attachment_name(url)
    if name is not None and not _ATTACHMENT_NAME.fullmatch(name):
        return [f"attachment name {name!r} is not one Discord resolves (letters, digits, _ . -)"]
    if name is None and not url.startswith("https://"):
        return ["image URL is neither attachment:// nor https://"]
    return []


@dataclass(frozen=True, slots=True)
class Frame:
    """What every page of one answer shares."""

    title: str
    colour: int
    footer: str = ""
    ephemeral: bool = False
    intro: str = ""

    def fitted(self) -> Frame:
        """The frame cut to leave room for a page's content and its page number."""
        return replace(
            self,
            title=truncate(self.title, TITLE_LIMIT).strip() or EMPTY_VALUE,
            footer=truncate(self.footer, min(FOOTER_CAP, FOOTER_LIMIT - PAGE_SUFFIX_ROOM)),
            intro=truncate(self.intro, INTRO_CAP),
        )

    def room(self, description: str) -> int:
        """What the fields of a page may total, given its description."""
        fixed = text_length(self.title) + text_length(self.footer) + PAGE_SUFFIX_ROOM
        return EMBED_TOTAL_LIMIT - fixed - text_length(description)


def _with_intro(intro: str, body: str) -> str:
    return f"{intro}\n\n{body}" if intro and body else intro or body


def line_pages(frame: Frame, lines: Iterable[str], per_page: int = LINES_PER_PAGE) -> list[Card]:
    """Lines in the description, as many per page as fit."""
    frame = frame.fitted()
    separator = 2 if frame.intro else 0
    room = min(DESCRIPTION_LIMIT, frame.room("")) - text_length(frame.intro) - separator
    pages: list[list[str]] = []
    page: list[str] = []
    used = 0
    for raw in lines:
        line = truncate(raw, room)
        cost = text_length(line) + (1 if page else 0)
        if page and (used + cost > room or len(page) >= per_page):
            pages.append(page)
            page, used, cost = [], 0, text_length(line)
        page.append(line)
        used += cost
    if page or not pages:
        pages.append(page)
    return _finish(frame, [(_with_intro(frame.intro, "\n".join(page)), ()) for page in pages])


def field_pages(
    frame: Frame, fields: Iterable[CardField], per_page: int = FIELD_COUNT_LIMIT
) -> list[Card]:
    """Fields under the intro, as many per page as fit."""
    frame = frame.fitted()
    room = frame.room(frame.intro)
    per_page = min(per_page, FIELD_COUNT_LIMIT)
    pages: list[list[CardField]] = []
    page: list[CardField] = []
    used = 0
    for raw in fields:
        name = truncate(raw.name.strip() or ZERO_WIDTH_SPACE, FIELD_NAME_LIMIT)
        value_room = min(FIELD_VALUE_LIMIT, room - text_length(name))
        value = truncate(raw.value.strip() or EMPTY_VALUE, value_room)
        field = CardField(name, value, raw.inline)
        cost = text_length(name) + text_length(value)
        if page and (used + cost > room or len(page) >= per_page):
            pages.append(page)
            page, used = [], 0
        page.append(field)
        used += cost
    if page or not pages:
        pages.append(page)
    return _finish(frame, [(frame.intro, tuple(page)) for page in pages])


def _finish(frame: Frame, pages: Sequence[tuple[str, tuple[CardField, ...]]]) -> list[Card]:
    count = len(pages)
    cards = []
    for number, (description, fields) in enumerate(pages, start=1):
        footer = frame.footer
        if count > 1:
            footer = f"{footer} · page {number}/{count}" if footer else f"page {number}/{count}"
        cards.append(
            Card(
                title=frame.title,
                description=description,
                colour=frame.colour,
                fields=fields,
                footer=footer,
                ephemeral=frame.ephemeral,
            )
        )
    return cards


def lines_within(lines: Sequence[str], limit: int) -> str:
    """Whole lines while they fit, then '… and N more' (never cutting a line's markdown)."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        more = f"\n{ELLIPSIS} and {rest} more" if rest else ""
        cost = text_length(line) + (1 if kept else 0)
        if used + cost + text_length(more) > limit:
            tail = f"{ELLIPSIS} and {len(lines) - index} more"
            return "\n".join([*kept, tail])
        kept.append(line)
        used += cost
    return "\n".join(kept)
