"""Local stand-in for Discord's REST API and gateway, for end-to-end tests of discord.py bots.

Usage::

    async with DiscordStandin() as standin:
        with standin.patched():
            async with standin.running(bot):
                iid = await standin.send_command("echo", {"text": "hi"})
                body = await standin.wait_for_callback(iid)

Everything is served by one aiohttp application bound to 127.0.0.1 on an ephemeral port: REST
under ``/api/v10`` (and ``/api/v9``), the gateway websocket under ``/gateway``.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import itertools
import json
import re
import secrets
import time
import unicodedata
import urllib.parse
import zlib
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import discord
import pytest_asyncio
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bench.uploads import Upload, read_multipart, validate_attachments

_resource: Any
try:  # POSIX only; elsewhere the open-file limit is left alone.
    _resource = importlib.import_module("resource")
except ImportError:  # pragma: no cover - depends on the platform
    _resource = None

_zstd: Any
try:  # zstd-stream is what discord.py asks for when `zstandard` is importable.
    _zstd = importlib.import_module("zstandard")
except ImportError:  # pragma: no cover - depends on the environment
    _zstd = None

__all__ = [
    "DEFAULT_TOKEN",
    "DiscordStandin",
    "GatewayFrame",
    "GatewaySession",
    "InteractionRecord",
    "RecordedRequest",
    "Violation",
    "discord_standin",
    "open_file_limit",
    "validate_autocomplete_choices",
    "validate_command",
    "validate_command_list",
    "validate_components",
    "validate_embeds",
    "validate_message_payload",
    "validate_modal",
]

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


# --------------------------------------------------------------------------- validation


def _check_str(problems: list[Problem], path: str, value: Any, lo: int, hi: int) -> None:
    """Append a problem unless ``value`` is a string whose length is within [lo, hi]."""
    if not isinstance(value, str):
        problems.append((path, f"expected a string, got {type(value).__name__}"))
    elif not lo <= len(value) <= hi:
        problems.append((path, f"length {len(value)} not in [{lo}, {hi}]"))


def _check_opt_str(problems: list[Problem], path: str, value: Any, hi: int) -> None:
    """Like `_check_str` with lower bound 0, but ``None`` is allowed."""
    if value is not None:
        _check_str(problems, path, value, 0, hi)


def _check_count(problems: list[Problem], path: str, items: Any, lo: int, hi: int) -> None:
    """Append a problem unless ``items`` is a list with between lo and hi entries."""
    if not isinstance(items, list):
        problems.append((path, f"expected an array, got {type(items).__name__}"))
    elif not lo <= len(items) <= hi:
        problems.append((path, f"{len(items)} items not in [{lo}, {hi}]"))


def validate_embeds(embeds: Any, path: str = "embeds") -> list[Problem]:
    """Check embeds against Discord's limits (count, per-field lengths, 6000 total)."""
    problems: list[Problem] = []
    if embeds is None:
        return problems
    _check_count(problems, path, embeds, 0, 10)
    if not isinstance(embeds, list):
        return problems
    total = 0
    for i, embed in enumerate(embeds):
        p = f"{path}[{i}]"
        if not isinstance(embed, dict):
            problems.append((p, "embed must be an object"))
            continue
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        _check_str(problems, f"{p}.title", title, 0, 256)
        _check_str(problems, f"{p}.description", description, 0, 4096)
        total += len(title) + len(description)
        fields = embed.get("fields") or []
        _check_count(problems, f"{p}.fields", fields, 0, 25)
        for j, fld in enumerate(fields if isinstance(fields, list) else []):
            name, value = fld.get("name"), fld.get("value")
            _check_str(problems, f"{p}.fields[{j}].name", name, 1, 256)
            _check_str(problems, f"{p}.fields[{j}].value", value, 1, 1024)
            total += len(name or "") + len(value or "")
        footer = embed.get("footer") or {}
        _check_str(problems, f"{p}.footer.text", footer.get("text") or "", 0, 2048)
        author = embed.get("author") or {}
        _check_str(problems, f"{p}.author.name", author.get("name") or "", 0, 256)
        total += len(footer.get("text") or "") + len(author.get("name") or "")
    if total > 6000:
        problems.append((path, f"total embed text is {total} characters (> 6000)"))
    return problems


def _count_components(components: Iterable[Any]) -> int:
    """Count components recursively (action rows, containers and their children)."""
    total = 0
    for comp in components:
        if not isinstance(comp, dict):
            continue
        total += 1
        total += _count_components(comp.get("components") or [])
        if isinstance(comp.get("accessory"), dict):
            total += 1
        if isinstance(comp.get("component"), dict):
            total += _count_components([comp["component"]])
    return total


def _validate_component(comp: Any, path: str, seen: set[str], problems: list[Problem]) -> None:
    """Validate one component (and its children) against Discord's limits."""
    if not isinstance(comp, dict):
        problems.append((path, "component must be an object"))
        return
    ctype = comp.get("type")
    custom_id = comp.get("custom_id")
    if custom_id is not None:
        _check_str(problems, f"{path}.custom_id", custom_id, 1, 100)
        if custom_id in seen:
            problems.append((f"{path}.custom_id", f"duplicate custom_id {custom_id!r}"))
        seen.add(custom_id)
    if ctype == 1:
        children = comp.get("components") or []
        _check_count(problems, f"{path}.components", children, 1, 5)
        has_select = any(isinstance(c, dict) and c.get("type") in SELECT_TYPES for c in children)
        if has_select and len(children) != 1:
            problems.append((f"{path}.components", "a select menu must be alone in its row"))
        for i, child in enumerate(children):
            _validate_component(child, f"{path}.components[{i}]", seen, problems)
        return
    if ctype == 2:
        style = comp.get("style")
        if style == 5:
            if not comp.get("url"):
                problems.append((f"{path}.url", "link buttons need a url"))
            if custom_id is not None:
                problems.append((f"{path}.custom_id", "link buttons cannot have a custom_id"))
        elif style != 6 and custom_id is None:
            problems.append((f"{path}.custom_id", "non-link buttons need a custom_id"))
        _check_opt_str(problems, f"{path}.label", comp.get("label"), 80)
        if style != 6 and not comp.get("label") and not comp.get("emoji"):
            problems.append((path, "buttons need a label or an emoji"))
        return
    if ctype in SELECT_TYPES:
        if custom_id is None:
            problems.append((f"{path}.custom_id", "select menus need a custom_id"))
        _check_opt_str(problems, f"{path}.placeholder", comp.get("placeholder"), 150)
        for key, lo in (("min_values", 0), ("max_values", 1)):
            value = comp.get(key)
            if value is not None and not lo <= value <= 25:
                problems.append((f"{path}.{key}", f"{value} not in [{lo}, 25]"))
        if ctype == 3:
            options = comp.get("options") or []
            _check_count(problems, f"{path}.options", options, 1, 25)
            for i, opt in enumerate(options):
                _check_str(problems, f"{path}.options[{i}].label", opt.get("label"), 1, 100)
                _check_str(problems, f"{path}.options[{i}].value", opt.get("value"), 1, 100)
                desc = opt.get("description")
                _check_opt_str(problems, f"{path}.options[{i}].description", desc, 100)
        return
    if ctype == 4:
        if custom_id is None:
            problems.append((f"{path}.custom_id", "text inputs need a custom_id"))
        _check_opt_str(problems, f"{path}.label", comp.get("label"), 45)
        _check_opt_str(problems, f"{path}.value", comp.get("value"), 4000)
        _check_opt_str(problems, f"{path}.placeholder", comp.get("placeholder"), 100)
        return
    for i, child in enumerate(comp.get("components") or []):
        _validate_component(child, f"{path}.components[{i}]", seen, problems)
    for key in ("accessory", "component"):
        if isinstance(comp.get(key), dict):
            _validate_component(comp[key], f"{path}.{key}", seen, problems)


def validate_components(components: Any, flags: int = 0, path: str = "components") -> list[Problem]:
    """Check message components: rows, buttons per row, custom_id/label lengths, totals."""
    problems: list[Problem] = []
    if components is None:
        return problems
    if not isinstance(components, list):
        return [(path, "components must be an array")]
    seen: set[str] = set()
    if flags & IS_COMPONENTS_V2:
        total = _count_components(components)
        if total > 40:
            problems.append((path, f"{total} components in total (> 40)"))
    else:
        _check_count(problems, path, components, 0, 5)
        for i, row in enumerate(components):
            if not isinstance(row, dict) or row.get("type") != 1:
                problems.append((f"{path}[{i}].type", "top-level components must be action rows"))
    for i, comp in enumerate(components):
        _validate_component(comp, f"{path}[{i}]", seen, problems)
    return problems


def validate_message_payload(
    body: Mapping[str, Any], *, require_content: bool = False, has_files: bool = False
) -> list[Problem]:
    """Check an outgoing message (create/edit/callback data) against Discord's limits."""
    problems: list[Problem] = []
    content = body.get("content")
    if content is not None:
        _check_str(problems, "content", content, 0, 2000)
    embeds = body.get("embeds")
    flags = int(body.get("flags") or 0)
    problems += validate_embeds(embeds)
    problems += validate_components(body.get("components"), flags)
    if flags & IS_COMPONENTS_V2 and (content or embeds):
        problems.append(("flags", "content and embeds cannot be used with IS_COMPONENTS_V2"))
    if require_content and not (
        content
        or embeds
        or body.get("components")
        or body.get("attachments")
        or body.get("poll")
        or body.get("sticker_ids")
        or has_files
    ):
        problems.append(("", "cannot send an empty message"))
    return problems


def validate_autocomplete_choices(choices: Any, path: str = "choices") -> list[Problem]:
    """Check autocomplete choices: at most 25, names 1-100 chars, string values <= 100."""
    problems: list[Problem] = []
    _check_count(problems, path, choices, 0, 25)
    for i, choice in enumerate(choices if isinstance(choices, list) else []):
        _check_str(problems, f"{path}[{i}].name", choice.get("name"), 1, 100)
        value = choice.get("value")
        if isinstance(value, str):
            _check_str(problems, f"{path}[{i}].value", value, 0, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            problems.append((f"{path}[{i}].value", f"invalid choice value {value!r}"))
    return problems


def validate_modal(data: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Check a modal callback: custom_id 1-100, title 1-45, 1-5 components."""
    problems: list[Problem] = []
    prefix = f"{path}." if path else ""
    _check_str(problems, f"{prefix}custom_id", data.get("custom_id"), 1, 100)
    _check_str(problems, f"{prefix}title", data.get("title"), 1, 45)
    components = data.get("components") or []
    _check_count(problems, f"{prefix}components", components, 1, 5)
    seen: set[str] = set()
    for i, comp in enumerate(components):
        _validate_component(comp, f"{prefix}components[{i}]", seen, problems)
    return problems


def _check_chat_name(problems: list[Problem], path: str, name: Any) -> None:
    """Check a CHAT_INPUT name against ^[-_\\p{L}\\p{N}]{1,32}$ and the lowercase rule."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        problems.append((path, f"name {name!r} must be 1-32 characters"))
        return
    for ch in name:
        if not (ch in "-_" or unicodedata.category(ch)[0] in "LN"):
            problems.append((path, f"name {name!r} contains invalid character {ch!r}"))
            return
    if name.lower() != name:
        problems.append((path, f"name {name!r} must be lowercase"))


def _option_chars(option: Mapping[str, Any]) -> int:
    """Characters counted towards the 4000-character command limit for one option."""
    total = len(option.get("name") or "") + len(option.get("description") or "")
    for choice in option.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    for sub in option.get("options") or []:
        total += _option_chars(sub)
    return total


def _validate_options(options: Any, path: str, depth: int, problems: list[Problem]) -> None:
    """Validate a list of command options (recursing into subcommands and groups)."""
    _check_count(problems, path, options, 0, 25)
    if not isinstance(options, list):
        return
    names: set[str] = set()
    seen_optional = False
    kinds = {opt.get("type") in (1, 2) for opt in options if isinstance(opt, dict)}
    if len(kinds) > 1:
        problems.append((path, "subcommands/groups cannot be mixed with other options"))
    for i, opt in enumerate(options):
        p = f"{path}[{i}]"
        otype = opt.get("type")
        if otype not in range(1, 12):
            problems.append((f"{p}.type", f"invalid option type {otype!r}"))
        _check_chat_name(problems, f"{p}.name", opt.get("name"))
        _check_str(problems, f"{p}.description", opt.get("description"), 1, 100)
        if opt.get("name") in names:
            problems.append((f"{p}.name", f"duplicate option name {opt.get('name')!r}"))
        names.add(opt.get("name"))
        if otype == 2:
            if depth > 0:
                problems.append((p, "subcommand groups cannot be nested"))
            subs = opt.get("options") or []
            if any(sub.get("type") != 1 for sub in subs):
                problems.append((f"{p}.options", "groups may only contain subcommands"))
            _validate_options(subs, f"{p}.options", depth + 1, problems)
            continue
        if otype == 1:
            if depth > 1:
                problems.append((p, "subcommands nested too deeply"))
            subs = opt.get("options") or []
            if any(sub.get("type") in (1, 2) for sub in subs):
                problems.append((f"{p}.options", "subcommands cannot contain subcommands"))
            _validate_options(subs, f"{p}.options", depth + 1, problems)
            continue
        if opt.get("required"):
            if seen_optional:
                problems.append((p, "required options must come before optional ones"))
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        _check_count(problems, f"{p}.choices", choices, 0, 25)
        if choices and opt.get("autocomplete"):
            problems.append((p, "an option cannot have both choices and autocomplete"))
        for j, choice in enumerate(choices if isinstance(choices, list) else []):
            _check_str(problems, f"{p}.choices[{j}].name", choice.get("name"), 1, 100)
            if otype == 3:
                _check_str(problems, f"{p}.choices[{j}].value", choice.get("value"), 1, 100)
        for key in ("min_length", "max_length"):
            value = opt.get(key)
            if value is not None and not 0 <= value <= 6000:
                problems.append((f"{p}.{key}", f"{value} not in [0, 6000]"))


def validate_command(command: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Check one application command registration payload."""
    problems: list[Problem] = []
    prefix = f"{path}." if path else ""
    ctype = command.get("type", 1)
    if ctype == 1:
        _check_chat_name(problems, f"{prefix}name", command.get("name"))
        _check_str(problems, f"{prefix}description", command.get("description"), 1, 100)
        _validate_options(command.get("options") or [], f"{prefix}options", 0, problems)
        total = len(command.get("name") or "") + len(command.get("description") or "")
        total += sum(_option_chars(opt) for opt in command.get("options") or [])
        if total > 4000:
            problems.append((path, f"command text is {total} characters (> 4000)"))
    else:
        _check_str(problems, f"{prefix}name", command.get("name"), 1, 32)
        if command.get("description"):
            problems.append((f"{prefix}description", "context menus must have no description"))
        if command.get("options"):
            problems.append((f"{prefix}options", "context menus cannot have options"))
    return problems


def validate_command_list(commands: Any) -> list[Problem]:
    """Check a bulk-overwrite payload: each command plus duplicates and per-type counts."""
    problems: list[Problem] = []
    if not isinstance(commands, list):
        return [("", "expected an array of commands")]
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for i, command in enumerate(commands):
        problems += validate_command(command, f"[{i}]")
        key = (command.get("type", 1), command.get("name"))
        if key in seen:
            problems.append((f"[{i}].name", f"duplicate command {key[1]!r}"))
        seen.add(key)
        counts[key[0]] = counts.get(key[0], 0) + 1
    for ctype, limit in ((1, 100), (2, 15), (3, 15)):
        if counts.get(ctype, 0) > limit:
            problems.append(("", f"{counts[ctype]} commands of type {ctype} (> {limit})"))
    return problems


# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class RecordedRequest:
    """One REST request received by the stand-in (path is relative to the API base)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    time: float
    status: int = 0
    response: Any = None
    files: list[str] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    """The `files[n]` parts of a multipart request, bytes included."""


@dataclass(slots=True)
class GatewayFrame:
    """One gateway payload sent to (``out``) or received from (``in``) the client."""

    direction: Literal["in", "out"]
    op: int | None
    t: str | None
    s: int | None
    d: Any
    session_id: str | None
    connection: int
    time: float
    replayed: bool = False


@dataclass(slots=True, frozen=True)
class Violation:
    """A payload sent by the bot that breaks one of Discord's rules or limits."""

    where: str
    path: str
    problem: str

    def __str__(self) -> str:
        """Render as ``METHOD /path: json.path: problem``."""
        return f"{self.where}: {self.path or '<root>'}: {self.problem}"


@dataclass(eq=False)
class InteractionRecord:
    """An interaction dispatched by the stand-in and everything the bot did with it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    created: float
    callbacks: list[RecordedRequest] = field(default_factory=list)
    attempts: list[RecordedRequest] = field(default_factory=list)
    followups: list[RecordedRequest] = field(default_factory=list)
    original_message_id: int | None = None
    acked_at: float | None = None
    acked: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def response(self) -> dict[str, Any] | None:
        """The first accepted callback body, if any."""
        return self.callbacks[0].body if self.callbacks else None

    @property
    def ack_latency(self) -> float | None:
        """Seconds between dispatch and the accepted callback."""
        return None if self.acked_at is None else self.acked_at - self.created


@dataclass(slots=True)
class _Fault:
    """A pending injected failure for matching REST requests."""

    remaining: int
    status: int
    method: str | None
    path: re.Pattern[str] | None
    retry_after: float
    is_global: bool
    via: bool


class _Connection:
    """One accepted gateway websocket connection with its own compression context."""

    def __init__(
        self, number: int, ws: web.WebSocketResponse, request: web.Request, compression: str | None
    ) -> None:
        """Set up the per-connection compressor (zlib-stream or zstd-stream)."""
        self.number = number
        self.ws = ws
        self.transport = request.transport
        self.path = request.path
        self.query = dict(request.query)
        self.lock = asyncio.Lock()
        self.session: GatewaySession | None = None
        self._zlib: Any = None
        self._zstd: Any = None
        if compression == "zlib-stream":
            self._zlib = zlib.compressobj()
        elif compression == "zstd-stream" and _zstd is not None:
            self._zstd = _zstd.ZstdCompressor().compressobj()
        self.compression = "zlib-stream" if self._zlib else "zstd-stream" if self._zstd else None

    async def write(self, frame: Mapping[str, Any]) -> None:
        """Encode one payload (compressed as a binary frame when negotiated) and send it."""
        raw = json.dumps(frame, separators=(",", ":"))
        if self._zlib is not None:
            data = self._zlib.compress(raw.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)
        elif self._zstd is not None:
            data = self._zstd.compress(raw.encode()) + self._zstd.flush(
                _zstd.COMPRESSOBJ_FLUSH_BLOCK
            )
            await self.ws.send_bytes(data)
        else:
            await self.ws.send_str(raw)


class GatewaySession:
    """A gateway session: identity, sequence counter and the buffer used to replay on RESUME."""

    def __init__(self, session_id: str, identify: dict[str, Any]) -> None:
        """Create an empty session for an IDENTIFY payload."""
        self.session_id = session_id
        self.identify = identify
        self.seq = 0
        self.buffer: list[dict[str, Any]] = []
        self.connection: _Connection | None = None
        self.ready = False
        self.resumes = 0
        self.presence: Any = None

    @property
    def connected(self) -> bool:
        """Whether a live websocket is attached to this session."""
        return self.connection is not None

    def next_frame(self, t: str, d: Any) -> dict[str, Any]:
        """Assign the next sequence number to a dispatch and keep it for replays."""
        self.seq += 1
        frame = {"op": OP_DISPATCH, "t": t, "s": self.seq, "d": d}
        self.buffer.append(frame)
        return frame


def _now_iso() -> str:
    """Current time as Discord's ISO 8601 timestamp."""
    return datetime.now(UTC).isoformat()


def _infer_option_type(value: Any) -> int:
    """Guess an application command option type from a Python value."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


ClientT = TypeVar("ClientT", bound=discord.Client)
Handler = Callable[[RecordedRequest, dict[str, str]], Awaitable[web.StreamResponse]]


# --------------------------------------------------------------------------- the stand-in


class DiscordStandin:
    """In-process fake of Discord's REST API and gateway, served on 127.0.0.1."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        check_token: bool = True,
        application_id: int = DEFAULT_APPLICATION_ID,
        guild_id: int = DEFAULT_GUILD_ID,
        channel_id: int = DEFAULT_CHANNEL_ID,
        user_id: int = DEFAULT_USER_ID,
        bot_name: str = "standin-bot",
        heartbeat_interval: float = 41.25,
        send_guilds: bool = True,
        strict: bool = True,
        ack_deadline: float = 3.0,
    ) -> None:
        """Configure identities and behaviour; call `start` (or ``async with``) to serve."""
        self.token = token
        self.check_token = check_token
        self.application_id = application_id
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.user_id = user_id
        self.bot_name = bot_name
        self.heartbeat_interval = heartbeat_interval
        self.send_guilds = send_guilds
        self.strict = strict
        self.ack_deadline = ack_deadline
        self.rest_delay = 0.0

        self.requests: list[RecordedRequest] = []
        self.frames: list[GatewayFrame] = []
        self.violations: list[Violation] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: list[_Connection] = []
        self.users: dict[int, dict[str, Any]] = {}
        # Community features: attachments served on 127.0.0.1, more channels, refusals.
        self.attachments: dict[int, tuple[dict[str, Any], bytes]] = {}
        self.extra_channel_ids: list[int] = []
        self.forbidden_channels: set[int] = set()
        self.everyone_permissions = "0"

        self._by_token: dict[str, InteractionRecord] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._faults: list[_Fault] = []
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._latest: GatewaySession | None = None
        self._conn_numbers = itertools.count(1)
        self._last_snowflake = 0
        self._gate = asyncio.Event()
        self._gate.set()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        self._setup_routes()
        self.bot_user = self._make_user(application_id, bot_name, bot=True)
        self.owner_user = self._make_user(application_id + 1, "standin-owner")
        self.user_payload(user_id)

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Start serving on 127.0.0.1 with an ephemeral port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._handle_gateway)
        app.router.add_get("/gateway/resume", self._handle_gateway)
        app.router.add_route("*", "/{tail:.*}", self._handle_http)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        """Close every gateway connection and stop the server."""
        self._gate.set()
        for conn in self.connections:
            if not conn.ws.closed:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.ws.close(code=1001), 1.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for _, fut in self._waiters:
            if not fut.done():
                fut.cancel()

    async def __aenter__(self) -> DiscordStandin:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop the server."""
        await self.close()

    @property
    def port(self) -> int:
        """The TCP port the stand-in listens on."""
        return self._port

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self._port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://127.0.0.1:{self._port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """The ``resume_gateway_url`` announced in READY."""
        return f"ws://127.0.0.1:{self._port}/gateway/resume"

    @contextlib.contextmanager
    def patched(self) -> Iterator[DiscordStandin]:
        """Point discord.py's REST base and default gateway at the stand-in, then restore."""
        old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
        Route.BASE = self.api_base
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield self
        finally:
            Route.BASE = old_base
            DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    @contextlib.asynccontextmanager
    async def running(
        self, client: ClientT, *, token: str | None = None, ready_timeout: float = 10.0
    ) -> AsyncIterator[ClientT]:
        """Run ``client.start()`` until ready; on exit close it and re-raise any crash."""
        task = asyncio.create_task(client.start(token or self.token), name="standin-client")
        try:
            deadline = time.monotonic() + ready_timeout
            while not client.is_ready():
                if task.done():
                    task.result()
                    raise RuntimeError("client stopped before becoming ready")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"client not ready after {ready_timeout}s")
                await asyncio.sleep(0.005)
            yield client
        finally:
            await client.close()
            done, _ = await asyncio.wait({task}, timeout=10.0)
            if not done:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            crash = None if task.cancelled() else task.exception()
        if crash is not None:
            raise crash

    # ----------------------------------------------------------------- payload builders

    def snowflake(self) -> int:
        """Return a new, strictly increasing Discord-style snowflake."""
        candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (1 << 17)
        self._last_snowflake = max(candidate, self._last_snowflake + 1)
        return self._last_snowflake

    @staticmethod
    def _make_user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
        """Build a user object."""
        return {
            "id": str(user_id),
            "username": name,
            "discriminator": "0001" if bot else "0",
            "global_name": None if bot else name,
            "avatar": None,
            "bot": bot,
            "system": False,
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
            "public_flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }

    def user_payload(self, user_id: int) -> dict[str, Any]:
        """Return (creating on first use) the user object for ``user_id``."""
        if user_id == self.application_id:
            return self.bot_user
        if user_id not in self.users:
            self.users[user_id] = self._make_user(user_id, f"user{len(self.users) + 1}")
        return self.users[user_id]

    def member_payload(self, user_id: int, *, with_user: bool = True) -> dict[str, Any]:
        """Build a guild member object for ``user_id`` (all permissions, no roles)."""
        member: dict[str, Any] = {
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "nick": None,
            "avatar": None,
            "banner": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "permissions": ALL_PERMISSIONS,
            "communication_disabled_until": None,
            "avatar_decoration_data": None,
        }
        if with_user:
            member["user"] = self.user_payload(user_id)
        return member

    def channel_payload(self, channel_id: int | None = None) -> dict[str, Any]:
        """Build the guild text channel object."""
        return {
            "id": str(channel_id or self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "permissions": ALL_PERMISSIONS,
        }

    def guild_payload(self) -> dict[str, Any]:
        """Build the GUILD_CREATE payload of the test guild."""
        return {
            "id": str(self.guild_id),
            "name": "Standin Guild",
            "icon": None,
            "owner_id": self.owner_user["id"],
            "unavailable": False,
            "large": False,
            "member_count": 1,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "preferred_locale": "en-US",
            "features": [],
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": self.everyone_permissions,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                self.channel_payload(),
                *(self.channel_payload(cid) for cid in self.extra_channel_ids),
            ],
            "members": [self.member_payload(self.application_id)],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "emojis": [],
            "stickers": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def app_info_payload(self) -> dict[str, Any]:
        """Build the GET /oauth2/applications/@me response."""
        return {
            "id": str(self.application_id),
            "name": self.bot_name,
            "icon": None,
            "description": "",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner_user,
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": self.bot_user,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": 1,
        }

    def build_interaction(
        self,
        itype: int,
        data: dict[str, Any] | None,
        *,
        user_id: int | None = None,
        guild: bool | int = True,
        channel_id: int | None = None,
        message: dict[str, Any] | None = None,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """Build a full INTERACTION_CREATE payload with every key discord.py reads."""
        user = self.user_payload(user_id or self.user_id)
        payload: dict[str, Any] = {
            "id": str(self.snowflake()),
            "application_id": str(self.application_id),
            "type": itype,
            "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(32),
            "version": 1,
            "locale": locale,
            "app_permissions": ALL_PERMISSIONS,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if data is not None:
            payload["data"] = data
        if guild:
            gid = self.guild_id if guild is True else int(guild)
            payload.update(
                guild_id=str(gid),
                guild={"id": str(gid), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel_id=str(channel_id or self.channel_id),
                channel=self.channel_payload(channel_id),
                member=self.member_payload(int(user["id"])),
                authorizing_integration_owners={"0": str(gid)},
                context=0,
            )
        else:
            payload.update(
                channel_id=str(DM_CHANNEL_ID),
                channel={"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [user], "flags": 0},
                user=user,
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = message
        return payload

    def _find_command(self, name: str, ctype: int, guild_id: int | None) -> dict[str, Any] | None:
        """Find a registered command by name/type, guild scope first."""
        scopes: list[int | None] = [guild_id, None] if guild_id else [None]
        for scope in scopes:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd
        return None

    def _build_options(
        self,
        schema: Sequence[Mapping[str, Any]],
        path: Sequence[str],
        values: Mapping[str, Any] | Sequence[dict[str, Any]] | None,
        focused: str | None,
    ) -> list[dict[str, Any]]:
        """Turn ``{name: value}`` into typed option payloads (nesting subcommands in ``path``)."""
        if path:
            spec = next((o for o in schema if o.get("name") == path[0]), None)
            otype = spec.get("type", 1) if spec else (2 if len(path) > 1 else 1)
            sub_schema = spec.get("options", []) if spec else []
            inner = self._build_options(sub_schema, path[1:], values, focused)
            return [{"name": path[0], "type": otype, "options": inner}]
        if values is None:
            return []
        if not isinstance(values, Mapping):
            return [dict(v) for v in values]
        out: list[dict[str, Any]] = []
        for name, value in values.items():
            spec = next((o for o in schema if o.get("name") == name), None)
            otype = spec["type"] if spec else _infer_option_type(value)
            if otype in SNOWFLAKE_OPTION_TYPES:
                value = str(value)
            option: dict[str, Any] = {"name": name, "type": otype, "value": value}
            if name == focused:
                option["focused"] = True
            out.append(option)
        return out

    def _resolved_for(self, options: Iterable[Mapping[str, Any]], guild: bool) -> dict[str, Any]:
        """Build ``data.resolved`` for user/channel/role/mentionable option values."""
        resolved: dict[str, dict[str, Any]] = {}
        stack = list(options)
        while stack:
            opt = stack.pop()
            stack.extend(opt.get("options") or [])
            otype, value = opt.get("type"), str(opt.get("value"))
            if otype in (6, 9):
                resolved.setdefault("users", {})[value] = self.user_payload(int(value))
                if guild:
                    member = self.member_payload(int(value), with_user=False)
                    resolved.setdefault("members", {})[value] = member
            elif otype == 7:
                channel = self.channel_payload(int(value))
                resolved.setdefault("channels", {})[value] = channel
            elif otype == 11 and int(value) in self.attachments:
                resolved.setdefault("attachments", {})[value] = self.attachments[int(value)][0]
            elif otype == 8:
                role = {"id": value, "name": f"role-{value}", "permissions": "0", "position": 1}
                resolved.setdefault("roles", {})[value] = role
        return resolved

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[dict[str, Any]] | None,
        *,
        guild: bool | int,
        ctype: int = 1,
        focused: str | None = None,
    ) -> dict[str, Any]:
        """Build ``data`` of an application command / autocomplete interaction."""
        parts = name.split()
        gid = (self.guild_id if guild is True else int(guild)) if guild else None
        cmd = self._find_command(parts[0], ctype, gid)
        schema = cmd.get("options", []) if cmd else []
        opts = self._build_options(schema, parts[1:], options, focused)
        data: dict[str, Any] = {
            "id": cmd["id"] if cmd else str(self.snowflake()),
            "name": parts[0],
            "type": ctype,
            "options": opts,
        }
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        resolved = self._resolved_for(opts, bool(guild))
        if resolved:
            data["resolved"] = resolved
        return data

    def add_attachment(self, filename: str, data: bytes, *, size: int | None = None) -> int:
        """Serve ``data`` as an uploaded attachment (``size`` may lie); return its id."""
        aid = self.snowflake()
        safe = urllib.parse.quote(filename.replace("/", "_"), safe="")  # as Discord's CDN names it
        url = f"http://127.0.0.1:{self._port}/attachments/{aid}/{safe}"
        payload = {
            "id": str(aid),
            "filename": filename,
            "size": len(data) if size is None else size,
            "url": url,
            "proxy_url": url,
            "content_type": "text/plain; charset=utf-8",
        }
        self.attachments[aid] = (payload, data)
        return aid

    # ----------------------------------------------------------------- event injection

    def _require_session(self, session: GatewaySession | None = None) -> GatewaySession:
        """Return ``session`` or the most recent session, failing if none exists."""
        session = session or self._latest
        if session is None:
            raise RuntimeError("no gateway session: has the client connected and identified?")
        return session

    @property
    def session(self) -> GatewaySession | None:
        """The most recently identified gateway session."""
        return self._latest

    async def dispatch(self, t: str, d: Any, *, session: GatewaySession | None = None) -> int:
        """Send a DISPATCH event (buffered for RESUME if disconnected); return its seq."""
        sess = self._require_session(session)
        frame = sess.next_frame(t, d)
        conn = sess.connection
        if conn is not None:
            await self._send_frames(conn, [frame])
        return int(frame["s"])

    async def dispatch_interaction(
        self, payload: dict[str, Any], *, session: GatewaySession | None = None
    ) -> int:
        """Register and dispatch an INTERACTION_CREATE payload; return the interaction id."""
        iid = int(payload["id"])
        record = InteractionRecord(
            id=iid, token=payload["token"], type=payload["type"], payload=payload, created=0.0
        )
        self.interactions[iid] = record
        self._by_token[record.token] = record
        record.created = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", payload, session=session)
        return iid

    async def send_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[dict[str, Any]] | None = None,
        *,
        user_id: int | None = None,
        guild: bool | int = True,
        locale: str = "en-US",
        session: GatewaySession | None = None,
    ) -> int:
        """Invoke a slash command (``"group sub"`` for subcommands) on a session (default the
        latest); return the interaction id."""
        data = self._command_data(name, options, guild=guild)
        payload = self.build_interaction(
            APPLICATION_COMMAND, data, user_id=user_id, guild=guild, locale=locale
        )
        return await self.dispatch_interaction(payload, session=session)

    def shard_session(self, shard_id: int) -> GatewaySession | None:
        """The ready session that identified as shard `shard_id`, if any."""
        for session in self.sessions.values():
            shard = session.identify.get("shard")
            if session.ready and shard is not None and shard[0] == shard_id:
                return session
        return None

    async def send_autocomplete(
        self,
        name: str,
        focused: str,
        value: Any = "",
        options: Mapping[str, Any] | None = None,
        *,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Send an autocomplete interaction with ``focused`` currently typed as ``value``."""
        values = dict(options or {})
        values[focused] = value
        data = self._command_data(name, values, guild=guild, focused=focused)
        payload = self.build_interaction(AUTOCOMPLETE, data, user_id=user_id, guild=guild)
        return await self.dispatch_interaction(payload)

    async def send_context_menu(
        self, name: str, target_id: int, *, ctype: int = 2, user_id: int | None = None
    ) -> int:
        """Invoke a user (ctype 2) or message (ctype 3) context menu on ``target_id``."""
        data = self._command_data(name, None, guild=True, ctype=ctype)
        data["target_id"] = str(target_id)
        if ctype == 2:
            data["resolved"] = {
                "users": {str(target_id): self.user_payload(target_id)},
                "members": {str(target_id): self.member_payload(target_id, with_user=False)},
            }
        else:
            data["resolved"] = {"messages": {str(target_id): self.messages[target_id]}}
        payload = self.build_interaction(APPLICATION_COMMAND, data, user_id=user_id)
        return await self.dispatch_interaction(payload)

    def find_message(self, custom_id: str) -> dict[str, Any]:
        """Return the newest stored message having a component with ``custom_id``."""

        def has(components: Iterable[Any]) -> bool:
            return any(
                isinstance(c, dict)
                and (c.get("custom_id") == custom_id or has(c.get("components") or []))
                for c in components
            )

        for message in reversed(self.messages.values()):
            if has(message.get("components") or []):
                return message
        raise LookupError(f"no stored message has a component with custom_id {custom_id!r}")

    async def send_component(
        self,
        custom_id: str,
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        message_id: int | None = None,
        message: dict[str, Any] | None = None,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Press a button / pick select values on a message; return the interaction id."""
        if message is None:
            message = self.messages[message_id] if message_id else self.find_message(custom_id)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        payload = self.build_interaction(
            MESSAGE_COMPONENT, data, user_id=user_id, guild=guild, message=message
        )
        return await self.dispatch_interaction(payload)

    async def send_button(
        self,
        custom_id: str,
        *,
        message_id: int | None = None,
        message: dict[str, Any] | None = None,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Press the button ``custom_id`` (message found by id, payload, or custom_id)."""
        return await self.send_component(
            custom_id, message_id=message_id, message=message, user_id=user_id, guild=guild
        )

    async def send_select(
        self,
        custom_id: str,
        values: Sequence[str],
        *,
        message_id: int | None = None,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Pick ``values`` in the select menu ``custom_id``; only what it offers, as Discord."""
        message = self.messages[message_id] if message_id else self.find_message(custom_id)
        menus = [
            c
            for row in message.get("components") or []
            for c in row.get("components") or []
            if c.get("custom_id") == custom_id and c.get("type") in SELECT_TYPES
        ]
        if not menus:
            raise LookupError(f"message {message['id']} has no select menu {custom_id!r}")
        menu = menus[0]
        offered = {option["value"] for option in menu.get("options") or []}
        if menu["type"] == 3 and not set(values) <= offered:
            raise ValueError(f"{list(values)} are not all among the menu's values {offered}")
        if not menu.get("min_values", 1) <= len(values) <= menu.get("max_values", 1):
            raise ValueError(f"{len(values)} values picked; the menu takes min/max values")
        return await self.send_component(
            custom_id,
            component_type=menu["type"],
            values=values,
            message=message,
            user_id=user_id,
            guild=guild,
        )

    async def send_modal_submit(
        self,
        custom_id: str,
        fields: Mapping[str, str],
        *,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Submit a modal whose text inputs (by custom_id) hold ``fields``."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in fields.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        payload = self.build_interaction(MODAL_SUBMIT, data, user_id=user_id, guild=guild)
        return await self.dispatch_interaction(payload)

    # ----------------------------------------------------------------- fault injection

    def fail_next(
        self,
        count: int,
        status: int = 429,
        *,
        method: str | None = None,
        path: str | None = None,
        retry_after: float = 0.05,
        is_global: bool = False,
        via: bool = True,
    ) -> None:
        """Answer the next ``count`` matching REST requests with ``status`` (429 or 5xx)."""
        pattern = re.compile(path) if path else None
        self._faults.append(_Fault(count, status, method, pattern, retry_after, is_global, via))

    def fail_next_callbacks(
        self, count: int, status: int = 429, *, retry_after: float = 0.05
    ) -> None:
        """Answer the next ``count`` interaction callback POSTs with ``status``."""
        self.fail_next(
            count, status, method="POST", path=CALLBACK_PATH.pattern, retry_after=retry_after
        )

    async def disconnect(
        self,
        mode: Literal["close", "drop"] = "close",
        *,
        code: int = 4000,
        session: GatewaySession | None = None,
    ) -> None:
        """Close the session's websocket with ``code``, or abort its TCP connection."""
        sess = self._require_session(session)
        conn = sess.connection
        if conn is None:
            return
        sess.connection = None
        if mode == "drop":
            if conn.transport is not None:
                conn.transport.abort()
        else:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=code, message=b"standin"), 5.0)

    @contextlib.asynccontextmanager
    async def outage(
        self,
        mode: Literal["close", "drop"] = "close",
        *,
        code: int = 4000,
        session: GatewaySession | None = None,
    ) -> AsyncIterator[None]:
        """Disconnect and hold new gateway connections until the block exits (events buffer)."""
        self._gate.clear()
        try:
            await self.disconnect(mode, code=code, session=session)
            yield
        finally:
            self._gate.set()

    async def send_reconnect(self, *, session: GatewaySession | None = None) -> None:
        """Send op 7 RECONNECT on the session's live connection."""
        sess = self._require_session(session)
        if sess.connection is not None:
            await self._send_frames(sess.connection, [{"op": OP_RECONNECT, "d": None}])

    async def invalidate_session(
        self, *, resumable: bool = False, session: GatewaySession | None = None
    ) -> None:
        """Send op 9 INVALID_SESSION; a non-resumable session is forgotten."""
        sess = self._require_session(session)
        if not resumable:
            self.sessions.pop(sess.session_id, None)
        if sess.connection is not None:
            await self._send_frames(sess.connection, [{"op": OP_INVALID_SESSION, "d": resumable}])

    # ----------------------------------------------------------------- inspection & waiting

    def callbacks(self, interaction_id: int) -> list[RecordedRequest]:
        """Accepted (2xx) callback requests for an interaction."""
        return self.interactions[interaction_id].callbacks

    def callback_count(self, interaction_id: int) -> int:
        """Number of accepted callbacks for an interaction (1 means exactly-once)."""
        return len(self.interactions[interaction_id].callbacks)

    def callback_attempts(self, interaction_id: int) -> list[RecordedRequest]:
        """Every callback POST for an interaction, including injected failures."""
        return self.interactions[interaction_id].attempts

    def unanswered(self) -> list[int]:
        """Ids of dispatched interactions without an accepted callback."""
        return [iid for iid, rec in self.interactions.items() if not rec.callbacks]

    def requests_matching(
        self, method: str | None = None, path: str = ".*"
    ) -> list[RecordedRequest]:
        """Recorded requests whose path fully matches the regex ``path``."""
        pattern = re.compile(path)
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and pattern.fullmatch(r.path)
        ]

    def received_frames(self, op: int | None = None) -> list[GatewayFrame]:
        """Gateway payloads received from the client (optionally only opcode ``op``)."""
        return [f for f in self.frames if f.direction == "in" and (op is None or f.op == op)]

    def sent_frames(self, t: str | None = None, op: int | None = None) -> list[GatewayFrame]:
        """Gateway payloads sent to the client, filtered by event name and/or opcode."""
        return [
            f
            for f in self.frames
            if f.direction == "out" and (t is None or f.t == t) and (op is None or f.op == op)
        ]

    def assert_clean(self) -> None:
        """Raise AssertionError if any violation or unknown route was recorded."""
        problems = [str(v) for v in self.violations]
        problems += [f"unknown route {r.method} {r.path}" for r in self.unknown_routes]
        if problems:
            raise AssertionError("Discord stand-in saw problems:\n  " + "\n  ".join(problems))

    def _notify(self) -> None:
        """Wake waiters whose condition became true."""
        for cond, fut in self._waiters:
            if not fut.done() and cond():
                fut.set_result(None)

    async def _wait_until(self, cond: Callable[[], bool], timeout: float, what: str) -> None:
        """Wait until ``cond()`` is true, re-evaluated whenever something is recorded."""
        if cond():
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (cond, fut)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None
        finally:
            self._waiters.remove(entry)

    async def wait_for_session(self, timeout: float = 5.0) -> GatewaySession:
        """Wait until a client has identified and received READY."""
        await self._wait_until(lambda: bool(self._latest and self._latest.ready), timeout, "READY")
        assert self._latest is not None
        return self._latest

    async def wait_for_callback(self, interaction_id: int, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the interaction's accepted callback and return its JSON body."""
        record = self.interactions[interaction_id]
        try:
            await asyncio.wait_for(record.acked.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"interaction {interaction_id} not answered after {timeout}s "
                f"({len(record.attempts)} callback attempts)"
            ) from None
        body: dict[str, Any] = record.callbacks[0].body
        return body

    async def wait_for_callbacks(
        self, interaction_ids: Iterable[int], timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait for every interaction's callback; return the bodies in order."""
        ids = list(interaction_ids)

        async def one(iid: int) -> dict[str, Any]:
            await self.interactions[iid].acked.wait()
            body: dict[str, Any] = self.interactions[iid].callbacks[0].body
            return body

        try:
            return await asyncio.wait_for(asyncio.gather(*(one(i) for i in ids)), timeout)
        except TimeoutError:
            missing = [i for i in ids if not self.interactions[i].callbacks]
            raise TimeoutError(f"{len(missing)} of {len(ids)} interactions unanswered") from None

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """Wait for a recorded request (index >= ``since``) matching ``predicate``."""
        found: list[RecordedRequest] = []

        def cond() -> bool:
            found[:] = [r for r in self.requests[since:] if r.status and predicate(r)][:1]
            return bool(found)

        await self._wait_until(cond, timeout, "a matching request")
        return found[0]

    async def wait_for_frame(
        self,
        predicate: Callable[[GatewayFrame], bool],
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> GatewayFrame:
        """Wait for a gateway frame (index >= ``since``) matching ``predicate``."""
        found: list[GatewayFrame] = []

        def cond() -> bool:
            found[:] = [f for f in self.frames[since:] if predicate(f)][:1]
            return bool(found)

        await self._wait_until(cond, timeout, "a matching gateway frame")
        return found[0]

    async def wait_for_resume(self, *, since: int = 0, timeout: float = 5.0) -> GatewayFrame:
        """Wait until RESUMED has been sent (after frame index ``since``)."""
        return await self.wait_for_frame(
            lambda f: f.direction == "out" and f.t == "RESUMED", since=since, timeout=timeout
        )

    # ----------------------------------------------------------------- gateway

    def _record_frame(
        self,
        direction: Literal["in", "out"],
        conn: _Connection,
        payload: Mapping[str, Any],
        *,
        replayed: bool = False,
    ) -> None:
        """Record one gateway payload."""
        session_id = conn.session.session_id if conn.session else None
        self.frames.append(
            GatewayFrame(
                direction=direction,
                op=payload.get("op"),
                t=payload.get("t"),
                s=payload.get("s"),
                d=payload.get("d"),
                session_id=session_id,
                connection=conn.number,
                time=time.monotonic(),
                replayed=replayed,
            )
        )

    async def _send_frames(
        self, conn: _Connection, frames: Sequence[Mapping[str, Any]], *, replayed: int = 0
    ) -> None:
        """Send payloads in order under the connection lock; the first ``replayed`` are replays."""
        try:
            async with conn.lock:
                for index, frame in enumerate(frames):
                    if conn.ws.closed:
                        return
                    await conn.write(frame)
                    self._record_frame("out", conn, frame, replayed=index < replayed)
        except (ConnectionError, RuntimeError):
            pass  # the client went away; buffered dispatches are replayed on RESUME
        finally:
            self._notify()

    async def _handle_gateway(self, request: web.Request) -> web.StreamResponse:
        """Serve one gateway websocket: HELLO, then IDENTIFY/RESUME/heartbeats."""
        await self._gate.wait()
        ws = web.WebSocketResponse(max_msg_size=0, compress=False)
        await ws.prepare(request)
        conn = _Connection(next(self._conn_numbers), ws, request, request.query.get("compress"))
        self.connections.append(conn)
        hello = {"op": OP_HELLO, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}}
        try:
            await self._send_frames(conn, [hello])
            async for msg in ws:
                if msg.type not in (web.WSMsgType.TEXT, web.WSMsgType.BINARY):
                    break
                payload = json.loads(msg.data)
                self._record_frame("in", conn, payload)
                self._notify()
                await self._handle_op(conn, payload)
        finally:
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
        return ws

    async def _handle_op(self, conn: _Connection, payload: dict[str, Any]) -> None:
        """React to one client payload."""
        op: Any = payload.get("op")
        d: Any = payload.get("d")
        if op == OP_HEARTBEAT:
            await self._send_frames(conn, [{"op": OP_HEARTBEAT_ACK}])
        elif op == OP_IDENTIFY:
            await self._identify(conn, d)
        elif op == OP_RESUME:
            await self._resume(conn, d)
        elif op == OP_PRESENCE:
            if conn.session is not None:
                conn.session.presence = d
        elif op == OP_REQUEST_MEMBERS:
            chunk = {
                "guild_id": d.get("guild_id"),
                "members": [self.member_payload(self.application_id)],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
            }
            if d.get("nonce") is not None:
                chunk["nonce"] = d["nonce"]
            if conn.session is not None:
                await self.dispatch("GUILD_MEMBERS_CHUNK", chunk, session=conn.session)
        elif op == OP_VOICE_STATE:
            pass
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: _Connection, d: dict[str, Any]) -> None:
        """Handle IDENTIFY: create a session, send READY and GUILD_CREATE."""
        if self.check_token and d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        session = GatewaySession(secrets.token_hex(16), d)
        self.sessions[session.session_id] = session
        conn.session = session
        session.connection = conn
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(self.guild_id), "unavailable": True}] if self.send_guilds else [],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["standin"],
        }
        if "shard" in d:
            ready["shard"] = d["shard"]
        frames = [session.next_frame("READY", ready)]
        if self.send_guilds:
            frames.append(session.next_frame("GUILD_CREATE", self.guild_payload()))
        self._latest = session
        session.ready = True
        await self._send_frames(conn, frames)

    async def _resume(self, conn: _Connection, d: dict[str, Any]) -> None:
        """Handle RESUME: replay buffered dispatches after the client's seq, then RESUMED."""
        session = self.sessions.get(d.get("session_id") or "")
        if session is None or (self.check_token and d.get("token") != self.token):
            await self._send_frames(conn, [{"op": OP_INVALID_SESSION, "d": False}])
            return
        old = session.connection
        if old is not None and old is not conn:
            session.connection = None
            task = asyncio.get_running_loop().create_task(old.ws.close(code=4000))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        seq = d.get("seq") or 0
        conn.session = session
        session.connection = conn
        session.resumes += 1
        replay = [frame for frame in session.buffer if frame["s"] > seq]
        resumed = session.next_frame("RESUMED", {"_trace": ["standin"]})
        await self._send_frames(conn, [*replay, resumed], replayed=len(replay))

    # ----------------------------------------------------------------- REST plumbing

    def _setup_routes(self) -> None:
        """Register the REST routes: (method, path regex, handler, needs bot auth)."""
        app = r"/applications/(?P<app>\d+)"
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        msg = r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)"
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", r"/users/@me", self._get_me, True),
            ("GET", r"/users/(?P<uid>\d+)", self._get_user, True),
            ("GET", r"/oauth2/applications/@me", self._get_app, True),
            ("GET", r"/applications/@me", self._get_app, True),
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/gateway/bot", self._get_gateway, True),
            ("GET", app + r"/commands", self._get_commands, True),
            ("PUT", app + r"/commands", self._put_commands, True),
            ("GET", app + r"/guilds/(?P<guild>\d+)/commands", self._get_commands, True),
            ("PUT", app + r"/guilds/(?P<guild>\d+)/commands", self._put_commands, True),
            ("POST", CALLBACK_PATH.pattern, self._post_callback, False),
            ("POST", hook, self._post_followup, False),
            ("GET", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("PATCH", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("DELETE", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._post_channel_message, True),
            ("GET", msg, self._channel_message, True),
            ("PATCH", msg, self._channel_message, True),
            ("DELETE", msg, self._channel_message, True),
            ("POST", r"/channels/(?P<cid>\d+)/typing", self._no_content, True),
            ("GET", r"/channels/(?P<cid>\d+)", self._get_channel, True),
            ("GET", r"/guilds/(?P<guild>\d+)", self._get_guild, True),
            ("GET", r"/guilds/(?P<guild>\d+)/members/(?P<uid>\d+)", self._get_member, True),
            ("GET", r"/attachments/(?P<aid>\d+)/[^/]+", self._get_attachment, False),
        ]
        self._routes = [(m, re.compile(p), h, auth) for m, p, h, auth in table]

    def _reply(
        self,
        rec: RecordedRequest,
        status: int,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> web.Response:
        """Build a JSON response (exact ``application/json`` content type) and record it."""
        rec.status, rec.response = status, data
        if status == 204 or data is None:
            return web.Response(status=status, headers=headers)
        body = json.dumps(data, separators=(",", ":")).encode()
        return web.Response(
            status=status, body=body, headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})}
        )

    def _error(self, rec: RecordedRequest, status: int, code: int, message: str) -> web.Response:
        """Build a Discord-style JSON error."""
        return self._reply(rec, status, {"message": message, "code": code})

    def _invalid_form(self, rec: RecordedRequest, problems: list[Problem]) -> web.Response:
        """Build a 400 Invalid Form Body (code 50035) listing the problems."""
        errors = {path or "_root": {"_errors": [{"message": msg}]} for path, msg in problems}
        return self._reply(
            rec, 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}
        )

    def _violate(self, rec: RecordedRequest, problems: Iterable[Problem]) -> list[Problem]:
        """Record violations for a request; return the problems."""
        problems = list(problems)
        where = f"{rec.method} {rec.path}"
        self.violations.extend(Violation(where, path, msg) for path, msg in problems)
        return problems

    async def _read_body(self, request: web.Request, rec: RecordedRequest) -> None:
        """Parse a JSON or multipart (payload_json + files) request body into ``rec``."""
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            form = await read_multipart(request)
            rec.body, rec.uploads = form.payload, list(form.uploads)
            rec.files = [upload.filename for upload in form.uploads]
            self._violate(rec, form.problems)
            return
        raw = await request.read()
        if raw:
            try:
                rec.body = json.loads(raw)
            except ValueError:
                rec.body = raw.decode(errors="replace")

    def _take_fault(self, rec: RecordedRequest) -> _Fault | None:
        """Consume one injected failure matching this request, if any."""
        for fault in self._faults:
            if fault.remaining <= 0:
                continue
            if fault.method and fault.method != rec.method:
                continue
            if fault.path and not fault.path.fullmatch(rec.path):
                continue
            fault.remaining -= 1
            return fault
        return None

    def _fault_response(self, rec: RecordedRequest, fault: _Fault) -> web.Response:
        """Build the response for an injected failure."""
        if fault.status != 429:
            return self._error(rec, fault.status, 0, f"{fault.status}: Injected failure")
        headers = {"Retry-After": f"{fault.retry_after:g}", "X-RateLimit-Scope": "user"}
        if fault.via:
            headers["Via"] = "1.1 google"
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
            headers["X-RateLimit-Scope"] = "global"
        body = {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.is_global,
        }
        return self._reply(rec, 429, body, headers)

    async def _handle_http(self, request: web.Request) -> web.StreamResponse:
        """Record a REST request, apply injected faults and route it."""
        path = API_PREFIX.sub("", request.path)
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            body=None,
            headers=dict(request.headers),
            time=time.monotonic(),
        )
        self.requests.append(rec)
        try:
            await self._read_body(request, rec)
            if self.rest_delay:
                await asyncio.sleep(self.rest_delay)
            callback = CALLBACK_PATH.fullmatch(path)
            if callback and request.method == "POST":
                record = self.interactions.get(int(callback["iid"]))
                if record is not None:
                    record.attempts.append(rec)
            fault = self._take_fault(rec)
            if fault is not None:
                return self._fault_response(rec, fault)
            for method, pattern, handler, needs_auth in self._routes:
                match = pattern.fullmatch(path)
                if match is None or method != request.method:
                    continue
                auth = request.headers.get("Authorization")
                if needs_auth and self.check_token and auth != f"Bot {self.token}":
                    return self._error(rec, 401, 0, "401: Unauthorized")
                return await handler(rec, match.groupdict())
            self.unknown_routes.append(rec)
            return self._error(rec, 404, 0, "404: Not Found")
        finally:
            self._notify()

    # ----------------------------------------------------------------- REST handlers

    async def _get_me(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /users/@me."""
        return self._reply(rec, 200, self.bot_user)

    async def _get_user(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /users/{id}."""
        return self._reply(rec, 200, self.user_payload(int(p["uid"])))

    async def _get_app(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /oauth2/applications/@me."""
        return self._reply(rec, 200, self.app_info_payload())

    async def _get_gateway(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /gateway and /gateway/bot."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        data = {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        return self._reply(rec, 200, data)

    async def _get_channel(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /channels/{id} (only the test channel exists)."""
        if int(p["cid"]) != self.channel_id:
            return self._error(rec, 404, 10003, "Unknown Channel")
        return self._reply(rec, 200, self.channel_payload())

    async def _get_guild(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /guilds/{id} (only the test guild exists)."""
        if int(p["guild"]) != self.guild_id:
            return self._error(rec, 404, 10004, "Unknown Guild")
        return self._reply(rec, 200, self.guild_payload())

    async def _get_member(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /guilds/{id}/members/{uid}."""
        if int(p["guild"]) != self.guild_id:
            return self._error(rec, 404, 10004, "Unknown Guild")
        return self._reply(rec, 200, self.member_payload(int(p["uid"])))

    async def _no_content(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """Answer 204 No Content."""
        return self._reply(rec, 204)

    async def _get_commands(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET registered global or guild commands."""
        scope = int(p["guild"]) if p.get("guild") else None
        return self._reply(rec, 200, self.commands.get(scope, []))

    async def _put_commands(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """PUT (bulk overwrite) commands: validate, assign stable ids, echo them back."""
        if int(p["app"]) != self.application_id:
            return self._error(rec, 403, 50001, "Missing Access")
        problems = self._violate(rec, validate_command_list(rec.body))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        scope = int(p["guild"]) if p.get("guild") else None
        stored: list[dict[str, Any]] = []
        for cmd in rec.body:
            ctype = cmd.get("type", 1)
            key = (scope, ctype, cmd["name"])
            cid = self._command_ids.setdefault(key, self.snowflake())
            out: dict[str, Any] = {
                "id": str(cid),
                "application_id": str(self.application_id),
                "version": str(self.snowflake()),
                "type": ctype,
                "name": cmd["name"],
                "description": cmd.get("description", ""),
                "options": cmd.get("options", []),
                "default_member_permissions": cmd.get("default_member_permissions"),
                "nsfw": cmd.get("nsfw", False),
                "name_localizations": cmd.get("name_localizations"),
                "description_localizations": cmd.get("description_localizations"),
            }
            if scope is None:
                out["dm_permission"] = cmd.get("dm_permission", True)
                out["contexts"] = cmd.get("contexts")
                out["integration_types"] = cmd.get("integration_types") or [0]
            else:
                out["guild_id"] = str(scope)
            stored.append(out)
        self.commands[scope] = stored
        return self._reply(rec, 200, stored)

    def _interaction_for(self, token: str, app: str | None = None) -> InteractionRecord | None:
        """Look up an interaction by webhook token (and application id)."""
        record = self._by_token.get(token)
        if record is None or (app is not None and int(app) != self.application_id):
            return None
        return record

    def _new_message(
        self,
        data: Mapping[str, Any],
        *,
        record: InteractionRecord | None = None,
        channel_id: int | None = None,
        files: Sequence[str] = (),
    ) -> dict[str, Any]:
        """Create and store a message from an outgoing payload."""
        payload = record.payload if record else {}
        mid = self.snowflake()
        components = [dict(c) for c in data.get("components") or []]
        attachments = [
            {"id": str(self.snowflake()), "filename": name, "size": 0, "url": "", "proxy_url": ""}
            for name in files
        ]
        message: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel_id or payload.get("channel_id") or self.channel_id),
            "author": self.bot_user,
            "content": data.get("content") or "",
            "embeds": data.get("embeds") or [],
            "components": components,
            "attachments": attachments,
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(data.get("tts")),
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "flags": int(data.get("flags") or 0),
            "type": 0,
        }
        guild_id = payload.get("guild_id") if record else str(self.guild_id)
        if guild_id:
            message["guild_id"] = guild_id
        if record is not None:
            user = payload.get("member", {}).get("user") or payload.get("user")
            message["type"] = 20 if record.type == APPLICATION_COMMAND else 0
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            message["interaction_metadata"] = {
                "id": str(record.id),
                "type": record.type,
                "user": user,
                "authorizing_integration_owners": payload.get("authorizing_integration_owners"),
            }
        self.messages[mid] = message
        return message

    def _edit_message(self, message: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
        """Apply an edit payload to a stored message (keeps the ephemeral flag)."""
        for key in ("content", "embeds", "components", "attachments"):
            if key in data:
                message[key] = (
                    data[key] if data[key] is not None else ([] if key != "content" else "")
                )
        flags = int(message.get("flags") or 0) & EPHEMERAL
        if data.get("flags") is not None:
            flags |= int(data["flags"]) & ~(EPHEMERAL | LOADING)
        message["flags"] = flags
        message["edited_timestamp"] = _now_iso()
        self.messages[int(message["id"])] = message
        return message

    def _validate_callback(
        self, record: InteractionRecord, body: Any, files: bool
    ) -> list[Problem]:
        """Check a callback body for the interaction type and Discord's payload limits."""
        if not isinstance(body, dict):
            return [("", "callback body must be a JSON object")]
        ctype = body.get("type")
        data = body.get("data") or {}
        problems: list[Problem] = []
        if ctype not in ALLOWED_CALLBACKS.get(record.type, frozenset()):
            problems.append(
                ("type", f"callback type {ctype} invalid for interaction type {record.type}")
            )
        if ctype == 4:
            problems += validate_message_payload(data, require_content=True, has_files=files)
        elif ctype == 7:
            problems += validate_message_payload(data)
        elif ctype == 8:
            problems += validate_autocomplete_choices(data.get("choices"))
        elif ctype == 9:
            problems += validate_modal(data)
        return [
            (f"data.{path}" if path and path != "type" else path, msg) for path, msg in problems
        ]

    def _callback_attachments(
        self, record: InteractionRecord, rec: RecordedRequest
    ) -> list[Problem]:
        """Check a message callback's files and the embeds' `attachment://` references."""
        body = rec.body if isinstance(rec.body, dict) else {}
        if body.get("type") not in (4, 7):
            return []
        data = body.get("data") or {}
        kept = []
        if body["type"] == 7:  # an update keeps the files of the message it changes
            kept = [a["filename"] for a in record.payload.get("message", {}).get("attachments", [])]
        problems = validate_attachments(data, rec.uploads, kept)
        return [(f"data.{path}" if path else "data", message) for path, message in problems]

    async def _post_callback(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """POST /interactions/{id}/{token}/callback: validate, ack once, build the response."""
        record = self.interactions.get(int(p["iid"]))
        if record is None or record.token != p["token"]:
            return self._error(rec, 404, 10062, "Unknown interaction")
        if record.callbacks:
            self._violate(rec, [("", "interaction acknowledged more than once")])
            return self._error(rec, 400, 40060, "Interaction has already been acknowledged.")
        problems = self._violate(rec, self._validate_callback(record, rec.body, bool(rec.files)))
        problems += self._violate(rec, self._callback_attachments(record, rec))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        record.callbacks.append(rec)
        record.acked_at = time.monotonic()
        latency = record.acked_at - record.created
        if latency > self.ack_deadline:
            self._violate(
                rec, [("", f"acknowledged after {latency:.2f}s (> {self.ack_deadline}s)")]
            )
        ctype = rec.body["type"]
        data = rec.body.get("data") or {}
        component_message = record.payload.get("message")
        message: dict[str, Any] | None = None
        if ctype == 4:
            message = self._new_message(data, record=record, files=rec.files)
        elif ctype == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self._new_message({"flags": flags}, record=record)
        elif ctype in (6, 7) and component_message is not None:
            message = self.messages.get(int(component_message["id"]), dict(component_message))
            if ctype == 7:
                message = self._edit_message(message, data)
        if message is not None:
            record.original_message_id = int(message["id"])
        record.acked.set()
        if rec.query.get("with_response", "").lower() not in ("1", "true"):
            return self._reply(rec, 204)
        flags = int((message or {}).get("flags") or 0)
        response: dict[str, Any] = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "activity_instance_id": None,
                "response_message_loading": ctype == 5,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            }
        }
        if message is not None:
            response["interaction"]["response_message_id"] = message["id"]
            if ctype in (4, 7):
                response["resource"] = {"type": ctype, "message": message}
        return self._reply(rec, 200, response)

    async def _post_followup(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """POST /webhooks/{app}/{token}: an interaction follow-up message."""
        record = self._interaction_for(p["token"], p["app"])
        if record is None:
            return self._error(rec, 404, 10015, "Unknown Webhook")
        if not record.callbacks:
            self._violate(rec, [("", "follow-up sent before the interaction was acknowledged")])
            return self._error(rec, 404, 10015, "Unknown Webhook")
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(
            rec, validate_message_payload(body, require_content=True, has_files=bool(rec.files))
        )
        problems += self._violate(rec, validate_attachments(body, rec.uploads))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        record.followups.append(rec)
        message = self._new_message(body, record=record, files=rec.files)
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return self._reply(rec, 200, message)
        return self._reply(rec, 204)

    async def _webhook_message(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET/PATCH/DELETE /webhooks/{app}/{token}/messages/{@original|id}."""
        record = self._interaction_for(p["token"], p["app"])
        if record is None:
            return self._error(rec, 404, 10015, "Unknown Webhook")
        if not record.callbacks:
            self._violate(rec, [("", "webhook used before the interaction was acknowledged")])
            return self._error(rec, 404, 10015, "Unknown Webhook")
        mid = record.original_message_id if p["mid"] == "@original" else int(p["mid"])
        message = self.messages.get(mid) if mid is not None else None
        if message is None:
            return self._error(rec, 404, 10008, "Unknown Message")
        if rec.method == "GET":
            return self._reply(rec, 200, message)
        if rec.method == "DELETE":
            del self.messages[int(message["id"])]
            return self._reply(rec, 204)
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(rec, validate_message_payload(body))
        kept = [attachment["filename"] for attachment in message.get("attachments", [])]
        problems += self._violate(rec, validate_attachments(body, rec.uploads, kept))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        return self._reply(rec, 200, self._edit_message(message, body))

    async def _get_attachment(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET an attachment's bytes (the CDN, here on the same port)."""
        found = self.attachments.get(int(p["aid"]))
        if found is None:
            return self._error(rec, 404, 0, "404: Not Found")
        rec.status = 200
        return web.Response(status=200, body=found[1], content_type="text/plain")

    async def _post_channel_message(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """POST /channels/{id}/messages (403 for a channel in ``forbidden_channels``)."""
        if int(p["cid"]) in self.forbidden_channels:
            return self._error(rec, 403, 50013, "Missing Permissions")
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(
            rec, validate_message_payload(body, require_content=True, has_files=bool(rec.files))
        )
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        message = self._new_message(body, channel_id=int(p["cid"]), files=rec.files)
        return self._reply(rec, 200, message)

    async def _channel_message(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET/PATCH/DELETE /channels/{id}/messages/{mid}."""
        message = self.messages.get(int(p["mid"]))
        if message is None or message["channel_id"] != p["cid"]:
            return self._error(rec, 404, 10008, "Unknown Message")
        if rec.method == "GET":
            return self._reply(rec, 200, message)
        if rec.method == "DELETE":
            del self.messages[int(p["mid"])]
            return self._reply(rec, 204)
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(rec, validate_message_payload(body))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        return self._reply(rec, 200, self._edit_message(message, body))


OPEN_FILE_LIMIT = 16_384
"""Enough for a burst of thousands: each callback in flight holds a client and a server socket."""


@contextlib.contextmanager
def open_file_limit(wanted: int = OPEN_FILE_LIMIT) -> Iterator[int]:
    """Raise the soft limit on open files to ``wanted`` (capped by the hard limit), then restore.

    The usual soft limit of 1024 is too low for the bursts: discord.py opens a connection per
    concurrent callback and the stand-in accepts each one, so a 1,000 burst needs ~2,000 files.
    Yields the limit in force (-1 when unknown or unlimited).
    """
    if _resource is None:
        yield -1
        return
    soft, hard = _resource.getrlimit(_resource.RLIMIT_NOFILE)
    target = wanted if hard == _resource.RLIM_INFINITY else min(wanted, hard)
    if soft == _resource.RLIM_INFINITY or soft >= target:
        yield -1 if soft == _resource.RLIM_INFINITY else soft
        return
    _resource.setrlimit(_resource.RLIMIT_NOFILE, (target, hard))
    try:
        yield target
    finally:
        _resource.setrlimit(_resource.RLIMIT_NOFILE, (soft, hard))


@pytest_asyncio.fixture
async def discord_standin() -> AsyncIterator[DiscordStandin]:
    """Pytest fixture: a started stand-in with discord.py patched to use it."""
    async with DiscordStandin() as standin:
        with standin.patched():
            yield standin
