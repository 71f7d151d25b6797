"""Between the core and the store: documents into the store, and the store into a library.

`open_keeper` is how every front end starts: it opens the store the settings name (SQLite in
the data folder by default, PostgreSQL with RACEBOT_DATABASE_URL), brings its schema up to date
and mirrors seeds/ into it where this process should (see `open_keeper`), and builds the
library. It may import the core, the store and the settings; nothing below it imports it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Final

from bot.loader.documents import start_parsers
from bot.store import DATABASE_NAME, Store, store_for

if TYPE_CHECKING:
    from bot.loader.keeper import Keeper
    from bot.settings import Settings

# The keeper (and with it the library, the questions and the settings) is imported when first
# used, not with the package: the parse workers a first start spawns import this package for
# `documents` alone, and each would spend ~0.2 s more on imports it never uses.

log = logging.getLogger(__name__)

FOLDER_STORES: Final = "folders"
"""Where, in the data folder, each other seeds folder's own SQLite store lives."""

_NOT_SAFE: Final = re.compile(r"[^A-Za-z0-9]+")


def same_folder(first: Path, second: Path) -> bool:
    """Whether two paths name one folder."""
    return first.expanduser().resolve() == second.expanduser().resolve()


def store_of(settings: Settings, seeds: Path | None = None) -> tuple[Store, Path]:
    """The store for a seeds folder, and that folder: the configured store for the configured
    folder; for any other folder (`--seeds`), a SQLite store of its own, so a one-off question
    about it neither changes the bot's library nor mixes with it."""
    folder = settings.seeds_dir if seeds is None else seeds
    if same_folder(folder, settings.seeds_dir):
        return store_for(settings.database, settings.data_dir / DATABASE_NAME), folder
    resolved = folder.expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = _NOT_SAFE.sub("-", resolved.name).strip("-")[:40] or "folder"
    path = settings.data_dir / FOLDER_STORES / f"{name}-{digest}.sqlite3"
    return store_for(None, path), folder


def _documents_in(folder: Path) -> int:
    """About how many documents a folder holds (its `*.txt` names; 0 when it cannot be read)."""
    try:
        return sum(name.endswith(b".txt") for name in os.listdir(os.fsencode(folder)))
    except OSError:
        return 0


_early_parsers: dict[str, ProcessPoolExecutor] = {}
"""Parse workers started before a command's imports (`start_parsers_early`), by the location
of the store whose first start they are for."""


def start_parsers_early(settings: Settings, seeds: Path | None = None) -> None:
    """Start the parse workers of a first start now, before the command imports the rest
    (~0.3 s of one core while the other waits; each worker takes as long to start): when the
    store `open_keeper` opens for `seeds` is a SQLite file not made yet, every document will be
    parsed. `open_keeper` takes them (or shuts them down when the store was made meanwhile)."""
    store, folder = store_of(settings, seeds)
    if store.engine.name != "sqlite" or store.engine.location in _early_parsers:
        return
    if os.path.exists(store.engine.location):
        return
    pool = start_parsers(_documents_in(folder))
    if pool is not None:
        _early_parsers[store.engine.location] = pool


async def open_keeper(
    settings: Settings,
    seeds: Path | None = None,
    *,
    mirror: bool | None = None,
    migrate: bool | None = None,
    answer_first: bool = False,
) -> Keeper:
    """Open the store, bring it up to date, and build the library; `StoreError` in one line
    when the store cannot be used.

    With SQLite (one process) the schema is migrated and seeds/ mirrored at every start. With
    PostgreSQL both are `racebot migrate`'s job, run once per release: the bot's processes only
    read the store, so they never fight over seeds/ (`mirror` and `migrate` override this).
    `answer_first`: an empty store may be filled after the library is built from the parse
    (`Keeper.fill_pending`, which the caller awaits): a one-off answer does not wait for it.
    """
    from bot.loader.keeper import Keeper
    from bot.loader.takeover import take_over

    store, folder = store_of(settings, seeds)
    early = _early_parsers.pop(store.engine.location, None)
    embedded = store.engine.name == "sqlite"
    migrate = embedded if migrate is None else migrate
    mirror = embedded if mirror is None else mirror
    try:
        await store.open(migrate=migrate)
    except BaseException:
        if early is not None:
            early.shutdown(wait=False, cancel_futures=True)
        raise
    try:
        if embedded:
            await take_over(store, settings.data_dir, folder)
        keeper = Keeper(store, folder)
        keeper.answer_first = answer_first
        keeper.start_restoring()  # beside the mirror
        try:
            if mirror and await store.revision() == 0:  # every document will be parsed
                keeper.parsers = early or start_parsers(
                    await asyncio.to_thread(_documents_in, folder)
                )
            elif early is not None:
                early.shutdown(wait=False, cancel_futures=True)
            early = None
            if mirror:
                try:
                    await keeper.mirror_seeds()
                finally:
                    if keeper.parsers is not None:
                        keeper.parsers.shutdown(wait=False)  # they exit beside the build
                        keeper.parsers = None
            await keeper.load()
        except BaseException:
            await keeper.stop_restoring()
            raise
    except BaseException:
        if early is not None:
            early.shutdown(wait=False, cancel_futures=True)
        await store.close()
        raise
    return keeper


def __getattr__(name: str) -> object:
    """`Keeper`, imported at its first use (see above)."""
    if name == "Keeper":
        from bot.loader.keeper import Keeper

        return Keeper
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Keeper", "open_keeper", "same_folder", "start_parsers_early", "store_of"]
