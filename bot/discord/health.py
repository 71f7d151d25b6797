"""`/healthz` and `/metrics` on 127.0.0.1 while the bot runs (RACEBOT_HEALTH_PORT).

`/healthz` answers 200 when the bot is connected to Discord's gateway and has a library loaded,
503 otherwise, with one line of text saying which; `/metrics` serves `bot.discord.metrics` in
Prometheus' text format. Served by aiohttp (already discord.py's HTTP library) on the bot's own
event loop, bound to localhost only: a container's or a host's monitoring scrapes it there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.discord.metrics import METRICS, Metrics

if TYPE_CHECKING:
    from bot.discord.client import RaceBot

log = logging.getLogger(__name__)

HOST: Final = "127.0.0.1"


class GatewayWatch:
    """Whether the bot is connected to the gateway, and how often it came back, from its events.

    discord.py keeps `is_ready()` set across a reconnect, so the events are the truth here.
    """

    def __init__(self, metrics: Metrics = METRICS) -> None:
        self.metrics = metrics
        self.connected = False
        self._was_connected = False

    def attach(self, bot: RaceBot) -> None:
        """Listen to the bot's gateway events. A sharded bot sends these for every shard too
        (beside on_shard_*), so each shard's reconnect counts once and any shard down is 503."""
        bot.add_listener(self._connected, "on_connect")
        bot.add_listener(self._resumed, "on_resumed")
        bot.add_listener(self._disconnected, "on_disconnect")
        self.metrics.watch(lambda: bot.latency, lambda: len(bot.service.library))

    async def _connected(self, *_: object) -> None:
        if self._was_connected and not self.connected:
            self.metrics.reconnects.inc()
        self._set(connected=True)

    async def _resumed(self, *_: object) -> None:
        self.metrics.reconnects.inc()
        self._set(connected=True)

    async def _disconnected(self, *_: object) -> None:
        self._set(connected=False)

    def _set(self, *, connected: bool) -> None:
        if connected:
            self._was_connected = True
        self.connected = connected
        self.metrics.gateway_connected.set(1 if connected else 0)


def health(bot: RaceBot, watch: GatewayWatch) -> tuple[bool, str]:
    """Whether the bot is healthy, and one line saying so or why not."""
    races = len(bot.service.library)
    if bot.is_closed():
        return False, "closing"
    if not (watch.connected and bot.is_ready()):
        return False, f"not connected to Discord ({races} races loaded)"
    if races == 0:
        return False, "connected, but no race is loaded"
    return True, f"ok: connected, {races} races loaded"


class HealthServer:
    """The two endpoints, served on 127.0.0.1 from the bot's event loop."""

    def __init__(
        self, bot: RaceBot, port: int, watch: GatewayWatch | None = None, metrics: Metrics = METRICS
    ) -> None:
        self.bot = bot
        self.port = port
        self.metrics = metrics
        self.watch = watch or GatewayWatch(metrics)
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        """The aiohttp application: GET /healthz and GET /metrics."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        return app

    async def start(self) -> int:
        """Listen on 127.0.0.1; the port bound (the one asked for, or a free one for 0)."""
        self.watch.attach(self.bot)
        runner = web.AppRunner(self.app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, HOST, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound = int(runner.addresses[0][1]) if runner.addresses else self.port
        log.info("health and metrics on http://%s:%d/healthz and /metrics", HOST, bound)
        return bound

    async def close(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, line = health(self.bot, self.watch)
        return web.Response(status=200 if healthy else 503, text=line + "\n")

    async def _metrics(self, request: web.Request) -> web.Response:
        body = self.metrics.exposition()
        response = web.Response(body=body)
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        response.charset = "utf-8"
        return response
