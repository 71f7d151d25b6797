"""`racebot import FILE [--replace] [--seeds DIR]`: add a race document as /import does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.core.cached_loading import load_library
from bot.core.importing import (
    MAX_IMPORT_BYTES,
    AlreadyLoaded,
    ImportRefused,
    import_document,
    race_summary,
)
from bot.core.names import strip_controls
from bot.core.parsing import SeedError, read_file
from bot.settings import load_settings


def run_import(
    path: Path, seeds: Path | None, *, replace: bool = False, out: TextIO | None = None
) -> int:
    """Validate and write one document into the seeds folder; 0 when it was imported, else 1."""
    out = out or sys.stdout
    settings = load_settings()
    folder = seeds or settings.seeds_dir
    try:  # as the loader reads: FIFOs, devices and oversized files are refused unread
        data, _ = read_file(path, MAX_IMPORT_BYTES)
    except SeedError as exc:
        return _refuse(f"{path}: {exc.message}")
    # The races the bot would load: the same loader, through the parse cache.
    loaded = load_library(folder, settings.data_dir)
    existing = loaded.library
    try:
        result = import_document(folder, data, path.name, existing.summaries, replace=replace)
    except SeedError as exc:
        return _refuse(str(SeedError(str(path), exc.line, exc.message)) + " (nothing written)")
    except AlreadyLoaded as exc:
        return _refuse(f"{exc} (to replace it: racebot import {path} --replace)")
    except ImportRefused as exc:
        return _refuse(str(exc))
    except OSError as exc:
        return _refuse(f"{folder}: cannot write the document ({exc.strerror})")
    print(strip_controls(f"{result.action}: {race_summary(result.race)}"), file=out)
    print(f"saved as {result.path}", file=out)
    for kept in result.kept:
        print(f"previous version kept as {kept}", file=out)
    print("A running bot loads it (and announces it) on /reload.", file=out)
    return 0


def _refuse(message: str) -> int:
    print(f"racebot: {strip_controls(message)}", file=sys.stderr)
    return 1
