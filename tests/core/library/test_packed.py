"""Postings kept packed: each name reads back as it was, and a copy changes apart."""

from __future__ import annotations

import marshal

from bot.core.library.packed import PackedList, Posting, copied

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
