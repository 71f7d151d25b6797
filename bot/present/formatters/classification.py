"""/classification as cards: every car in finishing order, two short lines each, paged.

Each car's first line is what a phone shows first: its place (overall and in class), number and
team. The second holds the crew, the car, the laps, the gaps and, for every car not classified,
why it was out, as the document says it (DNF, DNS, DSQ, NC).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.core.asking.answers import ClassificationAnswer
from bot.core.documents.model import Entry, Status
from bot.core.formats import ordinal, plural
from bot.present.colours import BRAND_COLOUR, class_colour
from bot.present.formatters.entries import (
    CLASS_CAP,
    car_label,
    corrections_text,
    drivers_text,
    race_line,
    source_text,
)
from bot.present.pages import Card, Frame, line_pages
from bot.present.text import md

CARS_PER_PAGE: Final = 10
"""Cars per page: two lines each, so a page is a phone's screen or two."""
OUT_WORDS: Final = {
    Status.DNF: "DNF (did not finish)",
    Status.DNS: "DNS (did not start)",
    Status.NC: "NC (not classified: too far behind)",
    Status.DSQ: "DSQ (disqualified)",
}


def place_text(entry: Entry) -> str:
    """Where the car is listed: 'P1', '29 DNF', 'DNS' (the document's position and status)."""
    if entry.status is Status.CLASSIFIED:
        return f"P{entry.position}" if entry.position is not None else "Classified"
    code = entry.status.value.upper()
    return f"{entry.position} {code}" if entry.position is not None else code


def class_place_text(entry: Entry) -> str:
    """'1st in GTS', or the class alone when the car has no place in it (DNS)."""
    klass = md(entry.class_, CLASS_CAP)
    if entry.class_position is None or entry.status is Status.DNS:
        return klass
    return f"{ordinal(entry.class_position)} in {klass}"


def gaps_text(entry: Entry, ahead: Entry | None, leader: Entry | None) -> str:
    """The gap to the car listed ahead and to the leader, in laps (all the document gives):
    'leader', 'same lap as the car ahead · 1 lap down on the leader'; '' without laps."""
    if entry.laps is None or entry.status is Status.DNS:
        return ""
    if ahead is None or leader is None or leader.laps is None:
        return "leader"
    parts = []
    if ahead.laps is not None:
        behind = ahead.laps - entry.laps
        parts.append(
            "same lap as the car ahead"
            if behind <= 0
            else f"{plural(behind, 'lap')} behind the car ahead"
        )
    down = leader.laps - entry.laps
    parts.append(
        "same lap as the leader" if down <= 0 else f"{plural(down, 'lap')} down on the leader"
    )
    if parts[0].startswith("same lap") and parts[-1] == "same lap as the leader":
        parts = ["same lap as the leader"]
    return " · ".join(parts)


def car_lines(entry: Entry, ahead: Entry | None, leader: Entry | None) -> str:
    """One car as two lines: place, class place, number and team; then the rest."""
    head = f"{place_text(entry)} · {class_place_text(entry)} · {car_label(entry)}"
    if entry.is_class_winner or (entry.position == 1 and entry.status is Status.CLASSIFIED):
        head = f"**{head}**"
    laps = "no laps" if entry.laps is None else plural(entry.laps, "lap")
    details = [drivers_text(entry.drivers), md(entry.chassis), laps]
    details.append(gaps_text(entry, ahead, leader))
    if entry.status is not Status.CLASSIFIED:
        details.append(f"out: {OUT_WORDS[entry.status]}")
    return head + "\n" + " · ".join(part for part in details if part)


def classification_lines(entries: Sequence[Entry]) -> list[str]:
    """Every car's two lines, each gap measured to the car listed before it."""
    leader = entries[0] if entries else None
    return [
        car_lines(entry, entries[index - 1] if index else None, leader)
        for index, entry in enumerate(entries)
    ]


def _counts(entries: Sequence[Entry]) -> str:
    parts = [plural(len(entries), "car")]
    parts.append(f"{sum(e.status is Status.CLASSIFIED for e in entries)} classified")
    for status in (Status.NC, Status.DNF, Status.DSQ, Status.DNS):
        count = sum(e.status is status for e in entries)
        if count:
            parts.append(f"{count} {status.value.upper()}")
    return " · ".join(parts)


def classification_cards(answer: ClassificationAnswer) -> list[Card]:
    """/classification: the race's cars in order, ten a page."""
    race = answer.race
    what = f"{md(answer.class_, CLASS_CAP)} classification" if answer.class_ else "Classification"
    intro = [
        corrections_text(answer.corrections, answer.notes),
        race_line(race),
        _counts(answer.entries),
    ]
    frame = Frame(
        title=f"{what} — {md(race.title)}",
        colour=class_colour(answer.class_) if answer.class_ else BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro="\n".join(line for line in intro if line),
    )
    return line_pages(frame, classification_lines(answer.entries), CARS_PER_PAGE)
