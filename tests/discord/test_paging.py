"""The page buttons: one definition, disabled at the ends, a press handed to the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.discord.paging import (
    PAGE_NEXT_ID,
    PAGE_NEXT_LABEL,
    PAGE_PREV_ID,
    PAGE_PREV_LABEL,
    PageButton,
    PagedView,
    page_buttons,
)

MakeInteraction = Callable[..., Any]


class RecordingView(PagedView):
    """A paged view that records the steps it is asked to turn."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[int] = []

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Record the step."""
        self.steps.append(step)


def test_back_and_forward_buttons_carry_their_ids_and_labels() -> None:
    """◀ has the previous-page id and step -1; ▶ the next-page id and step +1."""
    back, forward = PageButton(-1), PageButton(+1)
    assert (back.label, back.custom_id, back.step) == (PAGE_PREV_LABEL, PAGE_PREV_ID, -1)
    assert (forward.label, forward.custom_id, forward.step) == (PAGE_NEXT_LABEL, PAGE_NEXT_ID, 1)
    assert back.style is forward.style is discord.ButtonStyle.secondary


def test_page_buttons_are_disabled_at_the_ends() -> None:
    """First page: ◀ off; last page: ▶ off; a single page: both off; in between: both on."""
    states = {
        (page, pages): tuple(button.disabled for button in page_buttons(page, pages))
        for page, pages in [(0, 3), (1, 3), (2, 3), (0, 1)]
    }
    assert states == {
        (0, 3): (True, False),
        (1, 3): (False, False),
        (2, 3): (False, True),
        (0, 1): (True, True),
    }


async def test_a_press_is_handed_to_the_view(make_interaction: MakeInteraction) -> None:
    """Pressing a page button calls the view's `turn` with the button's step."""
    view = RecordingView()
    back, forward = page_buttons(1, 3)
    view.add_item(back).add_item(forward)
    await forward.callback(make_interaction())
    await back.callback(make_interaction())
    assert view.steps == [1, -1]
