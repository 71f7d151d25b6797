"""What the end-to-end tests share: racebot's settings and bot, and reading what it sent."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

from bench.standin import EPHEMERAL, DiscordStandin, validate_autocomplete_choices
from bot.core.asking.answers import Answer
from bot.core.asking.query import QueryService
from bot.discord.client import RaceBot, build_bot
from bot.discord.rendering import message_payload
from bot.settings import Settings
from cogs import EXTENSIONS
from tests.paths import RACES

SEEDS = RACES

# Shaped like a real bot token (so Settings accepts it) and distinctive enough to grep for.
TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.RcEbOt.e2e-Secret-Never-Logged-9f3a7c1b2d"
TOKEN_PARTS = tuple(TOKEN.split("."))

OWNER = 7_000_000_000_000_000_001
STRANGER = 7_000_000_000_000_000_002

# The question commands share a per-user cooldown (5 per 10 s), so every question comes from a
# user of its own unless a test means the same person.
_fresh_users = itertools.count(8_000_000_000_000_000_000)


def fresh_user() -> int:
    """A user id nobody has asked with yet."""
    return next(_fresh_users)


def racebot_settings(standin: DiscordStandin) -> Settings:
    """Real settings: a well-formed token and the stand-in's guild as the development guild."""
    settings = Settings(
        DISCORD_TOKEN=TOKEN, DISCORD_GUILD_ID=standin.guild_id, RACEBOT_SEEDS_DIR=SEEDS
    )
    assert settings.token_problem() is None  # the token passes racebot's own check
    return settings


def new_bot(standin: DiscordStandin, service: QueryService) -> RaceBot:
    """The bot `racebot run` builds, with a short guild_ready_timeout for the tests."""
    return build_bot(
        racebot_settings(standin), service, extensions=EXTENSIONS, guild_ready_timeout=0.05
    )


# --- helpers ----------------------------------------------------------------------------------


async def ask(
    standin: DiscordStandin,
    command: str,
    options: Mapping[str, Any] | None = None,
    *,
    user_id: int | None = None,
) -> dict[str, Any]:
    """Invoke a slash command and return the data of its callback (a message)."""
    iid = await standin.send_command(command, options, user_id=user_id or fresh_user())
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 4, body
    data: dict[str, Any] = body["data"]
    return data


async def complete(
    standin: DiscordStandin, command: str, focused: str, typed: str
) -> list[dict[str, Any]]:
    """Send an autocomplete interaction and return the choices offered."""
    iid = await standin.send_autocomplete(command, focused, typed, user_id=fresh_user())
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 8, body
    choices: list[dict[str, Any]] = body["data"]["choices"]
    assert validate_autocomplete_choices(choices) == []
    assert len(choices) <= 25
    return choices


def text_of(data: Mapping[str, Any]) -> str:
    """Every visible string of a message's embeds, Markdown escapes removed."""
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for embed_field in embed.get("fields") or []:
            parts += [embed_field["name"], embed_field["value"]]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts).replace("\\", "")


def field_value(data: Mapping[str, Any], name: str) -> str:
    """The value of the first embed field called ``name``."""
    fields = data["embeds"][0].get("fields") or []
    value: str = next(f["value"] for f in fields if f["name"] == name)
    return value.replace("\\", "")


def is_ephemeral(data: Mapping[str, Any]) -> bool:
    """Whether the message is shown to the asker only."""
    return bool(int(data.get("flags") or 0) & EPHEMERAL)


def assert_public_answer(data: Mapping[str, Any], answer: Answer) -> None:
    """A public message with exactly the embeds `racebot ask --json` shows, pinging nobody."""
    expected = message_payload(answer)
    assert not is_ephemeral(data)
    assert data["allowed_mentions"] == {"parse": []}
    assert data["embeds"] == expected["embeds"]


def assert_clean(standin: DiscordStandin) -> None:
    """No Discord limit broken, no unknown route, and no message that may ping anyone."""
    standin.assert_clean()
    for record in standin.interactions.values():
        for callback in record.callbacks:
            if callback.body["type"] in (4, 7):
                assert callback.body["data"]["allowed_mentions"] == {"parse": []}


def car_numbers(line_text: str) -> list[str]:
    """Car numbers (``#16``) in order of appearance."""
    return re.findall(r"#(\d+)", line_text)
