"""The Ledger tab: cumulative totals against their limits, radiotherapy sums, the PD-1 bound and the checks.

Everything comes from :func:`~dosecalc.store.ledger.compute_ledger`; this module only lays it out. A
status is always written ("OK", "WARNING", "BLOCK") next to any colour, and a limit bar carries its
figures inside it ("77.06 / 400 mg/m² (19 %)").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
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
from ui import i18n
from ui.errors import error_text, field_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.operations import Operations

__all__ = ["BAR_ROLE", "DrugTotalsModel", "LedgerTab", "RadiotherapySumsModel"]

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


def _state(value: str) -> str:
    return _t(_STATUS[value]) if value in _STATUS else value.upper()


_SEVERITY_BACKGROUND = {Severity.BLOCK: QColor(250, 215, 215), Severity.WARNING: QColor(252, 239, 200)}


def _n(value: float | None) -> str:
    return "—" if value is None else format_number(value, 2)


def _date(value: dt.date | None) -> str:
    return "—" if value is None else i18n.date_text(value)


def _status(value: str, flags: int) -> str:
    if not flags:
        return _state(value)
    count = (
        translate("LedgerTab", "1 flag") if flags == 1 else translate("LedgerTab", "{count} flags").format(count=flags)
    )
    return f"{_state(value)} ({count})"


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
            return "\n".join([*notes, *(flag.render() for flag in total.flags)]) or None
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
        text = f"{_n(amount.total)} {self._unit(total)}"
        if total.unit == "mg/m2":
            text += f" ({_n(total.mg.total)} mg)"
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
        text = f"{_n(amount.projected)} {self._unit(total)}"
        if amount.next_on is not None:
            text += "\n" + translate("LedgerTab", "next {date}: +{amount} {unit}").format(
                date=_date(amount.next_on), amount=_n(amount.next), unit=self._unit(total)
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
                    amount=_n(total.warn_threshold), unit=unit
                )
                if total.warn_threshold is not None
                else ""
            )
            return f"{_n(total.limit)} {unit} ({limit.kind if limit else translate('LedgerTab', 'limit')}){warn}"
        if total.warn_threshold is not None:
            return translate("LedgerTab", "warning from {amount} {unit}\nno maximum set").format(
                amount=_n(total.warn_threshold), unit=unit
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
        text = f"{_n(amount.total)} / {_n(scale)} {self._unit(total)}{level} ({percent} %)"
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
    when = translate("LedgerTab", ", finished {date}").format(date=_date(c.finished_on)) if c.finished_on else ""
    kind = translate("LedgerTab", "proposed") if c.proposed else (c.source or translate("LedgerTab", "declared"))
    return translate("LedgerTab", "{total} Gy in {fractions} fractions ({each} Gy each){when} — {kind}").format(
        total=_n(c.total_gy), fractions=c.fractions, each=_n(course.per_fraction_gy), when=when, kind=kind
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


class LedgerTab(i18n.Retranslating, QWidget):
    """The selected patient's ledger today: drug totals, radiotherapy sums, PD-1 bound, checks and flags."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.ledger: PatientLedger | None = None
        self._patient: int | None = None
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.drugs = self._table()
        self.drugs.setItemDelegateForColumn(DrugTotalsModel.BAR_COLUMN, LimitBarDelegate(self.drugs))
        self.drugs.horizontalHeader().setStretchLastSection(False)
        self.radiotherapy_title = QLabel()
        self.radiotherapy = self._table()
        self.no_radiotherapy = QLabel()
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
        self.flags_title = QLabel()
        layout.addWidget(self.flags_title)
        layout.addWidget(self.flags, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(page)
        QVBoxLayout(self).addWidget(self.pages)

        operations.patientSelected.connect(self._patient_selected)
        operations.patientChanged.connect(self._patient_changed)
        self._patient = None if operations.patient_id is None else operations.patient_id
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the interface language (the ledger is recomputed: it holds nothing typed)."""
        self.radiotherapy_title.setText(
            translate("LedgerTab", "<b>Radiotherapy sums</b> (BED and EQD2 by site; information, not limits)")
        )
        self.no_radiotherapy.setText(translate("LedgerTab", "No radiotherapy recorded."))
        self.flags_title.setText(translate("LedgerTab", "<b>Flags</b> (blocks first)"))
        self.reload()

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
            self.message.setText(translate("LedgerTab", "No patient selected"))
            self.pages.setCurrentIndex(0)
            return
        try:
            clinic = load_site_settings().clinic()  # the closure country of the Settings dialog
            ledger = compute_ledger(self.operations.store, self._patient, self.operations.library, clinic=clinic)
        except DoseCalcError as error:
            self.message.setText(
                translate("LedgerTab", "The ledger cannot be computed: {error}").format(error=error_text(error))
            )
            self.pages.setCurrentIndex(0)
            return
        self.ledger = ledger
        self._show(ledger)
        self.pages.setCurrentIndex(1)

    def _show(self, ledger: PatientLedger) -> None:
        blocks = sum(f.severity is Severity.BLOCK for f in ledger.flags)
        warnings = sum(f.severity is Severity.WARNING for f in ledger.flags)
        block_count = (
            translate("LedgerTab", "1 block")
            if blocks == 1
            else translate("LedgerTab", "{count} blocks").format(count=blocks)
        )
        warning_count = (
            translate("LedgerTab", "1 warning")
            if warnings == 1
            else translate("LedgerTab", "{count} warnings").format(count=warnings)
        )
        self.summary.setText(
            translate(
                "LedgerTab",
                "<b>Cumulative ledger on {date}</b> (hospital number {number}) — overall: <b>{status}</b> "
                "({blocks}, {warnings}). Projected totals add every dose still planned at the full dose level "
                "(an upper bound).",
            ).format(
                date=i18n.long_date_text(ledger.on),
                number=ledger.hospital_number,
                status=_state(ledger.status),
                blocks=block_count,
                warnings=warning_count,
            )
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
            self.flags.addItem(translate("LedgerTab", "none"))

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
            return translate("LedgerTab", "<b>PD-1 bound:</b> no PD-1 antibody given or planned.")
        limits = [
            translate("LedgerTab", "{count} months").format(count=bound.months) if bound.months else "",
            translate("LedgerTab", "{count} cycles").format(count=bound.max_cycles) if bound.max_cycles else "",
        ]
        first = _date(bound.first_dose) if bound.first_dose else translate("LedgerTab", "not given yet")
        stop = (
            translate("LedgerTab", ", no PD-1 dose from {date}").format(date=_date(bound.stop_date))
            if bound.stop_date
            else ""
        )
        given = (
            translate("LedgerTab", "1 cycle given")
            if bound.cycles_given == 1
            else translate("LedgerTab", "{count} cycles given").format(count=bound.cycles_given)
        )
        return translate(
            "LedgerTab",
            "<b>PD-1 bound:</b> {limits} from the first dose (first dose {first}{stop}); {given}, {months} months "
            "{days} days elapsed — <b>{status}</b>. Source: {source}",
        ).format(
            limits=translate("LedgerTab", " or ").join(x for x in limits if x),
            first=first,
            stop=stop,
            given=given,
            months=bound.elapsed_months,
            days=bound.elapsed_days,
            status=_state(bound.status),
            source=bound.source or "—",
        )

    @staticmethod
    def _checks_text(ledger: PatientLedger) -> str:
        parts = []
        for fresh in ledger.staleness:
            state = (
                translate("LedgerTab", "MISSING")
                if fresh.missing
                else translate("LedgerTab", "STALE")
                if fresh.stale
                else translate("LedgerTab", "OK")
            )
            age = (
                translate("LedgerTab", "1 day old")
                if fresh.age_days == 1
                else translate("LedgerTab", "{count} days old").format(count=fresh.age_days)
            )
            when = f"{_date(fresh.measured_on)}, {age}" if fresh.measured_on else translate("LedgerTab", "not recorded")
            parts.append(
                translate("LedgerTab", "{kind} {when} (window {days} days): {state}").format(
                    kind=field_text(fresh.kind), when=when, days=fresh.window_days, state=state
                )
            )
        change = ledger.weight_change
        weight = (
            translate(
                "LedgerTab", "weight change {change} % from {reference} kg (flags from {threshold} %): {state}"
            ).format(
                change=format_number(100 * change.change, 1),
                reference=_n(change.reference_kg),
                threshold=format_number(100 * change.threshold, 0),
                state=translate("LedgerTab", "FLAGGED") if change.flags else translate("LedgerTab", "OK"),
            )
            if change
            else translate("LedgerTab", "weight change: no reference weight")
        )
        missing = sum(r.value is None for r in ledger.day1.results)
        labs = translate("LedgerTab", "day-1 labs: {status}").format(status=_state(ledger.day1.status)) + (
            translate("LedgerTab", " ({count} not recorded)").format(count=missing) if missing else ""
        )
        return translate("LedgerTab", "<b>Checks:</b> ") + " · ".join([*parts, weight, labs])
