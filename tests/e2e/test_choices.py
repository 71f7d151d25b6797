"""One-tap choices end to end: pressed through the real discord.py objects against the stand-in.

Until the core fills choices in its answers, the bot's answer service is wrapped so that
`/driver Field` gets a which-one with choices; everything after (the view, the press, the
answer to the chosen question) is the real bot's.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bench.standin import EPHEMERAL, DiscordStandin
from bot.core.asking.answers import AmbiguousAnswer, Choice, Subject
from bot.core.asking.query import QueryService
from bot.discord import views
from bot.discord.answer_service import AnswerService, RenderedAnswer
from bot.discord.choices import CHOICE_ID_PREFIX, CHOICE_SELECT_ID
from bot.discord.client import RaceBot
from bot.discord.rendering import answer_embeds, message_payload
from bot.discord.views import CHOICES_EXPIRED, CHOICES_TIMED_OUT, NOT_YOURS, answered_below
from tests.e2e.support import OWNER, STRANGER, TOKEN, assert_clean, is_ephemeral, new_bot

FIELDS = (
    Choice(label="Clint Field · Intersport Racing", command="driver", options=(("name", "Clint"),)),
    Choice(label="Jon Field · Intersport Racing", command="driver", options=(("name", "Jon F"),)),
)
CLASSES = tuple(
    Choice(label=f"Class {name}", command="class", options=(("class", name),))
    for name in ("LMP900", "LMP675", "GTS", "GT", "LMP900 again", "GTS again", "GT again")
)


def offer(choices: tuple[Choice, ...]) -> AmbiguousAnswer:
    """A which-one for "Field" carrying `choices`."""
    return AmbiguousAnswer(
        subject=Subject.DRIVER,
        query="Field",
        options=tuple(choice.label for choice in choices),
        choices=choices,
    )


def offering(bot: RaceBot, monkeypatch: pytest.MonkeyPatch, answer: AmbiguousAnswer) -> None:
    """Make the bot's answer service answer /driver Field with `answer`; the rest as before."""
    real = bot.answers.ask

    def ask(command: str, **options: str | None) -> RenderedAnswer:
        if command == "driver" and options.get("name") == "Field":
            return RenderedAnswer(answer, tuple(answer_embeds(answer)))
        return real(command, **options)

    monkeypatch.setattr(bot.answers, "ask", ask)


async def send_offer(standin: DiscordStandin, answer: AmbiguousAnswer) -> int:
    """Ask /driver Field as the owner; check the private offer; return its message id."""
    iid = await standin.send_command("driver", {"name": "Field"}, user_id=OWNER)
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 4
    assert is_ephemeral(body["data"])
    assert body["data"]["components"] == message_payload(answer)["components"]
    message_id = standin.interactions[iid].original_message_id
    assert message_id is not None
    return message_id


async def followup_of(standin: DiscordStandin, mark: int) -> dict[str, Any]:
    """The body of the first follow-up posted after request number `mark`."""
    request = await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/"), since=mark
    )
    body: dict[str, Any] = request.body
    return body


async def test_a_press_answers_as_typed_for_the_asker_only(
    standin: DiscordStandin,
    live_bot: RaceBot,
    service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stranger is refused privately; the asker's press edits the offer, the answer follows."""
    offering(live_bot, monkeypatch, offer(FIELDS))
    message_id = await send_offer(standin, offer(FIELDS))

    press = await standin.send_button(
        f"{CHOICE_ID_PREFIX}0", message_id=message_id, user_id=STRANGER
    )
    refusal = await standin.wait_for_callback(press)
    assert refusal["type"] == 4
    assert is_ephemeral(refusal["data"])
    assert refusal["data"]["content"] == NOT_YOURS

    mark = len(standin.requests)
    press = await standin.send_button(f"{CHOICE_ID_PREFIX}0", message_id=message_id, user_id=OWNER)
    update = await standin.wait_for_callback(press)
    assert update["type"] == 7
    assert update["data"]["content"] == answered_below(FIELDS[0])
    assert update["data"]["embeds"] == []
    assert update["data"]["components"] == []
    answer = await followup_of(standin, mark)
    assert answer["embeds"] == message_payload(service.driver("Clint"))["embeds"]
    assert not int(answer.get("flags") or 0) & EPHEMERAL  # a result is public
    assert standin.messages[message_id]["components"] == []

    again = await standin.send_button(
        f"{CHOICE_ID_PREFIX}1", message=dict(update["data"], id=str(message_id)), user_id=OWNER
    )
    late = await standin.wait_for_callback(again)
    assert late["data"]["content"] == CHOICES_EXPIRED  # answered once, never twice
    assert all(standin.callback_count(i) == 1 for i in standin.interactions)
    assert_clean(standin)


async def test_a_pick_from_the_menu_answers_it(
    standin: DiscordStandin,
    live_bot: RaceBot,
    service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seven choices come as one select menu; picking one answers that question."""
    offering(live_bot, monkeypatch, offer(CLASSES))
    message_id = await send_offer(standin, offer(CLASSES))
    [row] = standin.messages[message_id]["components"]
    assert [c["type"] for c in row["components"]] == [3]

    mark = len(standin.requests)
    pick = await standin.send_select(CHOICE_SELECT_ID, ["2"], message_id=message_id, user_id=OWNER)
    assert (await standin.wait_for_callback(pick))["type"] == 7
    answer = await followup_of(standin, mark)
    assert answer["embeds"] == message_payload(service.class_results("GTS"))["embeds"]
    assert_clean(standin)


async def test_choices_expire_with_a_clear_state(
    standin: DiscordStandin, live_bot: RaceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the timeout the offer loses its buttons and says so; a later press: ask again."""
    monkeypatch.setattr(views, "ANSWER_TIMEOUT_S", 0.2)
    offering(live_bot, monkeypatch, offer(FIELDS))
    message_id = await send_offer(standin, offer(FIELDS))
    shown = dict(standin.messages[message_id])
    for _ in range(100):
        if standin.messages[message_id]["content"] == CHOICES_TIMED_OUT:
            break
        await asyncio.sleep(0.05)
    expired = standin.messages[message_id]
    assert expired["content"] == CHOICES_TIMED_OUT
    assert expired["components"] == []
    assert expired["embeds"] == shown["embeds"]
    assert expired["flags"] & EPHEMERAL

    press = await standin.send_button(f"{CHOICE_ID_PREFIX}0", message=shown, user_id=OWNER)
    reply = await standin.wait_for_callback(press)
    assert is_ephemeral(reply["data"])
    assert reply["data"]["content"] == CHOICES_EXPIRED
    assert_clean(standin)


async def test_a_press_after_a_restart_gets_ask_again(
    standin: DiscordStandin, service: QueryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choices offered before a restart: the new bot answers a press with a polite ask-again."""
    first = new_bot(standin, service)
    async with standin.running(first, token=TOKEN):
        offering(first, monkeypatch, offer(CLASSES))
        message_id = await send_offer(standin, offer(CLASSES))
    second = new_bot(standin, service)
    assert isinstance(second.answers, AnswerService)
    async with standin.running(second, token=TOKEN):
        pick = await standin.send_select(
            CHOICE_SELECT_ID, ["0"], message_id=message_id, user_id=OWNER
        )
        reply = await standin.wait_for_callback(pick)
        assert reply["type"] == 4
        assert is_ephemeral(reply["data"])
        assert reply["data"]["content"] == CHOICES_EXPIRED
    assert_clean(standin)
