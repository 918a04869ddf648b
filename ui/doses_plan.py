"""The Doses tab's plan section: regimen search and choice, phase and cycle, option choices, start date.

Whether the selection matches a saved plan is decided here too (:meth:`PlanSection._matching_plan`): an
order is saved only from a plan recording exactly the regimen version, choices and policies on screen.
Texts are translated under the "DosesTab" context.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)
from sqlalchemy import RowMapping

from dosecalc.errors import DoseCalcError
from dosecalc.order import DosingPolicy
from dosecalc.regimen.model import Regimen
from dosecalc.regimen.order import NONE_CHOICE
from ui import i18n
from ui.doses_state import DosesTabState
from ui.regimen_picker import RegimenPicker
from ui.verify_dialog import policy_from_plan
from ui.widgets import FULL_TEXT_ROLE, FullTextDelegate, chinese_font_available, fit_popup, with_chinese

__all__ = ["PlanSection"]

translate = QCoreApplication.translate


def _plan_policy(plan: RowMapping) -> DosingPolicy | None:
    try:
        return policy_from_plan(plan["policies"])[0]
    except DoseCalcError:
        return None


class PlanSection(DosesTabState):
    """The Doses tab's plan box and the regimen, phase and choices it selects (a part of the tab)."""

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
