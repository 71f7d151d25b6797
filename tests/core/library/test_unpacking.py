"""Packed items unpacked when read: each at most once while kept, and only `keep` kept."""

from __future__ import annotations

import marshal

from bot.core.library.unpacking import Unpacking


def test_items_are_unpacked_when_read_and_the_last_few_kept() -> None:
    """Reading unpacks; a kept item is not unpacked again; the oldest read is let go."""
    unpacked: list[bytes] = []

    def unpack(data: bytes) -> object:
        unpacked.append(data)
        return marshal.loads(data)

    items = Unpacking([marshal.dumps(i * 10) for i in range(5)], unpack, keep=2)
    assert len(items) == 5
    assert unpacked == []
    assert items[1] == 10
    assert items[1] == 10
    assert items[-1] == 40  # negative indexes count from the end
    assert len(unpacked) == 2
    assert items[1] == 10  # still kept: read most recently but one
    assert items[2] == 20  # keeps 1 and 2; 4 is let go
    assert items[4] == 40
    assert len(unpacked) == 4
    assert items[1:3] == [10, 20]
    assert list(items) == [0, 10, 20, 30, 40]
    assert items.packed(3) == marshal.dumps(30)
