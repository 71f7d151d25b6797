"""The paginator: only the asker turns pages, the ends are disabled, timeout removes buttons."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.discord.choices import component_rows
from bot.discord.paging import PAGE_NEXT_ID, PAGE_PREV_ID, page_buttons
from bot.discord.views import EXPIRED, NOT_YOURS, AnswerView, ExpiredControls

MakeInteraction = Callable[..., Any]

ASKER = 1001


def _pages(count: int) -> list[discord.Embed]:
    return [discord.Embed(title=f"page {number}") for number in range(1, count + 1)]


def _states(view: AnswerView) -> tuple[bool, bool]:
    return view.previous_page.disabled, view.next_page.disabled


async def test_first_page_has_previous_disabled() -> None:
    """On page 1 of 3, ◀ is disabled and ▶ enabled."""
    view = AnswerView(_pages(3), owner_id=ASKER)
    assert view.page == 0
    assert _states(view) == (True, False)


async def test_next_and_previous_change_the_page(make_interaction: MakeInteraction) -> None:
    """▶ shows the next page and ◀ the one before, editing the message in place."""
    pages = _pages(3)
    view = AnswerView(pages, owner_id=ASKER)
    forward = make_interaction(user_id=ASKER)
    await view.next_page.callback(forward)
    assert view.page == 1
    assert _states(view) == (False, False)
    assert forward.response.edits == [{"embed": pages[1], "view": view}]

    back = make_interaction(user_id=ASKER)
    await view.previous_page.callback(back)
    assert view.page == 0
    assert back.response.edits == [{"embed": pages[0], "view": view}]


async def test_last_page_has_next_disabled(make_interaction: MakeInteraction) -> None:
    """On the last page ▶ is disabled; pressing past the end stays on the last page."""
    view = AnswerView(_pages(2), owner_id=ASKER)
    await view.next_page.callback(make_interaction(user_id=ASKER))
    assert _states(view) == (False, True)
    await view.show(make_interaction(user_id=ASKER), 5)
    assert view.page == 1


async def test_single_page_has_no_page_buttons() -> None:
    """A one-page answer offers no way to move: no ◀ ▶ at all."""
    view = AnswerView(_pages(1), owner_id=ASKER)
    assert _states(view) == (True, True)
    assert view.children == []


async def test_no_pages_is_refused() -> None:
    """A paginator needs something to show."""
    with pytest.raises(ValueError, match="at least one page"):
        AnswerView([], owner_id=ASKER)


async def test_only_the_asker_may_press(make_interaction: MakeInteraction) -> None:
    """Someone else's press is refused privately and the page does not change."""
    view = AnswerView(_pages(3), owner_id=ASKER)
    stranger = make_interaction(user_id=2002)
    assert await view.interaction_check(stranger) is False
    assert stranger.message_sent.ephemeral
    assert stranger.message_sent.content == NOT_YOURS
    assert view.page == 0
    assert await view.interaction_check(make_interaction(user_id=ASKER)) is True


async def test_timeout_removes_the_buttons(make_interaction: MakeInteraction) -> None:
    """When the view times out the message is edited with view=None."""
    view = AnswerView(_pages(2), owner_id=ASKER)
    interaction = make_interaction(user_id=ASKER)
    await interaction.response.send_message(embed=view.pages[0], view=view)
    view.message = await interaction.original_response()
    await view.on_timeout()
    assert interaction.message_sent.edits == [{"view": None}]


async def test_timeout_without_a_message_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """A view that was never sent has nothing to edit: no edit, no log, the buttons unchanged."""
    view = AnswerView(_pages(2), owner_id=ASKER)
    before = view.to_components()
    with caplog.at_level(logging.DEBUG, logger="bot.discord.views"):
        await view.on_timeout()
    assert view.message is None
    assert view.to_components() == before
    assert caplog.records == []


async def test_timeout_on_a_deleted_message_is_logged_not_raised(
    make_interaction: MakeInteraction, caplog: pytest.LogCaptureFixture
) -> None:
    """When Discord refuses the edit (message deleted, token expired), a debug line is logged."""
    view = AnswerView(_pages(2), owner_id=ASKER)

    async def gone(**changes: Any) -> None:
        response = SimpleNamespace(status=404, reason="Not Found")
        raise discord.NotFound(response, {"code": 10008, "message": "Unknown Message"})

    view.message = SimpleNamespace(edit=gone)  # type: ignore[assignment]
    with caplog.at_level(logging.DEBUG, logger="bot.discord.views"):
        await view.on_timeout()
    assert "could not remove the answer's controls" in caplog.text


async def test_buttons_match_the_rendered_payload(make_interaction: MakeInteraction) -> None:
    """The view's components are exactly the ◀ ▶ row rendering sends, page by page."""
    view = AnswerView(_pages(3), owner_id=ASKER)
    for page in range(3):
        assert view.to_components() == component_rows(page_buttons(page, 3))
        if page < 2:
            await view.next_page.callback(make_interaction(user_id=ASKER))


async def test_a_failing_press_apologises_with_an_id(
    make_interaction: MakeInteraction, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in a button is logged with an id, and the presser gets a private apology."""
    view = AnswerView(_pages(2), owner_id=ASKER)
    interaction = make_interaction(user_id=ASKER)
    await view.on_error(interaction, RuntimeError("boom"), view.next_page)
    content = interaction.message_sent.content
    assert interaction.message_sent.ephemeral
    assert "error id" in content
    error_id = content.split("`")[1]
    assert error_id in caplog.text
    assert "boom" not in content


async def test_presses_on_expired_pages_are_answered(make_interaction: MakeInteraction) -> None:
    """After a restart a press on old page buttons gets a private "ask again", not a failure."""
    view = ExpiredControls()
    assert view.is_persistent()
    buttons = {item.custom_id for item in view.children if isinstance(item, discord.ui.Button)}
    assert {PAGE_PREV_ID, PAGE_NEXT_ID} <= buttons
    for button in (view.previous_page, view.next_page):
        press = make_interaction(user_id=ASKER)
        await button.callback(press)
        assert press.message_sent.ephemeral
        assert press.message_sent.content == EXPIRED


async def test_the_results_cog_registers_the_expired_pages_view(racebot: Any) -> None:
    """Loading the cogs registers the view that answers page buttons no live view hears."""
    assert any(isinstance(view, ExpiredControls) for view in racebot.persistent_views)
