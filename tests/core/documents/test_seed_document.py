"""The seed document parsed field by field."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.documents.model import Race, Status
from bot.core.documents.parsing import load_race
from tests.paths import RACES

SEEDS = RACES
SEED = SEEDS / "2003-grand-prix-of-sonoma.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


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
