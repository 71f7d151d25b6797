"""/classification: the seed's full finishing order, checked row by row against the document."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.core.asking.answers import AmbiguousAnswer, ClassificationAnswer, NotFoundAnswer
from bot.core.asking.query import QueryService
from bot.present.cards import answer_cards
from bot.present.pages import card_problems
from tests.core.asking.fans import SONOMA, service_of, sonoma_library, variant

# Every row of the document's table: position as written, class, place in class, number, team
# (as the parser reads the flags: "USA JMB Racing USA" is JMB Racing USA), crew, chassis, laps.
ROWS = [
    (
        "P1",
        "LMP675",
        1,
        "16",
        "Dyson Racing",
        "Butch Leitzinger, James Weaver",
        "MG-Lola EX257",
        102,
    ),
    ("P2", "LMP900", 1, "1", "Infineon Team Joest", "Marco Werner, Frank Biela", "Audi R8", 102),
    ("P3", "LMP900", 2, "38", "ADT Champion Racing", "Johnny Herbert, JJ Lehto", "Audi R8", 102),
    (
        "P4",
        "LMP900",
        3,
        "27",
        "Doran Lista Racing",
        "Didier Theys, Bill Auberlen",
        "Dallara SP1",
        102,
    ),
    (
        "P5",
        "LMP900",
        4,
        "10",
        "JML Team Panoz",
        "Olivier Beretta, Gunnar Jeannette",
        "Panoz LMP01 Evo",
        101,
    ),
    (
        "P6",
        "LMP900",
        5,
        "11",
        "JML Team Panoz",
        "Benjamin Leuenberger, David Saelens",
        "Panoz LMP01 Evo",
        101,
    ),
    ("P7", "LMP675", 2, "20", "Dyson Racing", "Chris Dyson, Andy Wallace", "MG-Lola EX257", 100),
    (
        "P8",
        "GTS",
        1,
        "3",
        "Corvette Racing",
        "Ron Fellows, Johnny O'Connell",
        "Chevrolet Corvette C5-R",
        97,
    ),
    (
        "P9",
        "GTS",
        2,
        "4",
        "Corvette Racing",
        "Kelly Collins, Oliver Gavin",
        "Chevrolet Corvette C5-R",
        97,
    ),
    (
        "P10",
        "GTS",
        3,
        "80",
        "Prodrive",
        "David Brabham, Jan Magnussen",
        "Ferrari 550-GTS Maranello",
        96,
    ),
    (
        "P11",
        "LMP900",
        6,
        "30",
        "Intersport Racing",
        "Clint Field, Rick Sutherland",
        "Lola B2K/10B",
        94,
    ),
    ("P12", "GTS", 4, "88", "Prodrive", "Tomáš Enge, Peter Kox", "Ferrari 550-GTS Maranello", 94),
    (
        "P13",
        "GT",
        1,
        "23",
        "Alex Job Racing",
        "Lucas Luhr, Sascha Maassen",
        "Porsche 911 GT3-RS",
        93,
    ),
    (
        "P14",
        "GT",
        2,
        "24",
        "Alex Job Racing",
        "Jörg Bergmeister, Timo Bernhard",
        "Porsche 911 GT3-RS",
        93,
    ),
    (
        "P15",
        "GT",
        3,
        "35",
        "Risi Competizione",
        "Anthony Lazzaro, Ralf Kelleners",
        "Ferrari 360 Modena GTC",
        93,
    ),
    (
        "P16",
        "GT",
        4,
        "66",
        "The Racer's Group",
        "Kevin Buckler, Cort Wagner",
        "Porsche 911 GT3-RS",
        93,
    ),
    (
        "P17",
        "GT",
        5,
        "31",
        "Petersen Motorsport White Lightning Racing",
        "Craig Stanton, Johnny Mowlem",
        "Porsche 911 GT3-RS",
        92,
    ),
    ("P18", "LMP675", 3, "18", "Essex Racing", "David McEntee, Jason Workman", "Lola B2K/40", 92),
    ("P19", "GT", 6, "79", "J3 Racing", "David Murry, Justin Jackson", "Porsche 911 GT3-RS", 91),
    ("P20", "GT", 7, "43", "Orbit Racing", "Leo Hindery, Peter Baron", "Porsche 911 GT3-RS", 91),
    (
        "P21",
        "GT",
        8,
        "67",
        "The Racer's Group",
        "Michael Schrom, Pierre Ehret",
        "Porsche 911 GT3-RS",
        90,
    ),
    (
        "P22",
        "GTS",
        5,
        "0",
        "Team Olive Garden",
        "Emanuele Naspetti, Mimmo Schiattarella",
        "Ferrari 550 Maranello",
        90,
    ),
    (
        "P23",
        "GT",
        9,
        "42",
        "Orbit Racing",
        "Joe Policastro, Joe Policastro Jr.",
        "Porsche 911 GT3-RS",
        89,
    ),
    (
        "P24",
        "GT",
        10,
        "89",
        "Inline Cunningham Racing",
        "Oswaldo Negri Jr., Scott Bader",
        "Porsche 911 GT3-RS",
        87,
    ),
    (
        "P25",
        "GT",
        11,
        "28",
        "JMB Racing USA",
        "Stéphane Grégoire, Eliseo Salazar",
        "Ferrari 360 Modena GTC",
        87,
    ),
    ("P26", "GT", 12, "61", "P.K. Sport", "Keith Alexander, Vic Rice", "Porsche 911 GT3-R", 87),
    (
        "P27",
        "GT",
        13,
        "63",
        "ACEMCO Motorsports",
        "Terry Borcheller, Shane Lewis",
        "Ferrari 360 Modena GTC",
        87,
    ),
    (
        "P28",
        "GT",
        14,
        "68",
        "The Racer's Group",
        "Marc Bunting, Chris Gleason",
        "Porsche 911 GT3-RS",
        81,
    ),
    (
        "29 DNF",
        "GT",
        15,
        "60",
        "P.K. Sport",
        "Robin Liddell, Alex Davison",
        "Porsche 911 GT3-RS",
        72,
    ),
    (
        "30 DNF",
        "GTS",
        6,
        "71",
        "Carsport America",
        "Aaron Povoledo, Jean-Philippe Belloc",
        "Dodge Viper GTS-R",
        71,
    ),
    (
        "31 DNF",
        "LMP900",
        7,
        "12",
        "American Spirit Racing",
        "Michael Lewis, Tomy Drissi",
        "Riley & Scott Mk III C",
        45,
    ),
    (
        "32 DNF",
        "GT",
        16,
        "33",
        "ZIP Racing",
        "Andy Lally, Spencer Pumpelly",
        "Porsche 911 GT3-RS",
        44,
    ),
    (
        "33 DNF",
        "GT",
        17,
        "29",
        "JMB Racing USA",
        "Andrea Garbagnati, Ludovico Manfredi",
        "Ferrari 360 Modena GTC",
        31,
    ),
    (
        "34 DNF",
        "GT",
        18,
        "03",
        "Hyper Sport",
        "Joe Foster, Brad Nyberg, Rick Skelton",
        "Panoz Esperante GT-LM",
        28,
    ),
    (
        "35 DNF",
        "LMP675",
        4,
        "56",
        "Team Bucknum Racing",
        "Jeff Bucknum, Bryan Willman, Chris McMurry",
        "Pilbeam MP91",
        24,
    ),
    (
        "DNS",
        "LMP675",
        None,
        "37",
        "Intersport Racing",
        "Jon Field, Duncan Dayton",
        "MG-Lola EX257",
        None,
    ),
]
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
OUT = {"DNF": "out: DNF (did not finish)", "DNS": "out: DNS (did not start)"}


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The query service over a copy of the seed."""
    return QueryService(sonoma_library())


def _cars(answer: ClassificationAnswer) -> list[tuple[str, str]]:
    """Each car's two lines, from every page, markdown escapes and bold removed."""
    cards = answer_cards(answer)
    assert all(not card_problems(card) for card in cards)
    text = "\n".join(card.description.split("\n\n", 1)[1] for card in cards)
    lines = text.replace("\\", "").replace("**", "").splitlines()
    return list(zip(lines[::2], lines[1::2], strict=True))


def test_every_car_of_the_seed_row_by_row(service: QueryService) -> None:
    """All 36 cars in the document's order: place, class place, number, team, crew, car, laps,
    gaps and, for each car not classified, the status the document gives."""
    answer = service.ask("classification")
    assert isinstance(answer, ClassificationAnswer)
    assert answer.race.title == SONOMA
    cars = _cars(answer)
    assert len(cars) == len(ROWS) == 36
    leader_laps = 102
    previous: int | None = None
    for (first, second), row in zip(cars, ROWS, strict=True):
        place, klass, in_class, number, team, crew, chassis, laps = row
        if in_class is None:
            assert first == f"{place} · {klass} · #{number} {team}"
        else:
            nth = ORDINALS.get(in_class, f"{in_class}th")
            assert first == f"{place} · {nth} in {klass} · #{number} {team}"
        parts = second.split(" · ")
        assert parts[:3] == [crew, chassis, "no laps" if laps is None else f"{laps} laps"]
        status = place.split()[-1]
        if status in OUT:
            assert parts[-1] == OUT[status]
        else:
            assert not any(part.startswith("out:") for part in parts)
        if laps is not None and previous is not None:
            gaps = " · ".join(parts[3:])
            down = leader_laps - laps
            if down:
                assert f"{down} lap{'s' if down > 1 else ''} down on the leader" in gaps
                behind = previous - laps
                ahead = (
                    "same lap as the car ahead"
                    if behind == 0
                    else f"{behind} lap{'s' if behind > 1 else ''} behind the car ahead"
                )
                assert ahead in gaps
            else:
                assert gaps == "same lap as the leader"
        if laps is not None:
            previous = laps


def test_paged_for_phones(service: QueryService) -> None:
    """Ten cars a page: four pages, each numbered, each car's place and team on its first line."""
    answer = service.ask("classification")
    assert isinstance(answer, ClassificationAnswer)
    cards = answer_cards(answer)
    assert len(cards) == 4
    assert [card.footer.rsplit(" · ", 1)[-1] for card in cards] == [
        f"page {n}/4" for n in range(1, 5)
    ]
    assert cards[0].description.splitlines()[:2] == [
        "2003 Grand Prix of Sonoma · Sun 27 Jul 2003",
        "36 cars · 28 classified · 7 DNF · 1 DNS",
    ]


def test_one_class(service: QueryService) -> None:
    """class:GTS gives only GTS, in order, gaps measured within the class."""
    answer = service.ask("classification", race="Sonoma", **{"class": "gts"})
    assert isinstance(answer, ClassificationAnswer)
    assert answer.class_ == "GTS"
    cars = _cars(answer)
    assert [first.split(" · #")[1] for first, _ in cars] == [
        *("3 Corvette Racing", "4 Corvette Racing", "80 Prodrive", "88 Prodrive"),
        *("0 Team Olive Garden", "71 Carsport America"),
    ]
    assert cars[0][1].endswith("97 laps · leader")
    assert cars[1][1].endswith("97 laps · same lap as the leader")
    assert cars[5][1].endswith(
        "71 laps · 19 laps behind the car ahead · 26 laps down on the leader · "
        "out: DNF (did not finish)"
    )


def test_a_class_it_cannot_find_offers_classification_again(service: QueryService) -> None:
    """class:LMP is ambiguous: its choices ask /classification (not /class) again."""
    answer = service.ask("classification", **{"class": "LMP"})
    assert isinstance(answer, AmbiguousAnswer)
    assert {choice.command for choice in answer.choices} == {"classification"}
    miss = service.ask("classification", **{"class": "Dyson"})
    assert isinstance(miss, NotFoundAnswer)
    assert all(choice.command != "class" for choice in miss.choices)


def test_every_status_gives_its_reason() -> None:
    """NC and DSQ rows are listed with the reason the document gives, as DNF and DNS are."""
    text = variant(
        SONOMA,
        dt.date(2003, 7, 27),
        3,
        {
            "| 28 | GT | 68 |": "| 28 NC | GT | 68 |",
            "| 27 | GT | 63 |": "| 27 DSQ | GT | 63 |",
        },
    )
    answer = service_of(("sonoma.txt", text)).ask("classification", **{"class": "GT"})
    assert isinstance(answer, ClassificationAnswer)
    cars = {first.split(" · ")[0]: second for first, second in _cars(answer)}
    assert cars["28 NC"].endswith("out: NC (not classified: too far behind)")
    assert cars["27 DSQ"].endswith("out: DSQ (disqualified)")
    assert cars["29 DNF"].endswith("out: DNF (did not finish)")
    assert re.search(r"^P13", next(iter(cars)))
