"""What every question shares: the refusal, cleaning what was typed, choosing the race."""

from __future__ import annotations

from typing import Final

from rapidfuzz.distance import OSA

from bot.core.answers import AmbiguousAnswer, Answer, InvalidAnswer, NotFoundAnswer, Subject
from bot.core.catalogue import Catalogue, number_key
from bot.core.formats import long_date
from bot.core.limits import MAX_DID_YOU_MEAN, MAX_OPTION_LENGTH, MAX_OPTIONS
from bot.core.matching import normalise, strip_controls
from bot.core.model import Race

NO_RACES: Final = "No races are loaded: put race documents in the seeds folder and restart."
_EMPTY_QUESTION: Final = {
    Subject.QUERY: "Type a team, driver, car number or chassis to look up, e.g. Dyson or 03.",
    Subject.DRIVER: "Type a driver's name to look up, e.g. Johnny Herbert.",
    Subject.CAR: "Type a car number to look up, e.g. 3 or 03 (they are different cars).",
}


class Refused(Exception):
    """A question that cannot be answered as asked; carries the answer that says why."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer)
        self.answer = answer


def race_label(race: Race) -> str:
    """A race as a person tells it apart: title, circuit and date."""
    facts = [race.circuit] if race.circuit else []
    if race.date:
        facts.append(long_date(race.date))
    return f"{race.title} ({', '.join(facts)})" if facts else race.title


def given(text: str | None) -> bool:
    """Whether an optional option was given (not absent, empty or only control characters)."""
    return isinstance(text, str) and bool(strip_controls(text).strip())


def clean(text: str | None, subject: Subject) -> tuple[str, str]:
    """What was typed, tidied for display, and its normalised form; refused if it can't be asked."""
    raw = strip_controls(text) if isinstance(text, str) else ""
    shown = " ".join(raw.split())
    if not shown:
        message = _EMPTY_QUESTION.get(subject, "Type something to look up.")
        raise Refused(InvalidAnswer(message=message))
    if len(shown) > MAX_OPTION_LENGTH:
        raise Refused(
            InvalidAnswer(
                message=f"That is too long to look up ({len(shown)} characters): "
                f"keep it to {MAX_OPTION_LENGTH} characters or fewer."
            )
        )
    normalised = normalise(shown)
    if not normalised:
        raise Refused(NotFoundAnswer(subject=subject, query=shown))
    return shown, normalised


def require_races(catalogue: Catalogue) -> None:
    """Refuse every question about races when none are loaded."""
    if not catalogue.races:
        raise Refused(InvalidAnswer(message=NO_RACES))


def select_race(catalogue: Catalogue, race: str | None) -> int:
    """The race a selector picks (default the latest); refused when it picks none or several."""
    require_races(catalogue)
    if not given(race):
        return 0
    shown, text = clean(race, Subject.RACE)
    hits = sorted(hit.id for hit in catalogue.race_index.search(text))
    if not hits and labelled(shown):
        hits = sorted(hit.id for hit in catalogue.race_index.search(labelled(shown)))
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise Refused(
            AmbiguousAnswer(
                subject=Subject.RACE,
                query=shown,
                options=tuple(race_label(catalogue.races[i]) for i in hits[:MAX_OPTIONS]),
                more=max(0, len(hits) - MAX_OPTIONS),
            )
        )
    near = catalogue.race_index.near(text, limit=MAX_DID_YOU_MEAN)
    raise Refused(
        NotFoundAnswer(
            subject=Subject.RACE,
            query=shown,
            suggestions=tuple(catalogue.races[i].title for i in near),
        )
    )


def labelled(shown: str) -> str:
    """The name part of an option label like "Clint Field (#30 Intersport Racing)", normalised;
    empty when the text is not shaped like one."""
    name, bracket, _ = shown.partition(" (")
    return normalise(name) if bracket and shown.endswith(")") else ""


def did_you_mean(
    catalogue: Catalogue, text: str, race_id: int | None, accept: frozenset[int]
) -> tuple[str, ...]:
    """Up to three close names (looser than a match), without repeats."""
    suggestions: list[str] = []
    if race_id is not None and text.replace(" ", "").isdigit():
        suggestions.extend(near_numbers(catalogue, number_key(text), race_id))
    for name_id in catalogue.names.near(text, accept, limit=MAX_DID_YOU_MEAN * 2):
        display = catalogue.displays[name_id]
        if display not in suggestions:
            suggestions.append(display)
    return tuple(suggestions[:MAX_DID_YOU_MEAN])


def near_numbers(catalogue: Catalogue, key: str, race_id: int) -> tuple[str, ...]:
    """Car numbers one keystroke away, or that start with what was typed."""
    if not key:
        return ()
    close = []
    for code, entry_ids in catalogue.numbers[race_id].items():
        starts = code.startswith(key)
        distance = OSA.distance(key, code, score_cutoff=1)
        if starts or distance <= 1:
            close.append((not starts, distance, entry_ids[0]))
    close.sort()
    entries = catalogue.races[race_id].entries
    return tuple(f"#{entries[i].number}" for _, _, i in close[:MAX_DID_YOU_MEAN])
