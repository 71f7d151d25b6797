"""Chart pictures for /chart: drawn in a worker thread, at most once per race, then reused.

Drawing a race takes a few hundred milliseconds of CPU, far too long for the event loop, so it
runs in `asyncio.to_thread`; the loop keeps answering meanwhile. Askers of a race being drawn
wait for that one drawing rather than start another. One cache belongs to one `AnswerService`,
that is to one library version (/reload builds a new service, and a new cache), so a race is
known within it by its document and title.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

from bot.core.documents.model import Race
from bot.present.chart import race_chart

CHARTS_KEPT: Final = 32
"""Races whose picture is kept (about 100 kB each)."""

ChartKey = tuple[str, str]
"""A race within one library: its source document and its title."""


def chart_key(race: Race) -> ChartKey:
    """The key a race's picture is kept under."""
    return (race.source, race.title)


class ChartCache:
    """PNG pictures of races, least recently used dropped past `kept`."""

    def __init__(
        self, render: Callable[[Race], bytes] = race_chart, kept: int = CHARTS_KEPT
    ) -> None:
        self._render = render
        self._kept = kept
        self._pictures: OrderedDict[ChartKey, bytes] = OrderedDict()
        self._drawing: dict[ChartKey, asyncio.Task[bytes]] = {}

    def __len__(self) -> int:
        return len(self._pictures)

    def cached(self, race: Race) -> bytes | None:
        """The race's picture if it has been drawn (no drawing here)."""
        key = chart_key(race)
        png = self._pictures.get(key)
        if png is not None:
            self._pictures.move_to_end(key)
        return png

    async def picture(self, race: Race) -> bytes:
        """The race's picture: kept, being drawn (awaited), or drawn now in a worker thread."""
        png = self.cached(race)
        if png is not None:
            return png
        key = chart_key(race)
        task = self._drawing.get(key)
        if task is None:
            task = asyncio.create_task(self._draw(key, race))
            self._drawing[key] = task
        # One asker giving up (a cancelled interaction) must not cancel the others' drawing.
        return await asyncio.shield(task)

    async def _draw(self, key: ChartKey, race: Race) -> bytes:
        try:
            png = await asyncio.to_thread(self._render, race)
        finally:
            del self._drawing[key]  # a failed drawing is tried again by the next asker
        self._pictures[key] = png
        if len(self._pictures) > self._kept:
            self._pictures.popitem(last=False)
        return png
