"""What an import says of a race: one line naming it (shared by `racebot check` and /import)."""

from __future__ import annotations

from bot.core.documents.model import Race


def race_summary(race: Race) -> str:
    """One line: title, date, cars and classes (what `racebot check` and `/import` say)."""
    date = race.date.isoformat() if race.date else "no date"
    cars = len(race.entries)
    classes = ", ".join(race.classes)
    return f"{race.title} ({date}), {cars} car{'s' if cars != 1 else ''}, classes {classes}"
