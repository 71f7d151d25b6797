"""Documents as found in the wild: blank cells, bad values, odd files; each refused by name."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app.export import export_json
from bot.core.documents.parsing import SeedError, load_folder, parse_race
from bot.core.documents.prose import ProseFacts, read_prose
from bot.core.library.loading import load_library
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED
SEED_TEXT = SEED.read_text(encoding="utf-8")
HEADER = "| Pos | Class | No | Team | Drivers | Chassis | Tyre | Laps |"


def _mini(*rows: str, stats: str = "") -> str:
    """A small document around the given table rows."""
    lines = ["= Mini =", "", "==Official results==", HEADER, "| Engine | | | | | | | |", *rows]
    return "\n".join(lines) + ("\n==Statistics==\n" + stats if stats else "")


def _seed_with(old: str, new: str) -> str:
    assert old in SEED_TEXT
    return SEED_TEXT.replace(old, new, 1)


def test_blank_engine_chassis_and_tyre_are_none() -> None:
    """An engine row of blank cells and a blank chassis load as None."""
    race = parse_race(
        _mini(
            "| 1 | GT | 7 | Team | Ann Bee | | | 50 |",
            "| | | | | | | | |",
            "| 2 | GT | 8 | Team | Cy Dee | Car | G | 49 |",
            "| V8 | | | | | | | |",
        )
    )
    first, second = race.entries
    assert (first.chassis, first.engine, first.tyre) == (None, None, None)
    assert (second.chassis, second.engine, second.tyre) == ("Car", "V8", "G")


def test_seed_with_a_blank_engine_row_loads() -> None:
    """The issue's case: one blank engine row no longer drops the whole race."""
    race = parse_race(_seed_with("| Audi 3.6L Turbo V8 | | | | | | | |", "| | | | | | | | |"))
    assert len(race.entries) == 36
    assert race.entries[1].engine is None


def test_flags_anywhere_in_a_table() -> None:
    """Flags inside team and driver cells are dropped; a team's trailing code stays."""
    race = parse_race(
        _mini(
            "| 1 | GT | 7 | Alpha Motorsport DEU Beta Motorsport | GBR Henri St. Pierre-Dubois "
            "Ian McRae | Car | | 50 |",
            "| V8 | | | | | | | |",
            "| 2 | GT | 8 | GBR Alpha Racing GBR Beta Engineering | Jean-Paul Roux Luis Carlos "
            "Ferraz da Costa | Car | | 50 |",
            "| V8 | | | | | | | |",
            "| 3 | GT | 9 | JMB Racing USA | Ann Bee USA Cy Dee FRA Ed Eff DEU Gus Hay | Car "
            "| | 50 |",
            "| V8 | | | | | | | |",
        )
    )
    assert [(e.team, e.drivers) for e in race.entries] == [
        ("Alpha Motorsport Beta Motorsport", ("Henri St. Pierre-Dubois", "Ian McRae")),
        ("Alpha Racing Beta Engineering", ("Jean-Paul Roux", "Luis Carlos Ferraz da Costa")),
        ("JMB Racing USA", ("Ann Bee", "Cy Dee", "Ed Eff", "Gus Hay")),
    ]


def test_library_regroups_crews_across_documents(tmp_path: Path) -> None:
    """A name written alone in one document keeps a crew in another whole."""
    (tmp_path / "a.txt").write_text(
        _mini(
            "| 1 | GT | 7 | T | Scott Dixon Ryan Briscoe Christian da Matta | C | | 5 |", "| V |"
        ),
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        _mini("| 1 | GT | 7 | T | Christian da Matta | C | | 5 |", "| V |"), encoding="utf-8"
    )
    (a, b) = load_folder(tmp_path).races
    assert a.entries[0].drivers == ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")
    assert b.entries[0].drivers == ("Christian da Matta",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _seed_with("- 1:23.085", "- 0:00.000"),
            "x.txt:86: lap time '0:00.000' must be more than zero",
        ),
        (_seed_with("| 102 |", "| ² |"), "x.txt:12: laps '²' is not a number"),
        (_seed_with("| 102 |", "| ① |"), "x.txt:12: laps '①' is not a number"),
        (_seed_with("| 102 |", "| ٣ |"), "x.txt:12: laps '٣' is not a number"),
        (_seed_with("| 102 |", "| 10001 |"), "x.txt:12: laps '10001' is over 10,000"),
        (
            _seed_with("| 102 |", "| " + "9" * 5000 + " |"),
            f"x.txt:12: laps '{'9' * 5000}' is over 10,000",
        ),
        (
            _seed_with("| 1 |", "| 1" + "0" * 400 + " |"),
            f"x.txt:12: position '1{'0' * 400}' is over 10,000",
        ),
        (
            _seed_with("415.307 km", "9" * 400 + " km"),
            f"x.txt:88: '{'9' * 400} km' is over 1,000,000 km",
        ),
        (_seed_with("415.307 km", "0 km"), "x.txt:88: '0 km' must be at least 0.001 km"),
        (
            _seed_with("1:23.085", "9" * 320 + ":23.085"),
            f"x.txt:86: lap record '#16 Dyson Racing - {'9' * 320}:23.085' "
            "is not '#car Team - m:ss.sss'",
        ),
        (_seed_with("150.145 km/h", "inf km/h"), "x.txt:89: 'inf km/h' is not a number of km/h"),
    ],
)
def test_bad_values_are_refused_with_a_message(text: str, message: str) -> None:
    """Zero laps times, unicode digits and absurd magnitudes are refused by line."""
    with pytest.raises(SeedError) as caught:
        parse_race(text, source="x.txt")
    assert str(caught.value) == message


def test_bom_loads(tmp_path: Path) -> None:
    """UTF-8 with a byte-order mark, as Notepad saves it, loads."""
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + SEED_TEXT.encode())
    (race,) = load_folder(tmp_path).races
    assert race.title == "2003 Grand Prix of Sonoma"


def test_odd_files_are_refused_unread(tmp_path: Path) -> None:
    """FIFOs, folders, device symlinks and oversized files are refused; the good one loads."""
    (tmp_path / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    with (tmp_path / "huge.txt").open("wb") as huge:
        huge.truncate(5 * 1024 * 1024 + 1)
    report = load_folder(tmp_path)
    assert [r.source for r in report.races] == ["good.txt"]
    assert sorted(str(e) for e in report.errors) == [
        "dangling.txt: cannot read the file (No such file or directory)",
        "fifo.txt: is not a regular file",
        "folder.txt: is not a regular file",
        "huge.txt: is over 5 MB",
        "zero.txt: is not a regular file",
    ]


def test_any_exception_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure the parser did not foresee names the file and costs only that document."""
    (tmp_path / "a-good.txt").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "b-boom.txt").write_text(SEED_TEXT.replace("This race", "BOOM"), encoding="utf-8")

    def boom(title: str, prose: str) -> ProseFacts:
        if "BOOM" in prose:
            raise OverflowError("int too large")
        return read_prose(title, prose)

    monkeypatch.setattr("bot.core.documents.parsing.read_prose", boom)
    report = load_folder(tmp_path)
    assert [r.source for r in report.races] == ["a-good.txt"]
    assert [str(e) for e in report.errors] == [
        "b-boom.txt: cannot be read (OverflowError: int too large)"
    ]


def test_no_infinity_reaches_json(tmp_path: Path) -> None:
    """The largest accepted statistics still export as strict JSON."""
    text = _seed_with("415.307 km", "1000000 km").replace("1:23.085", "0:00.001")
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    loaded = load_library(tmp_path)
    library, errors = loaded.library, loaded.errors
    assert errors == ()
    data = json.loads(export_json(library.races))
    assert data["races"][0]["statistics"]["pole_speed_kmh"] > 0


@pytest.mark.parametrize(
    "line",
    [
        "- Distance" + " " * 40_000 + "x",
        "= " + " " * 40_000 + "x",
        "== a" + " " * 40_000 + "b ==x",
        "- Pole - #1 " + " - " * 20_000 + "x",
    ],
)
def test_hostile_lines_are_refused_quickly(line: str) -> None:
    """Lines that used to take seconds (quadratic patterns) are refused at once."""
    text = line + "\n" if line.startswith("=") else SEED_TEXT + line + "\n"
    with pytest.raises(SeedError):
        parse_race(text, source="x.txt")


_mutation = st.one_of(
    st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=20), st.integers(0, 4000)),
    st.tuples(st.just("truncate"), st.just(b""), st.integers(0, 4000)),
    st.tuples(st.just("duplicate"), st.just(b""), st.integers(0, 90)),
    st.tuples(
        st.just("number"),
        st.sampled_from([b"9" * 400, b"0", b"\xc2\xb2", b"1e999"]),
        st.integers(0, 4000),
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_mutation, min_size=1, max_size=4))
def test_mutated_documents_load_or_are_refused_by_name(
    tmp_path: Path, mutations: list[tuple[str, bytes, int]]
) -> None:
    """Random bytes, truncation, duplicated lines and huge numbers never escape as a crash."""
    data = SEED_TEXT.encode()
    for kind, payload, at in mutations:
        at = min(at, len(data))
        if kind == "truncate":
            data = data[:at]
        elif kind == "duplicate":
            lines = data.split(b"\n")
            index = min(at, len(lines) - 1)
            data = b"\n".join(lines[: index + 1] + lines[index:])
        elif kind == "number":
            data = (
                re.sub(rb"[0-9]+", payload, data, count=1)
                if at % 2
                else data[:at] + payload + data[at:]
            )
        else:
            data = data[:at] + payload + data[at:]
    (tmp_path / "mutant.txt").write_bytes(data)
    report = load_folder(tmp_path)
    assert len(report.races) + len(report.errors) == 1
    for error in report.errors:
        assert error.source == "mutant.txt"
        assert str(error).startswith("mutant.txt")


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\x1c", "\x0b", "\x0c"])
def test_a_line_break_inside_a_cell_does_not_split_the_row(separator: str) -> None:
    """Only \\n ends a line: a stray NEL or line separator in a cell is dropped, not a new row."""
    text = SEED_TEXT.replace("Butch Leitzinger", f"Butch{separator}Leitzinger", 1)
    race = parse_race(text, "x.txt")
    assert race.entries[0].drivers == ("Butch Leitzinger", "James Weaver")
    assert [entry.line for entry in race.entries] == [
        entry.line for entry in parse_race(SEED_TEXT, "x.txt").entries
    ]
