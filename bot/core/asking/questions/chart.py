"""/chart: which race to draw. The drawing itself is the front ends' (`bot.present.chart`)."""

from __future__ import annotations

from bot.core.asking.answers import Answer, ChartAnswer
from bot.core.asking.questions.common import pick_race
from bot.core.asking.questions.offers import Asking
from bot.core.library.catalogue import Catalogue


def chart(catalogue: Catalogue, race: str | None = None) -> Answer:
    """The race a selector picks (default the latest), to be shown as a chart; the answer says
    which race it chose when the words were not its title's."""
    picked, corrections = pick_race(catalogue, race, Asking("chart"))
    return ChartAnswer(race=catalogue.races[picked], corrections=corrections)
