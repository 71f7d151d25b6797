"""Adding a race document to the seeds folder: validated, named from its title, written atomically.

`/import` and `racebot import` both call `import_document`. A document is parsed by the same
code as the folder (so the problems read as `racebot check` prints them); it is written as a
temporary file in the same folder, flushed and fsynced, then renamed over its target, so a
crash leaves the old document or the new one, never half of either. A document it replaces is
first copied into `.history/` with a timestamp: no import ever loses a document. Imports of
one folder take a lock file, so two imports (or the bot and the command line) never interleave.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final, Literal

from bot.core.model import Race, RaceSummary
from bot.core.parsing import SeedError, parse_bytes

try:  # POSIX: a lock that also holds against another process (the command line)
    import fcntl
except ImportError:  # pragma: no cover - Windows: the in-process lock alone
    fcntl = None  # type: ignore[assignment]

MAX_IMPORT_BYTES: Final = 1024 * 1024
"""The largest document an import accepts (the seed is about 10 kB)."""

NAME_LIMIT: Final = 100
"""Characters of the title kept in a file name: far below every file system's limit."""

HISTORY_DIR: Final = ".history"
"""Replaced documents, kept in the seeds folder (the loader reads only `*.txt` at the top)."""

LOCK_FILE: Final = ".import.lock"

_NOT_SAFE = re.compile(r"[^a-z0-9]+")
_LOCK = threading.Lock()


class ImportRefused(ValueError):
    """The document was not imported; the message says why in one line."""


class AlreadyLoaded(ImportRefused):
    """The race is loaded already: each front end says how to replace it in its own words."""


@dataclasses.dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: the race, where it now lives, and what it replaced."""

    race: Race
    path: Path
    action: Literal["added", "replaced"]
    kept: tuple[Path, ...] = ()
    """The replaced documents, as copied into `.history/`."""


def race_summary(race: Race) -> str:
    """One line: title, date, cars and classes (what `racebot check` and `/import` say)."""
    date = race.date.isoformat() if race.date else "no date"
    cars = len(race.entries)
    classes = ", ".join(race.classes)
    return f"{race.title} ({date}), {cars} car{'s' if cars != 1 else ''}, classes {classes}"


def file_name_for(title: str) -> str:
    """A safe file name from a title: `2004-grand-prix-of-x.txt`, ASCII letters, digits, dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SAFE.sub("-", ascii_title.lower()).strip("-")
    digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if not slug:  # a title of no Latin letters or digits: named by its digest alone
        return f"race-{digest}.txt"
    if len(slug) > NAME_LIMIT:  # cut, and told apart from titles that share the beginning
        slug = f"{slug[:NAME_LIMIT].rstrip('-')}-{digest}"
    return f"{slug}.txt"


def validate_document(data: bytes, source: str) -> Race:
    """The race in a document's bytes (UTF-8, a BOM allowed); `SeedError` names what is wrong."""
    if len(data) > MAX_IMPORT_BYTES:
        raise SeedError(source, None, f"is over {MAX_IMPORT_BYTES // 1024} kB")
    return parse_bytes(data, source)[0]  # the loader's own decoding and refusals


def import_document(
    folder: Path,
    data: bytes,
    source: str,
    existing: Iterable[Race | RaceSummary],
    *,
    replace: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Validate and write one document into `folder`; refuse a duplicate unless `replace`.

    `existing` are the races loaded now (their summaries will do); a race with the same title,
    or a document under the same file name, is a duplicate. Raises `SeedError` for a bad
    document, `ImportRefused` for a duplicate, `OSError` when the folder cannot be written.
    """
    race = validate_document(data, source)
    target = folder / file_name_for(race.title)
    with folder_lock(folder):
        same_title = {folder / r.source for r in existing if r.title == race.title}
        duplicates = sorted(p for p in {*same_title, target} if p.exists())
        if duplicates and not replace:
            names = ", ".join(p.name for p in duplicates)
            raise AlreadyLoaded(
                f"'{race.title}' is already loaded ({names}); if you replace it, the old version"
                f" is kept in {folder.name}/.history/"
            )
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
        kept = tuple(keep_in_history(path, stamp) for path in duplicates)
        write_atomically(target, data)
        for path in duplicates:  # the same race under an older name: its copy is in history
            if path != target:
                path.unlink(missing_ok=True)
    return ImportResult(race, target, "replaced" if duplicates else "added", kept)


def keep_in_history(path: Path, stamp: str) -> Path:
    """Copy a document into `.history/` as `name.STAMP.txt` (atomically) and return the copy."""
    history = path.parent / HISTORY_DIR
    history.mkdir(exist_ok=True)
    copy = history / f"{path.stem}.{stamp}{path.suffix}"
    write_atomically(copy, path.read_bytes())
    return copy


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a fsynced temporary file in the same folder, then rename it into place."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            # mkstemp makes it owner-only; a document is read by whoever runs the bot, as seeds are.
            os.fchmod(file.fileno(), 0o644)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a folder cannot be opened on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's import lock: one import at a time, across threads and processes."""
    with _LOCK:
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        with open(folder / LOCK_FILE, "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
