"""/result and /car: the cars a name or a number finds in one race, in finishing order."""

from __future__ import annotations

from bot.core.asking.answers import (
    Answer,
    Choice,
    ClassAnswer,
    Correction,
    NotFoundAnswer,
    ResultsAnswer,
    Subject,
)
from bot.core.asking.questions.common import (
    clean,
    elsewhere,
    find_names,
    near_names,
    near_numbers,
    pick_race,
)
from bot.core.asking.questions.offers import (
    Asking,
    car_choice_label,
    name_choices,
    other_command,
    race_choice_label,
)
from bot.core.formats import car_label, clip
from bot.core.library.catalogue import KIND_ORDER, Catalogue, number_key
from bot.core.limits import MAX_CHOICE_LABEL, MAX_DID_YOU_MEAN, MAX_OFFERS
from bot.core.matching import Tier, strip_controls


def _typed(text: str | None) -> str:
    """An option as typed, tidied (for offers that ask the question again)."""
    return " ".join(strip_controls(text).split()) if isinstance(text, str) else ""


def result(catalogue: Catalogue, query: str, race: str | None = None) -> Answer:
    """The cars a team, driver, car number, chassis or engine matches, in finishing order."""
    typed = _typed(query)
    asking = Asking("result", ("query", typed) if typed else None)
    picked, corrections = pick_race(catalogue, race, asking)
    shown, text = clean(query, Subject.QUERY)
    chosen = catalogue.races[picked]
    race_given = race is not None and bool(_typed(race))
    if pointer := other_command(text, catalogue.race_values[picked] if race_given else None):
        hint, choice = pointer
        return NotFoundAnswer(subject=Subject.QUERY, query=shown, hint=hint, choices=(choice,))
    number_hits = catalogue.numbers[picked].get(number_key(shown), ())
    numeric = text.replace(" ", "").isdigit()
    in_race = catalogue.race_sets[picked]
    # A number is never a prefix or a typo of another: "5" must not find "56" or "550".
    search = {"fuzzy": not numeric, "min_prefix": len(text) + 1 if numeric else 3}
    found = find_names(catalogue, shown, text, in_race, **search)
    exact = found.tier is Tier.EXACT
    name_ids = found.ids if exact or not number_hits else []
    # "/result GT" means the GT class, not a chassis whose name starts with "GT".
    class_name = catalogue.class_named(picked, text)
    if class_name and not number_hits and not exact:
        entries = chosen.class_entries(class_name)
        return ClassAnswer(race=chosen, class_=class_name, entries=entries, corrections=corrections)
    if not number_hits and not exact and (ran := catalogue.class_races(text)):
        return _class_pointer(catalogue, shown, ran[0][1], picked, race_given)
    if not number_hits and (not found.ids or not found.sure):
        return _offer(catalogue, asking, shown, text, found.ids, picked, race_given)
    matched = [f"car #{chosen.entries[i].number}" for i in number_hits[:1]]
    entry_ids = set(number_hits)
    for name_id in sorted(
        name_ids, key=lambda i: (KIND_ORDER[catalogue.kinds[i]], catalogue.first(i, picked))
    ):
        matched.append(f"{catalogue.kinds[name_id]} {catalogue.displays[name_id]}")
        entry_ids.update(catalogue.postings[name_id][picked])
    if found.corrected and name_ids:
        corrections = (Correction(typed=shown, read_as=", ".join(matched)), *corrections)
    return ResultsAnswer(
        race=chosen,
        query=shown,
        matched=tuple(matched),
        cars=tuple(chosen.entries[i] for i in sorted(entry_ids)),
        corrections=corrections,
        notes=catalogue.grouped(name_ids),
    )


def _class_pointer(
    catalogue: Catalogue, shown: str, class_: str, picked: int, race_given: bool
) -> NotFoundAnswer:
    """A class name typed into /result, of a race that did not run it: never a chassis search,
    but /class, which answers where the class ran."""
    in_race = (("race", catalogue.race_values[picked]),) if race_given else ()
    options = (("class", class_), *in_race)
    label = clip(f"/class {class_}", MAX_CHOICE_LABEL)
    return NotFoundAnswer(
        subject=Subject.QUERY,
        query=shown,
        hint=f"{class_} is a class: try /class {class_}",
        choices=(Choice(label=label, command="class", options=options),),
        searched=catalogue.summaries[picked].title,
    )


def _offer(
    catalogue: Catalogue,
    asking: Asking,
    shown: str,
    text: str,
    guessed: list[int],
    picked: int,
    race_given: bool,
) -> NotFoundAnswer:
    """Nothing for sure in the race: the guesses or near names and numbers offered, and the
    other loaded races where what was typed is found."""
    others = [] if guessed else _found_elsewhere(catalogue, shown, text, picked)
    choices = [
        asking.again(catalogue, race_choice_label(catalogue.summaries[i]), i) for i in others
    ]
    close = guessed or ([] if others else near_names(catalogue, text, catalogue.race_sets[picked]))
    numbers = () if guessed or others else near_numbers(catalogue, shown, picked)
    choices += _number_choices(catalogue, numbers, picked, race_given)
    choices += name_choices(catalogue, asking, close, picked, race_given)
    suggestions = [*numbers, *(catalogue.displays[i] for i in close)]
    return NotFoundAnswer(
        subject=Subject.QUERY,
        query=shown,
        suggestions=tuple(dict.fromkeys(suggestions))[:MAX_DID_YOU_MEAN],
        choices=tuple(choices[:MAX_OFFERS]),
        searched=catalogue.summaries[picked].title,
        elsewhere=tuple(catalogue.summaries[i].title for i in others),
    )


def _found_elsewhere(catalogue: Catalogue, shown: str, text: str, picked: int) -> list[int]:
    """Other loaded races where the name or car number is found for sure."""
    key = number_key(shown)
    if key:
        return [i for i in catalogue.races_with_number(key) if i != picked]
    anywhere = find_names(catalogue, shown, text, frozenset(range(len(catalogue.kinds))))
    return elsewhere(catalogue, anywhere.ids, picked) if anywhere.sure else []


def _number_choices(
    catalogue: Catalogue, numbers: tuple[str, ...], picked: int, race_given: bool
) -> list[Choice]:
    """Near car numbers ("#10") as /car questions in the race searched."""
    choices = []
    for number in numbers:
        entry_id = catalogue.numbers[picked][number_key(number)][0]
        entry = catalogue.entry(picked, entry_id)  # not the whole race
        options = [("number", entry.number)]
        if race_given:
            options.append(("race", catalogue.race_values[picked]))
        label = clip(car_choice_label(entry), MAX_CHOICE_LABEL)
        choices.append(Choice(label=label, command="car", options=tuple(options)))
    return choices


def car(catalogue: Catalogue, number: str, race: str | None = None) -> Answer:
    """The car with exactly this number ("#3" is 3; "03" is not 3)."""
    typed = _typed(number)
    asking = Asking("car", ("number", typed) if typed else None)
    picked, corrections = pick_race(catalogue, race, asking)
    shown, _ = clean(number, Subject.CAR)
    chosen = catalogue.races[picked]
    key = number_key(shown)
    entry_ids = catalogue.numbers[picked].get(key)
    if entry_ids:
        return ResultsAnswer(
            race=chosen,
            query=shown,
            matched=(f"car #{chosen.entries[entry_ids[0]].number}",),
            cars=tuple(chosen.entries[i] for i in entry_ids),
            corrections=corrections,
        )
    race_given = race is not None and bool(_typed(race))
    others = [i for i in catalogue.races_with_number(key) if i != picked]
    choices = []
    for race_id in others[:MAX_OFFERS]:  # each car read alone: a number may have raced 1,000 times
        entry = catalogue.entry(race_id, catalogue.numbers[race_id][key][0])
        label = car_choice_label(entry, catalogue.summaries[race_id])
        choices.append(asking.again(catalogue, label, race_id))
    near = near_numbers(catalogue, shown, picked)
    choices += _number_choices(catalogue, near, picked, race_given)
    hint = "" if others or near else _alike_elsewhere(catalogue, shown, key, choices)
    return NotFoundAnswer(
        subject=Subject.CAR,
        query=shown,
        suggestions=near,
        choices=tuple(choices[:MAX_OFFERS]),
        searched=chosen.title,
        elsewhere=tuple(catalogue.summaries[i].title for i in others),
        hint=hint,
    )


def _alike_elsewhere(catalogue: Catalogue, shown: str, key: str, choices: list[Choice]) -> str:
    """A number found nowhere, said with the cars whose numbers look alike ("No #7 here;
    #007 Aston Martin Racing ran in the 2005 Portland Grand Prix"), each offered."""
    ran = []
    for alike in catalogue.look_alike_numbers(key):
        race_id = catalogue.races_with_number(alike)[0]
        entry = catalogue.entry(race_id, catalogue.numbers[race_id][alike][0])
        ran.append(f"{car_label(entry)} ran in the {catalogue.summaries[race_id].title}")
        label = clip(car_choice_label(entry, catalogue.summaries[race_id]), MAX_CHOICE_LABEL)
        options = (("number", entry.number), ("race", catalogue.race_values[race_id]))
        choices.append(Choice(label=label, command="car", options=options))
    if not ran:
        return ""
    return f"No #{shown.lstrip('#')} in any loaded race; " + "; ".join(ran[:MAX_DID_YOU_MEAN])
