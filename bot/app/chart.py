"""`racebot chart` and the console's /chart: a race's picture written to a PNG file.

The picture is the one the bot attaches (`bot.present.chart.race_chart`), under the name its
embed gives it (`chart_filename`), so the console, the command line and Discord show the same.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

from rich.console import Console
from rich.text import Text

from bot.app.answering import exit_status, load_service, prepare_terminal
from bot.core.asking.answers import AmbiguousAnswer, Answer, ChartAnswer
from bot.core.documents.model import Race
from bot.present.chart import chart_size, race_chart
from bot.present.formatters.chart import chart_filename
from bot.present.terminal import render_terminal
from bot.present.text import printable
from bot.settings import load_settings

CHART_DIR: Final = "charts"
"""The data folder's sub-folder for pictures drawn by the console and `racebot ask`."""

WRITTEN: Final = 0
NO_RACE: Final = 1
UNUSABLE: Final = 2


def write_chart(race: Race, path: Path) -> Path:
    """Draw the race and write its PNG to `path`; the path written."""
    path.write_bytes(race_chart(race))
    return path


def default_chart_dir() -> Path:
    """Where the console and `racebot ask` put /chart pictures unless told: the data folder's
    charts/ (RACEBOT_DATA_DIR), never the folder racebot was started in."""
    return load_settings().data_dir / CHART_DIR


def show_answer(answer: Answer, console: Console, folder: Path | None = None) -> None:
    """Print an answer as the console does; a chart's picture is also written into `folder`
    (default `default_chart_dir()`, made when needed) and its path printed."""
    render_terminal(answer, console)
    if not isinstance(answer, ChartAnswer):
        return
    folder = folder or default_chart_dir()
    path = folder / chart_filename(answer.race)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_chart(answer.race, path)
    except OSError as exc:
        console.print(Text(f"Could not write {path}: {exc.strerror or exc}", style="red"))
        return
    console.print(Text(f"Chart written to {path.resolve()}"), soft_wrap=True)


def run_chart(race: str | None, output: Path, seeds: Path | None) -> int:
    """`racebot chart`: write the race's picture; 0 written, 1 no race matched, 2 unusable."""
    prepare_terminal()
    service, _ = load_service(seeds)
    answer = service.ask("chart", race=race)
    if not isinstance(answer, ChartAnswer):  # why not, as the console says it, on stderr
        render_terminal(answer, Console(stderr=True))
        status = exit_status(answer)
        return NO_RACE if isinstance(answer, AmbiguousAnswer) else status
    try:
        write_chart(answer.race, output)
    except OSError as exc:
        print(f"racebot: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return UNUSABLE
    width, height = chart_size(answer.race)
    print(f"{output}: {printable(answer.race.title)}, {width}x{height} px")
    return WRITTEN
