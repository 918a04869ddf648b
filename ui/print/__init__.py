"""Printouts: the nurse's cycle calendar and the pharmacist's order worksheet, from one renderer.

Build a document from what the store holds (:mod:`ui.print.sources`, :mod:`ui.print.calendar`,
:mod:`ui.print.worksheet`), draw it with :func:`render` on the print preview's printer, a printer or a
PDF writer (:func:`write_pdf`), and record the print (:func:`record_print`). ``dosecalc-app print`` does
the same offscreen (:mod:`ui.print.command`).
"""

from ui.print.calendar import CalendarRange, calendar_document, calendar_range
from ui.print.document import WATERMARK, Document, Paper
from ui.print.jobs import printed_by, record_print, render_calendar, render_worksheet
from ui.print.render import page_layout, render, write_pdf
from ui.print.sources import CalendarSource, WorksheetSource, calendar_source, worksheet_source
from ui.print.worksheet import worksheet_document

__all__ = [
    "WATERMARK",
    "CalendarRange",
    "CalendarSource",
    "Document",
    "Paper",
    "WorksheetSource",
    "calendar_document",
    "calendar_range",
    "calendar_source",
    "page_layout",
    "printed_by",
    "record_print",
    "render",
    "render_calendar",
    "render_worksheet",
    "worksheet_document",
    "worksheet_source",
    "write_pdf",
]
