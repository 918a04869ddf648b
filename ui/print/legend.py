"""The calendar's legend page: what the words mean, the phases, the blood tests, the supportive medicines,
a missed or vomited dose, and the 24-hour contact number (medication-safety K4–K5).

The wording for patients is deliberately generic and careful; the supportive medicines are quoted from
the regimen's own lines (premedication and supportive), never invented here.
"""

from __future__ import annotations

import datetime as dt

from dosecalc.regimen.model import Route
from dosecalc.schedule.plan import EventKind
from ui.i18n import CHINESE, QT_TRANSLATE_NOOP, current_language, localized, translate, weekday_text
from ui.plan_text import is_day1_check, note_text, stop_rule_text
from ui.print.document import Block, Cell, Paragraph, Shade, Table, date_text, paragraph, strong
from ui.print.sources import CalendarSource

__all__ = ["CONTACT_NOT_SET", "MISSED_DOSE", "legend_blocks"]

MISSED_DOSE = QT_TRANSLATE_NOOP(
    "PrintCalendar", "If a dose is missed or vomited, do not take an extra dose; call the 24-hour number."
)
CONTACT_NOT_SET = QT_TRANSLATE_NOOP(
    "PrintCalendar", "not set in DoseCalc — write the ward's number here before handing this calendar over:"
)
_TERMS = (
    (QT_TRANSLATE_NOOP("PrintCalendar", "Rest day: no chemotherapy"),
     QT_TRANSLATE_NOOP("PrintCalendar", "No treatment that day."), Shade.NONE),
    (QT_TRANSLATE_NOOP("PrintCalendar", "Blood tests first"),
     QT_TRANSLATE_NOOP("PrintCalendar", "Blood count, liver and kidney tests before treatment. Treatment goes ahead "
                                        "only if the results allow it."), Shade.NONE),
    (QT_TRANSLATE_NOOP("PrintCalendar", "(expected doses)"),
     QT_TRANSLATE_NOOP("PrintCalendar", "Calculated from your latest measurements. Your team checks each dose "
                                        "before the cycle; it may change."), Shade.NONE),
    (QT_TRANSLATE_NOOP("PrintCalendar", "(doses not verified)"),
     QT_TRANSLATE_NOOP("PrintCalendar", "Calculated and saved, but not yet checked by a second pharmacist."),
     Shade.NONE),
    (QT_TRANSLATE_NOOP("PrintCalendar", "Radiotherapy: fraction 3 of 28"),
     QT_TRANSLATE_NOOP("PrintCalendar", "Your third radiotherapy treatment of 28."), Shade.NONE),
    (QT_TRANSLATE_NOOP("PrintCalendar", "Moved here from …"),
     QT_TRANSLATE_NOOP("PrintCalendar", "The treatment was moved from that date (the clinic was closed or the "
                                        "cycle was delayed)."), Shade.NONE),
    (QT_TRANSLATE_NOOP("PrintCalendar", "Clinic closed: …"),
     QT_TRANSLATE_NOOP("PrintCalendar", "The clinic is closed that day (diagonal lines)."), Shade.HATCHED),
    (QT_TRANSLATE_NOOP("PrintCalendar", "not on this calendar"),
     QT_TRANSLATE_NOOP("PrintCalendar", "A day outside the dates this calendar covers (grey)."), Shade.MUTED),
)  # fmt: skip


def _t(text: str) -> str:
    return translate("PrintCalendar", text)


_ROUTES = {
    "intravenous": QT_TRANSLATE_NOOP("PrintCalendar", "intravenous"),
    "oral": QT_TRANSLATE_NOOP("PrintCalendar", "oral"),
    "hepatic intra-arterial": QT_TRANSLATE_NOOP("PrintCalendar", "hepatic intra-arterial"),
}


def route_words(route: str) -> str:
    """``intravenous over 30 min`` (as :func:`ui.print.sources.route_text` writes it) in the printout's language."""
    name, _, infusion = route.partition(" over ")
    words = translate("PrintCalendar", _ROUTES[name]) if name in _ROUTES else name
    return (
        translate("PrintCalendar", "{route} over {duration}").format(route=words, duration=infusion)
        if infusion
        else words
    )


def _heading(text: str) -> Paragraph:
    return paragraph(text, size=13, bold=True, space_before=10, keep_with_next=True)


def _cell(*texts: Paragraph, shade: Shade = Shade.NONE) -> Cell:
    return Cell(tuple(texts), shade)


def _head(*titles: str) -> tuple[Cell, ...]:
    return tuple(_cell(paragraph(title, bold=True), shade=Shade.MUTED) for title in titles)


def _phases(source: CalendarSource) -> Table:
    rows = []
    regimen, plan = source.regimen, source.plan
    for phase in plan.phases:
        if phase.start is None or phase.end is None:
            continue
        defined = regimen.phase(phase.id)
        drugs = [
            f"{source.drug_names.get(line.drug, line.drug)} {route_words(line.route.value)}"
            for phase_id, line in source.lines
            if phase_id == phase.id
        ]
        courses = [
            translate("PrintCalendar", "radiotherapy {total} in {fractions} fractions").format(
                total=course.total, fractions=course.fractions
            )
            for course in defined.radiotherapy
            if course.choice is None or plan.choices.get(course.choice.split("=")[0]) == course.choice.split("=")[1]
        ]
        rows.append(
            (
                _cell(paragraph(strong(source.phase_names.get(phase.id, phase.id)))),
                _cell(
                    paragraph(
                        translate("PrintCalendar", "{first} to {last}").format(
                            first=date_text(phase.start), last=date_text(phase.end)
                        )
                    )
                ),
                _cell(
                    paragraph(
                        translate("PrintCalendar", "every {days} days; {rule}").format(
                            days=defined.cycle_length_days, rule=stop_rule_text(phase)
                        )
                    )
                ),
                _cell(paragraph("; ".join(drugs + courses) or "—")),
            )
        )
    return Table(
        (1.2, 1.4, 2.8, 2.6),
        tuple(rows),
        _head(
            translate("PrintCalendar", "Phase"),
            translate("PrintCalendar", "Dates"),
            translate("PrintCalendar", "Cycles"),
            translate("PrintCalendar", "Treatment"),
        ),
    )


def _blood_tests(source: CalendarSource, first: dt.date, last: dt.date) -> list[Block]:
    checks = [
        e for e in source.plan.events if e.kind is EventKind.CHECK and first <= e.date <= last and is_day1_check(e)
    ]
    blocks: list[Block] = [
        _heading(translate("PrintCalendar", "Blood tests before each cycle")),
        paragraph(
            translate(
                "PrintCalendar",
                "Before every cycle you have blood tests: blood count, liver and kidney tests. Come on the "
                "day shown, before treatment; your team decides from the results whether treatment goes ahead.",
            )
        ),
    ]
    if not checks:
        return [*blocks, paragraph(translate("PrintCalendar", "No cycle starts within the dates of this calendar."))]
    pairs = [
        (
            translate("PrintCalendar", "{phase} cycle {cycle}").format(
                phase=source.phase_names.get(e.phase, e.phase), cycle=e.cycle
            ),
            _dated(e.date),
        )
        for e in checks
    ]
    columns = 4
    rows = []
    for start in range(0, len(pairs), columns):
        chunk = pairs[start : start + columns] + [("", "")] * (columns - len(pairs[start : start + columns]))
        rows.append(tuple(_cell(paragraph(text)) for pair in chunk for text in pair))
    head = _head(*([translate("PrintCalendar", "Cycle"), translate("PrintCalendar", "Blood tests on")] * columns))
    others = [
        e for e in source.plan.events if e.kind is EventKind.CHECK and first <= e.date <= last and not is_day1_check(e)
    ]
    blocks.append(Table((1.6, 1.2) * columns, tuple(rows), head))
    blocks.extend(paragraph(f"{date_text(e.date)}: {note_text(e)}", space_before=3) for e in others)
    return blocks


def _supportive(source: CalendarSource) -> list[Block]:
    blocks: list[Block] = [_heading(translate("PrintCalendar", "Medicines to prevent or treat side effects"))]
    seen: set[tuple[str, str]] = set()
    for _phase, line in source.lines:
        name = source.drug_names.get(line.drug, line.drug)
        for kind, texts in (("Before", line.premedication), ("With", line.supportive)):
            for text in texts:
                if (name, text) in seen:
                    continue
                seen.add((name, text))
                lead = (
                    translate("PrintCalendar", "Before {drug}: ").format(drug=name)
                    if kind == "Before"
                    else translate("PrintCalendar", "With {drug}, when needed: ").format(drug=name)
                )
                blocks.append(paragraph(strong(lead), f"{text}.", space_before=3))
    if len(blocks) == 1:
        blocks.append(
            paragraph(
                translate(
                    "PrintCalendar", "The regimen lists none. Your team will tell you about any medicine you need."
                )
            )
        )
    blocks.append(
        paragraph(
            translate(
                "PrintCalendar",
                "Take these medicines exactly as your team prescribes them; ask if you are unsure "
                "when or how to take them.",
            ),
            space_before=4,
        )
    )
    if any(line.route is Route.ORAL for _phase, line in source.lines):
        blocks.append(
            paragraph(
                strong(translate("PrintCalendar", "Tablets or capsules at home: ")),
                translate(
                    "PrintCalendar",
                    "take them at the times your team gives you, swallowed whole with water. Keep them in their "
                    "original pack, dry and out of the reach of children; give unused ones back to the pharmacy.",
                ),
                space_before=4,
            )
        )
    return blocks


def _dated(day: dt.date) -> str:
    """``Mon 07 Dec 2026`` / ``2026年12月7日 星期一``."""
    if current_language() == CHINESE:
        return f"{date_text(day)} {weekday_text(day)}"
    return f"{weekday_text(day, short=True)} {date_text(day)}"


def legend_blocks(source: CalendarSource, first: dt.date, last: dt.date, label: str) -> list[Block]:
    """The legend page's blocks, in the language of :func:`ui.i18n.document_language`."""
    regimen, row = source.regimen, source.plan_row
    name = localized(regimen.name)
    other = regimen.name.en if name != regimen.name.en else regimen.name.zh
    name = f"{name} / {other}" if other else name
    number = source.contact_number.strip()
    contact = [strong(number)] if number else [_t(CONTACT_NOT_SET), " ________________________"]
    terms = [
        (_cell(paragraph(strong(_t(term))), shade=shade), _cell(paragraph(_t(meaning))))
        for term, meaning, shade in _TERMS
    ]
    if len(terms) % 2:
        terms.append((_cell(), _cell()))
    return [
        paragraph(translate("PrintCalendar", "About this calendar"), size=14, bold=True),
        paragraph(
            strong(translate("PrintCalendar", "Treatment: ")),
            translate("PrintCalendar", "{name} ({regimen} version {version}).").format(
                name=name, regimen=regimen.id, version=regimen.version
            ),
            space_before=4,
        ),
        paragraph(
            strong(translate("PrintCalendar", "This calendar: ")),
            translate(
                "PrintCalendar",
                "{what}, from plan #{plan} starting {start}. Each dose is the dose for one administration.",
            ).format(
                what=label
                if date_text(first) in label
                else translate("PrintCalendar", "{label}, {first} to {last}").format(
                    label=label, first=date_text(first), last=date_text(last)
                ),
                plan=row["id"],
                start=date_text(row["start_date"]),
            ),
            space_before=2,
        ),
        paragraph(strong(translate("PrintCalendar", "24-hour contact number: ")), *contact, size=14, space_before=8),
        paragraph(strong(_t(MISSED_DOSE)), space_before=6),
        paragraph(
            translate(
                "PrintCalendar",
                "If you cannot come to a treatment or blood test appointment, call the 24-hour number to arrange "
                "a new date. Call it at once, day or night, if you have a fever or shivers, feel suddenly unwell, "
                "bleed or bruise easily, or have diarrhoea or vomiting that does not stop.",
            ),
            space_before=2,
        ),
        *_supportive(source),
        _heading(translate("PrintCalendar", "Words on the calendar")),
        Table((1.2, 2.3, 1.2, 2.3), tuple((*terms[i], *terms[i + 1]) for i in range(0, len(terms), 2))),
        _heading(translate("PrintCalendar", "Phases")),
        _phases(source),
        *_blood_tests(source, first, last),
    ]
