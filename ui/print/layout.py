"""Paginate a :class:`~ui.print.document.Document` into pages of positioned boxes and text lines.

Lines come from :class:`~ui.print.typeset.Typesetter` on the device the pages are drawn on. Nothing
is ever clipped or elided (medication-safety C7): a table row taller than a page continues on the
next page under its repeated caption and heading, each split cell saying "(continued)". Positions
are in device pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from ui.i18n import translate
from ui.print.document import Block, Cell, Paragraph, Shade, Span, Table, paragraph
from ui.print.typeset import Line, Typesetter

__all__ = ["PageItems", "RectItem", "TextItem", "paginate"]

_CELL_PADDING = 2.0  # points


def _continued_mark() -> Paragraph:
    """ "(continued)" at the top of a split row, in the printout's language."""
    return paragraph(translate("PrintFrame", "(continued)"), italic=True)


@dataclass(slots=True)
class TextItem:
    x: float
    y: float  # top of the line
    line: Line
    backdrop: float = 0.0  # width of a white band behind the text (on hatched cells), 0 for none


@dataclass(slots=True)
class RectItem:
    rect: QRectF
    shade: Shade
    border: bool


@dataclass(slots=True)
class PageItems:
    items: list[TextItem | RectItem] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ pagination


@dataclass(slots=True)
class _CellLines:
    lines: list[tuple[float, Line]]  # (offset from the content top, line)
    height: float


class _Paginator:
    def __init__(self, typesetter: Typesetter, body: QRectF) -> None:
        self.ts = typesetter
        self.body = body
        self.pages: list[PageItems] = []
        self.y = body.top()
        self.pad = typesetter.px(_CELL_PADDING)

    @property
    def page(self) -> PageItems:
        return self.pages[-1]

    @property
    def remaining(self) -> float:
        """Room left on the page, with half a pixel of tolerance for the sums of measured heights."""
        return self.body.bottom() - self.y + 0.5

    @property
    def at_top(self) -> bool:
        return self.y <= self.body.top() + 0.01

    def new_page(self) -> None:
        self.pages.append(PageItems())
        self.y = self.body.top()

    # ---------------------------------------------------------------------------------- paragraphs

    def paragraph_lines(self, text: Paragraph, width: float) -> list[Line]:
        return self.ts.wrap(text, width)

    def place_paragraph(self, text: Paragraph, following: Block | None) -> None:
        lines = self.paragraph_lines(text, self.body.width())
        space = 0.0 if self.at_top else self.ts.px(text.space_before)
        if text.keep_with_next and following is not None and not self.at_top:
            needed = space + sum(line.height for line in lines) + self._first_height(following)
            if needed > self.remaining:
                self.new_page()
                space = 0.0
        self.y += space
        for line in lines:
            if line.height > self.remaining and not self.at_top:
                self.new_page()
            self.page.items.append(TextItem(self.body.left(), self.y, line))
            self.y += line.height

    def _first_height(self, block: Block) -> float:
        if isinstance(block, Paragraph):
            lines = self.paragraph_lines(block, self.body.width())
            return self.ts.px(block.space_before) + (lines[0].height if lines else 0.0)
        widths = self._widths(block)
        height = self._heading_height(block, widths)
        if block.rows:
            first = [self._cell(cell, width) for cell, width in zip(block.rows[0], widths, strict=True)]
            height += min(max(c.height for c in first) + 2 * self.pad, self.body.height() / 3)
        return height

    # ---------------------------------------------------------------------------------- tables

    def _widths(self, table: Table) -> list[float]:
        total = sum(table.widths)
        return [self.body.width() * w / total for w in table.widths]

    def _cell(self, cell: Cell, width: float) -> _CellLines:
        lines: list[tuple[float, Line]] = []
        y = 0.0
        inner = width - 2 * self.pad
        for index, text in enumerate(cell.paragraphs):
            if index:
                y += self.ts.px(text.space_before)
            for line in self.ts.wrap(text, inner):
                lines.append((y, line))
                y += line.height
        return _CellLines(lines, y)

    def _heading_height(self, table: Table, widths: list[float]) -> float:
        height = 0.0
        if table.caption is not None:
            caption = self.paragraph_lines(_continued(table.caption), self.body.width())
            height += self.ts.px(table.caption.space_before) + sum(line.height for line in caption)
        if table.header is not None:
            cells = [self._cell(cell, width) for cell, width in zip(table.header, widths, strict=True)]
            height += max(c.height for c in cells) + 2 * self.pad
        return height

    def _place_heading(self, table: Table, widths: list[float], continued: bool) -> None:
        if table.caption is not None:
            caption = _continued(table.caption) if continued else table.caption
            self.y += 0.0 if self.at_top else self.ts.px(caption.space_before)
            for line in self.paragraph_lines(caption, self.body.width()):
                self.page.items.append(TextItem(self.body.left(), self.y, line))
                self.y += line.height
        if table.header is not None:
            cells = [self._cell(cell, width) for cell, width in zip(table.header, widths, strict=True)]
            height = max(c.height for c in cells) + 2 * self.pad
            self._place_row(table, table.header, cells, widths, height)

    def place_table(self, table: Table) -> None:
        widths = self._widths(table)
        heading = self._heading_height(table, widths)
        minimum = self.ts.px(table.min_row_height)
        rows = []
        for row in table.rows:
            cells = [self._cell(cell, width) for cell, width in zip(row, widths, strict=True)]
            rows.append((row, cells, max(max(c.height for c in cells) + 2 * self.pad, minimum)))
        space = 0.0 if self.at_top or table.caption is None else self.ts.px(table.caption.space_before)
        first = rows[0][2] if rows else 0.0
        if not self.at_top and space + heading + min(first, self.body.height() / 3) > self.remaining:
            self.new_page()
        total = heading + sum(height for _, _, height in rows)
        room = self.body.bottom() - self.y
        extra = (room - total) / len(rows) if table.fill_page and rows and total <= room else 0.0
        self._place_heading(table, widths, continued=False)
        for row, cells, height in rows:
            height += extra
            if height <= self.remaining:
                self._place_row(table, row, cells, widths, height)
            elif height <= self.body.height() - heading:
                self.new_page()
                self._place_heading(table, widths, continued=True)
                self._place_row(table, row, cells, widths, height)
            else:
                self._split_row(table, row, cells, widths)

    def _place_row(
        self, table: Table, row: Sequence[Cell], cells: list[_CellLines], widths: list[float], height: float
    ) -> None:
        x = self.body.left()
        for cell, lines, width in zip(row, cells, widths, strict=True):
            self.page.items.append(RectItem(QRectF(x, self.y, width, height), cell.shade, table.borders))
            backdrop = width - 2 * self.pad if cell.shade is Shade.HATCHED else 0.0
            for offset, line in lines.lines:
                self.page.items.append(TextItem(x + self.pad, self.y + self.pad + offset, line, backdrop))
            x += width
        self.y += height

    def _split_row(self, table: Table, row: Sequence[Cell], cells: list[_CellLines], widths: list[float]) -> None:
        """A row taller than a page: as many lines of each cell as fit, the rest on the next pages."""
        pending = [list(c.lines) for c in cells]
        smallest = min((lines[0][1].height for lines in pending if lines), default=0.0)
        first = True
        while any(pending):
            if not first or smallest > self.remaining - 2 * self.pad:
                self.new_page()
                self._place_heading(table, widths, continued=True)
            room = self.remaining - 2 * self.pad
            slices = []
            for lines, width in zip(pending, widths, strict=True):
                taken: list[tuple[float, Line]] = []
                y = 0.0
                if not first and lines:
                    for note in self.ts.wrap(_continued_mark(), width - 2 * self.pad):
                        taken.append((y, note))
                        y += note.height
                while lines and (y + lines[0][1].height <= room or not taken):  # at least a line: progress
                    taken.append((y, lines.pop(0)[1]))
                    y += taken[-1][1].height
                slices.append(_CellLines(taken, y))
            height = max(s.height for s in slices) + 2 * self.pad
            self._place_row(table, row, slices, widths, height)
            first = False


def _continued(caption: Paragraph) -> Paragraph:
    spans = (*caption.spans, Span(translate("PrintFrame", " (continued)"), italic=True))
    return Paragraph(spans, caption.size, caption.space_before, caption.indent, caption.keep_with_next)


def paginate(blocks_by_section: Sequence[Sequence[Block]], typesetter: Typesetter, body: QRectF) -> list[PageItems]:
    """Place every block of every section (each section from a new page) into pages of ``body``."""
    paginator = _Paginator(typesetter, body)
    for blocks in blocks_by_section:
        paginator.new_page()
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Paragraph):
                paginator.place_paragraph(block, following)
            else:
                paginator.place_table(block)
    return paginator.pages or [PageItems()]
