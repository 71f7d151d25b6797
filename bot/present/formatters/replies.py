"""Help and the refusals as cards: /help, nothing found, which one, can't answer that."""

from __future__ import annotations

from typing import Final

from bot.core.asking.answers import (
    AmbiguousAnswer,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.present.colours import AMBIGUOUS_COLOUR, BRAND_COLOUR, INVALID_COLOUR, NOT_FOUND_COLOUR
from bot.present.formatters.entries import QUERY_CAP
from bot.present.limits import FIELD_NAME_LIMIT
from bot.present.pages import INTRO_CAP, Card, CardField, Frame, field_pages, line_pages
from bot.present.text import escape_markdown, md, plain, truncate

SUBJECT_PLURALS: Final = {
    Subject.QUERY: "teams, drivers, cars or chassis",
    Subject.TEAM: "teams",
    Subject.DRIVER: "drivers",
    Subject.CAR: "cars",
    Subject.CLASS: "classes",
    Subject.RACE: "races",
    Subject.SIDE: "drivers, cars or teams",
    Subject.SEASON: "seasons",
    Subject.QUESTION: "commands",
}
HELP_HINT: Final = "/help lists what you can ask"


def help_cards(answer: HelpAnswer) -> list[Card]:
    """/help: one field per command, its description and an example."""
    fields = [
        CardField(
            md(command.usage, FIELD_NAME_LIMIT),
            f"{md(command.description, 600)}\nExample: "
            f"`{truncate(plain(command.example).replace('`', ''), 200)}`",
        )
        for command in answer.commands
    ]
    frame = Frame(
        title="racebot — race results on demand",
        colour=BRAND_COLOUR,
        footer="Names may be partial; the latest race is the default.",
        intro="Ask about the results of the loaded races:",
    )
    return field_pages(frame, fields)


def not_found_cards(answer: NotFoundAnswer) -> list[Card]:
    """Nothing for sure: what was asked and where, the nearest names ("Did you mean …?"), the
    other races that have it, and the command the words belong to."""
    query = md(answer.query, QUERY_CAP)
    where = f" in the {md(answer.searched)}" if answer.searched else ""
    text = (
        f"No {answer.subject.value} matches “{query}”{where}."
        if query
        else f"No {answer.subject.value} was given."
    )
    if answer.suggestions:
        names = ", ".join(f"**{md(name)}**" for name in answer.suggestions)
        text += f" Did you mean: {names}?"
    if answer.elsewhere:
        races = ", ".join(f"the **{md(title)}**" for title in answer.elsewhere)
        text += f"\nFound in {races}."
    if answer.hint:
        text += f"\n{md(answer.hint, INTRO_CAP // 2)}."
    frame = Frame(
        title="Did you mean…?" if answer.suggestions or answer.choices else "Nothing found",
        colour=NOT_FOUND_COLOUR,
        footer=HELP_HINT,
        ephemeral=True,
        intro=text,
    )
    return line_pages(frame, [])


def ambiguous_cards(answer: AmbiguousAnswer) -> list[Card]:
    """Several things matched: the options, and how many more were left out."""
    frame = Frame(
        title="Which one?",
        colour=AMBIGUOUS_COLOUR,
        footer=HELP_HINT,
        ephemeral=True,
        intro=(
            f"“{md(answer.query, QUERY_CAP)}” matches several "
            f"{SUBJECT_PLURALS[answer.subject]}. Be more specific, for example:"
        ),
    )
    lines = [f"• {md(option)}" for option in answer.options]
    if answer.more:
        lines.append(f"…and {answer.more} more")
    return line_pages(frame, lines)


def invalid_cards(answer: InvalidAnswer) -> list[Card]:
    """The question can't be answered as asked: the reason, escaped."""
    frame = Frame(
        title="Can't answer that",
        colour=INVALID_COLOUR,
        footer=HELP_HINT,
        ephemeral=True,
        intro=truncate(escape_markdown(answer.message), INTRO_CAP),
    )
    return line_pages(frame, [])
