"""Every dated event of a treatment plan: administrations, radiotherapy fractions, interventions and checks.

Rules (cycle-calendar issue; medication-safety D6–D7):

- Cycle n+1 day 1 = cycle n's actual day 1 + the cycle length, plus any recorded delay. A day that falls
  on a clinic closure moves to the next (or previous) open day and carries ``moved_from``; later cycles
  keep their spacing from the actual day 1. Oral treatment taken at home is never moved.
- In a phase with radiotherapy, fractions run on open weekdays (Monday–Friday, ``fractions_per_week`` a
  week) from the phase start until the course is complete: a fraction lost to a closure or machine
  downtime is added at the end. Weekly chemotherapy stays on the phase's weekday, moved within the week
  to a radiotherapy day when closed; its number of cycles stays as the regimen says.
- Duration bounds exactly as written: months from the phase's first dose or from the first PD-1 dose of
  the plan (``relativedelta``), a cycle cap, or both — whichever comes first. The stop date is part of
  the plan.
- Optional phases (salvage on progression) start only on their event date; earlier phases stop there.
- Recorded facts win: an actual day 1 is never moved, and a delay or an earlier day 1 shifts only what
  follows. A day 1 sooner than the cycle length after the previous one is blocked unless a reason is given.

Date-only arithmetic, no time zones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.regimen.model import Catalogue, DrugLine, Phase, Radiotherapy, Regimen, Route
from dosecalc.schedule.clinic import ClinicCalendar, MovePolicy

__all__ = [
    "CycleFact",
    "Delay",
    "DoseFact",
    "EarlyStop",
    "Event",
    "EventKind",
    "PhasePlan",
    "Plan",
    "compute_plan",
]

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


@dataclass
class _State:
    events: list[Event] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    first_pd1: dt.date | None = None


def compute_plan(
    regimen: Regimen,
    catalogue: Catalogue,
    start: dt.date,
    choices: Mapping[str, str],
    clinic: ClinicCalendar,
    *,
    phase_starts: Mapping[str, dt.date] | None = None,
    delays: Iterable[Delay] = (),
    cycle_facts: Iterable[CycleFact] = (),
    dose_facts: Iterable[DoseFact] = (),
    stops: Iterable[EarlyStop] = (),
) -> Plan:
    """The whole plan from ``start``; optional phases only where ``phase_starts`` gives their event date."""
    phase_starts = dict(phase_starts or {})
    phase_ids = [p.id for p in regimen.phases]
    for name in phase_starts:
        if name not in phase_ids:
            raise InputError("phase-start", name, "is not a phase of this regimen", expected=" | ".join(phase_ids))
    delay_map = _delays(regimen, delays)
    facts = {(f.phase, f.cycle): f for f in cycle_facts}
    stop_map = {s.phase: s for s in stops}
    state = _State()
    phases: list[PhasePlan] = []
    previous_end: dt.date | None = None
    for phase in regimen.phases:
        begin = _phase_start(phase, start, previous_end, phase_starts)
        if begin is None:
            trigger = phase.start.on_event or "an event"
            phases.append(PhasePlan(phase.id, None, None, f"starts on {trigger}; not scheduled"))
            continue
        if phase.start.on_event:
            _stop_earlier_phases(state, phases, begin, phase)
        plan = _plan_phase(
            regimen, catalogue, phase, begin, choices, clinic, delay_map, facts, stop_map.get(phase.id), state
        )
        phases.append(plan)
        if plan.next_start is not None and not phase.start.optional:
            previous_end = plan.next_start
    _apply_dose_facts(state, dose_facts)
    events = tuple(sorted(state.events, key=Event.sort_key))
    for event in events:
        if event.moved_from is not None and event.kind is not EventKind.CHECK:
            state.flags.append(
                Flag(
                    "event.moved",
                    Severity.WARNING,
                    f"{event.phase} cycle {event.cycle} day {event.day} {event.drug or event.kind.value} "
                    f"moved from {event.moved_from:%d %b %Y} to {event.date:%d %b %Y}"
                    + (f" ({event.note})" if event.note else ""),
                    {"date": event.date.isoformat(), "moved_from": event.moved_from.isoformat()},
                )
            )
    return Plan(regimen.id, regimen.version, start, dict(choices), events, tuple(phases), tuple(state.flags))


def _delays(regimen: Regimen, delays: Iterable[Delay]) -> dict[tuple[str, int], Delay]:
    result = {}
    for delay in delays:
        phase = delay.phase or regimen.phases[0].id
        if phase not in {p.id for p in regimen.phases}:
            raise InputError(
                "delay", phase, "is not a phase of this regimen", expected=" | ".join(p.id for p in regimen.phases)
            )
        if delay.cycle < 1:
            raise InputError("delay", f"{phase}:{delay.cycle}", "names no cycle", expected="a cycle from 1")
        result[(phase, delay.cycle)] = delay
    return result


def _phase_start(
    phase: Phase, start: dt.date, previous_end: dt.date | None, phase_starts: Mapping[str, dt.date]
) -> dt.date | None:
    if phase.id in phase_starts:
        return phase_starts[phase.id]
    if phase.start.optional or phase.start.on_event:
        return None
    if phase.start.after == "start" or previous_end is None:
        return start
    return previous_end


def _stop_earlier_phases(state: _State, phases: list[PhasePlan], begin: dt.date, phase: Phase) -> None:
    """An event-triggered phase (salvage on progression) ends the treatment that was running."""
    stopped = {e.phase for e in state.events if e.date >= begin}
    if not stopped:
        return
    state.events = [e for e in state.events if e.date < begin]
    for index, earlier in enumerate(phases):
        if earlier.id in stopped:
            remaining = [e for e in state.events if e.phase == earlier.id]
            phases[index] = replace(
                earlier,
                end=max(e.date for e in remaining) if remaining else None,
                cycles=len({e.cycle for e in remaining if e.cycle is not None}),
                next_start=None,
                stop_rule=f"{earlier.stop_rule}; stopped on {begin:%d %b %Y} by {phase.id}",
            )
            state.flags.append(
                Flag(
                    "phase.stopped",
                    Severity.INFO,
                    f"{earlier.id} stops on {begin:%d %b %Y}: {phase.id} starts on {phase.start.on_event}",
                    {"phase": earlier.id, "by": phase.id},
                )
            )


def _selected(lines: Sequence[DrugLine], choices: Mapping[str, str], cycle: int) -> list[DrugLine]:
    chosen = []
    for line in lines:
        pair = line.choice_pair
        if pair is not None and choices.get(pair[0]) != pair[1]:
            continue
        if line.cycles is not None and cycle not in line.cycles:
            continue
        chosen.append(line)
    return chosen


def _courses(phase: Phase, choices: Mapping[str, str]) -> list[Radiotherapy]:
    return [
        c
        for c in phase.radiotherapy
        if c.choice is None or choices.get(c.choice.split("=")[0]) == c.choice.split("=")[1]
    ]


def _missing_choices(regimen: Regimen, phase: Phase, choices: Mapping[str, str]) -> list[str]:
    groups = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
    groups |= {c.choice.split("=")[0] for c in phase.radiotherapy if c.choice}
    return sorted(g for g in groups if g not in choices)


def _plan_phase(
    regimen: Regimen,
    catalogue: Catalogue,
    phase: Phase,
    begin: dt.date,
    choices: Mapping[str, str],
    clinic: ClinicCalendar,
    delays: Mapping[tuple[str, int], Delay],
    facts: Mapping[tuple[str, int], CycleFact],
    stop: EarlyStop | None,
    state: _State,
) -> PhasePlan:
    for group in _missing_choices(regimen, phase, choices):
        state.flags.append(
            Flag(
                "choice.missing",
                Severity.BLOCK,
                f"{phase.id}: no choice made for {group}; its lines are not scheduled",
                {"phase": phase.id, "group": group},
            )
        )
    courses = _courses(phase, choices)
    with_radiotherapy = bool(courses)
    phase_start = begin  # as given (e.g. the date of progression); the grid may start on the next open day
    if with_radiotherapy and (phase.id, 1) not in facts:
        begin = _open(clinic, begin, radiotherapy=True, move=MovePolicy.NEXT)  # the first radiotherapy day
    length = dt.timedelta(days=phase.cycle_length_days)
    max_cycles = phase.cycles or (phase.duration.max_cycles if phase.duration else None)
    stop_date: dt.date | None = None
    rule_parts = [f"{phase.cycles} cycles"] if phase.cycles else []
    first_event = len(state.events)
    previous_day1: dt.date | None = None
    previous_moved = False
    shift = dt.timedelta(0)  # delays and lost weeks so far, on the fixed-weekday grid of a radiotherapy phase
    cycle = 0
    while True:
        cycle += 1
        if max_cycles is not None and cycle > max_cycles:
            break
        planned = begin if previous_day1 is None else previous_day1 + length
        delay = delays.get((phase.id, cycle))
        if delay is not None:
            planned += dt.timedelta(days=delay.days)
            shift += dt.timedelta(days=delay.days)
        if with_radiotherapy:
            planned = begin + length * (cycle - 1) + shift  # weekly chemotherapy stays on the phase's weekday
        fact = facts.get((phase.id, cycle))
        if fact is not None:
            day1, moved_from = fact.day1, None
        else:
            day1 = _day_one(clinic, phase, cycle, planned, begin, choices, with_radiotherapy)
            if with_radiotherapy:
                # Moved into a later week: the rest follow a week later, so no week has two doses.
                shift += dt.timedelta(days=7 * _weeks_between(planned, day1))
            moved_from = planned if day1 != planned else None
        if phase.duration is not None and phase.duration.months is not None:
            if stop_date is None:  # fixed by the first cycle, or by an earlier PD-1 dose
                first_pd1 = state.first_pd1 if phase.duration.anchor == "first-pd1-dose" else None
                stop_date = (first_pd1 or day1) + relativedelta(months=phase.duration.months)
            if day1 >= stop_date:
                break
        if stop is not None and day1 >= stop.date:
            break
        if previous_day1 is not None:
            # A closure that moved either day explains a short gap; only what a person entered can be blocked.
            by_closure = (moved_from is not None or previous_moved) and fact is None
            by_closure = by_closure and (delay is None or delay.days > 0)
            _check_interval(state, phase, cycle, previous_day1, day1, delay, fact, by_closure)
        if delay is not None and delay.days > 0:
            state.flags.append(
                Flag(
                    "cycle.delayed",
                    Severity.INFO,
                    f"{phase.id} cycle {cycle} delayed {delay.days} days"
                    + (f": {delay.reason}" if delay.reason else ""),
                    {"phase": phase.id, "cycle": cycle, "days": delay.days},
                )
            )
        _cycle_events(catalogue, phase, cycle, day1, moved_from, choices, clinic, with_radiotherapy, state)
        previous_day1 = day1
        previous_moved = moved_from is not None
    cycles_done = cycle - 1
    if stop is not None:
        state.events[first_event:] = [e for e in state.events[first_event:] if e.date < stop.date]
    for course in courses:
        _fractions(phase, course, begin, clinic, stop, state)
    if phase.local_interventions is not None:
        local = phase.local_interventions
        state.events.append(
            Event(
                begin,
                EventKind.INTERVENTION,
                phase.id,
                note=f"local intervention per lesion (up to {local.max_lesions}): "
                f"{', '.join(local.kinds)} — schedule each lesion",
            )
        )
    if phase.duration is not None:
        if phase.duration.months is not None:
            anchor_text = (
                "the phase's first dose" if phase.duration.anchor == "phase-first-dose" else "the first PD-1 dose"
            )
            until = f" (until {stop_date:%d %b %Y})" if stop_date else ""
            rule_parts.append(f"{phase.duration.months} months from {anchor_text}{until}")
        if phase.duration.max_cycles is not None:
            rule_parts.append(f"{phase.duration.max_cycles} cycles")
    rule = " or ".join(rule_parts) + (", whichever comes first" if len(rule_parts) > 1 else "")
    if stop is not None:
        rule += f"; stopped early on {stop.date:%d %b %Y}: {stop.reason}"
    dates = [e.date for e in state.events[first_event:]]
    end = max(dates) if dates else None
    # The next phase starts when this one's last cycle is over (its last day 1 + the cycle length).
    following = previous_day1 + length if previous_day1 is not None else (end + _ONE_DAY if end else None)
    if end is not None and following is not None and following <= end:
        following = end + _ONE_DAY
    return PhasePlan(phase.id, phase_start, end, rule, cycles_done, stop_date, following)


def _day_one(
    clinic: ClinicCalendar,
    phase: Phase,
    cycle: int,
    planned: dt.date,
    begin: dt.date,
    choices: Mapping[str, str],
    with_radiotherapy: bool,
) -> dt.date:
    """The open day for a planned day 1, by the move policy, with three exceptions.

    - Oral treatment taken at home does not move: an all-oral cycle keeps its planned day 1.
    - Nothing moves before the phase begins: a first day on a closure goes forward.
    - Weekly chemotherapy with radiotherapy never moves back into the previous week (that week has its dose).
    """
    lines = _selected(phase.drugs, choices, cycle)
    if lines and all(line.route is Route.ORAL for line in lines):
        return planned
    day1 = _open(clinic, planned, with_radiotherapy)
    backwards_too_far = day1 < begin or (with_radiotherapy and _weeks_between(planned, day1) < 0)
    return _open(clinic, planned, with_radiotherapy, move=MovePolicy.NEXT) if backwards_too_far else day1


def _weeks_between(first: dt.date, second: dt.date) -> int:
    """How many calendar weeks (Monday to Sunday) lie between the weeks of two dates."""
    return ((second - dt.timedelta(days=second.weekday())) - (first - dt.timedelta(days=first.weekday()))).days // 7


def _open(clinic: ClinicCalendar, day: dt.date, radiotherapy: bool, move: MovePolicy | None = None) -> dt.date:
    """The open day for a treatment planned on ``day``; in a radiotherapy phase, an open weekday."""
    if not radiotherapy:
        return clinic.open_day(day, move=move)
    step = dt.timedelta(days=1 if (move or clinic.move) is MovePolicy.NEXT else -1)
    candidate = day
    for _ in range(60):
        if _radiotherapy_day(clinic, candidate):
            return candidate
        candidate += step
    raise InputError(
        "closures", day.isoformat(), "has no open radiotherapy day within 60 days",
        expected="a clinic calendar with open weekdays",
    )  # fmt: skip


def _radiotherapy_day(clinic: ClinicCalendar, day: dt.date) -> bool:
    return day.weekday() < 5 and clinic.radiotherapy_closure(day) is None


def _check_interval(
    state: _State,
    phase: Phase,
    cycle: int,
    previous: dt.date,
    day1: dt.date,
    delay: Delay | None,
    fact: CycleFact | None,
    by_closure: bool,
) -> None:
    gap = (day1 - previous).days
    if gap >= phase.cycle_length_days:
        return
    reason = (delay.reason if delay else None) or (fact.reason if fact else None)
    if by_closure and not reason and gap > 0:
        state.flags.append(
            Flag(
                "interval.short_by_closure",
                Severity.WARNING,
                f"{phase.id} cycle {cycle} day 1 is {gap} days after the previous one (the regimen says "
                f"{phase.cycle_length_days}) because a closure moved a day 1",
                {"phase": phase.id, "cycle": cycle, "gap": gap},
            )
        )
        return
    severity = Severity.WARNING if reason else Severity.BLOCK
    state.flags.append(
        Flag(
            "interval.short",
            severity,
            f"{phase.id} cycle {cycle} day 1 is only {gap} days after cycle {cycle - 1} day 1; the "
            f"regimen's interval is {phase.cycle_length_days} days"
            + (f" — reason: {reason}" if reason else " — blocked until a reason is given"),
            {"phase": phase.id, "cycle": cycle, "gap": gap},
        )
    )


def _cycle_events(
    catalogue: Catalogue,
    phase: Phase,
    cycle: int,
    day1: dt.date,
    moved_from: dt.date | None,
    choices: Mapping[str, str],
    clinic: ClinicCalendar,
    with_radiotherapy: bool,
    state: _State,
) -> None:
    lines = _selected(phase.drugs, choices, cycle)
    if lines:
        # The go/no-go visit needs an open clinic; for treatment taken at home it comes before day 1.
        at_home = all(line.route is Route.ORAL for line in lines)
        check_day = clinic.open_day(day1, move=MovePolicy.PREVIOUS) if at_home else day1
        state.events.append(
            Event(
                check_day,
                EventKind.CHECK,
                phase.id,
                cycle,
                1,
                moved_from=moved_from,
                note="day-1 go/no-go: blood count, liver and kidney tests before dosing",
            )
        )
    every = phase.response_assessment_every_cycles
    if every and cycle > 1 and (cycle - 1) % every == 0:
        state.events.append(
            Event(day1, EventKind.CHECK, phase.id, cycle, 1, note=f"response assessment after {cycle - 1} cycles")
        )
    for line in lines:
        drug = catalogue.get(line.drug)
        is_pd1 = drug is not None and "PD-1" in drug.drug_class
        for day in line.day_list():
            planned = day1 + dt.timedelta(days=day - 1)
            if line.route is Route.ORAL or day == 1:
                date, moved = planned, (moved_from if day == 1 else None)
            else:
                date = _open(clinic, planned, with_radiotherapy)
                moved = planned if date != planned else None
            state.events.append(
                Event(date, EventKind.DRUG, phase.id, cycle, day, line.drug, line.order, moved_from=moved)
            )
            if is_pd1 and (state.first_pd1 is None or date < state.first_pd1):
                state.first_pd1 = date


def _fractions(
    phase: Phase, course: Radiotherapy, begin: dt.date, clinic: ClinicCalendar, stop: EarlyStop | None, state: _State
) -> None:
    day = begin
    given = 0
    week: tuple[int, int] | None = None
    in_week = 0
    lost: list[dt.date] = []
    while given < course.fractions:
        iso = day.isocalendar()
        if (iso[0], iso[1]) != week:
            week, in_week = (iso[0], iso[1]), 0
        if stop is not None and day >= stop.date:
            break
        weekend = day.weekday() >= 5
        closed = clinic.radiotherapy_closure(day)
        if (course.weekdays_only and weekend) or in_week >= course.fractions_per_week:
            pass
        elif closed is not None and not (weekend and closed == "weekend"):
            lost.append(day)
        elif closed is None:
            given += 1
            in_week += 1
            state.events.append(
                Event(
                    day,
                    EventKind.RADIOTHERAPY,
                    phase.id,
                    fraction=given,
                    fractions_total=course.fractions,
                    note=f"{course.total} in {course.fractions} fractions",
                )
            )
        day += _ONE_DAY
    if lost:
        state.flags.append(
            Flag(
                "radiotherapy.extended",
                Severity.INFO,
                f"{phase.id}: {len(lost)} radiotherapy day(s) lost to closures "
                f"({', '.join(f'{d:%d %b}' for d in lost)}); the course ends later",
                {"phase": phase.id, "lost": len(lost)},
            )
        )


def _apply_dose_facts(state: _State, dose_facts: Iterable[DoseFact]) -> None:
    facts = {(f.phase, f.cycle, f.drug, f.day): f for f in dose_facts}
    if not facts:
        return
    updated = []
    matched: set[tuple[str, int, str, int]] = set()
    for event in state.events:
        key = (event.phase, event.cycle or 0, event.drug or "", event.day or 0)
        fact = facts.get(key)
        if fact is not None and event.kind is EventKind.DRUG:
            event = replace(event, status=fact.status, note=fact.note or event.note)
            matched.add(key)
        updated.append(event)
    state.events = updated
    for key, fact in facts.items():
        if key not in matched:
            state.flags.append(
                Flag(
                    "fact.unmatched",
                    Severity.WARNING,
                    f"recorded {fact.status} dose of {fact.drug} ({fact.phase} cycle {fact.cycle} day {fact.day}) "
                    "matches no planned administration; check the record",
                    {"phase": fact.phase, "cycle": fact.cycle},
                )
            )
