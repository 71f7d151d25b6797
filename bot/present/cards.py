"""Answers -> cards: the pages a front end shows, each within Discord's embed limits.

A `Card` is an embed without Discord: title, description, fields and footer as Discord-flavoured
markdown, with every name from the documents escaped. `answer_cards` splits long answers into
pages. Lengths are counted in UTF-16 code units, which is never less than the code points
discord.py counts, so a card that fits here fits whichever way Discord counts.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.core.answers import (
    AmbiguousAnswer,
    Answer,
    ClassAnswer,
    ClassWinnersAnswer,
    DriverAnswer,
    DriverRace,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    RaceAnswer,
    RacesAnswer,
    ResultsAnswer,
    StatsAnswer,
    Subject,
)
from bot.core.formats import long_date, ordinal, plural
from bot.core.model import Entry, LapRecord, Race, Status

# Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FIELD_COUNT_LIMIT: Final = 25
FIELD_NAME_LIMIT: Final = 256
FIELD_VALUE_LIMIT: Final = 1024
FOOTER_LIMIT: Final = 2048
EMBED_TOTAL_LIMIT: Final = 6000

ELLIPSIS: Final = "…"
ZERO_WIDTH_SPACE: Final = "\u200b"
EMPTY_VALUE: Final = "—"

# Caps on single names keep every line far below a page, so pages split between lines.
NAME_CAP: Final = 100
NUMBER_CAP: Final = 12
CLASS_CAP: Final = 40
DRIVERS_CAP: Final = 400
INTRO_CAP: Final = 1024
QUERY_CAP: Final = 100
FOOTER_CAP: Final = 400
# Room kept in every footer for " · page 12345/12345".
PAGE_SUFFIX_ROOM: Final = 24

# Items per page: enough to be useful, few enough to read on a phone.
LINES_PER_PAGE: Final = 20
CARS_PER_PAGE: Final = 10
APPEARANCES_PER_PAGE: Final = 8
RACES_PER_PAGE: Final = 15

BRAND_COLOUR: Final = 0x607D8B
NOT_FOUND_COLOUR: Final = 0xFAA61A
AMBIGUOUS_COLOUR: Final = 0xFEE75C
INVALID_COLOUR: Final = 0xED4245

# Classes as results write them, after `_class_key`; equivalent names share a colour family.
CLASS_COLOURS: Final = {
    "LMP900": 0xD32F2F,
    "LMP1": 0xC62828,
    "LMP": 0xE53935,
    "LMH": 0xB71C1C,
    "HYPERCAR": 0xB71C1C,
    "LMDH": 0xAD1457,
    "GTP": 0xAD1457,
    "LMP675": 0x1E88E5,
    "LMP2": 0x1565C0,
    "LMP3": 0x8E24AA,
    "LMPC": 0x5E35B1,
    "DP": 0x6D4C41,
    "DPI": 0x8D6E63,
    "GTS": 0xF57C00,
    "GT1": 0xEF6C00,
    "LMGT1": 0xEF6C00,
    "GT": 0x43A047,
    "GT2": 0x2E7D32,
    "LMGT2": 0x2E7D32,
    "GTLM": 0x00897B,
    "GTE": 0x00897B,
    "GTEPRO": 0x00897B,
    "GTEAM": 0x26A69A,
    "LMGTE": 0x00897B,
    "LMGTEPRO": 0x00897B,
    "LMGTEAM": 0x26A69A,
    "GTD": 0x7CB342,
    "GTDPRO": 0x558B2F,
    "GT3": 0xC0CA33,
    "LMGT3": 0xC0CA33,
    "GT4": 0x9E9D24,
}

STATUS_WORDS: Final = {
    Status.CLASSIFIED: "Finished",
    Status.DNF: "Did not finish",
    Status.DNS: "Did not start",
    Status.NC: "Not classified",
}
SUBJECT_PLURALS: Final = {
    Subject.QUERY: "teams, drivers, cars or chassis",
    Subject.TEAM: "teams",
    Subject.DRIVER: "drivers",
    Subject.CAR: "cars",
    Subject.CLASS: "classes",
    Subject.RACE: "races",
}
HELP_HINT: Final = "/help lists what you can ask"

MARKDOWN_CHARACTERS: Final = "\\*_~`|>#-[]()"
_ESCAPES: Final = str.maketrans({char: "\\" + char for char in MARKDOWN_CHARACTERS})
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_MENTION = re.compile(r"<@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class CardField:
    """One name/value pair of a card; inline fields sit side by side."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """One page of an answer: an embed's content, checked against Discord's limits."""

    title: str
    description: str
    colour: int
    fields: tuple[CardField, ...] = ()
    footer: str = ""
    ephemeral: bool = False

    def __post_init__(self) -> None:
        problems = card_problems(self)
        if problems:
            raise ValueError("card exceeds Discord's limits: " + "; ".join(problems))


def text_length(text: str) -> int:
    """Length in UTF-16 code units: at least the code-point count, so safe either way."""
    if text.isascii():  # the common case, and a C-speed check
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def card_length(card: Card) -> int:
    """Title, description, field names and values, and footer, as Discord totals them."""
    parts = [card.title, card.description, card.footer]
    parts += [part for field in card.fields for part in (field.name, field.value)]
    return sum(text_length(part) for part in parts)


def card_problems(card: Card) -> list[str]:
    """Every Discord limit the card breaks (none for a card built by `answer_cards`)."""
    problems: list[str] = []
    parts = [
        ("title", card.title, TITLE_LIMIT),
        ("description", card.description, DESCRIPTION_LIMIT),
    ]
    parts.append(("footer", card.footer, FOOTER_LIMIT))
    for index, field in enumerate(card.fields):
        parts.append((f"field {index} name", field.name, FIELD_NAME_LIMIT))
        parts.append((f"field {index} value", field.value, FIELD_VALUE_LIMIT))
        if not field.name.strip() or not field.value.strip():
            problems.append(f"field {index} has an empty name or value")
    total = 0
    for what, text, limit in parts:  # each length measured once, for its limit and the total
        length = text_length(text)
        total += length
        if length > limit:
            problems.append(f"{what} is {length} long (limit {limit})")
    if len(card.fields) > FIELD_COUNT_LIMIT:
        problems.append(f"{len(card.fields)} fields (limit {FIELD_COUNT_LIMIT})")
    if total > EMBED_TOTAL_LIMIT:
        problems.append(f"{total} characters in all (limit {EMBED_TOTAL_LIMIT})")
    if not 0 <= card.colour <= 0xFFFFFF:
        problems.append(f"colour {card.colour} is not a 24-bit RGB value")
    return problems


def escape_markdown(text: str) -> str:
    """Text Discord shows literally: markdown escaped, mentions broken by a zero-width space."""
    escaped = text.translate(_ESCAPES)
    return neutralise_mentions(escaped)


def neutralise_mentions(text: str) -> str:
    """@everyone, @here and <@…> mentions made inert (for plain text such as footers)."""
    text = _MASS_MENTION.sub(lambda match: "@" + ZERO_WIDTH_SPACE + match[1], text)
    return _MENTION.sub("<@" + ZERO_WIDTH_SPACE, text)


def truncate(text: str, limit: int) -> str:
    """At most `limit` long (UTF-16 units), cut with "…" and never leaving a dangling escape."""
    if text_length(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = text[: limit - 1]
    # Characters beyond the BMP take two units each: drop them from the end until it fits.
    excess = text_length(cut) - (limit - 1)
    while excess > 0:
        excess -= text_length(cut[-1])
        cut = cut[:-1]
    cut = cut.rstrip()
    # An odd run of trailing backslashes would escape the ellipsis or open a broken escape.
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    return cut + ELLIPSIS


def plain(text: str) -> str:
    """One line of document text: control characters and line breaks become spaces."""
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))
    return " ".join(text.split())


# Names repeat across answers (every driver, team and chassis of a season), so cache them.
@functools.lru_cache(maxsize=8192)
def md(text: str, cap: int = NAME_CAP) -> str:
    """A name from a document or a user, as safe markdown of at most `cap` characters."""
    # Escaping only lengthens, so a prefix decides the result (with room for a whole mention).
    return truncate(escape_markdown(plain(text)[: cap + 16]), cap)


def class_colour(class_: str) -> int:
    """The colour of a class: a fixed palette colour, else one derived stably from its name."""
    key = _class_key(class_)
    if not key:
        return BRAND_COLOUR
    if key in CLASS_COLOURS:
        return CLASS_COLOURS[key]
    # hash() is salted per process; a digest gives the same colour on every run and machine.
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()
    hue = int.from_bytes(digest[:2], "big") / 0x10000
    saturation = 0.55 + digest[2] / 255 * 0.3
    value = 0.75 + digest[3] / 255 * 0.15
    red, green, blue = colorsys.hsv_to_rgb(hue, saturation, value)
    return (round(red * 255) << 16) | (round(green * 255) << 8) | round(blue * 255)


def _class_key(class_: str) -> str:
    return re.sub(r"[\s_\-]", "", plain(class_)).upper()


# Entry texts. Each returns safe markdown: document names inside are escaped.


def car_label(entry: Entry) -> str:
    """'#38 ADT Champion Racing' (the '#' escaped)."""
    team = md(entry.team)
    number = "\\#" + md(entry.number, NUMBER_CAP)
    return f"{number} {team}" if team else number


def short_position(entry: Entry) -> str:
    """'P3', 'DNF (P29)', 'NC (P30)', 'DNS'."""
    match entry.status:
        case Status.CLASSIFIED:
            return f"P{entry.position}" if entry.position is not None else "Classified"
        case Status.DNS:
            return "DNS"
        case _:
            label = entry.status.value.upper()
            return f"{label} (P{entry.position})" if entry.position is not None else label


def position_text(entry: Entry) -> str:
    """'P3 · 2nd in LMP900', 'DNF (P29) · 15th in GT', 'DNS'."""
    text = short_position(entry)
    if entry.class_position is not None and entry.status is not Status.DNS:
        text += f" · {ordinal(entry.class_position)} in {md(entry.class_, CLASS_CAP)}"
    return text


def laps_text(laps: int | None) -> str:
    """'102 laps', '1 lap', 'no laps'."""
    return "no laps" if laps is None else plural(laps, "lap")


def gap_text(entry: Entry) -> str:
    """'class winner', '5 laps down in class', 'on the class winner's lap', or ''."""
    if entry.is_class_winner:
        return "class winner"
    behind = entry.laps_behind_class_winner
    if behind is None or entry.status is Status.DNS:
        return ""
    if behind <= 0:
        return "on the class winner's lap"
    return f"{plural(behind, 'lap')} down in class"


def drivers_text(drivers: Iterable[str], separator: str = ", ") -> str:
    """The crew, names escaped; '—' when the document names nobody."""
    names = [name for name in map(md, drivers) if name]
    return truncate(separator.join(names), DRIVERS_CAP) if names else EMPTY_VALUE


def race_date(race: Race) -> str:
    """'July 27, 2003', or '' when the document gives no date."""
    return long_date(race.date)


def duration_text(seconds: float) -> str:
    """'2:45:58' (hours unpadded)."""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def number_text(value: float) -> str:
    """415.307, 150.145, 4 — three decimals at most, no trailing zeros."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def source_text(race: Race, entry: Entry | None = None) -> str:
    """'2003-grand-prix-of-sonoma.txt', with ':line' when citing one car."""
    source = neutralise_mentions(plain(race.source))
    return f"{source}:{entry.line}" if entry is not None else source


# Paging.


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every page of one answer shares."""

    title: str
    colour: int
    footer: str = ""
    ephemeral: bool = False
    intro: str = ""

    def fitted(self) -> _Frame:
        return replace(
            self,
            title=truncate(self.title, TITLE_LIMIT).strip() or EMPTY_VALUE,
            footer=truncate(self.footer, min(FOOTER_CAP, FOOTER_LIMIT - PAGE_SUFFIX_ROOM)),
            intro=truncate(self.intro, INTRO_CAP),
        )

    def room(self, description: str) -> int:
        """What the fields of a page may total, given its description."""
        fixed = text_length(self.title) + text_length(self.footer) + PAGE_SUFFIX_ROOM
        return EMBED_TOTAL_LIMIT - fixed - text_length(description)


def _with_intro(intro: str, body: str) -> str:
    return f"{intro}\n\n{body}" if intro and body else intro or body


def _line_pages(frame: _Frame, lines: Iterable[str], per_page: int = LINES_PER_PAGE) -> list[Card]:
    """Lines in the description, as many per page as fit."""
    frame = frame.fitted()
    separator = 2 if frame.intro else 0
    room = min(DESCRIPTION_LIMIT, frame.room("")) - text_length(frame.intro) - separator
    pages: list[list[str]] = []
    page: list[str] = []
    used = 0
    for raw in lines:
        line = truncate(raw, room)
        cost = text_length(line) + (1 if page else 0)
        if page and (used + cost > room or len(page) >= per_page):
            pages.append(page)
            page, used, cost = [], 0, text_length(line)
        page.append(line)
        used += cost
    if page or not pages:
        pages.append(page)
    return _finish(frame, [(_with_intro(frame.intro, "\n".join(page)), ()) for page in pages])


def _field_pages(
    frame: _Frame, fields: Iterable[CardField], per_page: int = FIELD_COUNT_LIMIT
) -> list[Card]:
    """Fields under the intro, as many per page as fit."""
    frame = frame.fitted()
    room = frame.room(frame.intro)
    per_page = min(per_page, FIELD_COUNT_LIMIT)
    pages: list[list[CardField]] = []
    page: list[CardField] = []
    used = 0
    for raw in fields:
        name = truncate(raw.name.strip() or ZERO_WIDTH_SPACE, FIELD_NAME_LIMIT)
        value_room = min(FIELD_VALUE_LIMIT, room - text_length(name))
        value = truncate(raw.value.strip() or EMPTY_VALUE, value_room)
        field = CardField(name, value, raw.inline)
        cost = text_length(name) + text_length(value)
        if page and (used + cost > room or len(page) >= per_page):
            pages.append(page)
            page, used = [], 0
        page.append(field)
        used += cost
    if page or not pages:
        pages.append(page)
    return _finish(frame, [(frame.intro, tuple(page)) for page in pages])


def _finish(frame: _Frame, pages: Sequence[tuple[str, tuple[CardField, ...]]]) -> list[Card]:
    count = len(pages)
    cards = []
    for number, (description, fields) in enumerate(pages, start=1):
        footer = frame.footer
        if count > 1:
            footer = f"{footer} · page {number}/{count}" if footer else f"page {number}/{count}"
        cards.append(
            Card(
                title=frame.title,
                description=description,
                colour=frame.colour,
                fields=fields,
                footer=footer,
                ephemeral=frame.ephemeral,
            )
        )
    return cards


def _lines_within(lines: Sequence[str], limit: int) -> str:
    """Whole lines while they fit, then '… and N more' (never cutting a line's markdown)."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        more = f"\n{ELLIPSIS} and {rest} more" if rest else ""
        cost = text_length(line) + (1 if kept else 0)
        if used + cost + text_length(more) > limit:
            tail = f"{ELLIPSIS} and {len(lines) - index} more"
            return "\n".join([*kept, tail])
        kept.append(line)
        used += cost
    return "\n".join(kept)


# Answers.


def answer_cards(answer: Answer) -> list[Card]:
    """The pages that show an answer, in order; at least one, each within Discord's limits."""
    match answer:
        case ResultsAnswer():
            return _results_cards(answer)
        case ClassAnswer():
            return _class_cards(answer)
        case ClassWinnersAnswer():
            return _class_winners_cards(answer)
        case DriverAnswer():
            return _driver_cards(answer)
        case StatsAnswer():
            return _stats_cards(answer)
        case RaceAnswer():
            return _race_cards(answer)
        case RacesAnswer():
            return _races_cards(answer)
        case HelpAnswer():
            return _help_cards(answer)
        case NotFoundAnswer():
            return _not_found_cards(answer)
        case AmbiguousAnswer():
            return _ambiguous_cards(answer)
        case InvalidAnswer():
            return _invalid_cards(answer)


def _matched_line(answer: ResultsAnswer) -> str:
    if not answer.matched:
        return ""
    meanings = truncate(", ".join(md(meaning) for meaning in answer.matched), INTRO_CAP // 2)
    return f"Matched “{md(answer.query, QUERY_CAP)}”: {meanings}"


def _race_line(race: Race) -> str:
    date = race_date(race)
    return f"{md(race.title)} · {date}" if date else md(race.title)


def _results_cards(answer: ResultsAnswer) -> list[Card]:
    if len(answer.cars) == 1:
        return _car_cards(answer, answer.cars[0])
    race = answer.race
    intro_lines = [_matched_line(answer), f"{len(answer.cars)} cars in the {md(race.title)}"]
    frame = _Frame(
        title=f"“{md(answer.query, QUERY_CAP)}” — {md(race.title)}",
        colour=_common_colour(answer.cars),
        footer=f"Source: {source_text(race)}",
        intro="\n".join(line for line in intro_lines if line),
    )
    fields = [_car_field(entry) for entry in answer.cars]
    return _field_pages(frame, fields, CARS_PER_PAGE)


def _common_colour(entries: Iterable[Entry]) -> int:
    classes = {_class_key(entry.class_) for entry in entries}
    if len(classes) == 1:
        return class_colour(next(iter(classes)))
    return BRAND_COLOUR


def _car_field(entry: Entry) -> CardField:
    trophy = "🏆 " if entry.is_class_winner else ""
    name = f"{trophy}{position_text(entry)} · {car_label(entry)}"
    details = [md(entry.chassis), laps_text(entry.laps), gap_text(entry)]
    value = f"{drivers_text(entry.drivers)}\n{' · '.join(part for part in details if part)}"
    return CardField(name, value)


def _car_cards(answer: ResultsAnswer, entry: Entry) -> list[Card]:
    race = answer.race
    description = [f"**{position_text(entry)}**", _race_line(race), _matched_line(answer)]
    frame = _Frame(
        title=car_label(entry),
        colour=class_colour(entry.class_),
        footer=f"Source: {source_text(race, entry)}",
        intro="\n".join(line for line in description if line),
    )
    fields = [
        CardField("Class", md(entry.class_, CLASS_CAP), inline=True),
        CardField("Laps", laps_text(entry.laps), inline=True),
        CardField("Gap", gap_text(entry) or STATUS_WORDS[entry.status].lower(), inline=True),
        CardField("Drivers", drivers_text(entry.drivers, "\n")),
        CardField("Chassis", md(entry.chassis), inline=True),
        CardField("Engine", md(entry.engine), inline=True),
    ]
    if entry.tyre:
        fields.append(CardField("Tyre", md(entry.tyre), inline=True))
    return _field_pages(frame, fields)


def _class_line(entry: Entry) -> str:
    if entry.is_class_winner:
        return (
            f"🏆 **1st · {short_position(entry)} · {car_label(entry)}** — "
            f"{drivers_text(entry.drivers)} · {laps_text(entry.laps)}"
        )
    place = short_position(entry)
    if entry.class_position is not None and entry.status is not Status.DNS:
        place = f"{ordinal(entry.class_position)} · {place}"
    behind = entry.laps_behind_class_winner
    gap = f" ({behind} down)" if behind and entry.status is not Status.DNS else ""
    laps = f" · {laps_text(entry.laps)}{gap}" if entry.laps is not None else ""
    return f"{place} · {car_label(entry)} — {drivers_text(entry.drivers)}{laps}"


def _status_counts(entries: Sequence[Entry]) -> str:
    counts = [plural(len(entries), "car")]
    classified = sum(entry.status is Status.CLASSIFIED for entry in entries)
    counts.append(f"{classified} classified")
    for status in (Status.DNF, Status.NC, Status.DNS):
        count = sum(entry.status is status for entry in entries)
        if count:
            counts.append(f"{count} {status.value.upper()}")
    return " · ".join(counts)


def _class_cards(answer: ClassAnswer) -> list[Card]:
    race = answer.race
    frame = _Frame(
        title=f"{md(answer.class_, CLASS_CAP)} — {md(race.title)}",
        colour=class_colour(answer.class_),
        footer=f"Source: {source_text(race)}",
        intro=_status_counts(answer.entries),
    )
    return _line_pages(frame, [_class_line(entry) for entry in answer.entries])


def _class_winners_cards(answer: ClassWinnersAnswer) -> list[Card]:
    race = answer.race
    lines = [
        f"**{md(entry.class_, CLASS_CAP)}** · {short_position(entry)} · {car_label(entry)} — "
        f"{drivers_text(entry.drivers)} · {laps_text(entry.laps)}"
        for entry in answer.winners
    ]
    frame = _Frame(
        title=f"Class winners — {md(race.title)}",
        colour=BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro=_race_line(race) if lines else "No car was classified.",
    )
    return _line_pages(frame, lines)


def _driver_cards(answer: DriverAnswer) -> list[Card]:
    appearances = answer.appearances
    races = {(item.race.source, item.race.title) for item in appearances}
    sources = list(dict.fromkeys(source_text(item.race) for item in appearances))
    if len(appearances) == 1:
        footer = f"Source: {source_text(appearances[0].race, appearances[0].entry)}"
    else:
        footer = ("Sources: " if len(sources) > 1 else "Source: ") + ", ".join(sources)
    frame = _Frame(
        title=md(answer.driver, TITLE_LIMIT),
        colour=class_colour(appearances[0].entry.class_),
        footer=footer,
        intro=f"{plural(len(races), 'race')} · {plural(len(appearances), 'car')}",
    )
    fields = [_appearance_field(answer.driver, item) for item in appearances]
    return _field_pages(frame, fields, APPEARANCES_PER_PAGE)


def _appearance_field(driver: str, item: DriverRace) -> CardField:
    entry = item.entry
    key = plain(driver).casefold()
    others = [name for name in entry.drivers if plain(name).casefold() != key]
    if len(others) == len(entry.drivers):  # the driver's name is written differently here
        crew = f"Drivers: {drivers_text(entry.drivers)}"
    else:
        crew = f"with {drivers_text(others)}" if others else "solo"
    details = [md(entry.chassis), laps_text(entry.laps), STATUS_WORDS[entry.status]]
    value = "\n".join(
        [
            f"**{position_text(entry)}** · {car_label(entry)}",
            crew,
            " · ".join(part for part in details if part),
        ]
    )
    return CardField(_race_line(item.race), value)


def _lap_record_text(record: LapRecord | None, speed: float | None) -> str:
    if record is None:
        return "not recorded"
    team = md(record.team)
    text = f"\\#{md(record.number, NUMBER_CAP)} {team} · {md(record.time, 20)}"
    return f"{text}\n{speed:.1f} km/h" if speed is not None else text


def _stats_cards(answer: StatsAnswer) -> list[Card]:
    race, stats = answer.race, answer.statistics
    missing = "not recorded"
    distance = missing
    if stats.distance_km is not None:
        distance = f"{number_text(stats.distance_km)} km"
        if stats.winner_laps:
            distance += f" · {laps_text(stats.winner_laps)}"
    fields = [
        CardField("Pole position", _lap_record_text(stats.pole, stats.pole_speed_kmh), True),
        CardField(
            "Fastest lap", _lap_record_text(stats.fastest_lap, stats.fastest_lap_speed_kmh), True
        ),
        CardField("Distance", distance, True),
        CardField(
            "Average speed",
            f"{number_text(stats.average_speed_kmh)} km/h" if stats.average_speed_kmh else missing,
            True,
        ),
        CardField(
            "Race duration",
            duration_text(stats.duration_s) if stats.duration_s is not None else missing,
            True,
        ),
        CardField(
            "Lap length",
            f"{stats.lap_length_km:.3f} km" if stats.lap_length_km is not None else missing,
            True,
        ),
        CardField("Entries", str(answer.entries), True),
        CardField("Starters", str(answer.starters), True),
        CardField("Finishers", f"{answer.classified} classified", True),
        CardField("DNF", str(answer.dnf), True),
        CardField("DNS", str(answer.dns), True),
        CardField("NC", str(answer.nc), True),
    ]
    frame = _Frame(
        title=f"Statistics — {md(race.title)}",
        colour=BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro=_race_line(race),
    )
    return _field_pages(frame, fields)


def _race_cards(answer: RaceAnswer) -> list[Card]:
    race = answer.race
    prose = "\n\n".join(escape_markdown(plain(paragraph)) for paragraph in race.prose)
    fields = []
    if race.series:
        series = md(race.series)
        fields.append(
            CardField("Series", f"{series} · round {race.round}" if race.round else series, True)
        )
    if race.circuit:
        where = md(race.circuit)
        fields.append(
            CardField("Circuit", f"{where}, {md(race.location)}" if race.location else where, True)
        )
    if race.date:
        fields.append(CardField("Date", race_date(race), True))
    winner = race.winner
    if winner is not None:
        fields.append(
            CardField(
                "Winner",
                f"{car_label(winner)} ({md(winner.class_, CLASS_CAP)})\n"
                f"{drivers_text(winner.drivers)}\n"
                f"{md(winner.chassis)} · {laps_text(winner.laps)}",
            )
        )
    winners = [
        f"**{md(entry.class_, CLASS_CAP)}** · {car_label(entry)}" for entry in race.class_winners()
    ]
    if winners:
        fields.append(CardField("Class winners", _lines_within(winners, FIELD_VALUE_LIMIT)))
    fields.append(
        CardField(
            "Entries",
            f"{plural(len(race.entries), 'car')} · {plural(len(race.classes), 'class', 'classes')}",
            True,
        )
    )
    frame = _Frame(
        title=md(race.title, TITLE_LIMIT),
        colour=class_colour(winner.class_) if winner else BRAND_COLOUR,
        footer=f"Source: {source_text(race)}",
        intro=prose,  # fitted to INTRO_CAP with the rest of the frame
    )
    return _field_pages(frame, fields)


def _races_cards(answer: RacesAnswer) -> list[Card]:
    lines = []
    for race in answer.races:
        parts = [f"**{md(race.title)}**", race_date(race)]
        if race.circuit:
            parts.append(md(race.circuit))
        if race.series:
            parts.append(f"{md(race.series)} round {race.round}" if race.round else md(race.series))
        parts.append(plural(len(race.entries), "car"))
        lines.append(" · ".join(part for part in parts if part))
    frame = _Frame(
        title="Races",
        colour=BRAND_COLOUR,
        footer="Pick one with race:<title, year or circuit>" if lines else "",
        intro=f"{plural(len(lines), 'race')}, newest first" if lines else "No races are loaded.",
    )
    return _line_pages(frame, lines, RACES_PER_PAGE)


def _help_cards(answer: HelpAnswer) -> list[Card]:
    fields = [
        CardField(
            md(command.usage, FIELD_NAME_LIMIT),
            f"{md(command.description, 600)}\nExample: "
            f"`{truncate(plain(command.example).replace('`', ''), 200)}`",
        )
        for command in answer.commands
    ]
    frame = _Frame(
        title="racebot — race results on demand",
        colour=BRAND_COLOUR,
        footer="Names may be partial; the latest race is the default.",
        intro="Ask about the results of the loaded races:",
    )
    return _field_pages(frame, fields)


def _not_found_cards(answer: NotFoundAnswer) -> list[Card]:
    query = md(answer.query, QUERY_CAP)
    text = (
        f"No {answer.subject.value} matches “{query}”."
        if query
        else f"No {answer.subject.value} was given."
    )
    if answer.suggestions:
        names = ", ".join(f"**{md(name)}**" for name in answer.suggestions)
        text += f" Did you mean: {names}?"
    frame = _Frame(
        title="Nothing found",
        colour=NOT_FOUND_COLOUR,
        footer=HELP_HINT,
        ephemeral=True,
        intro=text,
    )
    return _line_pages(frame, [])


def _ambiguous_cards(answer: AmbiguousAnswer) -> list[Card]:
    frame = _Frame(
        title="Which one?",
        colour=AMBIGUOUS_COLOUR,
        footer=HELP_HINT,
        ephemeral=True,
        intro=(
            f"“{md(answer.query, QUERY_CAP)}” matches several "
            f"{SUBJECT_PLURALS[answer.subject]}. Be more specific, for example:"
        ),
    )
    lines = [f"• {md(option)}" for option in answer.options]
    if answer.more:
        lines.append(f"…and {answer.more} more")
    return _line_pages(frame, lines)


def _invalid_cards(answer: InvalidAnswer) -> list[Card]:
    frame = _Frame(
        title="Can't answer that",
        colour=INVALID_COLOUR,
        footer=HELP_HINT,
        ephemeral=True,
        intro=truncate(escape_markdown(answer.message), INTRO_CAP),
    )
    return _line_pages(frame, [])
