"""The nurse's cycle calendar for a patient: a month grid per page (landscape), then the legend.

Each treatment day names the drug (tall man where ISMP lists one), its final dose with unit and its
route; a radiotherapy day says "Radiotherapy: fraction k of n"; every other day of the calendar says
"Rest day: no chemotherapy" (medication-safety K5). The legend explains the words used, lists the
phases, the blood tests before each cycle, the supportive medicines in the regimen's own words, what
to do about a missed or vomited dose, and the site's 24-hour contact number. Dates carry the month as
a word (K4); closed days are hatched *and* say "Clinic closed" (K7).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dosecalc.errors import InputError
from dosecalc.schedule.pages import ADJUSTED_WORKING_DAY, CLOSED_PREFIX, DayCell, MonthPage, calendar_pages
from dosecalc.schedule.plan import Event, EventKind
from ui.i18n import CHINESE, bilingual, current_language, document_language, month_text, translate, weekday_text
from ui.plan_text import is_day1_check, note_text, status_text
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
from ui.print.legend import legend_blocks, route_words
from ui.print.sources import CalendarSource

__all__ = ["BLOOD_TESTS", "REST_DAY", "WEEKDAYS", "CalendarRange", "calendar_document", "calendar_range"]

WEEKDAYS = tuple(weekday_text(day, "en") for day in range(7))
#: What a day without treatment says (medication-safety K5), and the check before each cycle (English source
#: texts; printed in the patient's language).
REST_DAY = "Rest day: no chemotherapy"
BLOOD_TESTS = "Blood tests first"


def _markers() -> dict[str, str]:
    return {
        "verified": "",
        "unverified": translate("PrintCalendar", " (doses not verified)"),
        "expected": translate("PrintCalendar", " (expected doses)"),
    }


@dataclass(frozen=True, slots=True)
class CalendarRange:
    """The dates a calendar covers and what they are; its words are written in the printout's language."""

    first: dt.date
    last: dt.date
    whole: bool = False  # the whole plan
    phase_id: str | None = None  # the phase printed
    phase: str | None = None  # its name (the printout puts it in the reader's language)
    cycle: int | None = None
    day1: dt.date | None = None

    @property
    def label(self) -> str:
        """``the whole plan``, ``Induction cycle 1``, … (in the language of :func:`document_language`)."""
        if self.whole:
            return translate("PrintCalendar", "the whole plan")
        if self.phase is None:
            return _span(self.first, self.last)
        if self.cycle is None:
            return self.phase
        return translate("PrintCalendar", "{phase} cycle {cycle}").format(phase=self.phase, cycle=self.cycle)

    @property
    def validity(self) -> str:
        """The footer's "valid only for …" (medication-safety K2)."""
        span = _span(self.first, self.last)
        if self.whole:
            return translate("PrintCalendar", "covers the whole plan, {span}").format(span=span)
        if self.phase is None:
            return translate("PrintCalendar", "covers {span} only").format(span=span)
        if self.cycle is None:
            return translate("PrintCalendar", "valid only for {phase}, {span}").format(phase=self.phase, span=span)
        return translate("PrintCalendar", "valid only for {label} starting {date}").format(
            label=self.label, date=date_text(self.day1 or self.first)
        )


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
        return CalendarRange(start, end, whole=first is None and last is None)
    scheduled = [p for p in plan.phases if p.start is not None and p.end is not None]
    phase_id = phase or scheduled[0].id
    chosen = next((p for p in scheduled if p.id == phase_id), None)
    if chosen is None or chosen.start is None or chosen.end is None:
        raise InputError(
            "phase", phase_id, "is not scheduled in this plan", expected=" | ".join(p.id for p in scheduled)
        )
    name = source.phase_names.get(phase_id, phase_id)
    if cycle is None:
        return CalendarRange(chosen.start, chosen.end, phase_id=phase_id, phase=name)
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
    return CalendarRange(min(dates[0], day1), end, phase_id=phase_id, phase=name, cycle=cycle, day1=day1)


def _span(first: dt.date, last: dt.date) -> str:
    return translate("PrintCalendar", "{first} to {last}").format(first=date_text(first), last=date_text(last))


# ------------------------------------------------------------------------------------------ day cells


def _drug_line(source: CalendarSource, event: Event) -> Paragraph:
    doses = source.doses.get((event.phase, event.cycle or 0))
    name = source.drug_names.get(event.drug or "", event.drug or "?")
    done = "" if event.status == "planned" else f" — {status_text(event.status)}"
    if doses is None or (event.drug or "") not in doses.doses:
        return paragraph(strong(name), translate("PrintCalendar", " dose to be calculated") + done)
    dose, route = doses.doses[event.drug or ""]
    return paragraph(strong(name), " ", kept(dose, bold=True), f" {route_words(route)}{done}")  # "200 mg" never split


def _group_spans(source: CalendarSource, event: Event) -> list[Span]:
    """``Induction, cycle 1, day 1 (expected doses)``: "cycle 1," and "day 1" are never split."""
    phase = source.phase_names.get(event.phase, event.phase)
    doses = source.doses.get((event.phase, event.cycle or 0))
    marker = _markers().get(doses.source, "") if doses is not None else ""
    spans = [Span(f"{phase}, ", italic=True),
             Span(translate("PrintCalendar", "cycle {cycle}, ").format(cycle=event.cycle), italic=True, keep=True),
             Span(translate("PrintCalendar", "day {day}").format(day=event.day), italic=True, keep=True)]  # fmt: skip
    return [*spans, Span(marker, italic=True)] if marker else spans


def _day_cell(source: CalendarSource, cell: DayCell, in_range: bool, phase_starts: bool) -> Cell:
    """One day: its number (with the first cycle heading), then checks, doses, radiotherapy, notes."""
    if not cell.in_month:
        return Cell((), Shade.MUTED)
    day = strong(str(cell.date.day))
    if not in_range:
        return Cell(
            (paragraph(day, "  ", Span(translate("PrintCalendar", "not on this calendar"), italic=True)),), Shade.MUTED
        )
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
            texts.append(
                paragraph(
                    strong(
                        translate("PrintCalendar", "Radiotherapy: fraction {fraction} of {total}").format(
                            fraction=event.fraction, total=event.fractions_total
                        )
                    )
                )
            )
        elif event.kind is EventKind.CHECK:
            texts.append(
                paragraph(
                    translate("PrintCalendar", BLOOD_TESTS)
                    if is_day1_check(event)
                    else translate("PrintCalendar", "Check: {note}").format(note=note_text(event))
                )
            )
        else:
            note = note_text(event) or translate("PrintCalendar", "see your team")
            texts.append(paragraph(translate("PrintCalendar", "Local treatment: {note}").format(note=note)))
    for moved in sorted({e.moved_from for e in cell.events if e.moved_from is not None}):
        texts.append(
            paragraph(translate("PrintCalendar", "Moved here from {date}").format(date=date_text(moved)), italic=True)
        )
    if not treated:
        texts.append(paragraph(translate("PrintCalendar", REST_DAY)))
    for label in cell.labels:
        if label.startswith(CLOSED_PREFIX):
            reason = label.removeprefix(CLOSED_PREFIX)
            texts.append(paragraph(strong(translate("PrintCalendar", "Clinic closed: {reason}").format(reason=reason))))
        elif label == ADJUSTED_WORKING_DAY:
            texts.append(paragraph(translate("PrintCalendar", "Working day (weekend adjusted)"), italic=True))
    if phase_starts and cell.phase and group is None:
        phase = source.phase_names.get(cell.phase, cell.phase)
        texts.append(paragraph(translate("PrintCalendar", "Phase: {phase}").format(phase=phase), italic=True))
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
    header = tuple(Cell((paragraph(weekday_text(day), bold=True),), Shade.MUTED) for day in range(7))
    caption = paragraph(month_text(dt.date(page.year, page.month, 1)), size=14, bold=True)
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
        if len(sources) == 1:
            return True, translate(
                "PrintCalendar", "VERIFIED: every dose is from a verified order (order {orders})"
            ).format(orders=orders)
        return True, translate(
            "PrintCalendar", "VERIFIED: every dose is from a verified order (orders {orders})"
        ).format(orders=orders)
    if len(unverified) == len(sources):
        return False, translate("PrintCalendar", "NOT VERIFIED: no cycle on this calendar has a verified order")
    return False, translate("PrintCalendar", "NOT VERIFIED: {count} of {total} cycles have no verified order").format(
        count=len(unverified), total=len(sources)
    )


def calendar_document(
    source: CalendarSource,
    span: CalendarRange,
    *,
    printed_by: str,
    printed_at: dt.datetime | None = None,
    language: str | None = None,
) -> Document:
    """The calendar of ``span`` in ``language`` (default: the patient's): a month grid per page, then the legend.

    Its words, dates and weekdays are in that language; each drug carries its Chinese and its English
    (tall man) name whatever the language, so that either reader and the ward can check it.
    """
    with document_language(language or source.patient["language"] or CHINESE) as chosen:
        return _calendar_document(_named(source), span, printed_by, printed_at, chosen)


def _named(source: CalendarSource) -> CalendarSource:
    """The source with its drugs named in both languages and its phases in the printout's language."""
    drugs = {
        drug_id: bilingual(english, source.drug_chinese.get(drug_id, ""))
        for drug_id, english in source.drug_names.items()
    }
    chinese = current_language() == CHINESE
    phases = {p.id: (p.name.zh if chinese and p.name.zh else p.name.en) for p in source.regimen.phases}
    return dataclasses.replace(source, drug_names=drugs, phase_names={**source.phase_names, **phases})


def _calendar_document(
    source: CalendarSource, span: CalendarRange, printed_by: str, printed_at: dt.datetime | None, language: str
) -> Document:
    if span.phase_id is not None:  # the phase as named in this printout's language
        span = dataclasses.replace(span, phase=source.phase_names.get(span.phase_id, span.phase))
    pages = calendar_pages(source.plan, source.clinic, span.first, span.last)
    cycles = _cycles_in(source, span)
    verified, status = _status(source, cycles)
    patient, row, regimen = source.patient, source.plan_row, source.regimen
    frame = Frame.for_patient(
        patient,
        printed_at=printed_at,
        title=translate("PrintCalendar", "Treatment calendar ({label})").format(label=span.label),
        regimen=f"{regimen.id} v{regimen.version}",
        status=status,
        verified=verified,
        printed_by=printed_by,
        record=translate("PrintCalendar", "plan #{id}").format(id=row["id"]),
        validity=span.validity,
    )
    sections = [Section((_month_table(source, page, span),)) for page in pages]
    sections.append(Section(tuple(legend_blocks(source, span.first, span.last, span.label))))
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
        "language": language,
    }
    return Document("calendar", frame, tuple(sections), landscape=True, condensed=True, audit=audit, language=language)
