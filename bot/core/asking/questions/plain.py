"""/ask: what a plain question that the grammar cannot read gets instead of a guess."""

from __future__ import annotations

from typing import Final

from bot.core.asking.answers import Choice, NotFoundAnswer, Subject
from bot.core.asking.plain_questions import miss_words
from bot.core.formats import clip
from bot.core.limits import MAX_CHOICE_LABEL

ASK_HINT: Final = (
    "Ask as fans do, e.g. who won at Sonoma 2003, GTS winner, pole at Sonoma, "
    "how did Herbert do, Herbert vs Leitzinger, 2003 season, full results"
)


def plain_miss(question: str) -> NotFoundAnswer:
    """The nearest commands with the question's words in them (/help when it has none)."""
    words = miss_words(question)
    asked: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    if words:
        asked += [
            ("result", (("query", words),)),
            ("driver", (("name", words),)),
            ("race", (("race", words),)),
        ]
    else:
        asked.append(("help", ()))
    choices = tuple(
        Choice(
            label=clip(
                " ".join([f"/{command}", *(value for _, value in options)]), MAX_CHOICE_LABEL
            ),
            command=command,
            options=options,
        )
        for command, options in asked
    )
    return NotFoundAnswer(
        subject=Subject.QUESTION,
        query=question,
        suggestions=tuple(choice.label for choice in choices[:3]),
        choices=choices,
        hint=ASK_HINT,
    )
