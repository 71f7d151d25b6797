"""Models made directly (`constructed`, `constructed_all`) are the models validation makes."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

from bot.core.asking.answers import DriverRace
from bot.core.documents.model import (
    ENTRY_FIELD_SET,
    Entry,
    constructed,
    constructed_all,
    summarise,
)
from bot.core.documents.parsing import parse_bytes

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "2003-grand-prix-of-sonoma.txt"


def test_models_made_all_at_once_are_the_models_made_one_by_one() -> None:
    """Each of `constructed_all`'s models equals `constructed`'s and the validated model, in
    every field, its fields set, its dump, a copy and a pickle; the values are its own."""
    race, _ = parse_bytes(SEED.read_bytes(), "x.txt")
    values = [dict(entry.__dict__) for entry in race.entries]
    made = constructed_all(Entry, values, ENTRY_FIELD_SET)
    assert [type(entry) for entry in made] == [Entry] * len(race.entries)
    for entry, one, validated in zip(
        made,
        (constructed(Entry, dict(v), ENTRY_FIELD_SET) for v in values),
        (Entry.model_validate(e.model_dump()) for e in race.entries),
        strict=True,
    ):
        assert entry == one == validated
        assert entry.__dict__ == validated.__dict__
        assert entry.model_fields_set == validated.model_fields_set
        assert entry.__pydantic_extra__ is None
        assert entry.__pydantic_private__ is None
        assert entry.model_dump() == validated.model_dump()
        assert copy.deepcopy(entry) == pickle.loads(pickle.dumps(entry)) == validated
    assert made[0].__dict__ is values[0]
    summary = summarise(race)
    rows = constructed_all(
        DriverRace, [{"race": summary, "entry": e} for e in made], set(DriverRace.model_fields)
    )
    assert rows == [DriverRace(race=summary, entry=e) for e in race.entries]
    assert constructed_all(Entry, [], ENTRY_FIELD_SET) == []
