"""/result and /car: the cars a name or a number finds in one race, in finishing order."""

from __future__ import annotations

from bot.core.answers import Answer, ClassAnswer, NotFoundAnswer, ResultsAnswer, Subject
from bot.core.catalogue import KIND_ORDER, Catalogue, number_key
from bot.core.matching import Tier, compact
from bot.core.questions.common import clean, did_you_mean, near_numbers, select_race


def result(catalogue: Catalogue, query: str, race: str | None = None) -> Answer:
    """The cars a team, driver, car number, chassis or engine matches, in finishing order."""
    picked = select_race(catalogue, race)
    shown, text = clean(query, Subject.QUERY)
    chosen = catalogue.races[picked]
    number_hits = catalogue.numbers[picked].get(number_key(shown), [])
    numeric = text.replace(" ", "").isdigit()
    in_race = catalogue.race_sets[picked]
    # A number is never a prefix or a typo of another: "5" must not find "56" or "550".
    hits = catalogue.names.search(
        text, in_race, fuzzy=not numeric, min_prefix=len(text) + 1 if numeric else 3
    )
    if number_hits:  # a car number is an exact match: only exact names stand beside it
        hits = [hit for hit in hits if hit.tier is Tier.EXACT]
    # "/result GT" means the GT class, not a chassis whose name starts with "GT".
    class_name = catalogue.class_named(picked, text)
    if class_name and not number_hits and all(hit.tier is not Tier.EXACT for hit in hits):
        return ClassAnswer(race=chosen, class_=class_name, entries=chosen.class_entries(class_name))
    if not hits and not number_hits:
        return NotFoundAnswer(
            subject=Subject.QUERY,
            query=shown,
            suggestions=did_you_mean(catalogue, text, picked, in_race),
        )
    matched = [f"car #{chosen.entries[i].number}" for i in number_hits[:1]]
    entry_ids = set(number_hits)
    for hit in sorted(
        hits, key=lambda h: (KIND_ORDER[catalogue.kinds[h.id]], catalogue.first(h.id, picked))
    ):
        matched.append(f"{catalogue.kinds[hit.id]} {catalogue.displays[hit.id]}")
        entry_ids.update(catalogue.postings[hit.id][picked])
    return ResultsAnswer(
        race=chosen,
        query=shown,
        matched=tuple(matched),
        cars=tuple(chosen.entries[i] for i in sorted(entry_ids)),
    )


def car(catalogue: Catalogue, number: str, race: str | None = None) -> Answer:
    """The car with exactly this number ("#3" is 3; "03" is not 3)."""
    picked = select_race(catalogue, race)
    shown, text = clean(number, Subject.CAR)
    chosen = catalogue.races[picked]
    key = number_key(shown)
    entry_ids = catalogue.numbers[picked].get(key)
    if entry_ids:
        return ResultsAnswer(
            race=chosen,
            query=shown,
            matched=(f"car #{chosen.entries[entry_ids[0]].number}",),
            cars=tuple(chosen.entries[i] for i in entry_ids),
        )
    near = near_numbers(catalogue, key or compact(text), picked)
    return NotFoundAnswer(subject=Subject.CAR, query=shown, suggestions=near)
