"""/compare as cards: the head-to-head tally on top, then one field per shared race."""

from __future__ import annotations

from typing import Final

from bot.core.asking.answers import CompareAnswer, CompareRace, CompareSide, DriverRace
from bot.core.documents.model import Entry
from bot.core.formats import plural
from bot.present.colours import BRAND_COLOUR
from bot.present.formatters.entries import (
    STATUS_WORDS,
    car_label,
    corrections_text,
    laps_text,
    position_text,
    race_date,
    race_line,
    source_text,
)
from bot.present.limits import FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT
from bot.present.pages import Card, CardField, Frame, field_pages, lines_within
from bot.present.text import md, truncate

# Races per page: enough to be useful, few enough to read on a phone.
SHARED_PER_PAGE: Final = 6
SIDE_CAP: Final = 60


def compare_cards(answer: CompareAnswer) -> list[Card]:
    """/compare: the tally and shared-race count, then each shared race (or each side's races)."""
    first, second = _name(answer.first), _name(answer.second)
    sides = (answer.first, answer.second)
    races = {source_text(item.race) for side in sides for item in side.appearances}
    frame = Frame(
        title=f"{first} vs {second}",
        colour=BRAND_COLOUR,
        footer=("Sources: " if len(races) > 1 else "Source: ") + ", ".join(sorted(races)),
        intro="\n".join(
            line
            for line in (corrections_text(answer.corrections, answer.notes), tally_text(answer))
            if line
        ),
    )
    if answer.shared:
        fields = [_shared_field(answer, shared) for shared in answer.shared]
    else:
        fields = [_races_field(answer.first), _races_field(answer.second)]
    return field_pages(frame, fields, SHARED_PER_PAGE)


def tally_text(answer: CompareAnswer) -> str:
    """'**Johnny Herbert ahead 2-1** · 3 shared races' (an en dash), or why there is none."""
    first, second = _name(answer.first), _name(answer.second)
    shared = len(answer.shared)
    if not shared:
        return f"No shared race: {first} and {second} never raced in the same race."
    count = plural(shared, "shared race")
    if all(race.same_car for race in answer.shared):
        return f"**Team-mates**, in the same car in every shared race · {count}"
    wins, losses = answer.tally
    if wins == losses:
        head = f"**Level {wins}–{losses}**"
    elif wins > losses:
        head = f"**{first} ahead {wins}–{losses}**"
    else:
        head = f"**{second} ahead {losses}–{wins}**"
    mates = sum(race.same_car for race in answer.shared)
    extra = f" · team-mates in {plural(mates, 'race')}" if mates else ""
    return f"{head} · {count}{extra}"


def _name(side: CompareSide) -> str:
    return md(side.name, SIDE_CAP)


def _shared_field(answer: CompareAnswer, shared: CompareRace) -> CardField:
    first, second = _name(answer.first), _name(answer.second)
    if shared.same_car:
        together = [entry for entry in shared.first if entry in shared.second]
        lines = [f"Team-mates in {car_label(together[0])}", *map(_car_line, together)]
        for name, cars in ((first, shared.first), (second, shared.second)):
            lines += [f"{name} also: {_car_line(e)}" for e in cars if e not in together]
    else:
        lines = [f"**{first}**", *map(_car_line, shared.first)]
        lines += [f"**{second}**", *map(_car_line, shared.second)]
        winner = {"first": first, "second": second}.get(shared.ahead or "")
        lines.append(f"→ {winner} ahead" if winner else "→ level")
    # Discord renders date markup in field values, not names: the date leads the value.
    date = race_date(shared.race)
    name = truncate(md(shared.race.title), FIELD_NAME_LIMIT)
    return CardField(name, lines_within([date, *lines] if date else lines, FIELD_VALUE_LIMIT))


def _car_line(entry: Entry) -> str:
    """'P3 · 3rd in LMP900 · #38 ADT Champion Racing · 102 laps · Finished'."""
    return " · ".join(
        (position_text(entry), car_label(entry), laps_text(entry.laps), STATUS_WORDS[entry.status])
    )


def _races_field(side: CompareSide) -> CardField:
    lines = [_appearance_line(item) for item in side.appearances]
    name = f"{md(side.name, SIDE_CAP)} · {plural(len(lines), 'car')}"
    return CardField(name, lines_within(lines, FIELD_VALUE_LIMIT))


def _appearance_line(item: DriverRace) -> str:
    entry = item.entry
    return f"{race_line(item.race)}: {position_text(entry)} · {car_label(entry)}"
