"""The query service: every question, on the seed and on a library of three races."""

from __future__ import annotations

import re

import pytest

from bot.core.asking.answers import (
    AmbiguousAnswer,
    ClassAnswer,
    ClassWinnersAnswer,
    DriverAnswer,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    RaceAnswer,
    RacesAnswer,
    ResultsAnswer,
    StatsAnswer,
    Subject,
)
from bot.core.asking.query import (
    QueryService,
)
from bot.core.documents.model import Status
from tests.core.asking.three_races import (
    PETIT_2003,
    SONOMA_2003,
    SONOMA_2004,
    numbers,
)

# --- /result ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "matched", "cars"),
    [
        ("Dyson", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
        ("Dysen", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
        ("03", ("car #03",), ["03"]),
        ("3", ("car #3",), ["3"]),
        ("0", ("car #0",), ["0"]),
        ("#3", ("car #3",), ["3"]),
        ("No. 3", ("car #3",), ["3"]),
        ("#03", ("car #03",), ["03"]),
        (
            "Lola",
            ("chassis MG-Lola EX257", "chassis Lola B2K/10B", "chassis Lola B2K/40"),
            ["16", "20", "30", "18", "37"],
        ),
        ("Judd", ("engine Judd GV5 5.0L V10", "engine Judd GV4 4.0L V10"), ["27", "30"]),
        ("Audi", ("chassis Audi R8", "engine Audi 3.6L Turbo V8"), ["1", "38"]),
        ("Herbert", ("driver Johnny Herbert",), ["38"]),
        ("Herbert Johnny", ("driver Johnny Herbert",), ["38"]),
        ("johnny h", ("driver Johnny Herbert",), ["38"]),
        ("Leitzingr", ("driver Butch Leitzinger",), ["16"]),
        ("Corvete", ("team Corvette Racing", "chassis Chevrolet Corvette C5-R"), ["3", "4"]),
        ("Tomas Enge", ("driver Tomáš Enge",), ["88"]),
        ("Jorg Bergmeister", ("driver Jörg Bergmeister",), ["24"]),
        ("Racers Group", ("team The Racer's Group",), ["66", "67", "68"]),
        ("racer's group", ("team The Racer's Group",), ["66", "67", "68"]),
        ("PK Sport", ("team P.K. Sport",), ["61", "60"]),
        ("Jean Philippe Belloc", ("driver Jean-Philippe Belloc",), ["71"]),
        ("Porsche 911 GT3-R", ("chassis Porsche 911 GT3-R",), ["61"]),
        ("Joe Policastro", ("driver Joe Policastro",), ["42"]),
        ("Elan 5.0L", ("engine Lincoln (Élan) 5.0L V8", "engine Élan 5.0L V8"), ["12", "03"]),
        ("Intersport", ("team Intersport Racing",), ["30", "37"]),
        # Markdown, emoji, mentions and control characters are typed around real names.
        ("**Dyson**", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
        ("`Dyson`", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
        ("||Dyson||", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
        ("🏎️ Dyson 🏁", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
        ("Dy\x00son\x1b", ("team Dyson Racing", "driver Chris Dyson"), ["16", "20"]),
    ],
)
def test_result_matches(
    service: QueryService, query: str, matched: tuple[str, ...], cars: list[str]
) -> None:
    """What a query was taken to mean, and every car it matched in finishing order."""
    answer = service.result(query)
    assert isinstance(answer, ResultsAnswer)
    assert answer.matched == matched
    assert numbers(answer) == cars
    assert answer.race.title == SONOMA_2003


def test_result_keeps_what_was_typed(service: QueryService) -> None:
    """The answer quotes the query as typed (minus control characters), for rendering to escape."""
    assert service.result("**Dyson**").query == "**Dyson**"  # type: ignore[union-attr]
    assert service.result("Dy\x00son").query == "Dyson"  # type: ignore[union-attr]
    assert service.result("  Dyson   Racing ").query == "Dyson Racing"  # type: ignore[union-attr]


def test_result_car_carries_its_standing(service: QueryService) -> None:
    """Each car has its overall and class position, status, laps and laps down."""
    (herbert,) = service.result("Johnny Herbert").cars  # type: ignore[union-attr]
    assert (herbert.position, herbert.class_position, herbert.status) == (3, 2, Status.CLASSIFIED)
    assert (herbert.class_, herbert.number, herbert.team) == ("LMP900", "38", "ADT Champion Racing")
    assert herbert.drivers == ("Johnny Herbert", "JJ Lehto")
    assert (herbert.chassis, herbert.engine) == ("Audi R8", "Audi 3.6L Turbo V8")
    assert (herbert.laps, herbert.laps_behind_class_winner) == (102, 0)
    (dns,) = service.result("37").cars  # type: ignore[union-attr]
    assert (dns.position, dns.status, dns.laps) == (None, Status.DNS, None)


@pytest.mark.parametrize(
    ("query", "suggestions"),
    [
        ("Schumacher", ()),
        ("Hamilton", ()),
        ("Senna", ()),
        ("Vettel", ()),
        ("Alonso", ()),
        ("Dixon", ()),  # two slips in five letters is not close
        ("Herbertson", ("Johnny Herbert",)),
        ("Le", ("Butch Leitzinger", "JJ Lehto", "Benjamin Leuenberger")),
        ("Leitzinger Weaver", ("Butch Leitzinger", "James Weaver")),  # Werner is two slips off
        ("5", ("#56", "#1", "#3")),
        ("99", ("#79", "#89", "#29")),
        ("9", ("#1", "#3", "#4")),
        ("@everyone", ()),
        ("<@123456789>", ()),
        ("🏎️", ()),
        ("***", ()),
    ],
)
def test_result_not_found(service: QueryService, query: str, suggestions: tuple[str, ...]) -> None:
    """Names that are not there match nothing, with at most three close names to try."""
    answer = service.result(query)
    assert isinstance(answer, NotFoundAnswer)
    assert answer.subject is Subject.QUERY
    assert answer.query == query
    assert answer.suggestions == suggestions


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a team, driver, car number or chassis"),
        ("   \t ", "Type a team, driver, car number or chassis"),
        ("\x00\x01\x1f", "Type a team, driver, car number or chassis"),
        ("x" * 6000, "too long"),
        ("Dyson " * 17, "too long"),
    ],
)
def test_result_invalid(service: QueryService, query: str, message: str) -> None:
    """Empty and over-long queries are refused with a message saying why."""
    answer = service.result(query)
    assert isinstance(answer, InvalidAnswer)
    assert message in answer.message


def test_result_length_limit_is_100(service: QueryService) -> None:
    """100 characters are looked up; 101 are refused (runs of spaces count as one)."""
    at_limit = service.result("D" * 100)
    assert isinstance(at_limit, NotFoundAnswer)
    assert (at_limit.subject, at_limit.query, at_limit.suggestions) == (
        Subject.QUERY,
        "D" * 100,
        (),
    )
    assert service.result("D" * 101) == InvalidAnswer(
        message="That is too long to look up (101 characters): keep it to 100 characters or fewer."
    )
    spaced = service.result("Dyson" + " " * 200 + "Racing")
    assert isinstance(spaced, ResultsAnswer)
    assert (spaced.query, spaced.matched) == ("Dyson Racing", ("team Dyson Racing",))
    assert [car.number for car in spaced.cars] == ["16", "20"]


# --- /class -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("class_", "expected", "cars"),
    [
        ("gts", "GTS", ["3", "4", "80", "88", "0", "71"]),
        ("GTS", "GTS", ["3", "4", "80", "88", "0", "71"]),
        ("LMP 900", "LMP900", ["1", "38", "27", "10", "11", "30", "12"]),
        ("lmp675", "LMP675", ["16", "20", "18", "56", "37"]),
        ("LMP-675", "LMP675", ["16", "20", "18", "56", "37"]),
        ("lmp9", "LMP900", ["1", "38", "27", "10", "11", "30", "12"]),
        ("GT class", "GT", ["23", "24", "35", "66", "31", "79", "43", "67", "42", "89"]),
        ("GT", "GT", ["23", "24", "35", "66", "31", "79", "43", "67", "42", "89"]),
    ],
)
def test_class_order(service: QueryService, class_: str, expected: str, cars: list[str]) -> None:
    """A class's full order, winner first; "GT" is GT, never GTS."""
    answer = service.class_results(class_)
    assert isinstance(answer, ClassAnswer)
    assert answer.class_ == expected
    assert [e.number for e in answer.entries][: len(cars)] == cars
    assert {e.class_ for e in answer.entries} == {expected}
    assert answer.entries[0].is_class_winner


def test_gt_has_every_gt_car(service: QueryService) -> None:
    """GT lists all 18 GT cars, the DNFs last."""
    answer = service.class_results("GT")
    assert isinstance(answer, ClassAnswer)
    assert len(answer.entries) == 18
    assert [e.number for e in answer.entries][-3:] == ["33", "29", "03"]


@pytest.mark.parametrize("class_", [None, "", "   "])
def test_class_winners(service: QueryService, class_: str | None) -> None:
    """With no class, every class's winner in class order."""
    answer = service.class_results(class_)
    assert isinstance(answer, ClassWinnersAnswer)
    assert [(e.class_, e.number) for e in answer.winners] == [
        ("LMP675", "16"),
        ("LMP900", "1"),
        ("GTS", "3"),
        ("GT", "23"),
    ]


@pytest.mark.parametrize(
    ("class_", "options"), [("LMP", ("LMP675", "LMP900")), ("G", ("GTS", "GT"))]
)
def test_class_ambiguous(service: QueryService, class_: str, options: tuple[str, ...]) -> None:
    """A class prefix that fits several says so and lists them."""
    answer = service.class_results(class_)
    assert isinstance(answer, AmbiguousAnswer)
    assert (answer.subject, answer.options) == (Subject.CLASS, options)


@pytest.mark.parametrize(
    ("class_", "suggestions"),
    [
        ("GTX", ("GT", "GTS")),
        ("LMP600", ("LMP900", "LMP675")),
        ("Formula 1", ()),
        ("🏎️", ()),
    ],
)
def test_class_not_found(service: QueryService, class_: str, suggestions: tuple[str, ...]) -> None:
    """An unknown class is not guessed: the classes close to it are suggested, if any."""
    answer = service.class_results(class_)
    assert isinstance(answer, NotFoundAnswer)
    assert (answer.subject, answer.query, answer.suggestions) == (
        Subject.CLASS,
        class_,
        suggestions,
    )


# --- /driver ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "driver", "car"),
    [
        ("Herbert", "Johnny Herbert", "38"),
        ("johnny herbert", "Johnny Herbert", "38"),
        ("Leitzingr", "Butch Leitzinger", "16"),
        ("Tomas Enge", "Tomáš Enge", "88"),
        ("Enge", "Tomáš Enge", "88"),
        ("Jorg Bergmeister", "Jörg Bergmeister", "24"),
        ("Jean Philippe Belloc", "Jean-Philippe Belloc", "71"),
        ("Dyson", "Chris Dyson", "20"),  # drivers only: the team does not count
        ("Joe Policastro", "Joe Policastro", "42"),
        ("Policastro Jr", "Joe Policastro Jr.", "42"),
        ("O'Connell", "Johnny O'Connell", "3"),
        ("oconnell", "Johnny O'Connell", "3"),
    ],
)
def test_driver_found(service: QueryService, name: str, driver: str, car: str) -> None:
    """One driver, with the car they raced."""
    answer = service.driver(name)
    assert isinstance(answer, DriverAnswer)
    assert answer.driver == driver
    assert [(a.race.title, a.entry.number) for a in answer.appearances] == [(SONOMA_2003, car)]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("Field", ("Clint Field (#30 Intersport Racing)", "Jon Field (#37 Intersport Racing)")),
        (
            "Lewis",
            ("Shane Lewis (#63 ACEMCO Motorsports)", "Michael Lewis (#12 American Spirit Racing)"),
        ),
        (
            "Policastro",
            ("Joe Policastro (#42 Orbit Racing)", "Joe Policastro Jr. (#42 Orbit Racing)"),
        ),
        (
            "Joe",
            (
                "Joe Policastro (#42 Orbit Racing)",
                "Joe Policastro Jr. (#42 Orbit Racing)",
                "Joe Foster (#03 Hyper Sport)",
            ),
        ),
    ],
)
def test_driver_ambiguous(service: QueryService, name: str, options: tuple[str, ...]) -> None:
    """Equally good drivers are all listed, labelled with their car, never one picked."""
    answer = service.driver(name)
    assert isinstance(answer, AmbiguousAnswer)
    assert (answer.subject, answer.query, answer.options) == (Subject.DRIVER, name, options)


@pytest.mark.parametrize(
    ("name", "suggestions"),
    [
        ("Schumacher", ()),
        ("Hamilton", ()),
        ("Senna", ()),
        ("Fittipaldi", ()),
        ("Herbertson", ("Johnny Herbert",)),
        ("Jo", ("Johnny Herbert", "Johnny O'Connell", "Jörg Bergmeister")),
        ("Dyson Racing", ("Chris Dyson",)),  # not Jason Workman or Duncan Dayton, two slips off
        ("Michael Schumacher", ("Michael Schrom", "Michael Lewis")),
        ("@everyone", ()),
    ],
)
def test_driver_not_found(service: QueryService, name: str, suggestions: tuple[str, ...]) -> None:
    """Near misses find no driver; close names are only suggested."""
    answer = service.driver(name)
    assert isinstance(answer, NotFoundAnswer)
    assert (answer.subject, answer.query, answer.suggestions) == (
        Subject.DRIVER,
        name,
        suggestions,
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type a driver's name to look up, e.g. Johnny Herbert."),
        (" ", "Type a driver's name to look up, e.g. Johnny Herbert."),
        ("\x07", "Type a driver's name to look up, e.g. Johnny Herbert."),
        (
            "y" * 6000,
            "That is too long to look up (6000 characters): keep it to 100 characters or fewer.",
        ),
    ],
)
def test_driver_invalid(service: QueryService, name: str, message: str) -> None:
    """Empty and over-long driver names are refused, saying what to type instead."""
    assert service.driver(name) == InvalidAnswer(message=message)


# --- /car -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "car", "team"),
    [
        ("03", "03", "Hyper Sport"),
        ("3", "3", "Corvette Racing"),
        ("0", "0", "Team Olive Garden"),
        ("#3", "3", "Corvette Racing"),
        ("# 03", "03", "Hyper Sport"),
        ("car 16", "16", "Dyson Racing"),
        (" 37 ", "37", "Intersport Racing"),
    ],
)
def test_car_exact_number(service: QueryService, number: str, car: str, team: str) -> None:
    """Car numbers match exactly: "03" is the Hyper Sport Panoz, "3" the Corvette."""
    answer = service.car(number)
    assert isinstance(answer, ResultsAnswer)
    assert answer.matched == (f"car #{car}",)
    assert [(c.number, c.team) for c in answer.cars] == [(car, team)]


@pytest.mark.parametrize(
    ("number", "suggestions"),
    [("5", ("#56", "#1", "#3")), ("003", ("#03", "#3")), ("Dyson", ()), ("100", ("#10",))],
)
def test_car_not_found(service: QueryService, number: str, suggestions: tuple[str, ...]) -> None:
    """A number no car has finds nothing; look-alikes (#3 for 003) and near numbers are offered."""
    answer = service.car(number)
    assert isinstance(answer, NotFoundAnswer)
    assert (answer.subject, answer.suggestions) == (Subject.CAR, suggestions)


def test_car_invalid(service: QueryService) -> None:
    """An empty car number is refused."""
    answer = service.car("  ")
    assert isinstance(answer, InvalidAnswer)
    assert "car number" in answer.message


# --- /stats, /race, /races, /help -------------------------------------------------------------


def test_stats(service: QueryService) -> None:
    """Statistics and the counts of entries, starters, finishers, DNFs, DNSs and NCs."""
    answer = service.stats()
    assert isinstance(answer, StatsAnswer)
    assert (answer.entries, answer.starters, answer.classified) == (36, 35, 28)
    assert (answer.dnf, answer.dns, answer.nc) == (7, 1, 0)
    assert answer.statistics.pole is not None
    assert (answer.statistics.pole.number, answer.statistics.pole.time) == ("16", "1:23.085")
    assert answer.statistics.distance_km == 415.307


def test_race_overview(service: QueryService) -> None:
    """The race overview is the latest race by default."""
    answer = service.race()
    assert isinstance(answer, RaceAnswer)
    assert (answer.race.title, answer.race.circuit) == (SONOMA_2003, "Infineon Raceway")


def test_races(multi: QueryService) -> None:
    """Every loaded race, newest first."""
    answer = multi.races()
    assert isinstance(answer, RacesAnswer)
    assert [r.title for r in answer.races] == [SONOMA_2004, PETIT_2003, SONOMA_2003]


def test_help_lists_every_command(service: QueryService) -> None:
    """Help has every command with a usage, a description and an example of its own."""
    answer = service.help()
    assert isinstance(answer, HelpAnswer)
    names = [c.name for c in answer.commands]
    assert names == [
        *("result", "class", "classification", "driver", "car", "stats", "race", "chart"),
        *("races", "compare", "season", "ask", "help"),
    ]
    for command in answer.commands:
        assert command.usage.startswith(f"/{command.name}")
        assert command.example.startswith(f"/{command.name}")
        assert command.description


def test_help_usage_lines(service: QueryService) -> None:
    """Each usage line names the options, required ones bare and optional ones bracketed."""
    answer = service.help()
    assert isinstance(answer, HelpAnswer)
    assert [(c.usage, c.example) for c in answer.commands] == [
        (
            "/result query:<team, driver, car number, chassis or engine> [race:<race>]",
            "/result query:Dyson",
        ),
        ("/class [class:<class>] [race:<race>]", "/class class:GTS"),
        (
            "/classification [race:<race>] [class:<class>]",
            "/classification race:Sonoma class:GTS",
        ),
        ("/driver name:<driver> [race:<race>]", "/driver name:Johnny Herbert"),
        ("/car number:<number> [race:<race>]", "/car number:03"),
        ("/stats [race:<race>]", "/stats race:2003"),
        ("/race [race:<race>]", "/race race:Sonoma"),
        ("/chart [race:<race>]", "/chart race:Sonoma"),
        ("/races", "/races"),
        (
            "/compare first:<driver, car or team> second:<driver, car or team> [race:<race>]",
            "/compare first:Johnny Herbert second:Marco Werner",
        ),
        ("/season [series:<series>] [year:<year>]", "/season series:ALMS year:2003"),
        ("/ask question:<question>", "/ask question:who won GTS at Sonoma 2003"),
        ("/help", "/help"),
    ]


def test_help_examples_answer(service: QueryService) -> None:
    """Every example in the help is a question the seed answers (not a problem)."""
    for command in service.help().commands:  # type: ignore[union-attr]
        name, *rest = command.example.lstrip("/").split(" ", 1)
        pairs = re.split(r" (?=\w+:)", rest[0]) if rest else []
        options = dict(pair.split(":", 1) for pair in pairs)
        answer = service.ask(name, **options)
        assert answer.kind not in {"not_found", "ambiguous", "invalid"}, (command, answer)


# --- race selection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "title"),
    [
        (None, SONOMA_2004),
        ("", SONOMA_2004),
        ("2004", SONOMA_2004),
        ("sonoma 2003", SONOMA_2003),
        ("Sonoma 2004", SONOMA_2004),
        ("2003 Sonoma", SONOMA_2003),
        ("Sonmoa 2003", SONOMA_2003),
        (SONOMA_2003, SONOMA_2003),
        ("2003 grand prix of sonoma", SONOMA_2003),
        ("2003-grand-prix-of-sonoma.txt", SONOMA_2003),
        ("2003-10-18", PETIT_2003),
        ("Road Atlanta", PETIT_2003),
        ("Petit", PETIT_2003),
        ("georgia", PETIT_2003),
        ("infineon 2004", SONOMA_2004),
    ],
)
def test_race_selector(multi: QueryService, selector: str | None, title: str) -> None:
    """A race is chosen by title, year, circuit, place or file name; the latest by default."""
    answer = multi.race(selector)
    assert isinstance(answer, RaceAnswer)
    assert answer.race.title == title


@pytest.mark.parametrize(
    ("selector", "options"),
    [
        ("Sonoma", (SONOMA_2004, SONOMA_2003)),
        ("Infineon", (SONOMA_2004, SONOMA_2003)),
        ("2003", (PETIT_2003, SONOMA_2003)),
    ],
)
def test_race_selector_ambiguous(
    multi: QueryService, selector: str, options: tuple[str, ...]
) -> None:
    """Several equally good races are listed (newest first) with circuit and date."""
    answer = multi.stats(selector)
    assert isinstance(answer, AmbiguousAnswer)
    assert answer.subject is Subject.RACE
    assert [option.split(" (")[0] for option in answer.options] == list(options)
    assert answer.options[0].endswith(")")
    assert ", " in answer.options[0]


@pytest.mark.parametrize(
    ("selector", "suggestions"),
    [
        ("2005", ()),
        ("Sebring", ()),
        ("Daytona 2003", (PETIT_2003, SONOMA_2003)),
        ("Sonoma 2005", (SONOMA_2004, SONOMA_2003)),
    ],
)
def test_race_selector_not_found(
    multi: QueryService, selector: str, suggestions: tuple[str, ...]
) -> None:
    """An unknown race is not guessed: every question says so, with close races to try."""
    for answer in (
        multi.result("Dyson", selector),
        multi.class_results(None, selector),
        multi.driver("Herbert", selector),
        multi.car("3", selector),
        multi.stats(selector),
        multi.race(selector),
    ):
        assert isinstance(answer, NotFoundAnswer)
        assert (answer.subject, answer.query, answer.suggestions) == (
            Subject.RACE,
            selector,
            suggestions,
        )


def test_race_selector_too_long(multi: QueryService) -> None:
    """An over-long race selector is refused, not fuzzed."""
    refusal = InvalidAnswer(
        message="That is too long to look up (6000 characters): keep it to 100 characters or fewer."
    )
    assert multi.result("Dyson", "z" * 6000) == refusal
    assert multi.stats("z" * 6000) == refusal


# --- questions across several races -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "race", "driver", "appearances"),
    [
        (
            "Herbert",
            None,
            "Johnny Herbert",
            [(SONOMA_2004, "38"), (PETIT_2003, "38"), (SONOMA_2003, "38")],
        ),
        ("Leitzinger", None, "Butch Leitzinger", [(PETIT_2003, "16"), (SONOMA_2003, "16")]),
        ("Leitzinger", "sonoma", None, None),  # ambiguous race
        ("Leitzinger", "sonoma 2003", "Butch Leitzinger", [(SONOMA_2003, "16")]),
        ("Forbes-Robinson", None, "Elliott Forbes-Robinson", [(SONOMA_2004, "16")]),
        # The same driver written with and without accents is one driver, named as lately.
        (
            "Tomáš Enge",
            None,
            "Tomas Enge",
            [(SONOMA_2004, "88"), (PETIT_2003, "88"), (SONOMA_2003, "88")],
        ),
        ("tomas enge", "2004", "Tomas Enge", [(SONOMA_2004, "88")]),
    ],
)
def test_driver_across_races(
    multi: QueryService,
    name: str,
    race: str | None,
    driver: str | None,
    appearances: list[tuple[str, str]] | None,
) -> None:
    """Every car a driver raced across the loaded races, newest first; or in one race."""
    answer = multi.driver(name, race)
    if driver is None:
        assert isinstance(answer, AmbiguousAnswer)
        assert answer.subject is Subject.RACE
        return
    assert isinstance(answer, DriverAnswer)
    assert answer.driver == driver
    assert [(a.race.title, a.entry.number) for a in answer.appearances] == appearances


def test_option_labels_can_be_asked_back(multi: QueryService) -> None:
    """An option of an ambiguous answer, pasted back as the question, picks that option."""
    (clint, _) = multi.driver("Field").options  # type: ignore[union-attr]
    answer = multi.driver(clint)
    assert isinstance(answer, DriverAnswer)
    assert answer.driver == "Clint Field"
    (petit, _) = multi.race("2003").options  # type: ignore[union-attr]
    assert petit == "2003 Petit Le Mans (Road Atlanta, October 18, 2003)"
    assert multi.race(petit).race.title == PETIT_2003  # type: ignore[union-attr]
    assert isinstance(multi.driver("Nobody (#30 Intersport Racing)"), NotFoundAnswer)


def test_driver_not_in_the_chosen_race(multi: QueryService) -> None:
    """A driver who did not race the chosen race is not found there."""
    answer = multi.driver("Leitzinger", "2004")
    assert isinstance(answer, NotFoundAnswer)
    assert answer.subject is Subject.DRIVER


def test_driver_ambiguous_across_races_counts_races(multi: QueryService) -> None:
    """Across races, each option says how many races the driver ran."""
    answer = multi.driver("Field")
    assert isinstance(answer, AmbiguousAnswer)
    assert answer.options == (
        "Clint Field (#30 Intersport Racing; 3 races)",
        "Jon Field (#37 Intersport Racing; 3 races)",
    )
    in_one = multi.driver("Field", "petit")
    assert in_one.options == (  # type: ignore[union-attr]
        "Clint Field (#30 Intersport Racing)",
        "Jon Field (#37 Intersport Racing)",
    )


def test_result_uses_the_chosen_race(multi: QueryService) -> None:
    """Results come from the latest race unless another is chosen."""
    assert isinstance(multi.result("Leitzinger"), NotFoundAnswer)  # not in 2004
    answer = multi.result("Leitzinger", "sonoma 2003")
    assert isinstance(answer, ResultsAnswer)
    assert (answer.race.title, numbers(answer)) == (SONOMA_2003, ["16"])
    assert numbers(multi.result("Forbes")) == ["16"]
    assert multi.result("Forbes").race.title == SONOMA_2004  # type: ignore[union-attr]
    assert isinstance(multi.result("Forbes", "2003 Sonoma"), NotFoundAnswer)


def test_class_and_car_in_the_chosen_race(multi: QueryService) -> None:
    """/class and /car follow the race selector."""
    winners = multi.class_results(None, "petit")
    assert isinstance(winners, ClassWinnersAnswer)
    assert winners.race.title == PETIT_2003
    car = multi.car("03", "2003 sonoma")
    assert isinstance(car, ResultsAnswer)
    assert (car.race.title, numbers(car)) == (SONOMA_2003, ["03"])


# --- ask --------------------------------------------------------------------------------------


def test_ask_dispatches(service: QueryService) -> None:
    """`ask` answers each command by name with its options by name."""
    assert service.ask("result", query="Dyson") == service.result("Dyson")
    assert service.ask("/Result", query="3", race=None) == service.result("3")
    assert service.ask("class", **{"class": "gt"}) == service.class_results("gt")
    assert service.ask("class", class_="gt") == service.class_results("gt")
    assert service.ask("class") == service.class_results()
    assert service.ask("driver", name="Herbert") == service.driver("Herbert")
    assert service.ask("car", number="03") == service.car("03")
    assert service.ask("stats") == service.stats()
    assert service.ask("race", race="2003") == service.race("2003")
    assert service.ask("races") == service.races()
    assert service.ask("help") == service.help()


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        ("bogus", {}, "Unknown command 'bogus'"),
        ("", {}, "Unknown command"),
        ("x" * 500, {}, "Unknown command"),
        ("result", {"colour": "red"}, "/result has no option 'colour'"),
        ("races", {"race": "2003"}, "/races has no option 'race'; it takes no options"),
    ],
)
def test_ask_refuses(
    service: QueryService, command: str, options: dict[str, str], message: str
) -> None:
    """Unknown commands and options are refused, saying which."""
    answer = service.ask(command, **options)
    assert isinstance(answer, InvalidAnswer)
    assert message in answer.message
    assert len(answer.message) < 200


def test_ask_without_the_needed_option(service: QueryService) -> None:
    """A question without its text asks for it."""
    answer = service.ask("result")
    assert isinstance(answer, InvalidAnswer)
    assert answer.message.startswith("Type a team")
