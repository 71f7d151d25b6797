"""The pieces of every answer: a car's label, position, laps, gap and crew; dates and sources.

Each returns safe markdown: names from the documents inside are escaped and capped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from bot.core.asking.answers import Correction
from bot.core.documents.model import Entry, Race, RaceSummary, Status
from bot.core.formats import ordinal, plural, race_day
from bot.present.text import EMPTY_VALUE, md, neutralise_mentions, plain, truncate

# Caps on single names keep every line far below a page, so pages split between lines.
NUMBER_CAP: Final = 12
CLASS_CAP: Final = 40
DRIVERS_CAP: Final = 400
QUERY_CAP: Final = 100

STATUS_WORDS: Final = {
    Status.CLASSIFIED: "Finished",
    Status.DNF: "Did not finish",
    Status.DNS: "Did not start",
    Status.NC: "Not classified",
    Status.DSQ: "Disqualified",
}


def car_label(entry: Entry) -> str:
    """'#38 ADT Champion Racing' (the '#' escaped)."""
    team = md(entry.team)
    number = "\\#" + md(entry.number, NUMBER_CAP)
    return f"{number} {team}" if team else number


def short_position(entry: Entry) -> str:
    """'P3', 'DNF (P29)', 'NC (P30)', 'DNS'."""
    match entry.status:
        case Status.CLASSIFIED:
            return f"P{entry.position}" if entry.position is not None else "Classified"
        case Status.DNS:
            return "DNS"
        case _:
            label = entry.status.value.upper()
            return f"{label} (P{entry.position})" if entry.position is not None else label


def position_text(entry: Entry) -> str:
    """'P3 · 2nd in LMP900', 'DNF (P29) · 15th in GT', 'DNS'."""
    text = short_position(entry)
    if entry.class_position is not None and entry.status is not Status.DNS:
        text += f" · {ordinal(entry.class_position)} in {md(entry.class_, CLASS_CAP)}"
    return text


def laps_text(laps: int | None) -> str:
    """'102 laps', '1 lap', 'no laps'."""
    return "no laps" if laps is None else plural(laps, "lap")


def gap_text(entry: Entry) -> str:
    """The gap to the overall leader and to the class winner: 'race winner · class winner',
    '2 laps down overall · same lap as the class winner', or '' when it has no laps (DNS)."""
    return " · ".join(part for part in (_overall_gap(entry), _class_gap(entry)) if part)


def _overall_gap(entry: Entry) -> str:
    behind = entry.laps_behind_leader
    if behind is None or entry.status is Status.DNS:
        return ""
    if entry.position == 1 and entry.status is Status.CLASSIFIED:
        return "race winner"
    return "same lap as the leader" if behind <= 0 else f"{plural(behind, 'lap')} down overall"


def _class_gap(entry: Entry) -> str:
    if entry.is_class_winner:
        return "class winner"
    behind = entry.laps_behind_class_winner
    if behind is None or entry.status is Status.DNS:
        return ""
    if behind <= 0:
        return "same lap as the class winner"
    return f"{plural(behind, 'lap')} down in class"


def status_text(entry: Entry) -> str:
    """'Finished', 'Did not finish', 'Did not start', 'Not classified'."""
    return STATUS_WORDS[entry.status]


def drivers_text(drivers: Iterable[str], separator: str = ", ") -> str:
    """The crew, names escaped; '—' when the document names nobody."""
    names = [name for name in map(md, drivers) if name]
    return truncate(separator.join(names), DRIVERS_CAP) if names else EMPTY_VALUE


def race_date(race: Race | RaceSummary) -> str:
    """The race day as text, as the document gives it ('Sun 27 Jul 2003'), or '' when it gives
    no date: a calendar day, never a timestamp, so it reads the same in every time zone."""
    return race_day(race.date)


def corrections_text(corrections: Iterable[Correction], grouped: Iterable[str] = ()) -> str:
    """Each typo the answer was read through, said aloud: 'Showing Johnny Herbert for “herbret”',
    then each name it took as one: 'Champion Racing, also entered as ADT Champion Racing'."""
    return "\n".join(
        [
            *(
                f"Showing {md(fix.read_as, QUERY_CAP * 3)} for “{md(fix.typed, QUERY_CAP)}”"
                for fix in corrections
            ),
            *(md(note, QUERY_CAP * 3) for note in grouped),
        ]
    )


def race_line(race: Race | RaceSummary) -> str:
    """'2003 Grand Prix of Sonoma · Sun 27 Jul 2003' (the title alone when undated)."""
    date = race_date(race)
    return f"{md(race.title)} · {date}" if date else md(race.title)


def duration_text(seconds: float) -> str:
    """'2:45:58' (hours unpadded)."""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def number_text(value: float) -> str:
    """415.307, 150.145, 4 — three decimals at most, no trailing zeros."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def source_text(race: Race | RaceSummary, entry: Entry | None = None) -> str:
    """'2003-grand-prix-of-sonoma.txt', with ':line' when citing one car."""
    source = neutralise_mentions(plain(race.source))
    return f"{source}:{entry.line}" if entry is not None else source
