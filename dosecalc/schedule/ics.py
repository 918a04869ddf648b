"""A plan as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

One all-day event per treatment day: a day with a drug administration or a radiotherapy fraction.
Its SUMMARY lists the drugs by display name (tall man) with their doses, and the radiotherapy
fraction; its DESCRIPTION gives the phase, cycle and day of cycle, every drug with its Chinese name
and route, the checks due that day, any move off a closure, and the regimen id and version.

Checks and interventions on a treatment day go into that day's description: the day-1 go/no-go
tests belong to the dose they clear, and a separate event on the same day would double every
treatment day in a phone calendar. A day with checks or interventions but no treatment (a local
intervention reminder, say) gets one all-day event of its own, so nothing in the plan is left out.

UIDs are stable across re-exports and independent of the date, so that re-importing a changed plan
(a delayed cycle, a day moved off a holiday) updates the events instead of duplicating them. A UID
is the SHA-1 of the plan id (default: regimen id and plan start) and the day's identity: phase,
cycle and day of cycle of its first drug administration; ``rt-k`` (fraction k) for a
radiotherapy-only day; the event's identity for a check- or intervention-only day. If two days of
one plan would share an identity (an oral day and an infusion moved onto the next day), the later
day takes its next identity, so UIDs are unique within a file.

Export is deterministic: the same plan, doses and ``now`` give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from dosecalc.display import BANNED_TOKENS
from dosecalc.errors import InputError
from dosecalc.regimen.model import Catalogue, Dose, DrugLine, Regimen
from dosecalc.schedule.plan import Event, EventKind, Plan

__all__ = ["PRODID", "UID_DOMAIN", "plan_to_ics"]

PRODID = "-//DoseCalc//DoseCalc cycle calendar//EN"
UID_DOMAIN = "dosecalc"

_ONE_DAY = dt.timedelta(days=1)
_TREATMENT = (EventKind.DRUG, EventKind.RADIOTHERAPY)
_BANNED = re.compile(r"(?<![\w.])(" + "|".join(re.escape(t) for t in BANNED_TOKENS) + r")(?!\w)")


def plan_to_ics(
    plan: Plan,
    regimen: Regimen,
    catalogue: Catalogue,
    doses: Mapping[tuple[str, str], str] | None = None,
    *,
    plan_id: str | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The plan as an iCalendar file: one all-day VEVENT per treatment day (see the module text).

    ``doses[(phase_id, drug_id)]`` is the dose to show (e.g. ``"200 mg"``); without it a line shows
    its protocol dose (``"175 mg/m²"``, ``"AUC 2"``, ``"200 mg (3 mg/kg below 60 kg)"``). ``plan_id``
    identifies the patient's plan for the UIDs (default: regimen id and plan start). ``now`` is the
    DTSTAMP (default: now, UTC; a naive time is taken as local time).
    """
    if plan.regimen_id != regimen.id or plan.regimen_version != regimen.version:
        raise InputError(
            "regimen",
            f"{regimen.id} {regimen.version}",
            "is not the regimen this plan was computed from",
            expected=f"{plan.regimen_id} {plan.regimen_version}",
        )
    doses = doses or {}
    for key, text in doses.items():
        _check_text(f"dose {key[0]}/{key[1]}", text)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    base = plan_id if plan_id is not None else f"{plan.regimen_id}/{plan.start.isoformat()}"
    context = _Context(plan, regimen, catalogue, doses)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"DoseCalc: {regimen.name.en}")
    used: set[str] = set()
    for date, events in _by_date(plan.events):
        identity = _identity(events, used)
        used.add(identity)
        summary = context.summary(events)
        description = context.description(events)
        _check_text("calendar summary", summary)
        _check_text("calendar description", description)
        item = CalendarEvent()
        item.add("uid", f"{hashlib.sha1(f'{base}|{identity}'.encode()).hexdigest()}@{UID_DOMAIN}")
        item.add("dtstamp", stamp)
        item.add("dtstart", date)
        item.add("dtend", date + _ONE_DAY)
        item.add("summary", summary)
        item.add("description", description)
        item.add("categories", sorted({context.phase_name(e.phase) for e in events}))
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    ical: bytes = calendar.to_ical()
    return ical


def _by_date(events: Sequence[Event]) -> list[tuple[dt.date, list[Event]]]:
    days: dict[dt.date, list[Event]] = {}
    for event in events:
        days.setdefault(event.date, []).append(event)
    return sorted(days.items(), key=lambda item: item[0])


def _identity(events: Sequence[Event], used: set[str]) -> str:
    """The first of the day's identities not taken by an earlier day (see the module text)."""
    drugs = [e for e in events if e.kind is EventKind.DRUG]
    candidates: list[str] = []
    if drugs:
        candidates += sorted({f"{e.phase}/{e.cycle or 0}/{e.day or 0}" for e in drugs}, key=_natural)
    fractions = [e for e in events if e.kind is EventKind.RADIOTHERAPY]
    candidates += [f"{e.phase}/rt-{e.fraction}" for e in fractions]
    candidates += [e.identity for e in events if e.kind not in _TREATMENT]
    for candidate in candidates:
        if candidate not in used:
            return candidate
    index = 2
    while f"{candidates[0]}#{index}" in used:
        index += 1
    return f"{candidates[0]}#{index}"


def _natural(key: str) -> tuple[str, int, int]:
    phase, cycle, day = key.rsplit("/", 2)
    return phase, int(cycle), int(day)


@lru_cache(maxsize=256)
def _dose_text(dose: Dose) -> str:
    """``Dose.text`` parses the amount with pint (tens of µs): once per dose, not per administration."""
    return dose.text()


def _check_text(field: str, text: str) -> None:
    match = _BANNED.search(text)
    if match is not None:
        raise InputError(
            field,
            text,
            f"contains the banned abbreviation {match.group(1)!r}",
            expected="units written out (unit, mcg, daily, mL)",
        )


class _Context:
    """What the text of an event needs from the regimen and the catalogue, looked up once."""

    def __init__(
        self, plan: Plan, regimen: Regimen, catalogue: Catalogue, doses: Mapping[tuple[str, str], str]
    ) -> None:
        self.regimen = regimen
        self.catalogue = catalogue
        self.doses = doses
        self.lines: dict[tuple[str, int], DrugLine] = {
            (phase.id, line.order): line for phase in regimen.phases for line in phase.drugs
        }
        self.lengths = {phase.id: phase.cycle_length_days for phase in regimen.phases}
        self.names = {phase.id: phase.name for phase in regimen.phases}
        self.day1: dict[str, list[tuple[dt.date, int]]] = {}
        for event in plan.events:
            if event.day == 1 and event.cycle is not None and event.kind in (EventKind.DRUG, EventKind.CHECK):
                starts = self.day1.setdefault(event.phase, [])
                if (event.date, event.cycle) not in starts:
                    starts.append((event.date, event.cycle))

    def phase_name(self, phase: str) -> str:
        name = self.names.get(phase)
        return name.en if name is not None else phase

    def _drug(self, event: Event) -> tuple[str, str, str]:
        """(display name, Chinese name, dose text) of a drug event."""
        drug_id = event.drug or ""
        drug = self.catalogue.get(drug_id)
        line = self.lines.get((event.phase, event.line_order or 0))
        dose = self.doses.get((event.phase, drug_id))
        if dose is None:
            dose = _dose_text(line.dose) if line is not None else "dose not in the regimen"
            if line is not None and line.weight_rule is not None:  # the protocol dose is not the whole story
                dose += f" ({_dose_text(line.weight_rule.dose)} below {line.weight_rule.below})"
        return (drug.display if drug else drug_id), (drug.zh if drug else ""), dose

    def _route(self, event: Event) -> str:
        line = self.lines.get((event.phase, event.line_order or 0))
        if line is None:
            return ""
        return f", {line.route.value}" + (f" over {line.infusion}" if line.infusion else "")

    def summary(self, events: Sequence[Event]) -> str:
        parts: list[str] = []
        drugs = []
        for event in events:
            if event.kind is EventKind.DRUG:
                name, _, dose = self._drug(event)
                status = "" if event.status == "planned" else f" ({event.status})"
                drugs.append(f"{name} {dose}{status}")
        if drugs:
            parts.append(", ".join(drugs))
        for event in events:
            if event.kind is EventKind.RADIOTHERAPY:
                parts.append(f"radiotherapy fraction {event.fraction} of {event.fractions_total}")
        if not parts:  # a day with only checks or interventions
            parts.extend(f"{self.phase_name(e.phase)}: {e.note or e.kind.value}" for e in events)
        return "; ".join(parts)

    def _heading(self, event: Event) -> str:
        """Phase, cycle and day of cycle; a fraction is placed in the cycle whose days cover its date."""
        name = self.phase_name(event.phase)
        if event.cycle is not None and event.day is not None:
            return f"{name}, cycle {event.cycle}, day {event.day}"
        latest: tuple[dt.date, int] | None = None
        for day1, cycle in self.day1.get(event.phase, []):
            if day1 <= event.date and (latest is None or day1 > latest[0]):
                latest = (day1, cycle)
        if latest is None:
            return name
        offset = (event.date - latest[0]).days
        if offset < self.lengths.get(event.phase, 0):
            return f"{name}, cycle {latest[1]}, day {offset + 1}"
        return f"{name}, after cycle {latest[1]}"

    def description(self, events: Sequence[Event]) -> str:
        groups: list[tuple[str, list[Event]]] = []
        for event in events:
            heading = self._heading(event)
            if groups and groups[-1][0] == heading:
                groups[-1][1].append(event)
            else:
                groups.append((heading, [event]))
        lines: list[str] = []
        for heading, group in groups:
            lines.append(heading)
            moved = {e.moved_from for e in group if e.kind is not EventKind.CHECK}
            shared = next(iter(moved)) if len(moved) == 1 else None
            if shared is not None:
                lines.append(_moved(shared))
            for event in group:
                lines.extend(self._detail(event, show_move=shared is None))
        lines.append(f"Regimen {self.regimen.id} version {self.regimen.version}")
        return "\n".join(lines)

    def _detail(self, event: Event, *, show_move: bool) -> list[str]:
        out: list[str] = []
        if event.kind is EventKind.DRUG:
            name, zh, dose = self._drug(event)
            status = "" if event.status == "planned" else f" ({event.status})"
            out.append(f"- {name}{f' ({zh})' if zh else ''} {dose}{self._route(event)}{status}")
            if event.note:
                out.append(f"  note: {event.note}")
        elif event.kind is EventKind.RADIOTHERAPY:
            course = f" ({event.note})" if event.note else ""
            out.append(f"- radiotherapy fraction {event.fraction} of {event.fractions_total}{course}")
        elif event.kind is EventKind.CHECK:
            out.append(f"- check: {event.note or 'check'}")
        else:
            out.append(f"- intervention: {event.note or 'intervention'}")
        if show_move and event.moved_from is not None and event.kind is not EventKind.CHECK:
            out.append(f"  {_moved(event.moved_from)}")
        return out


def _moved(day: dt.date) -> str:
    return f"moved from {day:%a %d %b %Y}: the clinic is closed that day"
