"""/driver: every car one driver raced, across every loaded race or in one."""

from __future__ import annotations

from bot.core.answers import (
    AmbiguousAnswer,
    Answer,
    DriverAnswer,
    DriverRace,
    NotFoundAnswer,
    Subject,
)
from bot.core.catalogue import Catalogue, NameKind
from bot.core.formats import car_label
from bot.core.limits import MAX_OPTIONS
from bot.core.questions.common import (
    clean,
    did_you_mean,
    given,
    labelled,
    require_races,
    select_race,
)

_DRIVERS = frozenset({NameKind.DRIVER})


def driver(catalogue: Catalogue, name: str, race: str | None = None) -> Answer:
    """Every car a driver raced, newest race first (every loaded race unless one is given)."""
    scope = select_race(catalogue, race) if given(race) else None
    require_races(catalogue)
    shown, text = clean(name, Subject.DRIVER)
    is_driver = catalogue.of_kinds(_DRIVERS)
    if scope is not None:
        is_driver = is_driver & catalogue.race_sets[scope]
    hits = sorted(hit.id for hit in catalogue.names.search(text, is_driver))
    if not hits and labelled(shown):  # an option of an earlier answer, pasted back
        hits = sorted(hit.id for hit in catalogue.names.search(labelled(shown), is_driver))
    if not hits:
        return NotFoundAnswer(
            subject=Subject.DRIVER,
            query=shown,
            suggestions=did_you_mean(catalogue, text, scope, is_driver),
        )
    if len(hits) > 1:
        return AmbiguousAnswer(
            subject=Subject.DRIVER,
            query=shown,
            options=tuple(driver_label(catalogue, i, scope) for i in hits[:MAX_OPTIONS]),
            more=max(0, len(hits) - MAX_OPTIONS),
        )
    races = catalogue.races
    appearances = tuple(
        DriverRace(race=races[race_id], entry=races[race_id].entries[entry_id])
        for race_id, entry_ids in sorted(catalogue.postings[hits[0]].items())
        if scope is None or race_id == scope
        for entry_id in entry_ids
    )
    return DriverAnswer(driver=catalogue.displays[hits[0]], appearances=appearances)


def driver_label(catalogue: Catalogue, name_id: int, scope: int | None) -> str:
    """A driver as an option: name and newest car, and how many races when several."""
    appearances = catalogue.postings[name_id]
    race_id, entry_ids = catalogue.newest(name_id, None if scope is None else (scope,))
    cars = ", ".join(car_label(catalogue.races[race_id].entries[i]) for i in entry_ids)
    if scope is None and len(appearances) > 1:
        cars += f"; {len(appearances)} races"
    return f"{catalogue.displays[name_id]} ({cars})"
