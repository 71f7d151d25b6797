"""`racebot chart` and the console's /chart: the picture written to a file, and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from matplotlib.image import imread
from rich.console import Console

from bot.app import cli
from bot.app.console import interact, run_ask
from bot.core.asking.query import QueryService
from bot.core.library.races import RaceLibrary
from bot.present.chart import chart_size, race_chart

FILENAME = "chart-2003-grand-prix-of-sonoma.png"


def _assert_seed_chart(path: Path, seed_library: RaceLibrary) -> None:
    """The file is the seed race's picture: it decodes, at the chart's size, byte for byte."""
    race = seed_library.latest
    assert race is not None
    pixels = imread(io.BytesIO(path.read_bytes()), format="png")
    width, height = chart_size(race)
    assert pixels.shape[:2] == (height, width)
    assert path.read_bytes() == race_chart(race)


def test_chart_writes_the_png(
    clean_env: Path, capsys: pytest.CaptureFixture[str], seed_library: RaceLibrary
) -> None:
    """`racebot chart --race Sonoma --output FILE` writes the picture, says so, exits 0."""
    output = clean_env / "sonoma.png"
    assert cli.main(["chart", "--race", "Sonoma", "--output", str(output)]) == 0
    _assert_seed_chart(output, seed_library)
    assert capsys.readouterr().out == f"{output}: 2003 Grand Prix of Sonoma, 1000x2177 px\n"


def test_chart_without_a_matching_race_exits_1(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No race matches: the reason on stderr, no file, exit 1."""
    output = clean_env / "monza.png"
    assert cli.main(["chart", "--race", "Monza", "--output", str(output)]) == 1
    assert not output.exists()
    captured = capsys.readouterr()
    assert "Monza" in captured.err
    assert captured.out == ""


def test_chart_needs_an_output(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --output it is a usage error: exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["chart"])
    assert exit_info.value.code == 2
    assert "--output" in capsys.readouterr().err


def test_chart_to_an_unwritable_path_exits_2(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that does not exist: one line on stderr, exit 2."""
    output = clean_env / "missing" / "chart.png"
    assert cli.main(["chart", "--output", str(output)]) == 2
    assert capsys.readouterr().err.startswith(f"racebot: cannot write {output}: ")


def test_console_chart_writes_into_the_data_folder(
    clean_env: Path, query_service: QueryService, seed_library: RaceLibrary
) -> None:
    """/chart in the console writes into the data folder's charts/, never the working directory."""
    out = io.StringIO()
    interact(query_service, ["/chart Sonoma\n"], Console(file=out, width=100), echo=False)
    written = clean_env / "data" / "charts" / FILENAME
    _assert_seed_chart(written, seed_library)
    assert not (clean_env / FILENAME).exists()
    printed = out.getvalue()
    assert "2003 Grand Prix of Sonoma" in printed
    assert f"Chart written to {written.resolve()}" in printed


def test_console_chart_writes_where_it_is_told(
    clean_env: Path, query_service: QueryService, seed_library: RaceLibrary
) -> None:
    """With a chart folder given, the picture goes there (the folder made when needed)."""
    out = io.StringIO()
    folder = clean_env / "pictures" / "races"
    interact(query_service, ["/chart"], Console(file=out), echo=False, chart_dir=folder)
    _assert_seed_chart(folder / FILENAME, seed_library)
    assert not (clean_env / "data" / "charts").exists()


def test_ask_chart_writes_the_file_too(
    clean_env: Path, capsys: pytest.CaptureFixture[str], seed_library: RaceLibrary
) -> None:
    """`racebot ask "/chart"` writes into the data folder, or into --chart-dir when given."""
    assert run_ask("/chart", None, as_json=False) == 0
    _assert_seed_chart(clean_env / "data" / "charts" / FILENAME, seed_library)
    assert "Chart written to" in capsys.readouterr().out
    assert cli.main(["ask", "/chart", "--chart-dir", str(clean_env / "mine")]) == 0
    _assert_seed_chart(clean_env / "mine" / FILENAME, seed_library)
    assert not (clean_env / FILENAME).exists()


def test_ask_chart_json_names_the_attachment(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot ask "/chart" --json`: the payload with its attachment; no file is written."""
    assert run_ask("/chart", None, as_json=True) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["attachments"] == [{"id": 0, "filename": FILENAME}]
    assert payload["embeds"][0]["image"] == {"url": f"attachment://{FILENAME}"}
    assert not (clean_env / FILENAME).exists()
