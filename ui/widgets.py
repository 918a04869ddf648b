"""Small shared pieces of the workstation's look and text: the error style, dates, Chinese beside English.

Also the combo item whose open list shows the full text (:data:`FULL_TEXT_ROLE`, :class:`FullTextDelegate`,
:func:`fit_popup`) while the closed combo shows the short one. The input widgets built on these are in
:mod:`ui.quantity_field`, :mod:`ui.regimen_picker` and :mod:`ui.override_dialog`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem

from ui import i18n

__all__ = [
    "ERROR_STYLE",
    "FULL_TEXT_ROLE",
    "FullTextDelegate",
    "chinese_font_available",
    "date_text",
    "fit_popup",
    "with_chinese",
]

#: Errors are red *and* carry "⚠ Error:" in their text (never colour alone).
ERROR_STYLE = "color: #b00020;"
#: An item's full text, shown in a combo's open list while the closed combo shows the short display text.
FULL_TEXT_ROLE = Qt.ItemDataRole.UserRole + 7


def date_text(day: dt.date) -> str:
    """``07 Dec 2026`` / ``2026年12月7日``: the date form of the printouts, unambiguous in either language."""
    return i18n.date_text(day)


class FullTextDelegate(QStyledItemDelegate):
    """Shows an item's :data:`FULL_TEXT_ROLE` text in a combo's list, so nothing there is cut short."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        full = index.data(FULL_TEXT_ROLE)
        if full:
            option.text = full

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        full = index.data(FULL_TEXT_ROLE)
        if full:
            size.setWidth(option.fontMetrics.horizontalAdvance(full) + 24)
        return size


def fit_popup(combo: QComboBox) -> None:
    """Widen a combo's list to its longest full text."""
    metrics = combo.fontMetrics()
    texts = (str(combo.itemData(i, FULL_TEXT_ROLE) or combo.itemText(i)) for i in range(combo.count()))
    combo.view().setMinimumWidth(max((metrics.horizontalAdvance(t) for t in texts), default=0) + 40)


def chinese_font_available() -> bool:
    """Whether Simplified Chinese can be drawn: the bundled font (ui/fonts) or an installed one."""
    from PySide6.QtGui import QFontDatabase

    return i18n.register_fonts() is not None or bool(
        QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    )


def with_chinese(english: str, chinese: str, joiner: str = " / ") -> str:
    """``English / 中文``, or ``中文 / English`` in Chinese; the English alone where Chinese cannot be drawn."""
    if not chinese or not chinese_font_available():
        return english
    return f"{chinese}{joiner}{english}" if i18n.ui_language() == i18n.CHINESE else f"{english}{joiner}{chinese}"
