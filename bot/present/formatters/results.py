"""Cars and drivers as cards: /result (one car or many), /class, class winners, /driver."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from bot.core.asking.answers import (
    ClassAnswer,
    ClassWinnersAnswer,
    DriverAnswer,
    DriverRace,
    ResultsAnswer,
)
from bot.core.documents.model import Entry, Status
from bot.core.formats import ordinal, plural
from bot.present.colours import BRAND_COLOUR, class_colour, class_key
from bot.present.formatters.entries import (
    CLASS_CAP,
    QUERY_CAP,
    car_label,
    corrections_text,
    drivers_text,
    gap_text,
    laps_text,
    position_text,
    race_date,
    race_line,
    short_position,
    source_text,
    status_text,
)
from bot.present.limits import TITLE_LIMIT
from bot.present.pages import INTRO_CAP, Card, CardField, Frame, field_pages, line_pages
from bot.present.text import md, plain, truncate

# Items per page: enough to be useful, few enough to read on a phone.
CARS_PER_PAGE: Final = 10
APPEARANCES_PER_PAGE: Final = 8


def results_cards(answer: ResultsAnswer) -> list[Card]:
    """/result: one car in detail, or several cars one field each."""
    if len(answer.cars) == 1:
        return _car_cards(answer, answer.cars[0])
    race = answer.race
    # A correction comes first: the reader learns at once what the answer was read as.
    intro_lines = [corrections_text(answer.corrections, answer.notes), _matched_line(answer)]
    intro_lines.append(f"{len(answer.cars)} cars in the {md(race.title)}")
    frame = Frame(
        title=f"“{md(answer.query, QUERY_CAP)}” — {md(race.title)}",
        colour=_common_colour(answer.cars),
        footer=f"Source: {source_text(race)}",
        intro="\n".join(line for line in intro_lines if line),
    )
    fields = [_car_field(entry) for entry in answer.cars]
    return field_pages(frame, fields, CARS_PER_PAGE)


def _matched_line(answer: ResultsAnswer) -> str:
    if not answer.matched or any(fix.typed == answer.query for fix in answer.corrections):
        return ""  # a correction says it: "Showing driver Johnny Herbert for “Herbet”"
    meanings = truncate(", ".join(md(meaning) for meaning in answer.matched), INTRO_CAP // 2)
    return f"Matched “{md(answer.query, QUERY_CAP)}”: {meanings}"


def _common_colour(entries: Iterable[Entry]) -> int:
    classes = {class_key(entry.class_) for entry in entries}
    if len(classes) == 1:
        return class_colour(next(iter(classes)))
    return BRAND_COLOUR


def _car_field(entry: Entry) -> CardField:
    trophy = "🏆 " if entry.is_class_winner else ""
    name = f"{trophy}{position_text(entry)} · {car_label(entry)}"
    details = [md(entry.chassis), laps_text(entry.laps), gap_text(entry), status_text(entry)]
    value = f"{drivers_text(entry.drivers)}\n{' · '.join(part for part in details if part)}"
    return CardField(name, value)


def _car_cards(answer: ResultsAnswer, entry: Entry) -> list[Card]:
    race = answer.race
    description = [
        corrections_text(answer.corrections, answer.notes),
        f"**{position_text(entry)}**",
    ]
    description += [race_line(race), _matched_line(answer)]
    frame = Frame(
        title=car_label(entry),
        colour=class_colour(entry.class_),
        footer=f"Source: {source_text(race, entry)}",
        intro="\n".join(line for line in description if line),
    )
    fields = [
        CardField("Class", md(entry.class_, CLASS_CAP), inline=True),
        CardField("Laps", laps_text(entry.laps), inline=True),
        CardField("Gap", gap_text(entry) or "no laps", inline=True),
        CardField("Status", status_text(entry), inline=True),
        CardField("Drivers", drivers_text(entry.drivers, "\n")),
        CardField("Chassis", md(entry.chassis), inline=True),
        CardField("Engine", md(entry.engine), inline=True),
    ]
    if entry.tyre:
        fields.append(CardField("Tyre", md(entry.tyre), inline=True))
    return field_pages(frame, fields)


def class_cards(answer: ClassAnswer) -> list[Card]:
    """/class: the class in order, winner first, one line a car."""
    race = answer.race
    frame = Frame(
        title=f"{md(answer.class_, CLASS_CAP)} — {md(race.title)}",
        colour=class_colour(answer.class_),
        footer=f"Source: {source_text(race)}",
        intro=_joined(
            corrections_text(answer.corrections, answer.notes), _status_counts(answer.entries)
        ),
    )
    return line_pages(frame, [_class_line(entry) for entry in answer.entries])


def _joined(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _class_line(entry: Entry) -> str:
    """One car of a class: class and overall position, car, crew, laps, both gaps and status."""
    place = short_position(entry)
    if entry.class_position is not None and entry.status is not Status.DNS:
        place = f"{ordinal(entry.class_position)} · {place}"
    details = [laps_text(entry.laps) if entry.laps is not None else "", gap_text(entry)]
    details.append(status_text(entry))
    tail = " · ".join(part for part in details if part)
    if entry.is_class_winner:
        return f"🏆 **{place} · {car_label(entry)}** — {drivers_text(entry.drivers)} · {tail}"
    return f"{place} · {car_label(entry)} — {drivers_text(entry.drivers)} · {tail}"


def _status_counts(entries: Sequence[Entry]) -> str:
    counts = [plural(len(entries), "car")]
    classified = sum(entry.status is Status.CLASSIFIED for entry in entries)
    counts.append(f"{classified} classified")
    for status in (Status.DNF, Status.NC, Status.DSQ, Status.DNS):
        count = sum(entry.status is status for entry in entries)
        if count:
            counts.append(f"{count} {status.value.upper()}")
    return " · ".join(counts)


def class_winners_cards(answer: ClassWinnersAnswer) -> list[Card]:
    """The winner of every class, one line each."""
    race = answer.race
    lines = [
        f"**{md(entry.class_, CLASS_CAP)}** · {short_position(entry)} · {car_label(entry)} — "
        f"{drivers_text(entry.drivers)} · {laps_text(entry.laps)} · {gap_text(entry)}"
        for entry in answer.winners
    ]
    frame = Frame(
        title=f"Class winners — {md(race.title)}",
        colour=BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro=_joined(
            corrections_text(answer.corrections, answer.notes),
            race_line(race) if lines else "No car was classified.",
        ),
    )
    return line_pages(frame, lines)


def driver_cards(answer: DriverAnswer) -> list[Card]:
    """/driver: every car the driver raced, one field each, across the loaded races."""
    appearances = answer.appearances
    races = {(item.race.source, item.race.title) for item in appearances}
    sources = list(dict.fromkeys(source_text(item.race) for item in appearances))
    if len(appearances) == 1:
        footer = f"Source: {source_text(appearances[0].race, appearances[0].entry)}"
    else:
        footer = ("Sources: " if len(sources) > 1 else "Source: ") + ", ".join(sources)
    frame = Frame(
        title=md(answer.driver, TITLE_LIMIT),
        colour=class_colour(appearances[0].entry.class_),
        footer=footer,
        intro=_joined(
            corrections_text(answer.corrections, answer.notes),
            f"{plural(len(races), 'race')} · {plural(len(appearances), 'car')}",
        ),
    )
    fields = [_appearance_field(answer.driver, item) for item in appearances]
    return field_pages(frame, fields, APPEARANCES_PER_PAGE)


def _appearance_field(driver: str, item: DriverRace) -> CardField:
    entry = item.entry
    key = plain(driver).casefold()
    others = [name for name in entry.drivers if plain(name).casefold() != key]
    if len(others) == len(entry.drivers):  # the driver's name is written differently here
        crew = f"Drivers: {drivers_text(entry.drivers)}"
    else:
        crew = f"with {drivers_text(others)}" if others else "solo"
    details = [md(entry.chassis), laps_text(entry.laps), gap_text(entry), status_text(entry)]
    # Discord renders date markup in field values, not names: the date leads the value.
    value = "\n".join(
        [
            f"**{position_text(entry)}** · {car_label(entry)}",
            crew,
            " · ".join(part for part in details if part),
        ]
    )
    date = race_date(item.race)
    return CardField(md(item.race.title), f"{date}\n{value}" if date else value)
