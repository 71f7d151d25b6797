"""The stand-in itself: starting and stopping the server, pointing discord.py at it,
running a bot against it, and the pytest fixture."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import discord
import pytest_asyncio
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bench.standin.routes import RestRoutes

_resource: Any
try:  # POSIX only; elsewhere the open-file limit is left alone.
    _resource = importlib.import_module("resource")
except ImportError:  # pragma: no cover - depends on the platform
    _resource = None


ClientT = TypeVar("ClientT", bound=discord.Client)


class DiscordStandin(RestRoutes):
    """In-process fake of Discord's REST API and gateway, served on 127.0.0.1."""

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
