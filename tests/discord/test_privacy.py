"""Which answers a server's settings make private."""

from __future__ import annotations

import datetime as dt

from bot.core.answers import RaceAnswer, RacesAnswer
from bot.core.library import RaceLibrary
from bot.core.model import summarise
from bot.discord.privacy import in_spoiler_window, privacy_for
from bot.store import GuildSettings


def test_spoiler_window_and_private_answers(seed_library: RaceLibrary) -> None:
    """A race inside the window is private with a note; answers:private hides everything."""
    race = seed_library.races[0]
    assert race.date is not None
    answer = RaceAnswer(race=race)
    day_after = race.date + dt.timedelta(days=1)
    assert not privacy_for(answer, GuildSettings(1), day_after).private
    windowed = privacy_for(answer, GuildSettings(1, spoiler_days=2), day_after)
    assert windowed.private
    assert windowed.note is not None
    assert not in_spoiler_window(race, 2, race.date + dt.timedelta(days=3))
    listing = RacesAnswer(races=(summarise(race),))  # names only, no results: never a spoiler
    assert not privacy_for(listing, GuildSettings(1, spoiler_days=2), day_after).private
    assert privacy_for(listing, GuildSettings(1, answers="private"), day_after).private
