"""/chart: which race to draw. The drawing itself is the front ends' (`bot.present.chart`)."""

from __future__ import annotations

from bot.core.answers import Answer, ChartAnswer
from bot.core.catalogue import Catalogue
from bot.core.questions.common import select_race
from bot.core.questions.offers import Asking


def chart(catalogue: Catalogue, race: str | None = None) -> Answer:
    """The race a selector picks (default the latest), to be shown as a chart."""
    return ChartAnswer(race=catalogue.races[select_race(catalogue, race, Asking("chart"))])
