"""Sending an answer, and the view under it: ◀ ▶ over its pages and its one-tap choices.

Pressing a choice answers its question as if it had been typed, through the bot's answer
service: the private offer is edited to say the answer follows (its buttons go), and the answer
is sent as a follow-up, public when the answer is public. So the offer is replaced by one line
and the answer appears once. Controls expire after `ANSWER_TIMEOUT_S` without a press; the
message then says so. Presses no live view hears (after a restart) reach `ExpiredControls`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

import discord

from bot.core.asking.answers import ChartAnswer, Choice
from bot.discord.answer_service import AnswerService, RenderedAnswer
from bot.discord.charts import ChartCache
from bot.discord.choices import (
    ChoiceButton,
    ChoiceSelect,
    ChoosingView,
    answer_choices,
    answer_items,
    choice_label,
)
from bot.discord.metrics import METRICS
from bot.discord.paging import PageButton, PagedView, page_buttons
from bot.discord.privacy import answer_privacy
from bot.discord.rendering import picture_file
from bot.discord.tree import command_name, new_error_id, reply_privately
from bot.present.limits import BUTTONS_PER_ROW_LIMIT
from bot.present.text import escape_markdown

log = logging.getLogger(__name__)

ANSWER_TIMEOUT_S: Final = 300.0
"""How long pages and choices stay pressable after the last press."""

NOT_YOURS: Final = "Only the person who asked can use these buttons; ask your own question."

EXPIRED: Final = "These pages have expired (the bot restarted); ask the question again."

CHOICES_EXPIRED: Final = (
    "Sorry, these choices are no longer active (they last a few minutes, and not across a "
    "restart of the bot): please ask the question again."
)
"""The private reply to a press on choices no live view holds."""

CHOICES_TIMED_OUT: Final = "These choices have expired: ask the question again to choose."
"""What the offer says once its choices time out (they are removed)."""


def answered_below(choice: Choice) -> str:
    """What the private offer is edited to say once a choice is pressed."""
    return f"You chose {escape_markdown(choice_label(choice.label, 0))}: the answer follows."


def answer_service(interaction: discord.Interaction[Any]) -> AnswerService:
    """The answer service the cogs use, as the bot holds it now (a /reload replaces it)."""
    answers = getattr(interaction.client, "answers", None)
    if not isinstance(answers, AnswerService):
        raise TypeError("choices need a client with an answer service")
    return answers


class AnswerView(PagedView, ChoosingView):
    """Pages of embeds behind ◀ ▶ and the answer's choices; only the invoking user may press."""

    def __init__(
        self,
        pages: Sequence[discord.Embed],
        *,
        owner_id: int,
        choices: Sequence[Choice] = (),
        timeout: float | None = None,
    ) -> None:
        super().__init__(timeout=ANSWER_TIMEOUT_S if timeout is None else timeout)
        if not pages:
            raise ValueError("an answer view needs at least one page")
        self.pages = tuple(pages)
        self.choices = tuple(choices)
        self.owner_id = owner_id
        self.page = 0
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        items = answer_items(self.choices, self.page, len(self.pages))
        for item in items:
            self.add_item(item)
        # One page has no ◀ ▶ to show; detached disabled ones keep the turning code simple.
        buttons = [item for item in items if isinstance(item, PageButton)]
        self.previous_page, self.next_page = buttons if buttons else page_buttons(0, 1)

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

    async def choose(self, interaction: discord.Interaction[Any], index: int) -> None:
        """Answer the chosen question as if typed: the offer says so, the answer follows."""
        if not 0 <= index < len(self.choices):
            await reply_privately(interaction, CHOICES_EXPIRED)
            return
        choice = self.choices[index]
        answers = answer_service(interaction)
        rendered = answers.ask(choice.command, **dict(choice.options))
        self.stop()  # answered once: a second press finds no live view
        await interaction.response.edit_message(
            content=answered_below(choice), embeds=[], view=None
        )
        await send_chart(interaction, rendered, answers.charts)  # any answer, a chart's too

    async def on_timeout(self) -> None:
        """Remove the controls: the pages stay, and an offer says its choices expired."""
        if self.message is None:
            return
        try:
            if self.choices:
                await self.message.edit(content=CHOICES_TIMED_OUT, view=None)
            else:
                await self.message.edit(view=None)
        except discord.HTTPException:  # deleted, or the interaction token expired
            log.debug("could not remove the answer's controls", exc_info=True)

    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
    ) -> None:
        """Log a failed press with an id and apologise privately."""
        error_id = new_error_id()
        METRICS.errors.labels("internal").inc()
        log.error(
            "error %s on a press in %s",
            error_id,
            command_name(interaction),
            exc_info=error,
            extra={"error_id": error_id, "guild_id": interaction.guild_id},
        )
        await reply_privately(interaction, f"Sorry, that press failed (error id `{error_id}`).")


class ExpiredControls(PagedView, ChoosingView):
    """Answers presses on pages or choices whose view is gone, e.g. after a restart.

    Registered once without a message, it only sees presses that no live view claims:
    discord.py looks for the message's own view first.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.previous_page, self.next_page = PageButton(-1), PageButton(+1)
        self.add_item(self.previous_page).add_item(self.next_page)
        for index in range(BUTTONS_PER_ROW_LIMIT):
            self.add_item(ChoiceButton(index, ""))
        self.add_item(ChoiceSelect(()))

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Say the pages are gone."""
        await reply_privately(interaction, EXPIRED)

    async def choose(self, interaction: discord.Interaction[Any], index: int) -> None:
        """Say the choices are gone: ask again."""
        await reply_privately(interaction, CHOICES_EXPIRED)


async def send_answer(
    interaction: discord.Interaction[Any],
    rendered: RenderedAnswer,
    files: Sequence[discord.File] = (),
) -> None:
    """Send an answer: one embed, or with a view when it has several pages or choices."""
    answer, pages = rendered
    choices = answer_choices(answer)
    # The server may want it private (answers: private, or a race inside its spoiler window).
    private, note = answer_privacy(interaction, answer)
    content = note or discord.utils.MISSING
    attached: dict[str, Any] = {"files": list(files)} if files else {}
    if len(pages) == 1 and not choices:
        if interaction.response.is_done():
            await interaction.followup.send(
                embed=pages[0], content=content, ephemeral=private, **attached
            )
        else:
            await interaction.response.send_message(
                embed=pages[0], content=content, ephemeral=private, **attached
            )
        return
    view = AnswerView(pages, owner_id=interaction.user.id, choices=choices)
    if interaction.response.is_done():
        view.message = await interaction.followup.send(
            embed=pages[0], view=view, content=content, ephemeral=private, wait=True, **attached
        )
        return
    callback = await interaction.response.send_message(
        embed=pages[0], view=view, content=content, ephemeral=private, **attached
    )
    resource = callback.resource
    if isinstance(resource, discord.InteractionMessage):
        view.message = resource
    else:
        view.message = await interaction.original_response()


async def send_chart(
    interaction: discord.Interaction[Any], rendered: RenderedAnswer, charts: ChartCache
) -> None:
    """Send an answer; a chart's with its picture, saying "thinking" first if it must be drawn."""
    answer = rendered.answer
    if not isinstance(answer, ChartAnswer):  # a refusal: nothing to draw
        await send_answer(interaction, rendered)
        return
    png = charts.cached(answer.race)
    if png is None:
        if not interaction.response.is_done():  # a pressed choice has answered already
            private = answer_privacy(interaction, answer).private
            await interaction.response.defer(thinking=True, ephemeral=private)
        png = await charts.picture(answer.race)  # drawn in a worker thread
    await send_answer(interaction, rendered, files=[picture_file(rendered.pages[0], png)])
