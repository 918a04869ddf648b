"""The Ledger tab: cumulative totals against their limits, radiotherapy sums, the PD-1 bound and the checks.

Everything comes from :func:`~dosecalc.store.ledger.compute_ledger`; this module only lays it out. A
status is always written ("OK", "WARNING", "BLOCK") next to any colour, and a limit bar carries its
figures inside it ("77.06 / 400 mg/m² (19 %)").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dosecalc.derivation import Severity
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError
from dosecalc.ledger import DrugTotal, SiteSum
from dosecalc.regimen.model import Catalogue
from dosecalc.site import load_site_settings
from dosecalc.store.ledger import PatientLedger, compute_ledger
from ui.operations import Operations

__all__ = ["BAR_ROLE", "DrugTotalsModel", "LedgerTab", "RadiotherapySumsModel"]

#: (fraction given so far, fraction projected, text) of a limit bar; None where there is nothing to measure.
BAR_ROLE = Qt.ItemDataRole.UserRole + 1
_UNITS = {"mg/m2": "mg/m²", "mg": "mg"}
_STATUS = {"ok": "OK", "warning": "WARNING", "block": "BLOCK"}
_SEVERITY_BACKGROUND = {Severity.BLOCK: QColor(250, 215, 215), Severity.WARNING: QColor(252, 239, 200)}


def _n(value: float | None) -> str:
    return "—" if value is None else format_number(value, 2)


def _date(value: dt.date | None) -> str:
    return "—" if value is None else value.strftime("%d %b %Y")


def _status(value: str, flags: int) -> str:
    return _STATUS.get(value, value.upper()) + (f" ({flags} flag{'s' * (flags != 1)})" if flags else "")


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
            return self.columns[section][0]
        return None


class DrugTotalsModel(_ListModel):
    """Adapter over the ledger's drug (and class) totals."""

    BAR_COLUMN = 4

    def __init__(self, totals: Sequence[DrugTotal], catalogue: Catalogue, parent: Any = None) -> None:
        self._catalogue = catalogue
        self.columns = (
            ("Drug", self._drug),
            ("Total so far", self._total),
            ("Projected total", self._projected),
            ("Limit", self._limit),
            (
                "Against the limit (solid: so far; hatched: projected)",
                lambda t: (self._bar(t) or (0.0, 0.0, "no mass limit"))[2],
            ),
            ("Status", lambda t: _status(t.status, len(t.flags))),
        )
        super().__init__(totals, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == BAR_ROLE and index.column() == self.BAR_COLUMN:
            return self._bar(self.items[index.row()])
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:
            total: DrugTotal = self.items[index.row()]
            limit = total.cumulative
            notes = [f"{limit.counts}; {limit.kind}: {limit.source}"] if limit else []
            return "\n".join([*notes, *(flag.render() for flag in total.flags)]) or None
        return super().data(index, role)

    def _drug(self, total: DrugTotal) -> str:
        if total.class_total:
            members = ", ".join(self._name(c.drug) for c in total.contributions)
            return f"{total.label} (class total: {members})"
        return self._name(total.drug)

    def _name(self, drug_id: str) -> str:
        drug = self._catalogue.get(drug_id)
        return drug.display if drug else drug_id

    @staticmethod
    def _unit(total: DrugTotal) -> str:
        return _UNITS.get(total.amount.unit, total.amount.unit)

    def _total(self, total: DrugTotal) -> str:
        amount = total.amount
        text = f"{_n(amount.total)} {self._unit(total)}"
        if total.unit == "mg/m2":
            text += f" ({_n(total.mg.total)} mg)"
        counted = sum(c.counted for c in total.contributions)
        held = sum(c.held for c in total.contributions)
        text += f"\n{counted} dose{'s' * (counted != 1)} counted" + (f", {held} held" if held else "")
        if not amount.complete:
            text += f"\nincomplete: {len(amount.not_counted)} not counted"
        return text

    def _projected(self, total: DrugTotal) -> str:
        amount = total.amount
        text = f"{_n(amount.projected)} {self._unit(total)}"
        if amount.next_on is not None:
            text += f"\nnext {_date(amount.next_on)}: +{_n(amount.next)} {self._unit(total)}"
        if amount.not_projected:
            text += f"\n{len(amount.not_projected)} planned not projected"
        return text

    def _limit(self, total: DrugTotal) -> str:
        limit, unit = total.cumulative, self._unit(total)
        if total.limit is not None:
            warn = f"\nwarning from {_n(total.warn_threshold)} {unit}" if total.warn_threshold is not None else ""
            return f"{_n(total.limit)} {unit} ({limit.kind if limit else 'limit'}){warn}"
        if total.warn_threshold is not None:
            return f"warning from {_n(total.warn_threshold)} {unit}\nno maximum set"
        if limit is not None and limit.limit is not None:
            return f"{format_number(limit.limit, 0)} {limit.unit} ({limit.counts}):\nsee the PD-1 bound"
        return "none in the catalogue"

    def _bar(self, total: DrugTotal) -> tuple[float, float, str] | None:
        """The total and the projected total as fractions of the limit (or of the warning level without one)."""
        scale = total.limit if total.limit is not None else total.warn_threshold
        if total.unit is None or not scale:
            return None
        amount = total.amount
        level = "" if total.limit is not None else " warning level"
        percent = format_number(100 * amount.total / scale, 0)
        text = f"{_n(amount.total)} / {_n(scale)} {self._unit(total)}{level} ({percent} %)"
        return amount.total / scale, amount.projected / scale, text


class RadiotherapySumsModel(_ListModel):
    """Adapter over the ledger's radiotherapy sums, one row per site."""

    columns = (
        ("Site", lambda s: s.site),
        ("Courses", lambda s: "\n".join(_course(c) for c in s.courses)),
        ("BED", lambda s: _gy(s.total_bed_gy)),
        ("EQD2", lambda s: _gy(s.total_eqd2_gy)),
        ("α/β", lambda s: f"{_gy(s.alpha_beta_gy)} ({s.alpha_beta_from})"),
    )

    def __init__(self, sums: Sequence[SiteSum], parent: Any = None) -> None:
        super().__init__(sums, parent)


def _gy(value: float | None) -> str:
    return "not known" if value is None else f"{format_number(value, 2)} Gy"


def _course(course: Any) -> str:
    c = course.course
    when = f", finished {_date(c.finished_on)}" if c.finished_on else ""
    kind = "proposed" if c.proposed else (c.source or "declared")
    return f"{_n(c.total_gy)} Gy in {c.fractions} fractions ({_n(course.per_fraction_gy)} Gy each){when} — {kind}"


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
            painter.drawText(option.rect.adjusted(6, 0, -6, 0), int(Qt.AlignmentFlag.AlignVCenter), "no mass limit")
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


class LedgerTab(QWidget):
    """The selected patient's ledger today: drug totals, radiotherapy sums, PD-1 bound, checks and flags."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.ledger: PatientLedger | None = None
        self._patient: int | None = None
        self.message = QLabel("No patient selected")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.drugs = self._table()
        self.drugs.setItemDelegateForColumn(DrugTotalsModel.BAR_COLUMN, LimitBarDelegate(self.drugs))
        self.drugs.horizontalHeader().setStretchLastSection(False)
        self.radiotherapy_title = QLabel("<b>Radiotherapy sums</b> (BED and EQD2 by site; information, not limits)")
        self.radiotherapy = self._table()
        self.no_radiotherapy = QLabel("No radiotherapy recorded.")
        self.pd1 = QLabel()
        self.pd1.setWordWrap(True)
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self.flags = QListWidget()
        self.flags.setWordWrap(True)
        self.flags.setSpacing(2)
        for label in (self.summary, self.pd1, self.checks):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.drugs)
        layout.addWidget(self.radiotherapy_title)
        layout.addWidget(self.radiotherapy)
        layout.addWidget(self.no_radiotherapy)
        layout.addWidget(self.pd1)
        layout.addWidget(self.checks)
        layout.addWidget(QLabel("<b>Flags</b> (blocks first)"))
        layout.addWidget(self.flags, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(page)
        QVBoxLayout(self).addWidget(self.pages)

        operations.patientSelected.connect(self._patient_selected)
        operations.patientChanged.connect(self._patient_changed)
        self._patient_selected(-1 if operations.patient_id is None else operations.patient_id)

    @staticmethod
    def _table() -> QTableView:
        table = QTableView()
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _patient_selected(self, patient_id: int) -> None:
        self._patient = None if patient_id < 0 else patient_id
        self.reload()

    def _patient_changed(self, patient_id: int) -> None:
        if patient_id == self._patient:
            self.reload()

    def reload(self) -> None:
        """Compute the ledger for today from the store and show it."""
        self.ledger = None
        if self._patient is None:
            self.message.setText("No patient selected")
            self.pages.setCurrentIndex(0)
            return
        try:
            clinic = load_site_settings().clinic()  # the closure country of the Settings dialog
            ledger = compute_ledger(self.operations.store, self._patient, self.operations.library, clinic=clinic)
        except DoseCalcError as error:
            self.message.setText(f"The ledger cannot be computed: {error.one_line()}")
            self.pages.setCurrentIndex(0)
            return
        self.ledger = ledger
        self._show(ledger)
        self.pages.setCurrentIndex(1)

    def _show(self, ledger: PatientLedger) -> None:
        blocks = sum(f.severity is Severity.BLOCK for f in ledger.flags)
        warnings = sum(f.severity is Severity.WARNING for f in ledger.flags)
        self.summary.setText(
            f"<b>Cumulative ledger on {ledger.on:%a %d %b %Y}</b> (hospital number {ledger.hospital_number}) — "
            f"overall: <b>{_STATUS[ledger.status]}</b> ({blocks} block{'s' * (blocks != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}). Projected totals add every dose still planned "
            "at the full dose level (an upper bound)."
        )
        self._set_model(self.drugs, DrugTotalsModel(ledger.drugs, self.operations.library.catalogue, self))
        self._set_model(self.radiotherapy, RadiotherapySumsModel(ledger.radiotherapy, self))
        self.radiotherapy.setVisible(bool(ledger.radiotherapy))
        self.no_radiotherapy.setVisible(not ledger.radiotherapy)
        self.pd1.setText(self._pd1_text(ledger))
        self.checks.setText(self._checks_text(ledger))
        self.flags.clear()
        for flag in ledger.flags:
            item = QListWidgetItem(flag.render())  # "BLOCK: …": the word, not only the colour
            if flag.severity in _SEVERITY_BACKGROUND:
                item.setBackground(_SEVERITY_BACKGROUND[flag.severity])
            self.flags.addItem(item)
        if not ledger.flags:
            self.flags.addItem("none")

    @staticmethod
    def _set_model(table: QTableView, model: QAbstractTableModel) -> None:
        old = table.model()
        table.setModel(model)
        if old is not None:
            old.deleteLater()
        table.resizeColumnsToContents()
        if isinstance(model, DrugTotalsModel):  # the bar takes the spare width, so its fill shows around the words
            table.horizontalHeader().setSectionResizeMode(DrugTotalsModel.BAR_COLUMN, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(r) for r in range(model.rowCount()))
        table.setFixedHeight(min(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth(), 300))

    @staticmethod
    def _pd1_text(ledger: PatientLedger) -> str:
        bound = ledger.pd1
        if bound is None:
            return "<b>PD-1 bound:</b> no PD-1 antibody given or planned."
        limits = [
            f"{bound.months} months" if bound.months else "",
            f"{bound.max_cycles} cycles" if bound.max_cycles else "",
        ]
        first = _date(bound.first_dose) if bound.first_dose else "not given yet"
        stop = f", no PD-1 dose from {_date(bound.stop_date)}" if bound.stop_date else ""
        return (
            f"<b>PD-1 bound:</b> {' or '.join(x for x in limits if x)} from the first dose (first dose {first}{stop}); "
            f"{bound.cycles_given} cycle{'s' * (bound.cycles_given != 1)} given, {bound.elapsed_months} months "
            f"{bound.elapsed_days} days elapsed — <b>{_STATUS[bound.status]}</b>. Source: {bound.source or '—'}"
        )

    @staticmethod
    def _checks_text(ledger: PatientLedger) -> str:
        parts = []
        for fresh in ledger.staleness:
            state = "MISSING" if fresh.missing else "STALE" if fresh.stale else "OK"
            when = (
                f"{_date(fresh.measured_on)}, {fresh.age_days} day{'' if fresh.age_days == 1 else 's'} old"
                if fresh.measured_on
                else "not recorded"
            )
            parts.append(f"{fresh.kind} {when} (window {fresh.window_days} days): {state}")
        change = ledger.weight_change
        weight = (
            f"weight change {format_number(100 * change.change, 1)} % from {_n(change.reference_kg)} kg "
            f"(flags from {format_number(100 * change.threshold, 0)} %): {'FLAGGED' if change.flags else 'OK'}"
            if change
            else "weight change: no reference weight"
        )
        missing = sum(r.value is None for r in ledger.day1.results)
        labs = f"day-1 labs: {_STATUS[ledger.day1.status]}" + (f" ({missing} not recorded)" if missing else "")
        return "<b>Checks:</b> " + " · ".join([*parts, weight, labs])
