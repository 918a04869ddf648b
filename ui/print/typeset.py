"""Fonts and measurements on the device a printout is drawn on: lines of text wrapped to a width.

Text is wrapped with :class:`QFontMetricsF` of the target device (PDF writer or printer), so what is
measured is what is drawn. Words wrap at spaces; a word wider than its column breaks between
characters, never clipped or elided (medication-safety C7). :mod:`ui.print.layout` places the lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QPaintDevice

from ui.print.document import Paragraph, Span

__all__ = ["FAMILIES", "FontKey", "Line", "Run", "Typesetter", "font_families"]

#: Sans-serif families in order of preference (DejaVu on Linux, Arial on Windows ward PCs).
FAMILIES = ("DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans")


def font_families() -> list[str]:
    """:data:`FAMILIES`, then the bundled Simplified Chinese font (ui/fonts) for every Chinese character.

    The bundled font is named before any installed CJK font, so Chinese prints with the same glyphs and
    the same line breaks on every machine, and every glyph extracts from the PDF as its own character
    (see scripts/make_cjk_font.py). Only if it cannot be loaded does an installed one stand in.
    """
    from ui.i18n import register_fonts

    bundled = register_fonts()
    return [
        *FAMILIES,
        *([bundled] if bundled else QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)[:1]),
    ]


_TOKENS = re.compile(r"\n|[^\S\n]+|\S+")


FontKey = tuple[float, bool, bool]  # size in points, bold, italic


@dataclass(slots=True)
class Run:
    font: FontKey
    text: str
    x: float  # from the line's left edge
    spaced: bool = False  # a space separates it from the run before


@dataclass(slots=True)
class Line:
    runs: list[Run]
    height: float
    ascent: float
    indent: float = 0.0

    @property
    def text(self) -> str:
        return "".join((" " if run.spaced and index else "") + run.text for index, run in enumerate(self.runs))


class Typesetter:
    """Fonts and measurements for one device; sizes in points, lengths in device pixels."""

    def __init__(self, device: QPaintDevice, families: Sequence[str] | None = None, condensed: bool = False) -> None:
        self.device = device
        self.dpi = device.logicalDpiY()
        self.families = list(families) if families is not None else font_families()
        self.condensed = condensed
        self._fonts: dict[FontKey, QFont] = {}
        self._metrics: dict[FontKey, QFontMetricsF] = {}
        self._widths: dict[tuple[FontKey, str], float] = {}

    def px(self, points: float) -> float:
        return points * self.dpi / 72.0

    def font(self, key: FontKey) -> QFont:
        font = self._fonts.get(key)
        if font is None:
            font = QFont()
            font.setFamilies(self.families)
            font.setPointSizeF(key[0])
            font.setBold(key[1])
            font.setItalic(key[2])
            if self.condensed:
                font.setStretch(QFont.Stretch.Condensed)
            font.setKerning(False)  # each word is measured and drawn alone: no kerning across the gaps
            for feature in ("liga", "clig"):  # "fi" stays two letters: the PDF's text reads as printed
                font.setFeature(QFont.Tag(feature), 0)
            self._fonts[key] = font
        return font

    def metrics(self, key: FontKey) -> QFontMetricsF:
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = self._metrics[key] = QFontMetricsF(self.font(key), self.device)
        return metrics

    def width(self, key: FontKey, text: str) -> float:
        width = self._widths.get((key, text))
        if width is None:
            width = self._widths[(key, text)] = self.metrics(key).horizontalAdvance(text)
        return width

    def wrap(self, text: Paragraph, width: float) -> list[Line]:
        """The paragraph's lines within ``width`` pixels: at spaces, inside a word only when it is wider."""
        indent = self.px(text.indent)
        available = max(width - indent, self.px(12))
        base: FontKey = (text.size, False, False)
        lines: list[Line] = []
        words: list[tuple[FontKey, str, float, bool]] = []  # font, word, x, whether a space comes before it
        cursor = 0.0

        def flush() -> None:
            nonlocal words, cursor
            lines.append(self._line(words, base, indent))
            words, cursor = [], 0.0

        for span, token, spaced in _tokens(text.spans):
            key: FontKey = (text.size, span.bold, span.italic)
            if token == "\n":
                flush()
                continue
            gap = self.width(key, " ") if spaced and words else 0.0
            size = self.width(key, token)
            if words and cursor + gap + size > available:
                flush()
                gap = 0.0
            while not words and size > available:  # a word wider than the column: break it between characters
                head = self._fitting_prefix(key, token, available)
                words.append((key, head, 0.0, False))
                flush()
                token = token[len(head) :]
                size = self.width(key, token)
            if token:
                words.append((key, token, cursor + gap, gap > 0))
                cursor += gap + size
        if words or not lines:
            flush()
        return lines

    def _fitting_prefix(self, key: FontKey, word: str, available: float) -> str:
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(key, word[:middle]) <= available:
                low = middle
            else:
                high = middle - 1
        return word[:low]

    def _line(self, words: list[tuple[FontKey, str, float, bool]], base: FontKey, indent: float) -> Line:
        runs: list[Run] = []
        for key, word, x, spaced in words:
            if runs and runs[-1].font == key:
                runs[-1].text += (" " if spaced else "") + word
            else:
                runs.append(Run(key, word, x, spaced))
        keys = {run.font for run in runs} or {base}
        height = max(self.metrics(key).lineSpacing() for key in keys)
        ascent = max(self.metrics(key).ascent() for key in keys)
        return Line(runs, height, ascent, indent)


def _tokens(spans: Sequence[Span]) -> list[tuple[Span, str, bool]]:
    """(span, word or "\\n", whether a space comes before it) across span boundaries."""
    tokens: list[tuple[Span, str, bool]] = []
    spaced = False
    for span in spans:
        if span.keep and span.text.strip():
            tokens.append((span, span.text.strip(), spaced or span.text[:1].isspace()))
            spaced = span.text[-1:].isspace()
            continue
        for match in _TOKENS.finditer(span.text):
            token = match.group()
            if token == "\n":
                tokens.append((span, token, False))
                spaced = False
            elif token.isspace():
                spaced = True
            else:
                tokens.append((span, token, spaced))
                spaced = False
    return tokens
