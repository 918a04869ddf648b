"""The doses tab: measurements, plan, policies → the core's dose table, derivation and flags; save and verify.

Everything shown comes from :func:`dosecalc.regimen.order.compute_regimen_order`, recomputed in the same
event as each keystroke or choice (it takes well under a millisecond). Every change goes through
:class:`~ui.operations.Operations`; after it the tab re-reads the store, so the order status it shows is
the store's. Saving an order needs recorded measurements, a saved plan that matches the selection, and
every BLOCK resolved or overridden with a typed reason (medication-safety B2, D4, G4, G5).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import RowMapping

from dosecalc.bsa import BsaFormula
from dosecalc.cli.regimens import order_payload
from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.errors import DoseCalcError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy
from dosecalc.patient import Height, SerumCreatinine, Weight
from dosecalc.regimen.model import Regimen
from dosecalc.regimen.order import NONE_CHOICE, RegimenOrder, compute_regimen_order
from dosecalc.renal import RenalMethod, WeightBasis
from ui import i18n
from ui.errors import error_text, field_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.models import DoseTableModel, FlagListModel
from ui.operations import Operations
from ui.override_dialog import OverrideDialog
from ui.preparation_panel import PreparationPanel
from ui.quantity_field import QuantityField
from ui.regimen_picker import RegimenPicker
from ui.verify_dialog import POLICY_KEYS, VerifyDialog, age_in_years, patient_from_record, policy_from_plan
from ui.widgets import (
    ERROR_STYLE,
    FULL_TEXT_ROLE,
    FullTextDelegate,
    chinese_font_available,
    date_text,
    fit_popup,
    with_chinese,
)

__all__ = ["DosesTab"]

#: Blocks that must be resolved, never overridden: a missing choice, a refused input, a weight the dose needs.
_NOT_OVERRIDABLE = frozenset({"choice.missing", "choice.unknown", "weight_rule.no_weight", "input.refused"})

translate = QCoreApplication.translate
#: Option labels the interface words itself (the formula names are proper names and stay as the core has them).
_OPTION_WORDS = {
    "actual body weight": QT_TRANSLATE_NOOP("DosesTab", "actual body weight"),
    "ideal body weight (Devine)": QT_TRANSLATE_NOOP("DosesTab", "ideal body weight (Devine)"),
    "adjusted body weight (IBW + 0.4 × excess)": QT_TRANSLATE_NOOP(
        "DosesTab", "adjusted body weight (IBW + 0.4 × excess)"
    ),
    "lower of actual and ideal body weight": QT_TRANSLATE_NOOP("DosesTab", "lower of actual and ideal body weight"),
    "Stevenson 1937 (Chinese)": QT_TRANSLATE_NOOP("DosesTab", "Stevenson 1937 (Chinese)"),
    "CKD-EPI 2021 (race-free)": QT_TRANSLATE_NOOP("DosesTab", "CKD-EPI 2021 (race-free)"),
    "none": QT_TRANSLATE_NOOP("DosesTab", "none"),
    "125 mL/min (FDA 2010)": QT_TRANSLATE_NOOP("DosesTab", "125 mL/min (FDA 2010)"),
    "10 % (HOPA ceiling)": QT_TRANSLATE_NOOP("DosesTab", "10 % (HOPA ceiling)"),
}

#: (plan key, label, options as (value the core parses, label)). "measured" needs a GFR, entered elsewhere.
_POLICIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("bsa_formula", QT_TRANSLATE_NOOP("DosesTab", "BSA formula"), tuple((f.value, f.label) for f in BsaFormula)),
    ("weight_basis", QT_TRANSLATE_NOOP("DosesTab", "Weight basis (renal)"),
     tuple((w.value, w.label) for w in WeightBasis)),
    ("renal_method", QT_TRANSLATE_NOOP("DosesTab", "Renal method"),
     tuple((m.value, m.label) for m in RenalMethod if m is not RenalMethod.MEASURED)),
    ("creatinine_floor", QT_TRANSLATE_NOOP("DosesTab", "Creatinine floor"),
     tuple((v, v) for v in ("none", "0.7 mg/dL", "0.8 mg/dL", "1.0 mg/dL"))),
    ("gfr_cap", QT_TRANSLATE_NOOP("DosesTab", "GFR cap"), (("125 mL/min", "125 mL/min (FDA 2010)"), ("none", "none"))),
    ("max_deviation", QT_TRANSLATE_NOOP("DosesTab", "Maximum rounding deviation"),
     (("5%", "5 %"), ("10%", "10 % (HOPA ceiling)"))),
)  # fmt: skip


def _option_text(text: str) -> str:
    return translate("DosesTab", _OPTION_WORDS[text]) if text in _OPTION_WORDS else text


_STATUSES = {
    "draft": QT_TRANSLATE_NOOP("DosesTab", "draft"),
    "calculated": QT_TRANSLATE_NOOP("DosesTab", "calculated"),
    "verified": QT_TRANSLATE_NOOP("DosesTab", "verified"),
    "printed": QT_TRANSLATE_NOOP("DosesTab", "printed"),
    "superseded": QT_TRANSLATE_NOOP("DosesTab", "superseded"),
}


def status_text(status: str) -> str:
    """An order status in the interface language."""
    return translate("DosesTab", _STATUSES[status]) if status in _STATUSES else status


def _plan_policy(plan: RowMapping) -> DosingPolicy | None:
    try:
        return policy_from_plan(plan["policies"])[0]
    except DoseCalcError:
        return None


def _overridable(flag: Flag) -> bool:
    """A refused input or a missing choice is corrected, never overridden."""
    return flag.code not in _NOT_OVERRIDABLE and not flag.code.endswith(".refused")


class DosesTab(i18n.Retranslating, QWidget):
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
        self._policy_combos: dict[str, QComboBox] = {}
        self._defaults: dict[str, str] = {}

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
        self.measurements_box.setTitle(translate("DosesTab", "Measurements"))
        self.height_field.set_texts(translate("DosesTab", "&Height"), translate("DosesTab", "e.g. 170 cm or 1.7 m"))
        self.weight_field.set_texts(translate("DosesTab", "&Weight"), translate("DosesTab", "e.g. 65 kg"))
        self.creatinine_field.set_texts(translate("DosesTab", "C&reatinine"), translate("DosesTab", "e.g. 80 µmol/L"))
        self.measured_label.setText(translate("DosesTab", "Measured o&n"))
        self.save_measurements_button.setText(translate("DosesTab", "Save &measurements"))
        self.plan_box.setTitle(translate("DosesTab", "Plan"))
        self.cycle_spin.setPrefix(translate("DosesTab", "cycle "))
        self.cycle_spin.setAccessibleName(translate("DosesTab", "Cycle"))
        self.phase_label.setText(translate("DosesTab", "Ph&ase"))
        self.save_plan_button.setText(translate("DosesTab", "Save &plan"))
        self.start_label.setText(translate("DosesTab", "S&tart date"))
        self.policies_box.setTitle(translate("DosesTab", "Dosing policies"))
        self._show_policy_form(self.policy_toggle.isChecked())
        self.policy_toggle.setToolTip(translate("DosesTab", "Show the policy choices"))
        for key, label, options in _POLICIES:
            self._policy_labels[key].setText(translate("DosesTab", label))
            combo = self._policy_combos[key]
            for index, (value, text) in enumerate(options):
                shown = _option_text(text)
                combo.setItemText(index, translate("DosesTab", "{option} (site default)").format(option=shown)
                                  if value == self._defaults.get(key) else shown)  # fmt: skip
            for index in range(len(options), combo.count()):
                combo.setItemText(
                    index, translate("DosesTab", "{value} (from the plan)").format(value=combo.itemData(index))
                )
        for title, box in self._result_boxes:
            box.setTitle(translate("DosesTab", title))
        self.derivation_view.setPlaceholderText(
            translate("DosesTab", "Select a dose line to see how it was calculated.")
        )
        for format_edit in (self.measured_on_edit, self.start_edit):
            format_edit.setDisplayFormat(translate("DosesTab", "dd MMM yyyy"))
        self._name_phases_and_choices()
        self.dose_model.retranslate()
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
        left_layout.addWidget(self._build_measurements())
        left_layout.addWidget(self._build_plan())
        left_layout.addWidget(self._build_policies())
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
        splitter.addWidget(self._build_results())
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

    def _build_measurements(self) -> QGroupBox:
        box = self.measurements_box = QGroupBox()
        layout = QVBoxLayout(box)
        layout.setSpacing(4)
        self.height_field = QuantityField(
            "", Height.parse, "height", shown=lambda h: f"= {format_number(h.centimetres, 1)} cm"
        )
        self.weight_field = QuantityField(
            "", Weight.parse, "weight", shown=lambda w: f"= {format_number(w.kilograms, 2)} kg"
        )
        self.creatinine_field = QuantityField(
            "", SerumCreatinine.parse, "creatinine", shown=lambda c: f"= {format_number(c.mg_per_dl, 2)} mg/dL"
        )
        for field in self.fields():
            layout.addWidget(field)
        row = QHBoxLayout()
        self.measured_on_edit = QDateEdit(QDate.currentDate())
        self.measured_on_edit.setObjectName("measuredOn")
        self.measured_on_edit.setCalendarPopup(True)
        self.measured_on_edit.setMaximumDate(QDate.currentDate())
        measured_label = self.measured_label = QLabel()
        measured_label.setBuddy(self.measured_on_edit)
        self.save_measurements_button = QPushButton()
        row.addWidget(measured_label)
        row.addWidget(self.measured_on_edit)
        row.addStretch(1)
        row.addWidget(self.save_measurements_button)
        layout.addLayout(row)
        return box

    def _build_plan(self) -> QGroupBox:
        box = self.plan_box = QGroupBox()
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.picker = RegimenPicker(self.operations.library)
        self.search_edit, self.regimen_combo = self.picker.search_edit, self.picker.combo
        form.addRow(self.picker)
        self.phase_combo = QComboBox()
        self.phase_combo.setObjectName("phase")
        self.phase_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.phase_combo.setMinimumContentsLength(16)
        self.phase_combo.setItemDelegate(FullTextDelegate(self.phase_combo))
        self.cycle_spin = QSpinBox()
        self.cycle_spin.setObjectName("cycle")
        self.cycle_spin.setRange(1, 1)
        phase_row = QHBoxLayout()
        phase_row.addWidget(self.phase_combo, 1)
        phase_row.addWidget(self.cycle_spin)
        phase_label = self.phase_label = QLabel()
        phase_label.setBuddy(self.phase_combo)
        form.addRow(phase_label, phase_row)
        self.choices_widget = QWidget()
        self.choices_form = QFormLayout(self.choices_widget)
        self.choices_form.setContentsMargins(0, 0, 0, 0)
        self.choices_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.choices_widget)
        self.start_edit = QDateEdit(QDate.currentDate())
        self.start_edit.setObjectName("startDate")
        self.start_edit.setCalendarPopup(True)
        self.save_plan_button = QPushButton()
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_edit)
        start_row.addStretch(1)
        start_row.addWidget(self.save_plan_button)
        start_label = self.start_label = QLabel()
        start_label.setBuddy(self.start_edit)
        form.addRow(start_label, start_row)
        self.plan_label = QLabel()
        self.plan_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.plan_label.setObjectName("planState")
        self.plan_label.setWordWrap(True)
        form.addRow(self.plan_label)
        return box

    def _build_policies(self) -> QGroupBox:
        """A one-line summary of the policies in force, and their choices on demand."""
        box = self.policies_box = QGroupBox()
        layout = QVBoxLayout(box)
        top = QHBoxLayout()
        self.policy_summary = QLabel()
        self.policy_summary.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.policy_summary.setObjectName("policySummary")
        self.policy_summary.setWordWrap(True)
        self.policy_toggle = QToolButton()
        self.policy_toggle.setObjectName("policyToggle")
        self.policy_toggle.setCheckable(True)
        top.addWidget(self.policy_summary, 1)
        top.addWidget(self.policy_toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.policy_form = QWidget()
        form = QFormLayout(self.policy_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._policy_labels: dict[str, QLabel] = {}
        for key, label, options in _POLICIES:
            combo = QComboBox()
            combo.setObjectName(key)
            for value, text in options:
                is_default = policy_from_plan({key: value})[0] == DEFAULT_POLICY
                if is_default:
                    self._defaults[key] = value
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(self._defaults.get(key)), 0))
            self._policy_combos[key] = combo
            self._policy_labels[key] = QLabel(label)
            form.addRow(self._policy_labels[key], combo)
        self.policy_form.setVisible(False)
        layout.addWidget(self.policy_form)
        self.policy_toggle.toggled.connect(self._show_policy_form)
        return box

    def _show_policy_form(self, shown: bool) -> None:
        self.policy_form.setVisible(shown)
        self.policy_toggle.setText(translate("DosesTab", "Hi&de") if shown else translate("DosesTab", "&Change…"))

    def _show_policy_summary(self) -> None:
        changed = self.policies()
        parts = []
        for key, label, options in _POLICIES:
            combo = self._policy_combos[key]
            index = combo.currentIndex()
            text = _option_text(options[index][1]) if 0 <= index < len(options) else combo.currentText()
            changed_mark = translate("DosesTab", " (CHANGED)") if key in changed else ""
            parts.append(f"{translate('DosesTab', label)}: {text}{changed_mark}")
        lead = (
            translate("DosesTab", "All site defaults")
            if not changed
            else translate("DosesTab", "{count} changed from the site defaults").format(count=len(changed))
        )
        self.policy_summary.setText(f"{lead} — " + "; ".join(parts))

    def _build_results(self) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(6, 0, 0, 0)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.summary_label.setObjectName("orderSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.dose_model = DoseTableModel(None, self)
        self.table = QTableView()
        self.table.setObjectName("doseTable")
        self.table.setModel(self.dose_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DoseTableModel.ROUTE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.derivation_view = QPlainTextEdit()
        self.derivation_view.setObjectName("derivation")
        self.derivation_view.setReadOnly(True)
        self.derivation_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.derivation_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.flag_model = FlagListModel((), None, self)
        self.flags_view = QListView()
        self.flags_view.setObjectName("flags")
        self.flags_view.setModel(self.flag_model)
        self.flags_view.setWordWrap(True)
        self.flags_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.flags_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.flags_view.setSpacing(2)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self._result_boxes: list[tuple[str, QGroupBox]] = []
        for title, view in ((QT_TRANSLATE_NOOP("DosesTab", "Doses"), self.table),
                            (QT_TRANSLATE_NOOP("DosesTab", "Derivation"), self.derivation_view),
                            (QT_TRANSLATE_NOOP("DosesTab", "Flags"), self.flags_view)):  # fmt: skip
            box = QGroupBox(title)
            self._result_boxes.append((title, box))
            inner = QVBoxLayout(box)
            inner.setContentsMargins(4, 4, 4, 4)
            inner.addWidget(view)
            splitter.addWidget(box)
        self.preparation_panel, beside, derivation_box = PreparationPanel(), QSplitter(), splitter.widget(1)
        assert derivation_box is not None
        beside.addWidget(derivation_box)  # the derivation, with the line's preparation beside it
        beside.addWidget(self.preparation_panel)
        splitter.insertWidget(1, beside)
        splitter.setSizes([140, 290, 190])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        return widget

    def _connect(self) -> None:
        for field in self.fields():
            field.valueChanged.connect(self.recompute)
        self.save_measurements_button.clicked.connect(self.save_measurements)
        self.picker.regimenChanged.connect(self._on_regimen_changed)
        self.phase_combo.currentIndexChanged.connect(self._on_phase_changed)
        self.cycle_spin.valueChanged.connect(self.recompute)
        for combo in self._policy_combos.values():
            combo.currentIndexChanged.connect(self.recompute)
        self.save_plan_button.clicked.connect(self.save_plan)
        self.override_button.clicked.connect(self.override_blocks)
        self.save_order_button.clicked.connect(self.save_order)
        self.verify_button.clicked.connect(self.open_verify_dialog)
        self.print_button.clicked.connect(self.open_print_preview)
        self.table.selectionModel().currentRowChanged.connect(self._show_derivation)
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
            *self._policy_combos.values(), self.table, self.derivation_view, self.flags_view,
            self.override_button, self.save_order_button, self.verify_button, self.print_button,
        ]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def fields(self) -> tuple[QuantityField, QuantityField, QuantityField]:
        return self.height_field, self.weight_field, self.creatinine_field

    # ===================================================================================== regimen picker

    def regimen(self) -> Regimen | None:
        return self.picker.regimen()

    def select_regimen(self, regimen_id: str | None) -> None:
        self.picker.select(regimen_id)

    def _on_regimen_changed(self) -> None:
        if self._loading:
            return
        self._fill_phases_and_choices()
        self.recompute()

    def _fill_phases_and_choices(self, choices: Mapping[str, str] | None = None) -> None:
        regimen = self.regimen()
        was_loading, self._loading = self._loading, True
        self.phase_combo.clear()
        while self.choices_form.rowCount():
            self.choices_form.removeRow(0)
        self._choice_combos = {}
        if regimen is not None:
            for phase in regimen.phases:
                self.phase_combo.addItem(phase.name.en, phase.id)
            for group in regimen.choice_groups:
                combo = QComboBox()
                combo.setObjectName(f"choice-{group.id}")
                combo.setItemDelegate(FullTextDelegate(combo))
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(12)
                combo.addItem("", None)
                for option in group.options:
                    combo.addItem(option.name.en, option.id)
                if group.optional:
                    combo.addItem("", NONE_CHOICE)
                chosen = (choices or {}).get(group.id)
                combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
                combo.currentIndexChanged.connect(self.recompute)
                label = QLabel(group.name.en)
                label.setObjectName(f"choiceLabel-{group.id}")
                label.setBuddy(combo)
                self.choices_form.addRow(label, combo)
                self._choice_combos[group.id] = combo
        self._loading = was_loading
        self._name_phases_and_choices()
        self._set_tab_order()

    def _name_phases_and_choices(self) -> None:
        """The phase and option names in the interface language (the selections stay)."""
        regimen = self.regimen()
        if regimen is None:
            return
        for index, phase in enumerate(regimen.phases):
            self.phase_combo.setItemText(index, i18n.localized(phase.name))
            full = translate("DosesTab", "{phase}, every {days} days").format(
                phase=with_chinese(f"{phase.name.en} ({phase.id})", phase.name.zh), days=phase.cycle_length_days
            )
            self.phase_combo.setItemData(index, full, FULL_TEXT_ROLE)
            self.phase_combo.setItemData(index, full, Qt.ItemDataRole.ToolTipRole)
        fit_popup(self.phase_combo)
        for group in regimen.choice_groups:
            combo = self._choice_combos.get(group.id)
            if combo is None:
                continue
            for index in range(combo.count()):
                option = next((o for o in group.options if o.id == combo.itemData(index)), None)
                if option is not None:
                    combo.setItemText(index, i18n.localized(option.name))
                    combo.setItemData(index, with_chinese(option.name.en, option.name.zh), FULL_TEXT_ROLE)
                    if chinese_font_available():
                        combo.setItemData(index, option.name.zh, Qt.ItemDataRole.ToolTipRole)
                elif combo.itemData(index) == NONE_CHOICE:
                    combo.setItemText(index, translate("DosesTab", "none (left out)"))
            fit_popup(combo)
            label = self.choices_widget.findChild(QLabel, f"choiceLabel-{group.id}")
            if label is not None:
                label.setText(i18n.localized(group.name))
                label.setToolTip(with_chinese(group.name.en, group.name.zh))
        self._show_phase()

    def _on_phase_changed(self) -> None:
        if not self._loading:
            self._show_phase()
            self.recompute()

    def _show_phase(self) -> None:
        """The cycle range of the phase, and which choice groups it uses."""
        regimen, phase_id = self.regimen(), self.phase_combo.currentData()
        if regimen is None or phase_id is None:
            return
        was_loading, self._loading = self._loading, True
        phase = regimen.phase(phase_id)
        bound = phase.cycles or (phase.duration.max_cycles if phase.duration else None) or 200
        self.cycle_spin.setRange(1, bound)
        needed = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
        needed |= {course.choice.split("=")[0] for course in phase.radiotherapy if course.choice}
        for group in regimen.choice_groups:
            combo = self._choice_combos[group.id]
            combo.setItemText(
                0,
                translate("DosesTab", "— choose —")
                if group.id in needed
                else translate("DosesTab", "— choose — (not used in this phase)"),
            )
            combo.setToolTip(
                ""
                if group.id in needed
                else translate("DosesTab", "{group}: not used in phase {phase}").format(
                    group=i18n.localized(group.name), phase=phase.id
                )
            )
        self._loading = was_loading

    def choice_combo(self, group_id: str) -> QComboBox:
        """The combo of one choice group of the selected regimen."""
        return self._choice_combos[group_id]

    def select_phase(self, phase_id: str) -> None:
        self.phase_combo.setCurrentIndex(self.phase_combo.findData(phase_id))

    def choices(self) -> dict[str, str]:
        return {group: combo.currentData() for group, combo in self._choice_combos.items() if combo.currentData()}

    def policies(self) -> dict[str, str]:
        """The policies that differ from the site defaults, as the plan records them."""
        return {
            key: combo.currentData()
            for key, combo in self._policy_combos.items()
            if combo.currentData() != self._defaults.get(key)
        }

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
            for key, _, options in _POLICIES:  # drop values another patient's plan added
                while self._policy_combos[key].count() > len(options):
                    self._policy_combos[key].removeItem(len(options))
            plan = self._current_plan()
            self.search_edit.clear()
            if plan is not None and plan["regimen_id"] in self.operations.library.regimens:
                self.select_regimen(plan["regimen_id"])
                self._fill_phases_and_choices(dict(plan["choices"]))
                for key in POLICY_KEYS:
                    self._show_plan_policy(key, dict(plan["policies"]).get(key))
                self.start_edit.setDate(QDate(plan["start_date"]))
            else:
                self.select_regimen(None)
                self._fill_phases_and_choices()
                for key, combo in self._policy_combos.items():
                    combo.setCurrentIndex(max(combo.findData(self._defaults.get(key)), 0))
        self._loading = was_loading
        self._show_identity()
        self.recompute()

    def _show_plan_policy(self, key: str, value: Any) -> None:
        """Set a policy combo to the plan's value, compared as the core parses it; an unlisted value is added."""
        combo = self._policy_combos[key]
        if value is None:
            combo.setCurrentIndex(combo.findData(self._defaults[key]))
            return
        try:
            wanted = policy_from_plan({key: value})[0]
        except DoseCalcError as error:
            self._show_message(
                translate("DosesTab", "the saved plan's {policy}: {error}").format(
                    policy=key.replace("_", " "), error=error_text(error)
                ),
                True,
            )
            return
        for index in range(combo.count()):
            if policy_from_plan({key: combo.itemData(index)})[0] == wanted:
                combo.setCurrentIndex(index)
                return
        combo.addItem(translate("DosesTab", "{value} (from the plan)").format(value=value), str(value))
        combo.setCurrentIndex(combo.count() - 1)

    def _show_identity(self) -> None:
        patient = self._patient
        if patient is None:
            self.identity_label.setText(translate("DosesTab", "No patient selected"))
            return
        from ui.main_window import allergies_text, sex_text

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

    def _current_plan(self) -> RowMapping | None:
        return next((plan for plan in self._plans if plan["status"] == "active"), None)

    def _matching_plan(self) -> RowMapping | None:
        """The newest active plan recording exactly the regimen version, choices and policies on screen."""
        regimen = self.regimen()
        if self._patient is None or regimen is None:
            return None
        try:
            policy = policy_from_plan(self.policies())[0]
        except DoseCalcError:
            return None
        for plan in self._plans:
            if (
                plan["status"] == "active"
                and (plan["regimen_id"], plan["regimen_version"]) == (regimen.id, regimen.version)
                and dict(plan["choices"]) == self.choices()
                and _plan_policy(plan) == policy
            ):
                return plan
        return None

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
        selected = self._selected_drug()
        self.dose_model.set_order(order)
        self._fit_table()
        self._select_drug(selected)
        self.flag_model.set_flags(tuple(dict.fromkeys(flags)), self._reasons)
        self._show_summary()
        self._show_policy_summary()
        self._show_state()
        self.last_recompute_ms = (time.perf_counter() - started) * 1000

    def _fit_table(self) -> None:
        """Keep every dose line in view (up to eight): a line scrolled out of sight is a dose not checked.

        Routes wrap in Chinese, so each row is given room for two lines of text whatever the column widths
        are when this runs (before the first show they are not known yet).
        """
        table = self.table
        rows = max(min(self.dose_model.rowCount(), 8), 2)
        row = 2 * table.fontMetrics().lineSpacing() + 10
        header = table.horizontalHeader().sizeHint().height()
        table.setMinimumHeight(header + rows * row + 2 * table.frameWidth())

    def _selected_drug(self) -> str | None:
        line = self.dose_model.line(self.table.currentIndex().row())
        return line.drug.id if line is not None else None

    def _select_drug(self, drug_id: str | None) -> None:
        rows = self.dose_model.rowCount()
        row = next((r for r in range(rows) if (line := self.dose_model.line(r)) and line.drug.id == drug_id), 0)
        if rows:
            self.table.setCurrentIndex(self.dose_model.index(row, 0))
        self._show_derivation()

    def _show_derivation(self) -> None:
        line = self.dose_model.line(self.table.currentIndex().row())
        self.derivation_view.setPlainText("\n".join(line.derivation.lines()) if line is not None else "")
        self.preparation_panel.show_line(line)

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

    # ===================================================================================== state and actions

    def _blocks(self) -> list[Flag]:
        return [f for f in self.flag_model.flags_shown() if f.severity is Severity.BLOCK]

    def _unresolved_blocks(self) -> list[Flag]:
        return [f for f in self._blocks() if not _overridable(f) or (f.code, f.message) not in self._reasons]

    def _overridable_blocks(self) -> list[Flag]:
        return [f for f in self._blocks() if _overridable(f)]

    def save_blockers(self) -> list[str]:
        """Why the order cannot be saved now (empty when it can)."""
        reasons = []
        if self._patient is None:
            return [translate("DosesTab", "select a patient")]
        if self.operations.user is None:
            reasons.append(translate("DosesTab", "sign in"))
        if self._order is None:
            reasons.append(translate("DosesTab", "no doses calculated"))
        unresolved = self._unresolved_blocks()
        if len(unresolved) == 1:
            reasons.append(translate("DosesTab", "1 BLOCK to resolve or override"))
        elif unresolved:
            reasons.append(translate("DosesTab", "{count} BLOCKs to resolve or override").format(count=len(unresolved)))
        if any(field.is_edited() for field in self.fields()):
            reasons.append(translate("DosesTab", "save the changed measurements first"))
        elif self._order is not None and self._matching_plan() is None:
            reasons.append(translate("DosesTab", "save the plan first (the selection differs from every saved plan)"))
        latest = self._latest_order()
        if latest is not None and latest["status"] != "superseded" and self._shows(latest):
            reasons.append(
                translate("DosesTab", "this calculation is already saved as order #{id} ({status})").format(
                    id=latest["id"], status=status_text(latest["status"])
                )
            )
        return reasons

    def _shows(self, order: RowMapping) -> bool:
        """Whether the calculation on screen is exactly the saved order's snapshot."""
        return self._payload is not None and self._payload == order["snapshot"]

    def _show_state(self) -> None:
        patient = self._patient is not None
        edited = [f for f in self.fields() if f.is_edited()]
        self.save_measurements_button.setEnabled(
            patient and bool(edited) and all(f.error() is None and f.text() for f in edited)
        )
        blocks_choice = any(f.code.startswith("choice.") for f in self._blocks())
        self.save_plan_button.setEnabled(patient and self._order is not None and not blocks_choice)
        plan, current = self._matching_plan(), self._current_plan()
        if not patient:
            self.plan_label.setText("")
        elif plan is not None:
            self.plan_label.setText(
                translate(
                    "DosesTab", "Saved plan #{id} ({regimen} v{version}, start {start}) matches the selection."
                ).format(
                    id=plan["id"],
                    regimen=plan["regimen_id"],
                    version=plan["regimen_version"],
                    start=date_text(plan["start_date"]),
                )
            )
        elif current is not None:
            self.plan_label.setText(
                translate(
                    "DosesTab",
                    "Not saved: the selection differs from plan #{id} ({regimen} v{version}); "
                    "save it as a new plan to order from it.",
                ).format(id=current["id"], regimen=current["regimen_id"], version=current["regimen_version"])
            )
        else:
            self.plan_label.setText(translate("DosesTab", "No plan saved for this patient yet."))
        if patient and blocks_choice:
            self.plan_label.setText(
                f"{self.plan_label.text()} "
                + translate("DosesTab", "Choose every option this phase uses to save a plan.")
            )
        self.override_button.setEnabled(
            any((f.code, f.message) not in self._reasons for f in self._overridable_blocks())
        )
        blockers = self.save_blockers()
        self.save_order_button.setEnabled(not blockers)
        self.blockers_label.setText(
            translate("DosesTab", "Cannot save the order yet: {reasons}.").format(reasons="; ".join(blockers))
            if blockers
            else ""
        )
        self.blockers_label.setVisible(bool(blockers))
        latest = self._latest_order()
        self.verify_button.setEnabled(latest is not None and latest["status"] == "calculated")
        self.print_button.setEnabled(latest is not None)
        self.status_label.setText(self._status_text(latest))

    def _status_text(self, latest: RowMapping | None) -> str:
        if self._patient is None:
            return translate("DosesTab", "Order status: —")
        if latest is None:
            return translate("DosesTab", "Order status: draft — calculated on screen, not saved")
        status = latest["status"]
        text = translate("DosesTab", "Order status: {status} — order #{id}, {phase} cycle {cycle}").format(
            status=status_text(status), id=latest["id"], phase=latest["phase"], cycle=latest["cycle"]
        )
        if status == "calculated":
            text += translate("DosesTab", "; awaiting independent verification")
        elif status in ("verified", "printed") and latest["verified_at"] is not None:
            verified = latest["verified_at"]
            text += translate("DosesTab", "; verified {date} {time} UTC").format(
                date=date_text(verified.date()), time=f"{verified:%H:%M}"
            )
        elif status == "superseded":
            text += translate("DosesTab", "; verification void: an input changed, calculate and verify again")
        if status != "superseded" and self._payload is not None and not self._shows(latest):
            text += translate(
                "DosesTab", ". ON SCREEN: a new calculation that is not order #{id} and is not saved"
            ).format(id=latest["id"])
        return text

    def _show_message(self, text: str, error: bool) -> None:
        self.message_label.setText(translate("DosesTab", "⚠ Error: {message}").format(message=text) if error else text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    def save_measurements(self) -> None:
        if self._patient is None or not self.save_measurements_button.isEnabled():
            return
        day = self.measured_on_edit.date().toPython()
        assert isinstance(day, dt.date)
        for field in self.fields():
            if field.is_edited():
                saved = self.operations.run(
                    self.operations.store.add_measurement, self.operations.actor, self._patient["id"], field.field,
                    field.text(), day,
                    success=translate("DosesTab", "{field} {value} recorded, measured {date}").format(
                        field=field_text(field.field), value=field.text(), date=date_text(day)
                    ),
                    changes=self._patient["id"],
                )  # fmt: skip
                if saved is None:
                    return

    def save_plan(self) -> None:
        regimen = self.regimen()
        if self._patient is None or regimen is None or not self.save_plan_button.isEnabled():
            return
        start = self.start_edit.date().toPython()
        assert isinstance(start, dt.date)
        self.operations.run(
            self.operations.store.create_plan, self.operations.actor, self._patient["id"],
            regimen_id=regimen.id, regimen_version=regimen.version, choices=self.choices(),
            policies=self.policies(), start_date=start,
            success=translate("DosesTab", "Plan saved: {regimen} v{version}").format(
                regimen=regimen.id, version=regimen.version
            ),
            changes=self._patient["id"],
        )  # fmt: skip

    def override_blocks(self) -> OverrideDialog | None:
        """Ask a typed reason for each block that may be overridden (window-modal; applied on OK)."""
        flags = self._overridable_blocks()
        if not flags:
            return None
        dialog = OverrideDialog(flags, self._reasons, self)
        dialog.accepted.connect(lambda: self.set_override_reasons(dialog.reasons()))
        self.override_dialog = dialog
        dialog.open()
        return dialog

    def set_override_reasons(self, reasons: Mapping[tuple[str, str], str]) -> None:
        """Record typed reasons for overriding blocks (code, message) → reason; blank ones are dropped."""
        self._reasons.update({key: text.strip() for key, text in reasons.items() if text.strip()})
        self.recompute()

    def save_order(self) -> int | None:
        order, plan = self._order, self._matching_plan()
        if self._patient is None or order is None or plan is None or self.save_blockers():
            reasons = "; ".join(self.save_blockers() or [translate("DosesTab", "no matching plan")])
            self._show_message(translate("DosesTab", "cannot save: {reasons}").format(reasons=reasons), True)
            return None
        inputs: dict[str, Any] = {field.field: field.text() for field in self.fields()}
        inputs["measured_on"] = {
            field.field: day.isoformat() for field in self.fields() if (day := field.measured_on()) is not None
        }
        patient = patient_from_record(self._patient, None, None, None)
        inputs.update(age_years=patient.age_years, sex=self._patient["sex"], dose_level=0)
        overrides = [
            {"code": f.code, "message": f.message, "reason": self._reasons[(f.code, f.message)]} for f in self._blocks()
        ]
        return self.operations.run(
            self.operations.store.save_order, self.operations.actor, plan["id"], order.phase.id, order.cycle,
            inputs, order_payload(order, self._given), overrides,
            success=translate(
                "DosesTab", "Order saved: {regimen}, {phase} cycle {cycle} — awaiting verification"
            ).format(regimen=order.regimen.id, phase=order.phase.id, cycle=order.cycle),
            changes=self._patient["id"],
        )  # fmt: skip

    def print_document(self) -> Any:
        """The worksheet of the newest saved order (:class:`ui.print.Document`), or None (the reason is shown)."""
        from ui.print.preview import worksheet_for  # the printouts load when first used

        if self._latest_order() is None:
            self._show_message(
                translate("DosesTab", "nothing to print: save the order first (a worksheet prints a saved order)"), True
            )
            return None
        return worksheet_for(self.operations)

    def open_print_preview(self) -> QDialog | None:
        from ui.print.preview import open_print_preview

        document = self.print_document()
        self.print_dialog = open_print_preview(self.operations, document, self) if document is not None else None
        return self.print_dialog

    def open_verify_dialog(self) -> VerifyDialog | None:
        latest = self._latest_order()
        if latest is None or latest["status"] != "calculated":
            self._show_message(
                translate("DosesTab", "nothing to verify: no calculated order awaits verification"), True
            )
            return None
        self.verify_dialog = VerifyDialog(self.operations, latest["id"], self)
        self.verify_dialog.open()
        return self.verify_dialog
