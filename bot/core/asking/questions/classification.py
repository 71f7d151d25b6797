"""/classification: a race's full finishing order, every class or one."""

from __future__ import annotations

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    ClassAnswer,
    ClassificationAnswer,
    NotFoundAnswer,
)
from bot.core.asking.questions import classes
from bot.core.asking.questions.common import given, pick_race
from bot.core.asking.questions.offers import Asking
from bot.core.library.catalogue import Catalogue

COMMAND = "classification"


def classification(
    catalogue: Catalogue, race: str | None = None, class_: str | None = None
) -> Answer:
    """Every car of a race in finishing order (or every car of one class), as the document
    lists them: position overall and in class, crew, car, laps and how each race ended."""
    if given(class_):
        # The class is found as /class finds it; its offers then ask this command again.
        answer = classes.class_results(catalogue, class_, race)
        if isinstance(answer, ClassAnswer):
            return ClassificationAnswer(
                race=answer.race,
                class_=answer.class_,
                entries=answer.entries,
                corrections=answer.corrections,
            )
        if isinstance(answer, AmbiguousAnswer | NotFoundAnswer):
            choices = tuple(
                choice.model_copy(update={"command": COMMAND})
                if choice.command == "class"
                else choice
                for choice in answer.choices
            )
            return answer.model_copy(update={"choices": choices})
        return answer
    picked, corrections = pick_race(catalogue, race, Asking(COMMAND))
    chosen = catalogue.races[picked]
    return ClassificationAnswer(race=chosen, entries=chosen.entries, corrections=corrections)
