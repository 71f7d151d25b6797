"""A whole library in one file beside the parse cache: its races' summaries and records, and
the catalogue's indexes, read back in a fraction of the time building them takes (10,000 races:
about 0.2 s rather than 9).

The indexes come back as they were built; each race's record, each name's postings and each
race's names and numbers stay packed end to end in one buffer (`Packed`) and are unpacked when a
question reads them (`bot.core.unpacking`), so a large library costs a few buffers, not millions
of objects. The file is keyed by every document's signature and the code (`library_key`): a
changed, added or removed document, or new code, is a miss and the library is built again. It
is written whole to a temporary file and renamed, and each section carries a checksum: a damaged
file is a miss with a log line, never a crash.

Sections are `marshal`'s format: fast, and only ever read back by the code that wrote them (the
key covers the code) after their checksum matched. The checksums catch damage, not malice: the
data folder is the bot's own, as trusted as its code.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, Final, overload

from bot.core import records
from bot.core.catalogue import CatalogueIndex, NameKind
from bot.core.library import KEPT_RACES, RaceLibrary, RaceShelf
from bot.core.matching import NameIndex
from bot.core.model import RaceSummary
from bot.core.parse_cache import Signature
from bot.core.parsing import SeedError
from bot.core.unpacking import Unpacking

log = logging.getLogger(__name__)

LIBRARY_FILE: Final = "library.bin"
"""The stored library's file name in the data folder (beside the parse cache)."""
FORMAT: Final = 1
"""Bumped whenever the stored layout changes (the code hash in the key changes too)."""
KEPT_NAMES: Final = 4096
"""Names whose postings stay unpacked once read."""
_MAGIC: Final = b"racebot library\n"
_KINDS: Final = tuple(NameKind)


def library_key(signatures: Iterable[Signature]) -> str:
    """The key of a library: the code's version and every document's name, size, mtime, hash."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{records.PARSER_VERSION}\0{FORMAT}\0".encode())
    for sig in signatures:
        digest.update(f"{sig.name}\0{sig.size}\0{sig.mtime_ns}\0{sig.hash}\0".encode())
    return digest.hexdigest()


class Packed(Sequence[bytes]):
    """Items laid end to end in one buffer, with where each ends."""

    def __init__(self, buffer: bytes, ends: array[int]) -> None:
        self._buffer = buffer
        self._ends = ends

    @classmethod
    def of(cls, items: Iterable[bytes]) -> Packed:
        """Items packed."""
        ends: array[int] = array("Q")
        parts = []
        end = 0
        for item in items:
            parts.append(item)
            end += len(item)
            ends.append(end)
        return cls(b"".join(parts), ends)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError("packed item index out of range")
        index %= len(self)
        start = self._ends[index - 1] if index > 0 else 0
        return self._buffer[start : self._ends[index]]

    def sections(self) -> list[bytes]:
        """The two sections it is stored as: where items end, and the buffer."""
        return [self._ends.tobytes(), self._buffer]

    @classmethod
    def from_sections(cls, ends: bytes, buffer: bytes) -> Packed:
        """The packed items stored as `sections` gave them."""
        found: array[int] = array("Q")
        found.frombytes(ends)
        if found and (found[-1] != len(buffer) or any(b < a for a, b in pairwise(found))):
            raise ValueError("packed items do not fit their buffer")
        return cls(buffer, found)


@dataclass(frozen=True, slots=True)
class Stored:
    """A library read back: its races, catalogue indexes, and its documents' errors."""

    library: RaceLibrary
    index: CatalogueIndex
    errors: tuple[SeedError, ...]  # documents that did not parse
    refused: tuple[SeedError, ...]  # documents whose title was taken


def pack(
    summaries: Sequence[RaceSummary],
    stored: Sequence[bytes],
    index: CatalogueIndex,
    errors: Iterable[SeedError],
    refused: Iterable[SeedError],
) -> list[bytes]:
    """The library (races in its order) and its documents' errors, as the file's sections."""
    kind_codes = {kind: code for code, kind in enumerate(_KINDS)}
    plain = (
        FORMAT,
        [records.summary_row(summary) for summary in summaries],
        bytes(kind_codes[kind] for kind in index.kinds),
        list(index.displays),
        dict(index.number_races),
        index.names.state(),
        index.race_index.state(),
        list(index.race_values),
        [(error.source, error.line, error.message) for error in errors],
        [(error.source, error.line, error.message) for error in refused],
    )
    return [
        marshal.dumps(plain),
        *Packed.of(stored).sections(),
        *Packed.of(map(marshal.dumps, index.postings)).sections(),
        *Packed.of(marshal.dumps(tuple(names)) for names in index.race_names).sections(),
        *Packed.of(map(marshal.dumps, index.numbers)).sections(),
    ]


def unpack(sections: Sequence[bytes]) -> Stored:
    """The library `pack` packed; `ValueError` if the sections are not one."""
    try:
        return _unpack(sections)
    except (EOFError, TypeError, IndexError, KeyError, ValueError, OverflowError) as exc:
        raise ValueError(f"not a stored library ({type(exc).__name__}: {exc})") from exc


def _unpack(sections: Sequence[bytes]) -> Stored:
    if len(sections) != 9:
        raise ValueError("another layout")
    plain = marshal.loads(sections[0])
    if not isinstance(plain, tuple) or len(plain) != 10 or plain[0] != FORMAT:
        raise ValueError("another layout")
    _, rows, kinds, displays, number_races, names, race_index, race_values = plain[:8]
    stored, postings, race_names, numbers = (
        Packed.from_sections(sections[i], sections[i + 1]) for i in range(1, 9, 2)
    )
    summaries = [records.summary_from_row(row) for row in rows]
    if not len(summaries) == len(stored) == len(race_names) == len(numbers) == len(race_values):
        raise ValueError("the races do not line up")
    if not len(kinds) == len(displays) == len(postings):
        raise ValueError("the names do not line up")
    index = CatalogueIndex(
        kinds=[_KINDS[code] for code in kinds],
        displays=displays,
        postings=Unpacking(postings, marshal.loads, KEPT_NAMES),
        race_names=Unpacking(race_names, marshal.loads, KEPT_RACES),
        numbers=Unpacking(numbers, marshal.loads, KEPT_RACES),
        number_races=number_races,
        names=NameIndex.from_state(names),
        race_index=NameIndex.from_state(race_index),
        race_values=race_values,
    )
    errors, refused = (tuple(SeedError(*error) for error in found) for found in plain[8:])
    return Stored(RaceLibrary.shelved(summaries, RaceShelf(stored)), index, errors, refused)


def save(folder: Path, key: str, sections: Sequence[bytes]) -> None:
    """Write the library's file (whole, then renamed into place); logged if it cannot be."""
    header = marshal.dumps((FORMAT, key, [(len(s), _digest(s)) for s in sections]))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".library-", dir=folder)
        try:
            os.fchmod(fd, 0o644)  # as the parse cache beside it: readable by `racebot ask` too
            with os.fdopen(fd, "wb") as file:
                file.write(_MAGIC + len(header).to_bytes(8, "little") + header)
                for section in sections:
                    file.write(section)
            os.replace(temporary, folder / LIBRARY_FILE)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        log.warning("library cache %s: cannot write it (%s)", folder / LIBRARY_FILE, exc)


def load(folder: Path, key: str) -> Stored | None:
    """The library stored under `key`, or None: none, another library's, or damaged (logged)."""
    path = folder / LIBRARY_FILE
    try:
        with path.open("rb") as file:
            sections = _sections(file, key)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.warning("library cache %s is unreadable (%s); building the library again", path, exc)
        return None
    if sections is None:
        return None
    try:
        return unpack(sections)
    except ValueError as exc:
        log.warning("library cache %s: %s; building the library again", path, exc)
        return None


def _sections(file: IO[bytes], key: str) -> list[bytes] | None:
    """The file's sections, checked; None when it holds another library."""
    size = os.fstat(file.fileno()).st_size
    if file.read(len(_MAGIC)) != _MAGIC:
        raise ValueError("not a library file")
    header_length = int.from_bytes(file.read(8), "little")
    if header_length > size:
        raise ValueError("a damaged header")
    header = marshal.loads(file.read(header_length))
    if not isinstance(header, tuple) or len(header) != 3 or header[0] != FORMAT:
        return None
    if header[1] != key:
        return None
    lengths = [length for length, _ in header[2]]
    if sum(lengths) != size - len(_MAGIC) - 8 - header_length:  # every read below fits
        raise ValueError("a damaged header")
    sections = []
    for length, digest in header[2]:
        section = file.read(length)
        if len(section) != length or _digest(section) != digest:
            raise ValueError("a section is damaged")
        sections.append(section)
    return sections


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
