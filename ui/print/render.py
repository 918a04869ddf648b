"""Draw a :class:`~ui.print.document.Document` on a PDF writer or a printer, page frame and all.

One function, :func:`render`, draws on whatever paged device it is given — the print preview's printer,
a real printer, or a :class:`QPdfWriter` — so preview, paper and PDF are the same pages. Every page
carries both patient identifiers, the regimen and its version, the verification status, "Page x of y",
the print time and user, the app version and the record; a document that is not verified carries the
DRAFT banner in its header and a diagonal watermark over the content on every page (medication-safety
K1–K3). Only black and greys are used; a shade never carries meaning on its own (K7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from dosecalc.errors import InputError
from ui.i18n import QT_TRANSLATE_NOOP, document_language, translate
from ui.print.document import WATERMARK, Document, Frame, Paper, Shade, date_text, kept, paragraph, strong
from ui.print.layout import PageItems, RectItem, TextItem, paginate
from ui.print.typeset import Line, Typesetter

__all__ = ["MARGIN_MM", "PDF_RESOLUTION", "page_layout", "render", "write_pdf"]

MARGIN_MM = 10.0
PDF_RESOLUTION = 600
_PAGE_SIZES = {Paper.A4: QPageSize.PageSizeId.A4, Paper.LETTER: QPageSize.PageSizeId.Letter}
_BLACK = QColor(0, 0, 0)
_MUTED = QColor(232, 232, 232)
_HATCH = QColor(150, 150, 150)
_WHITE = QColor(255, 255, 255)
_GAP = 6.0  # points between the frame and the content
_BANNER = QT_TRANSLATE_NOOP("PrintFrame", "DRAFT — NOT VERIFIED — NOT FOR ADMINISTRATION")
assert _BANNER == WATERMARK
#: The diagonal DRAFT words, two lines (the banner in the header says WATERMARK in full).
_WATERMARK_LINES = (
    QT_TRANSLATE_NOOP("PrintFrame", "DRAFT — NOT VERIFIED —"),
    QT_TRANSLATE_NOOP("PrintFrame", "NOT FOR ADMINISTRATION"),
)


def _t(text: str) -> str:
    return translate("PrintFrame", text)


def _page_number(number: int, total: int) -> str:
    return translate("PrintFrame", "Page {number} of {total}").format(number=number, total=total)


def page_layout(paper: Paper, landscape: bool) -> QPageLayout:
    """The paper in the orientation the document wants, with 12 mm margins."""
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(QPageSize(_PAGE_SIZES[paper]), orientation, margins, QPageLayout.Unit.Millimeter)


@dataclass(slots=True)
class _FrameLines:
    banner: list[Line]
    header: list[Line]
    footer: list[Line]
    header_height: float
    footer_height: float
    page_number_width: float


def _frame_lines(ts: Typesetter, frame: Frame, width: float) -> _FrameLines:
    rule = ts.px(1.0)
    banner: list[Line] = []
    if not frame.verified:
        banner = ts.wrap(paragraph(_t(_BANNER), size=12, bold=True), width - ts.px(12))
    born = date_text(frame.date_of_birth)
    identity = paragraph(
        strong(frame.patient_name),
        " ",
        kept(
            translate("PrintFrame", "· Hospital number {number}").format(number=frame.hospital_number), bold=True
        ),  # never ends with "·"
        " ",
        kept(translate("PrintFrame", "· Born {date}").format(date=born)),
        size=12,
    )
    about = paragraph(
        strong(frame.title),
        translate("PrintFrame", " · Regimen {regimen} · Status: ").format(regimen=frame.regimen),
        strong(frame.status),
    )
    header = ts.wrap(identity, width) + ts.wrap(about, width)
    banner_height = sum(line.height for line in banner) + (ts.px(8) if banner else 0.0)
    header_height = banner_height + sum(line.height for line in header) + rule
    number_width = ts.width((10.0, True, False), _page_number(9999, 9999)) + ts.px(8)
    footer_text = paragraph(
        kept(
            translate("PrintFrame", "Printed {date} {time}").format(
                date=date_text(frame.printed_at.date()), time=f"{frame.printed_at:%H:%M}"
            )
        ),
        translate("PrintFrame", " by {user} · ").format(user=frame.printed_by),
        kept(f"DoseCalc {frame.app_version}"),
        f" · {frame.record} · {frame.validity} · "
        + translate("PrintFrame", "current only when printed")
        + (translate("PrintFrame", " · DEMO: invented patient, never for treatment") if frame.demo else ""),
    )
    footer = ts.wrap(footer_text, width)
    # "Page x of y" goes at the right of the last line when it fits there, else on a line of its own.
    last = footer[-1]
    used = last.runs[-1].x + ts.width(last.runs[-1].font, last.runs[-1].text) if last.runs else 0.0
    if used + number_width > width:
        footer.append(ts.wrap(paragraph(""), width)[0])
    footer_height = sum(line.height for line in footer) + rule
    return _FrameLines(banner, header, footer, header_height, footer_height, number_width)


class _Painter:
    """Draws positioned items, changing the font only when it changes."""

    def __init__(self, painter: QPainter, ts: Typesetter) -> None:
        self.painter = painter
        self.ts = ts
        self._font: tuple[float, bool, bool] | None = None

    def line(self, x: float, y: float, line: Line) -> None:
        for run in line.runs:
            if run.font != self._font:
                self.painter.setFont(self.ts.font(run.font))
                self._font = run.font
            self.painter.drawText(QPointF(x + line.indent + run.x, y + line.ascent), run.text)

    def items(self, page: PageItems) -> None:
        painter = self.painter
        border = QPen(_BLACK, self.ts.px(0.75))
        for item in page.items:
            if isinstance(item, RectItem):
                self._shade(item)
                if item.border:
                    painter.setPen(border)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(item.rect)
            else:
                self._text(item)

    def _text(self, item: TextItem) -> None:
        if item.backdrop:
            self.painter.fillRect(QRectF(item.x, item.y, item.backdrop, item.line.height), _WHITE)
        self.painter.setPen(_BLACK)
        self.line(item.x, item.y, item.line)

    def _shade(self, item: RectItem) -> None:
        painter, rect = self.painter, item.rect
        if item.shade is Shade.MUTED:
            painter.fillRect(rect, _MUTED)
        elif item.shade is Shade.HATCHED:
            painter.save()
            painter.setClipRect(rect)  # the hatching only; text is never clipped
            painter.setPen(QPen(_HATCH, self.ts.px(0.6)))
            step = self.ts.px(7)
            offset = 0.0
            while offset < rect.width() + rect.height():
                start = QPointF(rect.left() + offset, rect.top())
                painter.drawLine(start, QPointF(start.x() - rect.height(), rect.bottom()))
                offset += step
            painter.restore()


def _draw_frame(out: _Painter, frame: Frame, lines: _FrameLines, area: QRectF, number: int, total: int) -> None:
    painter, ts = out.painter, out.ts
    y = area.top()
    painter.setPen(_BLACK)
    if lines.banner:
        height = sum(line.height for line in lines.banner) + ts.px(4)
        painter.setPen(QPen(_BLACK, ts.px(2)))
        painter.setBrush(_WHITE)
        painter.drawRect(QRectF(area.left(), y, area.width(), height))
        painter.setPen(_BLACK)
        for line in lines.banner:
            width = line.runs[-1].x + ts.width(line.runs[-1].font, line.runs[-1].text) if line.runs else 0.0
            out.line(area.left() + (area.width() - width) / 2, y + ts.px(2), line)
            y += line.height
        y += ts.px(8) - ts.px(2)
    for line in lines.header:
        out.line(area.left(), y, line)
        y += line.height
    painter.setPen(QPen(_BLACK, ts.px(1)))
    painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
    y = area.bottom() - lines.footer_height
    painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
    y += ts.px(1)
    painter.setPen(_BLACK)
    for line in lines.footer:
        out.line(area.left(), y, line)
        y += line.height
    number_line = ts.wrap(paragraph(strong(_page_number(number, total))), lines.page_number_width)[0]
    number_width = ts.width((10.0, True, False), _page_number(number, total))
    out.line(area.right() - number_width, y - lines.footer[-1].height, number_line)


def _watermark(ts: Typesetter) -> QPainterPath:
    """The DRAFT words as outlines (shapes, not text: the banner in the header is the text)."""
    font = QFont(ts.font((40.0, True, False)))
    path = QPainterPath()
    first, second = (_t(line) for line in _WATERMARK_LINES)
    path.addText(QPointF(0, 0), font, first)
    path.addText(QPointF(0, ts.metrics((40.0, True, False)).lineSpacing()), font, second)
    return path


def _draw_watermark(painter: QPainter, path: QPainterPath, area: QRectF) -> None:
    """The DRAFT words diagonally across the content: light enough to read everything under them."""
    bounds = path.boundingRect()
    angle = math.degrees(math.atan2(area.height(), area.width()))
    diagonal = math.hypot(area.width(), area.height())
    scale = min(0.8 * diagonal / bounds.width(), area.height() / 3 / bounds.height())
    painter.save()
    painter.translate(area.center())
    painter.rotate(-angle)
    painter.scale(scale, scale)
    painter.translate(-bounds.center())
    painter.setOpacity(0.12)
    painter.fillPath(path, _BLACK)
    painter.restore()


def render(document: Document, device: QPagedPaintDevice) -> int:
    """Draw every page of ``document`` on ``device`` (its page layout as set); return the number of pages."""
    with document_language(document.language):
        return _render(document, device)


def _render(document: Document, device: QPagedPaintDevice) -> int:
    ts = Typesetter(device, condensed=document.condensed)
    pixels = device.pageLayout().paintRectPixels(device.logicalDpiY())
    area = QRectF(0, 0, pixels.width(), pixels.height())
    frame = _frame_lines(ts, document.frame, area.width())
    gap = ts.px(_GAP)
    body = QRectF(
        0, frame.header_height + gap, area.width(), area.height() - frame.header_height - frame.footer_height - 2 * gap
    )
    pages = paginate([section.blocks for section in document.sections], ts, body)
    painter = QPainter()
    if not painter.begin(device):
        raise InputError("printer", None, "cannot be drawn on", expected="a printer or a writable PDF file")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        out = _Painter(painter, ts)
        watermark: QPainterPath | None = None
        for number, page in enumerate(pages, start=1):
            if number > 1:
                device.newPage()
            out.items(page)
            _draw_frame(out, document.frame, frame, area, number, len(pages))
            if not document.frame.verified:
                watermark = watermark or _watermark(ts)
                _draw_watermark(painter, watermark, body)
    finally:
        painter.end()
    return len(pages)


def write_pdf(document: Document, path: Path, paper: Paper) -> int:
    """Write ``document`` as a PDF on ``paper``; return the number of pages."""
    if not path.parent.is_dir():
        raise InputError("pdf", str(path), "is in a folder that does not exist", expected="an existing folder")
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(page_layout(paper, document.landscape))
    writer.setTitle(f"{document.frame.title} — {document.frame.hospital_number}")
    writer.setCreator(f"DoseCalc {document.frame.app_version}")
    try:
        return render(document, writer)
    except InputError:
        raise InputError("pdf", str(path), "cannot be written", expected="a writable PDF file") from None
