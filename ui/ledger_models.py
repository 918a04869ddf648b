"""The Ledger tab's tables: Qt adapters over the core's drug totals and radiotherapy sums, and the limit bar.

A status is always written ("OK", "WARNING", "BLOCK") next to any colour, and a limit bar carries its
figures inside it ("77.06 / 400 mg/m² (19 %)"). Texts are translated under the "LedgerTab" context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from dosecalc.derivation import Severity
from dosecalc.display import format_number
from dosecalc.ledger import DrugTotal, SiteSum
from dosecalc.regimen.model import Catalogue
from ui import i18n
from ui.flag_text import flag_line
from ui.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "BAR_ROLE",
    "SEVERITY_BACKGROUND",
    "DrugTotalsModel",
    "LimitBarDelegate",
    "RadiotherapySumsModel",
    "date_or_dash",
    "number_text",
    "state_text",
]

#: (fraction given so far, fraction projected, text) of a limit bar; None where there is nothing to measure.
BAR_ROLE = Qt.ItemDataRole.UserRole + 1
_UNITS = {"mg/m2": "mg/m²", "mg": "mg"}
_STATUS = {
    "ok": QT_TRANSLATE_NOOP("LedgerTab", "OK"),
    "warning": QT_TRANSLATE_NOOP("LedgerTab", "WARNING"),
    "block": QT_TRANSLATE_NOOP("LedgerTab", "BLOCK"),
}
translate = QCoreApplication.translate


def _t(text: str) -> str:
    return translate("LedgerTab", text)


def state_text(value: str) -> str:
    """A ledger status ("ok", "warning", "block") as the word shown beside any colour."""
    return _t(_STATUS[value]) if value in _STATUS else value.upper()


SEVERITY_BACKGROUND = {Severity.BLOCK: QColor(250, 215, 215), Severity.WARNING: QColor(252, 239, 200)}


def number_text(value: float | None) -> str:
    """A figure to two decimals, "—" when there is none."""
    return "—" if value is None else format_number(value, 2)


def date_or_dash(value: dt.date | None) -> str:
    """A date in the interface language, "—" when there is none."""
    return "—" if value is None else i18n.date_text(value)


def _status(value: str, flags: int) -> str:
    if not flags:
        return state_text(value)
    count = (
        translate("LedgerTab", "1 flag") if flags == 1 else translate("LedgerTab", "{count} flags").format(count=flags)
    )
    return f"{state_text(value)} ({count})"


class _ListModel(QAbstractTableModel):
    """A read-only table over a tuple of core results: one row each, columns as (title, text of a row)."""

    columns: Sequence[tuple[str, Callable[[Any], str]]] = ()

    def __init__(self, items: Sequence[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.items = tuple(items)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.columns[index.column()][1](self.items[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return _t(self.columns[section][0])
        return None


class DrugTotalsModel(_ListModel):
    """Adapter over the ledger's drug (and class) totals."""

    BAR_COLUMN = 4

    def __init__(self, totals: Sequence[DrugTotal], catalogue: Catalogue, parent: Any = None) -> None:
        self._catalogue = catalogue
        self.columns = (
            (QT_TRANSLATE_NOOP("LedgerTab", "Drug"), self._drug),
            (QT_TRANSLATE_NOOP("LedgerTab", "Total so far"), self._total),
            (QT_TRANSLATE_NOOP("LedgerTab", "Projected total"), self._projected),
            (QT_TRANSLATE_NOOP("LedgerTab", "Limit"), self._limit),
            (
                QT_TRANSLATE_NOOP("LedgerTab", "Against the limit (solid: so far; hatched: projected)"),
                lambda t: (self._bar(t) or (0.0, 0.0, translate("LedgerTab", "no mass limit")))[2],
            ),
            (QT_TRANSLATE_NOOP("LedgerTab", "Status"), lambda t: _status(t.status, len(t.flags))),
        )
        super().__init__(totals, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == BAR_ROLE and index.column() == self.BAR_COLUMN:
            return self._bar(self.items[index.row()])
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:
            total: DrugTotal = self.items[index.row()]
            limit = total.cumulative
            notes = [f"{limit.counts}; {limit.kind}: {limit.source}"] if limit else []
            return "\n".join([*notes, *(flag_line(flag) for flag in total.flags)]) or None
        return super().data(index, role)

    def _drug(self, total: DrugTotal) -> str:
        if total.class_total:
            members = ", ".join(self._name(c.drug) for c in total.contributions)
            return translate("LedgerTab", "{label} (class total: {members})").format(label=total.label, members=members)
        return self._name(total.drug)

    def _name(self, drug_id: str) -> str:
        drug = self._catalogue.get(drug_id)
        return i18n.drug_name(drug) if drug else drug_id

    @staticmethod
    def _unit(total: DrugTotal) -> str:
        return _UNITS.get(total.amount.unit, total.amount.unit)

    def _total(self, total: DrugTotal) -> str:
        amount = total.amount
        text = f"{number_text(amount.total)} {self._unit(total)}"
        if total.unit == "mg/m2":
            text += f" ({number_text(total.mg.total)} mg)"
        counted = sum(c.counted for c in total.contributions)
        held = sum(c.held for c in total.contributions)
        doses = (
            translate("LedgerTab", "1 dose counted")
            if counted == 1
            else translate("LedgerTab", "{count} doses counted").format(count=counted)
        )
        text += f"\n{doses}" + (translate("LedgerTab", ", {count} held").format(count=held) if held else "")
        if not amount.complete:
            text += "\n" + translate("LedgerTab", "incomplete: {count} not counted").format(
                count=len(amount.not_counted)
            )
        return text

    def _projected(self, total: DrugTotal) -> str:
        amount = total.amount
        text = f"{number_text(amount.projected)} {self._unit(total)}"
        if amount.next_on is not None:
            text += "\n" + translate("LedgerTab", "next {date}: +{amount} {unit}").format(
                date=date_or_dash(amount.next_on), amount=number_text(amount.next), unit=self._unit(total)
            )
        if amount.not_projected:
            text += "\n" + translate("LedgerTab", "{count} planned not projected").format(
                count=len(amount.not_projected)
            )
        return text

    def _limit(self, total: DrugTotal) -> str:
        limit, unit = total.cumulative, self._unit(total)
        if total.limit is not None:
            warn = (
                "\n"
                + translate("LedgerTab", "warning from {amount} {unit}").format(
                    amount=number_text(total.warn_threshold), unit=unit
                )
                if total.warn_threshold is not None
                else ""
            )
            return (
                f"{number_text(total.limit)} {unit} ({limit.kind if limit else translate('LedgerTab', 'limit')}){warn}"
            )
        if total.warn_threshold is not None:
            return translate("LedgerTab", "warning from {amount} {unit}\nno maximum set").format(
                amount=number_text(total.warn_threshold), unit=unit
            )
        if limit is not None and limit.limit is not None:
            return f"{format_number(limit.limit, 0)} {limit.unit} ({limit.counts}):\n" + translate(
                "LedgerTab", "see the PD-1 bound"
            )
        return translate("LedgerTab", "none in the catalogue")

    def _bar(self, total: DrugTotal) -> tuple[float, float, str] | None:
        """The total and the projected total as fractions of the limit (or of the warning level without one)."""
        scale = total.limit if total.limit is not None else total.warn_threshold
        if total.unit is None or not scale:
            return None
        amount = total.amount
        level = "" if total.limit is not None else translate("LedgerTab", " warning level")
        percent = format_number(100 * amount.total / scale, 0)
        text = f"{number_text(amount.total)} / {number_text(scale)} {self._unit(total)}{level} ({percent} %)"
        return amount.total / scale, amount.projected / scale, text


class RadiotherapySumsModel(_ListModel):
    """Adapter over the ledger's radiotherapy sums, one row per site."""

    columns = (
        (QT_TRANSLATE_NOOP("LedgerTab", "Site"), lambda s: s.site),
        (QT_TRANSLATE_NOOP("LedgerTab", "Courses"), lambda s: "\n".join(_course(c) for c in s.courses)),
        ("BED", lambda s: _gy(s.total_bed_gy)),
        ("EQD2", lambda s: _gy(s.total_eqd2_gy)),
        ("α/β", lambda s: f"{_gy(s.alpha_beta_gy)} ({s.alpha_beta_from})"),
    )

    def __init__(self, sums: Sequence[SiteSum], parent: Any = None) -> None:
        super().__init__(sums, parent)


def _gy(value: float | None) -> str:
    return translate("LedgerTab", "not known") if value is None else f"{format_number(value, 2)} Gy"


def _course(course: Any) -> str:
    c = course.course
    when = translate("LedgerTab", ", finished {date}").format(date=date_or_dash(c.finished_on)) if c.finished_on else ""
    kind = translate("LedgerTab", "proposed") if c.proposed else (c.source or translate("LedgerTab", "declared"))
    return translate("LedgerTab", "{total} Gy in {fractions} fractions ({each} Gy each){when} — {kind}").format(
        total=number_text(c.total_gy),
        fractions=c.fractions,
        each=number_text(course.per_fraction_gy),
        when=when,
        kind=kind,
    )


class LimitBarDelegate(QStyledItemDelegate):
    """A bar with its figures written inside: solid so far, hatched up to the projected total, a mark at 100 %."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        metrics = QFontMetrics(option.font)
        return QSize(metrics.horizontalAdvance(text) + 24, metrics.height() + 20)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        bar = index.data(BAR_ROLE)
        if bar is None:
            painter.save()
            painter.setPen(QColor(90, 90, 90))
            painter.drawText(
                option.rect.adjusted(6, 0, -6, 0),
                int(Qt.AlignmentFlag.AlignVCenter),
                translate("LedgerTab", "no mass limit"),
            )
            painter.restore()
            return
        given, projected, text = bar
        painter.save()
        frame = option.rect.adjusted(4, 4, -4, -4)
        painter.fillRect(frame, QColor("white"))
        width = frame.width()
        planned = QRect(frame.left(), frame.top(), int(width * min(projected, 1.0)), frame.height())
        painter.fillRect(planned, QBrush(QColor(120, 150, 190), Qt.BrushStyle.BDiagPattern))
        painter.fillRect(QRect(frame.left(), frame.top(), int(width * min(given, 1.0)), frame.height()),
                         QColor(170, 200, 235))  # fmt: skip
        painter.setPen(QPen(QColor(60, 60, 60), 1))
        painter.drawRect(frame)
        painter.setPen(QColor(15, 15, 15))
        label = painter.fontMetrics().boundingRect(frame, int(Qt.AlignmentFlag.AlignCenter), text).adjusted(-3, 0, 3, 0)
        painter.fillRect(
            label.intersected(frame.adjusted(1, 1, 0, 0)), QColor(255, 255, 255, 215)
        )  # words over hatching
        painter.drawText(frame, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()
