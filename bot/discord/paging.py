"""The ◀ ▶ page buttons, defined once for the payload, the paginator and expired pages."""

from __future__ import annotations

from typing import Any, Final

import discord

PAGE_PREV_ID: Final = "racebot:page:prev"
PAGE_NEXT_ID: Final = "racebot:page:next"
PAGE_PREV_LABEL: Final = "◀"
PAGE_NEXT_LABEL: Final = "▶"


class PagedView(discord.ui.View):
    """A view with page buttons: a press calls `turn` with the button's step."""

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Answer a press of ◀ (step -1) or ▶ (step +1)."""
        raise NotImplementedError


class PageButton(discord.ui.Button[PagedView]):
    """◀ (step -1) or ▶ (step +1): label, style and custom id in this one place."""

    def __init__(self, step: int, *, disabled: bool = False, row: int | None = None) -> None:
        back = step < 0
        super().__init__(
            label=PAGE_PREV_LABEL if back else PAGE_NEXT_LABEL,
            style=discord.ButtonStyle.secondary,
            custom_id=PAGE_PREV_ID if back else PAGE_NEXT_ID,
            disabled=disabled,
            row=row,
        )
        self.step = step

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the press to the view this button belongs to."""
        if self.view is None:  # pragma: no cover - discord.py only dispatches attached items
            raise RuntimeError("a page button pressed outside a view")
        await self.view.turn(interaction, self.step)


def page_buttons(page: int, pages: int, *, row: int | None = None) -> tuple[PageButton, PageButton]:
    """◀ and ▶ under page `page` (0-based) of `pages`, each disabled at its end."""
    return (
        PageButton(-1, disabled=page <= 0, row=row),
        PageButton(+1, disabled=page >= pages - 1, row=row),
    )
