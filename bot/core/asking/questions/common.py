"""What every question shares: the refusal, cleaning what was typed, choosing the race."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from rapidfuzz.distance import OSA

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    Correction,
    DriverRace,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.asking.commands import too_long
from bot.core.asking.questions.offers import SEPARATOR, Asking, belongs_elsewhere, race_choice_label
from bot.core.collector import collector_paused
from bot.core.documents.model import Race, RaceSummary, constructed_all
from bot.core.formats import long_date
from bot.core.library.catalogue import Catalogue, number_key
from bot.core.limits import (
    MAX_DID_YOU_MEAN,
    MAX_OFFERS,
    MAX_OPTION_LENGTH,
    MAX_OPTIONS,
)
from bot.core.matching import Hit, Tier, normalise, strip_controls

NO_RACES: Final = "No races are loaded: put race documents in the seeds folder and restart."
_RACE_ONLY: Final = frozenset({"stats", "race", "chart"})
"""Commands whose one option is the race, so anything else typed there belongs elsewhere."""
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


def race_label(race: Race | RaceSummary) -> str:
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
        raise Refused(InvalidAnswer(message=too_long(len(shown))))
    normalised = normalise(shown)
    if not normalised:
        raise Refused(NotFoundAnswer(subject=subject, query=shown))
    return shown, normalised


def require_races(catalogue: Catalogue) -> None:
    """Refuse every question about races when none are loaded."""
    if not catalogue.races:
        raise Refused(InvalidAnswer(message=NO_RACES))


def pick_race(
    catalogue: Catalogue, race: str | None, asking: Asking | None = None
) -> tuple[int, tuple[Correction, ...]]:
    """The race a selector picks (default the latest) and the typo it was read through, if any;
    refused when it picks none or several, or only by a guess (offered then, not answered)."""
    require_races(catalogue)
    if not given(race):
        return 0, ()
    asking = asking or Asking("race")
    shown, text = clean(race, Subject.RACE)
    index = catalogue.race_index
    special = race_words(catalogue, text)
    if special is not None:
        hits = [Hit(race_id, Tier.TOKEN) for race_id in special]
    else:
        hits = index.search(text) or (index.search(labelled(shown)) if labelled(shown) else [])
    ids = sorted(hit.id for hit in hits)
    sure = bool(hits) and (hits[0].tier is not Tier.FUZZY or index.reading(text) is not None)
    if len(ids) == 1 and sure:
        corrections: tuple[Correction, ...] = ()
        read_as = catalogue.summaries[ids[0]].title
        if hits[0].tier is Tier.FUZZY or not _in_title(text, read_as):  # say which race it chose
            corrections = (Correction(typed=shown, read_as=read_as),)
        return ids[0], corrections
    choices = tuple(
        asking.again(catalogue, race_choice_label(catalogue.summaries[i]), i)
        for i in ids[:MAX_OFFERS]
    )
    if ids and sure:
        raise Refused(
            AmbiguousAnswer(
                subject=Subject.RACE,
                query=shown,
                options=tuple(race_label(catalogue.summaries[i]) for i in ids[:MAX_OPTIONS]),
                more=max(0, len(ids) - MAX_OPTIONS),
                choices=choices,
            )
        )
    if special is not None and not ids:  # "previous" with one race, a round not loaded
        count = len(catalogue.summaries)
        raise Refused(
            NotFoundAnswer(
                subject=Subject.RACE,
                query=shown,
                hint=f"{count} race{'' if count == 1 else 's'} loaded: /races lists them",
                choices=(asking.again(catalogue, race_choice_label(catalogue.summaries[0]), 0),),
            )
        )
    near = ids or index.near(text, limit=MAX_DID_YOU_MEAN)
    hint, hinted = _race_hint(catalogue, asking, shown, text)
    raise Refused(
        NotFoundAnswer(
            subject=Subject.RACE,
            query=shown,
            suggestions=tuple(catalogue.summaries[i].title for i in near[:MAX_DID_YOU_MEAN]),
            choices=(*hinted, *choices)
            or tuple(
                asking.again(catalogue, race_choice_label(catalogue.summaries[i]), i) for i in near
            ),
            hint=hint,
        )
    )


LATEST_WORDS: Final = frozenset({"latest", "last", "newest", "recent", "most recent", "current"})
"""What selects the newest race ("last race", "the latest" too)."""
PREVIOUS_WORDS: Final = frozenset({"previous", "prev", "before", "before last", "penultimate"})
"""What selects the race before the newest."""
_RACE_FILLER: Final = frozenset({"the", "race", "one", "grand", "prix", "gp", "event"})
_ROUND: Final = re.compile(r"(?:round|rd|r)\s*([0-9]{1,3})(?:\s+(?:of\s+)?([0-9]{4}))?")
_ROUND_FIRST: Final = re.compile(r"([0-9]{4})\s+(?:round|rd|r)\s*([0-9]{1,3})")


def _in_title(text: str, title: str) -> bool:
    """Whether every word typed starts a word of the title ("sonoma 2003", "beta"): the race
    was named by its title, so the answer's title says which race it is without a word more."""
    words = normalise(title).split()
    return all(any(word.startswith(typed) for word in words) for typed in text.split())


def race_words(catalogue: Catalogue, text: str) -> list[int] | None:
    """The races a selector made of words names (its normalised text): `latest` or `last` the
    newest, `previous` the one before it, `round 3 2003` (or `round 3`) every race of that
    round (and year); None when the text is none of these (it is then matched as names are)."""
    words = [word for word in text.split() if word not in _RACE_FILLER]
    rest = " ".join(words)
    if rest in LATEST_WORDS:
        return [0]
    if rest in PREVIOUS_WORDS:
        return [1] if len(catalogue.summaries) > 1 else []
    match = _ROUND.fullmatch(rest)
    if match:
        number, year = int(match[1]), match[2]
    elif (first := _ROUND_FIRST.fullmatch(rest)) is not None:
        number, year = int(first[2]), first[1]
    else:
        return None
    return [
        race_id
        for race_id, summary in enumerate(catalogue.summaries)
        if summary.round == number and (year is None or summary.year == int(year))
    ]


def _race_hint(
    catalogue: Catalogue, asking: Asking, shown: str, text: str
) -> tuple[str, tuple[Choice, ...]]:
    """When a command that takes only a race was given something else (`/stats Dyson`,
    `/race fastest lap`): where that belongs, and that question as a choice."""
    if asking.command not in _RACE_ONLY:
        return "", ()
    pointer = belongs_elsewhere(catalogue, asking.command, "a race", shown, text, None)
    return (pointer[0], (pointer[1],)) if pointer else ("", ())


def labelled(shown: str) -> str:
    """The name part of an option label like "Clint Field (#30 Intersport Racing)", normalised;
    empty when the text is not shaped like one."""
    name, separator, _ = shown.partition(SEPARATOR)
    if separator:  # a choice's label: "Clint Field · #30 Intersport Racing"
        return normalise(name)
    name, bracket, _ = shown.partition(" (")
    return normalise(name) if bracket and shown.endswith(")") else ""


@dataclass(frozen=True, slots=True)
class Found:
    """The best names a search found, and whether they are an answer or only an offer."""

    ids: list[int]
    tier: Tier | None
    """The tier they matched at (None: nothing matched)."""
    sure: bool
    """Exact, whole-word or prefix, or a typo `NameIndex.reading` finds unmistakable."""
    corrected: bool
    """Read through a typo: the answer says so."""


def find_names(
    catalogue: Catalogue, shown: str, text: str, accept: frozenset[int], **search: Any
) -> Found:
    """The best-tier names for what was typed (or for a choice's label pasted back)."""
    names = catalogue.names
    hits = names.search(text, accept, **search)
    if not hits and labelled(shown):  # an option of an earlier answer, pasted back
        text = labelled(shown)
        hits = names.search(text, accept, **search)
    ids = sorted(hit.id for hit in hits)
    corrected = bool(hits) and hits[0].tier is Tier.FUZZY
    sure = not corrected or names.reading(text, accept) is not None
    if not hits or not sure:
        # A whole name with a slip or two, and no other name near it ("dysn racing").
        whole = names.whole_reading(text, accept)
        if whole is not None:
            return Found([whole], Tier.FUZZY, True, True)
    return Found(ids, hits[0].tier if hits else None, sure, corrected)


def near_names(catalogue: Catalogue, text: str, accept: frozenset[int]) -> list[int]:
    """Names close to what found nothing (looser than a match), distinct by display."""
    seen: set[str] = set()
    ids = []
    for name_id in catalogue.names.near(text, accept, limit=MAX_DID_YOU_MEAN * 2):
        if catalogue.displays[name_id] not in seen:
            seen.add(catalogue.displays[name_id])
            ids.append(name_id)
    return ids


def elsewhere(catalogue: Catalogue, ids: Iterable[int], picked: int) -> list[int]:
    """The other loaded races these names appear in, newest first."""
    return sorted({race_id for i in ids for race_id in catalogue.postings[i]} - {picked})


def near_numbers(catalogue: Catalogue, typed: str, race_id: int) -> tuple[str, ...]:
    """Car numbers one keystroke away from what was typed, or that start with it; none unless
    it reads as a car number."""
    key = number_key(typed)  # not digits pulled out of other text: "<@123>" is no car
    if not key:
        return ()
    close = []
    alike = set(catalogue.look_alike_numbers(key))  # "007" for "7": first, it looks the same
    for code, entry_ids in catalogue.numbers[race_id].items():
        starts = code.startswith(key)
        distance = OSA.distance(key, code, score_cutoff=1)
        if code in alike or starts or distance <= 1:
            close.append((code not in alike, not starts, distance, entry_ids[0]))
    close.sort()
    cars = catalogue.library.entries((race_id, i) for *_, i in close[:MAX_DID_YOU_MEAN])
    return tuple(f"#{car.number}" for car in cars)


def driver_races(
    catalogue: Catalogue, postings: Mapping[int, tuple[int, ...]]
) -> tuple[DriverRace, ...]:
    """Each car of the postings with its race's summary, newest race first (cars read alone,
    all in one call: a driver may have raced in hundreds of races)."""
    # Made directly, all at once: a summary and a car are checked already, and a driver may
    # have a thousand.
    summaries = catalogue.summaries
    cars = [(race_id, car) for race_id, car_ids in sorted(postings.items()) for car in car_ids]
    # Without cyclic collections meanwhile: the thousand objects made here have no cycles and
    # live as long as the answer, and collections in the middle of making them walked them for
    # nothing (one every 700 objects, a larger one every tenth: 0.2-0.6 ms at 10,000 races).
    with collector_paused():
        entries = catalogue.library.entries(cars)
        values = [
            {"race": summaries[race_id], "entry": entry}
            for (race_id, _), entry in zip(cars, entries, strict=True)
        ]
        return tuple(constructed_all(DriverRace, values, _DRIVER_RACE_FIELDS))


_DRIVER_RACE_FIELDS: Final = set(DriverRace.model_fields)
