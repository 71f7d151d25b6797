"""Finding names from what people type: normalisation, and a token index searched in tiers.

A name is found, best tier first:

1. EXACT  - the whole query equals the whole name (ignoring case, accents, punctuation, spaces);
2. TOKEN  - every word of the query is a word of the name ("Dyson" -> "Chris Dyson");
3. PREFIX - every word of the query is a word of the name or starts one ("Leitz", "johnny h";
   a query of one word needs `min_prefix` letters, and numbers are whole words unless asked);
4. FUZZY  - every word of the query is within a few typing mistakes of a word of the name
   ("Herbet" -> "Herbert"); the allowance grows with the word's length and is zero for short
   words and words with digits, so "Schumacher" finds nobody rather than somebody wrong.

Only the best tier is an answer, and all of its names are: equally good hits are never cut to one.
Below that, `near` offers "did you mean" names from a looser allowance.

A FUZZY match is a guess, so it is answered only when `reading` finds it unmistakable: every
mistyped word is at least `SURE_MIN_LENGTH` letters, starts with the right letter, is one edit
from exactly one word of the names searched, and no other such word is within `SURE_MARGIN`
edits ("herbret" is Herbert; "Hill" is not Bill). Anything weaker is offered, not answered.

The index is built once: the vocabulary of distinct words, word -> names postings, the words
sorted for prefix look-ups by bisection, and the words grouped by length so that typo search
only compares words whose length is within the allowance.
"""

from __future__ import annotations

import heapq
import marshal
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import IntEnum
from itertools import combinations, repeat
from operator import itemgetter
from typing import Any, Final, Generic, TypeVar, cast

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

# Letters that Unicode decomposition leaves alone but a person types without the mark.
_FOLD: Final = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)
# Dropped without a space, so "P.K." is "pk" and "Racer's" is "racers".
_JOINERS: Final = frozenset(".'’‘`´ʼ")
_CONTROL_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co"})
_LAST_CHAR: Final = "\U0010ffff"
_NEAR_WORDS: Final = 4  # "did you mean" looks at the first few distinct words only
SURE_MIN_LENGTH: Final = 5
"""Shortest mistyped word a correction is trusted for: short words have too many neighbours."""
SURE_MARGIN: Final = 2
"""A trusted correction has no other word of the names within this many edits."""
WHOLE_MIN_LENGTH: Final = 6
"""Shortest whole name (spaces aside) a slip in it is read through: "dysnracing"."""
WHOLE_MARGIN: Final = 2
"""A whole name read through a slip has no other name within this many slips of the query."""

IndexState = tuple[
    list[str], dict[str, list[int]], dict[str, tuple[int, ...]], list[str], dict[int, list[str]]
]
"""A `NameIndex` as plain data: keys, exact keys, word postings, sorted words, words by length."""

Accept = frozenset[int]
"""Which name ids a search may return (e.g. only drivers of one race); None: any."""


class Tier(IntEnum):
    """How well a name matched; lower is better."""

    EXACT = 0
    TOKEN = 1
    PREFIX = 2
    FUZZY = 3


Match = tuple[Tier, int]
"""How a name matched: its tier and its typing mistakes."""
_EXACT_MATCH: Final = (Tier.EXACT, 0)


def _smallest(postings: Sequence[Sequence[int]], count: int) -> list[int]:
    """The `count` smallest ids in any of these ascending postings, ascending: only a
    posting's first `count` ids can be among them, and only postings whose first id is below
    the `count`-th smallest found so far (taken in order of their first ids) can add any."""
    found: set[int] = set()
    bound: int | None = None
    for ids in sorted(postings, key=itemgetter(0)):
        if bound is not None and ids[0] > bound:
            break
        found.update(ids[:count])
        if bound is None and len(found) >= count:
            bound = heapq.nsmallest(count, found)[-1]  # only falls as more are found
    return sorted(found)[:count]


@dataclass(frozen=True, slots=True)
class Hit:
    """One matched name: its id, tier, and typing mistakes (FUZZY only)."""

    id: int
    tier: Tier
    edits: int = 0


@dataclass(frozen=True, slots=True)
class NameKeys:
    """What an index entry is known by: whole texts, extra words, and exact-only aliases."""

    # texts: exact keys, whose words are searched too; words: searched only as words;
    # aliases: exact keys only (e.g. a file name).

    texts: tuple[str, ...]
    words: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


def strip_controls(text: str) -> str:
    """The text without control, format, surrogate and private-use characters."""
    if text.isprintable():
        return text
    return "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in text
        if ch in "\t\n\r\v\f" or unicodedata.category(ch) not in _CONTROL_CATEGORIES
    )


def _ascii_table() -> dict[int, str | None]:
    """What `normalise` makes of each ASCII character: lower case, joiners dropped, controls
    dropped (white space ones as spaces), anything else not a letter or digit a space."""
    table: dict[int, str | None] = {}
    for code in range(128):
        ch = chr(code)
        if ch.isalnum():
            table[code] = ch.lower()
        elif ch in _JOINERS or (not ch.isprintable() and ch not in "\t\n\r\v\f"):
            table[code] = None
        else:
            table[code] = " "
    return table


_ASCII_FOLD: Final = _ascii_table()


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces (dots and apostrophes dropped), one space."""
    if text.isascii():  # most names: the same result in one pass (a test holds them equal)
        return " ".join(text.translate(_ASCII_FOLD).split())
    return normalise_unicode(text)


def normalise_unicode(text: str) -> str:
    """`normalise` for any text, character by character."""
    # Decompose both sides of case folding: "㎒" decomposes to upper case, "İ" folds to a mark.
    decomposed = unicodedata.normalize("NFKD", strip_controls(text))
    folded = unicodedata.normalize("NFKD", decomposed.casefold()).translate(_FOLD)
    chars = [
        ("" if ch in _JOINERS or unicodedata.combining(ch) else ch if ch.isalnum() else " ")
        for ch in folded
    ]
    return " ".join("".join(chars).split())


def compact(normalised: str) -> str:
    """A normalised text without spaces: the key for whole-name equality."""
    return normalised.replace(" ", "")


def max_edits(word: str) -> int:
    """Typing mistakes forgiven in a word: none in short words or numbers, more in long ones."""
    if any(ch.isdigit() for ch in word) or len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def near_edits(word: str) -> int:
    """The looser allowance behind "did you mean" suggestions."""
    if any(ch.isdigit() for ch in word) or len(word) < 3:
        return 0
    # Two slips in five letters leave three right: chance alone gets that close ("spoil", "Sport").
    return 1 if len(word) < 6 else 2 if len(word) < 8 else 3


class NameIndex:
    """Names searchable by exact key, word, word prefix and typo; built once, read many times."""

    _remembered_typos: tuple[dict[int, list[str]], dict[str, tuple[tuple[str, int], ...]]]
    """The words by length, and a word -> its typos within two edits among them, made when
    first looked up (`_typos`)."""

    def __init__(self, names: Iterable[NameKeys]) -> None:
        self._keys: list[str] = []
        self._exact: MutableMapping[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        normalised: dict[str, str] = {}  # circuits, places, series and years repeat a lot

        def norm(text: str) -> str:
            found = normalised.get(text)
            if found is None:
                found = normalised[text] = normalise(text)
            return found

        for name_id, name in enumerate(names):
            for token in self._add(name_id, name, norm):
                postings.setdefault(token, []).append(name_id)
        self._postings: MutableMapping[str, tuple[int, ...]] = {
            t: tuple(ids) for t, ids in postings.items()
        }
        self._sorted: list[str] = sorted(self._postings)
        by_length: dict[int, list[str]] = {}
        for token in self._sorted:
            if max_edits(token) or near_edits(token):
                by_length.setdefault(len(token), []).append(token)
        self._by_length = by_length

    def _add(
        self, name_id: int, name: NameKeys, norm: Callable[[str], str], copy: bool = False
    ) -> Iterable[str]:
        """Take in one name's key and exact texts; its distinct words, for the postings."""
        texts = [norm(text) for text in name.texts]
        self._keys.append(compact(texts[0]) if texts else "")
        exact = (*texts, *(norm(alias) for alias in name.aliases))
        for key in dict.fromkeys(compact(text) for text in exact if text):
            ids = self._exact.get(key)
            if ids is None:
                self._exact[key] = [name_id]
            elif copy:  # another index holds this list
                self._exact[key] = [*ids, name_id]
            else:
                ids.append(name_id)
        words = [norm(word) for word in name.words]
        return dict.fromkeys(t for text in (*texts, *words) for t in text.split())

    def extended(self, names: Sequence[NameKeys]) -> NameIndex:
        """A new index: this one's names and then `names` (ids following on), exactly as if
        built with all of them at once. This index is left as it is (questions may be reading
        it); what the new names do not touch is shared."""
        index = NameIndex(())
        index._keys = list(self._keys)
        index._exact = _copied(self._exact)
        postings = _copied(self._postings)
        new_words: list[str] = []
        for offset, name in enumerate(names):
            name_id = len(self._keys) + offset
            for token in index._add(name_id, name, normalise, copy=True):
                ids = postings.get(token)
                if ids is None:
                    new_words.append(token)
                    postings[token] = (name_id,)
                else:
                    postings[token] = (*ids, name_id)
        index._postings = postings
        index._sorted = self._sorted
        index._by_length = self._by_length
        if new_words:
            index._sorted = sorted((*self._sorted, *new_words))
            index._by_length = dict(self._by_length)
            for word in new_words:
                if max_edits(word) or near_edits(word):
                    bucket = index._by_length.get(len(word), [])
                    index._by_length[len(word)] = sorted((*bucket, word))
        return index

    def revised(self, gone: Mapping[int, NameKeys], back: Mapping[int, NameKeys]) -> NameIndex:
        """A new index in which the `gone` names (each as it was indexed) are found by nothing
        (their ids are kept, so later ids do not move) and the `back` ones, gone before, are
        found again at their ids: it finds what an index built of the names left finds, ids
        aside. This index is left as it is; what the change does not touch is shared."""
        index = NameIndex(())
        index._keys = list(self._keys)
        index._exact = _copied(self._exact)
        postings = _copied(self._postings)
        gone_tokens: list[str] = []
        for name_id, name in gone.items():
            exact, tokens = _texts(name)
            for key in exact:
                left = [other for other in index._exact.get(key, ()) if other != name_id]
                if left:
                    index._exact[key] = left
                else:
                    index._exact.pop(key, None)
            for token in tokens:
                rest = tuple(other for other in postings.get(token, ()) if other != name_id)
                if rest:
                    postings[token] = rest
                else:
                    postings.pop(token, None)
            gone_tokens += tokens
        back_tokens: list[str] = []
        for name_id, name in back.items():
            index._keys[name_id] = compact(normalise(name.texts[0])) if name.texts else ""
            exact, tokens = _texts(name)
            for key in exact:
                index._exact[key] = sorted({*index._exact.get(key, ()), name_id})
            for token in tokens:
                postings[token] = tuple(sorted({*postings.get(token, ()), name_id}))
            back_tokens += tokens
        index._postings = postings
        # Words no name is made of any more are dropped, and new ones taken in: typo and prefix
        # look-ups read only the words of names there are. Only the words of the names gone or
        # back can be either (the others' postings did not change).
        dropped = [
            t for t in dict.fromkeys(gone_tokens) if t in self._postings and t not in postings
        ]
        taken = [t for t in dict.fromkeys(back_tokens) if t not in self._postings]
        index._sorted, index._by_length = self._sorted, self._by_length
        if dropped or taken:
            index._sorted = sorted({*self._sorted, *taken}.difference(dropped))
            index._by_length = dict(self._by_length)
            kept = [token for token in taken if max_edits(token) or near_edits(token)]
            for length in {len(token) for token in (*dropped, *kept)}:
                bucket = {*index._by_length.get(length, ()), *kept}.difference(dropped)
                bucket = {word for word in bucket if len(word) == length}
                if bucket:
                    index._by_length[length] = sorted(bucket)
                else:
                    index._by_length.pop(length, None)
        return index

    def remapped(
        self,
        order: Sequence[int],
        ids: Sequence[int],
        names: Mapping[int, NameKeys],
        *,
        ordered: bool,
    ) -> NameIndex:
        """A new index of `len(order)` names: name `order[i]` is name i (a negative: a new
        one), each name's id `j` made `ids[j]` (`ordered`: ids keep their order), and `names`
        taken in at their ids (new ones, or ones found by nothing before): it finds what an
        index built of the names in their new order finds. This index is left as it is; each
        key's ids are renumbered when first read (`_MovedIds`), the words' now."""
        index = NameIndex(())
        keys = self._keys
        new_keys = repeat("", len(order) - len(keys))
        index._keys = list(map([*keys, *new_keys].__getitem__, order))
        move = _Renumbered(ids, ordered)
        index._exact = _MovedIds.over(self._exact, move)
        # A few hundred words, each read by most questions: renumbered now (~1 ms), not first
        # by the questions after.
        index._postings = {token: move(found) for token, found in self._postings.items()}
        index._sorted, index._by_length = self._sorted, self._by_length
        if not names:
            return index
        # Taken in as names found again at their ids (`revised`): sorted among the others.
        return index.revised({}, names)

    def inserted(self, place: int, name: NameKeys) -> NameIndex:
        """A new index with `name` at id `place` and the ids from `place` on moved one along,
        as if built with it there. Nothing is read until the new index is first searched
        (this one may still be packed: `packed`); then each word's and key's ids are moved
        when first read (`_MovedIds`), not the 40,000 keys of 10,000 races at once."""
        return _LaterNameIndex(lambda: self._inserted_now(place, name))

    def _inserted_now(self, place: int, name: NameKeys) -> NameIndex:
        index = NameIndex(())
        index._keys = [*self._keys[:place], "", *self._keys[place:]]
        move = _Shifted((place,))
        index._exact = _MovedIds.over(self._exact, move)
        index._postings = _MovedIds.over(self._postings, move)
        index._sorted, index._by_length = self._sorted, self._by_length
        return index.revised({}, {place: name})

    def without(self, name_id: int, name: NameKeys) -> NameIndex:
        """A new index without one name (`name`, as it was indexed): the names after it move
        one id down, as in an index built of the names left. Made when first searched (as
        `inserted`), each key's ids then moved when first read."""
        return _LaterNameIndex(lambda: self._without_now(name_id, name))

    def _without_now(self, name_id: int, name: NameKeys) -> NameIndex:
        size = len(self._keys)
        order = [*range(name_id), *range(name_id + 1, size)]
        # Found by nothing first, so no key reads its id and the others keep their order.
        ids = [*range(name_id), size - 1, *range(name_id, size - 1)]
        return self.revised({name_id: name}, {}).remapped(order, ids, {}, ordered=True)

    def __len__(self) -> int:
        return len(self._keys)

    def state(self) -> IndexState:
        """What the index holds, as plain data (tests compare indexes by it; the library
        snapshot keeps it so, which reads back several times faster than a pickle)."""
        exact, postings = _plain(self._exact), _plain(self._postings)
        return (self._keys, exact, postings, self._sorted, self._by_length)

    @classmethod
    def from_state(cls, state: IndexState) -> NameIndex:
        """The index `state` gave (its parts taken as they are)."""
        index = cls(())
        index._set_state(state)
        return index

    @staticmethod
    def packed(state: bytes | memoryview) -> NameIndex:
        """The index whose `state` marshal packed, unpacked when first searched."""
        return _PackedNameIndex(state)

    def _set_state(self, state: IndexState) -> None:
        self._keys, self._exact, self._postings, self._sorted, self._by_length = state

    @property
    def vocabulary_size(self) -> int:
        """How many distinct words the names are made of."""
        return len(self._postings)

    def exactly(self, key: str) -> Sequence[int]:
        """The ids of the names one of whose exact texts has this compact key."""
        return self._exact.get(key, ())

    @property
    def keys(self) -> Sequence[str]:
        """The compact key of each name's first text, by id."""
        return self._keys

    def search(
        self, query: str, accept: Accept | None = None, *, min_prefix: int = 3, fuzzy: bool = True
    ) -> list[Hit]:
        """The best-tier names for a normalised query, all of them (any order)."""
        found = self.matches(query, accept, min_prefix=min_prefix, fuzzy_below=1 if fuzzy else 0)
        if not found:
            return []
        best = min(found.values())
        return [Hit(i, *match) for i, match in found.items() if match == best]

    def matches(
        self,
        query: str,
        accept: Accept | None = None,
        *,
        min_prefix: int = 3,
        fuzzy_below: int = 1,
        numeric_prefix: bool = False,
    ) -> dict[int, Match]:
        """Every matching name id -> (tier, mistakes); typos are looked up only while fewer than
        `fuzzy_below` names matched better (they would rank after those anyway)."""
        tokens = query.split()
        if not tokens:
            return {}
        exact = dict.fromkeys(
            (i for i in self._exact.get(compact(query), ()) if accept is None or i in accept),
            _EXACT_MATCH,
        )
        if len(tokens) > 1:  # the other words narrow it down: "johnny h" is Johnny Herbert
            min_prefix = 1
        per_token = [self._plain_words(t, min_prefix, numeric_prefix) for t in tokens]
        found = _intersect(per_token, accept)
        if len(found) + len(exact) < fuzzy_below:
            for index, token in enumerate(tokens):
                typos = sorted(self._typos(token, max_edits(token)), key=lambda t: -t[1])
                if not typos:
                    continue
                # Fewer mistakes outrank more, and a plain match any typo.
                fuzzy = [(self._postings[typo], (Tier.FUZZY, edits)) for typo, edits in typos]
                per_token[index] = _WordMatches([*fuzzy, *per_token[index].sources])
            found = _intersect(per_token, accept)
        found.update(exact)
        return found

    def best(
        self, query: str, limit: int, *, min_prefix: int = 3, numeric_prefix: bool = False
    ) -> list[int]:
        """The first `limit` ids of `matches(query, min_prefix=..., fuzzy_below=limit, ...)`,
        best match first, then by id. A one-word query that matches at least `limit` names
        costs about `limit` steps over its words' postings rather than one per name matched
        (a "2" typed for a race matches every race of the 2000s)."""
        fast = self._best_of_word(query, limit, min_prefix, numeric_prefix)
        if fast is not None:
            return fast
        found = self.matches(
            query, min_prefix=min_prefix, fuzzy_below=limit, numeric_prefix=numeric_prefix
        )
        return [i for _, i in heapq.nsmallest(limit, ((match, i) for i, match in found.items()))]

    def _best_of_word(
        self, query: str, limit: int, min_prefix: int, numeric_prefix: bool
    ) -> list[int] | None:
        """`best` for a one-word query matching at least `limit` names without typos; None
        otherwise (typos would then be looked up: `matches` does that)."""
        tokens = query.split()
        if len(tokens) != 1 or limit <= 0:
            return None
        token = tokens[0]
        whole = self._postings.get(token, ())  # postings are ascending ids
        exact = sorted(set(self._exact.get(compact(query), ())))
        prefixed: list[int] = []
        if (
            len(whole) < limit
            and len(token) >= min_prefix
            and (numeric_prefix or not token.isdigit())
        ):
            words = [self._postings[word] for word in self._prefixed(token)]
            prefixed = _smallest(words, limit + len(whole) + len(exact))
            if len(set(whole).union(prefixed)) < limit:
                return None  # fewer plain matches than `limit`: typos count
        elif len(whole) < limit:
            return None
        # Best first: the exact names, then whole-word matches, then prefixes, each by id.
        ranked = exact[:limit]
        taken = set(exact)
        for i in whole:
            if len(ranked) == limit:
                return ranked
            if i not in taken:
                ranked.append(i)
        taken.update(whole)
        ranked += [i for i in prefixed if i not in taken]
        return ranked[:limit]

    def reading(
        self, query: str, accept: Accept | None = None, *, min_prefix: int = 3
    ) -> dict[str, str] | None:
        """The mistyped words of a query and the one word each is read as, when every one is
        unmistakable (see the module docstring); None when any is not, or none was mistyped."""
        tokens = query.split()
        if len(tokens) > 1:
            min_prefix = 1
        corrections: dict[str, str] = {}
        for token in tokens:
            if self._has_plain_match(token, min_prefix, accept):
                continue
            close = [
                (word, edits)
                for word, edits in self._typos(token, SURE_MARGIN)
                if accept is None or not accept.isdisjoint(self._postings[word])
            ]
            if len(token) < SURE_MIN_LENGTH or len(close) != 1:
                return None
            word, edits = close[0]
            if edits != 1 or word[0] != token[0]:
                return None
            corrections[token] = word
        return corrections or None

    def whole_reading(self, query: str, accept: Accept | None = None) -> int | None:
        """The one name a query is, as a whole, with one letter slipped ("dysn racing" is Dyson
        Racing, "corvete racing" Corvette Racing), or None. The whole query (spaces aside) must
        be at least `WHOLE_MIN_LENGTH` letters, start as the name does, and be one wrong,
        missing or extra letter from the name's whole key, with no other name's key within
        `WHOLE_MARGIN` such slips. Two slips (a swap of neighbours counts as two: "Crest Taem",
        "Jonny Herbrt"), a part of a name ("Hill", "Price") or a query between two names are
        never read this way, and stay offers."""
        key = compact(query)
        if len(key) < WHOLE_MIN_LENGTH or any(ch.isdigit() for ch in key):
            return None
        candidates: set[int] = set()
        for token in dict.fromkeys(query.split()):
            for word, _ in self._typos(token, min(len(token) // 3, 2)):
                candidates.update(self._postings[word])
            candidates.update(self._postings.get(token, ()))
        if accept is not None and len(accept) <= len(candidates):
            candidates &= accept  # few accepted: fewer keys to compare
        if not candidates:
            return None
        # The keys compared in one C call; `accept` then checked for the few close ones only.
        compared = tuple(candidates)
        keys = (
            itemgetter(*compared)(self._keys) if len(compared) > 1 else (self._keys[compared[0]],)
        )
        close: dict[str, list[int]] = {}
        for name, _, at in process.extract(
            key, keys, scorer=Levenshtein.distance, score_cutoff=WHOLE_MARGIN, limit=None
        ):
            if name and (accept is None or compared[at] in accept):
                close.setdefault(name, []).append(compared[at])
        if len(close) != 1:
            return None  # none close, or another name within the margin too
        name, ids = next(iter(close.items()))
        if Levenshtein.distance(key, name) != 1 or name[0] != key[0] or len(ids) != 1:
            return None
        return ids[0]

    def near(self, query: str, accept: Accept | None = None, limit: int = 3) -> list[int]:
        """Names close to a query that found nothing, best first ("did you mean")."""
        # Best: most query words matched (within a looser allowance), then fewest mistakes,
        # then id order, which callers make a sensible order.
        per_token: list[dict[int, int]] = []  # per query word: name id -> mistakes
        for token in list(dict.fromkeys(query.split()))[:_NEAR_WORDS]:
            candidates = list(self._typos(token, near_edits(token)))
            if len(token) >= 2:
                candidates += [(word, 1) for word in self._prefixed(token)]
            if token in self._postings:
                candidates.append((token, 0))
            closest: dict[int, int] = {}
            for word, edits in sorted(candidates, key=lambda c: -c[1]):  # better ones overwrite
                closest.update(dict.fromkeys(self._postings[word], edits))
            if closest:
                per_token.append(closest)
        # Only names that match the most query words count, and only those within one slip
        # of the best of them: "did you mean" lists the close names, not everyone.
        for need in range(len(per_token), 0, -1):
            pool: set[int] = set()
            for group in combinations(per_token, need):
                pool.update(set(group[0]).intersection(*group[1:]))
            if accept is not None:
                pool &= accept
            if pool:
                ranked = heapq.nsmallest(
                    limit,
                    ((sum(words.get(i, 0) for words in per_token), i) for i in pool),
                )
                best = ranked[0][0]
                return [i for edits, i in ranked if edits <= best + 1]
        return []

    def _has_plain_match(self, token: str, min_prefix: int, accept: Accept | None) -> bool:
        """Whether the token matches an accepted name as a whole word or a prefix (numbers
        whole only); each posting is checked in C, none merged."""
        postings = self._postings.get(token)
        if postings and (accept is None or not accept.isdisjoint(postings)):
            return True
        if len(token) < min_prefix or token.isdigit():
            return False
        for word in self._prefixed(token):
            postings = self._postings[word]
            if postings and (accept is None or not accept.isdisjoint(postings)):
                return True
        return False

    def _plain_words(self, token: str, min_prefix: int, numeric_prefix: bool) -> _WordMatches:
        """The names the token matches as a whole word or a prefix, as the postings they are
        in, not yet merged."""
        sources: list[tuple[Sequence[int], Match]] = []
        if len(token) >= min_prefix and (numeric_prefix or not token.isdigit()):
            prefix_hit = (Tier.PREFIX, 0)
            sources += [(self._postings[word], prefix_hit) for word in self._prefixed(token)]
        whole = self._postings.get(token)
        if whole:
            sources.append((whole, (Tier.TOKEN, 0)))
        return _WordMatches(sources)

    def _prefixed(self, token: str) -> list[str]:
        """Words that start with the token (and are longer)."""
        lo = bisect_left(self._sorted, token)
        hi = bisect_left(self._sorted, token + _LAST_CHAR, lo)
        return [word for word in self._sorted[lo:hi] if word != token]

    def _typos(self, token: str, allowance: int) -> Sequence[tuple[str, int]]:
        """Words within `allowance` edits (a swap of neighbours counts as one)."""
        if allowance == 0 or any(ch.isdigit() for ch in token):
            return ()
        if allowance > _REMEMBERED_EDITS:
            return tuple(self._typos_found(token, allowance))
        # One question looks a word's typos up several times (search, reading, whole reading),
        # at different allowances: those within two edits are found once and kept.
        # Kept with the words they were found among: an index given other words forgets them.
        by_length = self._by_length
        kept = getattr(self, "_remembered_typos", None)
        if kept is None or kept[0] is not by_length:
            kept = self._remembered_typos = (by_length, {})
        remembered = kept[1]
        typos = remembered.get(token)
        if typos is None:
            if len(remembered) >= _REMEMBERED_WORDS:
                remembered.clear()
            typos = remembered[token] = tuple(self._typos_found(token, _REMEMBERED_EDITS))
        if allowance == _REMEMBERED_EDITS:
            return typos
        return [(word, edits) for word, edits in typos if edits <= allowance]

    def _typos_found(self, token: str, allowance: int) -> Iterable[tuple[str, int]]:
        """`_typos`, looked up in the words of each length within the allowance."""
        for length in range(len(token) - allowance, len(token) + allowance + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            for word, edits, _ in process.extract(
                token, bucket, scorer=OSA.distance, score_cutoff=allowance, limit=None
            ):
                if word != token:
                    yield word, int(edits)


_REMEMBERED_EDITS: Final = 2
"""Typos within this many edits are kept per word (the most a search, a reading or a whole
reading allows); "did you mean" allows more and looks them up each time."""
_REMEMBERED_WORDS: Final = 512
"""Words whose typos an index keeps, at most: all are forgotten when that many are kept."""

_PROBE_COST: Final = 8
"""About how many ids merging a posting costs for the time it takes to look one id up in one
posting by bisection (the merge runs in C, the look-up in Python)."""


def _texts(name: NameKeys) -> tuple[list[str], list[str]]:
    """A name's exact keys and its words, as `NameIndex` indexes them."""
    texts = [normalise(text) for text in name.texts]
    exact = (*texts, *(normalise(alias) for alias in name.aliases))
    words = [normalise(word) for word in name.words]
    keys = list(dict.fromkeys(compact(text) for text in exact if text))
    return keys, list(dict.fromkeys(t for text in (*texts, *words) for t in text.split()))


class _WordMatches:
    """One query word's matches as postings, each with its match, the better ones last (they
    win): merged into one dict only when that is cheaper than looking a few ids up in each."""

    def __init__(self, sources: list[tuple[Sequence[int], Match]]) -> None:
        self.sources = sources
        self.size = sum(len(ids) for ids, _ in sources)
        """At least how many names match (more when words share names)."""
        self._merged: dict[int, Match] | None = None

    def merged(self) -> dict[int, Match]:
        """Every name id the word matches -> its best match."""
        if self._merged is None:
            merged: dict[int, Match] = {}
            for ids, match in self.sources:
                merged.update(dict.fromkeys(ids, match))
            self._merged = merged
        return self._merged

    def probing_is_cheaper(self, count: int) -> bool:
        """Whether looking `count` ids up costs less than merging every posting."""
        return self._merged is None and count * len(self.sources) * _PROBE_COST < self.size

    def get(self, name_id: int) -> Match | None:
        """The word's best match for one name, found by bisection in each posting (ascending)."""
        if self._merged is not None:
            return self._merged.get(name_id)
        for ids, match in reversed(self.sources):
            at = bisect_left(ids, name_id)
            if at < len(ids) and ids[at] == name_id:
                return match
        return None


def _intersect(per_token: Sequence[_WordMatches], accept: Accept | None) -> dict[int, Match]:
    """Names every query word matched: worst tier of the words, total mistakes. The word with
    the fewest names is merged; the others' postings are only probed for those names when that
    is cheaper ("2003 grand prix": the year's dozen races, not every race that has "grand")."""
    ordered = sorted(per_token, key=lambda word: word.size)
    first = ordered[0].merged()
    ids: AbstractSet[int] = first.keys()
    if accept is not None:  # iterate the smaller side, in C
        ids = first.keys() & accept if len(accept) < len(first) else accept.intersection(first)
    for other in ordered[1:]:
        if other.probing_is_cheaper(len(ids)):
            ids = {name_id for name_id in ids if other.get(name_id) is not None}
        else:
            ids = other.merged().keys() & ids
    if len(ordered) == 1:
        return {name_id: first[name_id] for name_id in ids}
    result: dict[int, Match] = {}
    for name_id in ids:
        matches = [first[name_id], *(cast(Match, other.get(name_id)) for other in ordered[1:])]
        result[name_id] = (max(m[0] for m in matches), sum(m[1] for m in matches))
    return result


_STATE_PARTS: Final = frozenset({"_keys", "_exact", "_postings", "_sorted", "_by_length"})


class _LaterNameIndex(NameIndex):
    """A `NameIndex` made by `make` when first searched (`NameIndex.inserted`, `without`)."""

    def __init__(self, make: Callable[[], NameIndex]) -> None:  # nothing is built yet
        self._make = make

    def __getattr__(self, name: str) -> Any:
        # Called only for a part not made yet; two threads may both make it (equal parts).
        if name not in _STATE_PARTS:
            raise AttributeError(name)
        made = self._make()
        self._keys, self._exact, self._postings = made._keys, made._exact, made._postings
        self._sorted, self._by_length = made._sorted, made._by_length
        return getattr(self, name)


_S = TypeVar("_S", list[int], tuple[int, ...])
_MOVES_KEPT: Final = 8
"""Renumberings a `_MovedIds` applies when a key is read; one more makes it a plain dict."""


class _Shifted:
    """Ids moved as races inserted at some places move them: each id `i` becomes `i` plus
    how many of `thresholds` are at most `i` (one insert at `p`: those from `p` on, by one)."""

    def __init__(self, thresholds: tuple[int, ...]) -> None:
        self.thresholds = thresholds

    def then(self, other: _Shifted) -> _Shifted:
        """This move and then `other` (one insert), as one move."""
        (place,) = other.thresholds
        # The first id this move takes to `place` or beyond: `other` moves it and all after.
        low, high = max(place - len(self.thresholds), 0), place
        while low < high:
            middle = (low + high) // 2
            if middle + bisect_left(self.thresholds, middle + 1) >= place:
                high = middle
            else:
                low = middle + 1
        return _Shifted(tuple(sorted((*self.thresholds, low))))

    def __call__(self, ids: _S) -> _S:
        moved: list[int] = []
        start = 0
        for by, threshold in enumerate(self.thresholds):
            at = bisect_left(ids, threshold, start)
            if at == len(ids) and not by:
                return ids  # none moves
            moved += map(by.__add__, ids[start:at])
            start = at
        moved += map(len(self.thresholds).__add__, ids[start:])
        return moved if isinstance(ids, list) else tuple(moved)


class _Renumbered:
    """Ids renumbered: `i` becomes `ids[i]` (`ordered`: the order holds, else sorted again)."""

    def __init__(self, ids: Sequence[int], ordered: bool) -> None:
        self.ids = ids
        self.ordered = ordered

    def __call__(self, ids: _S) -> _S:
        moved = map(self.ids.__getitem__, ids)
        found = list(moved) if self.ordered else sorted(moved)
        return found if isinstance(ids, list) else tuple(found)


_Move = _Shifted | _Renumbered


class _MovedIds(MutableMapping[str, _S], Generic[_S]):
    """A plain dict's ids (ascending) moved (`moves`, in turn), each key's when first read and
    then kept, and some keys changed (None: gone): an index over 10,000 races moves the ids
    of its 40,000 keys only as questions read them. Two threads may move a key at once: they
    make equal ids, either kept."""

    def __init__(
        self,
        base: dict[str, _S],
        moves: tuple[_Move, ...],
        changed: dict[str, _S | None],
        made: dict[str, _S] | None = None,
    ) -> None:
        self._base: dict[str, _S] = base
        self._moves: tuple[_Move, ...] = moves
        self._changed: dict[str, _S | None] = changed
        self._made: dict[str, _S] = {} if made is None else made
        """Keys of `base` read, moved (shared by copies: the same moves)."""

    @staticmethod
    def over(items: MutableMapping[str, _S], move: _Move) -> MutableMapping[str, _S]:
        """`items` with every key's ids moved by `move` (over another `_MovedIds`: its base
        and moves and then this one, its changes moved now)."""
        if not isinstance(items, _MovedIds):
            return _MovedIds(_plain(items), (move,), {})
        moves: tuple[_Move, ...] = items._moves
        last = moves[-1] if moves else None
        if isinstance(last, _Shifted) and isinstance(move, _Shifted):
            moves = (*moves[:-1], last.then(move))
        else:
            moves = (*moves, move)
        changed = {key: ids if ids is None else move(ids) for key, ids in items._changed.items()}
        moved = _MovedIds(items._base, moves, changed)
        if len(moves) > _MOVES_KEPT:  # each read would go through too many
            return dict(moved)
        return moved

    def _moved(self, ids: _S) -> _S:
        for move in self._moves:
            ids = move(ids)
        return ids

    def __getitem__(self, key: str) -> _S:
        if key in self._changed:
            changed = self._changed[key]
            if changed is None:
                raise KeyError(key)
            return changed
        ids = self._made.get(key)
        if ids is None:
            ids = self._made[key] = self._moved(self._base[key])
        return ids

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self._changed:
            return self._changed[key] is not None
        return key in self._base

    def __iter__(self) -> Iterator[str]:
        changed = self._changed
        yield from (key for key in self._base if key not in changed)
        yield from (key for key, ids in changed.items() if ids is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __setitem__(self, key: str, ids: _S) -> None:
        self._changed[key] = ids

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._changed[key] = None

    def copy(self) -> _MovedIds[_S]:
        """Another view of these ids, to change apart."""
        return _MovedIds(self._base, self._moves, dict(self._changed), self._made)


def _copied(items: MutableMapping[str, _S]) -> MutableMapping[str, _S]:
    """A mapping of these ids to change (a `_MovedIds` copied as one)."""
    return items.copy() if isinstance(items, _MovedIds) else dict(items)


def _plain(items: Mapping[str, _S]) -> dict[str, _S]:
    """These ids as a plain dict (a `_MovedIds` moves every key now)."""
    return items if isinstance(items, dict) else dict(items)


class _PackedNameIndex(NameIndex):
    """A `NameIndex` whose parts are unpacked when first read."""

    def __init__(self, state: bytes | memoryview) -> None:  # not NameIndex's: nothing is built
        self._packed_state = state

    def __getattr__(self, name: str) -> Any:
        # Called only for a part not unpacked yet; two threads may both unpack (equal parts).
        if name not in _STATE_PARTS:
            raise AttributeError(name)
        self._set_state(marshal.loads(self._packed_state))
        return getattr(self, name)
