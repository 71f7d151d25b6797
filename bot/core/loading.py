"""A query service built from a folder of race documents: the one load path for every front end.

The runner (start-up), the bot (/reload) and the console all call `service_from_folder` and read
the same `FolderLoad`; each decides for itself what an empty library means.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from bot.core.cached_loading import load_library
from bot.core.parsing import SeedError
from bot.core.query import QueryService

DEFAULT_DATA_DIR: Final = Path("data")
"""Where the parse cache lives unless the caller says (RACEBOT_DATA_DIR's default)."""


@dataclasses.dataclass(frozen=True, slots=True)
class FolderLoad:
    """What reading a folder gave: the service over the races that loaded and every bad document."""

    folder: Path
    service: QueryService
    errors: tuple[SeedError, ...]
    previous: int | None = None  # races in the library being replaced, when there was one

    @property
    def races(self) -> int:
        """How many races loaded."""
        return len(self.service.library)

    @property
    def usable(self) -> bool:
        """Whether at least one race loaded, so the library may replace the current one."""
        return self.races > 0


def service_from_folder(folder: Path, data_dir: Path | None = DEFAULT_DATA_DIR) -> FolderLoad:
    """Load every document in `folder` and build the query service over the good ones.

    Documents unchanged since a load are taken from the parse cache in `data_dir` (None: none).
    """
    with _collector_paused():
        load = load_library(folder, data_dir)
        service = QueryService(load.library, load.index)
    return FolderLoad(folder=folder, service=service, errors=load.errors)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a library is built.

    Building makes millions of objects that all live on, and each collection scans them all
    again: at 10,000 races collections took more than half of the load. What is built has no
    cycles, so nothing is lost by pausing; it is process-wide, but only for the load.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
