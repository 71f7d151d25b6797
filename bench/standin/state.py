"""The stand-in's settings and state: users, sessions, interactions, messages, what it
recorded, and the addresses it serves on."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bench.standin.protocol import (
    DEFAULT_APPLICATION_ID,
    DEFAULT_CHANNEL_ID,
    DEFAULT_GUILD_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    DISCORD_EPOCH_MS,
)
from bench.standin.records import (
    Fault,
    GatewayConnection,
    GatewayFrame,
    GatewaySession,
    InteractionRecord,
    RecordedRequest,
    Violation,
)

Handler = Callable[[RecordedRequest, dict[str, str]], Awaitable[web.StreamResponse]]
"""A REST route's handler: the recorded request and the path's named groups."""


class StandinState:
    """The stand-in's settings and everything it holds and records; the other parts build on it."""

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
        self.connections: list[GatewayConnection] = []
        self.users: dict[int, dict[str, Any]] = {}
        # Community features: attachments served on 127.0.0.1, more channels, refusals.
        self.attachments: dict[int, tuple[dict[str, Any], bytes]] = {}
        self.extra_channel_ids: list[int] = []
        self.forbidden_channels: set[int] = set()
        self.everyone_permissions = "0"

        self._by_token: dict[str, InteractionRecord] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._faults: list[Fault] = []
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

    def _setup_routes(self) -> None:
        """Fill ``self._routes``; the REST routes part (routes.py) supplies the table."""
        raise NotImplementedError

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
