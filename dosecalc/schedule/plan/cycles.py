"""One cycle on the clinic calendar: its day 1, the interval check, its events and radiotherapy fractions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.regimen.model import Catalogue, DrugLine, Phase, Radiotherapy, Regimen, Route
from dosecalc.schedule.clinic import ClinicCalendar, MovePolicy
from dosecalc.schedule.plan.model import (
    _ONE_DAY,
    CycleFact,
    Delay,
    DoseFact,
    EarlyStop,
    Event,
    EventKind,
    phase_params,
)

__all__: list[str] = []


@dataclass
class _State:
    events: list[Event] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    first_pd1: dt.date | None = None


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
                {
                    "phase": phase.id,
                    "cycle": cycle,
                    "gap": gap,
                    "interval": phase.cycle_length_days,
                    **phase_params(phase),
                },
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
            {
                "phase": phase.id,
                "cycle": cycle,
                "gap": gap,
                "interval": phase.cycle_length_days,
                "reason": reason or "",
                **phase_params(phase),
            },
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
                note_code="check.day1",
            )
        )
    every = phase.response_assessment_every_cycles
    if every and cycle > 1 and (cycle - 1) % every == 0:
        state.events.append(
            Event(
                day1,
                EventKind.CHECK,
                phase.id,
                cycle,
                1,
                note=f"response assessment after {cycle - 1} cycles",
                note_code="check.response",
                note_params={"after": cycle - 1},
            )
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
                    note_code="radiotherapy.course",
                    note_params={"total": str(course.total), "fractions": course.fractions},
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
                {
                    "phase": phase.id,
                    "lost": len(lost),
                    "dates": ", ".join(d.isoformat() for d in lost),
                    **phase_params(phase),
                },
            )
        )


def _apply_dose_facts(state: _State, dose_facts: Iterable[DoseFact], regimen: Regimen, catalogue: Catalogue) -> None:
    facts = {(f.phase, f.cycle, f.drug, f.day): f for f in dose_facts}
    if not facts:
        return
    updated = []
    matched: set[tuple[str, int, str, int]] = set()
    for event in state.events:
        key = (event.phase, event.cycle or 0, event.drug or "", event.day or 0)
        fact = facts.get(key)
        if fact is not None and event.kind is EventKind.DRUG:
            if fact.note:  # what the nurse wrote replaces the plan's note
                event = replace(event, status=fact.status, note=fact.note, note_code=None, note_params={})
            else:
                event = replace(event, status=fact.status)
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
                    {
                        "phase": fact.phase,
                        "cycle": fact.cycle,
                        "day": fact.day,
                        "drug": fact.drug,
                        "status": fact.status,
                        **phase_params(next((p for p in regimen.phases if p.id == fact.phase), None)),
                        **(drug.flag_params if (drug := catalogue.get(fact.drug)) is not None else {}),
                    },
                )
            )
