"""Export written race by race: the same text as the whole document dumped at once."""

from __future__ import annotations

import io
import json

from bot.app.export import export_csv, export_json, race_record, write_csv, write_json
from bot.core.library.races import RaceLibrary


def test_streamed_json_is_the_whole_document(seed_library: RaceLibrary) -> None:
    """Two races and none give exactly what json.dumps of the whole document gives."""
    for races in ((), tuple(seed_library.races), tuple(seed_library.races) * 2):
        whole = {"races": [race_record(race) for race in races]}
        expected = json.dumps(whole, ensure_ascii=False, indent=2, allow_nan=False)
        out = io.StringIO()
        assert write_json(iter(races), out) == len(races)
        assert out.getvalue() == expected == export_json(races)


def test_streamed_csv_counts_races(seed_library: RaceLibrary) -> None:
    """The CSV writer returns the races written and the text export_csv gives."""
    out = io.StringIO()
    assert write_csv(iter(seed_library.races), out) == len(seed_library.races)
    assert out.getvalue() == export_csv(seed_library.races)
