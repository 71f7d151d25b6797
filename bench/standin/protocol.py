"""Discord's numbers and names the stand-in speaks: ids it hands out, gateway opcodes,
interaction and callback types, message flags."""

from __future__ import annotations

import re

import discord

DEFAULT_TOKEN = "standin.bot.token"
DEFAULT_APPLICATION_ID = 1_100_000_000_000_000_001
DEFAULT_GUILD_ID = 1_100_000_000_000_000_100
DEFAULT_CHANNEL_ID = 1_100_000_000_000_000_200
DEFAULT_USER_ID = 1_100_000_000_000_000_300
DM_CHANNEL_ID = 1_100_000_000_000_000_400

DISCORD_EPOCH_MS = 1_420_070_400_000
ALL_PERMISSIONS = str(discord.Permissions.all().value)
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
EPHEMERAL = 1 << 6
LOADING = 1 << 7
IS_COMPONENTS_V2 = 1 << 15
JSON_CONTENT_TYPE = "application/json"  # exactly this: discord.py rejects a charset suffix

# Gateway opcodes.
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_VOICE_STATE = 0, 1, 2, 3, 4
OP_RESUME, OP_RECONNECT, OP_REQUEST_MEMBERS, OP_INVALID_SESSION = 6, 7, 8, 9
OP_HELLO, OP_HEARTBEAT_ACK = 10, 11

# Interaction types and the callback types Discord accepts for each.
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    PING: frozenset({1}),
    APPLICATION_COMMAND: frozenset({4, 5, 9}),
    MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9}),
    AUTOCOMPLETE: frozenset({8}),
    MODAL_SUBMIT: frozenset({4, 5, 6, 7}),
}
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
SNOWFLAKE_OPTION_TYPES = frozenset({6, 7, 8, 9, 11})

CALLBACK_PATH = re.compile(r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback")
API_PREFIX = re.compile(r"^/api/v\d+")

Problem = tuple[str, str]
"""A validation problem: (JSON path inside the payload, description)."""
