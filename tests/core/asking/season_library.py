"""A small multi-race library written with the document writer, for /compare and /season.

Three rounds of the 2005 Test Endurance Series, one round of the 2005 Other Sports Car
Championship and one of the 2004 American Le Mans Series. Anna Ackermann and Ben Brück share
car #1 in rounds 1 and 2 (team-mates); in round 2 Anna also drives #5; Carlos Castro drives #2
(and Castro Racing is a team, so "Castro" is two things); Hans and Greta Hoffmann make
"Hoffmann" ambiguous; Ben Brück and Dario Dubois never race in the same race.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from bot.core.documents.model import Entry, Race, Status, rank_entries
from bot.core.documents.parsing import parse_race
from bot.core.documents.writing import lead_paragraph, write_race
from bot.core.library.races import RaceLibrary

TES: Final = "Test Endurance Series"
OTHER: Final = "Other Sports Car Championship"
ALMS: Final = "American Le Mans Series"
ALPHA, BETA, GAMMA = "2005 Alpha 300", "2005 Beta 500", "2005 Gamma 1000"
DELTA, EPSILON = "2005 Delta Sprint", "2004 Epsilon Cup"

APEX, FALCON, CASTRO = "Apex Racing", "Blue Falcon Motorsport", "Castro Racing"
CREST, DELTA_ENG, EAGLE = "Crest Team", "Delta Engineering", "Eagle Forge"
ANNA, BEN, CARLOS, LARS = "Anna Ackermann", "Ben Brück", "Carlos Castro", "Lars Lindqvist"
HANS, ULLA, GRETA, NICO = "Hans Hoffmann", "Ulla Ulrich", "Greta Hoffmann", "Nico Novák"
OSKAR, PAULO = "Oskar Okafor", "Paulo Pereira"

Row = tuple[str, str, str, str, tuple[str, ...], int | None]
"""Position as written ('1', '6 DNF', 'DNF', 'DNS'), class, number, team, drivers, laps."""


def _entry(row: Row) -> Entry:
    written, class_, number, team, drivers, laps = row
    words = written.split()
    status = Status(words[-1].lower()) if not words[-1].isdigit() else Status.CLASSIFIED
    fields: dict[str, Any] = {
        "position": int(words[0]) if words[0].isdigit() else None,
        "status": status,
        "class_": class_,
        "number": number,
        "team": team,
        "drivers": drivers,
        "chassis": "Lola B05/40",
        "engine": "Judd 3.4L V8",
        "tyre": None,
        "laps": laps,
        "line": 1,
    }
    return Entry.model_validate(fields)


def _race(
    title: str, series: str, round_: int, date: dt.date, circuit: str, rows: list[Row]
) -> Race:
    """A race written as a document and read back, so lines and standings are real."""
    prose = lead_paragraph(title, series, round_, circuit, "USA", date)
    race = Race(
        title=title,
        series=series,
        round=round_,
        date=date,
        circuit=circuit,
        location="USA",
        prose=(prose,),
        entries=rank_entries(map(_entry, rows)),
        source=title.lower().replace(" ", "-") + ".txt",
    )
    return parse_race(write_race(race), source=race.source)


def season_races() -> list[Race]:
    """The five races, oldest first (the library sorts them newest first)."""
    return [
        _race(EPSILON, ALMS, 5, dt.date(2004, 9, 1), "Laguna Seca", [
            ("1", "P", "1", APEX, (BEN, "Karl Kowalski"), 90),
            ("2", "GT", "3", "Corvette Racing", ("Maja Müller", "Quentin Quintana"), 85),
        ]),
        _race(ALPHA, TES, 1, dt.date(2005, 3, 20), "Road Atlanta", [
            ("1", "P", "1", APEX, (ANNA, BEN), 100),
            ("2", "P", "9", CASTRO, (HANS, ULLA), 100),
            ("3", "P", "2", FALCON, (CARLOS, LARS), 99),
            ("4", "GT", "50", CREST, (GRETA, NICO), 90),
            ("5", "GT", "51", CREST, (OSKAR, PAULO), 89),
            ("6 DNF", "GT", "52", DELTA_ENG, ("Rafael Rossi", "Sofia Schäfer"), 40),
        ]),
        _race(BETA, TES, 2, dt.date(2005, 5, 15), "Mid-Ohio", [
            ("1", "P", "2", FALCON, (CARLOS, LARS), 120),
            ("2", "P", "1", APEX, (ANNA, BEN), 120),
            ("3", "GT", "50", CREST, (GRETA, NICO), 110),
            ("4", "P", "9", CASTRO, (HANS, ULLA), 109),
            ("5", "GT", "51", CREST, (OSKAR, PAULO), 108),
            ("6 DNF", "P", "5", APEX, (ANNA, "Timo Takács"), 50),
        ]),
        _race(DELTA, OTHER, 1, dt.date(2005, 6, 1), "Laguna Seca", [
            ("1", "GT", "60", "Zenith Racing", ("Dario Dubois", "Emile Eriksen"), 80),
            ("2", "GT", "61", "Zenith Racing", ("Fabio Fässler", "Inès Ibáñez"), 79),
        ]),
        _race(GAMMA, TES, 3, dt.date(2005, 8, 14), "Sebring", [
            ("1", "P", "7", EAGLE, (ANNA, "Wim West"), 200),
            ("2", "P", "9", CASTRO, (HANS, ULLA), 200),
            ("3", "GT", "51", CREST, (OSKAR, PAULO), 180),
            ("4", "GT", "50", CREST, (GRETA, NICO), 179),
            ("5 NC", "GT", "52", DELTA_ENG, ("Rafael Rossi", "Sofia Schäfer"), 100),
            ("DNF", "P", "2", FALCON, (CARLOS, LARS), 60),
            ("DNS", "GT", "53", DELTA_ENG, ("Xavier Young",), None),
        ]),
    ]  # fmt: skip


def season_library() -> RaceLibrary:
    """The five races as a library (newest first: Gamma, Delta, Beta, Alpha, Epsilon)."""
    return RaceLibrary(season_races())
