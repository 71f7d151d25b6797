"""Drive a plain ``commands.Bot`` through the Discord stand-in to prove the fixture works."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bench.standin import (
    DiscordStandin,
    validate_autocomplete_choices,
    validate_command_list,
    validate_message_payload,
)

FRUITS = [f"{name}-{i}" for i in range(3) for name in ("apple", "banana", "cherry", "mango")]
FRUITS += [f"kiwi-{i}" for i in range(20)]


class PanelView(discord.ui.View):
    """A one-button view that rewrites its message when pressed."""

    def __init__(self) -> None:
        """Create the view without a timeout (no lingering timeout task)."""
        super().__init__(timeout=None)

    @discord.ui.button(label="Press me", custom_id="panel:press", style=discord.ButtonStyle.primary)
    async def press(
        self, interaction: discord.Interaction, button: discord.ui.Button[PanelView]
    ) -> None:
        """Update the message in place (callback type 7) and drop the button."""
        await interaction.response.edit_message(
            content=f"pressed by {interaction.user.name}", view=None
        )
        self.stop()


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    """A modal with one text input."""

    comment: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Comment", custom_id="feedback:comment"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Echo the submitted comment ephemerally."""
        await interaction.response.send_message(f"thanks: {self.comment.value}", ephemeral=True)


@app_commands.command(description="Echo the text back")
async def echo(interaction: discord.Interaction, text: str) -> None:
    """Reply with the text and an embed."""
    embed = discord.Embed(title="Echo", description=text)
    await interaction.response.send_message(content=text, embed=embed)


@app_commands.command(description="Pick a fruit")
async def pick(interaction: discord.Interaction, fruit: str) -> None:
    """Reply with the chosen fruit."""
    await interaction.response.send_message(f"you picked {fruit}")


@pick.autocomplete("fruit")
async def pick_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Suggest at most 25 fruits containing the typed text."""
    matches = [f for f in FRUITS if current.lower() in f]
    return [app_commands.Choice(name=f.title(), value=f) for f in matches[:25]]


@app_commands.command(description="Autocomplete that returns too many choices")
async def greedy(interaction: discord.Interaction, fruit: str) -> None:
    """Reply with the chosen fruit."""
    await interaction.response.send_message(fruit)


@greedy.autocomplete("fruit")
async def greedy_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Return every fruit: more than Discord's 25-choice limit."""
    return [app_commands.Choice(name=f, value=f) for f in FRUITS]


@app_commands.command(description="Show a panel with a button")
async def panel(interaction: discord.Interaction) -> None:
    """Reply with a view holding one button."""
    await interaction.response.send_message("panel", view=PanelView())


@app_commands.command(description="Defer, edit the original response, then follow up")
async def slow(interaction: discord.Interaction) -> None:
    """Exercise the deferred response, edit and follow-up routes."""
    await interaction.response.defer(thinking=True)
    await interaction.edit_original_response(content="done")
    original = await interaction.original_response()
    await interaction.followup.send(f"follow-up to {original.id}")


@app_commands.command(description="Open the feedback modal")
async def feedback(interaction: discord.Interaction) -> None:
    """Respond with a modal (callback type 9)."""
    await interaction.response.send_modal(FeedbackModal())


class StandinBot(commands.Bot):
    """A plain test bot with a handful of application commands."""

    def __init__(self) -> None:
        """Use default intents and a short guild_ready_timeout."""
        super().__init__(
            command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.1
        )

    async def setup_hook(self) -> None:
        """Register the test commands on the tree."""
        tree_commands: list[app_commands.Command[Any, ..., Any]] = [
            echo,
            pick,
            greedy,
            panel,
            slow,
            feedback,
        ]
        for command in tree_commands:
            self.tree.add_command(command)


@pytest_asyncio.fixture
async def bot(discord_standin: DiscordStandin) -> AsyncIterator[StandinBot]:
    """A ready StandinBot connected to the stand-in; closed at teardown."""
    client = StandinBot()
    async with discord_standin.running(client):
        yield client
    assert client.is_closed()


async def test_login_and_sync(discord_standin: DiscordStandin, bot: StandinBot) -> None:
    """Login, IDENTIFY/READY and a global + guild sync round-trip."""
    standin = discord_standin
    paths = [(r.method, r.path) for r in standin.requests]
    assert ("GET", "/users/@me") in paths
    assert ("GET", "/oauth2/applications/@me") in paths
    assert bot.user is not None
    assert bot.user.id == standin.application_id
    assert bot.application_id == standin.application_id
    assert bot.get_guild(standin.guild_id) is not None
    expected = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
    assert standin.connections[0].compression == expected
    assert len(standin.received_frames(op=2)) == 1
    await standin.wait_for_frame(lambda f: f.direction == "out" and f.op == 11)

    synced = await bot.tree.sync()
    assert {c.name for c in synced} == {"echo", "pick", "greedy", "panel", "slow", "feedback"}
    assert all(isinstance(c, app_commands.AppCommand) and c.id for c in synced)
    put = standin.requests_matching("PUT", rf"/applications/{standin.application_id}/commands")
    assert len(put) == 1
    assert put[0].status == 200
    assert {c["name"] for c in put[0].body} == {c.name for c in synced}
    assert {c.id for c in synced} == {int(c["id"]) for c in standin.commands[None]}

    guild = discord.Object(standin.guild_id)
    bot.tree.copy_global_to(guild=guild)
    guild_synced = await bot.tree.sync(guild=guild)
    assert all(c.guild_id == standin.guild_id for c in guild_synced)
    iid = await standin.send_command("echo", {"text": "guild scoped"})
    assert standin.interactions[iid].payload["data"]["guild_id"] == str(standin.guild_id)
    assert (await standin.wait_for_callback(iid))["data"]["content"] == "guild scoped"
    standin.assert_clean()


async def test_invalid_registration_is_rejected(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """A registration payload breaking Discord's rules gets 400 and is recorded."""
    bad = [{"name": "Bad Name", "description": "x" * 101, "type": 1}]
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.bulk_upsert_global_commands(discord_standin.application_id, payload=bad)
    assert info.value.status == 400
    assert info.value.code == 50035
    problems = {v.problem for v in discord_standin.violations}
    assert any("invalid character" in p for p in problems)
    assert any("length 101" in p for p in problems)


async def test_slash_command_answered_exactly_once(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """A slash command gets exactly one callback with the expected content and embed."""
    iid = await discord_standin.send_command("echo", {"text": "hello"})
    body = await discord_standin.wait_for_callback(iid)
    assert body["type"] == 4
    assert body["data"]["content"] == "hello"
    assert body["data"]["embeds"][0]["title"] == "Echo"
    assert body["data"]["embeds"][0]["description"] == "hello"
    await asyncio.sleep(0.05)
    assert discord_standin.callback_count(iid) == 1
    discord_standin.assert_clean()


async def test_defer_edit_and_followup(discord_standin: DiscordStandin, bot: StandinBot) -> None:
    """Deferred response, PATCH/GET @original and a follow-up all go through."""
    standin = discord_standin
    iid = await standin.send_command("slow")
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 5
    followup = await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/")
    )
    record = standin.interactions[iid]
    assert record.original_message_id is not None
    original = standin.messages[record.original_message_id]
    assert original["content"] == "done"
    assert followup.body["content"] == f"follow-up to {original['id']}"
    assert standin.requests_matching("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert standin.callback_count(iid) == 1
    standin.assert_clean()


async def test_autocomplete_answered_with_choices(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """Autocomplete gets a type 8 callback with matching choices."""
    iid = await discord_standin.send_autocomplete("pick", "fruit", "an")
    body = await discord_standin.wait_for_callback(iid)
    assert body["type"] == 8
    names = [c["name"] for c in body["data"]["choices"]]
    assert names
    assert all("an" in n.lower() for n in names)
    payload = discord_standin.interactions[iid].payload
    assert payload["data"]["options"] == [
        {"name": "fruit", "type": 3, "value": "an", "focused": True}
    ]
    discord_standin.assert_clean()


async def test_autocomplete_over_limit_is_a_violation(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """More than 25 choices is recorded as a violation and rejected like Discord does."""
    iid = await discord_standin.send_autocomplete("greedy", "fruit", "")
    attempt = await discord_standin.wait_for_request(lambda r: r.path.endswith("/callback"))
    assert attempt.status == 400
    assert discord_standin.callback_count(iid) == 0
    assert [v.path for v in discord_standin.violations] == ["data.choices"]


async def test_button_press_updates_message(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """A button on a view is dispatched to its callback, which updates the message (type 7)."""
    standin = discord_standin
    iid = await standin.send_command("panel")
    body = await standin.wait_for_callback(iid)
    button = body["data"]["components"][0]["components"][0]
    assert button["custom_id"] == "panel:press"
    assert button["label"] == "Press me"
    message_id = standin.interactions[iid].original_message_id
    assert message_id is not None

    press = await standin.send_button("panel:press", user_id=42)
    update = await standin.wait_for_callback(press)
    assert update["type"] == 7
    assert update["data"]["content"] == standin.users[42]["username"].join(["pressed by ", ""])
    assert update["data"]["components"] == []
    assert standin.messages[message_id]["content"].startswith("pressed by")
    assert standin.callback_count(press) == 1
    standin.assert_clean()


async def test_modal_round_trip(discord_standin: DiscordStandin, bot: StandinBot) -> None:
    """A command opens a modal (type 9) and its submission is answered."""
    iid = await discord_standin.send_command("feedback")
    body = await discord_standin.wait_for_callback(iid)
    assert body["type"] == 9
    assert body["data"]["title"] == "Feedback"
    sub = await discord_standin.send_modal_submit(
        body["data"]["custom_id"], {"feedback:comment": "ok"}
    )
    reply = await discord_standin.wait_for_callback(sub)
    assert reply["data"]["content"] == "thanks: ok"
    assert reply["data"]["flags"] & 64
    discord_standin.assert_clean()


@pytest.mark.parametrize("mode", ["close", "drop"])
async def test_resume_replays_interaction_missed_during_outage(
    discord_standin: DiscordStandin, bot: StandinBot, mode: Literal["close", "drop"]
) -> None:
    """After a 4000 close or a TCP drop the client RESUMEs and answers the replayed event."""
    standin = discord_standin
    session = standin.session
    assert session is not None
    mark = len(standin.frames)
    async with standin.outage(mode, code=4000):
        iid = await standin.send_command("echo", {"text": "missed"})
        assert not session.connected
        assert standin.callback_count(iid) == 0
    await standin.wait_for_resume(since=mark)
    body = await standin.wait_for_callback(iid)
    assert body["data"]["content"] == "missed"

    new = standin.frames[mark:]
    resumes = [f for f in new if f.direction == "in" and f.op == 6]
    assert len(resumes) == 1
    assert resumes[0].d["session_id"] == session.session_id
    replayed = [f for f in new if f.replayed]
    assert [f.t for f in replayed] == ["INTERACTION_CREATE"]
    assert replayed[0].d["id"] == str(iid)
    assert standin.connections[-1].path == "/gateway/resume"
    assert len(standin.received_frames(op=2)) == 1  # no re-IDENTIFY
    await asyncio.sleep(0.05)
    assert standin.callback_count(iid) == 1
    standin.assert_clean()


@pytest.mark.parametrize("status", [429, 500])
async def test_callback_retried_after_failure(
    discord_standin: DiscordStandin, bot: StandinBot, status: int
) -> None:
    """A 429 (with Via) or a 500 on the callback is retried and answered exactly once."""
    standin = discord_standin
    standin.fail_next_callbacks(1, status, retry_after=0.05)
    iid = await standin.send_command("echo", {"text": "retry"})
    body = await standin.wait_for_callback(iid, timeout=5.0)
    assert body["data"]["content"] == "retry"
    assert [r.status for r in standin.callback_attempts(iid)] == [status, 200]
    assert standin.callback_count(iid) == 1
    standin.assert_clean()


async def test_429_without_via_is_not_retried(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """discord.py treats a 429 without ``Via`` as a Cloudflare ban and gives up."""
    standin = discord_standin
    standin.fail_next(1, 429, method="POST", path=r"/interactions/.*", via=False)
    iid = await standin.send_command("echo", {"text": "banned"})
    await standin.wait_for_request(lambda r: r.path.endswith("/callback"))
    await asyncio.sleep(0.2)
    assert [r.status for r in standin.callback_attempts(iid)] == [429]
    assert standin.callback_count(iid) == 0


async def test_burst_of_interactions_each_answered_once(
    discord_standin: DiscordStandin, bot: StandinBot
) -> None:
    """1,000 interactions dispatched back to back are all answered exactly once."""
    standin = discord_standin
    # This checks exactly-once delivery, not latency: a busy 2-core machine can take seconds
    # to drain 1,000 at once, and the 3-second rule is checked by the other tests.
    standin.ack_deadline = 30.0
    ids = [await standin.send_command("echo", {"text": f"n{i}"}) for i in range(1000)]
    bodies = await standin.wait_for_callbacks(ids, timeout=30.0)
    assert [b["data"]["content"] for b in bodies] == [f"n{i}" for i in range(1000)]
    await asyncio.sleep(0.05)
    assert all(standin.callback_count(i) == 1 for i in ids)
    assert standin.unanswered() == []
    standin.assert_clean()


async def test_patched_restores_discord_globals() -> None:
    """``patched()`` points discord.py at the stand-in and restores the originals."""
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    async with DiscordStandin() as standin:
        with standin.patched():
            assert standin.api_base == Route.BASE
            assert str(DiscordWebSocket.DEFAULT_GATEWAY) == standin.gateway_url
        assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


async def test_wrong_token_fails_login(discord_standin: DiscordStandin) -> None:
    """A wrong token gets 401 on GET /users/@me, which discord.py turns into LoginFailure."""
    with pytest.raises(discord.LoginFailure):
        async with discord_standin.running(StandinBot(), token="wrong", ready_timeout=2.0):
            pass
    assert [r.status for r in discord_standin.requests] == [401]


def test_validators_flag_discord_limits() -> None:
    """The payload validators catch the documented limits."""
    embed = {"title": "t" * 257, "fields": [{"name": "n", "value": "v" * 1025}] * 26}
    row = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "c" * 101, "label": "x"}]}
    problems = validate_message_payload(
        {"content": "c" * 2001, "embeds": [embed] * 11, "components": [row] * 6}
    )
    paths = {path for path, _ in problems}
    assert {"content", "embeds", "embeds[0].title", "embeds[0].fields"} <= paths
    assert {
        "embeds[0].fields[0].value",
        "components",
        "components[0].components[0].custom_id",
    } <= paths
    assert any("total embed text" in msg for _, msg in problems)
    assert validate_message_payload({}, require_content=True) == [
        ("", "cannot send an empty message")
    ]
    choices = [{"name": "", "value": "v" * 101}] * 26
    assert len(validate_autocomplete_choices(choices)) == 1 + 26 * 2
    command = {
        "name": "ok-name_1",
        "description": "fine",
        "options": [
            {"type": 3, "name": "b", "description": "d"},
            {"type": 3, "name": "a", "description": "d", "required": True},
        ],
    }
    assert validate_command_list([command]) == [
        ("[0].options[1]", "required options must come before optional ones")
    ]
    assert validate_command_list([{"name": "été", "description": "d"}]) == []
