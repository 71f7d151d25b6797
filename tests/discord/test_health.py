"""/healthz and /metrics on 127.0.0.1 (an ephemeral port), and what the bot counts."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from discord import app_commands
from prometheus_client.parser import text_string_to_metric_families

from bot.core.asking.query import QueryService
from bot.core.library.races import RaceLibrary
from bot.discord.answer_service import AnswerService
from bot.discord.client import RaceBot
from bot.discord.health import HOST, GatewayWatch, HealthServer
from bot.discord.metrics import METRICS, Metrics, error_kind, outcome


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    """A sample's value in the registry (0 when it has not been counted yet)."""
    value = metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


@pytest.fixture
async def served(racebot: RaceBot) -> AsyncIterator[tuple[HealthServer, str]]:
    """The health server of the offline bot, on a free port of 127.0.0.1, and its base URL."""
    metrics = Metrics()
    server = HealthServer(racebot, 0, GatewayWatch(metrics), metrics=metrics)
    port = await server.start()
    yield server, f"http://{HOST}:{port}"
    await server.close()


async def _get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def test_healthz_is_503_until_connected_and_200_then(
    served: tuple[HealthServer, str], racebot: RaceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not connected: 503 saying so; connected and ready with races: 200; disconnected: 503."""
    server, base = served
    status, _, text = await _get(f"{base}/healthz")
    assert (status, text) == (503, "not connected to Discord (1 races loaded)\n")
    monkeypatch.setattr(racebot, "is_ready", lambda: True)
    await server.watch._connected()
    status, _, text = await _get(f"{base}/healthz")
    assert (status, text) == (200, "ok: connected, 1 races loaded\n")
    await server.watch._disconnected()
    assert (await _get(f"{base}/healthz"))[0] == 503


async def test_healthz_is_503_without_a_library(
    served: tuple[HealthServer, str], racebot: RaceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connected but with no race loaded: not healthy."""
    server, base = served
    monkeypatch.setattr(racebot, "is_ready", lambda: True)
    await server.watch._connected()
    racebot.answers = AnswerService(QueryService(RaceLibrary(())))
    status, _, text = await _get(f"{base}/healthz")
    assert (status, text) == (503, "connected, but no race is loaded\n")


async def test_the_server_listens_on_localhost_only(served: tuple[HealthServer, str]) -> None:
    """Bound to 127.0.0.1, never every interface."""
    server, base = served
    assert server._runner is not None
    assert {address[0] for address in server._runner.addresses} == {"127.0.0.1"}
    assert base.startswith("http://127.0.0.1:")


async def test_metrics_are_prometheus_text_with_every_family(
    served: tuple[HealthServer, str],
) -> None:
    """/metrics parses as Prometheus text and names every family the issue asks for."""
    server, base = served
    server.metrics.answers.labels("driver", "answered").inc()
    server.metrics.answer_seconds.labels("driver").observe(0.002)
    server.metrics.errors.labels("internal").inc()
    server.metrics.imports.inc()
    server.metrics.reloads.labels("loaded").inc()
    status, content_type, text = await _get(f"{base}/metrics")
    assert status == 200
    assert content_type.startswith("text/plain")
    families = {family.name: family for family in text_string_to_metric_families(text)}
    expected = {
        "racebot_answers",
        "racebot_answer_seconds",
        "racebot_errors",
        "racebot_gateway_latency_seconds",
        "racebot_gateway_reconnects",
        "racebot_gateway_connected",
        "racebot_library_races",
        "racebot_imports",
        "racebot_reloads",
    }
    assert expected <= set(families)
    assert families["racebot_answer_seconds"].type == "histogram"
    [races] = families["racebot_library_races"].samples
    assert races.value == 1  # read from the bot's library when scraped
    [latency] = families["racebot_gateway_latency_seconds"].samples
    assert math.isnan(latency.value)  # never connected: unknown, not infinite
    answers = {s.labels["command"]: s.value for s in families["racebot_answers"].samples}
    assert answers == {"driver": 1.0}


async def test_reconnects_are_counted_from_gateway_events(racebot: RaceBot) -> None:
    """The first connect is not a reconnect; a resume or a connect after a disconnect is."""
    watch = GatewayWatch(Metrics())
    await watch._connected()
    assert sample(watch.metrics, "racebot_gateway_reconnects_total") == 0
    await watch._disconnected()
    assert sample(watch.metrics, "racebot_gateway_connected") == 0
    await watch._connected()
    await watch._resumed()
    assert sample(watch.metrics, "racebot_gateway_reconnects_total") == 2
    assert sample(watch.metrics, "racebot_gateway_connected") == 1


async def test_attach_listens_to_the_bots_gateway_events(racebot: RaceBot) -> None:
    """Attached to the bot, its connect and disconnect listeners move the watch."""
    watch = GatewayWatch(Metrics())
    watch.attach(racebot)
    for event in ("on_connect", "on_resumed", "on_disconnect"):
        assert event in racebot.extra_events
    for listener in racebot.extra_events["on_connect"]:  # what dispatch("connect") runs
        await listener()
    assert watch.connected
    for listener in racebot.extra_events["on_disconnect"]:
        await listener()
    assert not watch.connected


def test_answers_are_counted_by_command_and_outcome(query_service: QueryService) -> None:
    """Each question asked of the answer service counts once, with its outcome and time."""
    before = {
        key: sample(METRICS, "racebot_answers_total", command="driver", outcome=key)
        for key in ("answered", "not_found")
    }
    timed = sample(METRICS, "racebot_answer_seconds_count", command="driver")
    service = AnswerService(query_service)
    service.ask("driver", name="Herbert", race=None)
    service.ask("driver", name="Herbert", race=None)  # a repeat, from memory, counts too
    service.ask("driver", name="Schumacher", race=None)
    answered = sample(METRICS, "racebot_answers_total", command="driver", outcome="answered")
    missed = sample(METRICS, "racebot_answers_total", command="driver", outcome="not_found")
    assert answered - before["answered"] == 2
    assert missed - before["not_found"] == 1
    assert sample(METRICS, "racebot_answer_seconds_count", command="driver") - timed == 3


def test_outcomes_and_error_kinds_are_labels(query_service: QueryService) -> None:
    """Outcome labels by answer type; error kinds from the exception's class, in snake case."""
    assert outcome(query_service.ask("driver", name="Herbert")) == "answered"
    assert outcome(query_service.ask("driver", name="Field")) == "ambiguous"
    assert outcome(query_service.ask("driver", name="Schumacher")) == "not_found"
    assert error_kind(app_commands.CommandOnCooldown(app_commands.Cooldown(1, 1), 1)) == (
        "command_on_cooldown"
    )


async def test_tree_errors_are_counted_by_kind(
    racebot: RaceBot, make_interaction: Callable[..., Any]
) -> None:
    """A bug counts as internal; an expected problem by its kind."""
    command = racebot.tree.get_command("result")
    assert isinstance(command, app_commands.Command)
    internal = sample(METRICS, "racebot_errors_total", kind="internal")
    cooldown = sample(METRICS, "racebot_errors_total", kind="command_on_cooldown")
    bug = app_commands.CommandInvokeError(command, ZeroDivisionError("boom"))
    await racebot.tree.on_error(make_interaction(racebot, command=command), bug)
    slow = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 10), 5)
    await racebot.tree.on_error(make_interaction(racebot, command=command), slow)
    assert sample(METRICS, "racebot_errors_total", kind="internal") - internal == 1
    assert sample(METRICS, "racebot_errors_total", kind="command_on_cooldown") - cooldown == 1
