"""One-tap choices: buttons or a select menu within Discord's limits, pressed by the asker only."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from pydantic import ValidationError

from bench.standin import validate_components, validate_message_payload
from bot.core.asking.answers import AmbiguousAnswer, Choice, NotFoundAnswer, Subject
from bot.core.asking.query import QueryService
from bot.discord.answer_service import AnswerService, RenderedAnswer
from bot.discord.choices import (
    CHOICE_ID_PREFIX,
    CHOICE_SELECT_ID,
    ChoiceButton,
    ChoiceSelect,
    answer_items,
    choice_items,
    component_rows,
)
from bot.discord.paging import PAGE_NEXT_ID
from bot.discord.rendering import answer_embeds, cards_payload, message_payload
from bot.discord.views import (
    CHOICES_EXPIRED,
    CHOICES_TIMED_OUT,
    NOT_YOURS,
    AnswerView,
    ExpiredControls,
    answered_below,
    send_answer,
)
from bot.present.cards import answer_cards
from bot.present.limits import CUSTOM_ID_LIMIT, LABEL_LIMIT, SELECT_OPTION_LIMIT

MakeInteraction = Callable[..., Any]

ASKER = 1001

FIELDS = (
    Choice(
        label="Clint Field · #30 Intersport Racing",
        command="driver",
        options=(("name", "Clint Field"),),
    ),
    Choice(
        label="Jon Field · #37 Intersport Racing",
        command="driver",
        options=(("name", "Jon Field"),),
    ),
)


def which_field(choices: tuple[Choice, ...] = FIELDS) -> AmbiguousAnswer:
    """/driver Field as a which-one with the given choices."""
    return AmbiguousAnswer(
        subject=Subject.DRIVER,
        query="Field",
        options=tuple(c.label for c in choices) if len(choices) > 1 else ("a", "b"),
        choices=choices,
    )


def many(count: int, label: str = "Driver") -> tuple[Choice, ...]:
    """`count` choices, each asking /result for its own query."""
    return tuple(
        Choice(label=f"{label} {i}", command="result", options=(("query", f"q{i}"),))
        for i in range(count)
    )


def test_up_to_five_choices_are_buttons_in_one_row() -> None:
    """Five choices: five buttons in one action row, custom ids racebot:choice:0 … 4."""
    [row] = message_payload(which_field(many(5)))["components"]
    assert row["type"] == 1
    assert [b["type"] for b in row["components"]] == [2] * 5
    assert [b["custom_id"] for b in row["components"]] == [
        f"{CHOICE_ID_PREFIX}{i}" for i in range(5)
    ]
    assert [b["label"] for b in row["components"]] == [f"Driver {i}" for i in range(5)]


def test_an_answer_never_carries_more_choices_than_a_select_menu_holds() -> None:
    """The answer model itself refuses a 26th choice, so no payload can need a second menu."""
    with pytest.raises(ValidationError):
        which_field(many(SELECT_OPTION_LIMIT + 1))


@pytest.mark.parametrize("count", [6, 25])
def test_more_than_five_choices_are_one_select_menu(count: int) -> None:
    """Six or more choices: one select menu of at most 25 options whose values are places."""
    payload = message_payload(which_field(many(count)))
    row = payload["components"][0]
    [menu] = row["components"]
    assert menu["type"] == 3
    assert menu["custom_id"] == CHOICE_SELECT_ID
    assert (menu["min_values"], menu["max_values"]) == (1, 1)
    shown = min(count, SELECT_OPTION_LIMIT)
    assert [o["value"] for o in menu["options"]] == [str(i) for i in range(shown)]
    assert validate_message_payload(payload) == []


def test_long_labels_are_cut_to_80() -> None:
    """An astral-plane label of 78 characters (156 UTF-16 units) is cut to fit the 80 limit."""
    for choices in (many(2, "🏁" * 76), many(7, "🏁" * 76)):
        payload = message_payload(which_field(choices))
        for row in payload["components"]:
            for item in row["components"]:
                labels = (
                    [item["label"]] if item["type"] == 2 else [o["label"] for o in item["options"]]
                )
                for label in labels:
                    assert len(label.encode("utf-16-le")) // 2 <= LABEL_LIMIT
                    assert label.endswith("…")
        assert validate_message_payload(payload) == []


def test_controls_rows_custom_ids_and_limits() -> None:
    """Choices on a paged answer: the choices' row, then ◀ ▶; ids short and distinct."""
    items = answer_items(many(9), 1, 3)
    rows = component_rows(items)
    assert [len(r["components"]) for r in rows] == [1, 2]
    ids = [c["custom_id"] for r in rows for c in r["components"]]
    assert len(ids) == len(set(ids))
    assert all(len(i) <= CUSTOM_ID_LIMIT for i in ids)
    assert validate_components(rows) == []
    assert component_rows(answer_items((), 0, 1)) == []
    assert choice_items(()) == []


def test_a_blank_label_gets_a_name() -> None:
    """A label that is only control characters still shows something."""
    [button] = choice_items((Choice(label="\u202e\x07", command="help"), FIELDS[0]))[:1]
    assert isinstance(button, ChoiceButton)
    assert button.label == "Choice 1"


def test_not_found_with_choices_has_them_and_stays_private() -> None:
    """A "Did you mean …?" carries its choices as buttons and is ephemeral."""
    answer = NotFoundAnswer(subject=Subject.DRIVER, query="Feild", choices=FIELDS)
    payload = message_payload(answer)
    assert payload["flags"] == 64
    assert [b["label"] for b in payload["components"][0]["components"]] == [c.label for c in FIELDS]


def test_payload_of_cards_without_choices_is_unchanged() -> None:
    """No choices and one page: no components at all."""
    answer = NotFoundAnswer(subject=Subject.DRIVER, query="Nobody")
    assert "components" not in cards_payload(answer_cards(answer), 0, ())


# --- the live view ---------------------------------------------------------------------------


def client_for(service: QueryService) -> SimpleNamespace:
    """A client holding the answer service, as RaceBot does."""
    return SimpleNamespace(answers=AnswerService(service))


async def test_view_components_are_the_payload() -> None:
    """The live view sends exactly the components `racebot ask --json` prints, paged or not."""
    for choices in (FIELDS, many(12), many(25)):
        answer = which_field(choices)
        view = AnswerView(answer_embeds(answer), owner_id=ASKER, choices=choices)
        assert view.to_components() == message_payload(answer)["components"]


async def test_pressing_a_choice_answers_it_as_typed(
    make_interaction: MakeInteraction, query_service: QueryService
) -> None:
    """The asker's press edits the offer to one line and sends the answer as a follow-up."""
    view = AnswerView([discord.Embed()], owner_id=ASKER, choices=FIELDS)
    press = make_interaction(client_for(query_service), user_id=ASKER)
    assert await view.interaction_check(press)
    await view.children[1].callback(press)
    assert press.response.edits == [
        {"content": answered_below(FIELDS[1]), "embeds": [], "view": None}
    ]
    [answer] = press.sent
    expected = query_service.driver("Jon Field")
    assert answer.embeds[0].to_dict() == message_payload(expected)["embeds"][0]
    assert answer.ephemeral is False
    assert view.is_finished()


async def test_picking_from_the_menu_answers_it(
    make_interaction: MakeInteraction, query_service: QueryService
) -> None:
    """A pick from the select menu asks the question at that place."""
    choices = (*many(5), *FIELDS)
    view = AnswerView([discord.Embed()], owner_id=ASKER, choices=choices)
    [menu] = view.children
    assert isinstance(menu, ChoiceSelect)
    menu._values = ["6"]  # what discord.py sets from the interaction's data
    press = make_interaction(client_for(query_service), user_id=ASKER)
    await menu.callback(press)
    assert "Jon Field" in press.sent[0].embeds[0].to_dict()["title"]


async def test_a_stranger_is_refused_privately(make_interaction: MakeInteraction) -> None:
    """Someone else's press gets a private note and answers nothing."""
    view = AnswerView([discord.Embed()], owner_id=ASKER, choices=FIELDS)
    stranger = make_interaction(user_id=2002)
    assert await view.interaction_check(stranger) is False
    assert stranger.message_sent.ephemeral
    assert stranger.message_sent.content == NOT_YOURS
    assert not view.is_finished()


async def test_a_forged_place_is_answered_as_expired(make_interaction: MakeInteraction) -> None:
    """A place beyond the choices (a forged press) gets the private "ask again"."""
    view = AnswerView([discord.Embed()], owner_id=ASKER, choices=FIELDS)
    press = make_interaction(user_id=ASKER)
    await view.choose(press, 7)
    assert press.message_sent.content == CHOICES_EXPIRED
    assert press.message_sent.ephemeral


async def test_timeout_removes_the_choices_and_says_so(make_interaction: MakeInteraction) -> None:
    """On timeout the offer loses its buttons and says the choices expired."""
    interaction = make_interaction(user_id=ASKER)
    await send_answer(
        interaction, RenderedAnswer(which_field(), tuple(answer_embeds(which_field())))
    )
    view = interaction.message_sent.view
    assert isinstance(view, AnswerView)
    view.message = await interaction.original_response()
    await view.on_timeout()
    assert interaction.message_sent.edits == [{"content": CHOICES_TIMED_OUT, "view": None}]


async def test_presses_after_a_restart_get_ask_again(make_interaction: MakeInteraction) -> None:
    """The view registered at start-up answers every choice button and the menu with "ask again"."""
    view = ExpiredControls()
    ids = {getattr(item, "custom_id", None) for item in view.children}
    assert {f"{CHOICE_ID_PREFIX}{i}" for i in range(5)} | {CHOICE_SELECT_ID, PAGE_NEXT_ID} <= ids
    for item in view.children:
        if isinstance(item, ChoiceButton | ChoiceSelect):
            press = make_interaction(user_id=ASKER)
            await item.callback(press)
            assert press.message_sent.ephemeral
            assert press.message_sent.content == CHOICES_EXPIRED
