"""What a printout says, as plain data: paragraphs, tables and the frame every page carries.

The calendar and the worksheet are built as a :class:`Document` (no Qt here); :mod:`ui.print.typeset`
measures and :mod:`ui.print.layout` paginates it on the device it will be drawn on, and
:mod:`ui.print.render` draws it, so the print preview, the printer and the PDF come from one code path.
Meaning is carried by words: a :class:`Shade` only repeats what a cell already says (medication-safety
K7, greyscale-safe).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

from dosecalc import __version__

__all__ = [
    "WATERMARK",
    "Block",
    "Cell",
    "Document",
    "Frame",
    "Paper",
    "Paragraph",
    "Section",
    "Shade",
    "Span",
    "Table",
    "date_text",
    "kept",
    "paragraph",
    "strong",
]

#: Printed on every page of a document that is not verified (medication-safety K3).
WATERMARK = "DRAFT — NOT VERIFIED — NOT FOR ADMINISTRATION"


def date_text(day: dt.date) -> str:
    """``07 Dec 2026`` / ``2026年12月7日``: the month as a word or 月, never a day/month order that can be misread (K4).

    In the language of the printout being built (:func:`ui.i18n.document_language`).
    """
    from ui.i18n import date_text as localized_date

    return localized_date(day)


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


class Shade(Enum):
    """A cell's background; the cell's own words always say what the shade means."""

    NONE = "none"
    MUTED = "muted"  # light grey: a day outside the calendar, a table heading
    HATCHED = "hatched"  # diagonal lines: the clinic is closed


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    keep: bool = False  # never wrapped inside (e.g. "Born 04 Mar 1962"), unless wider than the line


def kept(text: str, bold: bool = False) -> Span:
    """Text that stays on one line."""
    return Span(text, bold, keep=True)


def strong(text: str) -> Span:
    return Span(text, bold=True)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Text that wraps at word boundaries (inside a word only when the word is wider than the column)."""

    spans: tuple[Span, ...]
    size: float = 10.0  # points; 10 is the smallest printed size (K7)
    space_before: float = 0.0  # points
    indent: float = 0.0  # points
    keep_with_next: bool = False  # a heading never ends a page

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


def paragraph(
    *parts: str | Span,
    size: float = 10.0,
    space_before: float = 0.0,
    indent: float = 0.0,
    keep_with_next: bool = False,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """A paragraph of plain strings (in the given weight) and spans."""
    spans = tuple(part if isinstance(part, Span) else Span(part, bold, italic) for part in parts)
    return Paragraph(spans, size, space_before, indent, keep_with_next)


@dataclass(frozen=True, slots=True)
class Cell:
    paragraphs: tuple[Paragraph, ...] = ()
    shade: Shade = Shade.NONE


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells under an optional heading row; the caption and heading repeat on every page it spans.

    ``widths`` are relative column widths. A row taller than a whole page is split between lines and
    continues on the next page; nothing is cut off (C7). ``fill_page`` stretches the rows of a table that
    fits on its page to the bottom of the page (the month grids).
    """

    widths: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    header: tuple[Cell, ...] | None = None
    caption: Paragraph | None = None
    borders: bool = True
    min_row_height: float = 0.0  # points
    fill_page: bool = False


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Section:
    """Blocks that start on a new page."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Frame:
    """What every page shows besides its content: both identifiers, the record, the status, the print."""

    title: str
    patient_name: str
    hospital_number: str
    date_of_birth: dt.date
    regimen: str  # id and version
    status: str  # in words, e.g. "VERIFIED by …" or "NOT VERIFIED: …"
    verified: bool
    printed_at: dt.datetime  # local time
    printed_by: str
    app_version: str
    record: str  # which record, e.g. "order #12, content 3f2a…"
    validity: str  # e.g. "valid only for induction cycle 1 starting 07 Dec 2026"
    demo: bool = False

    @classmethod
    def for_patient(cls, patient: Any, *, printed_at: dt.datetime | None, **fields: Any) -> Frame:
        """A frame whose identifiers come from a stored patient row, printed now unless a time is given."""
        return cls(
            patient_name=patient["full_name"],
            hospital_number=patient["hospital_number"],
            date_of_birth=patient["date_of_birth"],
            printed_at=printed_at or dt.datetime.now().astimezone(),
            app_version=__version__,
            demo=bool(patient["demo"]),
            **fields,
        )


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # "calendar" | "worksheet"
    frame: Frame
    sections: tuple[Section, ...]
    landscape: bool = False
    condensed: bool = False  # a narrower face, so that a day's lines fit a calendar cell
    #: Facts for the audit entry of a print (which orders, which dates), never printed from here.
    audit: dict[str, object] = field(default_factory=dict)
    language: str = "en"  # the words of the page frame (the content is written in it already)
