"""The library for one-off commands (console, ask, export, chart): the store opened, brought up
to date where this process should, read into memory, and closed again."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

from bot.core.asking.query import QueryService
from bot.core.documents.parsing import SeedError
from bot.loader import Keeper, open_keeper
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
    with opened_library(seeds, settings) as opened:
        return opened


@contextlib.contextmanager
def opened_library(
    seeds: Path | None, settings: Settings | None = None, *, answer_first: bool = False
) -> Iterator[OpenedLibrary]:
    """`open_library` for a caller that answers before the store is closed: the library
    snapshot a first start keeps for the next one (a second's writing at 10,000 races) is
    written as the caller leaves, after its answer, not before it; `answer_first`: so is a
    first start's fill of the store (another second: the library is built from the parse)."""
    settings = settings or load_settings()
    with asyncio.Runner() as runner:
        keeper = runner.run(open_keeper(settings, seeds, answer_first=answer_first))
        try:
            yield runner.run(_opened(keeper, settings))
        finally:
            runner.run(_closed(keeper))


async def _opened(keeper: Keeper, settings: Settings) -> OpenedLibrary:
    report = keeper.last_mirror
    skipped = report.skipped if report is not None else ()
    errors = (*skipped, *await keeper.problems())
    folder = keeper.seeds_dir or settings.seeds_dir
    return OpenedLibrary(keeper.built, folder, tuple(errors), keeper.store.description)


async def _closed(keeper: Keeper) -> None:
    try:
        await keeper.snapshot_written()  # the next one-off command reads it back
    finally:
        await keeper.close()
