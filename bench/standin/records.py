"""What the stand-in records (requests, gateway frames, rule violations, interactions)
and the gateway's connections and sessions."""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from bench.standin.protocol import OP_DISPATCH
from bench.uploads import Upload

_zstd: Any
try:  # zstd-stream is what discord.py asks for when `zstandard` is importable.
    _zstd = importlib.import_module("zstandard")
except ImportError:  # pragma: no cover - depends on the environment
    _zstd = None


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
class Fault:
    """A pending injected failure for matching REST requests."""

    remaining: int
    status: int
    method: str | None
    path: re.Pattern[str] | None
    retry_after: float
    is_global: bool
    via: bool


class GatewayConnection:
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
        self.connection: GatewayConnection | None = None
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
