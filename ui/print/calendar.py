"""The nurse's cycle calendar for a patient: a month grid per page (landscape), then the legend.

Each treatment day names the drug (tall man where ISMP lists one), its final dose with unit and its
route; a radiotherapy day says "Radiotherapy: fraction k of n"; every other day of the calendar says
"Rest day: no chemotherapy" (medication-safety K5). The legend explains the words used, lists the
phases, the blood tests before each cycle, the supportive medicines in the regimen's own words, what
to do about a missed or vomited dose, and the site's 24-hour contact number. Dates carry the month as
a word (K4); closed days are hatched *and* say "Clinic closed" (K7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dosecalc.errors import InputError
from dosecalc.schedule.pages import ADJUSTED_WORKING_DAY, CLOSED_PREFIX, DayCell, MonthPage, calendar_pages
from dosecalc.schedule.plan import Event, EventKind
from ui.print.document import (
    Cell,
    Document,
    Frame,
    Paragraph,
    Section,
    Shade,
    Span,
    Table,
    date_text,
    kept,
    paragraph,
    strong,
)
from ui.print.legend import legend_blocks
from ui.print.sources import CalendarSource

__all__ = ["BLOOD_TESTS", "REST_DAY", "WEEKDAYS", "CalendarRange", "calendar_document", "calendar_range"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MARKERS = {"verified": "", "unverified": " (doses not verified)", "expected": " (expected doses)"}
#: What a day without treatment says (medication-safety K5), and the check before each cycle.
REST_DAY = "Rest day: no chemotherapy"
BLOOD_TESTS = "Blood tests first"


@dataclass(frozen=True, slots=True)
class CalendarRange:
    first: dt.date
    last: dt.date
    label: str  # "the whole plan", "Induction cycle 1", …
    validity: str  # the footer's "valid only for …" (medication-safety K2)


def calendar_range(
    source: CalendarSource,
    *,
    phase: str | None = None,
    cycle: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> CalendarRange:
    """The dates to print: the whole plan, one phase, one cycle of a phase, or given dates."""
    plan = source.plan
    if not plan.events:
        raise InputError("plan", source.plan_row["id"], "has no scheduled treatment", expected="a plan with cycles")
    if phase is None and cycle is None:
        start, end = first or plan.events[0].date, last or plan.events[-1].date
        if first is None and last is None:
            return CalendarRange(start, end, "the whole plan", f"covers the whole plan, {_span(start, end)}")
        return CalendarRange(start, end, _span(start, end), f"covers {_span(start, end)} only")
    scheduled = [p for p in plan.phases if p.start is not None and p.end is not None]
    phase_id = phase or scheduled[0].id
    chosen = next((p for p in scheduled if p.id == phase_id), None)
    if chosen is None or chosen.start is None or chosen.end is None:
        raise InputError(
            "phase", phase_id, "is not scheduled in this plan", expected=" | ".join(p.id for p in scheduled)
        )
    name = source.phase_names.get(phase_id, phase_id)
    if cycle is None:
        span = _span(chosen.start, chosen.end)
        return CalendarRange(chosen.start, chosen.end, name, f"valid only for {name}, {span}")
    dates = sorted(e.date for e in plan.events if e.phase == phase_id and e.cycle == cycle)
    if not dates:
        raise InputError(
            "cycle",
            cycle,
            f"is not a cycle of {phase_id} in this plan",
            expected=f"1–{chosen.cycles}" if chosen.cycles else "a scheduled cycle",
        )
    day1 = min(
        (e.date for e in plan.events if e.phase == phase_id and e.cycle == cycle and e.day == 1), default=dates[0]
    )
    length = source.regimen.phase(phase_id).cycle_length_days
    end = max(dates[-1], day1 + dt.timedelta(days=length - 1))
    label = f"{name} cycle {cycle}"
    return CalendarRange(min(dates[0], day1), end, label, f"valid only for {label} starting {date_text(day1)}")


def _span(first: dt.date, last: dt.date) -> str:
    return f"{date_text(first)} to {date_text(last)}"


# ------------------------------------------------------------------------------------------ day cells


def _drug_line(source: CalendarSource, event: Event) -> Paragraph:
    doses = source.doses.get((event.phase, event.cycle or 0))
    name = source.drug_names.get(event.drug or "", event.drug or "?")
    done = "" if event.status == "planned" else f" — {event.status}"
    if doses is None or (event.drug or "") not in doses.doses:
        return paragraph(strong(name), f" dose to be calculated{done}")
    dose, route = doses.doses[event.drug or ""]
    return paragraph(strong(name), " ", kept(dose, bold=True), f" {route}{done}")  # "200 mg" never split


def _group_spans(source: CalendarSource, event: Event) -> list[Span]:
    """``Induction, cycle 1, day 1 (expected doses)``: "cycle 1," and "day 1" are never split."""
    phase = source.phase_names.get(event.phase, event.phase)
    doses = source.doses.get((event.phase, event.cycle or 0))
    marker = _MARKERS.get(doses.source, "") if doses is not None else ""
    spans = [Span(f"{phase}, ", italic=True), Span(f"cycle {event.cycle}, ", italic=True, keep=True),
             Span(f"day {event.day}", italic=True, keep=True)]  # fmt: skip
    return [*spans, Span(marker, italic=True)] if marker else spans


def _day_cell(source: CalendarSource, cell: DayCell, in_range: bool, phase_starts: bool) -> Cell:
    """One day: its number (with the first cycle heading), then checks, doses, radiotherapy, notes."""
    if not cell.in_month:
        return Cell((), Shade.MUTED)
    day = strong(str(cell.date.day))
    if not in_range:
        return Cell((paragraph(day, "  ", Span("not on this calendar", italic=True)),), Shade.MUTED)
    heading: list[str | Span] = [day]
    texts: list[Paragraph] = []
    treated = False
    group: tuple[str, int | None, int | None] | None = None
    for event in cell.events:
        if event.kind is EventKind.DRUG:
            treated = True
            if (event.phase, event.cycle, event.day) != group:
                group = (event.phase, event.cycle, event.day)
                if len(heading) == 1:
                    heading += ["  ", *_group_spans(source, event)]
                else:
                    texts.append(paragraph(*_group_spans(source, event)))
            texts.append(_drug_line(source, event))
        elif event.kind is EventKind.RADIOTHERAPY:
            treated = True
            texts.append(paragraph(strong(f"Radiotherapy: fraction {event.fraction} of {event.fractions_total}")))
        elif event.kind is EventKind.CHECK:
            note = event.note or ""
            texts.append(paragraph(BLOOD_TESTS if "go/no-go" in note else f"Check: {note}"))
        else:
            texts.append(paragraph(f"Local treatment: {event.note or 'see your team'}"))
    for moved in sorted({e.moved_from for e in cell.events if e.moved_from is not None}):
        texts.append(paragraph(f"Moved here from {date_text(moved)}", italic=True))
    if not treated:
        texts.append(paragraph(REST_DAY))
    for label in cell.labels:
        if label.startswith(CLOSED_PREFIX):
            texts.append(paragraph(strong(f"Clinic closed: {label.removeprefix(CLOSED_PREFIX)}")))
        elif label == ADJUSTED_WORKING_DAY:
            texts.append(paragraph("Working day (weekend adjusted)", italic=True))
    if phase_starts and cell.phase and group is None:
        texts.append(paragraph(f"Phase: {source.phase_names.get(cell.phase, cell.phase)}", italic=True))
    closed = cell.closed is not None and cell.closed != "weekend"
    return Cell((paragraph(*heading), *texts), Shade.HATCHED if closed else Shade.NONE)


def _month_table(source: CalendarSource, page: MonthPage, span: CalendarRange) -> Table:
    """The month's grid; the phase is named on its first day of the month and where a new one starts."""
    rows = []
    previous: str | None = None
    for week in page.weeks:
        cells = []
        for cell in week.days:
            in_range = cell.in_month and span.first <= cell.date <= span.last
            cells.append(_day_cell(source, cell, in_range, in_range and cell.phase != previous))
            previous = cell.phase if in_range else previous
        rows.append(tuple(cells))
    header = tuple(Cell((paragraph(day, bold=True),), Shade.MUTED) for day in WEEKDAYS)
    caption = paragraph(f"{dt.date(page.year, page.month, 1):%B %Y}", size=14, bold=True)
    return Table((1.0,) * 7, tuple(rows), header, caption, min_row_height=36, fill_page=True)


# ------------------------------------------------------------------------------------------ document


def _cycles_in(source: CalendarSource, span: CalendarRange) -> list[tuple[str, int]]:
    cycles: dict[tuple[str, int], None] = {}
    for event in source.plan.events:
        if event.kind is EventKind.DRUG and event.cycle is not None and span.first <= event.date <= span.last:
            cycles[(event.phase, event.cycle)] = None
    return list(cycles)


def _status(source: CalendarSource, cycles: Sequence[tuple[str, int]]) -> tuple[bool, str]:
    """Verified only when every cycle on the calendar has a verified order (a plan alone never is)."""
    sources = [source.doses[key] for key in cycles if key in source.doses]
    unverified = [d for d in sources if d.source != "verified"]
    if sources and not unverified:
        orders = ", ".join(f"#{d.order_id}" for d in sources)
        return (
            True,
            f"VERIFIED: every dose is from a verified order ({'order' if len(sources) == 1 else 'orders'} {orders})",
        )
    if len(unverified) == len(sources):
        return False, "NOT VERIFIED: no cycle on this calendar has a verified order"
    return False, f"NOT VERIFIED: {len(unverified)} of {len(sources)} cycles have no verified order"


def calendar_document(
    source: CalendarSource,
    span: CalendarRange,
    *,
    printed_by: str,
    printed_at: dt.datetime | None = None,
    chinese: bool = False,
) -> Document:
    """The calendar of ``span``: a month grid per page, then the legend."""
    pages = calendar_pages(source.plan, source.clinic, span.first, span.last)
    cycles = _cycles_in(source, span)
    verified, status = _status(source, cycles)
    patient, row, regimen = source.patient, source.plan_row, source.regimen
    frame = Frame.for_patient(
        patient,
        printed_at=printed_at,
        title=f"Treatment calendar ({span.label})",
        regimen=f"{regimen.id} v{regimen.version}",
        status=status,
        verified=verified,
        printed_by=printed_by,
        record=f"plan #{row['id']}",
        validity=span.validity,
    )
    sections = [Section((_month_table(source, page, span),)) for page in pages]
    sections.append(Section(tuple(legend_blocks(source, span.first, span.last, span.label, chinese))))
    orders = sorted({d.order_id for key in cycles if (d := source.doses.get(key)) and d.order_id is not None})
    audit = {
        "document": "calendar",
        "plan_id": int(row["id"]),
        "patient_id": int(patient["id"]),
        "regimen_version": f"{regimen.id} {regimen.version}",
        "first": span.first.isoformat(),
        "last": span.last.isoformat(),
        "verified": verified,
        "orders": orders,
    }
    return Document("calendar", frame, tuple(sections), landscape=True, condensed=True, audit=audit)
