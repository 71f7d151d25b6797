"""/season as cards: one field per race in round order, then the class-win standings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.core.asking.answers import SeasonAnswer, SeasonStanding
from bot.core.documents.model import Race
from bot.core.formats import plural, shared_places
from bot.present.colours import BRAND_COLOUR
from bot.present.formatters.entries import (
    CLASS_CAP,
    car_label,
    corrections_text,
    drivers_text,
    race_date,
    source_text,
)
from bot.present.limits import FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT
from bot.present.pages import Card, CardField, Frame, field_pages, lines_within
from bot.present.text import md, truncate

# Races per page: enough to be useful, few enough to read on a phone.
FIELDS_PER_PAGE: Final = 8
TOP_STANDINGS: Final = 10
"""How many drivers and teams the standings list."""
TIE_BREAK: Final = "Level on class wins: ranked by podiums; level on both: a shared place (=)."


def season_cards(answer: SeasonAnswer) -> list[Card]:
    """/season: every race (round, date, title, circuit, winners), then the standings."""
    rounds = [race.round for race in answer.races if race.round is not None]
    intro = plural(len(answer.races), "race") + " loaded"
    if rounds:
        intro += f" · {plural(len(rounds), 'round')}: " + ", ".join(map(str, rounds))
    if answer.corrections or answer.notes:
        intro = f"{corrections_text(answer.corrections, answer.notes)}\n{intro}"
    fields = [_race_field(race) for race in answer.races]
    fields.append(CardField("Most class wins · drivers", _standings_text(answer.drivers)))
    fields.append(CardField("Most class wins · teams", _standings_text(answer.teams)))
    sources = ", ".join(source_text(race) for race in answer.races)
    frame = Frame(
        title=f"{answer.year} {md(answer.series)}",
        colour=BRAND_COLOUR,
        footer=("Sources: " if len(answer.races) > 1 else "Source: ") + sources,
        intro=intro,
    )
    return field_pages(frame, fields, FIELDS_PER_PAGE)


def _race_field(race: Race) -> CardField:
    heading = [f"Round {race.round}" if race.round else "", md(race.title)]
    where = md(race.circuit)
    if where and race.location:
        where += f", {md(race.location)}"
    # Discord renders date markup in field values, not names: the date leads the value.
    lines = [" · ".join(part for part in (race_date(race), where) if part)]
    winner = race.winner
    if winner is not None:
        lines.append(
            f"🏁 {car_label(winner)} ({md(winner.class_, CLASS_CAP)}) — "
            f"{drivers_text(winner.drivers)}"
        )
    lines += [
        f"🏆 **{md(entry.class_, CLASS_CAP)}** · {car_label(entry)} — {drivers_text(entry.drivers)}"
        for entry in race.class_winners()
    ]
    name = " · ".join(part for part in heading if part)
    lines = [line for line in lines if line]
    return CardField(truncate(name, FIELD_NAME_LIMIT), lines_within(lines, FIELD_VALUE_LIMIT))


def _standings_text(rows: Sequence[SeasonStanding]) -> str:
    """'1. Butch Leitzinger — 2 class wins · 2 podiums', the top few; rows level on both share a
    place ('=1.'), and when podiums part rows level on wins, a last line says so."""
    if not rows:
        return "No classified car finished in a class's top three."
    places = shared_places([(row.wins, row.podiums) for row in rows])
    lines = [
        f"{place}. {md(row.name)} — {plural(row.wins, 'class win')} · "
        f"{plural(row.podiums, 'podium')}"
        for place, row in zip(places[:TOP_STANDINGS], rows[:TOP_STANDINGS], strict=True)
    ]
    wins = [row.wins for row in rows[:TOP_STANDINGS]]
    podiums = [(row.wins, row.podiums) for row in rows[:TOP_STANDINGS]]
    if len(set(wins)) < len(wins) and len(set(podiums)) > len(set(wins)):
        lines.append(TIE_BREAK)
    if len(rows) > TOP_STANDINGS:
        lines.append(f"…and {len(rows) - TOP_STANDINGS} more with a class podium")
    return lines_within(lines, FIELD_VALUE_LIMIT)
