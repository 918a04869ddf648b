"""The Ledger tab: cumulative totals against their limits, radiotherapy sums, the PD-1 bound and the checks.

Everything comes from :func:`~dosecalc.store.ledger.compute_ledger`; this module only lays it out (the
tables' models and the limit bar are in :mod:`ui.ledger_models`). A status is always written ("OK",
"WARNING", "BLOCK") next to any colour.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dosecalc.derivation import Severity
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError
from dosecalc.site import load_site_settings
from dosecalc.store.ledger import PatientLedger, compute_ledger
from ui import i18n
from ui.errors import error_text, field_text
from ui.flag_text import flag_line
from ui.ledger_models import (
    SEVERITY_BACKGROUND,
    DrugTotalsModel,
    LimitBarDelegate,
    RadiotherapySumsModel,
    date_or_dash,
    number_text,
    state_text,
)
from ui.operations import Operations

__all__ = ["LedgerTab"]

translate = QCoreApplication.translate


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
                status=state_text(ledger.status),
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
            item = QListWidgetItem(flag_line(flag))  # "BLOCK: …": the word, not only the colour
            if flag.severity in SEVERITY_BACKGROUND:
                item.setBackground(SEVERITY_BACKGROUND[flag.severity])
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
        first = date_or_dash(bound.first_dose) if bound.first_dose else translate("LedgerTab", "not given yet")
        stop = (
            translate("LedgerTab", ", no PD-1 dose from {date}").format(date=date_or_dash(bound.stop_date))
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
            status=state_text(bound.status),
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
            when = (
                f"{date_or_dash(fresh.measured_on)}, {age}"
                if fresh.measured_on
                else translate("LedgerTab", "not recorded")
            )
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
                reference=number_text(change.reference_kg),
                threshold=format_number(100 * change.threshold, 0),
                state=translate("LedgerTab", "FLAGGED") if change.flags else translate("LedgerTab", "OK"),
            )
            if change
            else translate("LedgerTab", "weight change: no reference weight")
        )
        missing = sum(r.value is None for r in ledger.day1.results)
        labs = translate("LedgerTab", "day-1 labs: {status}").format(status=state_text(ledger.day1.status)) + (
            translate("LedgerTab", " ({count} not recorded)").format(count=missing) if missing else ""
        )
        return translate("LedgerTab", "<b>Checks:</b> ") + " · ".join([*parts, weight, labs])
