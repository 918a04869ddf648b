"""Benchmark of the whole NCT07016737 plan: compute_plan, its iCalendar file and its calendar pages.

Usage (from the repository root)::

    .venv/bin/python bench/bench_plan.py [--json OUT] [--repeat N] [--cold-runs N]

The plan: escc-nct07016737 from 2026-12-07 with pd1=sintilimab, chemo=paclitaxel,
rt=50.4gy-28fx and salvage starting on 2027-06-07, so every phase is in it (4 induction
cycles, maintenance until salvage stops it, 5 weekly salvage cycles with 28 fractions).

Figures, each next to a floor measured in the same run, batches interleaved so that noise
on a shared machine falls on a figure and its floor alike:

- ``compute_plan CN``: closures from the CN public holidays, the calendar built once and warm
  (its per-day cache filled by a first call). Floor: the same dates planned in plain Python for
  this regimen's rules, with the closed days as a precomputed set;
- ``compute_plan CN, new calendar``: ``clinic_calendar("CN")`` built anew for every call, as
  when each plan gets its own calendar; same floor;
- ``compute_plan none``: no holidays (weekends only); the same floor with the weekends only;
- ``plan_to_ics``: the CN plan as an iCalendar file. Floor: the same VEVENTs (UID, dates,
  summary, description) written with f-strings, text escaping, line folding and SHA-1;
- ``calendar_pages``: the CN plan's eight month pages. Floor: the same cells from
  ``calendar.monthdatescalendar``, a dict of events by date and a dict of closures.

The cold first call (interpreter started, modules imported and the library loaded, but no
clinic calendar built and no plan computed yet) is measured in ``--cold-runs`` fresh processes.

Each floor is checked once to give the same answer as DoseCalc (the same events, the same
VEVENT fields, the same cells), so a ratio compares like with like. The target (cycle-calendar
issue) is the whole plan in ≤ 5 ms median; the script asserts nothing about wall-clock time.
"""

from __future__ import annotations

import argparse
import calendar as calendar_module
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icalendar import Calendar
from machine import machine  # bench/machine.py, beside this script

from dosecalc.regimen.loader import Library, load_library
from dosecalc.regimen.model import Catalogue, Regimen
from dosecalc.schedule.clinic import ClinicCalendar, clinic_calendar
from dosecalc.schedule.ics import PRODID, plan_to_ics
from dosecalc.schedule.pages import ADJUSTED_WORKING_DAY, CLOSED_PREFIX, MonthPage, calendar_pages
from dosecalc.schedule.plan import Event, EventKind, Plan, compute_plan

REGIMEN = "escc-nct07016737"
START = dt.date(2026, 12, 7)
SALVAGE = dt.date(2027, 6, 7)
CHOICES = {"pd1": "sintilimab", "chemo": "paclitaxel", "rt": "50.4gy-28fx"}
NOW = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
TARGET_MS = 5.0
#: Calls per timed batch, and the default number of batches.
NUMBER = 20
REPEAT = 30
COLD_RUNS = 5

_DAY = dt.timedelta(days=1)
_KIND_RANK = {"check": 0, "drug": 1, "radiotherapy": 2, "intervention": 3}


# --------------------------------------------------------------------------------------------
# Floor 1: the plan in plain Python, specialised to this regimen's rules.
# --------------------------------------------------------------------------------------------

FloorEvent = tuple[dt.date, int, int, int, str, int, int, str, int, dt.date | None]
# (date, kind rank, line order, fraction, phase, cycle, day, drug, fractions total, moved from)


def _open(closed: frozenset[dt.date], day: dt.date, weekdays: bool) -> dt.date:
    while day in closed or (weekdays and day.weekday() >= 5):
        day += _DAY
    return day


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar_module.monthrange(year, month)[1]))


def floor_plan(closed: frozenset[dt.date], start: dt.date, salvage: dt.date) -> list[FloorEvent]:
    """Induction 4 × 21 days, maintenance 21-day cycles for 24 months from its first dose (stopped by
    salvage), salvage 5 weekly cycles with 28 fractions Monday–Friday; closed days move to the next open one."""
    events: list[FloorEvent] = []
    day1 = start
    for cycle in range(1, 5):  # induction
        planned = start if cycle == 1 else day1 + dt.timedelta(days=21)
        day1 = _open(closed, planned, False)
        moved = planned if day1 != planned else None
        events.append((day1, 0, 0, 0, "induction", cycle, 1, "", 0, moved))
        events.append((day1, 1, 1, 0, "induction", cycle, 1, "sintilimab", 0, moved))
        events.append((day1, 1, 3, 0, "induction", cycle, 1, "paclitaxel", 0, moved))
    begin = day1 + dt.timedelta(days=21)
    stop: dt.date | None = None
    cycle = 0
    while True:  # maintenance
        cycle += 1
        planned = begin if cycle == 1 else day1 + dt.timedelta(days=21)
        day1 = _open(closed, planned, False)
        moved = planned if day1 != planned else None
        if stop is None:
            stop = _add_months(day1, 24)
        if day1 >= stop:
            break
        events.append((day1, 0, 0, 0, "maintenance", cycle, 1, "", 0, moved))
        events.append((day1, 1, 1, 0, "maintenance", cycle, 1, "sintilimab", 0, moved))
    events = [e for e in events if e[0] < salvage]  # salvage stops the phases running on its start
    for cycle in range(1, 6):  # salvage: weekly, on the phase's weekday
        planned = salvage + dt.timedelta(days=7 * (cycle - 1))
        day1 = _open(closed, planned, True)
        moved = planned if day1 != planned else None
        events.append((day1, 0, 0, 0, "salvage", cycle, 1, "", 0, moved))
        events.append((day1, 1, 1, 0, "salvage", cycle, 1, "paclitaxel", 0, moved))
        events.append((day1, 1, 2, 0, "salvage", cycle, 1, "carboplatin", 0, moved))
    day, given, week, in_week = salvage, 0, (0, 0), 0
    while given < 28:
        iso = day.isocalendar()
        if (iso[0], iso[1]) != week:
            week, in_week = (iso[0], iso[1]), 0
        if day.weekday() < 5 and in_week < 5 and day not in closed:
            given += 1
            in_week += 1
            events.append((day, 2, 0, given, "salvage", 0, 0, "", 28, None))
        day += _DAY
    events.sort(key=lambda e: e[:4])
    return events


def as_floor(plan: Plan) -> list[FloorEvent]:
    return [
        (
            e.date,
            _KIND_RANK[e.kind.value],
            e.line_order or 0,
            e.fraction or 0,
            e.phase,
            e.cycle or 0,
            e.day or 0,
            e.drug or "",
            e.fractions_total or 0,
            e.moved_from,
        )
        for e in plan.events
    ]


def closed_days(clinic: ClinicCalendar, first: dt.date, last: dt.date) -> frozenset[dt.date]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(day for day in days if clinic.radiotherapy_closure(day) is not None)


# --------------------------------------------------------------------------------------------
# Floor 2: the same VEVENTs with f-strings.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IcsTables:
    """What the floor writer looks up: built once, outside the timing."""

    names: dict[str, tuple[str, str]]  # drug id → (display, zh)
    lines: dict[tuple[str, int], tuple[str, str]]  # (phase, order) → (dose text, route text)
    phases: dict[str, tuple[str, int]]  # phase id → (English name, cycle length)
    footer: str
    base: str
    calendar_name: str


def ics_tables(plan: Plan, regimen: Regimen, catalogue: Catalogue) -> IcsTables:
    names = {d.id: (d.display, d.zh) for d in catalogue.drugs}
    lines = {
        (p.id, line.order): (
            line.dose.text(),
            f", {line.route.value}" + (f" over {line.infusion}" if line.infusion else ""),
        )
        for p in regimen.phases
        for line in p.drugs
    }
    phases = {p.id: (p.name.en, p.cycle_length_days) for p in regimen.phases}
    footer = f"Regimen {regimen.id} version {regimen.version}"
    base = f"{plan.regimen_id}/{plan.start.isoformat()}"
    return IcsTables(names, lines, phases, footer, base, f"DoseCalc: {regimen.name.en}")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF and a space."""
    if len(line.encode()) <= 75:
        return line
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def floor_ics(events: Sequence[Event], tables: IcsTables, stamp: str) -> bytes:
    days: dict[dt.date, list[Event]] = {}
    day1s: dict[str, list[tuple[dt.date, int]]] = {}
    for event in events:
        days.setdefault(event.date, []).append(event)
        if event.day == 1 and event.cycle is not None and event.kind is EventKind.CHECK:
            day1s.setdefault(event.phase, []).append((event.date, event.cycle))
    out = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        _fold(f"X-WR-CALNAME:{_escape(tables.calendar_name)}"),
    ]
    for date, group in days.items():
        drugs, fractions, lines = [], [], []
        key = ""
        heading = ""
        for event in group:
            name, length = tables.phases[event.phase]
            if event.cycle is not None:
                text = f"{name}, cycle {event.cycle}, day {event.day}"
            else:
                day1, cycle = max(d for d in day1s[event.phase] if d[0] <= event.date)
                offset = (event.date - day1).days
                text = f"{name}, cycle {cycle}, day {offset + 1}" if offset < length else f"{name}, after cycle {cycle}"
            if text != heading:
                lines.append(text)
                heading = text
                if event.moved_from is not None:
                    lines.append(f"moved from {event.moved_from:%a %d %b %Y}: the clinic is closed that day")
            if event.kind is EventKind.DRUG:
                display, zh = tables.names[event.drug or ""]
                dose, route = tables.lines[(event.phase, event.line_order or 0)]
                drugs.append(f"{display} {dose}")
                lines.append(f"- {display} ({zh}) {dose}{route}")
                key = key or f"{event.phase}/{event.cycle}/{event.day}"
            elif event.kind is EventKind.RADIOTHERAPY:
                fractions.append(f"radiotherapy fraction {event.fraction} of {event.fractions_total}")
                lines.append(f"- radiotherapy fraction {event.fraction} of {event.fractions_total} ({event.note})")
                key = key or f"{event.phase}/rt-{event.fraction}"
            else:
                lines.append(f"- check: {event.note}")
        lines.append(tables.footer)
        summary = "; ".join(([", ".join(drugs)] if drugs else []) + fractions)
        uid = hashlib.sha1(f"{tables.base}|{key}".encode()).hexdigest()
        out += [
            "BEGIN:VEVENT",
            _fold(f"SUMMARY:{_escape(summary)}"),
            f"DTSTART;VALUE=DATE:{date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{date + _DAY:%Y%m%d}",
            f"DTSTAMP:{stamp}",
            f"UID:{uid}@dosecalc",
            _fold(f"CATEGORIES:{_escape(tables.phases[group[0].phase][0])}"),
            _fold(f"DESCRIPTION:{_escape(chr(10).join(lines))}"),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    out.append("END:VCALENDAR")
    return ("\r\n".join(out) + "\r\n").encode()


def vevent_fields(data: bytes) -> list[tuple[str, ...]]:
    return [
        (
            str(item["UID"]),
            str(item.decoded("DTSTART")),
            str(item.decoded("DTEND")),
            str(item["SUMMARY"]),
            str(item["DESCRIPTION"]),
        )
        for item in Calendar.from_ical(data).walk("VEVENT")
    ]


# --------------------------------------------------------------------------------------------
# Floor 3: the month pages as nested tuples.
# --------------------------------------------------------------------------------------------

FloorCell = tuple[dt.date, bool, tuple[Event, ...], tuple[str, ...], str | None, str | None]
_MONDAY_FIRST = calendar_module.Calendar(firstweekday=0)


def floor_pages(
    events: Sequence[Event],
    closures: Mapping[dt.date, str],
    working: frozenset[dt.date],
    spans: Sequence[tuple[dt.date, dt.date, str]],
) -> list[tuple[int, int, list[list[FloorCell]]]]:
    by_date: dict[dt.date, list[Event]] = {}
    for event in events:
        by_date.setdefault(event.date, []).append(event)
    first, last = events[0].date, events[-1].date
    year, month = first.year, first.month
    pages = []
    while (year, month) <= (last.year, last.month):
        weeks = []
        for dates in _MONDAY_FIRST.monthdatescalendar(year, month):
            cells: list[FloorCell] = []
            for day in dates:
                if day.month != month:
                    cells.append((day, False, (), (), None, None))
                    continue
                closed = closures.get(day)
                labels: tuple[str, ...] = ()
                if closed is not None and closed != "weekend":
                    labels = (CLOSED_PREFIX + closed,)
                elif day in working:
                    labels = (ADJUSTED_WORKING_DAY,)
                phase = None
                for start, end, phase_id in reversed(spans):
                    if start <= day < end:
                        phase = phase_id
                        break
                cells.append((day, True, tuple(by_date.get(day, ())), labels, closed, phase))
            weeks.append(cells)
        pages.append((year, month, weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return pages


def as_floor_pages(pages: Sequence[MonthPage]) -> list[tuple[int, int, list[list[FloorCell]]]]:
    return [
        (
            p.year,
            p.month,
            [[(c.date, c.in_month, c.events, c.labels, c.closed, c.phase) for c in w.days] for w in p.weeks],
        )
        for p in pages
    ]


# --------------------------------------------------------------------------------------------
# Timing.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    function: Callable[[], object]
    floor_name: str
    floor: Callable[[], object]


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    median_ms: float
    p10_ms: float
    p90_ms: float
    floor_name: str
    floor_median_ms: float
    floor_p10_ms: float
    floor_p90_ms: float

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_median_ms

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "median_ms": round(self.median_ms, 4),
            "p10_ms": round(self.p10_ms, 4),
            "p90_ms": round(self.p90_ms, 4),
            "floor_name": self.floor_name,
            "floor_median_ms": round(self.floor_median_ms, 4),
            "floor_p10_ms": round(self.floor_p10_ms, 4),
            "floor_p90_ms": round(self.floor_p90_ms, 4),
            "ratio": round(self.ratio, 1),
        }


def _summary(samples: list[float]) -> tuple[float, float, float]:
    deciles = statistics.quantiles(samples, n=10, method="inclusive")
    return statistics.median(samples), deciles[0], deciles[-1]


def measure(cases: Sequence[Case], repeat: int, number: int) -> list[Figure]:
    """``repeat`` rounds; in each, one batch of ``number`` calls of every function and every floor."""
    timers = [(timeit.Timer(c.function), timeit.Timer(c.floor)) for c in cases]
    for timer, floor_timer in timers:  # warm-up: caches, lazy imports
        timer.timeit(number)
        floor_timer.timeit(number)
    samples: list[tuple[list[float], list[float]]] = [([], []) for _ in cases]
    for _ in range(repeat):
        for (timer, floor_timer), (own, floors) in zip(timers, samples, strict=True):
            own.append(timer.timeit(number) / number * 1e3)
            floors.append(floor_timer.timeit(number) / number * 1e3)
    figures = []
    for case, (own, floors) in zip(cases, samples, strict=True):
        median, p10, p90 = _summary(own)
        floor_median, floor_p10, floor_p90 = _summary(floors)
        figures.append(Figure(case.name, median, p10, p90, case.floor_name, floor_median, floor_p10, floor_p90))
    return figures


def build_plan(library: Library, clinic: ClinicCalendar) -> Plan:
    return compute_plan(
        library.regimen(REGIMEN), library.catalogue, START, CHOICES, clinic, phase_starts={"salvage": SALVAGE}
    )


def cold_once() -> dict[str, float]:
    """In a fresh process: the first calendar and the first plan, then the same plan again (warm)."""
    library = load_library()
    t0 = time.perf_counter()
    clinic = clinic_calendar("CN")
    t1 = time.perf_counter()
    build_plan(library, clinic)
    t2 = time.perf_counter()
    build_plan(library, clinic)
    t3 = time.perf_counter()
    return {"calendar_ms": (t1 - t0) * 1e3, "first_plan_ms": (t2 - t1) * 1e3, "second_plan_ms": (t3 - t2) * 1e3}


def cold(runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--cold-once"], capture_output=True, text=True, check=True, env=os.environ
        )
        results.append(json.loads(done.stdout))
    return results


def print_table(figures: Sequence[Figure], repeat: int, number: int, events: int) -> None:
    print(f"{repeat} batches × {number} calls; per-call ms (median [p10–p90]); the plan has {events} events")
    header = (
        f"{'figure':<31} {'median':>7} {'p10':>7} {'p90':>7}   "
        f"{'floor':<16} {'median':>7} {'p10':>7} {'p90':>7} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        print(
            f"{f.name:<31} {f.median_ms:>7.3f} {f.p10_ms:>7.3f} {f.p90_ms:>7.3f}   "
            f"{f.floor_name:<16} {f.floor_median_ms:>7.3f} {f.floor_p10_ms:>7.3f} {f.floor_p90_ms:>7.3f} "
            f"{f.ratio:>5.1f}×"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to this JSON file")
    parser.add_argument("--repeat", type=int, default=REPEAT, metavar="N", help=f"batches (default {REPEAT})")
    parser.add_argument(
        "--cold-runs", type=int, default=COLD_RUNS, metavar="N", help=f"fresh processes (default {COLD_RUNS})"
    )
    parser.add_argument("--cold-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_once:
        print(json.dumps(cold_once()))
        return 0
    if args.repeat < 2:
        parser.error("--repeat must be at least 2")

    cold_results = cold(args.cold_runs) if args.cold_runs > 0 else []

    library = load_library()
    regimen = library.regimen(REGIMEN)
    cn = clinic_calendar("CN")
    none = clinic_calendar("none")
    plan_cn = build_plan(library, cn)
    plan_none = build_plan(library, none)
    span = (START - dt.timedelta(days=7), dt.date(2029, 6, 30))  # maintenance is planned to 24 months
    closed_cn = closed_days(cn, *span)
    closed_none = closed_days(none, *span)

    # The floors give the same answers.
    if floor_plan(closed_cn, START, SALVAGE) != as_floor(plan_cn):
        raise SystemExit("floor_plan disagrees with compute_plan (CN)")
    if floor_plan(closed_none, START, SALVAGE) != as_floor(plan_none):
        raise SystemExit("floor_plan disagrees with compute_plan (none)")
    tables = ics_tables(plan_cn, regimen, library.catalogue)
    stamp = f"{NOW:%Y%m%dT%H%M%SZ}"
    ics = plan_to_ics(plan_cn, regimen, library.catalogue, now=NOW)
    if vevent_fields(floor_ics(plan_cn.events, tables, stamp)) != vevent_fields(ics):
        raise SystemExit("floor_ics disagrees with plan_to_ics")
    first, last = plan_cn.events[0].date, plan_cn.events[-1].date
    days = [first.replace(day=1) + dt.timedelta(days=n) for n in range((last - first.replace(day=1)).days + 40)]
    closures = {d: c for d in days if (c := cn.closure(d)) is not None}
    working = frozenset(d for d in days if d.weekday() >= 5 and d not in closures)
    # A phase covers the days up to its next_start, or up to the start of the phase that stopped it.
    starts = sorted(p.start for p in plan_cn.phases if p.start is not None)
    spans = []
    for p in plan_cn.phases:
        if p.start is None or p.end is None:
            continue
        later = [t for t in starts if t > p.start]
        end = p.next_start or p.end + dt.timedelta(days=1)
        if later:
            end = later[0] if p.next_start is None else min(end, later[0])
        spans.append((p.start, end, p.id))
    pages = calendar_pages(plan_cn, cn)
    if floor_pages(plan_cn.events, closures, working, spans) != as_floor_pages(pages):
        raise SystemExit("floor_pages disagrees with calendar_pages")

    def plan_warm() -> Plan:
        return build_plan(library, cn)

    def plan_fresh() -> Plan:
        return build_plan(library, clinic_calendar("CN"))

    def plan_none_() -> Plan:
        return build_plan(library, none)

    def floor_cn() -> list[FloorEvent]:
        return floor_plan(closed_cn, START, SALVAGE)

    def floor_none() -> list[FloorEvent]:
        return floor_plan(closed_none, START, SALVAGE)

    def ics_() -> bytes:
        return plan_to_ics(plan_cn, regimen, library.catalogue, now=NOW)

    def ics_floor() -> bytes:
        return floor_ics(plan_cn.events, tables, stamp)

    def pages_() -> tuple[MonthPage, ...]:
        return calendar_pages(plan_cn, cn)

    def pages_floor() -> list[tuple[int, int, list[list[FloorCell]]]]:
        return floor_pages(plan_cn.events, closures, working, spans)

    cases = [
        Case("compute_plan CN (warm calendar)", plan_warm, "floor_plan CN", floor_cn),
        Case("compute_plan CN, new calendar", plan_fresh, "floor_plan CN", floor_cn),
        Case("compute_plan none", plan_none_, "floor_plan none", floor_none),
        Case("plan_to_ics", ics_, "floor_ics", ics_floor),
        Case("calendar_pages", pages_, "floor_pages", pages_floor),
    ]
    figures = measure(cases, args.repeat, NUMBER)
    print_table(figures, args.repeat, NUMBER, len(plan_cn.events))
    whole = figures[0].median_ms + figures[3].median_ms + figures[4].median_ms
    print(f"plan + .ics + pages (warm CN calendar): {whole:.3f} ms; target ≤ {TARGET_MS:g} ms for the plan")
    if cold_results:
        keys = ("calendar_ms", "first_plan_ms", "second_plan_ms")
        medians = {k: statistics.median(r[k] for r in cold_results) for k in keys}
        print(
            f"cold, median of {len(cold_results)} fresh processes: "
            f"clinic_calendar('CN') {medians['calendar_ms']:.2f} ms, "
            f"first compute_plan {medians['first_plan_ms']:.2f} ms, second {medians['second_plan_ms']:.2f} ms"
        )
    if args.json is not None:
        report = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine("pint", "pydantic", "holidays", "icalendar", "python-dateutil"),
            "method": {"batches": args.repeat, "calls_per_batch": NUMBER, "interleaved": True},
            "plan": {"events": len(plan_cn.events), "vevents": len(vevent_fields(ics)), "months": len(pages)},
            "results": [f.to_json() for f in figures],
            "plan_ics_pages_ms": round(whole, 4),
            "cold": cold_results,
            "target_ms": TARGET_MS,
            "target_met": figures[0].median_ms <= TARGET_MS,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
