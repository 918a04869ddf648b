"""What a plan is made of: events (drug, check, radiotherapy, intervention), phases, delays and facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dosecalc.derivation import Flag
from dosecalc.errors import InputError

__all__ = ["CycleFact", "Delay", "DoseFact", "EarlyStop", "Event", "EventKind", "PhasePlan", "Plan"]


_ONE_DAY = dt.timedelta(days=1)


class EventKind(StrEnum):
    DRUG = "drug"
    RADIOTHERAPY = "radiotherapy"
    INTERVENTION = "intervention"
    CHECK = "check"


_KIND_ORDER = {EventKind.CHECK: 0, EventKind.DRUG: 1, EventKind.RADIOTHERAPY: 2, EventKind.INTERVENTION: 3}


@dataclass(frozen=True, slots=True)
class Event:
    date: dt.date
    kind: EventKind
    phase: str
    cycle: int | None = None
    day: int | None = None
    drug: str | None = None
    line_order: int | None = None
    fraction: int | None = None
    fractions_total: int | None = None
    moved_from: dt.date | None = None
    note: str | None = None
    status: str = "planned"

    @property
    def identity(self) -> str:
        """What this event is, independent of its date: the basis of a stable calendar UID."""
        what = self.drug or (f"fraction-{self.fraction}" if self.fraction else self.note or self.kind.value)
        return f"{self.phase}/{self.cycle or 0}/{self.day or 0}/{self.kind.value}/{what}"

    def sort_key(self) -> tuple[dt.date, int, int, int]:
        return (self.date, _KIND_ORDER[self.kind], self.line_order or 0, self.fraction or 0)


@dataclass(frozen=True, slots=True)
class PhasePlan:
    id: str
    start: dt.date | None
    end: dt.date | None
    stop_rule: str
    cycles: int = 0
    stop_date: dt.date | None = None
    next_start: dt.date | None = None  # the day after the last cycle ends: where an "after previous" phase starts


@dataclass(frozen=True, slots=True)
class Plan:
    regimen_id: str
    regimen_version: str
    start: dt.date
    choices: Mapping[str, str]
    events: tuple[Event, ...]
    phases: tuple[PhasePlan, ...]
    flags: tuple[Flag, ...]

    def phase_events(self, phase: str) -> list[Event]:
        return [e for e in self.events if e.phase == phase]


@dataclass(frozen=True, slots=True)
class Delay:
    """Cycle ``cycle`` of ``phase`` (None: the first phase) is delayed by ``days`` (negative: brought forward)."""

    cycle: int
    days: int
    phase: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CycleFact:
    """Cycle ``cycle`` of ``phase`` actually started on ``day1``."""

    phase: str
    cycle: int
    day1: dt.date
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class DoseFact:
    """What happened to one administration: given, held or skipped."""

    phase: str
    cycle: int
    drug: str
    status: str
    day: int = 1
    note: str | None = None

    def __post_init__(self) -> None:
        if self.status not in ("given", "held", "skipped", "modified"):
            raise InputError(
                "status", self.status, "is not a dose status", expected="given | held | skipped | modified"
            )


@dataclass(frozen=True, slots=True)
class EarlyStop:
    phase: str
    date: dt.date
    reason: str
