"""Real race articles (Wikipedia, CC BY-SA 4.0), read field by field as a person reads them.

Each fixture in `real_documents/` keeps the article's heading, opening paragraph(s), results
header and the complete car row-pairs the stored copy showed (the tables are cut short), plus
the Statistics section where a copy of the same article showed it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.core.documents.model import Race, Status
from bot.core.documents.parsing import load_folder, load_race, parse_race

FOLDER = Path(__file__).parent / "real_documents"
WIKI = "https://en.wikipedia.org/wiki/"

# Attribution: each fixture's source article (CC BY-SA 4.0).
SOURCES = {
    "2000-grand-prix-of-charlotte.txt": WIKI + "2000_Grand_Prix_of_Charlotte",
    "2000-grand-prix-of-sonoma.txt": WIKI + "2000_Grand_Prix_of_Sonoma",
    "2000-grand-prix-of-texas.txt": WIKI + "2000_Grand_Prix_of_Texas",
    "2000-monterey-sports-car-championships.txt": WIKI + "2000_Monterey_Sports_Car_Championships",
    "2001-grand-prix-of-portland.txt": WIKI + "2001_Grand_Prix_of_Portland",
    "2001-grand-prix-of-texas.txt": WIKI + "2001_Grand_Prix_of_Texas",
    "2002-grand-prix-de-trois-rivieres.txt": WIKI + "2002_Grand_Prix_de_Trois-Rivi%C3%A8res",
    "2002-grand-prix-of-washington-dc.txt": WIKI + "2002_Grand_Prix_of_Washington_D.C.",
    "2002-petit-le-mans.txt": WIKI + "2002_Petit_Le_Mans",
    # Statistics from the same article as mirrored at theinfolist.com.
    "2003-grand-prix-de-trois-rivieres.txt": WIKI + "2003_Grand_Prix_de_Trois-Rivi%C3%A8res",
    "2004-portland-grand-prix.txt": WIKI + "2004_Portland_Grand_Prix",
    "2005-portland-grand-prix.txt": WIKI + "2005_Portland_Grand_Prix",
    "2006-lone-star-grand-prix.txt": WIKI + "2006_Lone_Star_Grand_Prix",
    "2006-portland-grand-prix.txt": WIKI + "2006_Portland_Grand_Prix",
    # Statistics from the same article as mirrored at en-academic.com.
    "2008-northeast-grand-prix.txt": WIKI + "2008_Northeast_Grand_Prix",
}
ALMS = "American Le Mans Series"

# file -> title, series, round, date, circuit, location, cars, winner (number, team, drivers)
FACTS: dict[str, tuple[Any, ...]] = {
    "2000-grand-prix-of-charlotte.txt": (
        "2000 Grand Prix of Charlotte", ALMS, 2, dt.date(2000, 4, 1),
        "Lowe's Motor Speedway", "North Carolina", 11,
        ("42", "BMW Motorsport Schnitzer Motorsport", ("Jörg Müller", "JJ Lehto")),
    ),
    "2000-grand-prix-of-sonoma.txt": (
        "2000 Grand Prix of Sonoma", ALMS, 5, dt.date(2000, 7, 23),
        "Sonoma Raceway", "California", 11,
        ("77", "Audi Sport North America", ("Rinaldo Capello", "Allan McNish")),
    ),
    "2000-grand-prix-of-texas.txt": (
        "2000 Grand Prix of Texas", ALMS, 7, dt.date(2000, 9, 2),
        "Texas Motor Speedway", "Texas", 11,
        ("78", "Audi Sport North America", ("Frank Biela", "Emanuele Pirro")),
    ),
    "2000-monterey-sports-car-championships.txt": (
        "2000 Monterey Sports Car Championships", ALMS, 10, dt.date(2000, 10, 15),
        "Laguna Seca Raceway", "California", 11,
        ("77", "Audi Sport North America", ("Rinaldo Capello", "Allan McNish")),
    ),
    "2001-grand-prix-of-portland.txt": (
        "2001 Grand Prix of Portland", ALMS, 6, dt.date(2001, 8, 5),
        "Portland International Raceway", "Oregon", 11,
        ("50", "Panoz Motor Sports", ("Jan Magnussen", "David Brabham")),
    ),
    "2001-grand-prix-of-texas.txt": (
        "2001 Grand Prix of Texas", ALMS, 1, dt.date(2001, 3, 4),
        "Texas Motor Speedway", "Texas", 9,
        ("1", "Audi Sport North America", ("Tom Kristensen", "Rinaldo Capello")),
    ),
    "2002-grand-prix-de-trois-rivieres.txt": (
        "2002 Grand Prix de Trois-Rivières", ALMS, 6, dt.date(2002, 8, 3),
        "Circuit Trois-Rivières", "Quebec", 11,
        ("2", "Audi Sport North America", ("Tom Kristensen", "Rinaldo Capello")),
    ),
    "2002-grand-prix-of-washington-dc.txt": (
        "2002 Grand Prix of Washington D.C.", ALMS, 5, dt.date(2002, 7, 21),
        None, "Washington, D.C.", 6,
        ("50", "Panoz Motor Sports", ("David Brabham", "Jan Magnussen")),
    ),
    "2002-petit-le-mans.txt": (
        "2002 Petit Le Mans", ALMS, 10, dt.date(2002, 10, 12),
        "Road Atlanta", "Georgia", 10,
        ("2", "Audi Sport North America", ("Tom Kristensen", "Rinaldo Capello")),
    ),
    "2003-grand-prix-de-trois-rivieres.txt": (
        "2003 Grand Prix de Trois-Rivières", ALMS, 4, dt.date(2003, 8, 3),
        "Circuit Trois-Rivières", "Trois-Rivières, Quebec", 11,
        ("1", "Infineon Team Joest", ("Marco Werner", "Frank Biela")),
    ),
    "2004-portland-grand-prix.txt": (
        "2004 Portland Grand Prix", ALMS, 5, dt.date(2004, 7, 25),
        "Portland International Raceway", None, 11,
        ("38", "ADT Champion Racing", ("Marco Werner", "JJ Lehto")),
    ),
    "2005-portland-grand-prix.txt": (
        "2005 Portland Grand Prix", ALMS, 6, dt.date(2005, 7, 30),
        "Portland International Raceway", None, 11,
        ("2", "ADT Champion Racing", ("Frank Biela", "Emanuele Pirro")),
    ),
    "2006-lone-star-grand-prix.txt": (
        "2006 Lone Star Grand Prix", ALMS, 2, dt.date(2006, 5, 12),
        "Reliant Park", "Houston", 11,
        ("2", "Audi Sport North America", ("Rinaldo Capello", "Allan McNish")),
    ),
    "2006-portland-grand-prix.txt": (
        "2006 Portland Grand Prix", ALMS, 6, dt.date(2006, 7, 22),
        "Portland International Raceway", None, 11,
        ("2", "Audi Sport North America", ("Rinaldo Capello", "Allan McNish")),
    ),
    "2008-northeast-grand-prix.txt": (
        "2008 Northeast Grand Prix", ALMS, 5, dt.date(2008, 7, 12),
        "Lime Rock Park", "Connecticut", 7,
        ("9", "Patrón Highcroft Racing", ("Scott Sharp", "David Brabham")),
    ),
}  # fmt: skip

# file -> class -> winning car number (among the rows the fixture holds)
CLASS_WINNERS = {
    "2000-grand-prix-of-charlotte.txt": {"LMP": "42", "GTS": "91", "GT": "51"},
    "2000-grand-prix-of-sonoma.txt": {"LMP": "77", "GTS": "92", "GT": "5"},
    "2000-grand-prix-of-texas.txt": {"LMP": "78", "GTS": "3", "GT": "23"},
    "2000-monterey-sports-car-championships.txt": {"LMP": "77", "GTS": "91"},
    "2001-grand-prix-of-portland.txt": {"LMP900": "50", "LMP675": "57", "GTS": "3", "GT": "6"},
    "2001-grand-prix-of-texas.txt": {"LMP900": "1", "GTS": "3", "GT": "23"},
    "2002-grand-prix-de-trois-rivieres.txt": {"LMP900": "2", "GTS": "4", "GT": "23"},
    "2002-grand-prix-of-washington-dc.txt": {"LMP900": "50"},
    "2002-petit-le-mans.txt": {"LMP900": "2", "LMP675": "37", "GTS": "3"},
    "2003-grand-prix-de-trois-rivieres.txt": {
        "LMP900": "1",
        "GTS": "4",
        "GT": "23",
        "LMP675": "37",
    },
    "2004-portland-grand-prix.txt": {"LMP1": "38", "GTS": "3", "LMP2": "30", "GT": "24"},
    "2005-portland-grand-prix.txt": {"LMP1": "2", "LMP2": "37", "GT1": "4", "GT2": "23"},
    "2006-lone-star-grand-prix.txt": {"LMP1": "2", "GT1": "4", "GT2": "23", "LMP2": "37"},
    "2006-portland-grand-prix.txt": {"LMP1": "2", "LMP2": "37", "GT1": "4"},
    "2008-northeast-grand-prix.txt": {"LMP2": "9", "LMP1": "2"},
}


def _race(name: str) -> Race:
    return load_race(FOLDER / name)


def _car(race: Race, number: str) -> Any:
    return next(entry for entry in race.entries if entry.number == number)


def test_every_fixture_has_a_source() -> None:
    """Each real document is attributed, and each attributed file exists."""
    assert sorted(p.name for p in FOLDER.glob("*.txt")) == sorted(SOURCES) == sorted(FACTS)


def test_the_whole_folder_loads_without_errors() -> None:
    """Loading the folder refuses nothing and keeps every race."""
    report = load_folder(FOLDER)
    assert report.errors == ()
    assert sorted(race.source for race in report.races) == sorted(SOURCES)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_race_facts(name: str) -> None:
    """Title, series, round, date, circuit, location, car count and winner, as read."""
    title, series, round_, date, circuit, location, cars, winner = FACTS[name]
    race = _race(name)
    assert (race.title, race.series, race.round, race.date) == (title, series, round_, date)
    assert (race.circuit, race.location) == (circuit, location)
    assert len(race.entries) == cars
    assert race.winner is not None
    assert (race.winner.number, race.winner.team, race.winner.drivers) == winner


@pytest.mark.parametrize("name", sorted(CLASS_WINNERS))
def test_class_winners(name: str) -> None:
    """The first classified car of each class wins it."""
    race = _race(name)
    assert {e.class_: e.number for e in race.class_winners()} == CLASS_WINNERS[name]


def test_flags_between_drivers_and_particles() -> None:
    """A flag separates drivers; 'de Radigues' stays one family name; a flagless first name."""
    race = _race("2001-grand-prix-of-portland.txt")
    assert _car(race, "57").drivers == ("Milka Duno", "Didier de Radigues", "John Graham")
    assert _car(race, "6").drivers == ("Boris Said", "Hans-Joachim Stuck")
    assert _car(race, "42").team == "BMW Motorsport Schnitzer Motorsport"


def test_single_word_teams_lose_their_flag_in_a_flagged_table() -> None:
    """'GBR Prodrive' and 'USA Intersport' are Prodrive and Intersport; NLD is a flag."""
    race = _race("2002-petit-le-mans.txt")
    assert _car(race, "33").team == "Prodrive"
    assert _car(race, "37").team == "Intersport"
    assert _car(race, "33").drivers == ("Tomáš Enge", "Peter Kox", "Alain Menu")
    assert _car(race, "3").drivers == (
        "Ron Fellows",
        "Johnny O'Connell",
        "Oliver Gavin",
    )


def test_mixed_flagged_and_plain_rows() -> None:
    """Rows with and without flags in one table read alike."""
    race = _race("2002-grand-prix-de-trois-rivieres.txt")
    assert _car(race, "50").team == "Panoz Motor Sports"
    assert _car(race, "51").team == "Panoz Motor Sports"
    assert _car(race, "16").drivers == ("Chris Dyson", "James Weaver")
    assert _car(race, "22").drivers == ("Timo Bernhard", "Jörg Bergmeister")


def test_flag_inside_a_team_name_joining_two_entrants() -> None:
    """'Maserati Corse USA Risi Competizione' names two entrants; the inner flag goes."""
    race = _race("2005-portland-grand-prix.txt")
    assert _car(race, "35").team == "Maserati Corse Risi Competizione"
    assert _car(race, "35").drivers == ("Fabrizio de Simone", "Mika Salo")
    assert _car(race, "43").team == "BAM!"


def test_three_driver_crews_without_flags() -> None:
    """Six words are three drivers of two words each; 'van Overbeek' keeps its particle."""
    race = _race("2004-portland-grand-prix.txt")
    assert _car(race, "30").drivers == ("Jon Field", "Clint Field", "Robin Liddell")
    assert _car(race, "45").drivers == ("Johannes van Overbeek", "Darren Law")
    assert _car(race, "66").team == "New Century - The Racer's Group"


def test_car_numbers_with_leading_zeros() -> None:
    """007 and 009 are text, distinct from 7 and 9."""
    race = _race("2006-lone-star-grand-prix.txt")
    assert _car(race, "007").drivers == ("Darren Turner", "Tomáš Enge")
    assert _car(race, "009").class_ == "GT1"
    assert _car(race, "31").team == "Petersen Motorsports White Lightning Racing"


def test_blank_tyre_cells_are_unknown() -> None:
    """The Tyre column is blank in these tables: None, never an empty string."""
    race = _race("2006-portland-grand-prix.txt")
    assert {entry.tyre for entry in race.entries} == {None}
    assert _car(race, "2").engine == "Audi TDI 5.5L Turbo V12 (Diesel)"


def test_subsection_results_tire_column_and_dnf() -> None:
    """'===Race results===' under another section; 'Tire' is the tyre; '7 DNF' retired."""
    race = _race("2008-northeast-grand-prix.txt")
    dnf = _car(race, "20")
    assert (dnf.position, dnf.status) == (7, Status.DNF)
    assert dnf.drivers == ("Butch Leitzinger", "Marino Franchitti")
    assert _car(race, "15").team == "Lowe's Fernández Racing"
    assert race.notes is not None
    assert race.notes.startswith("Class winners in bold.")


def test_statistics_in_mph() -> None:
    """Pole and fastest lap as written; an average speed in mph is kept in km/h."""
    stats = _race("2008-northeast-grand-prix.txt").statistics
    assert stats.pole is not None
    assert stats.fastest_lap is not None
    assert (stats.pole.number, stats.pole.team, stats.pole.time) == (
        "9",
        "Patrón Highcroft Racing",
        "0:46.696",
    )
    assert (stats.fastest_lap.number, stats.fastest_lap.seconds) == ("1", 48.007)
    assert stats.average_speed_kmh == pytest.approx(91.105 * 1.609344)
    assert stats.distance_km is None


def test_statistics_with_star_bullets() -> None:
    """'* Pole Position - …' lines read like '- Pole Position - …'."""
    stats = _race("2003-grand-prix-de-trois-rivieres.txt").statistics
    assert stats.pole is not None
    assert stats.fastest_lap is not None
    assert (stats.pole.team, stats.pole.seconds) == ("Infineon Team Joest", 57.74)
    assert stats.fastest_lap.time == "0:59.265"
    assert (stats.distance_km, stats.average_speed_kmh) == (413.68, 137.808)
    assert stats.lap_length_km == pytest.approx(413.68 / 169)


def test_long_prose_before_the_results() -> None:
    """Several paragraphs of prose and a 'Race summary' section do not hide the table."""
    race = _race("2002-grand-prix-of-washington-dc.txt")
    assert len(race.prose) == 2
    assert _car(race, "8").team == "Team Cadillac"


def test_real_document_parses_the_same_from_text() -> None:
    """parse_race on the text gives what load_race gives from the file."""
    path = FOLDER / "2001-grand-prix-of-texas.txt"
    by_text = parse_race(path.read_text("utf-8"), source=path.name)
    assert by_text == load_race(path)
