"""The seed document parsed field by field, and every way a document can be malformed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.core.documents.model import Entry, Race, Status, rank_entries, ranked_entries
from bot.core.documents.parsing import SeedError, load_folder, load_race, parse_race
from bot.core.documents.tables import MAX_COUNT, _valid_as_is, count
from tests.paths import RACES

SEEDS = RACES
SEED = SEEDS / "2003-grand-prix-of-sonoma.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
REAL_DOCUMENTS = Path(__file__).parent / "real_documents"

# line, position, status, class, number, team, drivers, chassis, engine, laps,
# class position, laps behind leader, laps behind class winner, reached 75 %
ENTRIES = [
    (
        12,
        1,
        "classified",
        "LMP675",
        "16",
        "Dyson Racing",
        ("Butch Leitzinger", "James Weaver"),
        "MG-Lola EX257",
        "MG (AER) XP20 2.0L Turbo I4",
        102,
        1,
        0,
        0,
        True,
    ),
    (
        14,
        2,
        "classified",
        "LMP900",
        "1",
        "Infineon Team Joest",
        ("Marco Werner", "Frank Biela"),
        "Audi R8",
        "Audi 3.6L Turbo V8",
        102,
        1,
        0,
        0,
        True,
    ),
    (
        16,
        3,
        "classified",
        "LMP900",
        "38",
        "ADT Champion Racing",
        ("Johnny Herbert", "JJ Lehto"),
        "Audi R8",
        "Audi 3.6L Turbo V8",
        102,
        2,
        0,
        0,
        True,
    ),
    (
        18,
        4,
        "classified",
        "LMP900",
        "27",
        "Doran Lista Racing",
        ("Didier Theys", "Bill Auberlen"),
        "Dallara SP1",
        "Judd GV5 5.0L V10",
        102,
        3,
        0,
        0,
        True,
    ),
    (
        20,
        5,
        "classified",
        "LMP900",
        "10",
        "JML Team Panoz",
        ("Olivier Beretta", "Gunnar Jeannette"),
        "Panoz LMP01 Evo",
        "Élan 6L8 6.0L V8",
        101,
        4,
        1,
        1,
        True,
    ),
    (
        22,
        6,
        "classified",
        "LMP900",
        "11",
        "JML Team Panoz",
        ("Benjamin Leuenberger", "David Saelens"),
        "Panoz LMP01 Evo",
        "Élan 6L8 6.0L V8",
        101,
        5,
        1,
        1,
        True,
    ),
    (
        24,
        7,
        "classified",
        "LMP675",
        "20",
        "Dyson Racing",
        ("Chris Dyson", "Andy Wallace"),
        "MG-Lola EX257",
        "MG (AER) XP20 2.0L Turbo I4",
        100,
        2,
        2,
        2,
        True,
    ),
    (
        26,
        8,
        "classified",
        "GTS",
        "3",
        "Corvette Racing",
        ("Ron Fellows", "Johnny O'Connell"),
        "Chevrolet Corvette C5-R",
        "Chevrolet LS7-R 7.0L V8",
        97,
        1,
        5,
        0,
        True,
    ),
    (
        28,
        9,
        "classified",
        "GTS",
        "4",
        "Corvette Racing",
        ("Kelly Collins", "Oliver Gavin"),
        "Chevrolet Corvette C5-R",
        "Chevrolet LS7-R 7.0L V8",
        97,
        2,
        5,
        0,
        True,
    ),
    (
        30,
        10,
        "classified",
        "GTS",
        "80",
        "Prodrive",
        ("David Brabham", "Jan Magnussen"),
        "Ferrari 550-GTS Maranello",
        "Ferrari 5.9L V12",
        96,
        3,
        6,
        1,
        True,
    ),
    (
        32,
        11,
        "classified",
        "LMP900",
        "30",
        "Intersport Racing",
        ("Clint Field", "Rick Sutherland"),
        "Lola B2K/10B",
        "Judd GV4 4.0L V10",
        94,
        6,
        8,
        8,
        True,
    ),
    (
        34,
        12,
        "classified",
        "GTS",
        "88",
        "Prodrive",
        ("Tomáš Enge", "Peter Kox"),
        "Ferrari 550-GTS Maranello",
        "Ferrari 5.9L V12",
        94,
        4,
        8,
        3,
        True,
    ),
    (
        36,
        13,
        "classified",
        "GT",
        "23",
        "Alex Job Racing",
        ("Lucas Luhr", "Sascha Maassen"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        93,
        1,
        9,
        0,
        True,
    ),
    (
        38,
        14,
        "classified",
        "GT",
        "24",
        "Alex Job Racing",
        ("Jörg Bergmeister", "Timo Bernhard"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        93,
        2,
        9,
        0,
        True,
    ),
    (
        40,
        15,
        "classified",
        "GT",
        "35",
        "Risi Competizione",
        ("Anthony Lazzaro", "Ralf Kelleners"),
        "Ferrari 360 Modena GTC",
        "Ferrari 3.6L V8",
        93,
        3,
        9,
        0,
        True,
    ),
    (
        42,
        16,
        "classified",
        "GT",
        "66",
        "The Racer's Group",
        ("Kevin Buckler", "Cort Wagner"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        93,
        4,
        9,
        0,
        True,
    ),
    (
        44,
        17,
        "classified",
        "GT",
        "31",
        "Petersen Motorsport White Lightning Racing",
        ("Craig Stanton", "Johnny Mowlem"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        92,
        5,
        10,
        1,
        True,
    ),
    (
        46,
        18,
        "classified",
        "LMP675",
        "18",
        "Essex Racing",
        ("David McEntee", "Jason Workman"),
        "Lola B2K/40",
        "Nissan (AER) VQL 3.0L V6",
        92,
        3,
        10,
        10,
        True,
    ),
    (
        48,
        19,
        "classified",
        "GT",
        "79",
        "J3 Racing",
        ("David Murry", "Justin Jackson"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        91,
        6,
        11,
        2,
        True,
    ),
    (
        50,
        20,
        "classified",
        "GT",
        "43",
        "Orbit Racing",
        ("Leo Hindery", "Peter Baron"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        91,
        7,
        11,
        2,
        True,
    ),
    (
        52,
        21,
        "classified",
        "GT",
        "67",
        "The Racer's Group",
        ("Michael Schrom", "Pierre Ehret"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        90,
        8,
        12,
        3,
        True,
    ),
    (
        54,
        22,
        "classified",
        "GTS",
        "0",
        "Team Olive Garden",
        ("Emanuele Naspetti", "Mimmo Schiattarella"),
        "Ferrari 550 Maranello",
        "Ferrari 6.0L V12",
        90,
        5,
        12,
        7,
        True,
    ),
    (
        56,
        23,
        "classified",
        "GT",
        "42",
        "Orbit Racing",
        ("Joe Policastro", "Joe Policastro Jr."),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        89,
        9,
        13,
        4,
        True,
    ),
    (
        58,
        24,
        "classified",
        "GT",
        "89",
        "Inline Cunningham Racing",
        ("Oswaldo Negri Jr.", "Scott Bader"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        87,
        10,
        15,
        6,
        True,
    ),
    (
        60,
        25,
        "classified",
        "GT",
        "28",
        "JMB Racing USA",
        ("Stéphane Grégoire", "Eliseo Salazar"),
        "Ferrari 360 Modena GTC",
        "Ferrari 3.6L V8",
        87,
        11,
        15,
        6,
        True,
    ),
    (
        62,
        26,
        "classified",
        "GT",
        "61",
        "P.K. Sport",
        ("Keith Alexander", "Vic Rice"),
        "Porsche 911 GT3-R",
        "Porsche 3.6L Flat-6",
        87,
        12,
        15,
        6,
        True,
    ),
    (
        64,
        27,
        "classified",
        "GT",
        "63",
        "ACEMCO Motorsports",
        ("Terry Borcheller", "Shane Lewis"),
        "Ferrari 360 Modena GTC",
        "Ferrari 3.6L V8",
        87,
        13,
        15,
        6,
        True,
    ),
    (
        66,
        28,
        "classified",
        "GT",
        "68",
        "The Racer's Group",
        ("Marc Bunting", "Chris Gleason"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        81,
        14,
        21,
        12,
        True,
    ),
    (
        68,
        29,
        "dnf",
        "GT",
        "60",
        "P.K. Sport",
        ("Robin Liddell", "Alex Davison"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        72,
        15,
        30,
        21,
        False,
    ),
    (
        70,
        30,
        "dnf",
        "GTS",
        "71",
        "Carsport America",
        ("Aaron Povoledo", "Jean-Philippe Belloc"),
        "Dodge Viper GTS-R",
        "Dodge 8.0L V10",
        71,
        6,
        31,
        26,
        False,
    ),
    (
        72,
        31,
        "dnf",
        "LMP900",
        "12",
        "American Spirit Racing",
        ("Michael Lewis", "Tomy Drissi"),
        "Riley & Scott Mk III C",
        "Lincoln (Élan) 5.0L V8",
        45,
        7,
        57,
        57,
        False,
    ),
    (
        74,
        32,
        "dnf",
        "GT",
        "33",
        "ZIP Racing",
        ("Andy Lally", "Spencer Pumpelly"),
        "Porsche 911 GT3-RS",
        "Porsche 3.6L Flat-6",
        44,
        16,
        58,
        49,
        False,
    ),
    (
        76,
        33,
        "dnf",
        "GT",
        "29",
        "JMB Racing USA",
        ("Andrea Garbagnati", "Ludovico Manfredi"),
        "Ferrari 360 Modena GTC",
        "Ferrari 3.6L V8",
        31,
        17,
        71,
        62,
        False,
    ),
    (
        78,
        34,
        "dnf",
        "GT",
        "03",
        "Hyper Sport",
        ("Joe Foster", "Brad Nyberg", "Rick Skelton"),
        "Panoz Esperante GT-LM",
        "Élan 5.0L V8",
        28,
        18,
        74,
        65,
        False,
    ),
    (
        80,
        35,
        "dnf",
        "LMP675",
        "56",
        "Team Bucknum Racing",
        ("Jeff Bucknum", "Bryan Willman", "Chris McMurry"),
        "Pilbeam MP91",
        "Willman (JPX) 3.4L V6",
        24,
        4,
        78,
        78,
        False,
    ),
    (
        82,
        None,
        "dns",
        "LMP675",
        "37",
        "Intersport Racing",
        ("Jon Field", "Duncan Dayton"),
        "MG-Lola EX257",
        "MG (AER) XP20 2.0L Turbo I4",
        None,
        None,
        None,
        None,
        False,
    ),
]


@pytest.fixture(scope="module")
def race() -> Race:
    """The seed, parsed once."""
    return load_race(SEED)


def test_every_entry_is_parsed(race: Race) -> None:
    """All 36 cars are read, in document order."""
    assert len(race.entries) == 36
    assert [e.number for e in race.entries] == [row[4] for row in ENTRIES]


@pytest.mark.parametrize("row", ENTRIES, ids=[f"#{row[4]}" for row in ENTRIES])
def test_entry_fields(race: Race, row: tuple[object, ...]) -> None:
    """Each car's every field, read and derived, is exactly what the document says."""
    entry = next(e for e in race.entries if e.number == row[4])
    assert (
        entry.line,
        entry.position,
        entry.status.value,
        entry.class_,
        entry.number,
        entry.team,
        entry.drivers,
        entry.chassis,
        entry.engine,
        entry.laps,
        entry.class_position,
        entry.laps_behind_leader,
        entry.laps_behind_class_winner,
        entry.reached_classified_distance,
    ) == row
    assert entry.tyre is None
    assert SEED_TEXT.splitlines()[entry.line - 1].split("|")[3].strip() == entry.number


def test_race_facts(race: Race) -> None:
    """Title, series, round, date, circuit, location, notes and prose come from the article."""
    assert race.title == "2003 Grand Prix of Sonoma"
    assert race.series == "American Le Mans Series"
    assert race.round == 3
    assert race.date == dt.date(2003, 7, 27)
    assert race.circuit == "Infineon Raceway"
    assert race.location == "California"
    assert race.source == "2003-grand-prix-of-sonoma.txt"
    assert race.notes is not None
    assert race.notes.startswith("Class winners in bold.")
    assert len(race.prose) == 2
    assert race.prose[1].endswith("by a margin of 3.7 seconds.")


def test_statistics(race: Race) -> None:
    """Pole, fastest lap, distance and average speed, and what follows from them."""
    stats = race.statistics
    assert stats.pole is not None
    assert stats.fastest_lap is not None
    assert (stats.pole.number, stats.pole.team, stats.pole.time) == (
        "16",
        "Dyson Racing",
        "1:23.085",
    )
    assert stats.pole.seconds == 83.085
    assert (stats.fastest_lap.number, stats.fastest_lap.team) == ("16", "Dyson Racing")
    assert (stats.fastest_lap.time, stats.fastest_lap.seconds) == ("1:24.229", 84.229)
    assert stats.distance_km == 415.307
    assert stats.average_speed_kmh == 150.145
    assert stats.lap_length_km == pytest.approx(415.307 / 102)
    assert stats.duration_s == pytest.approx(415.307 / 150.145 * 3600)
    assert stats.duration_s == pytest.approx(2 * 3600 + 45 * 60 + 57.74, abs=0.01)
    assert stats.pole_speed_kmh == pytest.approx(176.420, abs=0.001)
    assert stats.fastest_lap_speed_kmh == pytest.approx(174.024, abs=0.001)


def test_class_winners(race: Race) -> None:
    """LMP675 #16, LMP900 #1, GTS #3 and GT #23 won their classes."""
    winners = {e.class_: e.number for e in race.class_winners()}
    assert winners == {"LMP675": "16", "LMP900": "1", "GTS": "3", "GT": "23"}
    assert race.classes == ("LMP675", "LMP900", "GTS", "GT")
    assert race.winner is not None
    assert race.winner.number == "16"


def test_statuses(race: Race) -> None:
    """Seven cars did not finish, one did not start, none is unclassified."""
    counts = {status: sum(e.status is status for e in race.entries) for status in Status}
    assert counts == {
        Status.CLASSIFIED: 28,
        Status.DNF: 7,
        Status.DNS: 1,
        Status.NC: 0,
        Status.DSQ: 0,
    }


def test_car_numbers_are_strings(race: Race) -> None:
    """'03' (Hyper Sport) and '3' (Corvette) are different cars; '0' is a car too."""
    by_number = {e.number: e.team for e in race.entries}
    assert by_number["03"] == "Hyper Sport"
    assert by_number["3"] == "Corvette Racing"
    assert by_number["0"] == "Team Olive Garden"


def test_flags_are_stripped_from_teams_and_drivers(race: Race) -> None:
    """'USA JMB Racing USA' is JMB Racing USA, the team of car #28; a flag splits a crew."""
    by_number = {e.number: e for e in race.entries}
    assert by_number["29"].team == by_number["28"].team == "JMB Racing USA"
    assert by_number["18"].drivers == ("David McEntee", "Jason Workman")
    assert by_number["38"].team == "ADT Champion Racing"


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


def test_ranked_entries_are_what_model_copy_makes() -> None:
    """rank_entries' copies equal pydantic's own, fields set and all."""
    race = parse_race(SEED_TEXT, "seed.txt")
    for entry, ranked in zip(race.entries, rank_entries(race.entries), strict=True):
        derived = {name: getattr(ranked, name) for name in ranked.model_fields_set}
        expected = entry.model_copy(update=derived)
        assert ranked == expected
        assert ranked.model_fields_set == expected.model_fields_set
        assert ranked.model_dump() == expected.model_dump()
        assert list(ranked.__dict__) == list(expected.__dict__)


@pytest.mark.parametrize("path", [SEED, *sorted(REAL_DOCUMENTS.glob("*.txt"))], ids=str)
def test_entries_made_at_once_are_validated_then_ranked(path: Path) -> None:
    """ranked_entries (the parser's fast path) makes what validating and ranking makes."""
    given = "position status class_ number team drivers chassis engine tyre laps line".split()
    race = parse_race(path.read_text(encoding="utf-8"), path.name)
    fields = [{name: getattr(entry, name) for name in given} for entry in race.entries]
    expected = rank_entries(Entry.model_validate(entry) for entry in fields)
    for made, wanted in zip(ranked_entries(fields), expected, strict=True):
        assert made == wanted
        assert made.model_fields_set == wanted.model_fields_set
        assert list(made.__dict__.items()) == list(wanted.__dict__.items())


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_count_reads_few_digits_as_many(digits: str) -> None:
    """count's shortcut for a few digits gives what reading the significant digits gives."""
    significant = digits.lstrip("0")
    value = int(significant) if 0 < len(significant) <= 5 else 0
    if len(significant) > 5 or value > MAX_COUNT:
        with pytest.raises(SeedError, match=f"laps '{digits}' is over 10,000"):
            count("laps", digits, "doc.txt", 3)
    else:
        assert count("laps", digits, "doc.txt", 3) == value


def test_the_fast_path_knows_every_check_an_entry_makes() -> None:
    """The parser skips `Entry` validation for fields `tables._valid_as_is` passes, so that check
    must cover every constraint and validator the model has: change one, change both."""
    constraints = {
        name: (str(field.annotation), [repr(rule) for rule in field.metadata])
        for name, field in Entry.model_fields.items()
        if field.metadata
    }
    assert constraints == {
        "position": ("int | None", ["Ge(ge=1)"]),
        "class_": ("<class 'str'>", ["MinLen(min_length=1)"]),
        "number": ("<class 'str'>", ["MinLen(min_length=1)"]),
        "laps": ("int | None", ["Ge(ge=0)"]),
        "line": ("<class 'int'>", ["Ge(ge=1)"]),
    }
    decorators = Entry.__pydantic_decorators__
    assert not decorators.field_validators
    assert not decorators.model_validators
    assert not decorators.validators
    assert not decorators.root_validators


_VALID_FIELDS = {
    "position": 3,
    "status": Status.CLASSIFIED,
    "class_": "GT",
    "number": "7",
    "team": "Team",
    "drivers": ("Ann Bee",),
    "chassis": None,
    "engine": None,
    "tyre": None,
    "laps": 50,
    "line": 12,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("position", 0),
        ("position", 1),
        ("position", None),
        ("laps", -1),
        ("laps", 0),
        ("laps", None),
        ("class_", ""),
        ("class_", "G"),
        ("number", ""),
        ("number", "0"),
        ("line", 0),
        ("line", 1),
    ],
)
def test_the_fast_path_agrees_with_validation_at_each_bound(field: str, value: object) -> None:
    """`_valid_as_is` passes exactly the fields `Entry` validation passes, at every bound."""
    fields = {**_VALID_FIELDS, field: value}
    try:
        Entry.model_validate(fields)
        valid = True
    except ValidationError:
        valid = False
    assert _valid_as_is(fields) is valid


def test_a_number_cell_of_only_a_hash_is_refused_by_validation() -> None:
    """'#' is a number cell with nothing in it: the validation path names the line."""
    rows = ["| 1 | GT | # | Team | Ann Bee | Car | | 50 |", "| V8 | | | | | | | |"]
    with pytest.raises(SeedError) as caught:
        parse_race(_mini(rows), "x.txt")
    assert (caught.value.line, caught.value.message) == (
        6,
        "number: String should have at least 1 character",
    )
