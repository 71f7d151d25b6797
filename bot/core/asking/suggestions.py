"""Autocomplete: choices for what has been typed so far, best first, from the catalogue.

Exact matches come before prefixes and prefixes before typos; with nothing typed, the first names
in finishing (or newest-first) order. Choices fit Discord's limits (`bot.core.limits`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import islice
from typing import Final

from bot.core.asking.commands import SuggestKind
from bot.core.asking.questions.common import race_label
from bot.core.asking.questions.season import season_choices
from bot.core.documents.model import Entry
from bot.core.formats import car_label, clip, plural
from bot.core.library.catalogue import Catalogue, NameKind, number_key
from bot.core.limits import MAX_CHOICE_LENGTH, MAX_CHOICES, MAX_OPTION_LENGTH
from bot.core.matching import Tier, compact, normalise, strip_controls

_SUGGEST_KINDS: Final = {
    SuggestKind.QUERY: frozenset(NameKind),
    SuggestKind.TEAM: frozenset({NameKind.TEAM}),
    SuggestKind.DRIVER: frozenset({NameKind.DRIVER}),
    SuggestKind.CAR: frozenset({NameKind.TEAM, NameKind.DRIVER}),
    SuggestKind.SIDE: frozenset({NameKind.TEAM, NameKind.DRIVER}),
}

# (tier, mistakes, 0 if it starts with what was typed, race, place, what): `what` is a name id,
# or -1 - entry index for a car; choices are built for the winners only.
_Ranked = tuple[int, int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One autocomplete choice: what the user sees, and what is filled in."""

    label: str
    value: str


def _choice(text: str) -> str:
    """Text cut to fit a Discord choice's name or value."""
    return clip(text, MAX_CHOICE_LENGTH)


def _car_choice(entry: Entry) -> Suggestion:
    """A car as an autocomplete choice: its number, labelled with team, class and drivers."""
    drivers = " / ".join(entry.drivers)
    label = f"{car_label(entry)} ({entry.class_})" + (f": {drivers}" if drivers else "")
    return Suggestion(label=_choice(label), value=_choice(entry.number))


class Suggester:
    """Autocomplete choices over one catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def suggest(
        self, kind: SuggestKind, prefix: str, limit: int = MAX_CHOICES, race: str | None = None
    ) -> list[Suggestion]:
        """Autocomplete choices for what has been typed so far, best first (exact, prefix,
        typo); with nothing typed, the first names in finishing (or newest-first) order."""
        limit = max(0, min(limit, MAX_CHOICES))
        if kind not in _SUGGEST_KINDS and kind not in (
            SuggestKind.CLASS,
            SuggestKind.RACE,
            SuggestKind.SEASON,
        ):
            return []
        kind = SuggestKind(kind)
        text = strip_controls(prefix) if isinstance(prefix, str) else ""
        if not limit or not self.catalogue.races or len(text.strip()) > MAX_OPTION_LENGTH:
            return []
        typed = normalise(text)
        if kind is SuggestKind.RACE:
            return self._races(typed, limit)
        if kind is SuggestKind.SEASON:
            pairs = season_choices(self.catalogue, typed, limit)
            return [
                Suggestion(label=_choice(label), value=_choice(value)) for label, value in pairs
            ]
        wide = kind in (SuggestKind.DRIVER, SuggestKind.SIDE)
        scope = self._scope(race, library_wide=wide)
        if scope == ():
            return []
        if kind is SuggestKind.CLASS:
            return self._classes(typed, scope or (0,), limit)
        return self._names(kind, typed, scope, limit)

    def _scope(self, race: str | None, library_wide: bool) -> tuple[int, ...] | None:
        """Races the suggestions come from: None for all, () when the race matches nothing."""
        if race is None or not strip_controls(race).strip():
            return None if library_wide else (0,)
        text = strip_controls(race).strip()
        if len(text) > MAX_OPTION_LENGTH:
            return ()
        return tuple(sorted(hit.id for hit in self.catalogue.race_index.search(normalise(text))))

    def _names(
        self, kind: SuggestKind, typed: str, scope: tuple[int, ...] | None, limit: int
    ) -> list[Suggestion]:
        """Cars and names of the kind asked for, ranked, as choices."""
        ranked: list[_Ranked] = []
        key = number_key(typed)
        if kind in (SuggestKind.QUERY, SuggestKind.CAR, SuggestKind.SIDE) and (key or not typed):
            for race_id in scope or (0,):
                for code, entry_ids in self.catalogue.numbers[race_id].items():
                    if code.startswith(key):
                        tier = Tier.EXACT if code == key else Tier.PREFIX
                        ranked.append((tier, 0, 0, race_id, entry_ids[0], -1 - entry_ids[0]))
        # With nothing typed, a question's choices are the cars in finishing order (their labels
        # name teams and drivers); a number typed for a car is only ever a number.
        if kind in (SuggestKind.TEAM, SuggestKind.DRIVER, SuggestKind.SIDE) or (
            typed and not (kind is SuggestKind.CAR and typed.replace(" ", "").isdigit())
        ):
            ranked += self._name_candidates(typed, _SUGGEST_KINDS[kind], scope, limit)
        choices: list[Suggestion] = []
        seen: set[str] = set()
        for *_, race_id, _, what in heapq.nsmallest(2 * limit, ranked):
            if what < 0:
                choice = _car_choice(self.catalogue.entry(race_id, -1 - what))
            else:
                choice = self._name_choice(kind, what, scope)
            if choice.value not in seen:
                seen.add(choice.value)
                choices.append(choice)
                if len(choices) == limit:
                    break
        return choices

    def _name_candidates(
        self, typed: str, kinds: frozenset[NameKind], scope: tuple[int, ...] | None, limit: int
    ) -> list[_Ranked]:
        """Names of the wanted kinds in scope that match what was typed, ranked as in
        `_names`; with nothing typed, the first names in order of appearance."""
        catalogue = self.catalogue
        if not typed:
            if scope is None:
                ids = (
                    catalogue.drivers if kinds == {NameKind.DRIVER} else range(len(catalogue.kinds))
                )
                # (a name a patch left in no race keeps its id, with no races: not offered)
                listed = (i for i in ids if catalogue.kinds[i] in kinds and i not in catalogue.gone)
                first = list(islice(listed, limit))
                return [(Tier.PREFIX, 0, 0, 0, i, i) for i in first]
            return [
                (Tier.PREFIX, 0, 0, race_id, order, name_id)
                for race_id in scope
                for order, name_id in enumerate(catalogue.race_names[race_id])
                if catalogue.kinds[name_id] in kinds
            ]
        found = catalogue.names.matches(
            typed,
            catalogue.wanted(kinds, scope),
            min_prefix=1,
            fuzzy_below=limit,
            numeric_prefix=True,
        )
        start = typed.replace(" ", "")
        keys = catalogue.names.keys
        if scope is None:
            return [
                (tier, edits, not keys[i].startswith(start), 0, i, i)
                for i, (tier, edits) in found.items()
            ]
        ranked: list[_Ranked] = []
        for i, (tier, edits) in found.items():
            race_id, entry_ids = catalogue.newest(i, scope)
            ranked.append((tier, edits, not keys[i].startswith(start), race_id, entry_ids[0], i))
        return ranked

    def _name_choice(
        self, kind: SuggestKind, name_id: int, scope: tuple[int, ...] | None
    ) -> Suggestion:
        """A name as a choice, labelled with its cars (newest race in scope)."""
        name_kind = self.catalogue.kinds[name_id]
        display = self.catalogue.displays[name_id]
        race_id, entries = self.catalogue.newest(name_id, scope)
        cars = self.catalogue.library.entries((race_id, i) for i in entries)  # not the race
        if kind is SuggestKind.CAR:
            return _car_choice(cars[0])
        if name_kind is NameKind.DRIVER:
            detail = ", ".join(car_label(car) for car in cars)
        else:
            detail = ", ".join(f"#{car.number}" for car in cars)
        if kind in (SuggestKind.QUERY, SuggestKind.SIDE):
            detail = f"{name_kind}: {detail}"
        return Suggestion(label=_choice(f"{display} ({detail})"), value=_choice(display))

    def _classes(self, typed: str, scope: tuple[int, ...], limit: int) -> list[Suggestion]:
        """The classes of the races in scope: exact, then prefix, then containing what was typed."""
        key = typed.replace(" ", "")
        counts: dict[str, int] = {}
        summaries = self.catalogue.summaries  # not the races: a scope may be a whole series
        for race_id in scope:
            summary = summaries[race_id]
            for name, cars in zip(summary.classes, summary.class_cars, strict=True):
                counts[name] = counts.get(name, 0) + cars
        ranked = []
        for order, name in enumerate(counts):
            code = compact(normalise(name))
            if code == key:
                ranked.append((0, order, name))
            elif code.startswith(key):
                ranked.append((1, order, name))
            elif key in code:
                ranked.append((2, order, name))
        ranked.sort()
        return [
            Suggestion(
                label=_choice(f"{name} ({plural(counts[name], 'car')})"), value=_choice(name)
            )
            for _, _, name in ranked[:limit]
        ]

    def _races(self, typed: str, limit: int) -> list[Suggestion]:
        """Races whose title, year or circuit match what was typed; with nothing typed, all."""
        catalogue = self.catalogue
        if typed:
            ids = catalogue.race_index.best(typed, limit, min_prefix=1, numeric_prefix=True)
        else:
            ids = list(range(min(limit, len(catalogue.races))))
        return [
            Suggestion(
                label=_choice(race_label(catalogue.summaries[i])),
                value=_choice(catalogue.race_values[i]),
            )
            for i in ids[:limit]
        ]
