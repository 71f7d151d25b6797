"""The query service: questions about the loaded races in, typed answers out.

Pure and synchronous (no Discord): the cogs, the console and the tests all ask it the same way.
Every name the races mention (teams, drivers, chassis, engines) goes into one `NameIndex` built
once per library, with postings from each name to the (race, entry) pairs it appears in, so a
question costs a few dictionary look-ups whether one race or a thousand are loaded.
Bad input never raises: it becomes an `InvalidAnswer` or a `NotFoundAnswer`.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from pathlib import PurePath
from typing import Final

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.answers import (
    AmbiguousAnswer,
    Answer,
    ClassAnswer,
    ClassWinnersAnswer,
    CommandHelp,
    DriverAnswer,
    DriverRace,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    RaceAnswer,
    RacesAnswer,
    ResultsAnswer,
    StatsAnswer,
    Subject,
)
from bot.core.formats import car_label, clip, long_date, plural
from bot.core.library import RaceLibrary
from bot.core.matching import (
    MAX_QUERY_LENGTH,
    NameIndex,
    NameKeys,
    Tier,
    compact,
    normalise,
    strip_controls,
)
from bot.core.model import Entry, Race, Status

MAX_SUGGESTIONS: Final = 25
"""Discord offers at most 25 autocomplete choices."""
MAX_CHOICE_LENGTH: Final = 100
"""Discord's limit on an autocomplete choice's name and value."""
MAX_OPTIONS: Final = 25
"""Most options an ambiguity lists (narrow the question to see others)."""
MAX_DID_YOU_MEAN: Final = 3
"""Most "did you mean" names a not-found answer offers (the answer model allows three)."""

NO_RACES: Final = "No races are loaded: put race documents in the seeds folder and restart."
_EMPTY_QUESTION: Final = {
    Subject.QUERY: "Type a team, driver, car number or chassis to look up, e.g. Dyson or 03.",
    Subject.DRIVER: "Type a driver's name to look up, e.g. Johnny Herbert.",
    Subject.CAR: "Type a car number to look up, e.g. 3 or 03 (they are different cars).",
}
# Words people put in front of a car number: "No. 3", "car 3".
_CAR_NUMBER: Final = re.compile(
    r"(?:(?:car|no|nr|num|number)\.?\s*)?#?\s*([0-9]{1,4}[a-z]?)", re.IGNORECASE
)
"""A car number as people type it: "3", "#03", "No. 3", "car 16", "16B"."""


class SuggestKind(StrEnum):
    """What an autocomplete field asks for."""

    QUERY = "query"
    TEAM = "team"
    DRIVER = "driver"
    CLASS = "class"
    RACE = "race"
    CAR = "car"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One autocomplete choice: what the user sees, and what is filled in."""

    label: str
    value: str


class NameKind(StrEnum):
    """What a name in an entry is."""

    TEAM = "team"
    DRIVER = "driver"
    CHASSIS = "chassis"
    ENGINE = "engine"


_KIND_ORDER: Final = {kind: order for order, kind in enumerate(NameKind)}
_SUGGEST_KINDS: Final = {
    SuggestKind.QUERY: frozenset(NameKind),
    SuggestKind.TEAM: frozenset({NameKind.TEAM}),
    SuggestKind.DRIVER: frozenset({NameKind.DRIVER}),
    SuggestKind.CAR: frozenset({NameKind.TEAM, NameKind.DRIVER}),
}

HELP: Final = (
    CommandHelp(
        name="result",
        usage="/result query:<team, driver, car number, chassis or engine> [race:<race>]",
        description="The cars matching a team, driver, car number, chassis or engine, "
        "in finishing order, with positions, status, laps and laps down.",
        example="/result query:Dyson",
    ),
    CommandHelp(
        name="class",
        usage="/class [class:<class>] [race:<race>]",
        description="A class's full order, its winner first; with no class, every class's winner.",
        example="/class class:GTS",
    ),
    CommandHelp(
        name="driver",
        usage="/driver name:<driver> [race:<race>]",
        description="Every car a driver raced, newest race first (all loaded races unless "
        "a race is given).",
        example="/driver name:Johnny Herbert",
    ),
    CommandHelp(
        name="car",
        usage="/car number:<number> [race:<race>]",
        description="One car by its exact number: 03 and 3 are different cars.",
        example="/car number:03",
    ),
    CommandHelp(
        name="stats",
        usage="/stats [race:<race>]",
        description="Pole, fastest lap, distance and speeds, and how many cars started, "
        "finished, retired and did not start.",
        example="/stats race:2003",
    ),
    CommandHelp(
        name="race",
        usage="/race [race:<race>]",
        description="An overview of a race: where and when, the winner and every class winner.",
        example="/race race:Sonoma",
    ),
    CommandHelp(
        name="races",
        usage="/races",
        description="Every loaded race, newest first.",
        example="/races",
    ),
    CommandHelp(
        name="help",
        usage="/help",
        description="What you can ask, with an example of each command.",
        example="/help",
    ),
)
"""Every command, as /help lists it. `race` is a title, year or circuit; default the latest."""

COMMAND_OPTIONS: Final = {
    "result": ("query", "race"),
    "class": ("class", "race"),
    "driver": ("name", "race"),
    "car": ("number", "race"),
    "stats": ("race",),
    "race": ("race",),
    "races": (),
    "help": (),
}
"""Every command and its options by name, in order: the slash commands' and the console's."""


def _choice(text: str) -> str:
    """Text cut to fit a Discord choice's name or value."""
    return clip(text, MAX_CHOICE_LENGTH)


def race_label(race: Race) -> str:
    """A race as a person tells it apart: title, circuit and date."""
    facts = [race.circuit] if race.circuit else []
    if race.date:
        facts.append(long_date(race.date))
    return f"{race.title} ({', '.join(facts)})" if facts else race.title


class QueryService:
    """Answers every question about a library; indexes are built once, in the constructor."""

    def __init__(self, library: RaceLibrary) -> None:
        self.library = library
        self._races: tuple[Race, ...] = library.races
        self._build_names()
        self._build_races()
        self._no_races = InvalidAnswer(message=NO_RACES)

    @property
    def name_count(self) -> int:
        """How many distinct teams, drivers, chassis and engines are indexed."""
        return len(self._names)

    @property
    def word_count(self) -> int:
        """How many distinct words those names are made of."""
        return self._names.vocabulary_size

    # ------------------------------------------------------------------ building

    def _build_names(self) -> None:
        """Distinct names (by normalised key) with their (race, entries) postings."""
        kinds: list[NameKind] = []
        displays: list[str] = []
        postings: list[dict[int, list[int]]] = []
        # Raw text -> name id, per kind; the same text is normalised only once.
        team_ids: dict[str, int] = {}
        driver_ids: dict[str, int] = {}
        chassis_ids: dict[str, int] = {}
        engine_ids: dict[str, int] = {}
        by_key: dict[tuple[NameKind, str], int] = {}
        race_names: list[list[int]] = []
        numbers: list[dict[str, list[int]]] = []
        number_keys: dict[str, str] = {}
        for race_id, race in enumerate(self._races):
            names_here: list[int] = []
            numbers_here: dict[str, list[int]] = {}
            for entry_id, entry in enumerate(race.entries):
                number = number_keys.get(entry.number)
                if number is None:
                    number = number_keys[entry.number] = compact(normalise(entry.number))
                numbers_here.setdefault(number, []).append(entry_id)
                for kind, ids_of, raws in (
                    (NameKind.TEAM, team_ids, (entry.team,)),
                    (NameKind.DRIVER, driver_ids, entry.drivers),
                    (NameKind.CHASSIS, chassis_ids, (entry.chassis or "",)),
                    (NameKind.ENGINE, engine_ids, (entry.engine or "",)),
                ):
                    for raw in raws:
                        name_id = ids_of.get(raw)
                        if name_id is None:
                            key = compact(normalise(raw))
                            name_id = by_key.get((kind, key), -1) if key else -1
                            if key and name_id < 0:
                                name_id = len(kinds)
                                by_key[(kind, key)] = name_id
                                kinds.append(kind)
                                displays.append(" ".join(raw.split()))
                                postings.append({})
                            ids_of[raw] = name_id
                        if name_id < 0:
                            continue
                        races_of = postings[name_id]
                        in_race = races_of.get(race_id)
                        if in_race is None:
                            races_of[race_id] = [entry_id]
                            names_here.append(name_id)
                        elif in_race[-1] != entry_id:
                            in_race.append(entry_id)
            race_names.append(names_here)
            numbers.append(numbers_here)
        self._kinds = kinds
        self._displays = displays
        self._postings = postings
        self._race_names = race_names
        self._numbers = numbers
        self._class_keys = [
            {compact(normalise(name)): name for name in race.classes} for race in self._races
        ]
        self._drivers = [i for i, kind in enumerate(kinds) if kind is NameKind.DRIVER]
        # Which names a search may return, as sets so that filtering happens in C.
        self._race_sets = [frozenset(names) for names in race_names]
        self._kind_sets = {
            wanted: frozenset(i for i, kind in enumerate(kinds) if kind in wanted)
            for wanted in (*_SUGGEST_KINDS.values(), frozenset({NameKind.DRIVER}))
        }
        self._names = NameIndex(NameKeys((display,)) for display in displays)

    def _build_races(self) -> None:
        """The race selector index: titles exactly, plus circuit, place, series and year."""
        keys = []
        for race in self._races:
            year = (str(race.date.year),) if race.date else ()
            words = tuple(w for w in (race.circuit, race.location, race.series) if w) + year
            aliases = (race.source, PurePath(race.source).stem) + (
                (race.date.isoformat(),) if race.date else ()
            )
            keys.append(NameKeys((race.title,), words, aliases))
        self._race_index = NameIndex(keys)
        titles = list(self._race_index.keys)
        sources = [compact(normalise(race.source)) for race in self._races]
        self._race_values = self._unique_race_values(titles, sources)

    def _unique_race_values(self, titles: list[str], sources: list[str]) -> list[str]:
        """What selects each race on its own: its title, or its file name when titles repeat."""
        title_counts: dict[str, int] = {}
        source_counts: dict[str, int] = {}
        for title, source in zip(titles, sources, strict=True):
            title_counts[title] = title_counts.get(title, 0) + 1
            source_counts[source] = source_counts.get(source, 0) + 1
        return [
            race.source
            if title_counts[titles[i]] > 1 and source_counts[sources[i]] == 1
            else race.title
            for i, race in enumerate(self._races)
        ]

    # ------------------------------------------------------------------ questions

    def result(self, query: str, race: str | None = None) -> Answer:
        """The cars a team, driver, car number, chassis or engine matches, in finishing order."""
        picked = self._select_race(race)
        if not isinstance(picked, int):
            return picked
        cleaned = self._clean(query, Subject.QUERY)
        if not isinstance(cleaned, tuple):
            return cleaned
        shown, text = cleaned
        chosen = self._races[picked]
        number_hits = self._numbers[picked].get(self._number_key(shown), [])
        numeric = text.replace(" ", "").isdigit()
        in_race = self._race_sets[picked]
        # A number is never a prefix or a typo of another: "5" must not find "56" or "550".
        hits = self._names.search(
            text, in_race, fuzzy=not numeric, min_prefix=len(text) + 1 if numeric else 3
        )
        if number_hits:  # a car number is an exact match: only exact names stand beside it
            hits = [hit for hit in hits if hit.tier is Tier.EXACT]
        # "/result GT" means the GT class, not a chassis whose name starts with "GT".
        class_name = self._class_named(picked, text)
        if class_name and not number_hits and all(hit.tier is not Tier.EXACT for hit in hits):
            return ClassAnswer(
                race=chosen, class_=class_name, entries=chosen.class_entries(class_name)
            )
        if not hits and not number_hits:
            return NotFoundAnswer(
                subject=Subject.QUERY,
                query=shown,
                suggestions=self._did_you_mean(text, picked, in_race),
            )
        matched = [f"car #{chosen.entries[i].number}" for i in number_hits[:1]]
        entry_ids = set(number_hits)
        for hit in sorted(
            hits, key=lambda h: (_KIND_ORDER[self._kinds[h.id]], self._first(h.id, picked))
        ):
            matched.append(f"{self._kinds[hit.id]} {self._displays[hit.id]}")
            entry_ids.update(self._postings[hit.id][picked])
        return ResultsAnswer(
            race=chosen,
            query=shown,
            matched=tuple(matched),
            cars=tuple(chosen.entries[i] for i in sorted(entry_ids)),
        )

    def class_results(self, class_: str | None = None, race: str | None = None) -> Answer:
        """A class's full order (winner first), or with no class every class's winner."""
        picked = self._select_race(race)
        if not isinstance(picked, int):
            return picked
        chosen = self._races[picked]
        if class_ is None or not strip_controls(class_).strip():
            return ClassWinnersAnswer(race=chosen, winners=chosen.class_winners())
        cleaned = self._clean(class_, Subject.CLASS)
        if not isinstance(cleaned, tuple):
            return cleaned
        shown, text = cleaned
        words = text.split()
        if len(words) > 1 and "class" in words:
            words = [word for word in words if word != "class"]
        key = "".join(words)
        classes = {compact(normalise(name)): name for name in chosen.classes}
        if exact := self._class_named(picked, key):
            return ClassAnswer(race=chosen, class_=exact, entries=chosen.class_entries(exact))
        starting = [name for code, name in classes.items() if code.startswith(key)]
        if len(starting) == 1:
            return ClassAnswer(
                race=chosen, class_=starting[0], entries=chosen.class_entries(starting[0])
            )
        if len(starting) > 1:
            return AmbiguousAnswer(subject=Subject.CLASS, query=shown, options=tuple(starting))
        close = process.extract(key, list(classes), scorer=fuzz.ratio, score_cutoff=50, limit=3)
        suggestions = [classes[code] for code, _, _ in close] or list(chosen.classes)
        return NotFoundAnswer(
            subject=Subject.CLASS, query=shown, suggestions=tuple(suggestions[:MAX_DID_YOU_MEAN])
        )

    def driver(self, name: str, race: str | None = None) -> Answer:
        """Every car a driver raced, newest race first (every loaded race unless one is given)."""
        scope: int | None = None
        if race is not None and strip_controls(race).strip():
            picked = self._select_race(race)
            if not isinstance(picked, int):
                return picked
            scope = picked
        elif not self._races:
            return self._no_races
        cleaned = self._clean(name, Subject.DRIVER)
        if not isinstance(cleaned, tuple):
            return cleaned
        shown, text = cleaned
        is_driver = self._kind_sets[frozenset({NameKind.DRIVER})]
        if scope is not None:
            is_driver = is_driver & self._race_sets[scope]

        hits = sorted(hit.id for hit in self._names.search(text, is_driver))
        if not hits and _labelled(shown):  # an option of an earlier answer, pasted back
            hits = sorted(hit.id for hit in self._names.search(_labelled(shown), is_driver))
        if not hits:
            return NotFoundAnswer(
                subject=Subject.DRIVER,
                query=shown,
                suggestions=self._did_you_mean(text, scope, is_driver),
            )
        if len(hits) > 1:
            return AmbiguousAnswer(
                subject=Subject.DRIVER,
                query=shown,
                options=tuple(self._driver_label(i, scope) for i in hits[:MAX_OPTIONS]),
                more=max(0, len(hits) - MAX_OPTIONS),
            )
        appearances = tuple(
            DriverRace(race=self._races[race_id], entry=self._races[race_id].entries[entry_id])
            for race_id, entry_ids in sorted(self._postings[hits[0]].items())
            if scope is None or race_id == scope
            for entry_id in entry_ids
        )
        return DriverAnswer(driver=self._displays[hits[0]], appearances=appearances)

    def car(self, number: str, race: str | None = None) -> Answer:
        """The car with exactly this number ("#3" is 3; "03" is not 3)."""
        picked = self._select_race(race)
        if not isinstance(picked, int):
            return picked
        cleaned = self._clean(number, Subject.CAR)
        if not isinstance(cleaned, tuple):
            return cleaned
        shown, text = cleaned
        chosen = self._races[picked]
        key = self._number_key(shown)
        entry_ids = self._numbers[picked].get(key)
        if entry_ids:
            return ResultsAnswer(
                race=chosen,
                query=shown,
                matched=(f"car #{chosen.entries[entry_ids[0]].number}",),
                cars=tuple(chosen.entries[i] for i in entry_ids),
            )
        near = self._near_numbers(key or compact(text), picked)
        return NotFoundAnswer(subject=Subject.CAR, query=shown, suggestions=near)

    def stats(self, race: str | None = None) -> Answer:
        """A race's statistics and how many cars started, finished and retired."""
        picked = self._select_race(race)
        if not isinstance(picked, int):
            return picked
        chosen = self._races[picked]
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

    def race(self, race: str | None = None) -> Answer:
        """An overview of one race."""
        picked = self._select_race(race)
        if not isinstance(picked, int):
            return picked
        return RaceAnswer(race=self._races[picked])

    def races(self) -> Answer:
        """Every loaded race, newest first."""
        if not self._races:
            return self._no_races
        return RacesAnswer(races=self._races)

    def help(self) -> Answer:
        """Every command with its usage, what it does and an example."""
        return HelpAnswer(commands=HELP)

    def ask(self, command: str, **options: str | None) -> Answer:
        """Answer a command by name ("result", "class", ...) with its options by name."""
        name = normalise(command) if isinstance(command, str) else ""
        if name not in COMMAND_OPTIONS:
            known = ", ".join(f"/{cmd}" for cmd in COMMAND_OPTIONS)
            shown = clip(" ".join(strip_controls(str(command)).split()), 40)
            return InvalidAnswer(message=f"Unknown command {shown!r}: try one of {known}.")
        allowed = COMMAND_OPTIONS[name]
        values: dict[str, str | None] = {}
        for option, value in options.items():
            option = "class" if option == "class_" else option
            if option not in allowed:
                takes = ", ".join(allowed) if allowed else "no options"
                return InvalidAnswer(
                    message=f"/{name} has no option {clip(option, 40)!r}; it takes {takes}."
                )
            values[option] = value if value is None or isinstance(value, str) else str(value)
        race = values.get("race")
        if name == "result":
            return self.result(values.get("query") or "", race)
        if name == "class":
            return self.class_results(values.get("class"), race)
        if name == "driver":
            return self.driver(values.get("name") or "", race)
        if name == "car":
            return self.car(values.get("number") or "", race)
        if name == "stats":
            return self.stats(race)
        if name == "race":
            return self.race(race)
        if name == "races":
            return self.races()
        return self.help()

    # ------------------------------------------------------------------ autocomplete

    def suggest(
        self, kind: SuggestKind, prefix: str, limit: int = MAX_SUGGESTIONS, race: str | None = None
    ) -> list[Suggestion]:
        """Autocomplete choices for what has been typed so far, best first (exact, prefix,
        typo); with nothing typed, the first names in finishing (or newest-first) order."""
        limit = max(0, min(limit, MAX_SUGGESTIONS))
        if kind not in _SUGGEST_KINDS and kind not in (SuggestKind.CLASS, SuggestKind.RACE):
            return []
        kind = SuggestKind(kind)
        text = strip_controls(prefix) if isinstance(prefix, str) else ""
        if not limit or not self._races or len(text.strip()) > MAX_QUERY_LENGTH:
            return []
        typed = normalise(text)
        if kind is SuggestKind.RACE:
            return self._suggest_races(typed, limit)
        scope = self._suggest_scope(race, library_wide=kind is SuggestKind.DRIVER)
        if scope == ():
            return []
        if kind is SuggestKind.CLASS:
            return self._suggest_classes(typed, scope or (0,), limit)
        return self._suggest_names(kind, typed, scope, limit)

    def _suggest_scope(self, race: str | None, library_wide: bool) -> tuple[int, ...] | None:
        """Races the suggestions come from: None for all, () when the race matches nothing."""
        if race is None or not strip_controls(race).strip():
            return None if library_wide else (0,)
        text = strip_controls(race).strip()
        if len(text) > MAX_QUERY_LENGTH:
            return ()
        return tuple(sorted(hit.id for hit in self._race_index.search(normalise(text))))

    def _suggest_names(
        self, kind: SuggestKind, typed: str, scope: tuple[int, ...] | None, limit: int
    ) -> list[Suggestion]:
        kinds = _SUGGEST_KINDS[kind]
        # (tier, mistakes, 0 if it starts with what was typed, race, place, what): `what` is a
        # name id, or -1 - entry index for a car; choices are built for the winners only.
        ranked: list[tuple[int, int, int, int, int, int]] = []
        key = self._number_key(typed)
        if kind in (SuggestKind.QUERY, SuggestKind.CAR) and (key or not typed):
            for race_id in scope or (0,):
                for code, entry_ids in self._numbers[race_id].items():
                    if code.startswith(key):
                        tier = Tier.EXACT if code == key else Tier.PREFIX
                        ranked.append((tier, 0, 0, race_id, entry_ids[0], -1 - entry_ids[0]))
        # With nothing typed, a question's choices are the cars in finishing order (their labels
        # name teams and drivers); a number typed for a car is only ever a number.
        if kind in (SuggestKind.TEAM, SuggestKind.DRIVER) or (
            typed and not (kind is SuggestKind.CAR and typed.replace(" ", "").isdigit())
        ):
            ranked += self._name_candidates(typed, kinds, scope, limit)
        choices: list[Suggestion] = []
        seen: set[str] = set()
        for *_, race_id, _, what in heapq.nsmallest(2 * limit, ranked):
            if what < 0:
                choice = _car_choice(self._races[race_id].entries[-1 - what])
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
    ) -> list[tuple[int, int, int, int, int, int]]:
        """Names of the wanted kinds in scope that match what was typed, ranked as in
        `_suggest_names`; with nothing typed, the first names in order of appearance."""
        if not typed:
            if scope is None:
                ids = self._drivers if kinds == {NameKind.DRIVER} else range(len(self._kinds))
                first = list(islice((i for i in ids if self._kinds[i] in kinds), limit))
                return [(Tier.PREFIX, 0, 0, 0, i, i) for i in first]
            return [
                (Tier.PREFIX, 0, 0, race_id, order, name_id)
                for race_id in scope
                for order, name_id in enumerate(self._race_names[race_id])
                if self._kinds[name_id] in kinds
            ]
        wanted = self._wanted(kinds, scope)

        found = self._names.matches(
            typed, wanted, min_prefix=1, fuzzy_below=limit, numeric_prefix=True
        )
        start = typed.replace(" ", "")
        keys = self._names.keys
        if scope is None:
            return [
                (tier, edits, not keys[i].startswith(start), 0, i, i)
                for i, (tier, edits) in found.items()
            ]
        ranked: list[tuple[int, int, int, int, int, int]] = []
        for i, (tier, edits) in found.items():
            race_id, entry_ids = self._newest(i, scope)
            ranked.append((tier, edits, not keys[i].startswith(start), race_id, entry_ids[0], i))
        return ranked

    def _name_choice(
        self, kind: SuggestKind, name_id: int, scope: tuple[int, ...] | None
    ) -> Suggestion:
        """A name as a choice, labelled with its cars (newest race in scope)."""
        name_kind = self._kinds[name_id]
        display = self._displays[name_id]
        race_id, entries = self._newest(name_id, scope)
        cars = [self._races[race_id].entries[i] for i in entries]
        if kind is SuggestKind.CAR:
            return _car_choice(cars[0])
        if name_kind is NameKind.DRIVER:
            detail = ", ".join(car_label(car) for car in cars)
        else:
            detail = ", ".join(f"#{car.number}" for car in cars)
        if kind is SuggestKind.QUERY:
            detail = f"{name_kind}: {detail}"
        return Suggestion(label=_choice(f"{display} ({detail})"), value=_choice(display))

    def _wanted(self, kinds: frozenset[NameKind], scope: tuple[int, ...] | None) -> frozenset[int]:
        """Ids of names of these kinds that appear in any race of the scope (None: all races)."""
        of_kind = self._kind_sets[kinds]
        if scope is None:
            return of_kind
        in_scope = frozenset().union(*(self._race_sets[race_id] for race_id in scope))
        return in_scope if len(of_kind) == len(self._kinds) else in_scope & of_kind

    def _suggest_classes(self, typed: str, scope: tuple[int, ...], limit: int) -> list[Suggestion]:
        key = typed.replace(" ", "")
        counts: dict[str, int] = {}
        for race_id in scope:
            for entry in self._races[race_id].entries:
                counts[entry.class_] = counts.get(entry.class_, 0) + 1
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
                label=_choice(f"{name} ({plural(counts[name], 'car')})"),
                value=_choice(name),
            )
            for _, _, name in ranked[:limit]
        ]

    def _suggest_races(self, typed: str, limit: int) -> list[Suggestion]:
        if typed:
            found = self._race_index.matches(
                typed, min_prefix=1, fuzzy_below=limit, numeric_prefix=True
            )
            ids = [i for _, i in sorted((match, i) for i, match in found.items())]
        else:
            ids = list(range(len(self._races)))
        return [
            Suggestion(
                label=_choice(race_label(self._races[i])), value=_choice(self._race_values[i])
            )
            for i in ids[:limit]
        ]

    # ------------------------------------------------------------------ helpers

    def _select_race(self, race: str | None) -> int | Answer:
        """The race a selector picks (default the latest), or why it picks none."""
        if not self._races:
            return self._no_races
        if race is None or not isinstance(race, str) or not strip_controls(race).strip():
            return 0
        cleaned = self._clean(race, Subject.RACE)
        if not isinstance(cleaned, tuple):
            return cleaned
        shown, text = cleaned
        hits = sorted(hit.id for hit in self._race_index.search(text))
        if not hits and _labelled(shown):
            hits = sorted(hit.id for hit in self._race_index.search(_labelled(shown)))
        if len(hits) == 1:
            return hits[0]
        if hits:
            return AmbiguousAnswer(
                subject=Subject.RACE,
                query=shown,
                options=tuple(race_label(self._races[i]) for i in hits[:MAX_OPTIONS]),
                more=max(0, len(hits) - MAX_OPTIONS),
            )
        near = self._race_index.near(text, limit=MAX_DID_YOU_MEAN)
        return NotFoundAnswer(
            subject=Subject.RACE,
            query=shown,
            suggestions=tuple(self._races[i].title for i in near),
        )

    def _clean(self, text: str | None, subject: Subject) -> tuple[str, str] | Answer:
        """(what was typed, tidied for display; its normalised form), or why it can't be asked."""
        raw = strip_controls(text) if isinstance(text, str) else ""
        shown = " ".join(raw.split())
        if not shown:
            return InvalidAnswer(message=_EMPTY_QUESTION.get(subject, "Type something to look up."))
        if len(shown) > MAX_QUERY_LENGTH:
            return InvalidAnswer(
                message=f"That is too long to look up ({len(shown)} characters): "
                f"keep it to {MAX_QUERY_LENGTH} characters or fewer."
            )
        normalised = normalise(shown)
        if not normalised:
            return NotFoundAnswer(subject=subject, query=shown)
        return shown, normalised

    def _class_named(self, race_id: int, text: str) -> str | None:
        """The class of the race whose name this normalised text spells ("lmp 900"), if any."""
        return self._class_keys[race_id].get(compact(text))

    @staticmethod
    def _number_key(text: str) -> str:
        """A car number as its index key ("#3", "No. 3", "car 3" are "3"), or "" if it is none.

        Read from what was typed, not the normalised text, which drops dots: "1.6" or "3 8"
        must not become car 16 or 38.
        """
        match = _CAR_NUMBER.fullmatch(text.strip())
        return compact(normalise(match[1])) if match else ""

    def _first(self, name_id: int, race_id: int) -> int:
        return self._postings[name_id][race_id][0]

    def _newest(self, name_id: int, scope: tuple[int, ...] | None) -> tuple[int, list[int]]:
        """The newest race in scope a name appears in, and its entries there."""
        for race_id, entry_ids in self._postings[name_id].items():
            if scope is None or race_id in scope:
                return race_id, entry_ids
        race_id = next(iter(self._postings[name_id]))
        return race_id, self._postings[name_id][race_id]

    def _driver_label(self, name_id: int, scope: int | None) -> str:
        """A driver as an option: name and newest car, and how many races when several."""
        appearances = self._postings[name_id]
        race_id, entry_ids = self._newest(name_id, None if scope is None else (scope,))
        cars = ", ".join(car_label(self._races[race_id].entries[i]) for i in entry_ids)
        if scope is None and len(appearances) > 1:
            cars += f"; {len(appearances)} races"
        return f"{self._displays[name_id]} ({cars})"

    def _did_you_mean(
        self, text: str, race_id: int | None, accept: frozenset[int]
    ) -> tuple[str, ...]:
        """Up to three close names (looser than a match), without repeats."""
        suggestions: list[str] = []
        if race_id is not None and text.replace(" ", "").isdigit():
            suggestions.extend(self._near_numbers(self._number_key(text), race_id))
        for name_id in self._names.near(text, accept, limit=MAX_DID_YOU_MEAN * 2):
            display = self._displays[name_id]
            if display not in suggestions:
                suggestions.append(display)
        return tuple(suggestions[:MAX_DID_YOU_MEAN])

    def _near_numbers(self, key: str, race_id: int) -> tuple[str, ...]:
        """Car numbers one keystroke away, or that start with what was typed."""
        if not key:
            return ()
        close = []
        for code, entry_ids in self._numbers[race_id].items():
            starts = code.startswith(key)
            distance = OSA.distance(key, code, score_cutoff=1)
            if starts or distance <= 1:
                close.append((not starts, distance, entry_ids[0]))
        close.sort()
        entries = self._races[race_id].entries
        return tuple(f"#{entries[i].number}" for _, _, i in close[:MAX_DID_YOU_MEAN])


def _labelled(shown: str) -> str:
    """The name part of an option label like "Clint Field (#30 Intersport Racing)", normalised;
    empty when the text is not shaped like one."""
    name, bracket, _ = shown.partition(" (")
    return normalise(name) if bracket and shown.endswith(")") else ""


def _car_choice(entry: Entry) -> Suggestion:
    """A car as an autocomplete choice: its number, labelled with team, class and drivers."""
    drivers = " / ".join(entry.drivers)
    label = f"{car_label(entry)} ({entry.class_})" + (f": {drivers}" if drivers else "")
    return Suggestion(label=_choice(label), value=_choice(entry.number))
