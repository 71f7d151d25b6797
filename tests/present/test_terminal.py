"""Cards in the terminal: markdown as styles, inline fields side by side, every page printed,
and control and bidi characters never reaching the screen."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from bot.core.asking.answers import ClassAnswer, NotFoundAnswer, Subject
from bot.core.asking.query import QueryService
from bot.present.colours import class_colour
from bot.present.pages import Card, CardField
from bot.present.terminal import markdown_text, render_card, render_terminal
from bot.present.text import BIDI_CONTROLS, escape_markdown


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


def test_markdown_text_styles_and_unescapes() -> None:
    """Bold becomes a bold span; escapes are undone; the zero-width space disappears."""
    text = markdown_text("**P3** \\#38 \\*x\\* `code` @\u200beveryone")
    assert text.plain == "P3 #38 *x* code @everyone"
    bold = [span for span in text.spans if "bold" in str(span.style)]
    assert [text.plain[span.start : span.end] for span in bold] == ["P3"]


def test_markdown_text_leaves_unpaired_markers() -> None:
    """A lone asterisk is text, not the start of a style."""
    assert markdown_text("5 * 3").plain == "5 * 3"


@given(
    st.text(st.characters(blacklist_categories=("Cc", "Cs"))).map(lambda t: t.replace("\u200b", ""))
)
def test_terminal_shows_escaped_text_as_typed(text: str) -> None:
    """Whatever a name is, the terminal shows it exactly as written."""
    assert markdown_text(escape_markdown(text)).plain == text


def test_panel_border_has_the_class_colour(query_service: QueryService) -> None:
    """The panel is bordered in the class's colour (truecolor escape for #F57C00)."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=100)
    answer = query_service.class_results("GTS")
    assert isinstance(answer, ClassAnswer)
    render_terminal(answer, console)
    colour = class_colour("GTS")
    assert f"38;2;{colour >> 16};{colour >> 8 & 0xFF};{colour & 0xFF}" in out.getvalue()


def test_render_card_lays_out_inline_fields_side_by_side() -> None:
    """Three inline fields share a row; a full-width field gets its own."""
    card = Card(
        title="T",
        description="D",
        colour=0x123456,
        fields=(
            CardField("A", "1", inline=True),
            CardField("B", "2", inline=True),
            CardField("C", "3", inline=True),
            CardField("Wide", "4"),
        ),
        footer="F · page 1/2",
    )
    out = io.StringIO()
    Console(file=out, width=60).print(render_card(card, 60))
    lines = out.getvalue().splitlines()
    assert any("A" in line and "B" in line and "C" in line for line in lines)
    assert any("Wide" in line and "A" not in line for line in lines)
    assert "F · page 1/2" in out.getvalue()


def test_every_page_is_printed(query_service: QueryService) -> None:
    """A paged answer prints every page, each with its page number."""
    out = io.StringIO()
    render_terminal(query_service.result("Porsche"), Console(file=out, width=100))
    assert "page 1/2" in out.getvalue()
    assert "page 2/2" in out.getvalue()


def test_not_found_is_rendered() -> None:
    """The not-found message reads the same in the terminal."""
    out = io.StringIO()
    render_terminal(NotFoundAnswer(subject=Subject.DRIVER, query="X"), Console(file=out, width=100))
    assert "No driver matches “X”." in out.getvalue()
