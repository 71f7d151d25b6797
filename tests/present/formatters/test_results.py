"""Car, class and driver answers as cards: exact texts for the seed."""

from __future__ import annotations

from bot.core.asking.answers import (
    ClassAnswer,
    ClassWinnersAnswer,
    DriverAnswer,
    DriverRace,
    ResultsAnswer,
)
from bot.core.documents.model import Race, Status, summarise
from bot.present.colours import class_colour
from bot.present.formatters.entries import short_position
from tests.present.support import SOURCE, car, field_values, only_card


def test_single_car_card(sonoma: Race) -> None:
    """/result Herbert: the detailed card for #38."""
    entry = car(sonoma, "38")
    answer = ResultsAnswer(
        race=sonoma, query="Herbert", matched=("driver Johnny Herbert",), cars=(entry,)
    )
    card = only_card(answer)
    assert card.title == r"\#38 ADT Champion Racing"
    assert card.description.splitlines() == [
        "**P3 · 2nd in LMP900**",
        "2003 Grand Prix of Sonoma · Sun 27 Jul 2003",
        "Matched “Herbert”: driver Johnny Herbert",
    ]
    assert field_values(card) == {
        "Class": "LMP900",
        "Laps": "102 laps",
        "Gap": "same lap as the leader · same lap as the class winner",
        "Status": "Finished",
        "Drivers": "Johnny Herbert\nJJ Lehto",
        "Chassis": "Audi R8",
        "Engine": "Audi 3.6L Turbo V8",
    }
    assert card.footer == f"Source: {SOURCE}:16"
    assert card.colour == class_colour("LMP900")
    assert not card.ephemeral


def test_single_car_card_cites_its_line(sonoma: Race) -> None:
    """The footer names the document and the car's line (#24 is on line 38)."""
    answer = ResultsAnswer(race=sonoma, query="24", matched=(), cars=(car(sonoma, "24"),))
    assert only_card(answer).footer == f"Source: {SOURCE}:38"


def test_dnf_and_dns_cards(sonoma: Race) -> None:
    """#60 is marked DNF with how far behind it was; #37 is marked DNS, with no laps."""
    dnf = only_card(ResultsAnswer(race=sonoma, query="60", matched=(), cars=(car(sonoma, "60"),)))
    assert dnf.description.startswith("**DNF (P29) · 15th in GT**")
    assert field_values(dnf)["Laps"] == "72 laps"
    assert field_values(dnf)["Gap"] == "30 laps down overall · 21 laps down in class"
    assert field_values(dnf)["Status"] == "Did not finish"
    dns = only_card(ResultsAnswer(race=sonoma, query="37", matched=(), cars=(car(sonoma, "37"),)))
    assert dns.description.startswith("**DNS**")
    assert field_values(dns)["Laps"] == "no laps"
    assert field_values(dns)["Gap"] == "no laps"
    assert field_values(dns)["Status"] == "Did not start"


def test_class_winner_is_called_so(sonoma: Race) -> None:
    """The gaps read "race winner · class winner" for the winner; one lap reads in the singular."""
    winner = only_card(
        ResultsAnswer(race=sonoma, query="16", matched=(), cars=(car(sonoma, "16"),))
    )
    assert field_values(winner)["Gap"] == "race winner · class winner"
    one_down = only_card(
        ResultsAnswer(race=sonoma, query="80", matched=(), cars=(car(sonoma, "80"),))
    )
    assert field_values(one_down)["Gap"] == "6 laps down overall · 1 lap down in class"


def test_several_cars_are_listed_one_field_each(sonoma: Race) -> None:
    """/result Dyson: one compact field per car, the class winner marked."""
    cars = (car(sonoma, "16"), car(sonoma, "20"))
    answer = ResultsAnswer(
        race=sonoma, query="Dyson", matched=("team Dyson Racing", "driver Chris Dyson"), cars=cars
    )
    card = only_card(answer)
    assert card.title == "“Dyson” — 2003 Grand Prix of Sonoma"
    assert card.description == (
        "Matched “Dyson”: team Dyson Racing, driver Chris Dyson\n"
        "2 cars in the 2003 Grand Prix of Sonoma"
    )
    assert [(field.name, field.value) for field in card.fields] == [
        (
            r"🏆 P1 · 1st in LMP675 · \#16 Dyson Racing",
            "Butch Leitzinger, James Weaver\nMG\\-Lola EX257 · 102 laps"
            " · race winner · class winner · Finished",
        ),
        (
            r"P7 · 2nd in LMP675 · \#20 Dyson Racing",
            "Chris Dyson, Andy Wallace\nMG\\-Lola EX257 · 100 laps"
            " · 2 laps down overall · 2 laps down in class · Finished",
        ),
    ]
    assert card.footer == f"Source: {SOURCE}"
    assert card.colour == class_colour("LMP675")


def test_class_card_lists_the_order_winner_first(sonoma: Race) -> None:
    """/class GTS: counts, then one line per car; the winner bold with a trophy."""
    card = only_card(ClassAnswer(race=sonoma, class_="GTS", entries=sonoma.class_entries("GTS")))
    assert card.title == "GTS — 2003 Grand Prix of Sonoma"
    assert card.colour == class_colour("GTS")
    assert card.description.splitlines() == [
        "6 cars · 5 classified · 1 DNF",
        "",
        r"🏆 **1st · P8 · \#3 Corvette Racing** — Ron Fellows, Johnny O'Connell · 97 laps"
        " · 5 laps down overall · class winner · Finished",
        r"2nd · P9 · \#4 Corvette Racing — Kelly Collins, Oliver Gavin · 97 laps"
        " · 5 laps down overall · same lap as the class winner · Finished",
        r"3rd · P10 · \#80 Prodrive — David Brabham, Jan Magnussen · 96 laps"
        " · 6 laps down overall · 1 lap down in class · Finished",
        r"4th · P12 · \#88 Prodrive — Tomáš Enge, Peter Kox · 94 laps"
        " · 8 laps down overall · 3 laps down in class · Finished",
        r"5th · P22 · \#0 Team Olive Garden — Emanuele Naspetti, Mimmo Schiattarella"
        " · 90 laps · 12 laps down overall · 7 laps down in class · Finished",
        r"6th · DNF (P30) · \#71 Carsport America — Aaron Povoledo, Jean\-Philippe Belloc"
        " · 71 laps · 31 laps down overall · 26 laps down in class · Did not finish",
    ]
    assert card.footer == f"Source: {SOURCE}"


def test_class_card_shows_dns(sonoma: Race) -> None:
    """The LMP675 order ends with the car that did not start."""
    card = only_card(
        ClassAnswer(race=sonoma, class_="LMP675", entries=sonoma.class_entries("LMP675"))
    )
    assert card.description.splitlines()[0] == "5 cars · 3 classified · 1 DNF · 1 DNS"
    assert card.description.splitlines()[-1] == (
        r"DNS · \#37 Intersport Racing — Jon Field, Duncan Dayton · Did not start"
    )


def test_class_winners_card(sonoma: Race) -> None:
    """/class with no class: one line per class."""
    card = only_card(ClassWinnersAnswer(race=sonoma, winners=sonoma.class_winners()))
    assert card.title == "Class winners — 2003 Grand Prix of Sonoma"
    assert card.description.splitlines()[2:] == [
        r"**LMP675** · P1 · \#16 Dyson Racing — Butch Leitzinger, James Weaver · 102 laps"
        " · race winner · class winner",
        r"**LMP900** · P2 · \#1 Infineon Team Joest — Marco Werner, Frank Biela · 102 laps"
        " · same lap as the leader · class winner",
        r"**GTS** · P8 · \#3 Corvette Racing — Ron Fellows, Johnny O'Connell · 97 laps"
        " · 5 laps down overall · class winner",
        r"**GT** · P13 · \#23 Alex Job Racing — Lucas Luhr, Sascha Maassen · 93 laps"
        " · 9 laps down overall · class winner",
    ]


def test_driver_card(sonoma: Race) -> None:
    """/driver Herbert: the race, position, car, co-driver, laps and status."""
    answer = DriverAnswer(
        driver="Johnny Herbert",
        appearances=(DriverRace(race=summarise(sonoma), entry=car(sonoma, "38")),),
    )
    card = only_card(answer)
    assert card.title == "Johnny Herbert"
    assert card.description == "1 race · 1 car"
    assert [(field.name, field.value) for field in card.fields] == [
        (
            "2003 Grand Prix of Sonoma",
            "Sun 27 Jul 2003\n**P3 · 2nd in LMP900** · \\#38 ADT Champion Racing\n"
            "with JJ Lehto\nAudi R8 · 102 laps · same lap as the leader"
            " · same lap as the class winner · Finished",
        )
    ]
    assert card.footer == f"Source: {SOURCE}:16"
    assert card.colour == class_colour("LMP900")


def test_driver_card_of_a_three_driver_dnf(sonoma: Race) -> None:
    """Both co-drivers are named, and the status says the car did not finish."""
    answer = DriverAnswer(
        driver="Brad Nyberg",
        appearances=(DriverRace(race=summarise(sonoma), entry=car(sonoma, "03")),),
    )
    value = only_card(answer).fields[0].value
    assert value.splitlines() == [
        "Sun 27 Jul 2003",
        r"**DNF (P34) · 18th in GT** · \#03 Hyper Sport",
        "with Joe Foster, Rick Skelton",
        r"Panoz Esperante GT\-LM · 28 laps · 74 laps down overall · 65 laps down in class"
        " · Did not finish",
    ]


def test_blank_chassis_and_engine_show_a_dash(sonoma: Race) -> None:
    """A car whose document leaves chassis and engine blank gets '—' there, not a crash."""
    entry = car(sonoma, "38").model_copy(update={"chassis": None, "engine": None})
    answer = ResultsAnswer(race=sonoma, query="38", matched=(), cars=(entry,))
    values = field_values(only_card(answer))
    assert values["Chassis"] == "—"
    assert values["Engine"] == "—"
    class_answer = ClassAnswer(race=sonoma, class_="LMP900", entries=(entry,))
    assert "Audi R8" not in only_card(class_answer).description


def test_a_disqualified_car_says_so(sonoma: Race) -> None:
    """A DSQ car keeps its place in the table but reads 'DSQ (P14)', and the class counts it."""
    entry = car(sonoma, "38").model_copy(update={"status": Status.DSQ, "position": 14})
    assert short_position(entry) == "DSQ (P14)"
    card = only_card(ResultsAnswer(race=sonoma, query="38", matched=(), cars=(entry,)))
    assert card.description.splitlines()[0] == "**DSQ (P14) · 2nd in LMP900**"
    class_answer = ClassAnswer(race=sonoma, class_="LMP900", entries=(entry,))
    assert "1 DSQ" in only_card(class_answer).description


def test_names_taken_as_one_are_said_on_the_card(sonoma: Race) -> None:
    """An answer that grouped names says so first: 'Champion Racing, also entered as …'."""
    note = "Champion Racing, also entered as ADT Champion Racing"
    answer = ResultsAnswer(
        race=sonoma, query="38", matched=("car #38",), cars=(car(sonoma, "38"),), notes=(note,)
    )
    card = only_card(answer)
    assert (card.description or "").splitlines()[0] == note
    classes = ClassAnswer(
        race=sonoma,
        class_="GTS",
        entries=sonoma.class_entries("GTS"),
        notes=("GTS did not run at X; it last ran at 2003 Grand Prix of Sonoma",),
    )
    assert (only_card(classes).description or "").startswith("GTS did not run at X;")
