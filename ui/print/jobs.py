"""A print job: build the document, draw it on a device, and write the print's audit entry.

Each print is an audit entry (medication-safety K6): who, when (the entry's own time), which document,
which record and regimen version, how many pages, on what. A worksheet is recorded against its order
(:meth:`Store.record_print`, which marks a verified order printed); a calendar, which may span many
orders, against its plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QPagedPaintDevice

from dosecalc.store.audit import Actor, append
from dosecalc.store.db import transaction
from dosecalc.store.records import ReadOnlyError, Store
from dosecalc.store.users import User
from ui.print.calendar import CalendarRange, calendar_document
from ui.print.document import Document
from ui.print.render import render
from ui.print.sources import CalendarSource, WorksheetSource
from ui.print.worksheet import worksheet_document

__all__ = ["printed_by", "record_print", "render_calendar", "render_worksheet"]


def printed_by(user: User) -> str:
    """``Li Na (li)``: the user as the footer names them."""
    return f"{user.full_name} ({user.username})"


def render_calendar(
    source: CalendarSource,
    span: CalendarRange,
    device: QPagedPaintDevice,
    *,
    printed_by: str,
    printed_at: dt.datetime | None = None,
    language: str | None = None,
) -> tuple[Document, int]:
    """Draw the calendar of ``span`` on ``device``; the document and its number of pages."""
    document = calendar_document(source, span, printed_by=printed_by, printed_at=printed_at, language=language)
    return document, render(document, device)


def render_worksheet(
    source: WorksheetSource, device: QPagedPaintDevice, *, printed_by: str, printed_at: dt.datetime | None = None
) -> tuple[Document, int]:
    """Draw the order worksheet on ``device``; the document and its number of pages."""
    document = worksheet_document(source, printed_by=printed_by, printed_at=printed_at)
    return document, render(document, device)


def record_print(store: Store, by: Actor, document: Document, pages: int, target: str) -> None:
    """The audit entry of one print of ``document`` (``target``: "PDF A4", "printer", …)."""
    facts: dict[str, Any] = dict(document.audit)
    if document.kind == "worksheet":
        what = f"worksheet, {pages} page{'s' * (pages != 1)}, {target}, status {facts.get('status_at_print')}"
        store.record_print(by, int(facts["order_id"]), what)
        return
    patient_id = int(facts["patient_id"])
    if patient_id in store.read_only_patients:
        raise ReadOnlyError(
            "patient",
            patient_id,
            "has a broken audit trail; the record is read-only",
            expected="an administrator to investigate (dosecalc audit verify)",
        )
    new = {key: value for key, value in facts.items() if key not in ("patient_id", "regimen_version")}
    with transaction(store.engine) as connection:
        append(
            connection,
            by,
            "print",
            "plan",
            int(facts["plan_id"]),
            patient_id=patient_id,
            new={**new, "pages": pages, "target": target, "status": document.frame.status},
            regimen_version=str(facts.get("regimen_version")),
        )
