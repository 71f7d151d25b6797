"""Documents that cannot be true are refused with their line; unlikely ones load with warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.documents.names import visible
from bot.core.documents.parsing import SeedError, load_folder, parse_document, parse_race
from bot.loader.documents import new_document

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "2003-grand-prix-of-sonoma.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _seed_with(old: str, new: str) -> str:
    assert old in SEED_TEXT
    return SEED_TEXT.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (  # the 19th car, 9,000 laps behind a 102-lap winner
            "| J3 Racing | David Murry Justin Jackson | Porsche 911 GT3-RS | | 91 |",
            "| J3 Racing | David Murry Justin Jackson | Porsche 911 GT3-RS | | 9000 |",
            48,
            "9000 laps, more than the winner's 102: no car can cover more",
        ),
        (  # a retired car cannot have outrun the winner either
            "| P.K. Sport | Robin Liddell Alex Davison | Porsche 911 GT3-RS | | 72 |",
            "| P.K. Sport | Robin Liddell Alex Davison | Porsche 911 GT3-RS | | 103 |",
            68,
            "103 laps, more than the winner's 102: no car can cover more",
        ),
        (
            "- Average Speed - 150.145 km/h",
            "- Average Speed - 180 km/h",
            89,
            "the average speed (180.0 km/h) is above the fastest lap's (174.0 km/h):"
            " no race is run faster than its fastest lap",
        ),
        ("| Prodrive | David Brabham", "| | David Brabham", 30, "the team cell is empty"),
        (
            "| Prodrive | David Brabham",
            "| \u200b\u2060 | David Brabham",
            30,
            "the team cell has only invisible characters",
        ),
        (
            "| David Brabham Jan Magnussen |",
            "| |",
            30,
            "the drivers cell is empty",
        ),
        (
            "| David Brabham Jan Magnussen |",
            "| \u3164 \u2800 |",
            30,
            "the drivers cell has only invisible characters",
        ),
        (
            "| David Brabham Jan Magnussen |",
            "| David Brabham GBR \u200b |",
            30,
            "the drivers cell 'David Brabham GBR \u200b' names nobody (a flag alone, or an"
            " invisible name)",
        ),
        (
            "- Pole Position - #16 Dyson Racing - 1:23.085",
            "- Pole Position - #16 \u200b - 1:23.085",
            86,
            "lap record '#16 \u200b - 1:23.085' names no team",
        ),
    ],
)
def test_impossible_documents_are_refused(old: str, new: str, line: int, message: str) -> None:
    """Each impossible fact is a SeedError naming its line, from the parser and from import."""
    text = _seed_with(old, new)
    with pytest.raises(SeedError) as error:
        parse_race(text, "bad.txt")
    assert (error.value.source, error.value.line, error.value.message) == ("bad.txt", line, message)
    with pytest.raises(SeedError, match=r"^bad\.txt:"):
        new_document(text.encode(), "bad.txt", "import")  # what /import checks


def test_a_disqualified_car_may_have_more_laps_than_the_winner() -> None:
    """A car excluded after leading keeps its laps: it is not classified, so no refusal."""
    text = _seed_with("| 35 DNF | LMP675 | 56 |", "| 35 DSQ | LMP675 | 56 |").replace(
        "Chris McMurry | Pilbeam MP91 | | 24 |", "Chris McMurry | Pilbeam MP91 | | 110 |"
    )
    race = parse_race(text, "dsq.txt")
    assert race.entries[34].laps == 110


def test_the_folder_loader_refuses_an_impossible_document_alone(tmp_path: Path) -> None:
    """One impossible document is refused by the loader; the good one beside it loads."""
    (tmp_path / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    bad = SEED_TEXT.replace("2003 Grand Prix of Sonoma", "2004 Grand Prix of Sonoma").replace(
        "July 27, 2003", "July 25, 2004"
    )
    (tmp_path / "bad.txt").write_text(
        bad.replace("- Average Speed - 150.145 km/h", "- Average Speed - 300 km/h"), "utf-8"
    )
    report = load_folder(tmp_path)
    assert [race.source for race in report.races] == ["good.txt"]
    assert [(e.source, e.line) for e in report.errors] == [("bad.txt", 89)]


def test_a_seed_document_has_no_warnings() -> None:
    """The seed is plausible: no warnings, its heading on line 1."""
    document = parse_document(SEED_TEXT, "seed.txt")
    assert document.warnings == ()
    assert document.title_line == 1


def test_laps_going_up_in_the_classified_order_is_a_warning() -> None:
    """A classified car with more laps than the one ahead loads, with a warning on its line."""
    document = parse_document(_seed_with("Maranello | | 96 |", "Maranello | | 99 |"), "odd.txt")
    assert document.race.entries[9].laps == 99
    assert [str(w) for w in document.warnings] == [
        "odd.txt:30: warning: 99 laps, more than the 97 of the car classified ahead of it"
    ]


def test_retired_cars_after_the_classified_are_no_warning() -> None:
    """Laps are compared between classified cars only: an NC car above a longer DNF is usual."""
    text = _seed_with("| 28 | GT | 68 |", "| 28 NC | GT | 68 |").replace(
        "Chris Gleason | Porsche 911 GT3-RS | | 81 |", "Chris Gleason | Porsche 911 GT3-RS | | 60 |"
    )
    assert parse_document(text, "nc.txt").warnings == ()


@pytest.mark.parametrize(
    ("length", "warned"),
    [("4.072 km", False), ("2.530 mi", False), ("4.5 km", True), ("oval", False)],
)
def test_a_distance_off_laps_times_lap_length_is_a_warning(length: str, warned: bool) -> None:
    """415.307 km over 102 laps is 4.072 km a lap: a lap length far from it warns on the
    distance line; one that agrees, or cannot be read, says nothing and the race loads."""
    text = _seed_with(
        "- Distance - 415.307 km", f"- Lap length - {length}\n- Distance - 415.307 km"
    )
    document = parse_document(text, "length.txt")
    assert document.race.statistics.distance_km == 415.307
    expected = (
        [
            "length.txt:89: warning: the distance (415.307 km) is not the winner's 102 laps"
            " of 4.500 km (459.000 km)"
        ]
        if warned
        else []
    )
    assert [str(w) for w in document.warnings] == expected


def test_warnings_reach_the_folder_report(tmp_path: Path) -> None:
    """The loader keeps each loaded document's warnings and heading line."""
    (tmp_path / "odd.txt").write_text(
        "\n" + _seed_with("Maranello | | 96 |", "Maranello | | 99 |"), encoding="utf-8"
    )
    report = load_folder(tmp_path)
    assert [race.source for race in report.races] == ["odd.txt"]
    assert [(w.source, w.line) for w in report.warnings] == [("odd.txt", 31)]
    assert dict(report.title_lines) == {"odd.txt": 2}


@pytest.mark.parametrize(
    ("text", "shows"),
    [
        ("Dyson Racing", True),
        ("-", True),
        ("Tomáš Enge", True),
        ("", False),
        (" ", False),
        ("\u200b", False),
        ("\u200b\u200d\ufeff", False),
        ("\u3164", False),
        ("\u2800 \u115f", False),
        ("\u0301", False),
        ("\u00a0", False),
        ("\u200bA", True),
    ],
)
def test_visible(text: str, shows: bool) -> None:
    """A name shows when any character draws something."""
    assert visible(text) is shows
