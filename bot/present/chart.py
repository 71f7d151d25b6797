"""Race -> PNG: one horizontal bar per car, in finishing order, as long as the laps it completed.

Each row names the car on the left: its position, then number and team (a long team name wraps
onto a second line, never cut short) and, under them, the drivers' surnames. Bars take their
class's colour (the embeds' palette, `class_colour`); class winners carry a ★ and a light
outline; cars that did not finish, were not classified or did not start are faded and hatched,
with their status after the bar.

The cost is bounded whatever the field: past `MAX_CARS` cars the chart shows the leaders of each
class (the same number from each, as far as each class goes) and says how many more ran, so a
race of thousands of cars draws as fast as one of sixty.

The picture has an opaque dark background of its own, so it reads the same on Discord's dark
and light themes, and is 1000 px wide with large type, so a phone shows it legibly.

Rendering is a pure function of the race and thread-safe: it builds its own `Figure` on an Agg
canvas and never touches pyplot's global state or rcParams, so a worker thread can run it, and
the PNG carries no software or time stamp, so the same race gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from bot.core.documents.model import Entry, Race, Status
from bot.core.formats import clip, race_day
from bot.core.matching import strip_controls
from bot.present.colours import class_colour

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

# matplotlib is imported where a chart is drawn, not with this module: importing it takes about
# half a second, which every start of the bot and every one-off `racebot ask` would pay.

DPI: Final = 100
WIDTH_IN: Final = 10.0
MAX_HEIGHT_IN: Final = 40.0  # 4,000 px: past this, rows shrink rather than the picture grow
MAX_CARS: Final = 60
"""Cars drawn at most: past this, the leaders of each class, and how many more ran."""
LINE_IN: Final = 0.215  # one line of a row's label
ROW_GAP_IN: Final = 0.1  # between rows
TOP_IN: Final = 1.05  # title and subtitle
NOTE_IN: Final = 0.34  # the line saying how many more cars ran
LEGEND_ROW_IN: Final = 0.38
BOTTOM_IN: Final = 0.75  # the lap axis and its label
TOP_AXIS_FROM: Final = 30  # cars past which the lap scale is repeated above the bars
TOP_AXIS_IN: Final = 0.3
POSITION_IN: Final = 0.55  # the position column
LABEL_IN: Final = 3.55  # the car's name and drivers
LEFT_IN: Final = POSITION_IN + LABEL_IN
RIGHT_IN: Final = 0.3
BAR_SHARE: Final = 0.78  # share of a two-line row the bar fills
LABEL_PT: Final = 13.0
DRIVERS_PT: Final = 11.5
LEGEND_PT: Final = 13.0
MAX_LEGEND_COLUMNS: Final = 6
MAX_LEGEND_CLASSES: Final = 11
LEGEND_ITEM_EXTRA_IN: Final = 0.75  # each item's swatch, padding and spacing
TEAM_LINES: Final = 2
"""Lines a team name may wrap onto; a name longer than that (over 60 letters) is cut there."""

FONT: Final = "DejaVu Sans"  # shipped inside matplotlib, so every machine draws the same glyphs
BACKGROUND: Final = "#1E2228"
TEXT: Final = "#ECEFF3"
MUTED: Final = "#A7AFBA"
GRID: Final = "#363C46"
FADE: Final = 0.4  # how much of its class colour a retired car's bar keeps

# Caps on document text.
TITLE_CAP: Final = 50  # capitals at 20 pt bold fill the width
SUBTITLE_CAP: Final = 90
NUMBER_CAP: Final = 5
CLASS_CAP: Final = 14
CHAR_EM: Final = 0.6  # DejaVu Sans' average advance per point of size, to guess label widths
SUFFIXES: Final = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

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
class _Row:
    """One car as drawn: its entry, the lines of its label, and where its row starts."""

    entry: Entry
    name_lines: tuple[str, ...]
    drivers: str
    top: float  # in label lines from the top of the bars

    @property
    def lines(self) -> int:
        return len(self.name_lines) + (1 if self.drivers else 0)

    @property
    def middle(self) -> float:
        return self.top + max(self.lines, 2) / 2


@dataclass(frozen=True, slots=True)
class _Layout:
    """Sizes in inches (the figure's own unit) and the type sizes of the row labels."""

    height_in: float
    line_in: float
    label_pt: float
    drivers_pt: float
    header_in: float
    legend_columns: int
    legend_rows: int
    top_axis: bool  # the lap scale repeated above a long field
    note: str  # how many more cars ran, when only the leaders are drawn


@dataclass(frozen=True, slots=True)
class _Plan:
    """What is drawn: the rows, the classes in the legend, the layout."""

    rows: tuple[_Row, ...]
    lines: float  # total label lines, gaps included
    classes: tuple[str, ...]
    layout: _Layout


def shown_entries(race: Race, limit: int = MAX_CARS) -> tuple[tuple[Entry, ...], int]:
    """The cars a chart draws, in finishing order, and how many it leaves out: every car up to
    `limit`; past it the leaders of each class, the same number of each while a class has more
    (a class of three shows three), in finishing order."""
    entries = race.entries
    if len(entries) <= limit:
        return entries, 0
    by_class: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        by_class.setdefault(entry.class_, []).append(index)
    chosen: list[int] = []
    depth = 0
    while len(chosen) < limit:
        added = False
        for indexes in by_class.values():
            if depth < len(indexes) and len(chosen) < limit:
                chosen.append(indexes[depth])
                added = True
        if not added:
            break
        depth += 1
    kept = tuple(entries[index] for index in sorted(chosen))
    return kept, len(entries) - len(kept)


def surname(driver: str) -> str:
    """A driver as the chart names them: the family name ('Leitzinger', 'Policastro Jr.',
    'da Matta'), the lower-case particles before it kept."""
    words = safe_text(driver, 60).split()
    if not words:
        return ""
    end = len(words) - 1
    if end > 0 and words[end].lower() in SUFFIXES:
        end -= 1
    start = end
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    return " ".join(words[start:])


def race_chart(race: Race) -> bytes:
    """The race as a PNG bar chart: laps per car in finishing order, coloured by class."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    plan = _plan(race)
    layout = plan.layout
    figure = Figure(figsize=(WIDTH_IN, layout.height_in), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)  # attaches itself: Agg, whatever backend pyplot would pick
    _heading(figure, race, layout)
    _legend(figure, _legend_handles(plan.classes, race), layout)
    axes = figure.add_axes(_axes_box(layout), facecolor=BACKGROUND)
    _style_axes(axes, plan)
    _draw_bars(axes, plan)
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
    return int(WIDTH_IN * DPI), int(_plan(race).layout.height_in * DPI)


def chart_note(race: Race) -> str:
    """What the chart leaves out, as its note says it ('' when it draws every car)."""
    return _note(race, *shown_entries(race))


def safe_text(text: str, cap: int) -> str:
    """Document text for a picture: no control characters, one line, at most `cap` long."""
    return clip(_SPACES.sub(" ", strip_controls(text)).strip(), cap)


def _note(race: Race, shown: tuple[Entry, ...], left_out: int) -> str:
    """'Leaders of each class: 60 of 3,000 cars shown; 2,940 more ran (/classification
    lists them all)', or '' when every car is drawn."""
    if not left_out:
        return ""
    classes = len({entry.class_ for entry in race.entries})
    leaders = "Leaders of each class" if classes > 1 else "Leaders"
    return (
        f"{leaders}: {len(shown)} of {len(race.entries):,} cars shown; "
        f"{left_out:,} more ran (/classification lists them all)"
    )


def _label_chars(size: float) -> int:
    """Letters of type `size` that fit the label column."""
    return max(8, int((LABEL_IN - 0.15) / (CHAR_EM * size / 72)))


def _name_lines(entry: Entry, chars: int) -> tuple[str, ...]:
    number = safe_text(entry.number, NUMBER_CAP)
    team = safe_text(entry.team, chars * TEAM_LINES * 2)
    text = f"#{number} {team}".strip()
    if entry.is_class_winner:
        text = f"{WINNER_MARK} {text}"
    lines = textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=False)
    if len(lines) > TEAM_LINES:
        lines = [*lines[: TEAM_LINES - 1], clip(" ".join(lines[TEAM_LINES - 1 :]), chars)]
    return tuple(lines) or (text[:chars],)


def _drivers_line(entry: Entry, chars: int) -> str:
    names = [name for name in (surname(driver) for driver in entry.drivers) if name]
    return clip(" / ".join(names), chars)


def _plan(race: Race) -> _Plan:
    shown, left_out = shown_entries(race)
    note = _note(race, shown, left_out)
    classes = tuple(dict.fromkeys(entry.class_ for entry in shown))
    labels = _legend_labels(classes)
    columns = _legend_columns(labels)
    legend_rows = math.ceil(len(labels) / columns)
    top_axis = len(shown) > TOP_AXIS_FROM
    header_in = TOP_IN + legend_rows * LEGEND_ROW_IN + (TOP_AXIS_IN if top_axis else 0)
    header_in += NOTE_IN if note else 0
    fixed_in = header_in + BOTTOM_IN
    label_chars = _label_chars(LABEL_PT)
    drivers_chars = _label_chars(DRIVERS_PT)
    rows: list[_Row] = []
    top = 0.0
    gap = ROW_GAP_IN / LINE_IN
    for entry in shown:
        row = _Row(entry, _name_lines(entry, label_chars), _drivers_line(entry, drivers_chars), top)
        rows.append(row)
        top += max(row.lines, 2) + gap
    lines = max(top, 2.0)
    line_in = min(LINE_IN, (MAX_HEIGHT_IN - fixed_in) / lines)
    scale = line_in / LINE_IN
    layout = _Layout(
        height_in=_whole_pixels(fixed_in + lines * line_in),
        line_in=line_in,
        label_pt=LABEL_PT * scale,
        drivers_pt=DRIVERS_PT * scale,
        header_in=header_in,
        legend_columns=columns,
        legend_rows=legend_rows,
        top_axis=top_axis,
        note=note,
    )
    return _Plan(tuple(rows), lines, classes, layout)


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
    if layout.note:
        below = (TOP_IN + layout.legend_rows * LEGEND_ROW_IN + 0.02) / layout.height_in
        figure.text(x, 1 - below, layout.note, color=TEXT, fontsize=13, **style)


def _subtitle(race: Race) -> str:
    parts = [race_day(race.date), safe_text(race.circuit or "", 40)]
    if race.series:
        series = safe_text(race.series, 40)
        parts.append(f"{series}, round {race.round}" if race.round else series)
    return safe_text(" · ".join(part for part in parts if part), SUBTITLE_CAP)


def _legend_labels(classes: tuple[str, ...]) -> list[str]:
    named = [safe_text(name, CLASS_CAP) for name in classes[:MAX_LEGEND_CLASSES]]
    if len(classes) > MAX_LEGEND_CLASSES:
        named.append(f"+{len(classes) - MAX_LEGEND_CLASSES} classes")
    return [*named, WINNER_LABEL, RETIRED_LABEL]


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


def _legend_handles(classes: tuple[str, ...], race: Race) -> list[Patch]:
    from matplotlib.patches import Patch

    labels = _legend_labels(classes)
    *named, winner, retired = labels
    handles = [
        Patch(facecolor=_rgb(class_colour(name)), label=label)
        for name, label in zip(classes, named, strict=False)
    ]
    if len(named) > len(classes[:MAX_LEGEND_CLASSES]):
        handles.append(Patch(facecolor="none", edgecolor="none", label=named[-1]))
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


def _style_axes(axes: Axes, plan: _Plan) -> None:
    layout = plan.layout
    most = max((row.entry.laps or 0 for row in plan.rows), default=0)
    axes.set_xlim(0, max(most, 1) * 1.2)  # room after the longest bar for its laps and status
    axes.set_ylim(plan.lines, 0)  # the winner at the top
    axes.set_yticks([])
    label_x = -(LABEL_IN - 0.05) / (WIDTH_IN - LEFT_IN - RIGHT_IN)
    position_x = label_x - 0.1 / (WIDTH_IN - LEFT_IN - RIGHT_IN)
    # Labels as plain texts: a tick per car costs four artists and most of a render.
    for row in plan.rows:
        entry = row.entry
        weight = "bold" if entry.is_class_winner else "normal"
        first = row.top + 0.5
        _put(axes, (position_x, first), _position_text(entry), MUTED, layout.label_pt, "right")
        for offset, line in enumerate(row.name_lines):
            at = (label_x, first + offset)
            _put(axes, at, line, TEXT, layout.label_pt, "left", weight)
        if row.drivers:
            at = (label_x, first + len(row.name_lines))
            _put(axes, at, row.drivers, MUTED, layout.drivers_pt, "left")
    top = layout.top_axis
    axes.tick_params(axis="x", colors=MUTED, labelsize=12, labeltop=top, top=top)
    for label in axes.get_xticklabels():
        label.set_fontfamily(FONT)
    axes.grid(axis="x", color=GRID, linewidth=1)
    axes.set_axisbelow(True)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_xlabel("Laps completed", color=MUTED, fontsize=13, family=FONT)


def _draw_bars(axes: Axes, plan: _Plan) -> None:
    from matplotlib.patches import Rectangle

    axes_width_in = WIDTH_IN - LEFT_IN - RIGHT_IN
    pad = 0.08 * axes.get_xlim()[1] / axes_width_in
    height = 2 * BAR_SHARE
    for row in plan.rows:
        entry = row.entry
        colour = _rgb(class_colour(entry.class_))
        retired = entry.status is not Status.CLASSIFIED
        face = _fade(colour) if retired else colour
        laps = entry.laps or 0
        # Rectangles, not barh: one call per bar would redo barh's bookkeeping every time.
        bar = Rectangle(
            (0, row.middle - height / 2),
            laps,
            height,
            facecolor=face,
            # The hatch takes the edge colour; the edge itself is drawn for class winners only.
            edgecolor=TEXT if entry.is_class_winner else colour,
            linewidth=2 if entry.is_class_winner else 0,
            hatch="///" if retired else None,
        )
        axes.add_patch(bar)
        end = _end_text(entry)
        if end:
            _put(axes, (laps + pad, row.middle), end, TEXT, plan.layout.label_pt, "data")


def _put(
    axes: Axes,
    at: tuple[float, float],
    text: str,
    colour: str,
    size: float,
    align: str,
    weight: str = "normal",
) -> None:
    """One line of text: x in data coordinates ('data', left-aligned) or as a share of the
    axes' width (aligned 'left' or 'right'), y in data coordinates."""
    # A figure text: Axes.text would also clip each label to the axes, a tenth of a render.
    in_data = align == "data"
    transform = axes.transData if in_data else axes.get_yaxis_transform()
    axes.figure.text(
        *at,
        text,
        color=colour,
        fontsize=size,
        fontweight=weight,
        family=FONT,
        ha="left" if in_data else align,
        va="center",
        transform=transform,
        parse_math=False,  # a "$" in a team name is text, not TeX
    )


def _text_in(text: str, size: float) -> float:
    """A guess at the text's width in inches, from DejaVu Sans' average advance."""
    return len(text) * CHAR_EM * size / 72


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
