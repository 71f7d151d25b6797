"""/stats, /race, /races and /help: questions about whole races, and what can be asked."""

from __future__ import annotations

from bot.core.answers import Answer, HelpAnswer, RaceAnswer, RacesAnswer, StatsAnswer
from bot.core.catalogue import Catalogue
from bot.core.commands import HELP
from bot.core.model import Status
from bot.core.questions.common import require_races, select_race


def stats(catalogue: Catalogue, race: str | None = None) -> Answer:
    """A race's statistics and how many cars started, finished and retired."""
    chosen = catalogue.races[select_race(catalogue, race)]
    counts = dict.fromkeys(Status, 0)
    for entry in chosen.entries:
        counts[entry.status] += 1
    return StatsAnswer(
        race=chosen,
        statistics=chosen.statistics,
        entries=len(chosen.entries),
        starters=len(chosen.entries) - counts[Status.DNS],
        classified=counts[Status.CLASSIFIED],
        dnf=counts[Status.DNF],
        dns=counts[Status.DNS],
        nc=counts[Status.NC],
    )


def race(catalogue: Catalogue, race: str | None = None) -> Answer:
    """An overview of one race."""
    return RaceAnswer(race=catalogue.races[select_race(catalogue, race)])


def races(catalogue: Catalogue) -> Answer:
    """Every loaded race, newest first."""
    require_races(catalogue)
    return RacesAnswer(races=catalogue.races)


def help_(catalogue: Catalogue) -> Answer:
    """Every command with its usage, what it does and an example."""
    return HelpAnswer(commands=HELP)
