"""Each name's postings kept packed until a question reads them: a library read back from its
snapshot starts without unpacking the 900,000 postings of 10,000 races (0.1 s), and most names
are never asked about in a process's life."""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Sequence
from typing import overload

Posting = dict[int, tuple[int, ...]]
"""A name's races (newest first) and its entries in each."""


class PackedPostings(Sequence[Posting]):
    """Postings packed one by one with marshal in one buffer, each unpacked when first read and
    then kept. Set and appended postings are kept as given; `copy` shares what is packed."""

    def __init__(self, packed: bytes, ends: Sequence[int]) -> None:
        self._packed = packed
        self._ends = ends
        self._read: list[Posting | None] = [None] * len(ends)

    @classmethod
    def pack(cls, postings: Sequence[Posting]) -> tuple[bytes, list[int]]:
        """The buffer and end offsets of these postings (packed ones are not unpacked)."""
        parts: list[bytes] = []
        ends: list[int] = []
        at = 0
        for name_id in range(len(postings)):
            part = (
                postings.packed(name_id)
                if isinstance(postings, PackedPostings)
                else marshal.dumps(postings[name_id])
            )
            parts.append(part)
            at += len(part)
            ends.append(at)
        return b"".join(parts), ends

    def packed(self, name_id: int) -> bytes:
        """One name's postings as packed (packed now if it was set or read)."""
        read = self._read[name_id]
        if read is not None or name_id >= len(self._ends):
            return marshal.dumps(read)
        start = self._ends[name_id - 1] if name_id else 0
        return self._packed[start : self._ends[name_id]]

    def __len__(self) -> int:
        return len(self._read)

    @overload
    def __getitem__(self, name_id: int) -> Posting: ...

    @overload
    def __getitem__(self, name_id: slice) -> Sequence[Posting]: ...

    def __getitem__(self, name_id: int | slice) -> Posting | Sequence[Posting]:
        if isinstance(name_id, slice):
            return [self[i] for i in range(*name_id.indices(len(self)))]
        read = self._read[name_id]
        if read is None:
            if name_id < 0:
                name_id += len(self)
            start = self._ends[name_id - 1] if name_id else 0
            # Two threads may unpack one name at once: equal dicts, either kept.
            read = self._read[name_id] = marshal.loads(
                memoryview(self._packed)[start : self._ends[name_id]]
            )
        return read

    def __setitem__(self, name_id: int, posting: Posting) -> None:
        self._read[name_id] = posting

    def append(self, posting: Posting) -> None:
        """A new name's postings, after the others."""
        self._read.append(posting)

    def __iter__(self) -> Iterator[Posting]:
        return (self[i] for i in range(len(self)))

    def copy(self) -> PackedPostings:
        """Another list of these postings: changing it leaves this one as it is."""
        other = PackedPostings(self._packed, self._ends)
        other._read = list(self._read)
        return other


def copied(postings: Sequence[Posting]) -> list[Posting] | PackedPostings:
    """A list of these postings to change (packed ones are not unpacked)."""
    return postings.copy() if isinstance(postings, PackedPostings) else list(postings)
