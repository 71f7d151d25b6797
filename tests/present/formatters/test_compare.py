"""/compare as cards: the tally on top, one field per shared race, paged, within limits."""

from __future__ import annotations

from bench.synthetic import synthetic_races
from bot.core.asking.answers import CompareAnswer
from bot.core.asking.query import QueryService
from bot.core.library.races import RaceLibrary
from bot.present.cards import answer_cards
from bot.present.colours import BRAND_COLOUR
from tests.core.asking.season_library import season_library
from tests.present.support import SOURCE, assert_within_limits, field_values, only_card


def _compare(service: QueryService, **options: str) -> CompareAnswer:
    answer = service.ask("compare", **options)
    assert isinstance(answer, CompareAnswer), answer
    return answer


def test_seed_team_mates_card(query_service: QueryService) -> None:
    """Herbert and Lehto: said to be team-mates in #38, not compared."""
    card = only_card(_compare(query_service, first="Herbert", second="Lehto"))
    assert card.title == "Johnny Herbert vs JJ Lehto"
    assert card.description == (
        "**Team-mates**, in the same car in every shared race · 1 shared race"
    )
    assert card.footer == f"Source: {SOURCE}"
    assert card.colour == BRAND_COLOUR
    assert field_values(card) == {
        "2003 Grand Prix of Sonoma": "Sun 27 Jul 2003\n"
        "Team-mates in \\#38 ADT Champion Racing\n"
        "P3 · 2nd in LMP900 · \\#38 ADT Champion Racing · 102 laps · Finished"
    }


def test_seed_head_to_head_card(query_service: QueryService) -> None:
    """Herbert against Werner: both cars, and who finished ahead."""
    card = only_card(_compare(query_service, first="Herbert", second="Werner"))
    assert card.description == "**Marco Werner ahead 1–0** · 1 shared race"
    [value] = field_values(card).values()
    assert value.splitlines() == [
        "Sun 27 Jul 2003",
        "**Johnny Herbert**",
        "P3 · 2nd in LMP900 · \\#38 ADT Champion Racing · 102 laps · Finished",
        "**Marco Werner**",
        "P2 · 1st in LMP900 · \\#1 Infineon Team Joest · 102 laps · Finished",
        "→ Marco Werner ahead",
    ]


def test_season_comparison_card() -> None:
    """Ackermann against Castro: 2-1 over three races; her two cars in Beta both shown."""
    service = QueryService(season_library())
    card = only_card(_compare(service, first="Ackermann", second="Carlos Castro"))
    assert card.description == "**Anna Ackermann ahead 2–1** · 3 shared races"
    assert card.footer == "Sources: 2005-alpha-300.txt, 2005-beta-500.txt, 2005-gamma-1000.txt"
    fields = field_values(card)
    assert list(fields) == ["2005 Gamma 1000", "2005 Beta 500", "2005 Alpha 300"]
    assert fields["2005 Beta 500"].splitlines() == [
        "Sun 15 May 2005",
        "**Anna Ackermann**",
        "P2 · 2nd in P · \\#1 Apex Racing · 120 laps · Finished",
        "DNF (P6) · 4th in P · \\#5 Apex Racing · 50 laps · Did not finish",
        "**Carlos Castro**",
        "P1 · 1st in P · \\#2 Blue Falcon Motorsport · 120 laps · Finished",
        "→ Carlos Castro ahead",
    ]


def test_team_mates_with_another_car() -> None:
    """Team-mates in #1; Ackermann's second car in Beta is hers alone."""
    service = QueryService(season_library())
    card = only_card(_compare(service, first="Ackermann", second="Brück"))
    assert card.description.startswith("**Team-mates**")
    assert field_values(card)["2005 Beta 500"].splitlines() == [
        "Sun 15 May 2005",
        "Team-mates in \\#1 Apex Racing",
        "P2 · 2nd in P · \\#1 Apex Racing · 120 laps · Finished",
        "Anna Ackermann also: DNF (P6) · 4th in P · \\#5 Apex Racing · 50 laps · Did not finish",
    ]


def test_no_shared_race_card() -> None:
    """No shared race: said, and each side's races listed."""
    service = QueryService(season_library())
    card = only_card(_compare(service, first="Ben Brück", second="Dario Dubois"))
    assert card.description == (
        "No shared race: Ben Brück and Dario Dubois never raced in the same race."
    )
    assert field_values(card) == {
        "Ben Brück · 3 cars": "2005 Beta 500 · Sun 15 May 2005: P2 · 2nd in P · \\#1 Apex Racing\n"
        "2005 Alpha 300 · Sun 20 Mar 2005: P1 · 1st in P · \\#1 Apex Racing\n"
        "2004 Epsilon Cup · Wed 1 Sep 2004: P1 · 1st in P · \\#1 Apex Racing",
        "Dario Dubois · 1 car": (
            "2005 Delta Sprint · Wed 1 Jun 2005: P1 · 1st in GT · \\#60 Zenith Racing"
        ),
    }


def test_level_tally() -> None:
    """Cars #1 and #2 beat each other once each: level."""
    service = QueryService(season_library())
    card = only_card(_compare(service, first="1", second="2"))
    assert card.description == "**Level 1–1** · 2 shared races"


def test_long_comparisons_are_paged_within_limits() -> None:
    """Two car numbers across 200 races: several pages, six races each, every limit kept."""
    service = QueryService(RaceLibrary(synthetic_races(200, seed=3)))
    answer = _compare(service, first="7", second="8")
    cards = answer_cards(answer)
    assert len(answer.shared) > 12
    assert len(cards) == -(-len(answer.shared) // 6)
    assert all(card.footer.endswith(f"page {i}/{len(cards)}") for i, card in enumerate(cards, 1))
    assert all(card.description == cards[0].description for card in cards)
    assert_within_limits(cards)


def test_a_corrected_side_is_said_aloud(query_service: QueryService) -> None:
    """ "herbret" is read as Johnny Herbert, and the card says so above the tally."""
    card = only_card(_compare(query_service, first="herbret", second="Werner"))
    assert card.description == (
        "Showing Johnny Herbert for “herbret”\n**Marco Werner ahead 1–0** · 1 shared race"
    )


def test_dates_are_text_not_markup() -> None:
    """Race days are written as text ('Sun 15 May 2005'), never as Discord timestamp markup."""
    service = QueryService(season_library())
    for second in ("Carlos Castro", "Dario Dubois"):
        card = only_card(_compare(service, first="Ackermann", second=second))
        assert all("<t:" not in field.name + field.value for field in card.fields)
        assert all(" 200" in field.value for field in card.fields)
