"""/chart as a card: the race's heading, and the picture as the embed's image.

The picture (`bot.present.chart.race_chart`) travels beside the card as a file; the card names
it by `chart_filename`, as `attachment://<filename>`, so a front end knows what to attach.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Final

from bot.core.asking.answers import ChartAnswer
from bot.core.documents.model import Race
from bot.present.chart import chart_note
from bot.present.colours import BRAND_COLOUR, class_colour
from bot.present.formatters.entries import corrections_text, race_date, source_text
from bot.present.limits import ATTACHMENT_SCHEME, TITLE_LIMIT
from bot.present.pages import Card, CardField, Frame, field_pages
from bot.present.text import md

SLUG_CAP: Final = 60
READING_GUIDE: Final = (
    "One bar per car in finishing order, as long as the laps it completed, coloured by class, "
    "with its drivers' surnames. ★ marks each class winner; faded, hatched bars did not "
    "finish, start or classify."
)
_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")


def chart_filename(race: Race) -> str:
    """The picture's file name: `chart-2003-grand-prix-of-sonoma.png` (only a-z, 0-9 and -)."""
    ascii_title = unicodedata.normalize("NFKD", race.title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")[:SLUG_CAP].strip("-")
    return f"chart-{slug or 'race'}.png"


def chart_cards(answer: ChartAnswer) -> list[Card]:
    """/chart: title, date and circuit, with the picture (a file sent along) as the image."""
    race = answer.race
    fields = []
    if race.date:
        fields.append(CardField("Date", race_date(race), True))
    if race.circuit:
        where = md(race.circuit)
        fields.append(
            CardField("Circuit", f"{where}, {md(race.location)}" if race.location else where, True)
        )
    winner = race.winner
    frame = Frame(
        title=md(race.title, TITLE_LIMIT),
        colour=class_colour(winner.class_) if winner else BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro="\n".join(
            line
            for line in (
                corrections_text(answer.corrections, answer.notes),
                READING_GUIDE,
                chart_note(race),
            )
            if line
        ),
    )
    image = ATTACHMENT_SCHEME + chart_filename(race)
    return [replace(card, image=image) for card in field_pages(frame, fields)]
