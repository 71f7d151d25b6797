"""Lists kept packed until a question reads them: a library read back from its snapshot starts
without unpacking every name's postings, every race's names and car numbers (900,000 postings
at 10,000 races: 0.1 s and tens of MB), and most of them are never read in a process's life."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import compress, repeat
from typing import Any, Final, Generic, TypeVar, overload

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
        self._pending: dict[int, _Pending] = {}
        """Items not read whose remaps are not all applied yet: set ones (packed nowhere)
        whose ids moved since, and ones with something to add (`rearranged`)."""

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
        item, done, adds = self._pending.get(index, _PACKED_AS_IS)
        if item is None:
            slot = self._slots[index]
            start = self._ends[slot - 1] if slot else 0
            item = marshal.loads(memoryview(self._packed)[start : self._ends[slot]])
        item = _added(item, adds, done)
        for level in range(done, len(self._remaps)):
            item = _added(self._remaps[level](item), adds, level + 1)
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
        self,
        order: Sequence[int],
        new: Sequence[_T],
        remap: Callable[[_T], _T] | None,
        moved_to: Sequence[int],
        adds: Mapping[int, Callable[[_T], _T]] | None = None,
    ) -> PackedList[_T]:
        """Another list: item i is this list's `order[i]`, or `new[-1 - order[i]]` when that is
        negative, and `remap` (ids moved) applied to each of this list's items when it is next
        read: those read are dropped back to packed, those set kept aside until then.
        `moved_to[j]` is where this list's item j goes (`order` turned round; -1: dropped);
        `adds[i]` is applied to item i after `remap`, when it is read. Each step runs in C but
        for the few items set or with something to add (a list of 37,000 names is rearranged
        in ~1 ms)."""
        other: PackedList[_T] = PackedList(self._packed, self._ends)
        remaps = self._remaps
        other._remaps = (*remaps, remap) if remap is not None else remaps
        slots, read, pending = self._slots, self._read, self._pending
        # A negative place in `order` reads these lists from their ends: the new items.
        other._slots = list(map([*slots, *repeat(-1, len(new))].__getitem__, order))
        kept = read if remap is None else repeat(None, len(read))
        other._read = items = list(map([*kept, *reversed(new)].__getitem__, order))
        # Those not read keep what they wait for (those read ignore theirs).
        waiting_at = map(moved_to.__getitem__, pending)
        other._pending = dict(zip(waiting_at, pending.values(), strict=True))
        if remap is not None and isinstance(slots, list):
            # Items set (packed nowhere) and read: kept aside, remapped when next read.
            unpacked = compress(range(len(slots)), map(int.__eq__, slots, repeat(-1)))
            for at in unpacked:
                if read[at] is not None:
                    other._pending[moved_to[at]] = (read[at], len(remaps), ())
        other._pending.pop(-1, None)  # what items dropped waited for
        level = len(other._remaps)
        for place, add in (adds or {}).items():
            at = order[place]
            if items[place] is not None:  # read: all its remaps applied
                waiting: _Pending = (items[place], level, ())
                items[place] = None
            elif remap is not None and read[at] is not None:
                waiting = (read[at], len(remaps), ())
            else:
                waiting = other._pending.get(place, _PACKED_AS_IS)
            item, done, earlier = waiting
            other._pending[place] = (item, done, (*earlier, (level, add)))
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

    @property
    def moved(self) -> bool:
        """Whether ids moved or items were added since it was packed (`rearranged`): items
        unpacked then were dropped back to packed, each moved when next read."""
        return bool(self._remaps or self._pending)

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
    items: Sequence[_T],
    order: Sequence[int],
    new: Sequence[_T],
    remap: Callable[[_T], _T] | None,
    moved_to: Sequence[int],
    adds: Mapping[int, Callable[[_T], _T]] | None = None,
) -> list[_T] | PackedList[_T]:
    """Item i is `items[order[i]]` (remapped, `adds[i]` applied), or `new[-1 - order[i]]` when
    that is negative (`PackedList.rearranged`; a plain list without either is made now)."""
    if isinstance(items, PackedList):
        return items.rearranged(order, new, remap, moved_to, adds)
    if remap is None and not adds:
        return list(map([*items, *reversed(new)].__getitem__, order))
    # Held as items waiting for their remaps, so each is remapped when read (a fresh build's
    # 900,000 postings).
    held: PackedList[_T] = PackedList(b"", ())
    held._read, held._slots = [None] * len(items), [-1] * len(items)
    held._pending = dict(zip(range(len(items)), zip(items, repeat(0), repeat(())), strict=True))
    return held.rearranged(order, new, remap, moved_to, adds)


_Pending = tuple[Any, int, tuple[tuple[int, Callable[[Any], Any]], ...]]
"""An item waiting (None: still packed), how many remaps it has been through, and what is
added to it after how many."""
_PACKED_AS_IS: Final[_Pending] = (None, 0, ())


def _added(item: Any, adds: tuple[tuple[int, Callable[[Any], Any]], ...], level: int) -> Any:
    """The item with what is added after `level` remaps added."""
    for at, add in adds:
        if at == level:
            item = add(item)
    return item
