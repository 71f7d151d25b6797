"""/stats, /race, /races and /help: questions about whole races, and what can be asked."""

from __future__ import annotations

from bot.core.asking.answers import Answer, HelpAnswer, RaceAnswer, RacesAnswer, StatsAnswer
from bot.core.asking.commands import HELP
from bot.core.asking.lap_drivers import lap_driver
from bot.core.asking.questions.common import pick_race, require_races
from bot.core.asking.questions.offers import Asking
from bot.core.documents.model import Status
from bot.core.library.catalogue import Catalogue


def stats(catalogue: Catalogue, race: str | None = None) -> Answer:
    """A race's statistics and how many cars started, finished and retired."""
    picked, corrections = pick_race(catalogue, race, Asking("stats"))
    chosen = catalogue.races[picked]
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
        pole_driver=lap_driver(chosen, chosen.statistics.pole, "pole"),
        fastest_lap_driver=lap_driver(chosen, chosen.statistics.fastest_lap, "fastest_lap"),
        corrections=corrections,
    )


def race(catalogue: Catalogue, race: str | None = None) -> Answer:
    """An overview of one race."""
    picked, corrections = pick_race(catalogue, race, Asking("race"))
    return RaceAnswer(race=catalogue.races[picked], corrections=corrections)


def races(catalogue: Catalogue) -> Answer:
    """Every loaded race, newest first."""
    require_races(catalogue)
    return RacesAnswer(races=tuple(catalogue.summaries))


def help_(catalogue: Catalogue) -> Answer:
    """Every command with its usage, what it does and an example."""
    return HelpAnswer(commands=HELP)
