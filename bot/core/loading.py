"""A query service built from a folder of race documents: the one load path for every front end.

The runner (start-up), the bot (/reload) and the console all call `service_from_folder` and read
the same `FolderLoad`; each decides for itself what an empty library means.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Final

from bot.core.cached_loading import load_library
from bot.core.collector import collector_paused
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
    with collector_paused():
        load = load_library(folder, data_dir)
        service = QueryService(load.library, load.index)
    return FolderLoad(folder=folder, service=service, errors=load.errors)
