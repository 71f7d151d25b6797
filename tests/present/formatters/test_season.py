"""/season as cards: races in round order with winners, then the standings, within limits."""

from __future__ import annotations

from bench.synthetic import synthetic_races
from bot.core.asking.answers import SeasonAnswer
from bot.core.asking.query import QueryService
from bot.core.documents.model import Race
from bot.core.formats import shared_places
from bot.core.library.races import RaceLibrary
from bot.present.cards import answer_cards
from bot.present.formatters.season import TIE_BREAK
from tests.core.asking.season_library import season_library, season_races
from tests.present.support import SOURCE, assert_within_limits, field_values, only_card


def _season(service: QueryService, **options: str) -> SeasonAnswer:
    answer = service.ask("season", **options)
    assert isinstance(answer, SeasonAnswer), answer
    return answer


def test_seed_season_card(query_service: QueryService) -> None:
    """The seed's season: its one round with winners, then the top ten of each standing."""
    card = only_card(_season(query_service))
    assert card.title == "2003 American Le Mans Series"
    assert card.description == "1 race loaded · 1 round: 3"
    assert card.footer == f"Source: {SOURCE}"
    fields = field_values(card)
    assert fields["Round 3 · 2003 Grand Prix of Sonoma"].splitlines() == [
        "Sun 27 Jul 2003 · Infineon Raceway, California",
        "🏁 \\#16 Dyson Racing (LMP675) — Butch Leitzinger, James Weaver",
        "🏆 **LMP675** · \\#16 Dyson Racing — Butch Leitzinger, James Weaver",
        "🏆 **LMP900** · \\#1 Infineon Team Joest — Marco Werner, Frank Biela",
        "🏆 **GTS** · \\#3 Corvette Racing — Ron Fellows, Johnny O'Connell",
        "🏆 **GT** · \\#23 Alex Job Racing — Lucas Luhr, Sascha Maassen",
    ]
    drivers = fields["Most class wins · drivers"].splitlines()
    assert drivers[0] == "=1. Butch Leitzinger — 1 class win · 1 podium"
    assert len(drivers) == 11
    assert drivers[-1] == "…and 14 more with a class podium"
    assert fields["Most class wins · teams"].splitlines()[0] == (
        "=1. Alex Job Racing — 1 class win · 2 podiums"
    )


def test_multi_race_season_card() -> None:
    """Three rounds in order, then every driver and team with a class podium."""
    card = only_card(_season(QueryService(season_library())))
    assert card.title == "2005 Test Endurance Series"
    assert card.description == "3 races loaded · 3 rounds: 1, 2, 3"
    fields = field_values(card)
    assert list(fields) == [
        "Round 1 · 2005 Alpha 300",
        "Round 2 · 2005 Beta 500",
        "Round 3 · 2005 Gamma 1000",
        "Most class wins · drivers",
        "Most class wins · teams",
    ]
    assert fields["Round 2 · 2005 Beta 500"].splitlines() == [
        "Sun 15 May 2005 · Mid\\-Ohio, USA",
        "🏁 \\#2 Blue Falcon Motorsport (P) — Carlos Castro, Lars Lindqvist",
        "🏆 **P** · \\#2 Blue Falcon Motorsport — Carlos Castro, Lars Lindqvist",
        "🏆 **GT** · \\#50 Crest Team — Greta Hoffmann, Nico Novák",
    ]
    assert fields["Most class wins · teams"].splitlines() == [
        "1. Crest Team — 3 class wins · 6 podiums",
        "=2. Apex Racing — 1 class win · 2 podiums",
        "=2. Blue Falcon Motorsport — 1 class win · 2 podiums",
        "4. Eagle Forge — 1 class win · 1 podium",
        "5. Castro Racing — 0 class wins · 3 podiums",
        TIE_BREAK,
    ]


def test_shared_places() -> None:
    """Rows level on the ranking key share a place ('=2'); the next place skips past them."""
    assert shared_places([3, 1, 1, 1, 0]) == ["1", "=2", "=2", "=2", "5"]
    assert shared_places([(1, 1), (1, 1)]) == ["=1", "=1"]
    assert shared_places([2, 1]) == ["1", "2"]
    assert shared_places([]) == []


def test_big_seasons_are_paged_within_limits() -> None:
    """A season of twelve rounds: paged, every limit kept."""
    service = QueryService(RaceLibrary(synthetic_races(24, seed=5)))
    answer = _season(service, series="SES", year="1990")
    assert [race.round for race in answer.races] == list(range(1, 13))
    cards = answer_cards(answer)
    assert len(cards) == 2
    assert_within_limits(cards)


def _hostile(race: Race) -> Race:
    """The race with every team named by a long, markdown-laden mention."""
    team = "@everyone **" + "Ω" * 300
    entries = tuple(entry.model_copy(update={"team": team}) for entry in race.entries)
    return race.model_copy(update={"entries": entries, "circuit": "_" * 500})


def test_hostile_names_stay_within_limits() -> None:
    """Long names full of markdown and mentions: escaped, capped, within every limit."""
    service = QueryService(RaceLibrary([_hostile(race) for race in season_races()]))
    for answer in (
        service.ask("season"),
        service.ask("compare", first="Ackermann", second="Carlos Castro"),
    ):
        cards = answer_cards(answer)
        assert_within_limits(cards)
        text = "".join(card.description + "".join(f.value for f in card.fields) for card in cards)
        assert "@everyone" not in text


def test_a_corrected_series_is_said_aloud() -> None:
    """ "Test Endurence" is read as the 2005 Test Endurance Series, said above the rounds."""
    card = only_card(_season(QueryService(season_library()), series="Test Endurence"))
    assert card.description == (
        "Showing 2005 Test Endurance Series for “Test Endurence”\n"
        "3 races loaded · 3 rounds: 1, 2, 3"
    )


def test_dates_lead_values_as_text() -> None:
    """Each race's date leads its value as text, never as Discord's timestamp markup."""
    card = only_card(_season(QueryService(season_library())))
    assert all("<t:" not in field.name + field.value for field in card.fields)
    assert [field.value.split(" · ")[0] for field in card.fields[:3]] == [
        "Sun 20 Mar 2005",
        "Sun 15 May 2005",
        "Sun 14 Aug 2005",
    ]


def test_an_undated_race_has_no_empty_line() -> None:
    """A race without a date starts with its circuit."""
    races = [race.model_copy(update={"date": None}) for race in season_races()]
    card = only_card(_season(QueryService(RaceLibrary(races)), series="TES"))
    assert card.fields[0].value.splitlines()[0] == "Road Atlanta, USA"
