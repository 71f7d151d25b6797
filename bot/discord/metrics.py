"""What the running bot counts, for `/metrics` (Prometheus text format, prometheus-client).

One registry per process (`METRICS`): the answer service, the error tree, the client's reloads
and imports, and the gateway watcher (`bot.discord.health`) add to it; `bot.discord.health`
serves it. Counting costs a lock and an addition, so it is always on; only serving it needs
RACEBOT_HEALTH_PORT. The core never imports this module (tests/test_architecture.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Final

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.core.asking.answers import AmbiguousAnswer, Answer, InvalidAnswer, NotFoundAnswer

ANSWER_SECONDS_BUCKETS: Final = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    1.0,
)
"""A repeated question takes microseconds, a new one about 0.1 ms, a large one milliseconds."""


def outcome(answer: Answer) -> str:
    """How a question ended, as the metrics label it: answered, ambiguous, not_found, invalid."""
    if isinstance(answer, NotFoundAnswer):
        return "not_found"
    if isinstance(answer, AmbiguousAnswer):
        return "ambiguous"
    if isinstance(answer, InvalidAnswer):
        return "invalid"
    return "answered"


def error_kind(error: BaseException) -> str:
    """An exception's class as a label: `CommandOnCooldown` -> `command_on_cooldown`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


class Metrics:
    """The bot's counters, histogram and gauges, in a registry of their own."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.answers = Counter(
            "racebot_answers",
            "Questions answered, by command and outcome (answered, ambiguous, not_found, invalid).",
            ["command", "outcome"],
            registry=r,
        )
        self.answer_seconds = Histogram(
            "racebot_answer_seconds",
            "Time to answer a question (query and rendering; a repeat is read from memory).",
            ["command"],
            buckets=ANSWER_SECONDS_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "racebot_errors",
            "Errors by kind: internal (a bug, logged with an error id) or the expected problem.",
            ["kind"],
            registry=r,
        )
        self.reconnects = Counter(
            "racebot_gateway_reconnects",
            "Gateway sessions resumed or connected again after a disconnect.",
            registry=r,
        )
        self.imports = Counter(
            "racebot_imports", "Race documents imported through /import.", registry=r
        )
        self.reloads = Counter(
            "racebot_reloads",
            "Library reloads, by outcome (loaded, refused).",
            ["outcome"],
            registry=r,
        )
        self.gateway_latency = Gauge(
            "racebot_gateway_latency_seconds",
            "Time between the gateway's heartbeat and its acknowledgement (NaN when unknown).",
            registry=r,
        )
        self.gateway_connected = Gauge(
            "racebot_gateway_connected", "1 while connected to Discord's gateway.", registry=r
        )
        self.library_races = Gauge(
            "racebot_library_races", "Races in the loaded library.", registry=r
        )

    def watch(self, latency: Callable[[], float], races: Callable[[], int]) -> None:
        """Read the gateway latency and the library's size whenever metrics are scraped."""
        self.gateway_latency.set_function(lambda: _finite(latency()))
        self.library_races.set_function(lambda: float(races()))

    def with_process_metrics(self) -> Metrics:
        """Also report the process (memory, CPU, open files), Python and its collector."""
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)
        return self

    def exposition(self) -> bytes:
        """Everything in Prometheus' text format."""
        return generate_latest(self.registry)


def _finite(value: float) -> float:
    return value if math.isfinite(value) else math.nan


METRICS: Final = Metrics().with_process_metrics()
"""The process's metrics: what `/metrics` serves."""
