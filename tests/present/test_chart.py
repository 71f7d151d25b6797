"""The race chart: a PNG of the right size whose pixels show every class colour, for any race."""

from __future__ import annotations

import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from matplotlib.image import imread

from bench.chart_bench import CLASSES, large_field
from bot.core.documents.model import Entry, Race, Status, rank_entries
from bot.core.documents.parsing import load_race
from bot.present.chart import (
    BACKGROUND,
    LABEL_PT,
    MAX_CARS,
    MAX_HEIGHT_IN,
    WIDTH_IN,
    _fade,
    _label_chars,
    _name_lines,
    _rgb,
    chart_note,
    chart_size,
    race_chart,
    safe_text,
    shown_entries,
    surname,
)
from bot.present.colours import class_colour
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH_PX = round(WIDTH_IN * 100)
MAX_HEIGHT_PX = round(MAX_HEIGHT_IN * 100)

Pixels = npt.NDArray[np.float32]


@pytest.fixture(scope="module")
def seed() -> Race:
    """The 36-car seed race."""
    return load_race(SEED)


@pytest.fixture(scope="module")
def seed_png(seed: Race) -> bytes:
    """The seed race's chart, rendered once for the module."""
    return race_chart(seed)


def decode(png: bytes) -> Pixels:
    """The PNG's pixels as RGB floats in 0-1, rows top to bottom."""
    assert png.startswith(PNG_SIGNATURE)
    pixels: Pixels = imread(io.BytesIO(png), format="png")
    return pixels[:, :, :3]


def count_near(pixels: Pixels, colour: tuple[float, float, float], tolerance: float = 3) -> int:
    """How many pixels are within `tolerance` (0-255 per channel) of a colour."""
    distance = np.abs(pixels - np.asarray(colour, dtype=np.float32)).max(axis=2)
    return int((distance <= tolerance / 255).sum())


def make_race(rows: list[dict[str, Any]], title: str = "Test Race", **fields: Any) -> Race:
    """A race from entry rows in finishing order, with standings derived as the parser does."""
    entries = rank_entries(Entry.model_validate(row) for row in rows)
    return Race(title=title, entries=entries, source="test.txt", **fields)


def row(position: int | None, laps: int | None, **fields: Any) -> dict[str, Any]:
    """One entry row; the fields given replace the defaults."""
    values: dict[str, Any] = {
        "position": position,
        "status": Status.CLASSIFIED,
        "class_": "GT",
        "number": str(position or 0),
        "team": f"Team {position}",
        "drivers": ("A Driver",),
        "chassis": "Chassis",
        "engine": "Engine",
        "tyre": None,
        "laps": laps,
        "line": 1,
    }
    values.update(fields)
    return values


def test_seed_chart_is_a_png_of_the_expected_size(seed: Race, seed_png: bytes) -> None:
    """The seed's chart decodes to 1000 px wide and the height chart_size promises."""
    height, width, _ = decode(seed_png).shape
    assert (width, height) == chart_size(seed)
    assert width == WIDTH_PX
    assert 1900 <= height <= 2400  # 36 rows of two lines (about 53 px), plus heading and axis


def test_seed_chart_shows_every_class_colour(seed: Race, seed_png: bytes) -> None:
    """Each class's palette colour (the embeds' colour) fills thousands of pixels."""
    pixels = decode(seed_png)
    for class_ in seed.classes:
        assert count_near(pixels, _rgb(class_colour(class_))) > 2_000, class_


def test_seed_chart_fades_retired_cars(seed_png: bytes) -> None:
    """Cars that did not finish are drawn in their class colour faded into the background."""
    pixels = decode(seed_png)
    assert count_near(pixels, _fade(_rgb(class_colour("GT")))) > 1_000


def test_seed_chart_background_is_opaque_and_dark(seed_png: bytes) -> None:
    """The corners are the chart's own dark background, so both Discord themes show it alike."""
    pixels = decode(seed_png)
    background = _rgb(int(BACKGROUND[1:], 16))
    for corner in (pixels[0, 0], pixels[0, -1], pixels[-1, 0], pixels[-1, -1]):
        assert np.allclose(corner, background, atol=2 / 255)
    assert imread(io.BytesIO(seed_png), format="png")[:, :, 3].min() == 1.0  # no transparency


def test_same_race_gives_the_same_bytes(seed: Race, seed_png: bytes) -> None:
    """Rendering is a pure function of the race: no time stamp or software version inside."""
    assert race_chart(seed) == seed_png
    assert b"Software" not in seed_png


def test_renders_alike_in_worker_threads(seed: Race, seed_png: bytes) -> None:
    """Renders running side by side in threads give the same picture as one alone."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(race_chart, [seed] * 3))
    assert results == [seed_png] * 3


def test_hundred_cars_render_taller_within_the_cap(seed: Race) -> None:
    """100 cars give a taller picture than 36, still under the pixel cap, with every class."""
    race = large_field(100)
    pixels = decode(race_chart(race))
    height, width, _ = pixels.shape
    assert (width, height) == chart_size(race)
    assert chart_size(seed)[1] < height <= MAX_HEIGHT_PX
    for class_ in CLASSES:
        assert count_near(pixels, _rgb(class_colour(class_))) > 1_000, class_


def test_huge_fields_stay_within_the_cap() -> None:
    """300 cars draw the leaders of each class, no taller than 60 cars and within the cap."""
    race = large_field(300)
    assert chart_size(race) == chart_size(large_field(61)) <= (WIDTH_PX, MAX_HEIGHT_PX)
    height, _, _ = decode(race_chart(race)).shape
    assert height <= MAX_HEIGHT_PX


def test_past_sixty_cars_the_leaders_of_each_class_are_drawn() -> None:
    """3,000 cars in four classes: the first 15 of each, in finishing order, and the note says
    how many more ran; 60 cars or fewer are all drawn."""
    race = large_field(3000)
    shown, left_out = shown_entries(race)
    assert (len(shown), left_out) == (MAX_CARS, 2940)
    for class_ in CLASSES:
        leaders = [e for e in race.entries if e.class_ == class_][:15]
        assert [e for e in shown if e.class_ == class_] == leaders
    assert [e.position for e in shown] == sorted(e.position or 0 for e in shown)
    assert chart_note(race) == (
        "Leaders of each class: 60 of 3,000 cars shown; 2,940 more ran "
        "(/classification lists them all)"
    )
    assert shown_entries(large_field(60)) == (large_field(60).entries, 0)
    assert chart_note(large_field(60)) == ""


def test_a_small_class_gives_its_room_to_the_others() -> None:
    """One class of two cars and one of a hundred: both of the first, 58 of the second."""
    rows = [row(i + 1, 300 - i, class_="P" if i < 2 else "GT") for i in range(102)]
    shown, left_out = shown_entries(make_race(rows))
    assert [e.class_ for e in shown].count("P") == 2
    assert (len(shown), left_out) == (MAX_CARS, 42)


@pytest.mark.parametrize(
    ("driver", "shown"),
    [
        ("Butch Leitzinger", "Leitzinger"),
        ("Joe Policastro Jr.", "Policastro Jr."),
        ("Christian da Matta", "da Matta"),
        ("Jean-Philippe Belloc", "Belloc"),
        ("Prost", "Prost"),
        ("", ""),
    ],
)
def test_drivers_are_named_by_surname(driver: str, shown: str) -> None:
    """Each car carries its drivers' family names, particles and suffixes kept."""
    assert surname(driver) == shown


def test_long_team_names_wrap_instead_of_being_cut() -> None:
    """A 42-letter team name is drawn whole on two lines; a short one on one."""
    long_team = "Petersen Motorsport White Lightning Racing"
    race = make_race([row(1, 90, team=long_team, drivers=("Craig Stanton", "Johnny Mowlem"))])
    lines = _name_lines(race.entries[0], _label_chars(LABEL_PT))
    assert len(lines) == 2
    assert " ".join(lines) == f"★ #1 {long_team}"
    short = make_race([row(1, 90, team="Prodrive")])
    assert _name_lines(short.entries[0], _label_chars(LABEL_PT)) == ("★ #1 Prodrive",)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_any_field_renders_within_200_mb() -> None:
    """A 3,000-car race, drawn in a fresh process: under 200 MB at its peak (its time is the
    chart benchmark's to measure: these machines are too noisy for a timed unit test)."""
    # VmHWM is this process's own peak: ru_maxrss would count the pytest process forked from.
    script = (
        "import re, time\n"
        "from bench.chart_bench import large_field\n"
        "from bot.present.chart import race_chart\n"
        "race = large_field(3000)\n"
        "start = time.perf_counter()\n"
        "race_chart(race)\n"
        "took = time.perf_counter() - start\n"
        "status = open('/proc/self/status').read()\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+)', status)[1]) / 1024\n"
        "print(took, peak)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root
    )
    _, peak_mb = map(float, done.stdout.split())
    assert peak_mb <= 200


def test_hostile_text_renders() -> None:
    """Markdown, mentions, TeX dollars, control characters and 300-character names render."""
    hostile = "**@everyone** $x^2$ <@123> \x00\x1b[31m\u202e`code`\n" + "W" * 300
    race = make_race(
        [
            row(1, 50, team=hostile, number="$$", class_="$GT$ \x07"),
            row(2, 3, team="@here " + "é" * 300, number="9" * 50, class_="_*~"),
            row(None, None, team="\x00\x01\x02", status=Status.DNS),
        ],
        title="$\\frac{1}{0}$ @everyone\n\x1b[2J" + "T" * 300,
        circuit="\x00" * 10 + "Circuit $",
        series="S" * 300,
    )
    width, height = chart_size(race)
    assert decode(race_chart(race)).shape == (height, width, 3)


def test_race_without_laps_renders() -> None:
    """A race where no car has a lap count (all DNS, or laps unknown) still renders."""
    race = make_race(
        [
            row(None, None, status=Status.DNS, class_="LMP900"),
            row(None, None, status=Status.DNS, class_="GTS", number="7"),
            row(None, 0, status=Status.DNF, class_="GT", number="8"),
        ]
    )
    pixels = decode(race_chart(race))
    assert pixels.shape[1] == WIDTH_PX
    assert count_near(pixels, _rgb(class_colour("GTS"))) > 0  # in the legend


def test_race_without_entries_renders() -> None:
    """A race with no cars at all gives a heading and an empty chart, not an error."""
    race = make_race([])
    assert decode(race_chart(race)).shape[1] == WIDTH_PX


def test_safe_text_strips_controls_and_clips() -> None:
    """Control characters go, whitespace collapses, long text ends in an ellipsis."""
    assert safe_text("  Dyson\x00 \x1b Racing\n\t", 40) == "Dyson Racing"
    assert safe_text("A" * 50, 10) == "A" * 9 + "…"


def test_module_does_not_use_pyplot() -> None:
    """Importing and rendering never loads pyplot, whose global state is not thread-safe."""
    probe = (
        "import sys; from bot.present.chart import race_chart; "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
