"""Sending an answer, and the paginator that shows a long one a page at a time."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

import discord

from bot.core.answers import ChartAnswer
from bot.discord.answer_service import RenderedAnswer
from bot.discord.charts import ChartCache
from bot.discord.paging import PageButton, PagedView, page_buttons
from bot.discord.rendering import picture_file
from bot.discord.tree import command_name, new_error_id, reply_privately

log = logging.getLogger(__name__)

PAGE_TIMEOUT_S: Final = 300.0
"""How long the page buttons stay after the last press."""

NOT_YOURS: Final = "Only the person who asked can turn these pages; ask your own question."

EXPIRED: Final = "These pages have expired (the bot restarted); ask the question again."


class Paginator(PagedView):
    """Pages of embeds behind ◀ ▶ buttons that only the invoking user may press."""

    def __init__(
        self, pages: Sequence[discord.Embed], *, owner_id: int, timeout: float = PAGE_TIMEOUT_S
    ) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a paginator needs at least one page")
        self.pages = tuple(pages)
        self.owner_id = owner_id
        self.page = 0
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self.previous_page, self.next_page = page_buttons(self.page, len(self.pages))
        self.add_item(self.previous_page).add_item(self.next_page)

    def _update_buttons(self) -> None:
        self.previous_page.disabled = self.page == 0
        self.next_page.disabled = self.page == len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Refuse, privately, anyone but the asker."""
        if interaction.user.id == self.owner_id:
            return True
        await reply_privately(interaction, NOT_YOURS)
        return False

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Show the page before (◀) or after (▶)."""
        await self.show(interaction, self.page + step)

    async def show(self, interaction: discord.Interaction[Any], page: int) -> None:
        """Edit the message to show one page (clamped to the ends)."""
        self.page = max(0, min(page, len(self.pages) - 1))
        self._update_buttons()
        await interaction.response.edit_message(embed=self.pages[self.page], view=self)

    async def on_timeout(self) -> None:
        """Remove the buttons: the pages stay, the controls go."""
        if self.message is None:
            return
        try:
            await self.message.edit(view=None)
        except discord.HTTPException:  # deleted, or the interaction token expired
            log.debug("could not remove page buttons", exc_info=True)

    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
    ) -> None:
        """Log a failed button press with an id and apologise privately."""
        error_id = new_error_id()
        log.error(
            "error %s turning a page of %s", error_id, command_name(interaction), exc_info=error
        )
        await reply_privately(
            interaction, f"Sorry, I couldn't turn the page (error id `{error_id}`)."
        )


class ExpiredPages(PagedView):
    """Answers presses on page buttons whose paginator is gone, e.g. after a restart.

    Registered once without a message, it only sees presses that no live paginator claims:
    discord.py looks for the message's own view first.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.previous_page, self.next_page = PageButton(-1), PageButton(+1)
        self.add_item(self.previous_page).add_item(self.next_page)

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Say the pages are gone."""
        await reply_privately(interaction, EXPIRED)


async def send_answer(
    interaction: discord.Interaction[Any],
    rendered: RenderedAnswer,
    files: Sequence[discord.File] = (),
) -> None:
    """Send an answer: one embed, or a paginator when it has several pages."""
    answer, pages = rendered
    attached: dict[str, Any] = {"files": list(files)} if files else {}
    if len(pages) == 1:
        if interaction.response.is_done():
            await interaction.followup.send(embed=pages[0], ephemeral=answer.ephemeral, **attached)
        else:
            await interaction.response.send_message(
                embed=pages[0], ephemeral=answer.ephemeral, **attached
            )
        return
    view = Paginator(pages, owner_id=interaction.user.id)
    if interaction.response.is_done():
        view.message = await interaction.followup.send(
            embed=pages[0], view=view, ephemeral=answer.ephemeral, wait=True, **attached
        )
        return
    callback = await interaction.response.send_message(
        embed=pages[0], view=view, ephemeral=answer.ephemeral, **attached
    )
    resource = callback.resource
    if isinstance(resource, discord.InteractionMessage):
        view.message = resource
    else:
        view.message = await interaction.original_response()


async def send_chart(
    interaction: discord.Interaction[Any], rendered: RenderedAnswer, charts: ChartCache
) -> None:
    """Send /chart's answer with its picture; say "thinking" first when it must be drawn."""
    answer = rendered.answer
    if not isinstance(answer, ChartAnswer):  # a refusal: nothing to draw
        await send_answer(interaction, rendered)
        return
    png = charts.cached(answer.race)
    if png is None:
        await interaction.response.defer(thinking=True)
        png = await charts.picture(answer.race)  # drawn in a worker thread
    await send_answer(interaction, rendered, files=[picture_file(rendered.pages[0], png)])
