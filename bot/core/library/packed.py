"""Lists kept packed until a question reads them: a library read back from its snapshot starts
without unpacking every name's postings, every race's names and car numbers (900,000 postings
at 10,000 races: 0.1 s and tens of MB), and most of them are never read in a process's life."""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

Posting = dict[int, tuple[int, ...]]
"""A name's races (newest first) and its entries in each."""

_T = TypeVar("_T")


class PackedList(Sequence[_T], Generic[_T]):
    """Items packed one by one with marshal in one buffer, each unpacked when first read and
    then kept. Items set or appended are kept as given; `copy` shares what is packed."""

    def __init__(self, packed: bytes | memoryview, ends: Sequence[int]) -> None:
        self._packed = packed
        self._ends = ends
        self._read: list[Any] = [None] * len(ends)
        """Each item read or set (None: still packed only)."""

    @staticmethod
    def pack(items: Sequence[Any]) -> tuple[bytes, list[int]]:
        """The buffer and end offsets of these items (packed ones are not unpacked)."""
        parts: list[bytes | memoryview] = []
        ends: list[int] = []
        at = 0
        for index in range(len(items)):
            part = (
                items.packed(index)
                if isinstance(items, PackedList)
                else marshal.dumps(items[index])
            )
            parts.append(part)
            at += len(part)
            ends.append(at)
        return b"".join(parts), ends

    def packed(self, index: int) -> bytes | memoryview:
        """One item as packed (packed anew if it was set or read)."""
        read = self._read[index]
        if read is not None:
            return marshal.dumps(read)
        start = self._ends[index - 1] if index else 0
        return self._packed[start : self._ends[index]]

    def __len__(self) -> int:
        return len(self._read)

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | Sequence[_T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        read: _T | None = self._read[index]
        if read is None:
            if index < 0:
                index += len(self)
            start = self._ends[index - 1] if index else 0
            # Two threads may unpack one item at once: equal values, either kept.
            read = self._read[index] = marshal.loads(
                memoryview(self._packed)[start : self._ends[index]]
            )
        return read

    def __setitem__(self, index: int, item: _T) -> None:
        self._read[index] = item

    def append(self, item: _T) -> None:
        """A new item, after the others."""
        self._read.append(item)

    def unpack_large(self, size: int) -> int:
        """Unpack now every item packed in `size` bytes or more; how many there were."""
        large = [
            index
            for index, end in enumerate(self._ends)
            if end - (self._ends[index - 1] if index else 0) >= size
        ]
        for index in large:
            self[index]
        return len(large)

    def __iter__(self) -> Iterator[_T]:
        return (self[i] for i in range(len(self)))

    def copy(self) -> PackedList[_T]:
        """Another list of these items: changing it leaves this one as it is."""
        other: PackedList[_T] = PackedList(self._packed, self._ends)
        other._read = list(self._read)
        return other


def copied(items: Sequence[_T]) -> list[_T] | PackedList[_T]:
    """A list of these items to change (packed ones are not unpacked)."""
    return items.copy() if isinstance(items, PackedList) else list(items)
