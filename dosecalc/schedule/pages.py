"""Calendar pages of a plan: months → weeks (Monday first) → day cells, as pure data.

The GUI month view and the printed nurse calendar both render these; nothing here formats a date
or a dose. A cell of the month holds the plan's events of that day (in the plan's order), its short
labels and its closure, and the phase whose cycle covers it. An empty cell is a rest day: "rest
day" is not a label. The days of the previous and next month that fill the first and last weeks
are blank cells (``in_month`` False, no events, labels, closure or phase), so that every event is
in exactly one cell a renderer shows.

Labels: ``closed: <reason>`` for a public holiday, a site closure or radiotherapy machine downtime
(not for an ordinary weekend: ``closed`` says "weekend" and every calendar greys those already),
and ``working day (adjusted)`` for a Saturday or Sunday the calendar makes a working day (China's
调休).

The phase of a day is the phase with the latest start on or before it whose cycles still run: from
its start to the day before its next phase would start (its last day 1 + the cycle length), cut
short by a later phase that stopped it (salvage on progression).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from dosecalc.schedule.clinic import ClinicCalendar
from dosecalc.schedule.plan import Event, PhasePlan, Plan

__all__ = ["ADJUSTED_WORKING_DAY", "CLOSED_PREFIX", "DayCell", "MonthPage", "Week", "calendar_pages"]

CLOSED_PREFIX = "closed: "
ADJUSTED_WORKING_DAY = "working day (adjusted)"
_WEEKEND = "weekend"
_ONE_DAY = dt.timedelta(days=1)
_WEEKS = calendar.Calendar(firstweekday=calendar.MONDAY)


@dataclass(frozen=True, slots=True)
class DayCell:
    date: dt.date
    in_month: bool
    events: tuple[Event, ...] = ()
    labels: tuple[str, ...] = ()
    closed: str | None = None
    phase: str | None = None


@dataclass(frozen=True, slots=True)
class Week:
    days: tuple[DayCell, ...]  # seven, Monday first


@dataclass(frozen=True, slots=True)
class MonthPage:
    year: int
    month: int
    weeks: tuple[Week, ...]


def calendar_pages(
    plan: Plan, clinic: ClinicCalendar, first: dt.date | None = None, last: dt.date | None = None
) -> tuple[MonthPage, ...]:
    """One page per month from ``first`` (default: the plan's first event) to ``last`` (its last event)."""
    if plan.events:
        first = first or plan.events[0].date
        last = last or plan.events[-1].date
    if first is None or last is None or last < first:
        return ()
    by_date: dict[dt.date, list[Event]] = {}
    for event in plan.events:
        by_date.setdefault(event.date, []).append(event)
    spans = _phase_spans(plan.phases)
    pages = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = []
        for dates in _WEEKS.monthdatescalendar(year, month):
            cells = []
            for day in dates:
                if day.month != month:
                    cells.append(DayCell(day, False))
                    continue
                closed = clinic.closure(day)
                cells.append(
                    DayCell(
                        day,
                        True,
                        tuple(by_date.get(day, ())),
                        _labels(clinic, day, closed),
                        closed,
                        _phase_on(spans, day),
                    )
                )
            weeks.append(Week(tuple(cells)))
        pages.append(MonthPage(year, month, tuple(weeks)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(pages)


def _labels(clinic: ClinicCalendar, day: dt.date, closed: str | None) -> tuple[str, ...]:
    labels = []
    if closed is not None and closed != _WEEKEND:
        labels.append(CLOSED_PREFIX + closed)
    elif closed is None:
        machine = clinic.radiotherapy_closure(day)
        if machine is not None:
            labels.append(CLOSED_PREFIX + machine)
        if day.weekday() >= 5 and clinic.weekends_closed:
            labels.append(ADJUSTED_WORKING_DAY)
    return tuple(labels)


def _phase_spans(phases: tuple[PhasePlan, ...]) -> list[tuple[dt.date, dt.date, str]]:
    """(start, end exclusive, phase id) of every scheduled phase, latest start last."""
    scheduled = sorted((p for p in phases if p.start is not None), key=lambda p: p.start or dt.date.min)
    spans = []
    for phase in scheduled:
        assert phase.start is not None
        end = phase.next_start or ((phase.end + _ONE_DAY) if phase.end else phase.start + _ONE_DAY)
        for later in scheduled:
            if later.start is not None and later.start > phase.start:
                # A later phase starts: this one is over, or was stopped by it (then it covers up to that start).
                end = later.start if phase.next_start is None else min(end, later.start)
                break
        spans.append((phase.start, end, phase.id))
    return spans


def _phase_on(spans: list[tuple[dt.date, dt.date, str]], day: dt.date) -> str | None:
    for start, end, phase in reversed(spans):
        if start <= day < end:
            return phase
    return None
