"""Printing from the workstation: print preview (then the printer) and PDF export, each an audit entry.

The preview dialog draws with :func:`~ui.print.render.render`, the renderer the PDF export and the
``print`` command use, so what the preview shows is what is printed. A print is recorded when the
preview's Print finishes (the dialog is accepted) or the PDF is written, through the operations
funnel, so the views refresh (a verified order becomes printed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QWidget

from ui.operations import Operations
from ui.print.calendar import calendar_document, calendar_range
from ui.print.document import Document, Paper
from ui.print.jobs import printed_by, record_print
from ui.print.render import page_layout, render, write_pdf
from ui.print.sources import calendar_source, worksheet_source
from ui.print.worksheet import worksheet_document

__all__ = ["calendar_for", "export_pdf", "label_for", "open_print_preview", "worksheet_for"]

translate = QCoreApplication.translate


def calendar_for(operations: Operations, *, phase: str | None = None, first: dt.date | None = None,
                 last: dt.date | None = None) -> Document | None:  # fmt: skip
    """The selected patient's calendar (whole plan, a phase, or dates), or None with the reason shown."""
    from dosecalc.site import load_site_settings

    patient, user = operations.patient_id, operations.user
    if patient is None or user is None:
        operations.message.emit(translate("Printing", "Print: select a patient and sign in first"), True)
        return None

    def build() -> Document:
        source = calendar_source(operations.store, operations.library, patient, load_site_settings().contact_number)
        span = calendar_range(source, phase=phase, first=first, last=last)
        return calendar_document(source, span, printed_by=printed_by(user))  # in the patient's language

    return operations.run(build)


def worksheet_for(operations: Operations) -> Document | None:
    """The worksheet of the selected patient's newest saved order, or None with the reason shown."""
    patient, user = operations.patient_id, operations.user
    if patient is None or user is None:
        operations.message.emit(translate("Printing", "Print: select a patient and sign in first"), True)
        return None

    def build() -> Document:
        source = worksheet_source(operations.store, operations.library, patient)
        return worksheet_document(source, printed_by=printed_by(user))

    return operations.run(build)


def label_for(operations: Operations, drug: str, line_order: int | None = None) -> Document | None:
    """The bag label of one line (``drug``, order line ``line_order``) of the selected patient's newest saved
    order, or None with the reason shown (a line that cannot be prepared, or whose preparation is blocked,
    gets no label)."""
    from ui.print.label import label_document
    from ui.widgets import chinese_font_available

    patient, user = operations.patient_id, operations.user
    if patient is None or user is None:
        operations.message.emit(translate("Printing", "Print: select a patient and sign in first"), True)
        return None

    def build() -> Document:
        source = worksheet_source(operations.store, operations.library, patient)
        return label_document(
            source, drug, line_order=line_order, printed_by=printed_by(user), chinese=chinese_font_available()
        )

    return operations.run(build)


def _record(operations: Operations, document: Document, pages: int, target: str) -> None:
    patient = operations.patient_id
    if document.kind == "calendar":
        success = translate("Printing", "Printed the calendar: {pages} page(s) ({target})")
    elif document.kind == "label":
        success = translate("Printing", "Printed the bag label: {pages} page(s) ({target})")
    else:
        success = translate("Printing", "Printed the order worksheet: {pages} page(s) ({target})")
    operations.run(record_print, operations.store, operations.actor, document, pages, target,
                   success=success.format(pages=pages, target=target), changes=patient)  # fmt: skip


def open_print_preview(
    operations: Operations, document: Document, parent: QWidget | None = None
) -> QPrintPreviewDialog:
    """Open the print preview of ``document`` (window-modal); printing from it is recorded."""
    dialog = QPrintPreviewDialog(parent)  # it owns its printer: nothing dangles once this function returns
    printer = dialog.printer()
    printer.setDocName(f"{document.frame.title} — {document.frame.hospital_number}")
    size = printer.pageLayout().pageSize()
    paper = Paper.LETTER if size.id() == page_layout(Paper.LETTER, False).pageSize().id() else Paper.A4
    printer.setPageLayout(page_layout(paper, document.landscape))
    dialog.setWindowTitle(translate("Printing", "Print preview — {title}").format(title=document.frame.title))
    pages: list[int] = []
    dialog.paintRequested.connect(lambda device: pages.append(render(document, device)))
    dialog.accepted.connect(lambda: _record(operations, document, pages[-1] if pages else 0, "printer"))
    dialog.resize(1000, 760)
    dialog.open()
    widget = dialog.findChild(QPrintPreviewWidget)
    if widget is not None:
        widget.fitInView()
    return dialog


def export_pdf(operations: Operations, document: Document, path: Path, paper: Paper = Paper.A4) -> int | None:
    """Write ``document`` as a PDF and record it; the number of pages, or None with the reason shown."""
    pages = operations.run(write_pdf, document, path, paper)
    if pages is not None:
        _record(operations, document, pages, f"PDF {paper.value.upper()} {path.name}")
    return pages
