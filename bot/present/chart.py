"""Race -> PNG: one horizontal bar per car, in finishing order, as long as the laps it completed.

Bars take their class's colour (the embeds' palette, `class_colour`); class winners carry a ★
and a light outline; cars that did not finish, were not classified or did not start are faded
and hatched, with their status at the bar's end. Each bar is labelled with car number and team:
inside the bar when the text fits (in black or white, whichever contrasts more), else after it.

The picture has an opaque dark background of its own, so it reads the same on Discord's dark
and light themes, and is 1000 px wide with large type, so a phone shows it legibly. Height grows
with the car count up to a cap, past which rows and type shrink to fit.

Rendering is a pure function of the race and thread-safe: it builds its own `Figure` on an Agg
canvas and never touches pyplot's global state or rcParams, so a worker thread can run it, and
the PNG carries no software or time stamp, so the same race gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from bot.core.formats import clip, race_day
from bot.core.matching import strip_controls
from bot.core.model import Entry, Race, Status
from bot.present.cards import class_colour

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

# matplotlib is imported where a chart is drawn, not with this module: importing it takes about
# half a second, which every start of the bot and every one-off `racebot ask` would pay.

DPI: Final = 100
WIDTH_IN: Final = 10.0
MAX_HEIGHT_IN: Final = 40.0  # 4,000 px: past this, rows shrink rather than the picture grow
ROW_IN: Final = 0.36
TOP_IN: Final = 1.05  # title and subtitle
LEGEND_ROW_IN: Final = 0.38
BOTTOM_IN: Final = 0.75  # the lap axis and its label
TOP_AXIS_FROM: Final = 40  # cars past which the lap scale is repeated above the bars
TOP_AXIS_IN: Final = 0.3
LEFT_IN: Final = 0.6  # the position column
RIGHT_IN: Final = 0.35
BAR_HEIGHT: Final = 0.74  # share of a row
LABEL_PT: Final = 14.0
LEGEND_PT: Final = 13.0
MAX_LEGEND_COLUMNS: Final = 6
LEGEND_ITEM_EXTRA_IN: Final = 0.75  # each item's swatch, padding and spacing

FONT: Final = "DejaVu Sans"  # shipped inside matplotlib, so every machine draws the same glyphs
BACKGROUND: Final = "#1E2228"
TEXT: Final = "#ECEFF3"
MUTED: Final = "#A7AFBA"
GRID: Final = "#363C46"
DARK_TEXT: Final = "#111418"
FADE: Final = 0.4  # how much of its class colour a retired car's bar keeps

# Caps on document text: a label must fit beside the shortest bar that holds it.
TITLE_CAP: Final = 50  # capitals at 20 pt bold fill the width
SUBTITLE_CAP: Final = 90
TEAM_CAP: Final = 30
NUMBER_CAP: Final = 5
CLASS_CAP: Final = 14
CHAR_EM: Final = 0.62  # DejaVu Sans' average advance per point of size, to guess label widths

STATUS_LABELS: Final = {
    Status.DNF: "DNF",
    Status.NC: "NC",
    Status.DSQ: "DSQ",
    Status.DNS: "DNS",
}
WINNER_MARK: Final = "★"
WINNER_LABEL: Final = f"{WINNER_MARK} class winner"
RETIRED_LABEL: Final = "DNF / NC / DNS"

_SPACES = re.compile(r"\s+")

RGB = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class _Layout:
    """Sizes in inches (the figure's own unit) and the type size of the bar labels."""

    height_in: float
    row_in: float
    label_pt: float
    header_in: float
    legend_columns: int
    legend_rows: int
    top_axis: bool  # the lap scale repeated above a long field


def race_chart(race: Race) -> bytes:
    """The race as a PNG bar chart: laps per car in finishing order, coloured by class."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    legend = _legend_handles(race)
    layout = _race_layout(race)
    figure = Figure(figsize=(WIDTH_IN, layout.height_in), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)  # attaches itself: Agg, whatever backend pyplot would pick
    _heading(figure, race, layout)
    _legend(figure, legend, layout)
    axes = figure.add_axes(_axes_box(layout), facecolor=BACKGROUND)
    _style_axes(axes, race, layout)
    _draw_bars(axes, race, layout)
    buffer = io.BytesIO()
    # No "Software" stamp: bytes depend on the race alone (and the drawing code).
    # Compression level 3: a fifth faster than the default 6 for a file a tenth larger.
    figure.savefig(
        buffer,
        format="png",
        facecolor=BACKGROUND,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 3},
    )
    return buffer.getvalue()


def chart_size(race: Race) -> tuple[int, int]:
    """Width and height in pixels of the race's chart."""
    return int(WIDTH_IN * DPI), int(_race_layout(race).height_in * DPI)


def safe_text(text: str, cap: int) -> str:
    """Document text for a picture: no control characters, one line, at most `cap` long."""
    return clip(_SPACES.sub(" ", strip_controls(text)).strip(), cap)


def _race_layout(race: Race) -> _Layout:
    labels = _legend_labels(race)
    columns = _legend_columns(labels)
    return _layout(len(race.entries), columns, math.ceil(len(labels) / columns))


def _layout(car_count: int, legend_columns: int, legend_rows: int) -> _Layout:
    top_axis = car_count > TOP_AXIS_FROM
    header_in = TOP_IN + legend_rows * LEGEND_ROW_IN + (TOP_AXIS_IN if top_axis else 0)
    fixed_in = header_in + BOTTOM_IN
    rows = max(car_count, 1)
    row_in = min(ROW_IN, (MAX_HEIGHT_IN - fixed_in) / rows)
    label_pt = min(LABEL_PT, row_in * 72 * 0.52)  # type shrinks with the row past the cap
    height_in = _whole_pixels(fixed_in + rows * row_in)
    return _Layout(height_in, row_in, label_pt, header_in, legend_columns, legend_rows, top_axis)


def _whole_pixels(inches: float) -> float:
    """Inches that Agg, which truncates, turns into the intended whole number of pixels."""
    return (round(inches * DPI) + 0.5) / DPI


def _axes_box(layout: _Layout) -> tuple[float, float, float, float]:
    left = LEFT_IN / WIDTH_IN
    bottom = BOTTOM_IN / layout.height_in
    width = (WIDTH_IN - LEFT_IN - RIGHT_IN) / WIDTH_IN
    height = (layout.height_in - layout.header_in - BOTTOM_IN) / layout.height_in
    return left, bottom, width, height


def _heading(figure: Figure, race: Race, layout: _Layout) -> None:
    top = 1 - 0.22 / layout.height_in
    x = 0.22 / WIDTH_IN
    title = safe_text(race.title, TITLE_CAP)
    style: dict[str, Any] = {"family": FONT, "va": "top", "parse_math": False}
    figure.text(x, top, title, color=TEXT, fontsize=20, fontweight="bold", **style)
    figure.text(x, top - 0.5 / layout.height_in, _subtitle(race), color=MUTED, fontsize=14, **style)


def _subtitle(race: Race) -> str:
    parts = [race_day(race.date), safe_text(race.circuit or "", 40)]
    if race.series:
        series = safe_text(race.series, 40)
        parts.append(f"{series}, round {race.round}" if race.round else series)
    return safe_text(" · ".join(part for part in parts if part), SUBTITLE_CAP)


def _legend_labels(race: Race) -> list[str]:
    return [safe_text(name, CLASS_CAP) for name in race.classes] + [WINNER_LABEL, RETIRED_LABEL]


def _legend_columns(labels: list[str]) -> int:
    """The most columns whose rows fit the width, by estimated label widths."""
    for columns in range(MAX_LEGEND_COLUMNS, 1, -1):
        widths = [
            max(_text_in(label, LEGEND_PT) for label in labels[column::columns])
            for column in range(min(columns, len(labels)))
        ]
        if sum(widths) + len(widths) * LEGEND_ITEM_EXTRA_IN <= WIDTH_IN - 0.3:
            return columns
    return 1


def _legend_handles(race: Race) -> list[Patch]:
    from matplotlib.patches import Patch

    *classes, winner, retired = _legend_labels(race)
    handles = [
        Patch(facecolor=_rgb(class_colour(name)), label=label)
        for name, label in zip(race.classes, classes, strict=True)
    ]
    handles.append(Patch(facecolor="none", edgecolor=TEXT, linewidth=2, label=winner))
    grey = _fade((0.62, 0.65, 0.7))
    handles.append(Patch(facecolor=grey, edgecolor=BACKGROUND, hatch="///", label=retired))
    return handles


def _legend(figure: Figure, handles: list[Patch], layout: _Layout) -> None:
    top = 1 - (TOP_IN - 0.02) / layout.height_in
    legend = figure.legend(
        handles=_row_major(handles, layout.legend_rows, layout.legend_columns),
        loc="upper left",
        bbox_to_anchor=(0.12 / WIDTH_IN, top),
        ncols=layout.legend_columns,
        frameon=False,
        labelcolor=TEXT,
        prop={"family": FONT, "size": LEGEND_PT},
        handlelength=1.6,
        handleheight=1.0,
        columnspacing=1.6,
        borderaxespad=0.0,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)  # a "$" in a class name is text, not TeX


def _row_major(handles: list[Patch], rows: int, columns: int) -> list[Patch]:
    """Handles reordered so that matplotlib, which fills columns first, shows them in rows."""
    from matplotlib.patches import Patch

    padded = handles + [
        Patch(visible=False, label=" ") for _ in range(rows * columns - len(handles))
    ]
    return [padded[row * columns + column] for column in range(columns) for row in range(rows)]


def _style_axes(axes: Axes, race: Race, layout: _Layout) -> None:
    count = len(race.entries)
    most = max((entry.laps or 0 for entry in race.entries), default=0)
    axes.set_xlim(0, max(most, 1) * 1.1)  # room after the longest bar for its lap count
    axes.set_ylim(count - 0.5 if count else 0.5, -0.5)  # winner at the top
    axes.set_yticks([])
    # Positions as plain texts: a tick per car costs four artists and most of a render.
    for row, entry in enumerate(race.entries):
        _put(axes, (-0.008, row), _position_text(entry), MUTED, layout.label_pt, x_in_axes=True)
    top = layout.top_axis
    axes.tick_params(axis="x", colors=MUTED, labelsize=12, labeltop=top, top=top)
    for label in axes.get_xticklabels():
        label.set_fontfamily(FONT)
    axes.grid(axis="x", color=GRID, linewidth=1)
    axes.set_axisbelow(True)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_xlabel("Laps completed", color=MUTED, fontsize=13, family=FONT)


def _draw_bars(axes: Axes, race: Race, layout: _Layout) -> None:
    from matplotlib.patches import Rectangle

    axes_width_in = WIDTH_IN - LEFT_IN - RIGHT_IN
    laps_per_in = axes.get_xlim()[1] / axes_width_in
    for row, entry in enumerate(race.entries):
        colour = _rgb(class_colour(entry.class_))
        retired = entry.status is not Status.CLASSIFIED
        face = _fade(colour) if retired else colour
        laps = entry.laps or 0
        # Rectangles, not barh: one call per bar would redo barh's bookkeeping 36 times.
        bar = Rectangle(
            (0, row - BAR_HEIGHT / 2),
            laps,
            BAR_HEIGHT,
            facecolor=face,
            # The hatch takes the edge colour; the edge itself is drawn for class winners only.
            edgecolor=TEXT if entry.is_class_winner else colour,
            linewidth=2 if entry.is_class_winner else 0,
            hatch="///" if retired else None,
        )
        axes.add_patch(bar)
        _label_bar(axes, row, entry, face, laps, laps_per_in, layout.label_pt)


def _label_bar(
    axes: Axes, row: int, entry: Entry, face: RGB, laps: int, laps_per_in: float, size: float
) -> None:
    name = _car_text(entry)
    end = _end_text(entry)
    pad = 0.08 * laps_per_in
    name_laps = (_text_in(name, size) + 0.2) * laps_per_in
    weight = "bold" if entry.is_class_winner else "normal"
    if name_laps <= laps:  # the name fits inside the bar
        _put(axes, (pad, row), name, _ink(face), size, weight)
        _put(axes, (laps + pad, row), end, TEXT, size)
    else:
        _put(axes, (laps + pad, row), f"{name} · {end}" if end else name, TEXT, size, weight)


def _put(
    axes: Axes,
    at: tuple[float, float],
    text: str,
    colour: str,
    size: float,
    weight: str = "normal",
    *,
    x_in_axes: bool = False,
) -> None:
    """One line of text at data coordinates (x as a share of the axes when `x_in_axes`)."""
    # A figure text: Axes.text would also clip each label to the axes, a tenth of a render.
    transform = axes.get_yaxis_transform() if x_in_axes else axes.transData
    axes.figure.text(
        *at,
        text,
        color=colour,
        fontsize=size,
        fontweight=weight,
        family=FONT,
        ha="right" if x_in_axes else "left",
        va="center",
        transform=transform,
        parse_math=False,  # a "$" in a team name is text, not TeX
    )


def _text_in(text: str, size: float) -> float:
    """A guess at the text's width in inches, from DejaVu Sans' average advance."""
    return len(text) * CHAR_EM * size / 72


def _car_text(entry: Entry) -> str:
    number = safe_text(entry.number, NUMBER_CAP)
    team = safe_text(entry.team, TEAM_CAP)
    label = f"#{number} {team}".strip()
    return f"{WINNER_MARK} {label}" if entry.is_class_winner else label


def _end_text(entry: Entry) -> str:
    """Laps after the bar, with the status of a car that did not finish."""
    laps = "" if entry.laps is None else str(entry.laps)
    status = STATUS_LABELS.get(entry.status)
    if status is None:
        return laps
    return f"{status} · {laps}" if laps else status


def _position_text(entry: Entry) -> str:
    return "–" if entry.position is None else str(entry.position)


def _rgb(colour: int) -> RGB:
    return ((colour >> 16) / 255, ((colour >> 8) & 0xFF) / 255, (colour & 0xFF) / 255)


def _fade(colour: RGB) -> RGB:
    """The colour mixed into the background: opaque, so it looks the same on any theme."""
    back = _rgb(int(BACKGROUND[1:], 16))
    return (
        colour[0] * FADE + back[0] * (1 - FADE),
        colour[1] * FADE + back[1] * (1 - FADE),
        colour[2] * FADE + back[2] * (1 - FADE),
    )


def _ink(face: RGB) -> str:
    """Black or white text, whichever contrasts more with the bar (WCAG contrast ratio)."""
    light = _luminance(_rgb(int(TEXT[1:], 16)))
    dark = _luminance(_rgb(int(DARK_TEXT[1:], 16)))
    back = _luminance(face)
    on_light = (light + 0.05) / (back + 0.05)
    on_dark = (back + 0.05) / (dark + 0.05)
    return TEXT if on_light >= on_dark else DARK_TEXT


def _luminance(colour: RGB) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
