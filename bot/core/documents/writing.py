"""`Race` -> document text, in the layout the parser reads: parse(write(race)) == race."""

from __future__ import annotations

import datetime as dt

from bot.core.documents.model import Entry, LapRecord, Race, Statistics, Status
from bot.core.documents.parsing import RESULTS_SECTION, STATISTICS_SECTION
from bot.core.documents.prose import ORDINAL_WORDS
from bot.core.formats import long_date, ordinal

# The first word for each number: "first", not "opening" (both read back as 1).
_ORDINAL_WORDS = {n: word for word, n in reversed(ORDINAL_WORDS.items())}
HEADER = ("Pos", "Class", "No", "Team", "Drivers", "Chassis", "Tyre", "Laps")


def write_race(race: Race) -> str:
    """Render a race as a document (flags are not rendered, so they never come back)."""
    lines = [f"= {race.title} =", ""]
    for paragraph in race.prose:
        lines += [paragraph, ""]
    lines += [f"=={RESULTS_SECTION}=="]
    if race.notes:
        lines.append(race.notes)
    lines += ["", _row(HEADER), _row(("Engine",) + ("",) * (len(HEADER) - 1))]
    for entry in race.entries:
        lines += [_row(_cells(entry)), _row((entry.engine or "",) + ("",) * (len(HEADER) - 1))]
    statistics = _statistics_lines(race.statistics)
    if statistics:
        lines += ["", f"=={STATISTICS_SECTION}==", *statistics]
    return "\n".join(lines) + "\n"


def lead_paragraph(
    title: str,
    series: str | None,
    round_: int | None,
    circuit: str | None,
    location: str | None,
    date: dt.date | None,
) -> str:
    """The opening sentences the parser reads a race's facts from."""
    sentences = [f"The {title}"]
    if series:
        which = f"the {_ORDINAL_WORDS.get(round_) or ordinal(round_)} race" if round_ else "a race"
        year = f"{date.year} " if date else ""
        sentences[0] += f" was {which} of the {year}{series} season."
    else:
        sentences[0] += " was a motor race."
    if circuit and date:
        where = f"{circuit}, {location}" if location else circuit
        sentences.append(f"It took place at {where} on {long_date(date)}.")
    return " ".join(sentences)


def _row(cells: tuple[str, ...]) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def _cells(entry: Entry) -> tuple[str, ...]:
    return (
        _position(entry),
        entry.class_,
        entry.number,
        entry.team,
        " ".join(entry.drivers),
        entry.chassis or "",
        entry.tyre or "",
        "-" if entry.laps is None else str(entry.laps),
    )


def _position(entry: Entry) -> str:
    if entry.position is None:
        return entry.status.value.upper()
    if entry.status in (Status.DNF, Status.NC, Status.DSQ):
        return f"{entry.position} {entry.status.value.upper()}"
    return str(entry.position)


def _statistics_lines(stats: Statistics) -> list[str]:
    lines = []
    if stats.pole:
        lines.append(f"- Pole Position - {_record(stats.pole)}")
    if stats.fastest_lap:
        lines.append(f"- Fastest Lap - {_record(stats.fastest_lap)}")
    if stats.distance_km is not None:
        lines.append(f"- Distance - {stats.distance_km} km")
    if stats.average_speed_kmh is not None:
        lines.append(f"- Average Speed - {stats.average_speed_kmh} km/h")
    return lines


def _record(record: LapRecord) -> str:
    return f"#{record.number} {record.team} - {record.time}"
