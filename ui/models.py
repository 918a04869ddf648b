"""Qt models adapting the core's domain lists (conventions §7): they format, they never compute.

:class:`DoseTableModel` adapts the lines of a :class:`~dosecalc.regimen.order.RegimenOrder`;
:class:`FlagListModel` adapts a tuple of :class:`~dosecalc.derivation.Flag`. Each holds only a
reference to the frozen domain object it is given; every number shown is formatted by
:mod:`dosecalc.display` from the core's own result, and every tooltip is the core's derivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.regimen.order import OrderedLine, RegimenOrder
from ui.flag_text import flag_line, flag_text
from ui.i18n import QT_TRANSLATE_NOOP, drug_name

__all__ = ["DoseTableModel", "FlagListModel", "days_text", "percent_text", "severity_icon"]

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
_ROUTES = {
    "intravenous": QT_TRANSLATE_NOOP("DoseTable", "intravenous"),
    "oral": QT_TRANSLATE_NOOP("DoseTable", "oral"),
    "hepatic intra-arterial": QT_TRANSLATE_NOOP("DoseTable", "hepatic intra-arterial"),
}

#: Blocks first, then warnings, then notes.
_RANK = {Severity.BLOCK: 0, Severity.WARNING: 1, Severity.INFO: 2}
_ICONS = {
    Severity.BLOCK: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def severity_icon(severity: Severity) -> QIcon:
    """The platform's standard icon for a severity; always shown next to the severity written out."""
    style = QApplication.style()
    return style.standardIcon(_ICONS[severity]) if style is not None else QIcon()


def _blocks_first(flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
    return tuple(sorted(flags, key=lambda flag: _RANK[flag.severity]))  # stable: the core's order within a severity


def days_text(days: tuple[int, ...]) -> str:
    """``1``, ``1, 8`` or ``1–14``: the days of a cycle as the dose table and the worksheet show them."""
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        return f"{days[0]}–{days[-1]}"
    return ", ".join(str(day) for day in days)


def percent_text(value: Any) -> str:
    """``+2.73 %``: the final dose's difference from the calculated one, signed when above it."""
    text = format_number(value, 2)
    return f"+{text} %" if value > 0 and text != "0" else f"{text} %"


class DoseTableModel(QAbstractTableModel):
    """One row per dose line of the current cycle: drug, basis, calculated, DOSE, % difference, route, days."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("DoseTable", "Drug"),
        QT_TRANSLATE_NOOP("DoseTable", "Basis"),
        QT_TRANSLATE_NOOP("DoseTable", "Calculated"),
        QT_TRANSLATE_NOOP("DoseTable", "DOSE"),
        QT_TRANSLATE_NOOP("DoseTable", "% diff"),
        QT_TRANSLATE_NOOP("DoseTable", "Route"),
        QT_TRANSLATE_NOOP("DoseTable", "Days"),
    )
    DRUG, BASIS, CALCULATED, DOSE, DIFFERENCE, ROUTE, DAYS = range(7)
    #: The row's :class:`~dosecalc.regimen.order.OrderedLine`.
    LineRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, order: RegimenOrder | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._order = order

    @property
    def order(self) -> RegimenOrder | None:
        return self._order

    def set_order(self, order: RegimenOrder | None) -> None:
        """Adapt another (recomputed) order."""
        self.beginResetModel()
        self._order = order
        self.endResetModel()

    def retranslate(self) -> None:
        """The headings and cells again in the interface language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        self.set_order(self._order)

    def line(self, row: int) -> OrderedLine | None:
        lines = self._order.lines if self._order is not None else ()
        return lines[row] if 0 <= row < len(lines) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        if parent.isValid() or self._order is None:
            return 0
        return len(self._order.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return translate("DoseTable", self.COLUMNS[section])
        if role == Qt.ItemDataRole.FontRole and section == self.DOSE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                translate("DoseTable", "Drug (tall man where ISMP lists one)"),
                translate("DoseTable", "Dose basis from the regimen"),
                translate("DoseTable", "Calculated dose per administration, before rounding"),
                translate("DoseTable", "DOSE: the final dose per administration, after rounding"),
                translate("DoseTable", "Difference of the final from the calculated dose"),
                translate("DoseTable", "Route and infusion duration"),
                translate("DoseTable", "Days of the cycle"),
            )[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line(index.row()) if index.isValid() else None
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(line.derivation.lines())
        if role == Qt.ItemDataRole.FontRole and column == self.DOSE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.CALCULATED, self.DOSE, self.DIFFERENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{translate('DoseTable', self.COLUMNS[column])}: {self._text(line, column)}"
        if role == self.LineRole:
            return line
        return None

    def _text(self, line: OrderedLine, column: int) -> str:
        result = line.result
        if column == self.DRUG:
            return drug_name(line.drug)
        if column == self.BASIS:
            return line.basis_text
        if column == self.CALCULATED:
            return format_quantity(result.calculated, 2)
        if column == self.DOSE:
            return format_quantity(result.final, 1)
        if column == self.DIFFERENCE:
            return percent_text(result.deviation_percent)
        if column == self.ROUTE:
            infusion = (
                translate("DoseTable", " over {duration}").format(duration=line.line.infusion)
                if line.line.infusion
                else ""
            )
            route = line.line.route.value
            return f"{translate('DoseTable', _ROUTES[route]) if route in _ROUTES else route}{infusion}"
        if column == self.DAYS:
            return days_text(line.days)
        return ""


class FlagListModel(QAbstractListModel):
    """Flags as "BLOCK: …", "WARNING: …", "INFO: …" with the standard icon of each severity; blocks first.

    ``overrides`` maps a block's code and message to the reason a pharmacist typed to override it.
    """

    FlagRole = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        flags: tuple[Flag, ...] = (),
        overrides: Mapping[tuple[str, str], str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._flags = _blocks_first(flags)
        self._overrides: Mapping[tuple[str, str], str] = overrides or {}

    def set_flags(self, flags: tuple[Flag, ...], overrides: Mapping[tuple[str, str], str] | None = None) -> None:
        self.beginResetModel()
        self._flags = _blocks_first(flags)
        self._overrides = overrides or {}
        self.endResetModel()

    def flags_shown(self) -> tuple[Flag, ...]:
        return self._flags

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._flags)

    def text(self, flag: Flag) -> str:
        reason = self._overrides.get((flag.code, flag.message))
        if flag.severity is Severity.BLOCK and reason:
            return translate("Flags", "BLOCK (overridden, reason: {reason}): {message}").format(
                reason=reason, message=flag_text(flag)
            )
        return flag_line(flag)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._flags):
            return None
        flag = self._flags[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(flag)
        if role == Qt.ItemDataRole.DecorationRole:
            return severity_icon(flag.severity)
        if role == self.FlagRole:
            return flag
        return None
