"""The doses tab: measurements, plan, policies → the core's dose table, derivation and flags; save and verify.

Everything shown comes from :func:`dosecalc.regimen.order.compute_regimen_order`, recomputed in the same
event as each keystroke or choice (it takes well under a millisecond). Every change goes through
:class:`~ui.operations.Operations`; after it the tab re-reads the store, so the order status it shows is
the store's. Saving an order needs recorded measurements, a saved plan that matches the selection, and
every BLOCK resolved or overridden with a typed reason (medication-safety B2, D4, G4, G5).

This module holds the tab's state, layout, patient loading and recalculation; its parts are the
measurements form (:mod:`ui.doses_measurements`), the plan and regimen choices (:mod:`ui.doses_plan`), the
dosing policies (:mod:`ui.doses_policies`), the results (:mod:`ui.doses_results`) and the order actions
(:mod:`ui.doses_actions`). Every text is translated under the "DosesTab" context.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import RowMapping

from dosecalc.cli.regimens import order_payload
from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError
from dosecalc.regimen.order import RegimenOrder, compute_regimen_order
from ui import i18n
from ui.doses_actions import OrderActions
from ui.doses_measurements import MeasurementsBox
from ui.doses_plan import PlanSection
from ui.doses_policies import PoliciesBox
from ui.doses_results import ResultsView
from ui.errors import error_text
from ui.operations import Operations
from ui.override_dialog import OverrideDialog
from ui.quantity_field import QuantityField
from ui.verify_dialog import POLICY_KEYS, VerifyDialog, age_in_years, patient_from_record, policy_from_plan
from ui.widgets import date_text

__all__ = ["DosesTab"]

translate = QCoreApplication.translate


class DosesTab(PlanSection, OrderActions, i18n.Retranslating, QWidget):
    """The dose calculation of the selected patient's current cycle."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.verify_dialog: VerifyDialog | None = None
        self.print_dialog: QDialog | None = None
        self.override_dialog: OverrideDialog | None = None
        #: Milliseconds the last recalculation took (information for the bench, never asserted).
        self.last_recompute_ms = 0.0
        self._patient: RowMapping | None = None
        # The patient's plans and orders as last read from the store, newest first; re-read after every change.
        self._plans: list[RowMapping] = []
        self._orders: list[RowMapping] = []
        self._order: RegimenOrder | None = None
        self._payload: dict[str, Any] | None = None
        self._given: list[tuple[str, str]] = []
        self._reasons: dict[tuple[str, str], str] = {}
        self._loading = False
        self._choice_combos: dict[str, QComboBox] = {}

        self._build()
        self._connect()
        self._load_patient(operations.patient_id)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the interface language; what is typed, chosen and calculated stays."""
        self.override_button.setText(translate("DosesTab", "&Override blocks…"))
        self.save_order_button.setText(translate("DosesTab", "Calculate and &save order  (Ctrl+S)"))
        self.verify_button.setText(translate("DosesTab", "&Verify…  (Ctrl+Shift+V)"))
        self.print_button.setText(translate("DosesTab", "&Print worksheet…"))
        self.print_button.setToolTip(translate("DosesTab", "Print preview of the saved order's worksheet (Ctrl+P)"))
        self.measurements_box.retranslate()
        self.plan_box.setTitle(translate("DosesTab", "Plan"))
        self.cycle_spin.setPrefix(translate("DosesTab", "cycle "))
        self.cycle_spin.setAccessibleName(translate("DosesTab", "Cycle"))
        self.phase_label.setText(translate("DosesTab", "Ph&ase"))
        self.save_plan_button.setText(translate("DosesTab", "Save &plan"))
        self.start_label.setText(translate("DosesTab", "S&tart date"))
        self.start_edit.setDisplayFormat(translate("DosesTab", "dd MMM yyyy"))
        self.policies_box.retranslate()
        self.results.retranslate()
        self._name_phases_and_choices()
        self._show_identity()
        self.recompute()

    # ===================================================================================== building

    def _build(self) -> None:
        self.identity_label = QLabel()
        self.identity_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.identity_label.setObjectName("identity")
        bold = QFont(self.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.identity_label.setFont(bold)
        self.identity_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.status_label.setObjectName("orderStatus")
        self.status_label.setFont(bold)
        self.status_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.status_label.setWordWrap(True)
        self.status_label.setMargin(4)
        header = QHBoxLayout()
        header.addWidget(self.identity_label, 3)
        header.addWidget(self.status_label, 4)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        self.measurements_box = MeasurementsBox()
        # The names the tab's code, the tests and the bench use for the measurement widgets.
        self.height_field, self.weight_field = self.measurements_box.height_field, self.measurements_box.weight_field
        self.creatinine_field = self.measurements_box.creatinine_field
        self.measured_on_edit = self.measurements_box.measured_on_edit
        self.save_measurements_button = self.measurements_box.save_measurements_button
        self.policies_box = PoliciesBox()
        self.policy_summary, self.policy_toggle = self.policies_box.summary, self.policies_box.toggle
        left_layout.addWidget(self.measurements_box)
        left_layout.addWidget(self._build_plan())
        left_layout.addWidget(self.policies_box)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(500)
        scroll.setMaximumWidth(560)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        self.results = ResultsView()
        self.summary_label, self.table, self.dose_model = (
            self.results.summary_label,
            self.results.table,
            self.results.dose_model,
        )
        self.derivation_view, self.flags_view, self.flag_model = (
            self.results.derivation_view,
            self.results.flags_view,
            self.results.flag_model,
        )
        self.preparation_panel = self.results.preparation_panel
        splitter.addWidget(self.results)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.message_label = QLabel()
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.message_label.setObjectName("message")
        self.message_label.setWordWrap(True)
        self.blockers_label = QLabel()
        self.blockers_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.blockers_label.setObjectName("blockers")
        self.blockers_label.setWordWrap(True)
        self.override_button = QPushButton()
        self.save_order_button = QPushButton()
        self.verify_button = QPushButton()
        bold_button = QFont(self.save_order_button.font())
        bold_button.setBold(True)
        self.save_order_button.setFont(bold_button)
        notes = QVBoxLayout()
        notes.addWidget(self.blockers_label)
        notes.addWidget(self.message_label)
        footer = QHBoxLayout()
        footer.addLayout(notes, 1)
        footer.addWidget(self.override_button)
        footer.addWidget(self.save_order_button)
        footer.addWidget(self.verify_button)
        self.print_button = QPushButton()
        footer.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    def _connect(self) -> None:
        for field in self.fields():
            field.valueChanged.connect(self.recompute)
        self.save_measurements_button.clicked.connect(self.save_measurements)
        self.picker.regimenChanged.connect(self._on_regimen_changed)
        self.phase_combo.currentIndexChanged.connect(self._on_phase_changed)
        self.cycle_spin.valueChanged.connect(self.recompute)
        for combo in self.policies_box.combos.values():
            combo.currentIndexChanged.connect(self.recompute)
        self.save_plan_button.clicked.connect(self.save_plan)
        self.override_button.clicked.connect(self.override_blocks)
        self.save_order_button.clicked.connect(self.save_order)
        self.verify_button.clicked.connect(self.open_verify_dialog)
        self.print_button.clicked.connect(self.open_print_preview)
        self.preparation_panel.labelRequested.connect(self.open_label_preview)
        self.operations.patientSelected.connect(self._on_patient_selected)
        self.operations.patientChanged.connect(self._on_patient_changed)
        self.operations.message.connect(self._show_message)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+S", self.save_order), ("Ctrl+Shift+V", self.open_verify_dialog),
                           ("Ctrl+F", self.search_edit.setFocus)):  # fmt: skip
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            *(field.edit for field in self.fields()), self.measured_on_edit, self.save_measurements_button,
            self.search_edit, self.regimen_combo, self.phase_combo, self.cycle_spin,
            *self._choice_combos.values(), self.start_edit, self.save_plan_button, self.policy_toggle,
            *self.policies_box.combos.values(), self.table, self.derivation_view,
            self.preparation_panel.label_button, self.flags_view,
            self.override_button, self.save_order_button, self.verify_button, self.print_button,
        ]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def fields(self) -> tuple[QuantityField, QuantityField, QuantityField]:
        return self.measurements_box.fields()

    # ===================================================================================== plan and policies

    def policies(self) -> dict[str, str]:
        """The policies that differ from the site defaults, as the plan records them."""
        return self.policies_box.policies()

    # ===================================================================================== patient

    def _on_patient_selected(self, patient_id: int) -> None:
        self._load_patient(None if patient_id < 0 else patient_id)

    def _on_patient_changed(self, patient_id: int) -> None:
        if self._patient is not None and patient_id == self._patient["id"]:
            self._refresh_from_store(reload_plan=False)

    def _load_patient(self, patient_id: int | None) -> None:
        self._patient = None
        self._reasons = {}
        if patient_id is not None:
            try:
                self._patient = self.operations.store.patient(patient_id)
            except DoseCalcError as error:
                self._show_message(error_text(error), True)
        for field in self.fields():
            field.set_initial("")
        self._refresh_from_store(reload_plan=True)

    def _refresh_from_store(self, *, reload_plan: bool) -> None:
        """Re-read measurements, plans and orders; fields being edited keep what is typed."""
        was_loading, self._loading = self._loading, True
        store, patient = self.operations.store, self._patient
        latest = store.latest_measurements(patient["id"]) if patient is not None else {}
        self._plans = store.plans_of(patient["id"]) if patient is not None else []
        self._orders = store.orders_of(patient["id"]) if patient is not None else []
        for field in self.fields():
            row = latest.get(field.field)
            if row is None:
                if not field.is_edited():
                    field.set_initial("")
                continue
            if not field.is_edited() or field.text() == row["value_text"]:
                field.set_initial(row["value_text"], row["measured_on"], row["source"])
        if reload_plan:
            self.policies_box.drop_plan_values()  # values another patient's plan added
            plan = self._current_plan()
            self.search_edit.clear()
            if plan is not None and plan["regimen_id"] in self.operations.library.regimens:
                self.select_regimen(plan["regimen_id"])
                self._fill_phases_and_choices(dict(plan["choices"]))
                for key in POLICY_KEYS:
                    problem = self.policies_box.show_plan_policy(key, dict(plan["policies"]).get(key))
                    if problem is not None:
                        self._show_message(problem, True)
                self.start_edit.setDate(QDate(plan["start_date"]))
            else:
                self.select_regimen(None)
                self._fill_phases_and_choices()
                self.policies_box.show_defaults()
        self._loading = was_loading
        self._show_identity()
        self.recompute()

    def _show_identity(self) -> None:
        patient = self._patient
        if patient is None:
            self.identity_label.setText(translate("DosesTab", "No patient selected"))
            return
        from ui.patient_panel import allergies_text, sex_text

        age = age_in_years(patient["date_of_birth"], dt.date.today())
        self.identity_label.setText(
            translate("DosesTab", "{name} · {number} · born {born} ({age} years) · {sex}").format(
                name=patient["full_name"],
                number=patient["hospital_number"],
                born=date_text(patient["date_of_birth"]),
                age=age,
                sex=sex_text(patient["sex"]),
            )
        )
        self.identity_label.setToolTip(
            translate("DosesTab", "Allergies: {allergies}\nDiagnosis: {diagnosis}").format(
                allergies=allergies_text(patient["allergies"]), diagnosis=patient["diagnosis"]
            )
        )

    def _latest_order(self) -> RowMapping | None:
        return self._orders[0] if self._orders else None

    # ===================================================================================== calculation

    def recompute(self) -> None:
        """Recalculate with the core from what is on screen; show its table, derivation and flags."""
        if self._loading:
            return
        started = time.perf_counter()
        flags: list[Flag] = [
            Flag(f"{field.field}.refused", Severity.BLOCK, error_text(error))
            for field in self.fields()
            if (error := field.error()) is not None
        ]
        order, given = None, list[tuple[str, str]]()
        regimen, phase_id = self.regimen(), self.phase_combo.currentData()
        if self._patient is not None and regimen is not None and phase_id is not None:
            try:
                patient = patient_from_record(
                    self._patient, self.height_field.value(), self.weight_field.value(), self.creatinine_field.value()
                )
                policy, given = policy_from_plan(self.policies())
                order = compute_regimen_order(
                    regimen, self.operations.library.catalogue, patient, phase_id, self.cycle_spin.value(),
                    self.choices(), policy,
                )  # fmt: skip
                flags.extend(order.flags)
            except DoseCalcError as error:
                flags.append(Flag("input.refused", Severity.BLOCK, error_text(error)))
        self._order, self._given = order, given
        # As the store keeps it (JSON), to tell whether the screen shows a saved order.
        self._payload = json.loads(json.dumps(order_payload(order, given), default=str)) if order else None
        self.results.show_order(order, flags, self._reasons)
        self._show_summary()
        self.policies_box.show_summary()
        self._show_state()
        self.last_recompute_ms = (time.perf_counter() - started) * 1000

    def _show_summary(self) -> None:
        order, regimen = self._order, self.regimen()
        if self._patient is None:
            text = translate("DosesTab", "Select a patient to calculate doses.")
        elif regimen is None:
            text = translate("DosesTab", "Choose a regimen: search by name, drug or trial id.")
        elif order is None:
            text = translate("DosesTab", "No doses: see the BLOCK in the flags below.")
        else:
            parts = [
                translate("DosesTab", "{regimen} v{version} — {phase}, cycle {cycle}").format(
                    regimen=regimen.id,
                    version=regimen.version,
                    phase=i18n.localized(order.phase.name),
                    cycle=order.cycle,
                )
            ]
            if order.bsa is not None:
                parts.append(
                    translate("DosesTab", "BSA {bsa} ({formula})").format(
                        bsa=format_quantity(order.bsa.bsa, 2), formula=dict(order.policies)["BSA formula"]
                    )
                )
            if order.renal is not None and order.renal.clearance is not None:
                parts.append(
                    translate("DosesTab", "renal clearance {clearance}").format(
                        clearance=format_quantity(order.renal.clearance.value, 1)
                    )
                )
            text = " · ".join(parts)
        self.summary_label.setText(text)
