"""/compare: two drivers, cars or teams head to head in every race both took part in.

Each side is resolved as the other questions resolve names, never guessed: a car number is exact
(03 is not 3); a name is looked up among the drivers and teams (of the race, when one is given)
with the tiers of `bot.core.matching`, so a whole name typed out wins over a word of another
name. Several equally good names ("Castro" is a driver and a team) are asked back ("Which
one?"); an unmistakable typo is answered and said aloud; a weaker one is offered ("Did you
mean …?"). Every choice asks /compare again with that side's exact name and the other side
unchanged. Both names may come in the first option ("Herbert Lehto", as the console's
shorthand gives them): the text is split where both halves name exactly one thing, and only
when exactly one split does.

Who finished ahead compares each side's best-placed car: the better overall position; a car
with a position is ahead of one without; with neither, more laps. Two sides in one car are
team-mates, not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    CompareAnswer,
    CompareRace,
    CompareSide,
    Correction,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.commands import COMMANDS
from bot.core.asking.questions.common import (
    Refused,
    clean,
    driver_races,
    elsewhere,
    find_names,
    given,
    near_names,
    near_numbers,
    pick_race,
    require_races,
)
from bot.core.asking.questions.drivers import driver_label
from bot.core.asking.questions.offers import (
    Asking,
    car_choice_label,
    name_choices,
    other_command,
)
from bot.core.documents.model import Entry
from bot.core.formats import clip
from bot.core.library.catalogue import Catalogue, NameKind, number_key
from bot.core.limits import MAX_CHOICE_LABEL, MAX_DID_YOU_MEAN, MAX_OFFERS, MAX_OPTIONS
from bot.core.matching import strip_controls

_NAMES: Final = frozenset({NameKind.TEAM, NameKind.DRIVER})
_MAX_SPLIT_WORDS: Final = 12
"""Longest shorthand ("first and second in one option") worth trying every split of."""

What = Literal["driver", "car", "team"]


@dataclass(frozen=True, slots=True)
class _Found:
    """A resolved side: its name, what it is, its cars by race id (finishing order), and the
    typo it was read through, if any."""

    name: str
    what: What
    postings: Mapping[int, tuple[int, ...]]
    correction: Correction | None = None
    notes: tuple[str, ...] = ()
    """The side's other spellings said aloud ("Champion Racing, also entered as …")."""


class _AskedBack(Refused):
    """A name that matched, but not one for sure: asked back ("Which one?", "Did you mean")."""


@dataclass(frozen=True, slots=True)
class _Side(Asking):
    """One side being resolved: `first` is its option (named "first" or "second") as typed,
    `other` the other side's; a choice replaces this side and keeps the other."""

    other: tuple[str, str] | None = None

    def again(self, catalogue: Catalogue, label: str, race_id: int | None) -> Choice:
        """/compare asked again with both sides as they are (in another race, or in none)."""
        options = sorted(option for option in (self.first, self.other) if option)
        if race_id is not None:
            options.append(("race", catalogue.race_values[race_id]))
        return Choice(
            label=clip(label, MAX_CHOICE_LABEL), command=self.command, options=tuple(options)
        )

    def named(self, catalogue: Catalogue, label: str, value: str, race_id: int | None) -> Choice:
        """/compare asked again with this side replaced by `value` (an exact name or number)."""
        option = (self.first[0] if self.first else "first", value)
        return _Side(self.command, option, self.other).again(catalogue, label, race_id)


def _typed(text: str | None) -> str:
    """An option as typed, tidied (for choices that ask the question again)."""
    return " ".join(strip_controls(text).split()) if isinstance(text, str) else ""


def _sides(first: str, second: str) -> tuple[_Side, _Side]:
    """How each side is asked again: the first and the second, each keeping the other."""
    one, two = ("first", first), ("second", second)
    return _Side("compare", one, two if second else None), _Side("compare", two, one)


def compare(
    catalogue: Catalogue, first: str, second: str | None = None, race: str | None = None
) -> Answer:
    """Two drivers, cars or teams head to head in every race both took part in (or one race)."""
    asked = _sides(_typed(first), _typed(second))
    scope, corrections = pick_race(catalogue, race, asked[0]) if given(race) else (None, ())
    require_races(catalogue)
    if second is not None and given(second):
        one, two = (
            _side(catalogue, first, scope, asked[0]),
            _side(catalogue, second, scope, asked[1]),
        )
    else:
        one, two = _split(catalogue, first, scope)
    if (one.what, one.name) == (two.what, two.name):
        raise Refused(
            InvalidAnswer(message=f"Both names are {one.name}: compare with someone else.")
        )
    both = sorted(one.postings.keys() & two.postings.keys())  # race ids: newest first
    fixes = tuple(side.correction for side in (one, two) if side.correction)
    return CompareAnswer(
        first=_answer_side(catalogue, one),
        second=_answer_side(catalogue, two),
        shared=tuple(_shared(catalogue, race_id, one, two) for race_id in both),
        corrections=(*fixes, *corrections),
        notes=(*one.notes, *two.notes),
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
    return CompareSide(
        name=found.name, what=found.what, appearances=driver_races(catalogue, found.postings)
    )


def _split(catalogue: Catalogue, text: str, scope: int | None) -> tuple[_Found, _Found]:
    """Both sides from one option: the one split of its words where both halves resolve."""
    shown, _ = clean(text, Subject.SIDE)
    words = shown.split()
    readings: list[tuple[_Found, _Found]] = []
    unclear: list[Answer] = []  # splits where each half resolved or was asked back
    for cut in range(1, len(words) if len(words) <= _MAX_SPLIT_WORDS else 1):
        halves = (" ".join(words[:cut]), " ".join(words[cut:]))
        sides: list[_Found] = []
        asked: list[Answer] = []
        for half, asking in zip(halves, _sides(*halves), strict=True):
            try:
                sides.append(_side(catalogue, half, scope, asking))
            except _AskedBack as refusal:
                asked.append(refusal.answer)
            except Refused:
                break
        else:
            if asked:
                unclear.append(asked[0])
            else:
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


def _side(catalogue: Catalogue, text: str, scope: int | None, asking: _Side) -> _Found:
    """One side: a car by its exact number, else a driver or a team; refused when unclear."""
    shown, normalised = clean(text, Subject.SIDE)
    key = number_key(shown)
    if key:
        return _car(catalogue, shown, key, scope, asking)
    race_value = catalogue.race_values[scope] if scope is not None else None
    if pointer := other_command(normalised, race_value):
        hint, choice = pointer
        raise Refused(
            NotFoundAnswer(subject=Subject.SIDE, query=shown, hint=hint, choices=(choice,))
        )
    return _name(catalogue, shown, normalised, scope, asking)


def _car(catalogue: Catalogue, shown: str, key: str, scope: int | None, asking: _Side) -> _Found:
    """A car by its exact number in scope; a miss says where it looked and where it raced."""
    races = catalogue.races
    postings = {
        race_id: catalogue.numbers[race_id][key]
        for race_id in catalogue.races_with_number(key)
        if scope is None or race_id == scope
    }
    if postings:
        race_id, entry_ids = next(iter(postings.items()))
        return _Found(f"#{races[race_id].entries[entry_ids[0]].number}", "car", postings)
    picked = 0 if scope is None else scope
    others = list(catalogue.races_with_number(key))
    near = () if others else near_numbers(catalogue, shown, picked)
    choices = _everywhere(catalogue, asking, others)
    for number in near:
        entry = races[picked].entries[catalogue.numbers[picked][number_key(number)][0]]
        label = car_choice_label(entry, races[picked] if scope is None else None)
        choices.append(asking.named(catalogue, label, entry.number, scope))
    raise Refused(
        NotFoundAnswer(
            subject=Subject.CAR,
            query=shown,
            suggestions=near,
            choices=tuple(choices[:MAX_OFFERS]),
            searched=catalogue.summaries[scope].title if scope is not None else "",
            elsewhere=tuple(catalogue.summaries[i].title for i in others),
        )
    )


def _name(
    catalogue: Catalogue, shown: str, normalised: str, scope: int | None, asking: _Side
) -> _Found:
    """A driver or a team, as sure as /driver is; several, or a guess, are asked back."""
    accept = catalogue.wanted(_NAMES, None if scope is None else (scope,))
    found = find_names(catalogue, shown, normalised, accept)
    # Drivers first, as /driver would answer them, then teams.
    ids = sorted(found.ids, key=lambda i: (catalogue.kinds[i] is not NameKind.DRIVER, i))
    if not ids or not found.sure or (found.corrected and len(ids) > 1):
        offer = _offer(catalogue, asking, shown, normalised, ids, scope)
        raise _AskedBack(offer) if ids else Refused(offer)
    if len(ids) > 1:
        raise _AskedBack(
            AmbiguousAnswer(
                subject=Subject.SIDE,
                query=shown,
                options=tuple(_label(catalogue, i, scope) for i in ids[:MAX_OPTIONS]),
                more=max(0, len(ids) - MAX_OPTIONS),
                choices=name_choices(catalogue, asking, ids, scope, scope is not None),
            )
        )
    name_id = ids[0]
    what: What = "driver" if catalogue.kinds[name_id] is NameKind.DRIVER else "team"
    postings = {
        race_id: tuple(entry_ids)
        for race_id, entry_ids in catalogue.postings[name_id].items()
        if scope is None or race_id == scope
    }
    display = catalogue.displays[name_id]
    correction = Correction(typed=shown, read_as=display) if found.corrected else None
    return _Found(display, what, postings, correction, catalogue.grouped((name_id,)))


def _offer(
    catalogue: Catalogue,
    asking: _Side,
    shown: str,
    text: str,
    guessed: list[int],
    scope: int | None,
) -> NotFoundAnswer:
    """No side for sure: the guesses (or the near names) offered, and other races that have it."""
    others: list[int] = []
    if not guessed and scope is not None:  # the name may be in another loaded race
        anywhere = find_names(catalogue, shown, text, catalogue.of_kinds(_NAMES))
        others = elsewhere(catalogue, anywhere.ids, scope) if anywhere.sure else []
    in_scope = catalogue.wanted(_NAMES, None if scope is None else (scope,))
    close = guessed or ([] if others else near_names(catalogue, text, in_scope))
    choices = (
        *_everywhere(catalogue, asking, others),
        *name_choices(catalogue, asking, close, scope, scope is not None),
    )
    return NotFoundAnswer(
        subject=Subject.SIDE,
        query=shown,
        suggestions=tuple(catalogue.displays[i] for i in close[:MAX_DID_YOU_MEAN]),
        choices=choices[:MAX_OFFERS],
        searched=catalogue.summaries[scope].title if scope is not None else "",
        elsewhere=tuple(catalogue.summaries[i].title for i in others),
    )


def _everywhere(catalogue: Catalogue, asking: _Side, others: list[int]) -> list[Choice]:
    """A side that raced only in other races: the comparison over every loaded race, offered
    (asked in one of those races, the other side might be missing there instead)."""
    if not others:
        return []
    found = ", ".join(catalogue.summaries[i].title for i in others)
    return [asking.again(catalogue, f"Every loaded race · found in {found}", None)]


def _label(catalogue: Catalogue, name_id: int, scope: int | None) -> str:
    """A driver or team as a "Which one?" option."""
    if catalogue.kinds[name_id] is NameKind.DRIVER:
        return driver_label(catalogue, name_id, scope)
    return _team_label(catalogue, name_id, scope)


def _team_label(catalogue: Catalogue, name_id: int, scope: int | None) -> str:
    """A team as an option: its cars in the newest race, and how many races when several."""
    race_id, entry_ids = catalogue.newest(name_id, None if scope is None else (scope,))
    cars = ", ".join(
        f"#{car.number}" for car in catalogue.library.entries((race_id, i) for i in entry_ids)
    )
    appearances = len(catalogue.postings[name_id])
    if scope is None and appearances > 1:
        cars += f"; {appearances} races"
    return f"{catalogue.displays[name_id]} (team: {cars})"
