"""What the store keeps, as plain rows: documents, their history, settings and announcements.

Nothing here knows what a race is: a document is its bytes, a few labels and two opaque blobs
(the parsed race and what the library is built from) that the core writes and reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Final, Literal

Origin = Literal["seeds", "import"]
Action = Literal["added", "replaced", "removed", "reparsed"]
Visibility = Literal["public", "private"]

SPOILER_DAYS_MAX: Final = 30


@dataclasses.dataclass(frozen=True, slots=True)
class NewDocument:
    """A document to store: its bytes and labels, and its race as the core parsed it."""

    race_key: str
    title: str
    origin: Origin
    source: str
    """The seeds/ file name, or the name an import was given."""
    body: bytes
    sha256: str
    parser: str
    """The version of the parser that made `record` and `view`."""
    record: bytes
    view: bytes
    added_by: str | None = None
    """Who imported it (a Discord user id, or "command line"); None for seeds/."""


@dataclasses.dataclass(frozen=True, slots=True)
class StoredDocument:
    """A race's current document as the library reads it (its body is read only on request)."""

    race_key: str
    title: str
    origin: Origin
    source: str
    added_by: str | None
    added_at: dt.datetime
    sha256: str
    parser: str
    record: bytes
    view: bytes
    revision: int


@dataclasses.dataclass(frozen=True, slots=True)
class SeedFile:
    """What the store knows of a seeds/ file: its hash, and the race it gave (None: refused)."""

    source: str
    sha256: str
    race_key: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class SeedProblem:
    """A seeds/ file that was refused, and why."""

    source: str
    sha256: str
    line: int | None
    message: str


@dataclasses.dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An earlier document of a race, replaced or removed."""

    race_key: str
    title: str
    origin: Origin
    source: str
    added_by: str | None
    added_at: dt.datetime
    sha256: str
    body: bytes
    ended_at: dt.datetime
    ended_by: str | None
    ended_how: Literal["replaced", "removed"]


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """One numbered change to the documents."""

    revision: int
    race_key: str
    action: Action
    title: str
    at: dt.datetime


@dataclasses.dataclass(frozen=True, slots=True)
class Snapshot:
    """The library last built, as opaque bytes the loader wrote: derived from the documents at
    `revision`, by code of `version`, with an aliases file whose digest is `aliases`."""

    revision: int
    version: str
    aliases: str
    data: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class GuildSettings:
    """One server's settings; the defaults are a server that never set anything."""

    guild_id: int
    announce_channel: int | None = None
    spoiler_days: int = 0
    answers: Visibility = "public"
    announce_problem: str | None = None
    """Why the last announcement could not be sent there (None: no problem known)."""

    def __post_init__(self) -> None:
        if not 0 <= self.spoiler_days <= SPOILER_DAYS_MAX:
            raise ValueError(f"spoiler_days must be 0 to {SPOILER_DAYS_MAX}")
        if self.answers not in ("public", "private"):
            raise ValueError("answers must be public or private")


SETTINGS_COLUMNS: Final = ("announce_channel", "spoiler_days", "answers", "announce_problem")
