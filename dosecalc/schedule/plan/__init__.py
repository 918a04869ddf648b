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

from dosecalc.schedule.plan.compute import compute_plan
from dosecalc.schedule.plan.model import (
    CycleFact,
    Delay,
    DoseFact,
    EarlyStop,
    Event,
    EventKind,
    PhasePlan,
    Plan,
    StopTerm,
    stop_rule_sentence,
)

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
    "compute_plan",
    "stop_rule_sentence",
]
