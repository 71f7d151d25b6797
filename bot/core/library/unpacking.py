"""A sequence kept packed whose items are unpacked when read: most of a large library is never
read by any one question, so it stays as bytes, a fraction of its size as Python objects."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

_P = TypeVar("_P")
_V = TypeVar("_V")


class Unpacking(Sequence[_V], Generic[_P, _V]):
    """Packed items, each unpacked by `unpack` when read; the last `keep` unpacked are kept."""

    def __init__(self, packed: Sequence[_P], unpack: Callable[[_P], _V], keep: int) -> None:
        self._packed = packed
        self._unpack = unpack
        self._keep = keep
        self._made: OrderedDict[int, _V] = OrderedDict()
        self._lock = threading.Lock()  # questions may be asked from worker threads

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> _V: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_V]: ...

    def __getitem__(self, index: int | slice) -> _V | Sequence[_V]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        with self._lock:
            made = self._made.get(index)
            if made is not None:
                self._made.move_to_end(index)
                return made
            # Unpacked under the lock: `unpack` may share state (the races' interner).
            made = self._made[index] = self._unpack(self._packed[index])
            if len(self._made) > self._keep:
                self._made.popitem(last=False)
            return made

    def __iter__(self) -> Iterator[_V]:
        return (self[i] for i in range(len(self)))

    def made(self, index: int) -> _V | None:
        """The item if it is unpacked and kept, else None (nothing is unpacked)."""
        with self._lock:
            return self._made.get(index)

    def packed(self, index: int) -> _P:
        """One item as it is kept."""
        return self._packed[index]
