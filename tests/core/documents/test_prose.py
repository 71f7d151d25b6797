"""Prose facts read from real race-article openings, field by field."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from bot.core.documents.prose import read_prose
from tests.paths import SEED as FIXTURE_SEED

SEED_TEXT = FIXTURE_SEED.read_text(encoding="utf-8")


class Case(NamedTuple):
    """An opening paragraph and the facts a careful reader takes from it."""

    title: str
    prose: str
    series: str | None
    round: int | None
    date: dt.date | None
    circuit: str | None
    location: str | None


# Openings of Wikipedia articles about single races, verbatim but for trimming to the first
# paragraph (or the sentences that carry the facts), with the facts read by hand.
REAL = [
    # en.wikipedia.org/wiki/2003_Grand_Prix_of_Sonoma
    Case(
        "2003 Grand Prix of Sonoma",
        (
            "The 2003 Infineon Grand Prix of Sonoma was the third race of the 2003 "
            "American Le Mans Series season. It took place at Infineon Raceway, "
            "California on July 27, 2003."
        ),
        "American Le Mans Series",
        3,
        dt.date(2003, 7, 27),
        "Infineon Raceway",
        "California",
    ),
    # en.wikipedia.org/wiki/1999_Grand_Prix_of_Sonoma
    Case(
        "1999 Grand Prix of Sonoma",
        (
            "The 1999 Grand Prix of Sonoma was the fourth round of the 1999 American Le "
            "Mans Series season. It took place at Sears Point Raceway, California, on "
            "July 25, 1999."
        ),
        "American Le Mans Series",
        4,
        dt.date(1999, 7, 25),
        "Sears Point Raceway",
        "California",
    ),
    # en.wikipedia.org/wiki/2000_Grand_Prix_of_Sonoma
    Case(
        "2000 Grand Prix of Sonoma",
        (
            "The 2000 Grand Prix of Sonoma was the fifth round of the 2000 American Le "
            "Mans Series season. It took place at the 4.032 km version of Sonoma Raceway, "
            "California, on July 23, 2000."
        ),
        "American Le Mans Series",
        5,
        dt.date(2000, 7, 23),
        "Sonoma Raceway",
        "California",
    ),
    # en.wikipedia.org/wiki/2005_Portland_Grand_Prix
    Case(
        "2005 Portland Grand Prix",
        (
            "The 2005 Portland Grand Prix was the sixth race for the 2005 American Le "
            "Mans Series season held at Portland International Raceway. It took place on "
            "July 30, 2005."
        ),
        "American Le Mans Series",
        6,
        dt.date(2005, 7, 30),
        "Portland International Raceway",
        None,
    ),
    # en.wikipedia.org/wiki/2006_Portland_Grand_Prix
    Case(
        "2006 Portland Grand Prix",
        (
            "The 2006 Portland Grand Prix was the sixth race for the 2006 American Le "
            "Mans Series season at Portland International Raceway. It took place on July "
            "22, 2006."
        ),
        "American Le Mans Series",
        6,
        dt.date(2006, 7, 22),
        "Portland International Raceway",
        None,
    ),
    # en.wikipedia.org/wiki/2004_Portland_Grand_Prix
    Case(
        "2004 Portland Grand Prix",
        (
            "The 2004 Portland Grand Prix was the fifth race for the 2004 American Le "
            "Mans Series season held at Portland International Raceway. It took place on "
            "July 25, 2004."
        ),
        "American Le Mans Series",
        5,
        dt.date(2004, 7, 25),
        "Portland International Raceway",
        None,
    ),
    # en.wikipedia.org/wiki/2001_Grand_Prix_of_Portland
    Case(
        "2001 Grand Prix of Portland",
        (
            "The 2001 Grand Prix of Portland was the sixth round of the 2001 American Le "
            "Mans Series season. It took place at Portland International Raceway, Oregon, "
            "on August 5, 2001."
        ),
        "American Le Mans Series",
        6,
        dt.date(2001, 8, 5),
        "Portland International Raceway",
        "Oregon",
    ),
    # en.wikipedia.org/wiki/2006_Lone_Star_Grand_Prix
    Case(
        "2006 Lone Star Grand Prix",
        (
            "The 2006 Lone Star Grand Prix was the second race for the 2006 American Le "
            "Mans Series season at a temporary street course built around Reliant Park, "
            "Houston. It took place on May 12, 2006."
        ),
        "American Le Mans Series",
        2,
        dt.date(2006, 5, 12),
        "Reliant Park",
        "Houston",
    ),
    # en.wikipedia.org/wiki/2015_Lone_Star_Le_Mans
    Case(
        "2015 Lone Star Le Mans",
        (
            "The 2015 Lone Star Le Mans was a sports car race sanctioned by the "
            "International Motor Sports Association (IMSA). The race was held at Circuit "
            "of the Americas in Austin, Texas, on September 19, 2015. The race was the "
            "eleventh round of the 2015 United SportsCar Championship."
        ),
        "United SportsCar Championship",
        11,
        dt.date(2015, 9, 19),
        "Circuit of the Americas",
        "Austin, Texas",
    ),
    # en.wikipedia.org/wiki/2016_Lone_Star_Le_Mans
    Case(
        "2016 Lone Star Le Mans",
        (
            "The 2016 Lone Star Le Mans was a sports car race sanctioned by the "
            "International Motor Sports Association (IMSA). The race was held at Circuit "
            "of the Americas in Austin, Texas on September 17, 2016. The race was the "
            "eleventh round of the 2016 IMSA SportsCar Championship."
        ),
        "IMSA SportsCar Championship",
        11,
        dt.date(2016, 9, 17),
        "Circuit of the Americas",
        "Austin, Texas",
    ),
    # en.wikipedia.org/wiki/2003_Grand_Prix_de_Trois-Rivières
    Case(
        "2003 Grand Prix de Trois-Rivières",
        (
            "The 2003 Grand Prix de Trois-Rivières was the fourth race of the 2003 "
            "American Le Mans Series season. It took place at Circuit Trois-Rivières in "
            "Trois-Rivières, Quebec on August 3, 2003."
        ),
        "American Le Mans Series",
        4,
        dt.date(2003, 8, 3),
        "Circuit Trois-Rivières",
        "Trois-Rivières, Quebec",
    ),
    # en.wikipedia.org/wiki/2003_Grand_Prix_of_Mosport
    Case(
        "2003 Grand Prix of Mosport",
        (
            "The 2003 Toronto Grand Prix of Mosport was the fifth race of the 2003 "
            "American Le Mans Series season. It took place at Mosport International "
            "Raceway, Ontario on August 17, 2003."
        ),
        "American Le Mans Series",
        5,
        dt.date(2003, 8, 17),
        "Mosport International Raceway",
        "Ontario",
    ),
    # en.wikipedia.org/wiki/2010_Petit_Le_Mans
    Case(
        "2010 Petit Le Mans",
        (
            "The 13th Annual Petit Le Mans powered by Mazda2 was the 13th running of the "
            "Petit Le Mans and the final round of the 2010 American Le Mans Series "
            "season. The event also served as the second and penultimate round of the "
            "2010 Intercontinental Le Mans Cup. It took place at Road Atlanta, Georgia on "
            "October 2, 2010."
        ),
        "American Le Mans Series",
        None,
        dt.date(2010, 10, 2),
        "Road Atlanta",
        "Georgia",
    ),
    # en.wikipedia.org/wiki/2003_12_Hours_of_Sebring
    Case(
        "2003 12 Hours of Sebring",
        (
            "The 2003 12 Hours of Sebring was the 51st running of this event, and took "
            "place on March 15, 2003. This was also the opening race of the 2003 American "
            "Le Mans Series season."
        ),
        "American Le Mans Series",
        1,
        dt.date(2003, 3, 15),
        None,
        None,
    ),
    # en.wikipedia.org/wiki/2012_12_Hours_of_Sebring
    Case(
        "2012 12 Hours of Sebring",
        (
            "The 60th Annual Mobil 1 Twelve Hours of Sebring was a 12-hour automobile "
            "endurance race for teams of three drivers each fielding sports prototype and "
            "grand touring cars held on March 17, 2012, at the Sebring International "
            "Raceway in Sebring, Florida before more than 90,000 spectators. It was the "
            "60th 12 Hours of Sebring and the first round of both the 2012 FIA World "
            "Endurance Championship (WEC) and the 2012 American Le Mans Series (ALMS)."
        ),
        "FIA World Endurance Championship",
        1,
        dt.date(2012, 3, 17),
        "Sebring International Raceway",
        "Sebring, Florida",
    ),
    # en.wikipedia.org/wiki/2013_12_Hours_of_Sebring
    Case(
        "2013 12 Hours of Sebring",
        (
            "The 61st Mobil 1 12 Hours of Sebring was an endurance sports car race held "
            "on March 16, 2013, at the Sebring International Raceway in Florida, United "
            "States."
        ),
        None,
        None,
        dt.date(2013, 3, 16),
        "Sebring International Raceway",
        "Florida, United States",
    ),
    # en.wikipedia.org/wiki/2008_British_Grand_Prix
    Case(
        "2008 British Grand Prix",
        (
            "The 2008 British Grand Prix (officially the 2008 Formula 1 Santander British "
            "Grand Prix) was a Formula One motor race held on 6 July 2008 at the "
            "Silverstone Circuit, Silverstone, England. It was the ninth race of the 2008 "
            "Formula One World Championship."
        ),
        "Formula One World Championship",
        9,
        dt.date(2008, 7, 6),
        "Silverstone Circuit",
        "Silverstone, England",
    ),
    # en.wikipedia.org/wiki/2005_Monaco_Grand_Prix
    Case(
        "2005 Monaco Grand Prix",
        (
            "The 2005 Monaco Grand Prix (formally the Formula 1 Grand Prix de Monaco "
            "2005) was a Formula One motor race held on 22 May 2005 at the Circuit de "
            "Monaco in Monte Carlo, Monaco. It was the sixth race of the 2005 Formula One "
            "World Championship, and the 63rd running of the Monaco Grand Prix."
        ),
        "Formula One World Championship",
        6,
        dt.date(2005, 5, 22),
        "Circuit de Monaco",
        "Monte Carlo, Monaco",
    ),
    # en.wikipedia.org/wiki/2005_Monaco_GP2_Series_round
    Case(
        "2005 Monaco GP2 Series round",
        (
            "The 2005 Monaco GP2 round was a GP2 Series motor race held on 21 May 2005 at "
            "the Circuit de Monaco in Monte Carlo, Monaco. It was the third race of the "
            "2005 GP2 Series season. The race was used to support the 2005 Monaco Grand "
            "Prix."
        ),
        "GP2 Series",
        3,
        dt.date(2005, 5, 21),
        "Circuit de Monaco",
        "Monte Carlo, Monaco",
    ),
    # en.wikipedia.org/wiki/2005_Monaco_Grand_Prix_Formula_Three
    Case(
        "2005 Monaco Grand Prix Formula Three",
        (
            "The 2005 Monaco Grand Prix Formula Three was a Formula 3 Euro Series motor "
            "race held on 20 and 21 May 2005 at the Circuit de Monaco in Monte Carlo, "
            "Monaco. It was the fourth race of the 2005 Formula 3 Euro Series."
        ),
        "Formula 3 Euro Series",
        4,
        dt.date(2005, 5, 21),
        "Circuit de Monaco",
        "Monte Carlo, Monaco",
    ),
    # en.wikipedia.org/wiki/1994_San_Marino_Grand_Prix
    Case(
        "1994 San Marino Grand Prix",
        (
            "The 1994 San Marino Grand Prix (formally the 14º Gran Premio di San Marino) "
            "was a Formula One motor race held on 1 May 1994 at the Autodromo Enzo e Dino "
            "Ferrari, located in Imola, Italy. It was the third race of the 1994 Formula "
            "One World Championship."
        ),
        "Formula One World Championship",
        3,
        dt.date(1994, 5, 1),
        "Autodromo Enzo e Dino Ferrari",
        "Imola, Italy",
    ),
    # en.wikipedia.org/wiki/1994_San_Marino_Grand_Prix (text as mirrored on pinocchiopedia.com)
    Case(
        "1994 San Marino Grand Prix",
        (
            "The 1994 San Marino Grand Prix was a Formula One motor race held on May 1, "
            "1994 at the Autodromo Enzo e Dino Ferrari in Imola, Italy. It was the third "
            "race of the 1994 Formula One season, and the first race of the season to be "
            "held in Europe."
        ),
        "Formula One",
        3,
        dt.date(1994, 5, 1),
        "Autodromo Enzo e Dino Ferrari",
        "Imola, Italy",
    ),
    # en.wikipedia.org/wiki/2021_Abu_Dhabi_Grand_Prix
    Case(
        "2021 Abu Dhabi Grand Prix",
        (
            "The 2021 Abu Dhabi Grand Prix (officially known as the Formula 1 Etihad "
            "Airways Abu Dhabi Grand Prix 2021) was a Formula One motor race held on 12 "
            "December 2021 at the Yas Marina Circuit in Abu Dhabi, United Arab Emirates. "
            "Contested over a distance of 58 laps, the race was the twenty-second and "
            "final round of the 2021 Formula One World Championship."
        ),
        "Formula One World Championship",
        22,
        dt.date(2021, 12, 12),
        "Yas Marina Circuit",
        "Abu Dhabi, United Arab Emirates",
    ),
    # en.wikipedia.org/wiki/2004_Indianapolis_500
    Case(
        "2004 Indianapolis 500",
        (
            "The 88th Indianapolis 500 was held at the Indianapolis Motor Speedway in "
            "Speedway, Indiana on Sunday, May 30, 2004. It was part of the 2004 IndyCar "
            "Series season and the ninth Indy 500 sanctioned by the Indy Racing League."
        ),
        "IndyCar Series",
        None,
        dt.date(2004, 5, 30),
        "Indianapolis Motor Speedway",
        "Speedway, Indiana",
    ),
    # en.wikipedia.org/wiki/2017_Coca-Cola_600
    Case(
        "2017 Coca-Cola 600",
        (
            "The 2017 Coca-Cola 600, the 58th running of the event, was a Monster Energy "
            "NASCAR Cup Series race held on May 28 and 29th, 2017 at Charlotte Motor "
            "Speedway in Concord, North Carolina. Contested over 400 laps on the 1.5 mile "
            "(2.42 km) asphalt speedway, it was the 12th race of the 2017 Monster Energy "
            "NASCAR Cup Series season."
        ),
        "Monster Energy NASCAR Cup Series",
        12,
        dt.date(2017, 5, 29),
        "Charlotte Motor Speedway",
        "Concord, North Carolina",
    ),
    # en.wikipedia.org/wiki/2020_Coca-Cola_600 (text as mirrored on profilbaru.com)
    Case(
        "2020 Coca-Cola 600",
        (
            "The seventh race of the 2020 NASCAR Cup Series season, the Coca-Cola 600 was "
            "scheduled to be held over 400 laps of the 1.5-mile (2.4-kilometre) asphalt "
            "speedway"
        ),
        "NASCAR Cup Series",
        7,
        None,
        None,
        None,
    ),
    # en.wikipedia.org/wiki/2020_6_Hours_of_Spa-Francorchamps
    Case(
        "2020 6 Hours of Spa-Francorchamps",
        (
            "The 2020 Total 6 Hours of Spa-Francorchamps was an endurance sports car "
            "racing event held at the Circuit de Spa-Francorchamps, Stavelot, Belgium on "
            "13–14 August 2020. The event was originally scheduled to be held on 25 "
            "April, but was postponed on 16 March due to the COVID-19 pandemic. "
            "Spa-Francorchamps served as the sixth race of the 2019–20 FIA World "
            "Endurance Championship, and was the ninth running of the event as part of "
            "the championship."
        ),
        "FIA World Endurance Championship",
        6,
        dt.date(2020, 8, 14),
        "Circuit de Spa-Francorchamps",
        "Stavelot, Belgium",
    ),
    # en.wikipedia.org/wiki/2016_6_Hours_of_Spa-Francorchamps
    Case(
        "2016 6 Hours of Spa-Francorchamps",
        (
            "The 2016 WEC 6 Hours of Spa-Francorchamps, formally the WEC 6 Heures de "
            "Spa-Francorchamps, was a six-hour endurance sports car racing event held for "
            "Le Mans Prototype and Le Mans Grand Touring Endurance cars at the Circuit de "
            "Spa-Francorchamps, Stavelot, Belgium on 5–7 May 2016. Spa-Francorchamps "
            "served as the second race of the 2016 FIA World Endurance Championship, and "
            "was the fifth running of the event as part of the championship."
        ),
        "FIA World Endurance Championship",
        2,
        dt.date(2016, 5, 7),
        "Circuit de Spa-Francorchamps",
        "Stavelot, Belgium",
    ),
    # en.wikipedia.org/wiki/2015_6_Hours_of_Spa-Francorchamps
    Case(
        "2015 6 Hours of Spa-Francorchamps",
        (
            "The 2015 6 Hours of Spa-Francorchamps, formally the WEC 6 Heures de "
            "Spa-Francorchamps, was a six-hour endurance sports car racing event held for "
            "Le Mans Prototype and Le Mans Grand Touring Endurance cars on 2 May at the "
            "Circuit de Spa-Francorchamps in Stavelot, Belgium. Spa-Francorchamps hosted "
            "the second race of the 2015 FIA World Endurance Championship with 54,000 "
            "people attending the race weekend."
        ),
        "FIA World Endurance Championship",
        2,
        dt.date(2015, 5, 2),
        "Circuit de Spa-Francorchamps",
        "Stavelot, Belgium",
    ),
    # en.wikipedia.org/wiki/2019_6_Hours_of_Spa-Francorchamps
    Case(
        "2019 6 Hours of Spa-Francorchamps",
        (
            "The 2019 Total 6 Hours of Spa-Francorchamps was an endurance sports car "
            "racing event held at the Circuit de Spa-Francorchamps, Stavelot, Belgium on "
            "2–4 May 2019. Spa-Francorchamps served as the seventh race of the 2018–19 "
            "FIA World Endurance Championship, and was the eighth running of the event as "
            "part of the championship."
        ),
        "FIA World Endurance Championship",
        7,
        dt.date(2019, 5, 4),
        "Circuit de Spa-Francorchamps",
        "Stavelot, Belgium",
    ),
    # en.wikipedia.org/wiki/2016_4_Hours_of_Silverstone
    Case(
        "2016 4 Hours of Silverstone",
        (
            "The 2016 4 Hours of Silverstone was an endurance motor race held at "
            "Silverstone Circuit in Silverstone, United Kingdom on 15–16 April 2016. It "
            "was the first round of the 2016 European Le Mans Series."
        ),
        "European Le Mans Series",
        1,
        dt.date(2016, 4, 16),
        "Silverstone Circuit",
        "Silverstone, United Kingdom",
    ),
    # en.wikipedia.org/wiki/2025_4_Hours_of_Silverstone
    Case(
        "2025 4 Hours of Silverstone",
        (
            "The 2025 4 Hours of Silverstone (formally known as the 2025 Goodyear 4 Hours "
            "of Silverstone) is an endurance sportscar racing event held between 12 and "
            "14 September 2025 at Silverstone Circuit in Silverstone, Northamptonshire, "
            "England. It was the fifth of six rounds of the 2025 European Le Mans Series "
            "season, and the first running of the event since 2019 as part of the "
            "championship."
        ),
        "European Le Mans Series",
        5,
        dt.date(2025, 9, 14),
        "Silverstone Circuit",
        "Silverstone, Northamptonshire, England",
    ),
    # en.wikipedia.org/wiki/2014_4_Hours_of_Silverstone
    Case(
        "2014 4 Hours of Silverstone",
        (
            "The 2014 4 Hours of Silverstone was an endurance motor race held at the "
            "Silverstone Circuit near Silverstone, England on 18–19 April 2014, and "
            "served as the opening round of the 2014 European Le Mans Series, and the "
            "first race under the series' new four-hour format. The event shared the "
            "weekend at Silverstone with the FIA World Endurance Championship's six-hour "
            "event."
        ),
        "European Le Mans Series",
        1,
        dt.date(2014, 4, 19),
        "Silverstone Circuit",
        "Silverstone, England",
    ),
    # en.wikipedia.org/wiki/2019_4_Hours_of_Silverstone
    Case(
        "2019 4 Hours of Silverstone",
        (
            "The 2019 4 Hours of Silverstone, officially known as the 2019 WEC 4 Hours of "
            "Silverstone, was an endurance sportscar racing event held on 1 September "
            "2019, as the opening round of the 2019-20 FIA World Endurance Championship. "
            "This was the inaugural running of the race, in a 4 hours format, having "
            "previously been run as the 6 Hours of Silverstone."
        ),
        "FIA World Endurance Championship",
        1,
        dt.date(2019, 9, 1),
        None,
        None,
    ),
    # en.wikipedia.org/wiki/2004_Toyota_Grand_Prix_of_Long_Beach
    Case(
        "2004 Toyota Grand Prix of Long Beach",
        (
            "The 2004 Toyota Grand Prix of Long Beach was the first round of the 2004 "
            "Bridgestone Presents the Champ Car World Series Powered by Ford season, held "
            "on April 18, 2004 on the streets of Long Beach, California."
        ),
        "Champ Car World Series",
        1,
        dt.date(2004, 4, 18),
        None,
        "Long Beach, California",
    ),
    # en.wikipedia.org/wiki/2003_Toyota_Grand_Prix_of_Long_Beach
    Case(
        "2003 Toyota Grand Prix of Long Beach",
        (
            "The 2003 Toyota Grand Prix of Long Beach was the third round of the 2003 "
            "CART World Series season, held on April 13, 2003 on the streets of Long "
            "Beach, California. This race was a new low in TV ratings for the series."
        ),
        "CART World Series",
        3,
        dt.date(2003, 4, 13),
        None,
        "Long Beach, California",
    ),
    # en.wikipedia.org/wiki/2002_Grand_Prix_de_Trois-Rivières: "on a … circuit known as C in P"
    Case(
        "2002 Grand Prix de Trois-Rivières",
        (
            "The 2002 Grand Prix de Trois-Rivières was the sixth round of the 2002 American "
            "Le Mans Series season. It took place on a temporary street circuit known as "
            "Circuit Trois-Rivières in Quebec, on August 3, 2002."
        ),
        "American Le Mans Series",
        6,
        dt.date(2002, 8, 3),
        "Circuit Trois-Rivières",
        "Quebec",
    ),
]


@pytest.mark.parametrize("case", REAL, ids=[f"{n:02d} {c.title}" for n, c in enumerate(REAL)])
def test_real_openings(case: Case) -> None:
    """Each real opening yields the series, round, date, circuit and location read by hand."""
    facts = read_prose(case.title, case.prose)
    assert facts.series == case.series
    assert facts.round == case.round
    assert facts.date == case.date
    assert facts.circuit == case.circuit
    assert facts.location == case.location


def test_enough_real_openings_of_every_kind() -> None:
    """The table holds dozens of real openings across sports-car and single-seater series."""
    assert len(REAL) >= 36
    series = {case.series for case in REAL}
    for name in ("American Le Mans Series", "Formula One World Championship", "IndyCar Series"):
        assert name in series
    assert {"FIA World Endurance Championship", "European Le Mans Series"} <= series
