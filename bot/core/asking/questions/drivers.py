"""/driver: every car one driver raced, across every loaded race or in one."""

from __future__ import annotations

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Correction,
    DriverAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.questions.common import (
    Refused,
    clean,
    driver_races,
    elsewhere,
    find_names,
    given,
    near_names,
    pick_race,
    require_races,
)
from bot.core.asking.questions.offers import Asking, name_choices, other_command, race_choice_label
from bot.core.collector import collector_paused
from bot.core.formats import car_label
from bot.core.library.catalogue import Catalogue, NameKind
from bot.core.limits import MAX_DID_YOU_MEAN, MAX_OFFERS, MAX_OPTIONS
from bot.core.matching import strip_controls

_DRIVERS = frozenset({NameKind.DRIVER})


def driver(catalogue: Catalogue, name: str, race: str | None = None) -> Answer:
    """Every car a driver raced, newest race first (every loaded race unless one is given)."""
    typed = " ".join(strip_controls(name).split()) if isinstance(name, str) else ""
    asking = Asking("driver", ("name", typed) if typed else None)
    scope, corrections = pick_race(catalogue, race, asking) if given(race) else (None, ())
    require_races(catalogue)
    shown, text = clean(name, Subject.DRIVER)
    race_value = catalogue.race_values[scope] if scope is not None else None
    if pointer := other_command(text, race_value):
        hint, choice = pointer
        raise Refused(
            NotFoundAnswer(subject=Subject.DRIVER, query=shown, hint=hint, choices=(choice,))
        )
    is_driver = catalogue.of_kinds(_DRIVERS)
    if scope is not None:
        is_driver = is_driver & catalogue.race_sets[scope]
    found = find_names(catalogue, shown, text, is_driver)
    if not found.ids or not found.sure or (found.corrected and len(found.ids) > 1):
        return _offer(catalogue, asking, shown, text, found.ids, scope)
    if len(found.ids) > 1:
        return AmbiguousAnswer(
            subject=Subject.DRIVER,
            query=shown,
            options=tuple(driver_label(catalogue, i, scope) for i in found.ids[:MAX_OPTIONS]),
            more=max(0, len(found.ids) - MAX_OPTIONS),
            choices=name_choices(catalogue, asking, found.ids, scope, scope is not None),
        )
    name_id = found.ids[0]
    if found.corrected:
        corrections = (Correction(typed=shown, read_as=catalogue.displays[name_id]), *corrections)
    postings = catalogue.postings[name_id]
    if scope is not None:
        postings = {scope: postings[scope]} if scope in postings else {}
    with collector_paused():  # the answer too, made of what `driver_races` made
        appearances = driver_races(catalogue, postings)
        return DriverAnswer(
            driver=catalogue.displays[name_id],
            appearances=appearances,
            corrections=corrections,
            notes=catalogue.grouped((name_id,)),
        )


def _offer(
    catalogue: Catalogue,
    asking: Asking,
    shown: str,
    text: str,
    guessed: list[int],
    scope: int | None,
) -> NotFoundAnswer:
    """Nobody for sure: the guesses (or the near names) offered, and other races that have them."""
    others: list[int] = []
    if not guessed and scope is not None:  # the driver may have raced in another loaded race
        anywhere = find_names(catalogue, shown, text, catalogue.of_kinds(_DRIVERS))
        others = elsewhere(catalogue, anywhere.ids, scope) if anywhere.sure else []
    in_scope = catalogue.wanted(_DRIVERS, None if scope is None else (scope,))
    close = guessed or ([] if others else near_names(catalogue, text, in_scope))
    choices = tuple(
        asking.again(catalogue, race_choice_label(catalogue.summaries[i]), i) for i in others
    ) + name_choices(catalogue, asking, close, scope, scope is not None)
    return NotFoundAnswer(
        subject=Subject.DRIVER,
        query=shown,
        suggestions=tuple(catalogue.displays[i] for i in close[:MAX_DID_YOU_MEAN]),
        choices=choices[:MAX_OFFERS],
        searched=catalogue.summaries[scope].title if scope is not None else "",
        elsewhere=tuple(catalogue.summaries[i].title for i in others),
    )


def driver_label(catalogue: Catalogue, name_id: int, scope: int | None) -> str:
    """A driver as an option: name and newest car, and how many races when several."""
    appearances = catalogue.postings[name_id]
    race_id, entry_ids = catalogue.newest(name_id, None if scope is None else (scope,))
    cars = ", ".join(map(car_label, catalogue.library.entries((race_id, i) for i in entry_ids)))
    if scope is None and len(appearances) > 1:
        cars += f"; {len(appearances)} races"
    return f"{catalogue.displays[name_id]} ({cars})"
