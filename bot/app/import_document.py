"""`racebot import FILE [--replace] [--seeds DIR]` and `racebot remove RACE`: what /import and
/remove do, from a shell. Both write to the store; a running bot takes the change in by itself
(within a second)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.core.asking.questions.common import Refused
from bot.core.documents.importing import race_summary
from bot.core.documents.names import strip_controls
from bot.core.documents.parsing import SeedError, read_file
from bot.loader import open_keeper
from bot.loader.keeper import MAX_IMPORT_BYTES, AlreadyStored
from bot.present.text import plain
from bot.settings import load_settings

COMMAND_LINE = "command line"
"""Who the store records as having imported or removed a document from a shell."""


def run_import(
    path: Path, seeds: Path | None, *, replace: bool = False, out: TextIO | None = None
) -> int:
    """Validate one document and store it as its race's; 0 when it was imported, else 1."""
    out = out or sys.stdout
    try:  # as the loader reads: FIFOs, devices and oversized files are refused unread
        data, _ = read_file(path, MAX_IMPORT_BYTES)
    except SeedError as exc:
        return _refuse(f"{path}: {exc.message}")
    return asyncio.run(_import(path, data, seeds, replace=replace, out=out))


async def _import(
    path: Path, data: bytes, seeds: Path | None, *, replace: bool, out: TextIO
) -> int:
    keeper = await open_keeper(load_settings(), seeds)
    try:
        imported = await keeper.import_document(data, path.name, by=COMMAND_LINE, replace=replace)
    except SeedError as exc:
        return _refuse(str(SeedError(str(path), exc.line, exc.message)) + " (nothing stored)")
    except AlreadyStored as exc:
        return _refuse(f"{exc} (to replace it: racebot import {path} --replace)")
    finally:
        await keeper.close()
    print(strip_controls(f"{imported.change.action}: {race_summary(imported.race)}"), file=out)
    print(f"stored in {keeper.store.description}", file=out)
    if imported.replaced is not None:
        print(f"the previous version ({imported.replaced.source}) is kept in its history", file=out)
    for warning in imported.warnings:
        print(strip_controls(f"racebot: {warning}"), file=sys.stderr)
    return 0


def run_remove(race: str, seeds: Path | None, *, out: TextIO | None = None) -> int:
    """Remove a race's document from the store (kept in its history); 0 when removed, else 1."""
    return asyncio.run(_remove(race, seeds, out=out or sys.stdout))


async def _remove(race: str, seeds: Path | None, *, out: TextIO) -> int:
    keeper = await open_keeper(load_settings(), seeds)
    try:
        try:
            index, race_key = keeper.find_race(race)
        except Refused as exc:
            return _refuse(f"no race is named {race!r} exactly: {_said(exc)}")
        except ValueError as exc:
            return _refuse(str(exc))
        summary = keeper.service.library.summaries[index]
        document = await keeper.store.document(race_key)
        if document is not None and document.origin == "seeds":
            return _refuse(
                f"'{summary.title}' comes from {document.source} in the seeds folder; "
                "delete that file instead (its race goes at the next start or /reload)"
            )
        change = await keeper.remove(race_key, by=COMMAND_LINE)
    finally:
        await keeper.close()
    if change is None:
        return _refuse(f"'{summary.title}' was already removed")
    print(strip_controls(f"removed: {summary.title} (kept in the store's history)"), file=out)
    return 0


def _said(refusal: Refused) -> str:
    """A refusal's answer as one plain line."""
    answer = refusal.answer
    text = getattr(answer, "message", None) or getattr(answer, "query", None) or "not found"
    return plain(str(text))


def _refuse(message: str) -> int:
    print(f"racebot: {strip_controls(message)}", file=sys.stderr)
    return 1
