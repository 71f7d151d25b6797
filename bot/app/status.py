"""`racebot status`: is this installation able to answer? One line per fact, for people and for
container health checks (exit 0 when the library loads, 1 when not).

`gather_status` is the one place that knows where the facts come from; `print_status` only
prints them. Nothing here connects to Discord, so it is fast enough for a HEALTHCHECK.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import sys
from importlib import metadata
from pathlib import Path
from typing import Final, TextIO
from urllib.parse import urlsplit

from pydantic import SecretStr

from bot.core.documents.names import strip_controls
from bot.loader.keeper import LAST_MIRROR
from bot.settings import Settings, load_settings
from bot.store import DATABASE_NAME, StoreError

HEALTHY: Final = 0
UNHEALTHY: Final = 1


@dataclasses.dataclass(frozen=True, slots=True)
class StatusReport:
    """What `racebot status` found; `problem` says why the installation cannot answer."""

    version: str
    store_engine: str
    store_location: str
    """Where the store is, never with a password or other secret in it."""
    seeds: Path
    races: int
    refused: int
    """Documents that did not load."""
    last_reload: dt.datetime | None
    problem: str | None = None

    @property
    def healthy(self) -> bool:
        """Whether the store opened and the library loaded at least one race."""
        return self.problem is None and self.races > 0

    def lines(self) -> list[str]:
        """One line per fact, as `racebot status` prints them."""
        when = "never" if self.last_reload is None else f"{self.last_reload:%Y-%m-%d %H:%M:%S} UTC"
        state = "ok" if self.healthy else f"not ok: {self.problem or 'no race loaded'}"
        return [
            f"version: {self.version}",
            f"store: {self.store_engine} at {self.store_location}",
            f"races: {self.races} loaded from {self.seeds}",
            f"documents refused: {self.refused}",
            f"last reload: {when}",
            f"status: {state}",
        ]


def racebot_version() -> str:
    """The installed package's version ("unknown" when run from a folder that is not installed)."""
    try:
        return metadata.version("racebot")
    except metadata.PackageNotFoundError:
        return "unknown"


def redacted_url(url: str) -> str:
    """A database URL without its user name, password or query (which may hold one)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path}"


def describe_store(settings: Settings) -> tuple[str, str]:
    """The store's engine and location, without secrets."""
    value: object = settings.database_url
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    url = str(value or "")
    if url:
        return urlsplit(url).scheme.split("+")[0] or "database", redacted_url(url)
    return "sqlite", str(settings.data_dir.resolve() / DATABASE_NAME)


def gather_status(settings: Settings) -> StatusReport:
    """Open the store and load the library as the bot does; what it found."""
    return asyncio.run(_gather(settings))


async def _gather(settings: Settings) -> StatusReport:
    from bot.loader import open_keeper  # here: `racebot --help` stays quick

    engine, location = describe_store(settings)
    report = StatusReport(
        version=racebot_version(),
        store_engine=engine,
        store_location=location,
        seeds=settings.seeds_dir,
        races=0,
        refused=0,
        last_reload=None,
    )
    data = settings.data_dir
    if data.exists() and not data.is_dir():
        return dataclasses.replace(report, problem=f"the data folder {data} is not a folder")
    try:
        keeper = await open_keeper(settings)
    except StoreError as exc:
        return dataclasses.replace(report, problem=f"cannot open the store ({exc})")
    try:
        refused = len(await keeper.problems())
        if keeper.last_mirror is not None:
            refused += len(keeper.last_mirror.skipped)
        reloaded = await keeper.store.fact(LAST_MIRROR)
    except StoreError as exc:
        return dataclasses.replace(report, problem=f"cannot read the store ({exc})")
    finally:
        await keeper.close()
    races = keeper.built.races
    problem = None if races else f"no race document loaded from {settings.seeds_dir}"
    return dataclasses.replace(
        report,
        races=races,
        refused=refused,
        last_reload=dt.datetime.fromisoformat(reloaded) if reloaded else None,
        problem=problem,
    )


def print_status(report: StatusReport, out: TextIO | None = None) -> int:
    """Print the report, one line per fact; 0 when healthy, 1 when not (and why, on stderr)."""
    out = out or sys.stdout
    for line in report.lines():
        print(strip_controls(line), file=out)
    if report.healthy:
        return HEALTHY
    print(f"racebot: {strip_controls(report.problem or 'no race loaded')}", file=sys.stderr)
    return UNHEALTHY


def run_status(seeds: Path | None) -> int:
    """`racebot status [--seeds DIR]`."""
    if not logging.getLogger().handlers:  # the loader's warnings would repeat "refused"
        logging.basicConfig(level=logging.ERROR, format="racebot: %(name)s: %(message)s")
    settings = load_settings()
    if seeds is not None:
        settings = settings.model_copy(update={"seeds_dir": seeds})
    return print_status(gather_status(settings))
