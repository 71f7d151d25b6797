"""Races as cards: /stats (the race's statistics), /race (its story), /races (the list)."""

from __future__ import annotations

from typing import Final

from bot.core.asking.answers import RaceAnswer, RacesAnswer, StatsAnswer
from bot.core.documents.model import LapRecord
from bot.core.documents.statistics import KM_PER_MILE
from bot.core.formats import plural
from bot.present.colours import BRAND_COLOUR, class_colour
from bot.present.formatters.entries import (
    CLASS_CAP,
    NUMBER_CAP,
    car_label,
    corrections_text,
    drivers_text,
    duration_text,
    laps_text,
    number_text,
    race_date,
    race_line,
    source_text,
)
from bot.present.limits import FIELD_VALUE_LIMIT, TITLE_LIMIT
from bot.present.pages import Card, CardField, Frame, field_pages, line_pages, lines_within
from bot.present.text import escape_markdown, md, plain

# Races per page: enough to be useful, few enough to read on a phone.
RACES_PER_PAGE: Final = 15
MISSING: Final = "not recorded"


def stats_cards(answer: StatsAnswer) -> list[Card]:
    """/stats: pole, fastest lap, distance, speed, duration and the counts, as inline fields."""
    race, stats = answer.race, answer.statistics
    distance = MISSING
    if stats.distance_km is not None:
        distance = _both_units(stats.distance_km, stats.distance_written, "km", "mi")
        if stats.winner_laps:
            distance += f" · {laps_text(stats.winner_laps)}"
    fields = [
        CardField(
            "Pole position",
            _lap_record_text(stats.pole, stats.pole_speed_kmh, answer.pole_driver),
            True,
        ),
        CardField(
            "Fastest lap",
            _lap_record_text(
                stats.fastest_lap, stats.fastest_lap_speed_kmh, answer.fastest_lap_driver
            ),
            True,
        ),
        CardField("Distance", distance, True),
        CardField(
            "Average speed",
            _both_units(stats.average_speed_kmh, stats.average_speed_written, "km/h", "mph")
            if stats.average_speed_kmh
            else MISSING,
            True,
        ),
        CardField(
            "Race duration",
            duration_text(stats.duration_s) if stats.duration_s is not None else MISSING,
            True,
        ),
        CardField(
            "Lap length",
            f"{stats.lap_length_km:.3f} km" if stats.lap_length_km is not None else MISSING,
            True,
        ),
        CardField("Entries", str(answer.entries), True),
        CardField("Starters", str(answer.starters), True),
        CardField("Finishers", f"{answer.classified} classified", True),
        CardField("DNF", str(answer.dnf), True),
        CardField("DNS", str(answer.dns), True),
        CardField("NC", str(answer.nc), True),
    ]
    frame = Frame(
        title=f"Statistics — {md(race.title)}",
        colour=BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro="\n".join(
            line
            for line in (corrections_text(answer.corrections, answer.notes), race_line(race))
            if line
        ),
    )
    return field_pages(frame, fields)


def _both_units(metric: float, written: str | None, unit: str, miles_unit: str) -> str:
    """The figure as the document gives it, then the other unit to a tenth: '415.307 km
    (258.1 mi)', '327.047 mi (526.3 km)' (a conversion is shown no more precisely)."""
    if written is not None:
        return f"{md(written, 40)} ({metric:.1f} {unit})"
    return f"{number_text(metric)} {unit} ({metric / KM_PER_MILE:.1f} {miles_unit})"


def _lap_record_text(record: LapRecord | None, speed: float | None, driver: str | None) -> str:
    """'#16 Dyson Racing · 1:23.085', the driver on the next line when the document gives
    one, then the speed."""
    if record is None:
        return MISSING
    team = md(record.team)
    lines = [f"\\#{md(record.number, NUMBER_CAP)} {team} · {md(record.time, 20)}"]
    if driver:
        lines.append(md(driver))
    if speed is not None:
        lines.append(f"{speed:.1f} km/h")
    return "\n".join(lines)


def race_cards(answer: RaceAnswer) -> list[Card]:
    """/race: the report's prose, then series, circuit, date, winners and the entry count."""
    race = answer.race
    prose = "\n\n".join(escape_markdown(plain(paragraph)) for paragraph in race.prose)
    fields = []
    if race.series:
        series = md(race.series)
        fields.append(
            CardField("Series", f"{series} · round {race.round}" if race.round else series, True)
        )
    if race.circuit:
        where = md(race.circuit)
        fields.append(
            CardField("Circuit", f"{where}, {md(race.location)}" if race.location else where, True)
        )
    if race.date:
        fields.append(CardField("Date", race_date(race), True))
    winner = race.winner
    if winner is not None:
        fields.append(
            CardField(
                "Winner",
                f"{car_label(winner)} ({md(winner.class_, CLASS_CAP)})\n"
                f"{drivers_text(winner.drivers)}\n"
                f"{md(winner.chassis)} · {laps_text(winner.laps)}",
            )
        )
    winners = [
        f"**{md(entry.class_, CLASS_CAP)}** · {car_label(entry)}" for entry in race.class_winners()
    ]
    if winners:
        fields.append(CardField("Class winners", lines_within(winners, FIELD_VALUE_LIMIT)))
    fields.append(
        CardField(
            "Entries",
            f"{plural(len(race.entries), 'car')} · {plural(len(race.classes), 'class', 'classes')}",
            True,
        )
    )
    frame = Frame(
        title=md(race.title, TITLE_LIMIT),
        colour=class_colour(winner.class_) if winner else BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        # fitted to INTRO_CAP with the rest of the frame
        intro="\n\n".join(
            part for part in (corrections_text(answer.corrections, answer.notes), prose) if part
        ),
    )
    return field_pages(frame, fields)


def races_cards(answer: RacesAnswer) -> list[Card]:
    """/races: every loaded race, newest first, one line each."""
    lines = []
    for race in answer.races:
        parts = [f"**{md(race.title)}**", race_date(race)]
        if race.circuit:
            parts.append(md(race.circuit))
        if race.series:
            parts.append(f"{md(race.series)} round {race.round}" if race.round else md(race.series))
        parts.append(plural(race.cars, "car"))
        lines.append(" · ".join(part for part in parts if part))
    frame = Frame(
        title="Races",
        colour=BRAND_COLOUR,
        footer="Pick one with race:<title, year or circuit>" if lines else "",
        intro=f"{plural(len(lines), 'race')}, newest first" if lines else "No races are loaded.",
    )
    return line_pages(frame, lines, RACES_PER_PAGE)
