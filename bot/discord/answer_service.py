"""The service the cogs call: answers rendered once per distinct question, then reused."""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Final, NamedTuple

import discord

from bot.core.asking.answers import Answer
from bot.discord.charts import ChartCache
from bot.discord.metrics import METRICS, outcome
from bot.discord.rendering import answer_embeds
from bot.settings import DEFAULT_ANSWER_CACHE_BYTES

if TYPE_CHECKING:
    from bot.core.asking.query import QueryService


class RenderedAnswer(NamedTuple):
    """An answer and its pages as embeds (shared between askers: never modified)."""

    answer: Answer
    pages: tuple[discord.Embed, ...]


RENDERED_ANSWERS_KEPT: Final = 1024
"""Distinct questions whose rendered answer is kept, at most."""
MEMORY_PER_PAYLOAD_BYTE: Final = 6
"""Measured: an answer and its embeds take about 5.5 times the bytes of their JSON payload."""


def estimated_size(pages: tuple[discord.Embed, ...]) -> int:
    """Bytes of memory a rendered answer takes, estimated from its pages' payload."""
    payload = sum(len(json.dumps(page.to_dict(), ensure_ascii=False)) for page in pages)
    return payload * MEMORY_PER_PAYLOAD_BYTE


class AnswerService:
    """One query service's answers as embeds, cached by question.

    A library never changes under its service (/reload builds a new service, and a new
    cache), so the same question always gets the same pages; after a race most questions
    are repeats, and a repeat costs a dictionary look-up instead of a query and its pages.
    """

    def __init__(
        self,
        service: QueryService,
        kept: int = RENDERED_ANSWERS_KEPT,
        max_bytes: int = DEFAULT_ANSWER_CACHE_BYTES,
    ) -> None:
        self.service = service
        self._kept = kept
        self._max_bytes = max_bytes
        self._answers: OrderedDict[tuple[object, ...], tuple[RenderedAnswer, int]] = OrderedDict()
        self.bytes = 0
        """Estimated bytes held by the kept answers."""
        self.charts = ChartCache()  # this library's chart pictures

    @property
    def max_bytes(self) -> int:
        """The most bytes of rendered answers kept (RACEBOT_ANSWER_CACHE_BYTES)."""
        return self._max_bytes

    def __len__(self) -> int:
        return len(self._answers)

    def ask(self, command: str, **options: str | None) -> RenderedAnswer:
        """The answer to a command with its options, and its pages (counted in the metrics)."""
        started = time.perf_counter()
        rendered = self._ask(command, **options)
        METRICS.answer_seconds.labels(command).observe(time.perf_counter() - started)
        METRICS.answers.labels(command, outcome(rendered.answer)).inc()
        return rendered

    def _ask(self, command: str, **options: str | None) -> RenderedAnswer:
        key = (command, *sorted(options.items()))
        kept = self._answers.get(key)
        if kept is not None:
            self._answers.move_to_end(key)
            return kept[0]
        answer = self.service.ask(command, **options)
        pages = tuple(answer_embeds(answer))
        rendered = RenderedAnswer(answer, pages)
        size = estimated_size(pages)
        self._answers[key] = (rendered, size)
        self.bytes += size
        while self._answers and (len(self._answers) > self._kept or self.bytes > self._max_bytes):
            self.bytes -= self._answers.popitem(last=False)[1][1]  # the least recently asked
        return rendered
