"""Cards in the terminal: control and bidi characters never reach the screen."""

from __future__ import annotations

import io

from rich.console import Console

from bot.present.pages import Card, CardField
from bot.present.terminal import markdown_text, render_card
from bot.present.text import BIDI_CONTROLS


def rendered(card: Card) -> str:
    """A card as the terminal would print it, with its styling codes."""
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor")
    console.print(render_card(card))
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


def test_markdown_text_drops_bidi_and_control_characters() -> None:
    """A right-to-left override or an escape sequence in card text is dropped, not printed."""
    assert markdown_text("**Dy\u202eson**\x1b[2J\u2067 x").plain == "Dyson[2J x"
    assert markdown_text("line one\nline two").plain == "line one\nline two"


def test_a_card_built_by_hand_prints_no_bidi_controls() -> None:
    """Title, description, fields and footer are all cleaned, whoever built the card."""
    bidi = "\u202e\u200f\u2066"
    card = Card(
        title=f"{bidi}Title",
        description=f"Desc{bidi}ription",
        colour=0x607D8B,
        fields=(CardField(f"Na{bidi}me", f"Val{bidi}ue", inline=True),),
        footer=f"Foot{bidi}er\x1b[31m",
    )
    output = rendered(card)
    assert not set(output) & set(BIDI_CONTROLS)
    for word in ("Title", "Description", "Name", "Value", "Footer[31m"):
        assert word in output
