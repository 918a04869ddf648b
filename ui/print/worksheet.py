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

from dosecalc import __version__
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
    Table,
    date_text,
    paragraph,
    strong,
)
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
    return paragraph(text, size=13, bold=True, space_before=10, keep_with_next=True)


def _cells(*texts: str | Paragraph, shade: Shade = Shade.NONE) -> tuple[Cell, ...]:
    return tuple(Cell((text if isinstance(text, Paragraph) else paragraph(text),), shade) for text in texts)


def _head(*titles: str) -> tuple[Cell, ...]:
    return tuple(Cell((paragraph(title, bold=True),), Shade.MUTED) for title in titles)


def _quantity(value: Any) -> Any:
    return Quantity(value["value"], value["unit"]) if value else None


def _patient(source: WorksheetSource) -> Table:
    patient = source.patient
    rows = [
        _cells("Name", paragraph(strong(patient["full_name"]))),
        _cells("Hospital number", paragraph(strong(patient["hospital_number"]))),
        _cells("Date of birth", date_text(patient["date_of_birth"])),
        _cells("Sex", patient["sex"]),
        _cells("Allergies", paragraph(strong(patient["allergies"]))),
        _cells("Diagnosis", patient["diagnosis"]),
    ]
    return Table((1.0, 4.0), tuple(rows))


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
        rows.append(_cells("BSA", paragraph(strong(format_quantity(bsa, 2))), f"by {formula}", "calculated"))
    return Table((1.6, 1.3, 1.2, 1.5), tuple(rows), _head("Measurement", "Value", "Measured on", "Note"))


def _policies(source: WorksheetSource) -> Table:
    rows = [
        _cells(p["name"], p["value"], p.get("from", "default")) for p in source.order["snapshot"].get("policies", [])
    ]
    return Table((2.0, 2.0, 1.0), tuple(rows), _head("Policy", "Value", "From"))


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
    caption = paragraph(
        "DOSE is the final dose for each administration, after rounding; Calculated is before rounding; "
        "Per cycle is the total of the cycle."
    )
    return Table((1.25, 1.1, 1.15, 1.0, 1.15, 1.0, 1.5, 0.6), tuple(rows), head, caption)


def _derivations(source: WorksheetSource) -> list[Block]:
    blocks: list[Block] = []
    for line in source.order["snapshot"].get("lines", []):
        texts = list(line.get("derivation") or [])
        if not texts:
            continue
        blocks.append(paragraph(strong(f"Derivation: {texts[0]}"), space_before=6, keep_with_next=True))
        for text in texts[1:]:
            stripped = text.lstrip(" ")
            depth = (len(text) - len(stripped)) // 2
            blocks.append(paragraph(stripped, indent=12 * depth, bold=not depth))
    return blocks


def _flags(source: WorksheetSource) -> list[Block]:
    snapshot, order = source.order["snapshot"], source.order
    flags = snapshot.get("flags", [])
    blocks: list[Block] = []
    for flag in sorted(flags, key=lambda f: {"block": 0, "warning": 1}.get(f["severity"], 2)):
        blocks.append(paragraph(strong(f"{flag['severity'].upper()}: "), flag["message"], space_before=2))
    if not flags:
        blocks.append(paragraph("No flags."))
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
        blocks.append(paragraph("No block was overridden.", space_before=4))
    return blocks


def _when(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _totals(source: WorksheetSource) -> list[Block]:
    from PySide6.QtCore import Qt

    from ui.ledger_tab import DrugTotalsModel  # the Ledger tab's own wording, so paper and screen agree

    if source.ledger is None:
        return [paragraph(f"The cumulative totals cannot be computed: {source.ledger_problem}")]
    model = DrugTotalsModel(source.ledger.drugs, source.catalogue)
    columns = range(model.columnCount())
    titles = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
    titles[DrugTotalsModel.BAR_COLUMN] = "Against the limit"  # the screen's bar is words on paper
    head = _head(*titles)
    rows = [_cells(*(str(model.data(model.index(r, c)) or "") for c in columns)) for r in range(model.rowCount())]
    if not rows:
        return [paragraph("No cumulative totals: nothing given or planned yet.")]
    note = paragraph(
        f"On {date_text(source.ledger.on)}: doses recorded as given, declared prior treatment, and "
        "the plan's doses still to come (projected)."
    )
    return [Table((1.6, 1.5, 1.5, 1.5, 1.6, 0.9), tuple(rows), head, note)]


def _signatures(source: WorksheetSource) -> list[Block]:
    order = source.order
    calculated = source.calculated_by
    blocks: list[Block] = [
        paragraph(
            strong("Calculated and saved by: "),
            f"{calculated.full_name} ({calculated.username}, "
            f"{calculated.role.value}) on {local_time_text(order['calculated_at'])}",
        ),
        paragraph(strong("Order content (SHA-256): "), order["content_hash"], space_before=2),
    ]
    status = order["status"]
    if status in VERIFIED_STATUSES and source.verified_by is not None:
        verifier = source.verified_by
        blocks += [
            paragraph(
                strong("Verified by: "),
                f"{verifier.full_name} ({verifier.username}, {verifier.role.value}) "
                f"on {local_time_text(order['verified_at'])}",
                space_before=2,
            ),
            paragraph(
                strong("Meaning of the signature: "),
                "verified calculation — an independent second check with a blind recalculation that agreed",
                space_before=2,
            ),
            paragraph(strong("Electronic signature: "), order["signature"] or "—", space_before=2),
        ]
    elif status == "superseded":
        blocks.append(
            paragraph(
                strong("SUPERSEDED: "),
                "an input changed after this order was saved; its verification is void. Calculate and verify again.",
                space_before=2,
            )
        )
    else:
        blocks.append(
            paragraph(
                strong("Not verified: "),
                "awaiting an independent second pharmacist's verification in DoseCalc.",
                space_before=2,
            )
        )
    return blocks


def _status(source: WorksheetSource) -> tuple[bool, str]:
    order = source.order
    if order["status"] in VERIFIED_STATUSES and source.verified_by is not None:
        who = source.verified_by.full_name
        return True, f"VERIFIED by {who} on {local_time_text(order['verified_at'])} ({order['status']})"
    if order["status"] == "superseded":
        return False, "SUPERSEDED: verification void, calculate and verify again"
    return False, f"NOT VERIFIED: {order['status']}, awaiting independent verification"


def worksheet_document(source: WorksheetSource, *, printed_by: str, printed_at: dt.datetime | None = None) -> Document:
    """The worksheet of one saved order (portrait)."""
    order, patient, plan = source.order, source.patient, source.plan_row
    phase = source.regimen.phase(order["phase"]).name.en if source.regimen else order["phase"]
    verified, status = _status(source)
    day1 = source.day_one
    frame = Frame(
        title=f"Order worksheet: {phase}, cycle {order['cycle']}",
        patient_name=patient["full_name"],
        hospital_number=patient["hospital_number"],
        date_of_birth=patient["date_of_birth"],
        regimen=f"{plan['regimen_id']} v{plan['regimen_version']}",
        status=status,
        verified=verified,
        printed_at=printed_at or dt.datetime.now().astimezone(),
        printed_by=printed_by,
        app_version=__version__,
        record=f"order #{order['id']} of plan #{plan['id']}, content {order['content_hash'][:12]}",
        validity=f"valid only for {phase} cycle {order['cycle']}" + (f" starting {date_text(day1)}" if day1 else ""),
        demo=bool(patient["demo"]),
    )
    blocks: list[Block] = [
        paragraph(f"Order worksheet — {phase}, cycle {order['cycle']}", size=15, bold=True),
        paragraph(
            f"Order #{order['id']} · status {order['status']} · plan #{plan['id']} from "
            f"{date_text(plan['start_date'])} · regimen {plan['regimen_id']} v{plan['regimen_version']}",
            space_before=2,
        ),
        _heading("Patient"),
        _patient(source),
        _heading("Measurements"),
        _measurements(source),
        _heading("Dosing policies"),
        _policies(source),
        _heading("Doses"),
        _doses(source),
        _heading("How each dose was calculated"),
        *_derivations(source),
        _heading("Flags and overrides"),
        *_flags(source),
        _heading("Cumulative totals"),
        *_totals(source),
        _heading("Verification and signatures"),
        *_signatures(source),
    ]
    audit = {"document": "worksheet", "order_id": int(order["id"]), "status_at_print": order["status"]}
    return Document("worksheet", frame, (Section(tuple(blocks)),), landscape=False, audit=audit)
