"""/class: a class's full order, or every class's winner."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.core.answers import (
    AmbiguousAnswer,
    Answer,
    ClassAnswer,
    ClassWinnersAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.core.catalogue import Catalogue
from bot.core.limits import MAX_DID_YOU_MEAN
from bot.core.matching import compact, normalise
from bot.core.questions.common import clean, given, select_race


def class_results(
    catalogue: Catalogue, class_: str | None = None, race: str | None = None
) -> Answer:
    """A class's full order (winner first), or with no class every class's winner."""
    picked = select_race(catalogue, race)
    chosen = catalogue.races[picked]
    if not given(class_):
        return ClassWinnersAnswer(race=chosen, winners=chosen.class_winners())
    shown, text = clean(class_, Subject.CLASS)
    words = text.split()
    if len(words) > 1 and "class" in words:  # "GTS class" is GTS
        words = [word for word in words if word != "class"]
    key = "".join(words)
    if exact := catalogue.class_named(picked, key):
        return ClassAnswer(race=chosen, class_=exact, entries=chosen.class_entries(exact))
    classes = {compact(normalise(name)): name for name in chosen.classes}
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
