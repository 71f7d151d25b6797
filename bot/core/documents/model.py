"""The race model: what a race-result document says, typed and validated."""

from __future__ import annotations

import datetime as dt
import operator
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from itertools import repeat
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field

from bot.core.documents.prose import title_year

CLASSIFIED_SHARE: Final = 0.75
"""Share of the winner's distance a car must cover to be classified."""


class Status(StrEnum):
    """How a car's race ended."""

    CLASSIFIED = "classified"
    DNF = "dnf"
    DNS = "dns"
    NC = "nc"
    DSQ = "dsq"
    """Disqualified: in the table (often with a position), but not classified."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Entry(_Frozen):
    """One car in the official results, with standings derived from the whole race."""

    position: int | None = Field(ge=1)
    status: Status
    class_: str = Field(alias="class", min_length=1)
    number: str = Field(min_length=1)
    team: str
    drivers: tuple[str, ...]
    chassis: str | None
    engine: str | None
    tyre: str | None
    laps: int | None = Field(ge=0)
    # Derived from the other entries of the race (see rank_entries).
    class_position: int | None = None
    laps_behind_leader: int | None = None
    laps_behind_class_winner: int | None = None
    reached_classified_distance: bool = False
    line: int = Field(ge=1, description="1-based line of the document the entry starts on")

    @property
    def is_class_winner(self) -> bool:
        """Whether this car won its class: first of its class, and classified."""
        return self.class_position == 1 and self.status is Status.CLASSIFIED


ENTRY_FIELD_SET: Final = set(Entry.model_fields)
"""Every field of an entry: the fields set of each entry made directly (shared)."""


def rank_entries(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """New entries with class position, laps behind and classified-distance flag derived."""
    ordered = tuple(entries)
    standings = _standings([(e.position, e.status, e.class_, e.laps) for e in ordered])
    return tuple(
        _updated(entry, dict(zip(_DERIVED, standing, strict=True)))
        for entry, standing in zip(ordered, standings, strict=True)
    )


def ranked_entries(fields: Sequence[Mapping[str, Any]]) -> tuple[Entry, ...]:
    """`rank_entries` of `Entry.model_validate` of each fields, for fields that validation
    keeps as they are (the caller checks it): each entry is made once, neither validated nor
    copied (they were a fifth of every parse)."""
    standings = _standings(list(map(_car, fields)))
    values = list(map(_entry_values, fields, standings))
    return tuple(constructed_all(Entry, values, ENTRY_FIELD_SET))


_Car = tuple[int | None, Status, str, int | None]
_car: Final[Callable[[Mapping[str, Any]], _Car]] = operator.itemgetter(
    "position", "status", "class_", "laps"
)
_Standing = tuple[int | None, int | None, int | None, bool]
# The fields of `_Standing`, in its order.
_DERIVED: Final = (
    "class_position",
    "laps_behind_leader",
    "laps_behind_class_winner",
    "reached_classified_distance",
)


def _standings(cars: list[_Car]) -> list[_Standing]:
    """Each car's derived fields, from its position, status, class and laps."""
    # Entries come in finishing order (the parser checks it), so counting gives the rank.
    ranks: dict[str, int] = {}
    leaders: dict[str, int | None] = {}
    class_positions: list[int | None] = []
    for position, status, class_, laps in cars:
        rank = None
        if position is not None:
            rank = ranks[class_] = ranks.get(class_, 0) + 1
            # A class is won by a classified car: one that retired first wins nothing.
            if rank == 1 and status is Status.CLASSIFIED:
                leaders[class_] = laps
        class_positions.append(rank)
    overall = next((laps for position, _, _, laps in cars if position is not None), None)
    standings = []
    for (_, _, class_, laps), class_position in zip(cars, class_positions, strict=True):
        behind_leader = behind_winner = None
        reached = False
        class_leader = leaders.get(class_)
        if laps is not None and overall is not None:
            behind_leader = overall - laps
            reached = laps >= CLASSIFIED_SHARE * overall
        if laps is not None and class_leader is not None:
            behind_winner = class_leader - laps
        standings.append((class_position, behind_leader, behind_winner, reached))
    return standings


def _updated(entry: Entry, update: dict[str, object]) -> Entry:
    """`entry.model_copy(update=update)` for values already checked (derived here), at a third
    of its cost: it was a tenth of every parse."""
    fields_set = entry.__pydantic_fields_set__ | update.keys()
    return constructed(Entry, {**entry.__dict__, **update}, fields_set)


def _entry_values(fields: Mapping[str, Any], standing: _Standing) -> dict[str, Any]:
    """The values of the entry `_updated` makes of the validated fields, in the model's order
    (every field set)."""
    class_position, behind_leader, behind_winner, reached = standing
    return {
        "position": fields["position"],
        "status": fields["status"],
        "class_": fields["class_"],
        "number": fields["number"],
        "team": fields["team"],
        # Validation copies the crew's tuple: a shared one would be stored differently (marshal).
        "drivers": (*fields["drivers"],),
        "chassis": fields["chassis"],
        "engine": fields["engine"],
        "tyre": fields["tyre"],
        "laps": fields["laps"],
        "class_position": class_position,
        "laps_behind_leader": behind_leader,
        "laps_behind_class_winner": behind_winner,
        "reached_classified_distance": reached,
        "line": fields["line"],
    }


_M = TypeVar("_M", bound=BaseModel)


def constructed(model: type[_M], values: dict[str, Any], fields_set: set[str]) -> _M:
    """A model of values already checked, as `model_construct` makes it but without its checks
    and defaults (several times faster). `fields_set` may be shared: pydantic copies it before
    any change."""
    made: _M = object.__new__(model)
    _set = object.__setattr__
    _set(made, "__dict__", values)
    _set(made, "__pydantic_fields_set__", fields_set)
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


_model_slots: Final = BaseModel.__dict__
_set_dict: Final = _model_slots["__dict__"].__set__
_set_fields_set: Final = _model_slots["__pydantic_fields_set__"].__set__
_set_extra: Final = _model_slots["__pydantic_extra__"].__set__
_set_private: Final = _model_slots["__pydantic_private__"].__set__


def constructed_all(
    model: type[_M], values: Sequence[dict[str, Any]], fields_set: set[str]
) -> list[_M]:
    """`constructed` of each of `values`, all with the same (shared) `fields_set`: each step
    done for every model in one loop in C (`map`, the slots' own setters), not one call per
    model in Python (a third of the time: a driver's answer makes hundreds at once)."""
    count = len(values)
    made: list[_M] = list(map(object.__new__, repeat(model, count)))
    deque(map(_set_dict, made, values), 0)
    deque(map(_set_fields_set, made, repeat(fields_set, count)), 0)
    deque(map(_set_extra, made, repeat(None, count)), 0)
    deque(map(_set_private, made, repeat(None, count)), 0)
    return made


class LapRecord(_Frozen):
    """A pole or fastest-lap time, as written and in seconds."""

    number: str
    team: str
    time: str
    seconds: float = Field(gt=0, allow_inf_nan=False)


class Statistics(_Frozen):
    """The Statistics section, plus what follows from it and the winner's lap count."""

    pole: LapRecord | None = None
    fastest_lap: LapRecord | None = None
    distance_km: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    average_speed_kmh: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    winner_laps: int | None = Field(default=None, ge=1, exclude=True)
    distance_written: str | None = Field(
        default=None, description="the distance as written when not in km ('327.047 mi')"
    )
    average_speed_written: str | None = Field(
        default=None, description="the average speed as written when not in km/h ('118.9 mph')"
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def lap_length_km(self) -> float | None:
        """Distance divided by the winner's laps."""
        if self.distance_km is None or not self.winner_laps:
            return None
        return self.distance_km / self.winner_laps

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration_s(self) -> float | None:
        """Race duration implied by distance and average speed."""
        if self.distance_km is None or self.average_speed_kmh is None:
            return None
        return self.distance_km / self.average_speed_kmh * 3600

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pole_speed_kmh(self) -> float | None:
        """Average speed over the pole lap."""
        return self._lap_speed(self.pole)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fastest_lap_speed_kmh(self) -> float | None:
        """Average speed over the fastest race lap."""
        return self._lap_speed(self.fastest_lap)

    def _lap_speed(self, record: LapRecord | None) -> float | None:
        length = self.lap_length_km
        if record is None or length is None:
            return None
        return length / record.seconds * 3600


class Race(_Frozen):
    """One race-result document."""

    title: str = Field(min_length=1)
    series: str | None = None
    round: int | None = Field(default=None, ge=1)
    date: dt.date | None = None
    circuit: str | None = None
    location: str | None = None
    prose: tuple[str, ...] = ()
    notes: str | None = None
    entries: tuple[Entry, ...]
    statistics: Statistics = Statistics()
    source: str = Field(description="file name of the document")

    @property
    def year(self) -> int | None:
        """The race's year, for ordering: its date's, else the one year its title names."""
        return self.date.year if self.date else title_year(self.title)

    @property
    def winner(self) -> Entry | None:
        """The overall winner, if any car is classified first."""
        return next((e for e in self.entries if e.position == 1), None)

    @property
    def classes(self) -> tuple[str, ...]:
        """Classes in order of their best-placed car."""
        return tuple(dict.fromkeys(e.class_ for e in self.entries))

    def class_winners(self) -> tuple[Entry, ...]:
        """The winner of every class, in class order."""
        return tuple(e for e in self.entries if e.is_class_winner)

    def class_entries(self, class_: str) -> tuple[Entry, ...]:
        """The cars of one class, in finishing order."""
        return tuple(e for e in self.entries if e.class_ == class_)


class RaceSummary(_Frozen):
    """What tells a race apart and lists it, without its cars: kept for every loaded race, so a
    large library can leave most of its races unread until a question needs one."""

    title: str
    series: str | None
    round: int | None
    date: dt.date | None
    circuit: str | None
    location: str | None
    source: str
    classes: tuple[str, ...]
    class_cars: tuple[int, ...] = Field(description="how many cars each class has, in order")
    cars: int = Field(ge=0, description="how many cars the results list")

    @property
    def year(self) -> int | None:
        """The race's year: its date's, else the one year its title names."""
        return self.date.year if self.date else title_year(self.title)


def summarise(race: Race) -> RaceSummary:
    """The race's summary."""
    counts: dict[str, int] = {}
    for entry in race.entries:
        counts[entry.class_] = counts.get(entry.class_, 0) + 1
    return RaceSummary.model_construct(
        title=race.title,
        series=race.series,
        round=race.round,
        date=race.date,
        circuit=race.circuit,
        location=race.location,
        source=race.source,
        classes=tuple(counts),
        class_cars=tuple(counts.values()),
        cars=len(race.entries),
    )


CarNames = tuple[str, str, tuple[str, ...], str | None, str | None]
"""What the catalogue indexes of a car: its number, team, drivers, chassis and engine."""


def car_names(entry: Entry) -> CarNames:
    """The names a car is found by."""
    return (entry.number, entry.team, entry.drivers, entry.chassis, entry.engine)
