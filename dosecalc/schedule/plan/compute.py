"""compute_plan: every phase of a regimen dated from its start, with delays, choices and what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from dateutil.relativedelta import relativedelta

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.regimen.model import Catalogue, Phase, Radiotherapy, Regimen
from dosecalc.schedule.clinic import ClinicCalendar, MovePolicy
from dosecalc.schedule.plan.cycles import (
    _apply_dose_facts,
    _check_interval,
    _cycle_events,
    _day_one,
    _fractions,
    _open,
    _State,
    _weeks_between,
)
from dosecalc.schedule.plan.model import (
    _ONE_DAY,
    CycleFact,
    Delay,
    DoseFact,
    EarlyStop,
    Event,
    EventKind,
    PhasePlan,
    Plan,
    StopTerm,
    phase_params,
    stop_rule_sentence,
)

__all__ = ["compute_plan"]


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
            terms = (StopTerm("on_event", {"event": phase.start.on_event or ""}),)
            phases.append(PhasePlan(phase.id, None, None, stop_rule_sentence(terms), stop_terms=terms))
            continue
        if phase.start.on_event:
            _stop_earlier_phases(regimen, state, phases, begin, phase)
        plan = _plan_phase(
            regimen, catalogue, phase, begin, choices, clinic, delay_map, facts, stop_map.get(phase.id), state
        )
        phases.append(plan)
        if plan.next_start is not None and not phase.start.optional:
            previous_end = plan.next_start
    _apply_dose_facts(state, dose_facts, regimen, catalogue)
    events = tuple(sorted(state.events, key=Event.sort_key))
    names = {p.id: p for p in regimen.phases}
    for event in events:
        if event.moved_from is not None and event.kind is not EventKind.CHECK:
            drug = catalogue.get(event.drug) if event.drug else None
            state.flags.append(
                Flag(
                    "event.moved",
                    Severity.WARNING,
                    f"{event.phase} cycle {event.cycle} day {event.day} {event.drug or event.kind.value} "
                    f"moved from {event.moved_from:%d %b %Y} to {event.date:%d %b %Y}"
                    + (f" ({event.note})" if event.note else ""),
                    {
                        "date": event.date.isoformat(),
                        "moved_from": event.moved_from.isoformat(),
                        "phase": event.phase,
                        "cycle": event.cycle,
                        "day": event.day,
                        "drug": event.drug or "",
                        "kind": event.kind.value,
                        "note": event.note or "",
                        **(drug.flag_params if drug is not None else {}),
                        **phase_params(names.get(event.phase)),
                    },
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


def _stop_earlier_phases(
    regimen: Regimen, state: _State, phases: list[PhasePlan], begin: dt.date, phase: Phase
) -> None:
    """An event-triggered phase (salvage on progression) ends the treatment that was running."""
    stopped = {e.phase for e in state.events if e.date >= begin}
    if not stopped:
        return
    state.events = [e for e in state.events if e.date < begin]
    for index, earlier in enumerate(phases):
        if earlier.id in stopped:
            remaining = [e for e in state.events if e.phase == earlier.id]
            by = {"on": begin.isoformat(), "by": phase.id, "by_en": phase.name.en, "by_zh": phase.name.zh}
            terms = (*earlier.stop_terms, StopTerm("stopped_by", by))
            phases[index] = replace(
                earlier,
                end=max(e.date for e in remaining) if remaining else None,
                cycles=len({e.cycle for e in remaining if e.cycle is not None}),
                next_start=None,
                stop_rule=stop_rule_sentence(terms),
                stop_terms=terms,
            )
            state.flags.append(
                Flag(
                    "phase.stopped",
                    Severity.INFO,
                    f"{earlier.id} stops on {begin:%d %b %Y}: {phase.id} starts on {phase.start.on_event}",
                    {
                        "phase": earlier.id,
                        "by": phase.id,
                        "on": begin.isoformat(),
                        "event": phase.start.on_event,
                        **phase_params(regimen.phase(earlier.id)),
                        "by_en": phase.name.en,
                        "by_zh": phase.name.zh,
                    },
                )
            )


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
                {"phase": phase.id, "group": group, **phase_params(phase), **_group_params(regimen, group)},
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
    terms = [StopTerm("cycles", {"cycles": phase.cycles})] if phase.cycles else []
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
                    {
                        "phase": phase.id,
                        "cycle": cycle,
                        "days": delay.days,
                        "reason": delay.reason or "",
                        **phase_params(phase),
                    },
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
                note_code="intervention.local",
                note_params={"max_lesions": local.max_lesions, "kinds": ", ".join(local.kinds)},
            )
        )
    if phase.duration is not None:
        if phase.duration.months is not None:
            until = stop_date.isoformat() if stop_date else ""
            months = {"months": phase.duration.months, "anchor": phase.duration.anchor or "", "until": until}
            terms.append(StopTerm("months", months))
        if phase.duration.max_cycles is not None:
            terms.append(StopTerm("cycles", {"cycles": phase.duration.max_cycles}))
    if stop is not None:
        terms.append(StopTerm("stopped_early", {"on": stop.date.isoformat(), "reason": stop.reason}))
    dates = [e.date for e in state.events[first_event:]]
    end = max(dates) if dates else None
    # The next phase starts when this one's last cycle is over (its last day 1 + the cycle length).
    following = previous_day1 + length if previous_day1 is not None else (end + _ONE_DAY if end else None)
    if end is not None and following is not None and following <= end:
        following = end + _ONE_DAY
    rule = stop_rule_sentence(tuple(terms))
    return PhasePlan(phase.id, phase_start, end, rule, cycles_done, stop_date, following, tuple(terms))


def _group_params(regimen: Regimen, group_id: str) -> dict[str, str]:
    """How a flag names a choice group: its English and Chinese names for the translated text."""
    for group in regimen.choice_groups:
        if group.id == group_id:
            return {"group_en": group.name.en, "group_zh": group.name.zh}
    return {}
