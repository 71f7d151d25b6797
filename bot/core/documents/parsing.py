"""Race-result documents -> `Race` models. Pure: text in, a model or a precise `SeedError` out.

This module reads a document's skeleton (title, prose, sections) and loads files and folders;
`bot.core.documents.tables` reads the results table and `bot.core.documents.statistics` the
Statistics section.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import ValidationError

from bot.core.collector import collector_paused
from bot.core.documents.model import Race
from bot.core.documents.names import library_cuts, normalise_lines, normalise_spaces
from bot.core.documents.prose import read_prose
from bot.core.documents.seed_error import SeedError, SeedWarning, describe_validation
from bot.core.documents.statistics import MAX_QUANTITY, lap_seconds, parse_statistics
from bot.core.documents.tables import (
    MAX_COUNT,
    NO_LAPS,
    Row,
    map_columns,
    parse_entries,
    table_rows,
)

__all__ = [
    "MAX_COUNT",
    "MAX_FILE_BYTES",
    "MAX_QUANTITY",
    "NO_LAPS",
    "RESULTS_SECTION",
    "STATISTICS_SECTION",
    "LoadReport",
    "ParsedDocument",
    "SeedError",
    "SeedWarning",
    "lap_seconds",
    "load_document",
    "load_folder",
    "load_race",
    "parse_bytes",
    "parse_document",
    "parse_document_bytes",
    "parse_race",
    "read_file",
]

log = logging.getLogger(__name__)

RESULTS_SECTION: Final = "Official results"
STATISTICS_SECTION: Final = "Statistics"
# Section names, at any heading level, that hold the results table or the statistics.
RESULTS_SECTIONS: Final = frozenset(
    {
        "official results",
        "official result",
        "race results",
        "race result",
        "results",
        "result",
        "final results",
        "race classification",
        "classification",
        "final classification",
    }
)
STATISTICS_SECTIONS: Final = frozenset({"statistics", "race statistics", "stats"})
# A table under another name is taken as the results only if it is not one of these.
_NOT_RESULTS: Final = ("qualif", "practice", "grid", "standings", "entry", "warm")
MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""Documents larger than this are refused without being read."""
_MAX_LEVEL: Final = 6
# Read size once a file turns out longer than fstat said.
_GROWTH_CHUNK: Final = 64 * 1024

_TITLE = re.compile(r"^=\s*(?P<title>[^=].*?)\s*=$")


@dataclass(slots=True)
class _Section:
    level: int
    name: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Sections:
    """A document cut into its parts, each line kept with its 1-based number."""

    title: str
    title_line: int
    prose: list[str] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document read: its race, each entry's driver cell as written (crews are cut again
    once every document's names are known), what is unlikely in it (it still loads) and the
    line of its heading."""

    race: Race
    crews: tuple[str, ...]
    warnings: tuple[SeedWarning, ...]
    title_line: int


def parse_race(text: str, source: str = "<text>") -> Race:
    """Parse one document; raise `SeedError` naming the line at fault."""
    return parse_document(text, source).race


def parse_document(text: str, source: str = "<text>") -> ParsedDocument:
    """Parse one document with its warnings; raise `SeedError` naming the line at fault.

    A document that cannot be true is refused like a malformed one: a car (not disqualified)
    with more laps than the winner, an average speed above the fastest lap's, a team or driver
    name that is empty or only invisible characters. What is only unlikely is a warning.
    """
    doc = _split_sections(text.removeprefix("\ufeff"), source)
    notes, rows = _results_table(doc, source)
    warnings: list[SeedWarning] = []
    entries, crews = parse_entries(rows, source, warnings)
    facts = read_prose(doc.title, "\n".join(doc.prose)).as_fields()
    winner = next((e for e in entries if e.position == 1), None)
    stats = next((s for s in doc.sections if s.name.lower() in STATISTICS_SECTIONS), None)
    # A winner without laps (0 or "-") leaves the lap length, and so lap speeds, unknown.
    statistics = parse_statistics(
        stats.lines if stats else [],
        source,
        (winner.laps or None) if winner else None,
        warnings,
    )
    try:
        race = Race(
            title=doc.title,
            prose=tuple(doc.prose),
            notes=notes,
            entries=entries,
            statistics=statistics,
            source=source,
            **facts,
        )
    except ValidationError as exc:  # pragma: no cover - the checks above should catch all
        raise SeedError(source, None, describe_validation(exc)) from exc
    return ParsedDocument(race, crews, tuple(warnings), doc.title_line)


def _results_table(doc: _Sections, source: str) -> tuple[str | None, list[Row]]:
    """The results section's notes and table rows.

    The first results-named section whose table has the needed columns; else the first
    results-named section with a table (so its error is reported); else any section's table
    with the needed columns, unless the section is about qualifying, practice or the like.
    """
    # Tables are read only where they may be the results (not every qualifying table).
    named = [table_rows(s.lines) for s in doc.sections if s.name.lower() in RESULTS_SECTIONS]
    complete = [(notes, rows) for notes, rows in named if rows and not map_columns(rows[0])[1]]
    with_rows = [(notes, rows) for notes, rows in named if rows]
    if complete or with_rows or named:
        return (complete or with_rows or named)[0]
    for section in doc.sections:  # none is results-named
        if any(w in section.name.lower() for w in _NOT_RESULTS):
            continue
        notes, rows = table_rows(section.lines)
        if rows and not map_columns(rows[0])[1]:
            return notes, rows
    raise SeedError(source, None, f"no '=={RESULTS_SECTION}==' section")


def _heading(line: str) -> tuple[int, str] | None:
    """'==Name==' (two to six '=' each side) -> (level, name)."""
    level = len(line) - len(line.lstrip("="))
    if not 2 <= level <= _MAX_LEVEL or not line.endswith("=" * level) or len(line) <= 2 * level:
        return None
    name = line[level:-level].strip()
    if not name or name[0] == "=" or name[-1] == "=":
        return None
    return level, name


def _split_sections(text: str, source: str) -> _Sections:
    # Collapsing white space first keeps every pattern below linear in the line's length.
    # Lines end at \n (or \r\n, or an old Mac's \r) only: splitlines() would also break a cell
    # at U+0085, U+2028 or a file separator, shifting every line number after it.
    if "\r" in text:  # one scan, not two replacements, for a document without any
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = normalise_lines(text)
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise SeedError(source, None, "the document is empty")
    match = _TITLE.match(lines[first])
    if match is None:
        raise SeedError(source, first + 1, "the document must start with a '= Title =' heading")
    doc = _Sections(title=normalise_spaces(match["title"]), title_line=first + 1)
    top_level: set[str] = set()
    section_lines: list[tuple[int, str]] | None = None  # the last section's, once there is one
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        if not line:
            continue
        heading = _heading(line) if line[:2] == "==" else None  # most lines are no heading
        if heading:
            level, name = heading
            # Subsections may repeat a name ("Results" under Qualifying and under Race).
            if level == 2 and name.lower() in top_level:
                raise SeedError(source, number, f"section '{name}' appears twice")
            if level == 2:
                top_level.add(name.lower())
            doc.sections.append(_Section(level, name, number))
            section_lines = doc.sections[-1].lines
        elif section_lines is not None:
            section_lines.append((number, line))
        else:
            doc.prose.append(line)
    return doc


@dataclass(frozen=True, slots=True)
class LoadReport:
    """Every race that loaded from a folder, and an error for each document that did not;
    the warnings of those that loaded, and each one's heading line by its file name."""

    races: tuple[Race, ...]
    errors: tuple[SeedError, ...]
    warnings: tuple[SeedWarning, ...] = ()
    title_lines: Mapping[str, int] = field(default_factory=dict)


def load_race(path: Path) -> Race:
    """Read and parse one document file; any failure is a `SeedError` naming the file."""
    return load_document(path).race


def load_document(path: Path) -> ParsedDocument:
    """Read and parse one document file with its warnings; any failure is a `SeedError`."""
    return parse_document_bytes(read_file(path)[0], path.name)


def load_folder(folder: Path) -> LoadReport:
    """Parse every `*.txt` document in a folder, keeping the good ones and reporting the bad.

    Plain and synchronous, sharing no state: safe to run in a worker thread
    (`await asyncio.to_thread(load_folder, folder)`) so a bot's event loop never waits on it.
    """
    if not folder.is_dir():
        error = SeedError(str(folder), None, "no such folder of race documents")
        return LoadReport((), (error,))
    parsed: list[tuple[Race, tuple[str, ...]]] = []
    errors: list[SeedError] = []
    warnings: list[SeedWarning] = []
    title_lines: dict[str, int] = {}
    with collector_paused():
        for path in sorted(folder.glob("*.txt")):
            try:
                document = load_document(path)
            except SeedError as exc:
                # INFO, not WARNING: callers report the errors; a CLI must not print them twice.
                log.info("skipping %s", exc)
                errors.append(exc)
                continue
            parsed.append((document.race, document.crews))
            warnings += document.warnings
            title_lines[document.race.source] = document.title_line
        races = _with_library_crews(parsed)
        return LoadReport(races, tuple(errors), tuple(warnings), title_lines)


def _with_library_crews(parsed: list[tuple[Race, tuple[str, ...]]]) -> tuple[Race, ...]:
    """Long crews cut again into drivers, keeping whole the names written unambiguously
    anywhere in the library."""
    cut_by_names = library_cuts(cell for _, crews in parsed for cell in crews)
    races = []
    for race, crews in parsed:
        changed = {
            index: drivers
            for index, (entry, cell) in enumerate(zip(race.entries, crews, strict=True))
            if (drivers := cut_by_names.get(cell)) is not None and drivers != entry.drivers
        }
        if changed:
            entries = tuple(
                entry.model_copy(update={"drivers": changed[i]}) if i in changed else entry
                for i, entry in enumerate(race.entries)
            )
            race = race.model_copy(update={"entries": entries})
        races.append(race)
    return tuple(races)


def parse_bytes(data: bytes, source: str) -> tuple[Race, tuple[str, ...]]:
    """Decode and parse one document's bytes (with each entry's driver cell as written); any
    failure, not only the parser's own, becomes a `SeedError` naming it."""
    document = parse_document_bytes(data, source)
    return document.race, document.crews


def parse_document_bytes(data: bytes, source: str) -> ParsedDocument:
    """`parse_bytes` with the document's warnings and heading line."""
    try:
        return parse_document(_decode(data, source), source)
    except SeedError:
        raise
    except RecursionError as exc:  # pragma: no cover - no parser step recurses
        raise SeedError(source, None, "the document is nested too deeply") from exc
    except Exception as exc:  # one bad document must never stop the others
        log.exception("unexpected failure reading %s", source)
        raise SeedError(source, None, f"cannot be read ({type(exc).__name__}: {exc})") from exc


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, os.stat_result]:
    """A document's bytes and status; FIFOs, devices, folders and files over `limit` are refused
    unread, with a `SeedError` naming the file."""
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} kB"
    try:
        # Non-blocking, so opening a FIFO with no writer returns at once; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise SeedError(path.name, None, f"cannot read the file ({exc.strerror})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SeedError(path.name, None, "is not a regular file")
        if info.st_size > limit:
            raise SeedError(path.name, None, f"is over {size}")
        data = _read_to_end(fd, info.st_size, limit)
    except OSError as exc:
        raise SeedError(path.name, None, f"cannot read the file ({exc.strerror})") from exc
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew after the check
        raise SeedError(path.name, None, f"is over {size}")
    return data, info


def _read_to_end(fd: int, expected: int, limit: int) -> bytes:
    """Read until end of file or `limit + 1` bytes, whichever comes first.

    A buffered read(limit + 1) allocates the whole limit (5 MB) for every file; asking for the
    size fstat gave (plus one, to see a file that grew) allocates only what the file holds.
    """
    chunks: list[bytes] = []
    total = 0
    want = expected + 1
    while total <= limit:
        chunk = os.read(fd, min(want, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = _GROWTH_CHUNK  # the file grew or was read short: go on in modest steps
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text; a byte-order mark, as Windows Notepad writes, is not part of the title."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SeedError(source, line, "the file is not valid UTF-8") from exc
