"""The gateway websocket: HELLO, IDENTIFY, RESUME and heartbeats, dispatching events, and
dropping or refusing connections on purpose."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Literal

from aiohttp import web

from bench.standin.payloads import Payloads
from bench.standin.protocol import (
    OP_HEARTBEAT,
    OP_HEARTBEAT_ACK,
    OP_HELLO,
    OP_IDENTIFY,
    OP_INVALID_SESSION,
    OP_PRESENCE,
    OP_RECONNECT,
    OP_REQUEST_MEMBERS,
    OP_RESUME,
    OP_VOICE_STATE,
)
from bench.standin.records import GatewayConnection, GatewayFrame, GatewaySession


class Gateway(Payloads):
    """Serve the gateway, send events, and break connections when a test asks."""

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

    def shard_session(self, shard_id: int) -> GatewaySession | None:
        """The ready session that identified as shard `shard_id`, if any."""
        for session in self.sessions.values():
            shard = session.identify.get("shard")
            if session.ready and shard is not None and shard[0] == shard_id:
                return session
        return None

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

    def _record_frame(
        self,
        direction: Literal["in", "out"],
        conn: GatewayConnection,
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
        self, conn: GatewayConnection, frames: Sequence[Mapping[str, Any]], *, replayed: int = 0
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
        conn = GatewayConnection(
            next(self._conn_numbers), ws, request, request.query.get("compress")
        )
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

    async def _handle_op(self, conn: GatewayConnection, payload: dict[str, Any]) -> None:
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

    async def _identify(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
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

    async def _resume(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
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
