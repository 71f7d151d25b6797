"""Before the bot starts: a data folder it can use, and no leftovers of an interrupted write.

The store writes through transactions (SQLite's journal, PostgreSQL's), so a SIGKILL leaves
nothing half-written of its own. Release 0.1 wrote files through temporary files renamed into
place, and an interrupted write left the temporary file behind: imports' `.NAME.XXXX.tmp` in the
seeds folder, and `*.tmp` and the stored library's `.library-*` in the data folder. Nothing
reads them, so they are removed at start.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

SEEDS_LEFTOVERS: Final = (".*.tmp",)
DATA_LEFTOVERS: Final = ("*.tmp", ".*.tmp", ".library-*")


class DataDirProblem(OSError):
    """The data folder cannot be made or written; the message is one line."""


def prepare_data_dir(folder: Path) -> Path:
    """Make the data folder if needed and check that it can be written; raise `DataDirProblem`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DataDirProblem(f"the data folder {folder} is a file, not a folder") from None
    except OSError as exc:
        raise DataDirProblem(f"cannot make the data folder {folder} ({exc.strerror})") from None
    probe = folder / ".racebot-write-check.tmp"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirProblem(f"cannot write in the data folder {folder} ({exc.strerror})") from None
    return folder


def _leftovers(folder: Path, patterns: tuple[str, ...]) -> Iterator[Path]:
    seen: set[Path] = set()
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            if path not in seen and path.is_file() and not path.is_symlink():
                seen.add(path)
                yield path


def _remove(paths: Iterator[Path]) -> list[Path]:
    removed: list[Path] = []
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            try:
                path.unlink()
            except OSError as exc:
                log.warning("cannot remove the leftover %s (%s)", path, exc.strerror)
                continue
            removed.append(path)
            log.info("removed %s, left by an interrupted write", path)
    return removed


def remove_leftovers(seeds_dir: Path, data_dir: Path) -> list[Path]:
    """Remove the temporary files an interrupted write left; the paths removed."""
    removed: list[Path] = []
    if data_dir.is_dir():
        removed += _remove(_leftovers(data_dir, DATA_LEFTOVERS))
    if seeds_dir.is_dir():
        removed += _remove(_leftovers(seeds_dir, SEEDS_LEFTOVERS))
    return removed
