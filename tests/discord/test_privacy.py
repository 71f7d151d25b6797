"""Which answers a server's settings make private."""

from __future__ import annotations

import datetime as dt

from bot.core.asking.answers import Answer, RaceAnswer, RacesAnswer
from bot.core.asking.query import QueryService
from bot.core.documents.model import summarise
from bot.core.library.races import RaceLibrary
from bot.discord.announce import announcement
from bot.discord.privacy import answer_races, in_spoiler_window, privacy_for
from bot.store import GuildSettings
from tests.core.asking.fans import sonoma_library


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


def _every_answer(service: QueryService) -> dict[str, Answer]:
    """One answer of each command that reveals a result, about the seed."""
    asked: dict[str, dict[str, str]] = {
        "result": {"query": "Dyson"},
        "class": {"class": "GTS"},
        "driver": {"name": "Herbert"},
        "car": {"number": "16"},
        "stats": {},
        "race": {},
        "classification": {},
        "compare": {"first": "Herbert", "second": "Werner"},
        "season": {},
        "chart": {},
        "ask": {"question": "who won GTS"},
    }
    return {command: service.ask(command, **options) for command, options in asked.items()}


def test_every_answer_that_reveals_a_result_is_covered() -> None:
    """Each command's answer is private inside the window and public outside it."""
    library = sonoma_library()
    race = library.races[0]
    assert race.date is not None
    windowed = GuildSettings(1, spoiler_days=3)
    for command, answer in _every_answer(QueryService(library)).items():
        assert answer_races(answer), command
        inside = privacy_for(answer, windowed, race.date + dt.timedelta(days=1))
        assert inside.private, command
        assert inside.note is not None
        assert not privacy_for(answer, windowed, race.date + dt.timedelta(days=9)).private


def test_announcements_hide_results_inside_the_window() -> None:
    """An announcement inside the window names the race only, with a Show results button."""
    library = sonoma_library()
    race = library.races[0]
    assert race.date is not None
    inside = announcement(race, "added", 3, race.date + dt.timedelta(days=1))
    assert "view" in inside
    assert "Leitzinger" not in str(inside["embed"].to_dict())
    outside = announcement(race, "added", 3, race.date + dt.timedelta(days=9))
    assert "view" not in outside
    assert "Leitzinger" in str(outside["embed"].to_dict())
