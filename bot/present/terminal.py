"""Cards -> the terminal: each page as a rich panel bordered in its card's colour.

Discord's date markup (`<t:N:D>`, which cards carry so each reader sees their own locale) is
written here as the plain date, the one place it is. Control and bidi characters are dropped
too, whoever built the card: a right-to-left override would otherwise reverse the rest of the
terminal line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot.core.asking.answers import Answer
from bot.core.formats import plain_dates
from bot.present.cards import answer_cards
from bot.present.pages import Card, CardField
from bot.present.text import ZERO_WIDTH_SPACE, printable

PANEL_WIDTH: Final = 100
INLINE_PER_ROW: Final = 3
"""Discord lays out at most three inline fields side by side."""

_MARKERS: Final = {"**": Style(bold=True), "__": Style(underline=True), "~~": Style(strike=True)}
_SINGLE: Final = {"*": Style(italic=True), "_": Style(italic=True)}
_CODE: Final = Style(color="cyan")


def markdown_text(markdown: str, base: Style | None = None) -> Text:
    """Discord markdown as racebot writes it, as styled text: escapes undone, emphasis styled."""
    markdown = printable(plain_dates(markdown))  # Discord's date markup, as the plain date
    text = Text(style=base or Style())
    open_styles: dict[str, Style] = {}
    run: list[str] = []

    def flush() -> None:
        if run:
            text.append("".join(run), _combined(open_styles))
            run.clear()

    index = 0
    while index < len(markdown):
        char = markdown[index]
        pair = markdown[index : index + 2]
        if char == "\\" and index + 1 < len(markdown):
            run.append(markdown[index + 1])
            index += 2
        elif pair in _MARKERS and _closes_or_opens(markdown, index, pair, open_styles):
            flush()
            _toggle(open_styles, pair, _MARKERS[pair])
            index += 2
        elif char in _SINGLE and _closes_or_opens(markdown, index, char, open_styles):
            flush()
            _toggle(open_styles, char, _SINGLE[char])
            index += 1
        elif char == "`" and (end := markdown.find("`", index + 1)) > index:
            flush()
            text.append(markdown[index + 1 : end], _CODE)
            index = end + 1
        else:
            if char != ZERO_WIDTH_SPACE:
                run.append(char)
            index += 1
    flush()
    return text


def _closes_or_opens(markdown: str, index: int, marker: str, open_styles: dict[str, Style]) -> bool:
    """A marker toggles when it closes an open span or a matching one follows it."""
    return marker in open_styles or _unescaped_find(markdown, marker, index + len(marker)) >= 0


def _unescaped_find(markdown: str, marker: str, start: int) -> int:
    index = start
    while index < len(markdown):
        if markdown[index] == "\\":
            index += 2
            continue
        if markdown.startswith(marker, index):
            return index
        index += 1
    return -1


def _toggle(open_styles: dict[str, Style], marker: str, style: Style) -> None:
    if marker in open_styles:
        del open_styles[marker]
    else:
        open_styles[marker] = style


def _combined(open_styles: dict[str, Style]) -> Style:
    return Style.combine(open_styles.values()) if open_styles else Style()


def _field_text(field: CardField) -> Text:
    text = markdown_text(field.name, Style(bold=True))
    text.append("\n")
    text.append_text(markdown_text(field.value))
    return text


def _field_rows(fields: Sequence[CardField]) -> Iterator[RenderableType]:
    """Consecutive inline fields side by side, three at most; the others each on its own."""
    row: list[CardField] = []
    for field in [*fields, None]:
        if field is not None and field.inline and len(row) < INLINE_PER_ROW:
            row.append(field)
            continue
        if row:
            grid = Table.grid(expand=True, padding=(0, 2))
            for _ in row:
                grid.add_column(ratio=1)
            grid.add_row(*(_field_text(item) for item in row))
            yield grid
            row = []
        if field is not None:
            if field.inline:
                row.append(field)
            else:
                yield _field_text(field)


def render_card(card: Card, width: int = PANEL_WIDTH) -> Panel:
    """One card as a panel: title, description, fields, footer; the border in its colour."""
    colour = f"#{card.colour:06x}"
    parts: list[RenderableType] = []
    if card.title:
        parts.append(markdown_text(card.title, Style(bold=True, color=colour)))
    if card.description:
        parts.append(markdown_text(card.description))
    parts.extend(_field_rows(card.fields))
    if card.footer:
        parts.append(
            Text(printable(plain_dates(card.footer)).replace(ZERO_WIDTH_SPACE, ""), style="dim")
        )
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced:
            spaced.append(Text(""))
        spaced.append(part)
    return Panel(Group(*spaced), border_style=colour, width=width, padding=(0, 1))


def render_terminal(answer: Answer, console: Console) -> None:
    """Print every page of an answer."""
    for card in answer_cards(answer):
        console.print(render_card(card, min(PANEL_WIDTH, console.width)))
