"""Log lines: plain text off a terminal, colour only on one, JSON lines with the error id."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Callable
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.app.logs import JsonFormatter, TextFormatter, formatter_for, setup_logging
from bot.discord.client import RaceBot
from bot.discord.tree import GUILD_ID
from bot.discord.views import AnswerView
from bot.settings import SettingsError, load_settings

ANSI = re.compile(r"\x1b\[")


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        """Always a terminal."""
        return True


def _record(message: str = "hello %s", *args: object, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("racebot.test", logging.WARNING, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_text_off_a_terminal_has_no_colour_codes() -> None:
    """Written to a file or the journal (not a terminal): no escape codes at all."""
    formatter = formatter_for("text", io.StringIO())
    line = formatter.format(_record("hello %s", "world"))
    assert not ANSI.search(line)
    assert line.endswith("WARNING  racebot.test: hello world")


def test_text_on_a_terminal_is_coloured() -> None:
    """On a terminal the level is coloured, the message is the same."""
    formatter = formatter_for("text", _Terminal())
    assert isinstance(formatter, TextFormatter)
    line = formatter.format(_record())
    assert ANSI.search(line)
    assert line.endswith("racebot.test: hello %s")


def test_json_is_one_object_per_line_with_every_field() -> None:
    """time, level, logger, message, error_id and guild_id; a multi-line message stays one line."""
    formatter = formatter_for("json", _Terminal())  # JSON even on a terminal: it was asked for
    assert isinstance(formatter, JsonFormatter)
    line = formatter.format(_record("two\nlines", error_id="abcd1234", guild_id=42))
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "error_id", "guild_id"}
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "racebot.test"
    assert entry["message"] == "two\nlines"
    assert (entry["error_id"], entry["guild_id"]) == ("abcd1234", 42)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])


def test_json_unknown_ids_are_null_and_a_traceback_is_one_field() -> None:
    """No error or server: nulls; an exception's traceback goes into `exception`, same line."""
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["error_id"], entry["guild_id"]) == (None, None)
    assert "ValueError: boom" in entry["exception"]


def test_the_guild_of_the_interaction_being_answered_is_logged() -> None:
    """A line written while answering an interaction names its server (text and JSON)."""
    token = GUILD_ID.set(777)
    try:
        assert json.loads(JsonFormatter().format(_record()))["guild_id"] == 777
        assert TextFormatter(colour=False).format(_record()).endswith("[guild 777]")
    finally:
        GUILD_ID.reset(token)


def test_setup_logging_twice_installs_one_handler(restore_logging: None) -> None:
    """Called again (a second command in one process), it replaces its handler."""
    root = logging.getLogger()
    before = len(root.handlers)
    setup_logging(logging.INFO, "text", io.StringIO())
    stream = io.StringIO()
    setup_logging(logging.DEBUG, "json", stream)
    assert len(root.handlers) == before + 1
    assert root.level == logging.DEBUG
    logging.getLogger("racebot.test").info("once")
    assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["once"]


async def test_the_error_id_shown_to_the_user_is_in_the_json_line(
    racebot: RaceBot,
    make_interaction: Callable[..., Any],
    restore_logging: None,
) -> None:
    """A bug in a command: the id in the apology is the `error_id` of its JSON log line."""
    stream = io.StringIO()
    setup_logging(logging.INFO, "json", stream)
    command = racebot.tree.get_command("result")
    assert isinstance(command, app_commands.Command)
    interaction = make_interaction(racebot, command=command, guild_id=555)
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        error = app_commands.CommandInvokeError(command, exc)
    await racebot.tree.on_error(interaction, error)
    content = interaction.message_sent.content
    match = re.search(r"error id `([0-9a-f]{8})`", content or "")
    assert match, content
    [entry] = [
        json.loads(line)
        for line in stream.getvalue().splitlines()
        if json.loads(line)["logger"] == "bot.discord.tree"
    ]
    assert entry["error_id"] == match[1]
    assert entry["guild_id"] == 555
    assert entry["level"] == "ERROR"
    assert "ZeroDivisionError: boom" in entry["exception"]


@pytest.mark.parametrize(("value", "expected"), [("JSON", "json"), ("text", "text"), ("", "text")])
def test_log_format_setting(
    clean_env: object, monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    """RACEBOT_LOG_FORMAT takes text or json, in any case; blank is text."""
    monkeypatch.setenv("RACEBOT_LOG_FORMAT", value)
    assert load_settings().log_format == expected


def test_an_unknown_log_format_is_one_line(
    clean_env: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RACEBOT_LOG_FORMAT=xml is refused by name with what it takes."""
    monkeypatch.setenv("RACEBOT_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match=r"RACEBOT_LOG_FORMAT is not valid \(expected text or"):
        load_settings()


async def test_a_failed_press_logs_the_id_it_shows(
    racebot: RaceBot, make_interaction: Callable[..., Any], restore_logging: None
) -> None:
    """A button press that fails: the id in the private apology is the JSON line's error_id."""
    stream = io.StringIO()
    setup_logging(logging.INFO, "json", stream)
    view = AnswerView([discord.Embed()], owner_id=1001)
    interaction = make_interaction(racebot, guild_id=99)
    await view.on_error(interaction, RuntimeError("press"), discord.ui.Button(label="x"))
    match = re.search(r"error id `([0-9a-f]{8})`", interaction.message_sent.content or "")
    assert match
    [entry] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert (entry["error_id"], entry["guild_id"]) == (match[1], 99)
    assert "RuntimeError: press" in entry["exception"]
