"""The service the cogs call: answers rendered once per distinct question, then reused."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Final, NamedTuple

import discord

from bot.core.answers import Answer
from bot.discord.charts import ChartCache
from bot.discord.rendering import answer_embeds

if TYPE_CHECKING:
    from bot.core.query import QueryService


class RenderedAnswer(NamedTuple):
    """An answer and its pages as embeds (shared between askers: never modified)."""

    answer: Answer
    pages: tuple[discord.Embed, ...]


RENDERED_ANSWERS_KEPT: Final = 1024
"""Distinct questions whose rendered answer is kept (about 3 kB each)."""


class AnswerService:
    """One query service's answers as embeds, cached by question.

    A library never changes under its service (/reload builds a new service, and a new
    cache), so the same question always gets the same pages; after a race most questions
    are repeats, and a repeat costs a dictionary look-up instead of a query and its pages.
    """

    def __init__(self, service: QueryService, kept: int = RENDERED_ANSWERS_KEPT) -> None:
        self.service = service
        self._kept = kept
        self._answers: OrderedDict[tuple[object, ...], RenderedAnswer] = OrderedDict()
        self.charts = ChartCache()  # this library's chart pictures

    def __len__(self) -> int:
        return len(self._answers)

    def ask(self, command: str, **options: str | None) -> RenderedAnswer:
        """The answer to a command with its options, and its pages."""
        key = (command, *sorted(options.items()))
        rendered = self._answers.get(key)
        if rendered is not None:
            self._answers.move_to_end(key)
            return rendered
        answer = self.service.ask(command, **options)
        rendered = RenderedAnswer(answer, tuple(answer_embeds(answer)))
        self._answers[key] = rendered
        if len(self._answers) > self._kept:
            self._answers.popitem(last=False)  # the least recently asked
        return rendered
