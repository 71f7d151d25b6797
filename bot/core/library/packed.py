"""Lists kept packed until a question reads them: a library read back from its snapshot starts
without unpacking every name's postings, every race's names and car numbers (900,000 postings
at 10,000 races: 0.1 s and tens of MB), and most of them are never read in a process's life."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Sequence
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
        self._slots: Sequence[int] = range(len(ends))
        """Where each item is packed (-1: nowhere, it was set or inserted)."""
        self._remaps: tuple[Callable[[Any], Any], ...] = ()
        """What is applied, in turn, to an item unpacked (ids moved since it was packed)."""
        self._pending: dict[int, tuple[Any, int]] = {}
        """Items set (packed nowhere) whose ids moved since: each with how many of `_remaps`
        it has been through (the rest are applied when it is read)."""

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
        """One item as packed (packed anew if it was set or read, or its ids moved)."""
        read = self._read[index]
        if read is not None:
            return marshal.dumps(read)
        if self._remaps or index in self._pending:
            return marshal.dumps(self._unpacked(index))
        slot = self._slots[index]
        start = self._ends[slot - 1] if slot else 0
        return self._packed[start : self._ends[slot]]

    def _unpacked(self, index: int) -> Any:
        pending = self._pending.get(index)
        if pending is not None:
            item, done = pending
        else:
            slot = self._slots[index]
            start = self._ends[slot - 1] if slot else 0
            item, done = marshal.loads(memoryview(self._packed)[start : self._ends[slot]]), 0
        for remap in self._remaps[done:]:
            item = remap(item)
        return item

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
            # Two threads may unpack one item at once: equal values, either kept.
            read = self._read[index] = self._unpacked(index)
        return read

    def __setitem__(self, index: int, item: _T) -> None:
        self._read[index] = item
        if self._slots[index] >= 0:
            self._own_slots()[index] = -1

    def append(self, item: _T) -> None:
        """A new item, after the others."""
        self._read.append(item)
        self._own_slots().append(-1)

    def _own_slots(self) -> list[int]:
        if not isinstance(self._slots, list):
            self._slots = list(self._slots)
        return self._slots

    def rearranged(
        self, order: Sequence[int], new: Sequence[_T], remap: Callable[[_T], _T] | None
    ) -> PackedList[_T]:
        """Another list: item i is this list's `order[i]`, or `new[-1 - order[i]]` when that is
        negative, and `remap` (ids moved) applied to each of this list's items when it is next
        read: those read are dropped back to packed, those set kept aside until then."""
        other: PackedList[_T] = PackedList(self._packed, self._ends)
        remaps = self._remaps
        other._remaps = (*remaps, remap) if remap is not None else remaps
        slots, read, pending = self._slots, self._read, self._pending
        other._slots = [slots[at] if at >= 0 else -1 for at in order]
        items: list[Any] = []
        for place, at in enumerate(order):
            if at < 0:
                items.append(new[-1 - at])
            elif read[at] is None:
                items.append(None)
                if at in pending:
                    other._pending[place] = pending[at]
            elif remap is None:
                items.append(read[at])
            else:
                items.append(None)  # unpacked again, remapped, when next read
                if slots[at] < 0:
                    other._pending[place] = (read[at], len(remaps))
        other._read = items
        return other

    def unpack_large(self, size: int) -> int:
        """Unpack now every item packed in `size` bytes or more; how many there were."""
        ends = self._ends
        large = [
            index
            for index, slot in enumerate(self._slots)
            if slot >= 0 and ends[slot] - (ends[slot - 1] if slot else 0) >= size
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
        other._slots = list(self._slots) if isinstance(self._slots, list) else self._slots
        other._remaps, other._pending = self._remaps, dict(self._pending)
        return other


def copied(items: Sequence[_T]) -> list[_T] | PackedList[_T]:
    """A list of these items to change (packed ones are not unpacked)."""
    return items.copy() if isinstance(items, PackedList) else list(items)


def rearranged(
    items: Sequence[_T], order: Sequence[int], new: Sequence[_T], remap: Callable[[_T], _T] | None
) -> list[_T] | PackedList[_T]:
    """Item i is `items[order[i]]` (remapped), or `new[-1 - order[i]]` when that is negative
    (`PackedList.rearranged`; a plain list is remapped now)."""
    if isinstance(items, PackedList):
        return items.rearranged(order, new, remap)
    if remap is None:
        return [items[at] if at >= 0 else new[-1 - at] for at in order]
    # Held as items set, so each is remapped when read (a fresh build's 900,000 postings).
    held: PackedList[_T] = PackedList(b"", ())
    held._read, held._slots = list(items), [-1] * len(items)
    return held.rearranged(order, new, remap)
