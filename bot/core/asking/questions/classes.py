"""/class: a class's full order, or every class's winner."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    ClassAnswer,
    ClassWinnersAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.questions.common import clean, given, pick_race
from bot.core.asking.questions.offers import Asking, belongs_elsewhere
from bot.core.documents.model import Race
from bot.core.formats import clip, plural
from bot.core.library.catalogue import Catalogue
from bot.core.limits import MAX_CHOICE_LABEL, MAX_DID_YOU_MEAN, MAX_OFFERS
from bot.core.matching import compact, normalise, strip_controls


def class_results(
    catalogue: Catalogue, class_: str | None = None, race: str | None = None
) -> Answer:
    """A class's full order (winner first), or with no class every class's winner."""
    typed = " ".join(strip_controls(class_).split()) if isinstance(class_, str) else ""
    picked, corrections = pick_race(
        catalogue, race, Asking("class", ("class", typed) if typed else None)
    )
    chosen = catalogue.races[picked]
    if not given(class_):
        return ClassWinnersAnswer(
            race=chosen, winners=chosen.class_winners(), corrections=corrections
        )
    shown, text = clean(class_, Subject.CLASS)
    words = text.split()
    if len(words) > 1 and "class" in words:  # "GTS class" is GTS
        words = [word for word in words if word != "class"]
    key = "".join(words)
    if exact := catalogue.class_named(picked, key):
        entries = chosen.class_entries(exact)
        return ClassAnswer(race=chosen, class_=exact, entries=entries, corrections=corrections)
    classes = {compact(normalise(name)): name for name in chosen.classes}
    starting = [name for code, name in classes.items() if code.startswith(key)]
    if len(starting) == 1:
        entries = chosen.class_entries(starting[0])
        return ClassAnswer(
            race=chosen, class_=starting[0], entries=entries, corrections=corrections
        )
    race_value = catalogue.race_values[picked] if given(race) else None
    if len(starting) > 1:
        return AmbiguousAnswer(
            subject=Subject.CLASS,
            query=shown,
            options=tuple(starting),
            choices=_class_choices(chosen, starting, race_value),
        )
    return _miss(catalogue, picked, shown, text, key, race_value)


def _miss(
    catalogue: Catalogue, picked: int, shown: str, text: str, key: str, race_value: str | None
) -> Answer:
    """No class: where a car number or name belongs instead, else the classes close to it."""
    chosen = catalogue.races[picked]
    ran = catalogue.class_races(key)
    if ran:  # the class ran elsewhere: its order in the last race it ran, said so
        race_id, name = ran[0]
        there = catalogue.races[race_id]
        note = f"{name} did not run at {chosen.title}; it last ran at {there.title}"
        return ClassAnswer(
            race=there, class_=name, entries=there.class_entries(name), notes=(note,)
        )
    if pointer := belongs_elsewhere(catalogue, "class", "a class", shown, text, race_value):
        hint, choice = pointer
        return NotFoundAnswer(
            subject=Subject.CLASS,
            query=shown,
            hint=hint,
            choices=(choice,),
            searched=chosen.title,
        )
    classes = {compact(normalise(name)): name for name in chosen.classes}
    close = process.extract(key, list(classes), scorer=fuzz.ratio, score_cutoff=50, limit=3)
    suggestions = [classes[code] for code, _, _ in close]  # none close: none offered
    return NotFoundAnswer(
        subject=Subject.CLASS,
        query=shown,
        suggestions=tuple(suggestions[:MAX_DID_YOU_MEAN]),
        choices=_class_choices(chosen, suggestions, race_value),
        searched=chosen.title,
    )


def _class_choices(race: Race, names: list[str], race_value: str | None) -> tuple[Choice, ...]:
    """Each class as the /class question that answers it: "GTS · 9 cars"."""
    choices = []
    for name in names[:MAX_OFFERS]:
        options = [("class", name)] + ([("race", race_value)] if race_value else [])
        label = clip(f"{name} · {plural(len(race.class_entries(name)), 'car')}", MAX_CHOICE_LABEL)
        choices.append(Choice(label=label, command="class", options=tuple(options)))
    return tuple(choices)
