"""The error tree: expected problems as one private line, bugs logged with an id."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.discord.checks import NotOwner
from bot.discord.client import RaceBot
from bot.discord.tree import command_name, reply_privately, user_message

MakeInteraction = Callable[..., Any]


async def test_cooldown_says_when_to_retry(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """A cooldown answers privately with a relative time and the seconds to wait."""
    interaction = make_interaction(racebot)
    error = app_commands.CommandOnCooldown(app_commands.Cooldown(5, 10.0), 3.2)
    await racebot.tree.on_error(interaction, error)
    message = interaction.message_sent
    assert message.ephemeral
    assert message.content is not None
    assert re.search(r"try again <t:\d+:R> \(in 3 s\)", message.content)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NotOwner(), "Only the bot's owner"),
        (app_commands.MissingPermissions(["manage_guild"]), "Manage Server"),
        (app_commands.NoPrivateMessage(), "only in a server"),
        (app_commands.CheckFailure(), "can't use this command"),
    ],
)
async def test_user_errors_are_short_private_messages(
    racebot: RaceBot,
    make_interaction: MakeInteraction,
    error: app_commands.AppCommandError,
    expected: str,
) -> None:
    """Check failures become one private sentence, with no error id."""
    interaction = make_interaction(racebot)
    await racebot.tree.on_error(interaction, error)
    message = interaction.message_sent
    assert message.ephemeral
    assert message.content is not None
    assert expected in message.content
    assert "error id" not in message.content


async def test_unexpected_error_is_logged_with_an_id_and_apologised_for(
    racebot: RaceBot, make_interaction: MakeInteraction, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug: the user gets an apology with an id; the log has that id and the traceback."""
    command = racebot.tree.get_command("result")
    assert isinstance(command, app_commands.Command)
    interaction = make_interaction(racebot, command=command)
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        error = app_commands.CommandInvokeError(command, exc)
    with caplog.at_level(logging.ERROR, logger="bot.discord.tree"):
        await racebot.tree.on_error(interaction, error)
    content = interaction.message_sent.content
    assert interaction.message_sent.ephemeral
    assert content is not None
    match = re.search(r"error id `([0-9a-f]{8})`", content)
    assert match, content
    assert "Traceback" not in content
    assert "boom" not in content
    [record] = caplog.records
    assert match[1] in record.getMessage()
    assert "/result" in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is ZeroDivisionError
    assert "Traceback" in caplog.text


async def test_error_reply_uses_followup_after_a_response(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """When the interaction was already answered (deferred), the error goes as a follow-up."""
    interaction = make_interaction(racebot)
    await interaction.response.defer(ephemeral=True, thinking=True)
    await racebot.tree.on_error(interaction, NotOwner())
    assert interaction.message_sent.ephemeral
    assert interaction.message_sent.content == "Only the bot's owner can use this command."


def test_bugs_have_no_user_message() -> None:
    """An error the handler does not know is a bug: no message, so it is logged and apologised."""
    assert user_message(app_commands.AppCommandError("surprise")) is None


def test_transformer_errors_quote_the_value_clipped() -> None:
    """A value that could not be read is quoted back, at most 100 characters."""
    number = SimpleNamespace(_error_display_name="number")
    error = app_commands.TransformerError(
        "x" * 500,
        discord.AppCommandOptionType.integer,
        number,  # type: ignore[arg-type]
    )
    message = user_message(error)
    assert message is not None
    assert message.startswith("I couldn't read the value 'xxx")
    assert len(message) < 140


def test_command_name_without_a_command(make_interaction: MakeInteraction) -> None:
    """An interaction with no command (a button press) is logged as "an interaction"."""
    assert command_name(make_interaction()) == "an interaction"


async def test_reply_privately_survives_an_expired_interaction(
    make_interaction: MakeInteraction, caplog: pytest.LogCaptureFixture
) -> None:
    """When Discord refuses the reply, a warning is logged and nothing is raised."""
    interaction = make_interaction()

    async def gone(*args: object, **kwargs: object) -> None:
        response = type("Response", (), {"status": 404, "reason": "Not Found"})()
        raise discord.NotFound(response, {"code": 10062, "message": "Unknown interaction"})

    interaction.response.send_message = gone
    with caplog.at_level(logging.WARNING, logger="bot.discord.tree"):
        await reply_privately(interaction, "hello")
    assert "could not send an error reply" in caplog.text
