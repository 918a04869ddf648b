"""The bag label of one prepared dose, and the preparation section of the pharmacist's worksheet.

Both are built from the saved order's snapshot (the doses that were verified), prepared by
:func:`dosecalc.preparation.prepare` exactly as the Doses tab's preparation panel shows them. The
label carries both patient identifiers, the drug, dose, volume, diluent, final concentration, rate,
duration, expiry, the route ("for intravenous use only") and the set requirements, and the DRAFT
banner and watermark until the order is verified (medication-safety F9, K1–K3, L3). A preparation
with a BLOCK (concentration out of range, no range, a rate that does not match the volume …) gets
no label: it is refused with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication

from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.preparation import Container, PreparationSettings, PreparedDose, concentration_text, prepare
from dosecalc.preparation.infusion import parse_duration
from dosecalc.regimen.model import Route
from dosecalc.units import Quantity
from ui.print.document import Block, Cell, Document, Frame, Paragraph, Section, Shade, Table, date_text, paragraph
from ui.print.document import strong as bold
from ui.print.sources import VERIFIED_STATUSES, WorksheetSource

__all__ = ["label_document", "preparation_blocks", "snapshot_preparations"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("BagLabel", text)


def snapshot_preparations(
    source: WorksheetSource, settings: PreparationSettings
) -> list[tuple[dict[str, Any], PreparedDose | str]]:
    """Each line of the saved order with its preparation, or the reason it cannot be prepared."""
    order, plan = source.order, source.plan_row
    out: list[tuple[dict[str, Any], PreparedDose | str]] = []
    for line in order["snapshot"].get("lines", []):
        drug = source.catalogue.get(line["drug"])
        if drug is None:
            out.append((line, _tr("not in the drug catalogue")))
            continue
        try:
            made = prepare(
                drug,
                Quantity(line["final"]["value"], line["final"]["unit"]),
                route=Route(line["route"]),
                duration=parse_duration(line["infusion"], "infusion") if line.get("infusion") else None,
                duration_source="the order's regimen line",
                settings=settings,
                days=len(line.get("days") or [1]),
                dose_source=f"order #{order['id']}, line {line.get('order')} (DOSE)",
                source=f"{plan['regimen_id']} v{plan['regimen_version']}",
            )
        except DoseCalcError as error:
            out.append((line, error.one_line()))
            continue
        out.append((line, made))
    return out


def _cells(*texts: str | Paragraph) -> tuple[Cell, ...]:
    return tuple(Cell((t if isinstance(t, Paragraph) else paragraph(t),)) for t in texts)


def _head(*titles: str) -> tuple[Cell, ...]:
    return tuple(Cell((paragraph(title, bold=True),), Shade.MUTED) for title in titles)


def preparation_blocks(source: WorksheetSource, settings: PreparationSettings | None = None) -> list[Block]:
    """The worksheet's preparation section: one row per dose line, then the preparation checks."""
    settings = settings or _site_settings()
    rows, notes = [], []
    for line, made in snapshot_preparations(source, settings):
        name = line.get("display") or line["drug"]
        if isinstance(made, str):
            rows.append(_cells(paragraph(bold(name)), made, "", "", "", ""))
            continue
        if not made.needed:
            rows.append(_cells(paragraph(bold(name)), _tr("oral: dispensed, nothing to prepare"), "", "", "", ""))
            continue
        vials = f"{made.vials.text()} ({_tr('waste')} {format_quantity(made.vials.waste, 2)})" if made.vials else "—"
        draw = format_quantity(made.volume_to_draw, 2) if made.volume_to_draw is not None else "—"
        diluent = made.diluent.text() if made.diluent else _container(made)
        rate = (
            f"{format_quantity(made.rate, 1)} {_tr('over')} {format_quantity(made.duration, 2)}" if made.rate else "—"
        )
        marks = f" UNCONFIRMED: {', '.join(made.unconfirmed)}" if made.unconfirmed else ""
        rows.append(_cells(paragraph(bold(name), marks), vials, draw, diluent, concentration_text(made), rate))
        for flag in made.flags:
            if flag.severity.value != "info" and flag.code != "preparation.unconfirmed":  # shown in the row
                notes.append(paragraph(bold(f"{flag.severity.value.upper()}: "), flag.message, space_before=2))
    head = _head(_tr("Drug"), _tr("Vials"), _tr("Draw"), _tr("Diluent"), _tr("Final concentration"), _tr("Rate"))
    caption = paragraph(_tr("Drug volume added to the nominal bag volume (overfill ignored); rate × duration checked."))
    table = Table((1.0, 1.9, 0.7, 1.4, 1.6, 1.1), tuple(rows), head, caption)
    return [table, *notes]


def _container(made: PreparedDose) -> str:
    return {
        Container.SYRINGE: _tr("none: undiluted bolus"),
        Container.PUMP: _tr("ambulatory pump"),
    }.get(made.container, "—")


def _site_settings() -> PreparationSettings:
    from dosecalc.site import load_site_settings

    return load_site_settings().preparation()  # type: ignore[no-any-return]


def _row(caption: str, *value: Any) -> tuple[Cell, ...]:
    return (Cell((paragraph(caption, bold=True, size=12),), Shade.MUTED), Cell((paragraph(*value, size=12),)))


def label_document(
    source: WorksheetSource,
    drug: str,
    *,
    line_order: int | None = None,
    printed_by: str,
    printed_at: dt.datetime | None = None,
    settings: PreparationSettings | None = None,
    chinese: bool = False,
) -> Document:
    """The bag label of ``drug`` (its order line ``line_order`` when the drug has several) of the saved order.

    ``chinese``: print the drug's Chinese name too (only where a Chinese font is installed).
    """
    settings = settings or _site_settings()
    candidates = [
        (line, made)
        for line, made in snapshot_preparations(source, settings)
        if line["drug"] == drug and (line_order is None or line.get("order") == line_order)
    ]
    if not candidates:
        raise InputError("drug", drug, "is not a line of this order", expected="a drug of the saved order")
    if len(candidates) > 1:
        orders = ", ".join(str(line.get("order")) for line, _ in candidates)
        raise InputError("line", None, f"{drug} has several lines ({orders})", expected="--line N, one of them")
    line, made = candidates[0]
    if isinstance(made, str):
        raise InputError("drug", drug, f"cannot be prepared: {made}")
    if not made.needed:
        raise InputError("drug", drug, "is taken by mouth: it has no bag label", expected="an infused drug")
    blocks = [f.message for f in made.flags if f.severity.value == "block"]
    if blocks:
        raise InputError("drug", drug, f"has a blocked preparation, so no label: {blocks[0]}")
    order, plan = source.order, source.plan_row
    verified = order["status"] in VERIFIED_STATUSES and source.verified_by is not None
    status = (
        _tr("VERIFIED by {0}").format(source.verified_by.full_name)
        if verified and source.verified_by is not None
        else _tr("NOT VERIFIED: awaiting independent verification")
    )
    now = printed_at or dt.datetime.now().astimezone()
    dose = format_quantity(made.dose, 1)
    frame = Frame.for_patient(
        source.patient,
        printed_at=now,
        title=_tr("Bag label: {0} {1}").format(made.drug.display, dose),
        regimen=f"{plan['regimen_id']} v{plan['regimen_version']}",
        status=status,
        verified=verified,
        printed_by=printed_by,
        record=_tr("order #{0}, line {1}").format(order["id"], line.get("order")),
        validity=_tr("valid only for {0} cycle {1}").format(order["phase"], order["cycle"]),
    )
    expiry = made.expiry(now)
    vials = made.vials.text() if made.vials else ""
    rows = [
        _row(_tr("Drug"), bold(f"{made.drug.display} ({made.drug.zh})" if chinese else made.drug.display)),
        _row(_tr("DOSE"), bold(dose)),
        _row(_tr("Volume from vials"), f"{format_quantity(made.volume_to_draw, 2)} ({vials})"),
        _row(_tr("Diluent"), made.diluent.text() if made.diluent else _container(made)),
        _row(_tr("Total volume"), bold(format_quantity(made.total_volume, 1))),
        _row(_tr("Final concentration"), concentration_text(made)),
    ]  # fmt: skip
    if made.rate is not None:
        rows.append(_row(_tr("Rate"), bold(format_quantity(made.rate, 1))))
    if made.duration is not None:
        rows.append(_row(_tr("Duration"), bold(format_quantity(made.duration, 2))))
    if made.container is Container.PUMP:
        rows.append(_row(_tr("Device"), _tr("ambulatory pump: rate × duration = volume in the device")))
    prepared = f"{date_text(now.date())} {now:%H:%M}"
    rows.append(_row(_tr("Prepared"), prepared))
    rows.append(
        _row(_tr("Expiry"), bold(f"{date_text(expiry.date())} {expiry:%H:%M}"), f" ({made.storage})")
        if expiry is not None
        else _row(_tr("Expiry"), bold(_tr("not in the catalogue: the pharmacist writes it here: ____________")))
    )
    requirements = [r for r in made.requirements if not r.startswith("for ")]
    if requirements:
        rows.append(_row(_tr("Set and handling"), "; ".join(requirements)))
    if made.unconfirmed:
        rows.append(_row(_tr("UNCONFIRMED"), bold(_tr("not yet checked against the product label: ")),
                         ", ".join(made.unconfirmed)))  # fmt: skip
    route = _tr("FOR {0} USE ONLY").format(made.route.value.upper())
    content: list[Block] = [
        paragraph(bold(f"{made.drug.display} {dose}"), size=18, keep_with_next=True),
        paragraph(bold(route), size=14, space_before=4),
        Table((1.0, 2.4), tuple(rows)),
        paragraph(_tr("Prepared by: ______________    Checked by: ______________"), size=12, space_before=12),
    ]
    audit = {
        "document": "label", "patient_id": int(source.patient["id"]), "plan_id": int(plan["id"]),
        "order_id": int(order["id"]), "drug": drug, "regimen_version": plan["regimen_version"],
    }  # fmt: skip
    return Document("label", frame, (Section(tuple(content)),), landscape=False, audit=audit)
