"""The library for one-off commands (console, ask, export, chart): the store opened, brought up
to date where this process should, read into memory, and closed again."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from bot.core.asking.query import QueryService
from bot.core.documents.parsing import SeedError
from bot.loader import open_keeper
from bot.loader.library import BuiltLibrary
from bot.settings import Settings, load_settings


@dataclasses.dataclass(frozen=True, slots=True)
class OpenedLibrary:
    """The library as loaded, the folder mirrored, and the documents it refused."""

    built: BuiltLibrary
    folder: Path
    errors: tuple[SeedError, ...]
    store: str
    """The store it came from (engine and location, never a password)."""

    @property
    def service(self) -> QueryService:
        """The query service over the library."""
        return self.built.service


def open_library(seeds: Path | None, settings: Settings | None = None) -> OpenedLibrary:
    """Open the store for `seeds` (default: the configured folder), build the library, close
    the store; `StoreError` (one line) when it cannot be opened."""
    return asyncio.run(_open(settings or load_settings(), seeds))


async def _open(settings: Settings, seeds: Path | None) -> OpenedLibrary:
    keeper = await open_keeper(settings, seeds)
    try:
        report = keeper.last_mirror
        skipped = report.skipped if report is not None else ()
        errors = (*skipped, *await keeper.problems())
        folder = keeper.seeds_dir or settings.seeds_dir
        return OpenedLibrary(keeper.built, folder, tuple(errors), keeper.store.description)
    finally:
        await keeper.snapshot_written()  # the next one-off command reads it back
        await keeper.store.close()
