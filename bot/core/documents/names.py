"""Names in result cells: flag artifacts, and crews of drivers written without delimiters.

The documents are rendered wiki tables. A flag icon becomes its three-letter country code,
so cells read "USA JMB Racing USA" or "David McEntee USA Jason Workman". Driver cells list a
crew as one run of words. The rules below are deliberately simple so a reader can predict them
(README, "Race documents", says the same):

* A country code standing on its own in a driver cell is a flag, and so a boundary between
  two drivers.
* A driver's name is a given name and a family name (two capitalised words). Lower-case
  particles ("van", "de", "da", "dos", ...) and the prefix "St." join the family name that
  follows them; generational suffixes ("Jr.", "Sr.", "II", "III", "IV") join the name before.
* A family name with a particle or a suffix ends a driver. Between such ends, drivers are two
  words each from the left; three words alone are one driver, and the last driver takes an
  odd word left over ("Scott Dixon Juan Pablo Montoya").
* A driver whose family name has a particle takes up to four words, as many as leave the
  drivers before it two words each, with at least one driver before it when there are four
  or more: "Jean-Paul Roux Luis Carlos Ferraz da Costa" is two drivers.
* Across a library, a name seen unambiguously elsewhere (a run of two or three words between
  flags or cell edges) is kept whole when it appears inside a longer run.
* In a team cell every code is a flag except one at the very end (teams such as "JMB Racing
  USA"); a leading code is dropped only when two or more words remain ("USA Racing" stays),
  or always in a table whose team cells mostly start with a flag ("GBR Prodrive").
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from itertools import chain, product
from pathlib import Path
from typing import Final

from bot.core.cores import usable_cores

log = logging.getLogger(__name__)

# IOC/FIA three-letter codes that flag icons render as. Not exhaustive of the world, but of
# the nations motor-racing results carry; a code missing here is kept as a word.
COUNTRY_CODES: Final = frozenset(
    """
    ARG AUS AUT BEL BRA BUL CAN CHE CHI CHN COL CRO CZE DEN DEU ECU ESP EST FIN FRA GBR GER
    GRE HKG HUN IND INA IRL ISR ITA JPN KOR LAT LTU LUX MAS MEX MON NED NOR NZL PER POL POR
    PRT QAT RSA RUS SGP SIN SLO SUI SVK SWE SWI THA TPE TUR UAE UKR URU USA VEN ZAF ZIM
    NLD DNK MCO SVN HRV GRC LVA ROU SRB BLR KAZ ISL CYP MLT LIE SAU OMN KWT BHR PHL IDN
    MYS TWN LBN EGY CHL URY PRY PUR PRI CRC CRI GTM AZE MDA BIH MNE MKD
    """.split()
)
PARTICLES: Final = frozenset(
    "van von de der den di da das dos do del della des du la le ten ter zu af av bin".split()
)
# Capitalised prefixes that, like particles, join the family name after them.
PREFIXES: Final = frozenset({"St.", "St", "Ste.", "Ste"})
# Matched exactly: "Iv" or "Jr" in lower case could be part of a real name.
SUFFIXES: Final = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
# Every spelling that str.lower() makes a particle of: "van", "Van", "VAN", ... (no other
# character lowers to an ASCII letter of a particle), so a set look-up needs no lower().
_PARTICLE_CASES: Final = frozenset(
    "".join(letters)
    for particle in PARTICLES
    for letters in product(*({letter, letter.upper()} for letter in particle))
)
# Words that join the word before or after them (see _groups).
_GROUPING: Final = PREFIXES | SUFFIXES | _PARTICLE_CASES
PARALLEL_CUTS_FROM: Final = 50_000
"""Long cells from which half are cut in a second process (starting it costs ~0.2 s; cutting
50,000 cells ~0.4 s; 10,000 races have 290,000)."""
# Words that make a crew more than plain names (see split_drivers), in any case.
_MARKERS: Final = COUNTRY_CODES | PREFIXES | SUFFIXES | _PARTICLE_CASES
# The longest name, in core words, that a library-wide known name may cover.
_MAX_KNOWN: Final = 5

# C0 and C1 controls, DEL, and the bidirectional controls that reorder terminal text.
_CONTROLS: Final = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same, less the line feed: a whole document is cleaned at once, then cut into lines.
_CONTROLS_IN_LINES: Final = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

_Group = tuple[str, ...]


def is_flag(word: str) -> bool:
    """Whether a word is a rendered flag icon (an upper-case country code)."""
    return word in COUNTRY_CODES


def strip_controls(text: str) -> str:
    """Text without control characters (white-space controls become spaces)."""
    if text.isprintable():  # every character the pattern matches is unprintable: nothing to do
        return text
    return _CONTROLS.sub(_control_replacement, text)


# Letters and symbols that draw nothing: Hangul and half-width fillers, the braille blank.
_BLANK_CHARACTERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e")
_SHOWN_ASCII: Final = re.compile("[!-~]")
# Categories that draw nothing of their own: spaces, controls, formats, marks, unassigned.
_BLANK_CATEGORIES: Final = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"})


def visible(text: str) -> bool:
    """Whether the text shows anything: not empty, not only spaces, zero-width or other
    invisible characters (a name made of them cannot be read, asked for nor told apart)."""
    if text.isascii() and text.isprintable():  # most names: in C, any but a space shows
        return not text.isspace() and text != ""
    if text.isprintable() and _SHOWN_ASCII.search(text):  # "Tomáš Enge": a letter shows
        return True
    return any(
        ch not in _BLANK_CHARACTERS and unicodedata.category(ch) not in _BLANK_CATEGORIES
        for ch in text
    )


def normalise_spaces(text: str) -> str:
    """Collapse runs of white space into one space, drop control characters, and trim."""
    return " ".join(strip_controls(text).split())


def normalise_lines(text: str) -> list[str]:
    """`normalise_spaces` of each line of `text` (split at \\n only), in one pass over it."""
    if _clean_lines(text):  # most documents: half the time of cutting every line into words
        return text.split("\n")
    text = _CONTROLS_IN_LINES.sub(_control_replacement, text)
    return [" ".join(line.split()) for line in text.split("\n")]


def _clean_lines(text: str) -> bool:
    """Whether every line is already normalised: no control, no white space but single spaces
    between words (every control and every white space but the space is unprintable)."""
    return (
        text.replace("\n", " ").isprintable()
        and "  " not in text
        and " \n" not in text
        and "\n " not in text
        and text[:1] != " "
        and text[-1:] != " "
    )


def _control_replacement(match: re.Match[str]) -> str:
    return " " if match[0].isspace() else ""


def clean_team(cell: str, flagged: bool = False) -> str:
    """The team name without flag artifacts (a code at the very end is kept).

    `flagged`: the table's team cells mostly start with a flag, so a leading code is one.
    """
    words = cell.split()
    if len(words) > 1 and COUNTRY_CODES.isdisjoint(words[:-1]):  # no flag, or one at the end
        return " ".join(words)
    kept = [
        word
        for index, word in enumerate(words)
        if not is_flag(word) or (index == len(words) - 1 and index > 0)
    ]
    if not flagged and len(kept) < 2 and words and is_flag(words[0]):
        # "USA Racing": too short for the leading code to be a flag.
        kept = [word for index, word in enumerate(words) if index == 0 or word in kept]
    return " ".join(kept)


def flagged_teams(cells: list[str]) -> bool:
    """Whether most team cells start with a flag code (a table that flags every entrant)."""
    firsts = [words[0] for cell in cells if (words := cell.split(maxsplit=1))]
    return sum(map(COUNTRY_CODES.__contains__, firsts)) * 2 > len(cells)


def crew_runs(cell: str) -> list[list[_Group]]:
    """A driver cell as runs of core words (particles, prefixes and suffixes attached)."""
    words = cell.split()
    if COUNTRY_CODES.isdisjoint(words):  # most crews: no flag, so one run (if any word)
        return [_groups(words)] if words else []
    runs: list[list[_Group]] = []
    run: list[str] = []
    for word in words:
        if word not in COUNTRY_CODES:
            run.append(word)
        elif run:  # a flag ends the run before it (an empty run is no run)
            runs.append(_groups(run))
            run = []
    if run:
        runs.append(_groups(run))
    return runs


def split_drivers(cell: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Cut a driver cell into full names (see the module docstring for the rules)."""
    words = cell.split()
    # Most crews have no flag, particle, prefix or suffix: every word is a group of its own,
    # in one run, which known names change only when it is four words or more.
    if (not known or len(words) < 4) and _plain(words):
        return _plain_cut(words)
    return _cut(crew_runs(cell), known, None)


def _plain(words: list[str]) -> bool:
    """No word is a flag, prefix or suffix, nor (in any case) a particle."""
    return _MARKERS.isdisjoint(words)


def _plain_cut(words: list[str]) -> tuple[str, ...]:
    """`_split_segment` of one-word groups: two words a name, the last name takes an odd one."""
    if len(words) <= 3:
        return (" ".join(words),) if words else ()
    head = len(words) - (3 if len(words) % 2 else 2)
    names = [f"{words[i]} {words[i + 1]}" for i in range(0, head, 2)]
    names.append(" ".join(words[head:]))
    return tuple(names)


def library_cuts(cells: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each distinct cell that cuts into other drivers once the names written unambiguously
    in any of the cells are known (`split_drivers(cell, known)`) than alone
    (`split_drivers(cell)`), with that cut: every crew of a library cut again, in one call."""
    known, long = crew_facts(cells)
    return cuts_by_known_names(long, known)


def crew_facts(cells: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """What cutting crews again across a library needs of some cells: the names they write
    unambiguously, and the cells such names may cut differently (a run of four or more core
    words). The facts of a library are the union of its documents' facts, so each document's
    are found on its own."""
    known: set[str] = set()
    long: list[str] = []
    # Crews repeat: each distinct cell is read once. Its runs are not kept for cutting again:
    # holding a library's worth of lists made the garbage collector run twice as often.
    for cell in set(cells):
        words = cell.split()
        if _plain(words):  # one run of one-word groups
            if 2 <= len(words) <= 3:
                known.add(" ".join(words))
            elif len(words) >= 4:
                long.append(cell)
            continue
        runs = crew_runs(cell)
        known.update(_join(run) for run in runs if 2 <= len(run) <= 3)
        if any(len(run) >= 4 for run in runs):
            long.append(cell)
    return frozenset(known), tuple(long)


def cuts_by_known_names(long: Iterable[str], known: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Each of the long cells whose cut with the known names is not its own cut, with that cut.

    Independent cell by cell: many cells (a library's first build) are cut in chunks, this
    process from the first, a second process from the last, until they meet (the result is
    the one pass's, in its order)."""
    cells = list(long)
    if len(cells) < PARALLEL_CUTS_FROM or usable_cores() < 2:
        return _cuts_by_known_names(cells, known)
    chunks = [cells[at : at + _CHUNK_CELLS] for at in range(0, len(cells), _CHUNK_CELLS)]
    first_theirs = len(chunks) // 2
    try:
        # A bare interpreter that imports only this module: forking the caller could copy its
        # threads' locks, and multiprocessing's workers import the caller's main module (0.7 s).
        worker = subprocess.Popen(
            [sys.executable, "-c", _WORKER, _ROOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
    except OSError as exc:
        log.warning("cutting crews in this process (no second one: %s)", exc)
        return _cuts_by_known_names(cells, known)
    theirs: dict[int, dict[str, tuple[str, ...]]] = {}
    with worker:
        # Fed and read from threads: this one cuts while the worker starts, reads and answers.
        sent = marshal.dumps((first_theirs, chunks[first_theirs:], known))
        feeding = threading.Thread(target=_feed, args=(worker, sent))
        stopped = threading.Event()
        reading = threading.Thread(
            target=_read_cuts, args=(worker, chunks, first_theirs, theirs, stopped)
        )
        feeding.start()
        reading.start()
        mine: dict[int, dict[str, tuple[str, ...]]] = {}
        for index, chunk in enumerate(chunks):
            # The worker cuts its chunks last first: one it has cut, it has cut every later.
            if index in theirs:
                break
            mine[index] = _cuts_by_known_names(chunk, known)
        failed = worker.poll()
        stopped.set()
        worker.kill()  # every cell is cut (by it or here): a frame it was writing is not read
        feeding.join()
        reading.join()
    if failed:
        log.warning("cutting crews in this process (a second one exited with %s)", failed)
    changes: dict[str, tuple[str, ...]] = {}
    for index in range(len(chunks)):
        changes.update(mine[index] if index in mine else theirs[index])
    return changes


def cuts_in_pool(
    pool: Executor, long: Sequence[str], known: frozenset[str]
) -> Callable[[], dict[str, tuple[str, ...]]]:
    """`cuts_by_known_names` started in a pool's processes (a first start's parse workers,
    free once the parse is done); what it gives waits for them (and raises what they raised)."""
    size = max(1, -(-len(long) // _POOL_PARTS))
    parts = [
        pool.submit(_cuts_by_known_names, long[at : at + size], known)
        for at in range(0, len(long), size)
    ]

    def cuts() -> dict[str, tuple[str, ...]]:
        changes: dict[str, tuple[str, ...]] = {}
        for part in parts:
            changes.update(part.result())
        return changes

    return cuts


_POOL_PARTS: Final = 16
"""Parts the cells are cut in, in a pool (each sends the known names once): small enough that
the workers end close together (a first start waits for the last)."""
_CHUNK_CELLS: Final = 4000
"""Cells cut at once, between looks at how far the other process has come."""
_MAX_FRAME: Final = 1 << 30


def _feed(worker: subprocess.Popen[bytes], data: bytes) -> None:
    if worker.stdin is not None:
        with contextlib.suppress(OSError):  # it stopped: its cells are cut here
            worker.stdin.write(data)
            worker.stdin.close()


def _read_cuts(
    worker: subprocess.Popen[bytes],
    chunks: list[list[str]],
    first: int,
    found: dict[int, dict[str, tuple[str, ...]]],
    stopped: threading.Event,
) -> None:
    """Each chunk's cuts the worker sends (a length, then marshal's (index, cuts)), into `found`,
    until it stops (or is `stopped`) or sends anything else."""
    stream = worker.stdout
    if stream is None:
        return
    try:
        while header := stream.read(8):
            length = int.from_bytes(header, "little")
            if len(header) != 8 or length > _MAX_FRAME:
                raise ValueError("not a chunk's length")
            frame = stream.read(length)
            if len(frame) != length:
                raise ValueError("a chunk cut short")
            index, cuts = marshal.loads(frame)
            if not first <= index < len(chunks) or not isinstance(cuts, dict):
                raise ValueError(f"chunk {index!r} is none of its own")
            if not cuts.keys() <= set(chunks[index]):
                raise ValueError(f"chunk {index} has cells of another")
            found[index] = cuts
    except (ValueError, EOFError, TypeError, OSError) as exc:
        if not stopped.is_set():
            log.warning("cutting crews in this process (a second one answered wrongly: %s)", exc)


def _cut_in_worker() -> None:
    """The second process of `cuts_by_known_names`: its first chunk's index, its chunks and the
    known names in on stdin (marshal); each chunk's cuts out on stdout as it is cut, the last
    chunk first."""
    first, chunks, known = marshal.loads(sys.stdin.buffer.read())
    names = frozenset(known)
    out = sys.stdout.buffer
    for index in range(len(chunks) - 1, -1, -1):
        frame = marshal.dumps((first + index, _cuts_by_known_names(chunks[index], names)))
        out.write(len(frame).to_bytes(8, "little") + frame)
        out.flush()


_ROOT: Final = str(Path(__file__).resolve().parents[3])
"""The folder holding the `bot` package (the worker's first import path)."""
_WORKER: Final = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from bot.core.documents.names import _cut_in_worker; _cut_in_worker()"
)


def _cuts_by_known_names(long: Sequence[str], known: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """`cuts_by_known_names` in this process."""
    # Every known name (two or three groups) opens with two of these words; where a run's
    # next two words are not such an opening, no name need be joined and looked up.
    openings = frozenset(" ".join(name.split(" ", 2)[:2]) for name in known)
    changes: dict[str, tuple[str, ...]] = {}
    for cell in long:
        words = cell.split()
        if _plain(words):
            if _cut_holds(words, known):
                continue
            runs, own = crew_runs(cell), _plain_cut(words)
        else:
            runs = crew_runs(cell)
            own = _cut(runs, frozenset(), None)
        cut = _cut(runs, known, openings)
        if cut != own:
            changes[cell] = cut
    return changes


def _cut_holds(words: list[str], known: frozenset[str]) -> bool:
    """Whether known names leave a plain run's cut as the rules make it (most do: the names
    of the cut are themselves the known names). Sure only, never a guess: the known-name scan
    takes a name only at the start of one of the cut's names (a name of two words between two
    known ones would strand nothing), so if every known name found ends where a cut name ends,
    and none starts inside one, the scan cuts exactly as the rules do."""
    count = len(words)
    last = count - (3 if count % 2 else 2)  # where the cut's last name starts
    for index in range(count - 1):
        boundary = index % 2 == 0 and index <= last
        ends = (2, 3, 4) if not boundary else (3, 4) if index < last else (4,)
        for length in ends:
            if index + length <= count and " ".join(words[index : index + length]) in known:
                return False
    return True


def _cut(
    runs: list[list[_Group]], known: frozenset[str], openings: frozenset[str] | None
) -> tuple[str, ...]:
    names: list[str] = []
    for run in runs:
        if known and len(run) >= 4:
            names.extend(_split_known(run, known, openings))
        else:
            names.extend(_split_run(run))
    return tuple(names)


def _groups(words: list[str]) -> list[_Group]:
    """Group particles and prefixes with the word they precede, suffixes with the one before."""
    if _GROUPING.isdisjoint(words):  # no word joins another: each is a group of its own
        return [(word,) for word in words]
    groups: list[_Group] = []
    pending: list[str] = []
    for word in words:
        if word in SUFFIXES and groups and not pending:
            groups[-1] = (*groups[-1], word)
        elif word in PREFIXES or (word in _PARTICLE_CASES and word[0].islower()):
            pending.append(word)
        elif pending:
            groups.append((*pending, word))
            pending = []
        else:
            groups.append((word,))
    if pending:  # trailing particles belong to the last word after all
        if groups:
            groups[-1] = (*groups[-1], *pending)
        else:
            groups.append(tuple(pending))
    return groups


def _join(groups: Iterable[_Group]) -> str:
    return " ".join(chain.from_iterable(groups))


def _split_known(
    run: list[_Group], known: frozenset[str], openings: frozenset[str] | None
) -> list[str]:
    """Keep names known from elsewhere whole; cut the words between them by the rules."""
    names: list[str] = []
    start = index = 0
    while index < len(run):
        end = _known_end(run, start, index, known, openings)
        if end:
            names += _split_run(run[start:index])
            names.append(_join(run[index:end]))
            start = index = end
        else:
            index += 1
    return names + _split_run(run[start:])


def _known_end(
    run: list[_Group],
    start: int,
    index: int,
    known: frozenset[str],
    openings: frozenset[str] | None,
) -> int:
    """The end of the longest known name at `run[index]`, or 0 (0 is never such an end)."""
    # A known name must not strand one word on either side of it, and takes two groups.
    if index - start == 1 or index + 1 >= len(run):
        return 0
    if openings is not None:
        group = run[index]
        second = group[1] if len(group) > 1 else run[index + 1][0]
        if f"{group[0]} {second}" not in openings:
            return 0
    for end in range(min(len(run), index + _MAX_KNOWN), index + 1, -1):
        if len(run) - end != 1 and _join(run[index:end]) in known:
            return end
    return 0


def _split_run(groups: list[_Group]) -> list[str]:
    """Cut flag-free core words into names, segment by segment."""
    names: list[str] = []
    start = 0
    for index, group in enumerate(groups):
        # A group of several words (a family name with a particle or prefix, or a suffixed
        # word) closes a driver.
        if len(group) > 1 and index > start:
            names += _split_segment(groups[start : index + 1], particle=group[-1] not in SUFFIXES)
            start = index + 1
    return names + _split_segment(groups[start:], particle=False)


def _split_segment(groups: list[_Group], particle: bool) -> list[str]:
    """Two words a name from the left; a closing particle name may take up to four."""
    if len(groups) <= 3:
        return [_join(groups)] if groups else []
    last = 2
    if particle:
        last = next(p for p in (4, 3, 2) if (len(groups) - p) % 2 == 0 and len(groups) > p)
    elif len(groups) % 2:
        last = 3
    head = groups[: len(groups) - last]
    names = [_join(head[i : i + 2]) for i in range(0, len(head), 2)]
    return [*names, _join(groups[len(head) :])]
