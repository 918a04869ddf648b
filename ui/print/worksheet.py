"""The pharmacist's order worksheet for one cycle: everything needed to check the saved order on paper.

Printed from the order's stored snapshot — the calculation that was saved and verified — never from a
new calculation: identifiers, the measurements with their dates, the policies (BSA formula, renal
method, weight basis, creatinine floor, GFR cap), each drug's dose line and derivation as the core
wrote it, flags and overrides with their reasons, the cumulative totals as the Ledger tab shows them,
and the verification status with the signature (medication-safety C4–C5, F, H, K).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dosecalc.display import format_number, format_quantity
from dosecalc.labs import LAB_KINDS
from dosecalc.units import Quantity
from ui.models import days_text, percent_text
from ui.print.document import (
    Block,
    Cell,
    Document,
    Frame,
    Paragraph,
    Section,
    Shade,
    Span,
    Table,
    date_text,
    paragraph,
    strong,
)
from ui.print.label import preparation_blocks
from ui.print.sources import VERIFIED_STATUSES, WorksheetSource, dose_text, route_text

__all__ = ["local_time_text", "worksheet_document"]

_DOSING_KINDS = ("height", "weight", "creatinine")


def local_time_text(moment: dt.datetime | None) -> str:
    """``07 Dec 2026 14:03`` in local time; a stored time without a zone is UTC (the store writes UTC)."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    return f"{date_text(local.date())} {local:%H:%M}"


def _heading(text: str) -> Paragraph:
    return paragraph(text, size=11, bold=True, space_before=4, keep_with_next=True)


def _cells(*texts: str | Paragraph, shade: Shade = Shade.NONE) -> tuple[Cell, ...]:
    return tuple(Cell((text if isinstance(text, Paragraph) else paragraph(text),), shade) for text in texts)


def _head(*titles: str) -> tuple[Cell, ...]:
    return tuple(Cell((paragraph(title, bold=True),), Shade.MUTED) for title in titles)


def _quantity(value: Any) -> Any:
    return Quantity(value["value"], value["unit"]) if value else None


def _patient(source: WorksheetSource) -> Table:
    patient = source.patient
    rows = [
        _cells("Name", paragraph(strong(patient["full_name"])), "Hospital number",
               paragraph(strong(patient["hospital_number"]))),
        _cells("Date of birth", date_text(patient["date_of_birth"]), "Sex", patient["sex"]),
        _cells("Allergies", paragraph(strong(patient["allergies"])), "Diagnosis", patient["diagnosis"]),
    ]  # fmt: skip
    return Table((1.3, 1.8, 1.3, 2.6), tuple(rows))


def _measurements(source: WorksheetSource) -> Table:
    inputs = source.order["inputs"] or {}
    dates = inputs.get("measured_on") or {}
    rows = []
    for kind in _DOSING_KINDS:
        stored = source.measurements.get(kind)
        value = inputs.get(kind) or (stored["value_text"] if stored else None)
        day = dates.get(kind) or (stored["measured_on"].isoformat() if stored else None)
        origin = "used for these doses" if inputs.get(kind) else "latest recorded"
        when = date_text(dt.date.fromisoformat(str(day))) if day else "no date recorded"
        rows.append(_cells(paragraph(strong(kind)), value or "not recorded", when, origin))
    for kind, stored in source.measurements.items():
        lab = LAB_KINDS.get(kind)
        if kind not in _DOSING_KINDS and lab is not None:
            value = f"{format_number(stored['value_si'], 2)} {lab.unit}"
            rows.append(_cells(lab.name, value, date_text(stored["measured_on"]), f"{stored['source']}, day-1 check"))
    snapshot = source.order["snapshot"]
    bsa = _quantity(snapshot.get("bsa"))
    if bsa is not None:
        formula = next((p["value"] for p in snapshot.get("policies", []) if p["name"] == "BSA formula"), "")
        rows.append(_cells("BSA", paragraph(strong(format_quantity(bsa, 2))), "from height and weight",
                           f"calculated, {formula}"))  # fmt: skip
    return Table((1.6, 1.3, 1.2, 1.5), tuple(rows), _head("Measurement", "Value", "Measured on", "Note"))


def _policies(source: WorksheetSource) -> Table:
    texts = []
    for policy in source.order["snapshot"].get("policies", []):
        origin = policy.get("from", "default")
        marker = [] if origin == "default" else [Span(f" (from the {origin})", bold=True)]
        texts.append((policy["name"], paragraph(policy["value"], *marker)))
    if len(texts) % 2:
        texts.append(("", paragraph("")))
    rows = [_cells(*texts[i], *texts[i + 1]) for i in range(0, len(texts), 2)]
    return Table((1.6, 1.7, 1.6, 1.7), tuple(rows))


def _doses(source: WorksheetSource) -> Table:
    rows = []
    for line in source.order["snapshot"].get("lines", []):
        basis = line["basis"]
        basis_text = (
            f"AUC {basis['value']:g} mg/mL·min" if line["basis_kind"] == "auc" else format_quantity(_quantity(basis))
        )
        drug = source.catalogue.get(line["drug"])
        name = line.get("display") or (drug.display if drug else line["drug"])
        rows.append(
            _cells(
                paragraph(strong(name)),
                basis_text,
                format_quantity(_quantity(line["calculated"]), 2),
                paragraph(strong(dose_text(_quantity(line["final"])))),
                percent_text(line["deviation_percent"]),
                format_quantity(_quantity(line["per_cycle"]), 1),
                route_text(line["route"], line.get("infusion")),
                days_text(tuple(line["days"])),
            )
        )
    head = _head("Drug", "Basis", "Calculated", "DOSE", "Difference", "Per cycle", "Route", "Days")
    caption = paragraph("DOSE: each administration, after rounding. Per cycle: the total of the cycle.")
    return Table((1.25, 1.1, 1.15, 1.0, 1.15, 1.0, 1.5, 0.6), tuple(rows), head, caption)


def _derivations(source: WorksheetSource) -> list[Block]:
    """Each line's derivation as the core wrote it: what went in (inputs, policies) beside what was done."""
    blocks: list[Block] = []
    for line in source.order["snapshot"].get("lines", []):
        texts = list(line.get("derivation") or [])
        if not texts:
            continue
        title, *rest = texts
        source_line = next((text for text in rest if text.startswith("Source:")), None)
        heading = [strong(f"Derivation: {title}")] + ([f" — {source_line}"] if source_line else [])
        rest = [text for text in rest if text is not source_line]
        blocks.append(paragraph(*heading, space_before=4, keep_with_next=True))
        inputs: list[Paragraph] = []
        steps: list[Paragraph] = []
        column = inputs
        for text in rest:
            stripped = text.lstrip(" ")
            depth = (len(text) - len(stripped)) // 2
            if not depth and stripped in ("Steps:", "Flags:"):
                column = steps
            column.append(paragraph(stripped, indent=10 * depth, bold=not depth))
        blocks.append(Table((1.0, 1.5), ((Cell(tuple(inputs)), Cell(tuple(steps))),), borders=False))
    return blocks


def _flags(source: WorksheetSource) -> list[Block]:
    """The order's flags that no dose line's derivation already lists, then every override with its reason."""
    snapshot, order = source.order["snapshot"], source.order
    listed = {text.strip() for line in snapshot.get("lines", []) for text in line.get("derivation") or []}
    flags = [f for f in snapshot.get("flags", []) if f"{f['severity'].upper()}: {f['message']}" not in listed]
    blocks: list[Block] = []
    for flag in sorted(flags, key=lambda f: {"block": 0, "warning": 1}.get(f["severity"], 2)):
        blocks.append(paragraph(strong(f"{flag['severity'].upper()}: "), flag["message"], space_before=2))
    if not flags:
        blocks.append(paragraph("None besides the dose lines' flags above."))
    overrides = order["overrides"] or []
    if overrides:
        rows = [
            _cells(
                o.get("message") or o.get("code", ""),
                paragraph(strong(o.get("reason", ""))),
                f"{o.get('by', '')} {local_time_text(_when(o.get('at')))}",
            )
            for o in overrides
        ]
        blocks.append(
            Table(
                (3.0, 2.0, 1.4),
                tuple(rows),
                _head("Overridden block", "Reason", "By, when"),
                caption=paragraph("Overrides", bold=True, space_before=6),
            )
        )
    else:
        blocks.append(paragraph("No block was overridden."))
    return blocks


def _when(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _totals(source: WorksheetSource) -> list[Block]:
    """Each drug's cumulative total in the Ledger tab's own words (its columns), so paper and screen agree."""
    from PySide6.QtCore import Qt

    from ui.ledger_models import DrugTotalsModel

    if source.ledger is None:
        return [paragraph(f"The cumulative totals cannot be computed: {source.ledger_problem}")]
    model = DrugTotalsModel(source.ledger.drugs, source.catalogue)
    titles = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    titles[DrugTotalsModel.BAR_COLUMN] = "against the limit"  # the screen's bar is words on paper
    blocks: list[Block] = [
        paragraph(f"On {date_text(source.ledger.on)}: given and declared so far, and projected to the plan's end.")
    ]
    for row in range(model.rowCount()):
        texts = [
            str(model.data(model.index(row, column)) or "").replace(":\n", ": ").replace("\n", ", ")
            for column in range(len(titles))
        ]
        parts = [f"{title.lower()}: {text}" for title, text in zip(titles[1:], texts[1:], strict=True)]
        blocks.append(paragraph(strong(f"{texts[0]}: "), "; ".join(parts), space_before=2))
    if not model.rowCount():
        blocks.append(paragraph("Nothing given or planned yet."))
    return blocks


def _signatures(source: WorksheetSource) -> list[Block]:
    """Who calculated, who verified and what the signature means, the content hash and the signature."""
    order = source.order
    calculated = source.calculated_by
    who: list[str | Span] = [
        strong("Calculated and saved by: "),
        f"{calculated.full_name} ({calculated.username}, {calculated.role.value}) on "
        f"{local_time_text(order['calculated_at'])}. ",
    ]
    status = order["status"]
    if status in VERIFIED_STATUSES and source.verified_by is not None:
        verifier = source.verified_by
        who += [
            strong("Verified by: "),
            f"{verifier.full_name} ({verifier.username}, {verifier.role.value}) on "
            f"{local_time_text(order['verified_at'])}; meaning of the signature: ",
            strong("verified calculation"),
            " (an independent second check whose blind recalculation agreed).",
        ]
    elif status == "superseded":
        who += [strong("SUPERSEDED: "), "an input changed after this order was saved; its verification is void."]
    else:
        who += [strong("Not verified: "), "awaiting a second pharmacist's independent verification in DoseCalc."]
    blocks: list[Block] = [paragraph(*who), paragraph(strong("Content SHA-256: "), order["content_hash"])]
    if status in VERIFIED_STATUSES and order["signature"]:
        blocks.append(paragraph(strong("Electronic signature: "), order["signature"]))
    return blocks


def _status(source: WorksheetSource) -> tuple[bool, str]:
    order = source.order
    if order["status"] in VERIFIED_STATUSES and source.verified_by is not None:
        who = source.verified_by.full_name
        return True, f"VERIFIED by {who} on {local_time_text(order['verified_at'])} ({order['status']})"
    if order["status"] == "superseded":
        return False, "SUPERSEDED: verification void, calculate and verify again"
    return False, "NOT VERIFIED: awaiting independent verification"


def worksheet_document(source: WorksheetSource, *, printed_by: str, printed_at: dt.datetime | None = None) -> Document:
    """The worksheet of one saved order (portrait), in English: the pharmacists' record of the calculation."""
    from ui.i18n import document_language

    with document_language("en"):
        return _worksheet_document(source, printed_by, printed_at)


def _worksheet_document(source: WorksheetSource, printed_by: str, printed_at: dt.datetime | None) -> Document:
    order, patient, plan = source.order, source.patient, source.plan_row
    phase = source.regimen.phase(order["phase"]).name.en if source.regimen else order["phase"]
    verified, status = _status(source)
    day1 = source.day_one
    frame = Frame.for_patient(
        patient,
        printed_at=printed_at,
        title=f"Order worksheet: {phase}, cycle {order['cycle']}",
        regimen=f"{plan['regimen_id']} v{plan['regimen_version']}",
        status=status,
        verified=verified,
        printed_by=printed_by,
        record=f"order #{order['id']} of plan #{plan['id']}, content {order['content_hash'][:12]}",
        validity=f"valid only for {phase} cycle {order['cycle']}" + (f" starting {date_text(day1)}" if day1 else ""),
    )
    blocks: list[Block] = [
        _heading("Patient"),
        _patient(source),
        _heading("Measurements"),
        _measurements(source),
        _heading("Dosing policies (the site's defaults, except where marked)"),
        _policies(source),
        _heading("Doses"),
        _doses(source),
        _heading("How each dose was calculated"),
        *_derivations(source),
        _heading("Preparation"),
        *preparation_blocks(source),
        _heading("Other flags of the order, and overrides"),
        *_flags(source),
        _heading("Cumulative totals"),
        *_totals(source),
        _heading("Verification and signatures"),
        *_signatures(source),
    ]
    audit = {"document": "worksheet", "order_id": int(order["id"]), "status_at_print": order["status"]}
    return Document("worksheet", frame, (Section(tuple(blocks)),), landscape=False, audit=audit)
