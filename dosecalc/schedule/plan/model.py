"""What a plan is made of: events (drug, check, radiotherapy, intervention), phases, delays and facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from dosecalc.derivation import Flag
from dosecalc.errors import InputError
from dosecalc.regimen.model import Phase

__all__ = [
    "CycleFact",
    "Delay",
    "DoseFact",
    "EarlyStop",
    "Event",
    "EventKind",
    "PhasePlan",
    "Plan",
    "StopTerm",
    "phase_params",
    "stop_rule_sentence",
]

#: A param of a stop term or an event note: a count, a date (ISO), an id or a name.
Param = str | int


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
    #: What the plan wrote in ``note``, as a stable code and its values, so that a screen or printout can say
    #: it in the reader's language: ``check.day1``, ``check.response`` (``after``), ``radiotherapy.course``
    #: (``total``, ``fractions``), ``intervention.local`` (``max_lesions``, ``kinds``). None: no note, or a
    #: note someone typed (a recorded dose's note replaces the plan's).
    note_code: str | None = None
    note_params: Mapping[str, Param] = field(default_factory=dict, hash=False)

    @property
    def identity(self) -> str:
        """What this event is, independent of its date: the basis of a stable calendar UID."""
        what = self.drug or (f"fraction-{self.fraction}" if self.fraction else self.note or self.kind.value)
        return f"{self.phase}/{self.cycle or 0}/{self.day or 0}/{self.kind.value}/{what}"

    def sort_key(self) -> tuple[dt.date, int, int, int]:
        return (self.date, _KIND_ORDER[self.kind], self.line_order or 0, self.fraction or 0)


def phase_params(phase: Phase | None) -> dict[str, str]:
    """How a flag names a phase besides its id: its English and Chinese names, for the translated text."""
    return {} if phase is None else {"phase_en": phase.name.en, "phase_zh": phase.name.zh}


@dataclass(frozen=True, slots=True)
class StopTerm:
    """One part of a phase's stop rule, as a stable ``code`` and the values its words state.

    - ``cycles`` (``cycles``): ``4 cycles``
    - ``months`` (``months``, ``anchor`` phase-first-dose | first-pd1-dose, ``until`` ISO date or ""):
      ``24 months from the phase's first dose (until 04 Mar 2029)``
    - ``on_event`` (``event`` progression | recurrence | ""): ``starts on progression; not scheduled``
    - ``stopped_early`` (``on``, ``reason``): ``stopped early on 01 Jun 2027: toxicity``
    - ``stopped_by`` (``on``, ``by`` the phase id, ``by_en``, ``by_zh``): ``stopped on 01 Jun 2027 by salvage``

    ``cycles`` and ``months`` are the bounds ("whichever comes first"); the others follow them.
    """

    code: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)


BOUNDS = ("cycles", "months")


def stop_rule_sentence(terms: tuple[StopTerm, ...]) -> str:
    """The stop rule in English, from its terms.

    >>> stop_rule_sentence((StopTerm("months", {"months": 24, "anchor": "first-pd1-dose", "until": "2029-03-04"}),
    ...                     StopTerm("cycles", {"cycles": 35})))
    '24 months from the first PD-1 dose (until 04 Mar 2029) or 35 cycles, whichever comes first'
    """
    bounds = [_term_sentence(t) for t in terms if t.code in BOUNDS]
    text = " or ".join(bounds) + (", whichever comes first" if len(bounds) > 1 else "")
    for term in terms:
        if term.code not in BOUNDS:
            text = f"{text}; {_term_sentence(term)}" if text else _term_sentence(term)
    return text


def _term_sentence(term: StopTerm) -> str:
    p = term.params
    if term.code == "cycles":
        return f"{p['cycles']} cycles"
    if term.code == "months":
        anchor = "the phase's first dose" if p["anchor"] == "phase-first-dose" else "the first PD-1 dose"
        until = f" (until {_date(p['until'])})" if p["until"] else ""
        return f"{p['months']} months from {anchor}{until}"
    if term.code == "on_event":
        return f"starts on {p['event'] or 'an event'}; not scheduled"
    if term.code == "stopped_early":
        return f"stopped early on {_date(p['on'])}: {p['reason']}"
    if term.code == "stopped_by":
        return f"stopped on {_date(p['on'])} by {p['by']}"
    raise ValueError(f"unknown stop term {term.code!r}")


def _date(iso: Param) -> str:
    return f"{dt.date.fromisoformat(str(iso)):%d %b %Y}"


@dataclass(frozen=True, slots=True)
class PhasePlan:
    id: str
    start: dt.date | None
    end: dt.date | None
    stop_rule: str  # in English, from ``stop_terms`` (:func:`stop_rule_sentence`)
    cycles: int = 0
    stop_date: dt.date | None = None
    next_start: dt.date | None = None  # the day after the last cycle ends: where an "after previous" phase starts
    stop_terms: tuple[StopTerm, ...] = ()  # the stop rule's parts, to say it in another language


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
