"""Text made safe for Discord markdown and measured as Discord measures it.

Document names are untrusted: `plain` flattens them to one line without control characters,
`escape_markdown` makes them literal and mentions inert, `truncate` cuts them to a limit.
Lengths are counted in UTF-16 code units, never less than the code points discord.py counts.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from bot.core.formats import ELLIPSIS

ZERO_WIDTH_SPACE: Final = "\u200b"
EMPTY_VALUE: Final = "—"
NAME_CAP: Final = 100
"""The longest a single name may be; keeps every line far below a page."""

MARKDOWN_CHARACTERS: Final = "\\*_~`|>#-[]()"
BIDI_CONTROLS: Final = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Marks and overrides that reorder text (U+202E shows 'abc' as 'cba'): never shown."""

_ESCAPES: Final = str.maketrans({char: "\\" + char for char in MARKDOWN_CHARACTERS})
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_MENTION = re.compile(r"<@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bidi controls are invisible, so they go without leaving a space (as in the core's matching).
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_UNPRINTABLE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def text_length(text: str) -> int:
    """Length in UTF-16 code units: at least the code-point count, so safe either way."""
    if text.isascii():  # the common case, and a C-speed check
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def escape_markdown(text: str) -> str:
    """Text Discord shows literally: markdown escaped, mentions broken, bidi controls removed."""
    escaped = _BIDI.sub("", text).translate(_ESCAPES)
    return neutralise_mentions(escaped)


def neutralise_mentions(text: str) -> str:
    """@everyone, @here and <@…> mentions made inert (for plain text such as footers)."""
    text = _MASS_MENTION.sub(lambda match: "@" + ZERO_WIDTH_SPACE + match[1], text)
    return _MENTION.sub("<@" + ZERO_WIDTH_SPACE, text)


def truncate(text: str, limit: int) -> str:
    """At most `limit` long (UTF-16 units), cut with "…" and never leaving a dangling escape."""
    if text_length(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = text[: limit - 1]
    # Characters beyond the BMP take two units each: drop them from the end until it fits.
    excess = text_length(cut) - (limit - 1)
    while excess > 0:
        excess -= text_length(cut[-1])
        cut = cut[:-1]
    cut = cut.rstrip()
    # An odd run of trailing backslashes would escape the ellipsis or open a broken escape.
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    return cut + ELLIPSIS


def plain(text: str) -> str:
    """One line of document text: controls and line breaks become spaces, bidi controls go."""
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", _BIDI.sub("", text)))
    return " ".join(text.split())


def printable(text: str) -> str:
    """Text for a terminal: control and bidi characters removed, line breaks and tabs kept."""
    return _UNPRINTABLE.sub("", text)


# Names repeat across answers (every driver, team and chassis of a season), so cache them.
@functools.lru_cache(maxsize=8192)
def md(text: str | None, cap: int = NAME_CAP) -> str:
    """A name from a document or a user, as safe markdown of at most `cap` characters."""
    if not text:  # a blank cell (no chassis, engine or tyre) shows as nothing
        return ""
    # Escaping only lengthens, so a prefix decides the result (with room for a whole mention).
    return truncate(escape_markdown(plain(text)[: cap + 16]), cap)
