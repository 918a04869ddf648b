"""Printouts: the nurse's cycle calendar and the pharmacist's order worksheet, from one renderer.

Build a document from what the store holds (:mod:`ui.print.sources`, :mod:`ui.print.calendar`,
:mod:`ui.print.worksheet`), draw it with :func:`render` on the print preview's printer, a printer or a
PDF writer (:func:`write_pdf`), and record the print (:func:`record_print`). ``dosecalc-app print`` does
the same offscreen (:mod:`ui.print.command`).

The names below load with their module on first use: ``dosecalc-app`` imports :mod:`ui.print.command`
for its argument parser at every start, and the printouts (the plan, the ledger, the schedule modules
behind them) are not needed until something is printed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.print.calendar import CalendarRange, calendar_document, calendar_range
    from ui.print.document import WATERMARK, Document, Paper
    from ui.print.jobs import printed_by, record_print, render_calendar, render_worksheet
    from ui.print.render import page_layout, render, write_pdf
    from ui.print.sources import CalendarSource, WorksheetSource, calendar_source, worksheet_source
    from ui.print.worksheet import worksheet_document

_MODULES = {
    "ui.print.calendar": ("CalendarRange", "calendar_document", "calendar_range"),
    "ui.print.document": ("WATERMARK", "Document", "Paper"),
    "ui.print.jobs": ("printed_by", "record_print", "render_calendar", "render_worksheet"),
    "ui.print.render": ("page_layout", "render", "write_pdf"),
    "ui.print.sources": ("CalendarSource", "WorksheetSource", "calendar_source", "worksheet_source"),
    "ui.print.worksheet": ("worksheet_document",),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

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


def __getattr__(name: str) -> Any:
    """``from ui.print import write_pdf``: import the module that defines it, once."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'ui.print' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
