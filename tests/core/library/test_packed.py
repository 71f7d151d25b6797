"""Postings kept packed: each name reads back as it was, and a copy changes apart."""

from __future__ import annotations

import marshal
import random
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.library.packed import PackedList, Posting, copied, rearranged

POSTINGS: list[Posting] = [{0: (1,), 3: (2, 5)}, {1: (0,)}, {}, {2: (7,), 0: (3,)}]


def packed() -> PackedList[Posting]:
    return PackedList(*PackedList.pack(POSTINGS))


def test_each_name_reads_back_as_it_was_packed() -> None:
    postings = packed()
    assert len(postings) == len(POSTINGS)
    assert [postings[i] for i in range(len(POSTINGS))] == POSTINGS
    assert list(postings) == POSTINGS
    assert postings[-1] == POSTINGS[-1]
    assert postings[1:3] == POSTINGS[1:3]
    assert list(postings[0]) == [0, 3]  # the races' order (newest first) is kept


def test_a_name_is_unpacked_once_and_kept() -> None:
    postings = packed()
    assert postings[0] is postings[0]


def test_a_copy_changes_apart_and_repacks_what_changed() -> None:
    postings = packed()
    postings[3]  # read: the copy shares it
    other = copied(postings)
    assert isinstance(other, PackedList)
    other[1] = {4: (9,)}
    other.append({0: (0,)})
    assert list(postings) == POSTINGS
    assert list(other) == [POSTINGS[0], {4: (9,)}, {}, POSTINGS[3], {0: (0,)}]
    again: PackedList[Posting] = PackedList(*PackedList.pack(other))
    assert list(again) == list(other)
    assert other.packed(2) == marshal.dumps({})


def test_a_plain_list_is_copied_as_a_list() -> None:
    plain = list(POSTINGS)
    other = copied(plain)
    assert other == plain
    assert other is not plain


def test_large_items_are_unpacked_at_once() -> None:
    postings = packed()
    sizes = [len(postings.packed(i)) for i in range(len(POSTINGS))]
    threshold = sorted(sizes)[-2]
    assert postings.unpack_large(threshold) == sum(size >= threshold for size in sizes)
    for index, size in enumerate(sizes):
        assert (postings._read[index] is not None) == (size >= threshold)
        assert postings[index] == POSTINGS[index]


def test_a_list_tells_whether_ids_moved_since_it_was_packed() -> None:
    """`moved`: a remap or something added since it was packed (`catalogue.settle` then
    unpacks the large items again); a copy or a rearrangement without either is not."""
    postings = packed()
    assert not postings.moved
    assert not postings.copy().moved
    order, moved_to = [1, 0, 2, 3], [1, 0, 2, 3]
    assert not postings.rearranged(order, [], None, moved_to).moved
    remapped = postings.rearranged(order, [], lambda posting: dict(posting), moved_to)
    assert remapped.moved
    added = postings.rearranged(order, [], None, moved_to, {0: lambda posting: posting})
    assert added.moved


def _plus(by: int, item: list[int]) -> list[int]:
    return [value + by for value in item]


def _then(mark: int, item: list[int]) -> list[int]:
    return [*item, mark]


steps = st.lists(
    st.tuples(
        st.randoms(),  # the new order
        st.integers(0, 2),  # new items
        st.integers(0, 2),  # items dropped
        st.one_of(st.none(), st.integers(1, 5)),  # the remap: every id moved by this
        st.sets(st.integers(0, 8), max_size=3),  # items with something added
        st.sets(st.integers(0, 8), max_size=3),  # items read before the next step
        st.sets(st.integers(0, 8), max_size=2),  # items set before the next step
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150)
@given(st.lists(st.lists(st.integers(0, 99), max_size=3), max_size=6), st.booleans(), steps)
def test_a_rearranged_list_reads_as_the_list_made_at_once(
    start: list[list[int]],
    packed: bool,
    rearrangements: list[tuple[random.Random, int, int, int | None, set[int], set[int], set[int]]],
) -> None:
    """Items rearranged again and again (new ones among them, some dropped, remapped, something
    added to some, some read or set in between) read as the list made at once each time,
    packed again too, and the list rearranged is left as it was."""
    items = PackedList(*PackedList.pack(start)) if packed else list(start)
    model = list(start)
    for number, step in enumerate(rearrangements):
        shuffle, new_count, dropped, by, added, read, changed = step
        new = [[1000 + number, k] for k in range(new_count)]
        order = [*range(dropped, len(model)), *(-1 - k for k in range(new_count))]
        shuffle.shuffle(order)
        moved_to = [-1] * len(model)  # -1: dropped
        for place, at in enumerate(order):
            if at >= 0:
                moved_to[at] = place
        remap = partial(_plus, by) if by is not None else None
        adds = {
            place: partial(_then, -place)
            for place in added
            if place < len(order) and order[place] >= 0
        }
        old = items
        items = rearranged(items, order, new, remap, moved_to, adds)
        assert list(old) == model  # as it was
        model = [
            (remap(model[at]) if remap else model[at]) if at >= 0 else new[-1 - at] for at in order
        ]
        model = [adds[place](item) if place in adds else item for place, item in enumerate(model)]
        for place in read:
            if place < len(model):
                assert items[place] == model[place]
        for place in changed:
            if place < len(model):
                items[place] = model[place] = [place, number]
        assert list(items) == model
        assert list(PackedList(*PackedList.pack(items))) == model
