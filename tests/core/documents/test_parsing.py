"""Every way a document can be malformed, and the layouts other documents use that still parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.documents.model import Status
from bot.core.documents.parsing import SeedError, load_folder, parse_race
from tests.paths import RACES

SEEDS = RACES
SEED = SEEDS / "2003-grand-prix-of-sonoma.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _seed_with(old: str, new: str) -> str:
    assert old in SEED_TEXT
    return SEED_TEXT.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _seed_with("| 102 |\n| Audi", "| ninety-seven |\n| Audi"),
            "x.txt:14: laps 'ninety-seven' is not a number",
        ),
        (
            _seed_with("| 4 | LMP900 |", "| fourth | LMP900 |"),
            "x.txt:18: position 'fourth' is not a number, 'N DNF', 'DNF', 'DNS', 'NC' or 'DSQ'",
        ),
        (
            _seed_with("| 4 | LMP900 | 27 |", "| 4 | LMP900 | 16 |"),
            "x.txt:18: car #16 already appears on line 12",
        ),
        (
            _seed_with("| 4 | LMP900 |", "| 2 | LMP900 |"),
            "x.txt:18: position 2 comes after position 3",
        ),
        (
            _seed_with("| 4 | LMP900 | 27 |", "| 4 | LMP900 | 27 | extra |"),
            "x.txt:18: row has 9 cells, the header has 8",
        ),
        (
            _seed_with("| Judd GV5 5.0L V10 | | |", "| Judd GV5 5.0L V10 | x | |"),
            "x.txt:19: expected an engine row (engine in the first cell, the others empty)",
        ),
        (
            _seed_with("| 4 | LMP900 |", "| 4 | |"),
            "x.txt:18: the class cell is empty",
        ),
        (
            _seed_with("| Pos | Class | No |", "| Pos | Class | Car |"),
            "x.txt:10: the results table has no number column",
        ),
        (
            _seed_with("| Engine | | |", "| Motor | | |"),
            "x.txt:11: expected the '| Engine |' header row",
        ),
        (
            _seed_with("= 2003 Grand Prix of Sonoma =", "2003 Grand Prix of Sonoma"),
            "x.txt:1: the document must start with a '= Title =' heading",
        ),
        (
            _seed_with("==Official results==", "==Qualifying results=="),
            "x.txt: no '==Official results==' section",
        ),
        (
            _seed_with("- Distance - 415.307 km", "- Distance - 258 furlongs"),
            "x.txt:88: '258 furlongs' is not a number of km",
        ),
        (
            _seed_with("- Average Speed - 150.145 km/h", "- Average Speed - 150.145 km"),
            "x.txt:89: '150.145 km' is not a number of km/h",
        ),
        (
            _seed_with("- Pole Position - #16 Dyson Racing - 1:23.085", "- Pole Position - Dyson"),
            "x.txt:86: lap record 'Dyson' is not '#car Team - m:ss.sss'",
        ),
        (
            _seed_with("- Fastest Lap -", "- Fastest Lap"),
            "x.txt:87: statistics line '- Fastest Lap #16 Dyson Racing - 1:24.229' "
            "is not '- Name - value'",
        ),
        (
            _seed_with("==Statistics==", "==Official results=="),
            "x.txt:85: section 'Official results' appears twice",
        ),
        ("", "x.txt: the document is empty"),
        ("   \n\n", "x.txt: the document is empty"),
    ],
)
def test_malformed_documents(text: str, message: str) -> None:
    """Each failure names the file and line and says exactly what is wrong."""
    with pytest.raises(SeedError) as caught:
        parse_race(text, source="x.txt")
    assert str(caught.value) == message


def test_entry_without_engine_row() -> None:
    """A table that ends after an entry's first row is reported at that entry."""
    text = SEED_TEXT.replace("| MG (AER) XP20 2.0L Turbo I4 | | | | | | | |\n\n==Stat", "\n==Stat")
    assert text != SEED_TEXT
    with pytest.raises(SeedError, match=r"^x\.txt:82: entry has no engine row under it$"):
        parse_race(text, source="x.txt")


def test_table_without_entries() -> None:
    """A header with no cars under it is an error, not an empty race."""
    lines = SEED_TEXT.splitlines()
    text = "\n".join(lines[:11] + lines[83:])
    with pytest.raises(SeedError, match=r"^x\.txt:10: the results table has no entries$"):
        parse_race(text, source="x.txt")


def test_missing_optional_parts_become_none() -> None:
    """No statistics section, no notes line and no prose facts: those facts are None."""
    lines = SEED_TEXT.splitlines()
    body = [line for line in lines[6:83] if not line.startswith("Class winners")]
    race = parse_race("= Bare =\n\n" + "\n".join(body), source="bare.txt")
    assert race.title == "Bare"
    assert (race.series, race.round, race.date, race.circuit, race.location) == (None,) * 5
    assert race.notes is None
    assert race.statistics.pole is None
    assert race.statistics.distance_km is None
    assert race.statistics.lap_length_km is None
    assert race.statistics.duration_s is None
    assert race.statistics.pole_speed_kmh is None
    assert len(race.entries) == 36


def test_some_statistics_missing() -> None:
    """Without the average speed line the duration is unknown but the rest stands."""
    race = parse_race(_seed_with("- Average Speed - 150.145 km/h\n", ""), source="x.txt")
    assert race.statistics.average_speed_kmh is None
    assert race.statistics.duration_s is None
    assert race.statistics.lap_length_km == pytest.approx(415.307 / 102)


HEADER = "| Pos | Class | No | Team | Drivers | Chassis | Tyre | Laps |"


def _mini(rows: list[str], header: str = HEADER) -> str:
    """A small document around the given table rows."""
    engine_header = "| Engine |" + " |" * (header.count("|") - 2)
    return "\n".join(["= Mini =", "", "==Official results==", header, engine_header, *rows])


@pytest.mark.parametrize(
    ("cell", "position", "status"),
    [
        ("1", 1, Status.CLASSIFIED),
        ("29 DNF", 29, Status.DNF),
        ("DNF", None, Status.DNF),
        ("DNS", None, Status.DNS),
        ("NC", None, Status.NC),
        ("30 NC", 30, Status.NC),
    ],
)
def test_position_cells(cell: str, position: int | None, status: Status) -> None:
    """Every way a position cell can be written."""
    race = parse_race(
        _mini([f"| {cell} | GT | 7 | Team | Ann Bee | Car | | 50 |", "| V8 | | | | | | | |"])
    )
    (entry,) = race.entries
    assert (entry.position, entry.status) == (position, status)
    assert entry.class_position == (None if position is None else 1)


def test_columns_are_mapped_by_name() -> None:
    """Columns in another order, and a filled Tyre column, read the same fields."""
    header = "| Laps | No | Drivers | Pos | Team | Class | Tyre | Chassis |"
    race = parse_race(
        _mini(
            [
                "| 102 | 16 | Butch Leitzinger James Weaver | 1 | Dyson Racing | LMP675 | G | "
                "MG-Lola EX257 |",
                "| MG (AER) XP20 2.0L Turbo I4 | | | | | | | |",
            ],
            header=header,
        )
    )
    (entry,) = race.entries
    assert entry.model_dump(include={"position", "class_", "number", "team", "drivers"}) == {
        "position": 1,
        "class_": "LMP675",
        "number": "16",
        "team": "Dyson Racing",
        "drivers": ("Butch Leitzinger", "James Weaver"),
    }
    assert (entry.chassis, entry.engine, entry.tyre, entry.laps) == (
        "MG-Lola EX257",
        "MG (AER) XP20 2.0L Turbo I4",
        "G",
        102,
    )


def test_every_seed_parses() -> None:
    """Every document shipped in seeds/ loads without an error."""
    report = load_folder(SEEDS)
    assert report.errors == ()
    assert len(report.races) == len(list(SEEDS.glob("*.txt"))) >= 1


def test_folder_keeps_good_races_and_reports_bad(tmp_path: Path) -> None:
    """One bad document is reported with its file and line; the good ones still load."""
    (tmp_path / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(_seed_with("| 102 |", "| lots |"), encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"= T =\n\xff\xfe")
    (tmp_path / "ignored.md").write_text("not a race", encoding="utf-8")
    report = load_folder(tmp_path)
    assert [r.source for r in report.races] == ["good.txt"]
    assert sorted(str(e) for e in report.errors) == [
        "bad.txt:12: laps 'lots' is not a number",
        "binary.txt:2: the file is not valid UTF-8",
    ]


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    """A folder that does not exist is one clear error, not a crash."""
    report = load_folder(tmp_path / "nope")
    assert report.races == ()
    assert [e.message for e in report.errors] == ["no such folder of race documents"]


def test_winner_without_laps_leaves_lap_length_unknown() -> None:
    """A winner credited with 0 laps parses; lap length and lap speeds are then unknown."""
    text = _mini(["| 1 | GT | 7 | Team | Ann Bee | Car | | 0 |", "| V8 | | | | | | | |"])
    race = parse_race(text + "\n==Statistics==\n- Distance - 10.5 km\n")
    assert race.statistics.distance_km == 10.5
    assert race.statistics.lap_length_km is None
    assert race.entries[0].reached_classified_distance is True


def test_a_class_led_by_a_retired_car_has_no_winner() -> None:
    """A class whose best car did not finish has a class order but no class winner."""
    race = parse_race(
        _mini(
            [
                "| 1 | GT | 7 | Team A | Ann Bee | Car | | 50 |",
                "| V8 | | | | | | | |",
                "| 2 DNF | GT2 | 8 | Team B | Cy Dee | Car | | 30 |",
                "| V8 | | | | | | | |",
                "| 3 DNF | GT2 | 9 | Team C | Ed Eff | Car | | 20 |",
                "| V8 | | | | | | | |",
            ]
        )
    )
    first, second, third = race.entries
    assert [e.number for e in race.class_winners()] == ["7"]
    assert (second.class_position, second.is_class_winner) == (1, False)
    assert (third.class_position, third.laps_behind_class_winner) == (2, None)
    assert (second.laps_behind_leader, third.laps_behind_leader) == (20, 30)
    assert first.is_class_winner


def _doc(*lines: str, section: str = "==Official results==") -> str:
    """A document with the given table lines under a results heading."""
    return "\n".join(["= Variant =", "", section, *lines])


@pytest.mark.parametrize(
    "section", ["==Race results==", "==Results==", "===Race result===", "====Classification===="]
)
def test_results_under_other_headings(section: str) -> None:
    """Real articles name the results section in several ways and at several levels."""
    race = parse_race(
        _doc(HEADER, "| Engine | | | | | | | |", "| 1 | GT | 7 | T | Ann Bee | C | | 9 |",
             "| V8 | | | | | | | |", section=section)
    )  # fmt: skip
    assert [e.number for e in race.entries] == ["7"]


def test_qualifying_table_before_the_results_is_skipped() -> None:
    """A qualifying table (no laps, no car column) under 'Results' is not the race's table."""
    text = "\n".join(
        [
            "= Q =",
            "==Qualifying==",
            "===Results===",
            "| Pos | Class | Team | Driver | Lap Time | Grid |",
            "| 1 | GT | #7 T | Ann Bee | 1:10.000 | 1 |",
            "==Race==",
            "===Results===",
            HEADER,
            "| Engine | | | | | | | |",
            "| 1 | GT | 7 | T | Ann Bee | C | | 9 |",
            "| V8 | | | | | | | |",
        ]
    )
    (entry,) = parse_race(text).entries
    assert (entry.number, entry.laps) == ("7", 9)


def test_other_column_names_extra_columns_and_no_class() -> None:
    """Entrant, Car, Tyres and an ignored Time/Retired column; no Class column at all."""
    header = "| Pos | No. | Entrant | Drivers | Car | Tyres | Laps | Time/Retired |"
    race = parse_race(
        _doc(header, "| Engine | | | | | | | |",
             "| 1 | 12 | FRA Oreca | Ann Bee | Dallara | M | 100 | 2:45:01.123 |",
             "| Judd V10 | | | | | | | |")
    )  # fmt: skip
    (entry,) = race.entries
    assert (entry.class_, entry.team, entry.chassis, entry.tyre) == (
        "Overall",
        "Oreca",
        "Dallara",
        "M",
    )
    assert entry.engine == "Judd V10"


def test_single_row_entries_without_engine_rows() -> None:
    """Without an '| Engine |' header row each car is one row; an Engine column is read."""
    header = "| Pos | Class | No | Team | Drivers | Chassis | Engine | Laps |"
    race = parse_race(
        _doc(header,
             "| 1 | P | 1 | A | Ann Bee | X1 | V8 | 50 |",
             "| 2 | P | 2 | B | Cy Dee | X2 | | +3 Laps |")
    )  # fmt: skip
    first, second = race.entries
    assert (first.engine, second.engine) == ("V8", None)
    assert second.laps == 47


@pytest.mark.parametrize(
    ("cell", "position", "status"),
    [
        ("Ret", None, Status.DNF),
        ("12 Ret", 12, Status.DNF),
        ("DSQ", None, Status.DSQ),
        ("14 DSQ", 14, Status.DSQ),
        ("DQ", None, Status.DSQ),
        ("DNQ", None, Status.DNS),
        ("WD", None, Status.DNS),
        ("dnf", None, Status.DNF),
    ],
)
def test_other_status_words(cell: str, position: int | None, status: Status) -> None:
    """Ret is a retirement, DSQ and DQ disqualified, DNQ and WD did not start."""
    race = parse_race(
        _mini([f"| {cell} | GT | 7 | Team | Ann Bee | Car | | 50 |", "| V8 | | | | | | | |"])
    )
    (entry,) = race.entries
    assert (entry.position, entry.status) == (position, status)


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("- Distance - 258.063 mi", "distance_km", 258.063 * 1.609344),
        ("- Distance - 415.307 km (258.063 mi)", "distance_km", 415.307),
        ("- Average Speed - 93.3 mph", "average_speed_kmh", 93.3 * 1.609344),
        ("* Average Speed: 150.145 km/h", "average_speed_kmh", 150.145),
        ("Distance – 1,000.5 km", "distance_km", 1000.5),
    ],
)
def test_statistics_variants(line: str, field: str, value: float) -> None:
    """Miles and mph are converted; bullets, colons, dashes and asides vary."""
    text = _seed_with("- Distance - 415.307 km\n- Average Speed - 150.145 km/h", line)
    stats = parse_race(text).statistics
    assert getattr(stats, field) == pytest.approx(value)


def test_unknown_statistics_lines_are_ignored() -> None:
    """A note or an unread statistic in the section does not refuse the race."""
    text = _seed_with("- Distance - 415.307 km", "- Lead changes - 7\nAll times unofficial.")
    assert parse_race(text).statistics.distance_km is None


def test_a_number_cell_of_only_a_hash_is_refused_by_validation() -> None:
    """'#' is a number cell with nothing in it: the validation path names the line."""
    rows = ["| 1 | GT | # | Team | Ann Bee | Car | | 50 |", "| V8 | | | | | | | |"]
    with pytest.raises(SeedError) as caught:
        parse_race(_mini(rows), "x.txt")
    assert (caught.value.line, caught.value.message) == (
        6,
        "number: String should have at least 1 character",
    )
