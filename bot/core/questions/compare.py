"""/compare: two drivers, cars or teams head to head in every race both took part in.

Each side is resolved as the other questions resolve names, never guessed: a car number is exact
(03 is not 3); a name is looked up as a driver by /driver's own resolution (`drivers.driver`)
and as a team in the same name index, and when it could be either, or several of one, the
options are offered. Both names may come in the first option ("Herbert Lehto", as the console's
shorthand gives them): the text is split where both halves name exactly one thing, and only
when exactly one split does.

Who finished ahead compares each side's best-placed car: the better overall position; a car
with a position is ahead of one without; with neither, more laps. Two sides in one car are
team-mates, not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from bot.core.answers import (
    AmbiguousAnswer,
    Answer,
    CompareAnswer,
    CompareRace,
    CompareSide,
    DriverAnswer,
    DriverRace,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.catalogue import Catalogue, NameKind, number_key
from bot.core.commands import COMMANDS
from bot.core.limits import MAX_DID_YOU_MEAN, MAX_OPTIONS
from bot.core.matching import Tier, compact, normalise
from bot.core.model import Entry
from bot.core.questions import drivers
from bot.core.questions.common import (
    Refused,
    clean,
    given,
    labelled,
    near_names,
    near_numbers,
    require_races,
    select_race,
)

_TEAMS: Final = frozenset({NameKind.TEAM})
_NAMES: Final = frozenset({NameKind.TEAM, NameKind.DRIVER})
_MAX_SPLIT_WORDS: Final = 12
"""Longest shorthand ("first and second in one option") worth trying every split of."""

What = Literal["driver", "car", "team"]


@dataclass(frozen=True, slots=True)
class _Found:
    """A resolved side: its name, what it is, and its cars by race id (finishing order)."""

    name: str
    what: What
    postings: Mapping[int, tuple[int, ...]]


def compare(
    catalogue: Catalogue, first: str, second: str | None = None, race: str | None = None
) -> Answer:
    """Two drivers, cars or teams head to head in every race both took part in (or one race)."""
    scope = select_race(catalogue, race) if given(race) else None
    require_races(catalogue)
    if second is not None and given(second):
        one, two = _side(catalogue, first, race, scope), _side(catalogue, second, race, scope)
    else:
        one, two = _split(catalogue, first, race, scope)
    if (one.what, one.name) == (two.what, two.name):
        raise Refused(
            InvalidAnswer(message=f"Both names are {one.name}: compare with someone else.")
        )
    both = sorted(one.postings.keys() & two.postings.keys())  # race ids: newest first
    return CompareAnswer(
        first=_answer_side(catalogue, one),
        second=_answer_side(catalogue, two),
        shared=tuple(_shared(catalogue, race_id, one, two) for race_id in both),
    )


def ahead(first: Entry, second: Entry) -> Literal["first", "second"] | None:
    """Which of two cars finished ahead, or None when neither did (see the module docstring)."""
    if first.position is not None and second.position is not None:
        if first.position == second.position:
            return None
        return "first" if first.position < second.position else "second"
    if first.position is not None or second.position is not None:
        return "first" if first.position is not None else "second"
    laps_first, laps_second = first.laps or 0, second.laps or 0
    if laps_first == laps_second:
        return None
    return "first" if laps_first > laps_second else "second"


def _shared(catalogue: Catalogue, race_id: int, one: _Found, two: _Found) -> CompareRace:
    race = catalogue.races[race_id]
    mine, theirs = one.postings[race_id], two.postings[race_id]
    same_car = bool(set(mine) & set(theirs))
    return CompareRace(
        race=race,
        first=tuple(race.entries[i] for i in mine),
        second=tuple(race.entries[i] for i in theirs),
        ahead=None if same_car else ahead(race.entries[mine[0]], race.entries[theirs[0]]),
        same_car=same_car,
    )


def _answer_side(catalogue: Catalogue, found: _Found) -> CompareSide:
    races = catalogue.races
    appearances = tuple(
        DriverRace(race=races[race_id], entry=races[race_id].entries[entry_id])
        for race_id, entry_ids in sorted(found.postings.items())
        for entry_id in entry_ids
    )
    return CompareSide(name=found.name, what=found.what, appearances=appearances)


def _split(
    catalogue: Catalogue, text: str, race: str | None, scope: int | None
) -> tuple[_Found, _Found]:
    """Both sides from one option: the one split of its words where both halves resolve."""
    shown, _ = clean(text, Subject.SIDE)
    words = shown.split()
    readings: list[tuple[_Found, _Found]] = []
    unclear: list[Answer] = []  # splits where each half resolved or was offered as options
    for cut in range(1, len(words) if len(words) <= _MAX_SPLIT_WORDS else 1):
        halves = (" ".join(words[:cut]), " ".join(words[cut:]))
        sides: list[_Found] = []
        for half in halves:
            try:
                sides.append(_side(catalogue, half, race, scope))
            except Refused as refusal:
                if not isinstance(refusal.answer, AmbiguousAnswer):
                    break
                unclear.append(refusal.answer)
        else:
            if len(sides) == 2:
                readings.append((sides[0], sides[1]))
    if len(readings) == 1:
        return readings[0]
    if not readings and len(unclear) == 1:  # one way to read it, but a name is unclear
        raise Refused(unclear[0])
    example = COMMANDS["compare"].examples[0]
    if readings:
        message = f"“{shown}” reads as two names in more than one way: give them as in {example}."
    else:
        message = f"Name two drivers, cars or teams to compare, as in {example}."
    raise Refused(InvalidAnswer(message=message))


def _side(catalogue: Catalogue, text: str, race: str | None, scope: int | None) -> _Found:
    """One side: a car by its exact number, else a driver or a team; refused when unclear."""
    shown, normalised = clean(text, Subject.SIDE)
    in_scope = range(len(catalogue.races)) if scope is None else (scope,)
    key = number_key(shown)
    if key:
        postings = {
            race_id: tuple(catalogue.numbers[race_id][key])
            for race_id in in_scope
            if key in catalogue.numbers[race_id]
        }
        if not postings:
            near = near_numbers(catalogue, key, 0 if scope is None else scope)
            raise Refused(NotFoundAnswer(subject=Subject.CAR, query=shown, suggestions=near))
        race_id, entry_ids = next(iter(postings.items()))
        return _Found(f"#{catalogue.races[race_id].entries[entry_ids[0]].number}", "car", postings)
    return _name(catalogue, shown, normalised, race, scope)


def _name(
    catalogue: Catalogue, shown: str, normalised: str, race: str | None, scope: int | None
) -> _Found:
    """A driver (by /driver's resolution) or a team; both or several are offered, not picked."""
    as_driver = _asked(lambda: drivers.driver(catalogue, shown, race))
    driver_id = _driver_id(catalogue, as_driver)
    limit = None if scope is None else (scope,)
    accept = catalogue.wanted(_TEAMS, limit)
    hits = catalogue.names.search(normalised, accept)
    if not hits and labelled(shown):  # an option of an earlier answer, pasted back
        hits = catalogue.names.search(labelled(shown), accept)
    teams = sorted(hit.id for hit in hits)
    exact_teams = [hit.id for hit in hits if hit.tier is Tier.EXACT]
    # A whole name typed out wins over a word of another kind's name ("Dyson" is both).
    if driver_id is not None and catalogue.names.keys[driver_id] == compact(normalised):
        return _found(catalogue, driver_id, "driver", scope)
    if len(exact_teams) == 1:
        return _found(catalogue, exact_teams[0], "team", scope)
    if not teams:
        if driver_id is not None:
            return _found(catalogue, driver_id, "driver", scope)
        if isinstance(as_driver, AmbiguousAnswer):
            raise Refused(as_driver)
        near = near_names(catalogue, normalised, catalogue.wanted(_NAMES, limit))
        suggestions = tuple(catalogue.displays[i] for i in near[:MAX_DID_YOU_MEAN])
        raise Refused(NotFoundAnswer(subject=Subject.SIDE, query=shown, suggestions=suggestions))
    if len(teams) == 1 and isinstance(as_driver, NotFoundAnswer):
        return _found(catalogue, teams[0], "team", scope)
    options = list(as_driver.options) if isinstance(as_driver, AmbiguousAnswer) else []
    if driver_id is not None:
        options.append(drivers.driver_label(catalogue, driver_id, scope))
    options += [_team_label(catalogue, team, scope) for team in teams]
    raise Refused(
        AmbiguousAnswer(
            subject=Subject.SIDE,
            query=shown,
            options=tuple(options[:MAX_OPTIONS]),
            more=max(0, len(options) - MAX_OPTIONS),
        )
    )


def _asked(question: Callable[[], Answer]) -> Answer:
    """A question's answer, whether it returns it or raises it as a refusal."""
    try:
        return question()
    except Refused as refusal:
        return refusal.answer


def _driver_id(catalogue: Catalogue, answer: Answer) -> int | None:
    """The name id of the driver /driver's resolution found, if it found one."""
    if not isinstance(answer, DriverAnswer):
        return None
    accept = catalogue.of_kinds(frozenset({NameKind.DRIVER}))
    hits = catalogue.names.search(normalise(answer.driver), accept)
    return next((hit.id for hit in hits if hit.tier is Tier.EXACT), None)


def _found(catalogue: Catalogue, name_id: int, what: What, scope: int | None) -> _Found:
    postings = {
        race_id: tuple(entry_ids)
        for race_id, entry_ids in catalogue.postings[name_id].items()
        if scope is None or race_id == scope
    }
    return _Found(catalogue.displays[name_id], what, postings)


def _team_label(catalogue: Catalogue, name_id: int, scope: int | None) -> str:
    """A team as an option: its cars in the newest race, and how many races when several."""
    race_id, entry_ids = catalogue.newest(name_id, None if scope is None else (scope,))
    cars = ", ".join(f"#{catalogue.races[race_id].entries[i].number}" for i in entry_ids)
    appearances = len(catalogue.postings[name_id])
    if scope is None and appearances > 1:
        cars += f"; {appearances} races"
    return f"{catalogue.displays[name_id]} (team: {cars})"
