"""``dosecalc schedule``: the dated plan of a regimen, as text, JSON or an iCalendar file.

    dosecalc schedule --regimen ID --start YYYY-MM-DD [--choose GROUP=OPTION ...]
                      [--phase-start PHASE=YYYY-MM-DD ...] [--closures CN|CN-GD|none]
                      [--delay [PHASE:]CYCLE=DAYS[:REASON] ...] [--json] [--ics FILE]

``--delay 2=7`` delays cycle 2 of the first phase by 7 days; ``--delay maintenance:3=7`` names another
phase's cycle; ``--delay 2=-3:reason`` brings a cycle forward, which is blocked unless a reason is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.regimens import library_from, parse_choices, regimen_from
from dosecalc.errors import InputError
from dosecalc.schedule.clinic import clinic_calendar
from dosecalc.schedule.plan import Delay, Event, EventKind, Plan, compute_plan

__all__ = ["parse_date", "parse_delay", "plan_payload", "register"]

_DELAY = re.compile(r"^\s*(?:([a-z0-9.-]+):)?(\d+)\s*=\s*([+-]?\d+)\s*(?::(.*))?$")


def parse_date(value: str, field: str) -> dt.date:
    """A calendar date written YYYY-MM-DD (ISO 8601): the one form that cannot be misread."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(value)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, value, "is not a date", expected="YYYY-MM-DD, e.g. 2026-12-07") from None


def parse_delay(value: str) -> Delay:
    match = _DELAY.match(value)
    if match is None:
        raise InputError(
            "delay",
            value,
            "is not [PHASE:]CYCLE=DAYS[:REASON]",
            expected="e.g. 2=7, maintenance:3=7 or 2=7:grade 3 neutropenia",
        )
    phase, cycle, days, reason = match.groups()
    if int(days) == 0:
        raise InputError("delay", value, "delays by 0 days", expected="a number of days other than 0")
    if abs(int(days)) > 90:
        raise InputError("delay", value, "is more than 90 days", expected="a delay of at most 90 days")
    return Delay(int(cycle), int(days), phase, reason.strip() if reason and reason.strip() else None)


def _phase_starts(values: list[str] | None) -> dict[str, dt.date]:
    starts: dict[str, dt.date] = {}
    for value in values or []:
        phase, sep, date = value.partition("=")
        if not sep or not phase.strip():
            raise InputError("phase-start", value, "is not PHASE=YYYY-MM-DD", expected="e.g. salvage=2027-06-07")
        starts[phase.strip()] = parse_date(date, "phase-start")
    return starts


def _event_json(event: Event) -> dict[str, Any]:
    return {
        "date": event.date.isoformat(),
        "kind": event.kind.value,
        "phase": event.phase,
        "cycle": event.cycle,
        "day": event.day,
        "drug": event.drug,
        "fraction": event.fraction,
        "fractions_total": event.fractions_total,
        "moved_from": event.moved_from.isoformat() if event.moved_from else None,
        "note": event.note,
        "status": event.status,
    }


def plan_payload(plan: Plan) -> Payload:
    return {
        "regimen": {"id": plan.regimen_id, "version": plan.regimen_version},
        "start": plan.start.isoformat(),
        "choices": dict(plan.choices),
        "events": [_event_json(e) for e in plan.events],
        "phases": [
            {
                "id": p.id,
                "start": p.start.isoformat() if p.start else None,
                "end": p.end.isoformat() if p.end else None,
                "stop_rule": p.stop_rule,
                "cycles": p.cycles,
                "stop_date": p.stop_date.isoformat() if p.stop_date else None,
            }
            for p in plan.phases
        ],
        "flags": [f.to_json() for f in plan.flags],
    }


def _cmd_schedule(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    for name in ("regimen", "start"):
        if getattr(args, name) is None:
            raise InputError(name, None, "is required", expected=f"--{name}", code="value.missing")
    library = library_from(args)
    regimen = regimen_from(library, args.regimen)
    start = parse_date(args.start, "start")
    clinic = clinic_calendar(args.closures)
    plan = compute_plan(
        regimen,
        library.catalogue,
        start,
        parse_choices(args.choose),
        clinic,
        phase_starts=_phase_starts(args.phase_start),
        delays=[parse_delay(v) for v in args.delay or []],
    )
    payload = plan_payload(plan)
    if args.ics is not None:
        from dosecalc.schedule.ics import plan_to_ics

        path = Path(args.ics)
        try:
            path.write_bytes(plan_to_ics(plan, regimen, library.catalogue))
        except OSError as error:
            raise InputError(
                "ics", args.ics, f"cannot be written: {error.strerror or error}", expected="a writable file path"
            ) from None
        payload["ics"] = str(path)
    names = {d.id: d.display for d in library.catalogue.drugs}
    summary = [
        f"{regimen.name.en}",
        f"{regimen.id} v{regimen.version}, from {start:%a %d %b %Y}, closures {clinic.country or 'none'}",
    ]
    for phase in plan.phases:
        span = f"{phase.start:%d %b %Y} – {phase.end:%d %b %Y}" if phase.start and phase.end else "not scheduled"
        summary.append(f"Phase {phase.id}: {span}; {phase.stop_rule}")
    summary.append("")
    by_day: dict[dt.date, list[Event]] = {}
    for event in plan.events:
        by_day.setdefault(event.date, []).append(event)
    for date, events in by_day.items():
        parts = []
        for event in events:
            if event.kind is EventKind.DRUG:
                parts.append(
                    f"{event.phase} C{event.cycle} D{event.day} {names.get(event.drug or '', event.drug)}"
                    + (f" [{event.status}]" if event.status != "planned" else "")
                )
            elif event.kind is EventKind.RADIOTHERAPY:
                parts.append(f"radiotherapy {event.fraction} of {event.fractions_total}")
            elif event.kind is EventKind.INTERVENTION:
                parts.append(event.note or "local intervention")
            else:
                parts.append(f"check: {event.note}")
            if event.moved_from is not None and event.kind is not EventKind.CHECK:
                parts[-1] += f" (moved from {event.moved_from:%d %b})"
        summary.append(f"{date:%a %d %b %Y}  " + "; ".join(parts))
    summary.append("Flags:" if plan.flags else "Flags: none")
    summary.extend(f"  {f.render()}" for f in plan.flags)
    return payload, summary


def register(command: Callable[[str, str, Handler], Parser]) -> None:
    p = command("schedule", "The dated plan of a regimen: cycles, radiotherapy fractions, checks.", _cmd_schedule)
    p.add_argument("--regimen")
    p.add_argument("--start", help="first day of the plan, YYYY-MM-DD")
    p.add_argument("--choose", action="append", metavar="GROUP=OPTION", help="one per choice group")
    p.add_argument(
        "--phase-start",
        action="append",
        metavar="PHASE=YYYY-MM-DD",
        help="start of an optional phase on its event date, e.g. salvage=2027-06-07",
    )
    p.add_argument("--closures", help="public holidays of a country (CN default, CN-GD with a subdivision) or none")
    p.add_argument(
        "--delay",
        action="append",
        metavar="[PHASE:]CYCLE=DAYS[:REASON]",
        help="delay a cycle; without PHASE the first phase's cycle",
    )
    p.add_argument("--ics", help="also write the plan as an iCalendar (.ics) file")
    p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")
