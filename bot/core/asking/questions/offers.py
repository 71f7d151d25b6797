"""Offers: the questions a reply puts one tap away, and the words that belong to another command.

A `Choice` asks its question exactly (a whole name, a race by the value that selects it alone), so
pressing it gives the answer rather than another offer. `Asking` remembers what was asked, so a
choice can ask the same question with one thing changed (the name, or the race).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bot.core.asking.answers import Choice
from bot.core.documents.model import Entry, Race, RaceSummary
from bot.core.formats import car_label, clip, long_date
from bot.core.library.catalogue import Catalogue, NameKind, number_key
from bot.core.limits import MAX_CHOICE_LABEL, MAX_OFFERS

SEPARATOR: Final = " · "

# Words that ask for something another command answers: (command, what it answers).
_OTHER_COMMANDS: Final = {
    "fastest lap": ("stats", "the fastest lap"),
    "fastest": ("stats", "the fastest lap"),
    "fastest laps": ("stats", "the fastest lap"),
    "pole": ("stats", "pole position"),
    "pole position": ("stats", "pole position"),
    "pole sitter": ("stats", "pole position"),
    "polesitter": ("stats", "pole position"),
    "winner": ("race", "the winner"),
    "winners": ("race", "the winners"),
    "who won": ("race", "the winner"),
    "race winner": ("race", "the winner"),
    "overall winner": ("race", "the winner"),
    "class winners": ("class", "every class winner"),
}


@dataclass(frozen=True, slots=True)
class Asking:
    """The question being answered: its command and its first option as typed, if any."""

    command: str
    first: tuple[str, str] | None = None

    def again(self, catalogue: Catalogue, label: str, race_id: int | None) -> Choice:
        """This question asked again in another race (None: without a race)."""
        options = [self.first] if self.first else []
        if race_id is not None:
            options.append(("race", catalogue.race_values[race_id]))
        return Choice(
            label=clip(label, MAX_CHOICE_LABEL), command=self.command, options=tuple(options)
        )

    def named(self, catalogue: Catalogue, label: str, value: str, race_id: int | None) -> Choice:
        """This question asked with its first option replaced by `value` (a whole name)."""
        name = self.first[0] if self.first else "query"
        return Asking(self.command, (name, value)).again(catalogue, label, race_id)


def race_choice_label(race: Race | RaceSummary) -> str:
    """A race as a choice: "2003 Grand Prix of Sonoma · July 27, 2003"."""
    return SEPARATOR.join(part for part in (race.title, long_date(race.date)) if part)


def name_choice_label(catalogue: Catalogue, name_id: int, scope: int | None) -> str:
    """A name as a choice: "Clint Field · #30 Intersport Racing" (newest car in scope)."""
    race_id, entry_ids = catalogue.newest(name_id, None if scope is None else (scope,))
    cars = catalogue.library.entries((race_id, i) for i in entry_ids)  # not the whole race
    if catalogue.kinds[name_id] is NameKind.DRIVER:
        detail = ", ".join(map(car_label, cars))
    else:
        detail = f"{catalogue.kinds[name_id]}: " + ", ".join(f"#{car.number}" for car in cars)
    races = len(catalogue.postings[name_id])
    if scope is None and races > 1:
        detail += f"; {races} races"
    return f"{catalogue.displays[name_id]}{SEPARATOR}{detail}"


def car_choice_label(entry: Entry, race: Race | RaceSummary | None = None) -> str:
    """A car as a choice: "#50 Team · 2003 Petit Le Mans" (the race when it says where)."""
    parts = [car_label(entry), entry.class_]
    if race is not None:
        parts.append(race.title)
    return SEPARATOR.join(parts)


def name_choices(
    catalogue: Catalogue,
    asking: Asking,
    name_ids: Iterable[int],
    scope: int | None,
    race_given: bool,
) -> tuple[Choice, ...]:
    """Each name as the question that answers it exactly (in the race asked about, if any)."""
    return tuple(
        asking.named(
            catalogue,
            name_choice_label(catalogue, name_id, scope),
            catalogue.displays[name_id],
            scope if race_given else None,
        )
        for name_id in list(name_ids)[:MAX_OFFERS]
    )


def other_command(text: str, race_value: str | None) -> tuple[str, Choice] | None:
    """When normalised words ask what another command answers ("fastest lap", "who won"):
    the hint that says so, and that command as a choice."""
    found = _OTHER_COMMANDS.get(text)
    if found is None:
        return None
    command, what = found
    options = (("race", race_value),) if race_value else ()
    shown = f"/{command}" + (f" race:{race_value}" if race_value else "")
    hint = f"{what[0].upper()}{what[1:]} is answered by /{command}: try {shown}"
    return hint, Choice(label=clip(shown, MAX_CHOICE_LABEL), command=command, options=options)


def belongs_elsewhere(
    catalogue: Catalogue, command: str, takes: str, shown: str, text: str, race: str | None
) -> tuple[str, Choice] | None:
    """When what `command` was given is a car number, a driver or another name, or words another
    command answers: the hint that points there, and that question as a choice (in `race`)."""
    if pointer := other_command(text, race):
        return pointer
    in_race = (("race", race),) if race else ()
    key = number_key(shown)
    if key and catalogue.races_with_number(key):
        command_to, option, what = "car", "number", ""
    elif hits := catalogue.names.search(text, fuzzy=False):
        drivers = all(catalogue.kinds[hit.id] is NameKind.DRIVER for hit in hits)
        command_to, option = ("driver", "name") if drivers else ("result", "query")
        what = "" if drivers else "'s result"
    else:
        return None
    hint = f"/{command} takes {takes}; for {shown}{what} try /{command_to} {shown}"
    label = clip(f"/{command_to} {shown}", MAX_CHOICE_LABEL)
    return hint, Choice(label=label, command=command_to, options=((option, shown), *in_race))
