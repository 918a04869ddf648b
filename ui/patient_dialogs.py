"""The patient dialogs of the main window: a new or edited patient, and a new measurement.

Each dialog's OK runs one action through the funnel (:meth:`ui.operations.Operations.run`) and shows a
refusal next to the field it names. They open once the store is open: not imported at start.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.errors import field_text
from ui.i18n import LANGUAGES, language_name
from ui.patient_panel import NO_KNOWN_ALLERGIES, SEXES, SOURCES, sex_text, source_text

if TYPE_CHECKING:
    from ui.operations import Operations

__all__ = ["FunnelDialog", "MeasurementDialog", "PatientDialog"]

translate = QCoreApplication.translate


class FunnelDialog(QDialog):
    """A dialog whose OK runs one action through the funnel and shows a refusal next to the named field."""

    def __init__(self, operations: Operations, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.operations = operations
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        from ui.widgets import ERROR_STYLE  # dialogs open once the store is: not at start

        self.error_label = QLabel()
        self.error_label.setObjectName("dialogError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def add_field(self, name: str, label: str, widget: QWidget) -> None:
        widget.setObjectName(f"{name}Field")
        widget.setAccessibleName(label.replace("&", ""))
        self.fields[name] = widget
        self.form.addRow(label, widget)

    def save(self) -> Any:
        raise NotImplementedError

    def _refused(self, text: str, error: bool) -> None:
        if not error:
            return
        self.error_label.setText(translate("MainWindow", "⚠ Error: {message}").format(message=text))
        self.error_label.show()
        name = re.split("[:：]", text, maxsplit=1)[0].strip()
        field = self.fields.get(name) or next((w for f, w in self.fields.items() if field_text(f) == name), None)
        if field is not None:
            field.setFocus()

    def accept(self) -> None:
        self.operations.message.connect(self._refused)
        try:
            result = self.operations.run(self.save)
        finally:
            self.operations.message.disconnect(self._refused)
        if result is not None:
            self.result_value = result
            super().accept()


class PatientDialog(FunnelDialog):
    """New patient, or edit one (the hospital number stays; a change needs a reason)."""

    def __init__(self, operations: Operations, patient_id: int | None = None, parent: QWidget | None = None) -> None:
        title = translate("MainWindow", "Edit patient") if patient_id else translate("MainWindow", "New patient")
        super().__init__(operations, title, parent)
        self.patient_id = patient_id
        self.row = operations.store.patient(patient_id) if patient_id is not None else None
        self.number = QLineEdit()
        self.name = QLineEdit()
        self.born = QLineEdit()
        self.born.setPlaceholderText(translate("MainWindow", "YYYY-MM-DD"))
        self.sex = QComboBox()
        self.sex.addItem(translate("MainWindow", "— choose —"), "")
        for sex in SEXES:
            self.sex.addItem(sex_text(sex), sex)
        self.allergies = QLineEdit()
        self.allergies.setPlaceholderText(translate("MainWindow", "type the allergies, or tick 'No known allergies'"))
        self.no_known = QCheckBox(translate("MainWindow", "No known allergies"))
        self.no_known.toggled.connect(self._no_known_toggled)
        self.diagnosis = QLineEdit()
        self.language = QComboBox()
        for language in reversed(LANGUAGES):  # zh_CN first: most patients
            self.language.addItem(language_name(language), language)
        self.language.setToolTip(
            translate("MainWindow", "The language of the patient's printed calendar (drug names stay bilingual)")
        )
        allergies = QWidget()
        row = QHBoxLayout(allergies)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.allergies, 1)
        row.addWidget(self.no_known)
        for name, label, widget in (("hospital-number", translate("MainWindow", "&Hospital number:"), self.number),
                                    ("name", translate("MainWindow", "&Name:"), self.name),
                                    ("date-of-birth", translate("MainWindow", "Date of &birth:"), self.born),
                                    ("sex", translate("MainWindow", "&Sex:"), self.sex),
                                    ("allergies", translate("MainWindow", "&Allergies:"), allergies),
                                    ("diagnosis", translate("MainWindow", "&Diagnosis:"), self.diagnosis),
                                    ("language", translate("MainWindow", "Calendar &language:"),
                                     self.language)):  # fmt: skip
            self.add_field(name, label, widget)
        self.fields["allergies"] = self.allergies
        self.reason = QLineEdit()
        if self.row is not None:
            self.number.setText(self.row["hospital_number"])
            self.number.setReadOnly(True)
            self.number.setToolTip(
                translate("MainWindow", "The hospital number identifies the record and cannot be changed.")
            )
            self.name.setText(self.row["full_name"])
            self.born.setText(self.row["date_of_birth"].isoformat())
            self.sex.setCurrentIndex(max(0, self.sex.findData(self.row["sex"])))
            self.allergies.setText(self.row["allergies"])
            self.no_known.setChecked(self.row["allergies"].lower() == NO_KNOWN_ALLERGIES)
            self.diagnosis.setText(self.row["diagnosis"])
            self.language.setCurrentIndex(max(0, self.language.findData(self.row["language"])))
            self.add_field("reason", translate("MainWindow", "&Reason for the change:"), self.reason)
        self.setMinimumWidth(560)

    def _no_known_toggled(self, checked: bool) -> None:
        self.allergies.setText(NO_KNOWN_ALLERGIES if checked else "")
        self.allergies.setEnabled(not checked)

    def save(self) -> int:
        from dosecalc.cli.schedule import parse_date

        values = {
            "full_name": self.name.text(),
            "date_of_birth": parse_date(self.born.text(), "date-of-birth"),
            "sex": self.sex.currentData() or "",
            "allergies": self.allergies.text(),
            "diagnosis": self.diagnosis.text(),
            "language": self.language.currentData(),
        }
        store, actor = self.operations.store, self.operations.actor
        if self.row is None:
            return store.add_patient(actor, hospital_number=self.number.text(), **values)
        changes = {key: value for key, value in values.items() if value != self.row[key]}
        if changes:
            store.update_patient(actor, self.row["id"], self.row["row_version"], changes, self.reason.text())
        return int(self.row["id"])


class MeasurementDialog(FunnelDialog):
    """Record a measurement or laboratory value with its date and source."""

    def __init__(self, operations: Operations, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(operations, translate("MainWindow", "Add measurement"), parent)
        from dosecalc.store.records import MEASUREMENT_KINDS

        self.patient_id = patient_id
        self.kind = QComboBox()
        for kind in MEASUREMENT_KINDS:
            self.kind.addItem(field_text(kind), kind)
        self.value = QLineEdit()
        self.value.setPlaceholderText(translate("MainWindow", "with its unit, e.g. 61 kg, 78 µmol/L, 2.1 x10^9/L"))
        self.measured_on = QLineEdit()
        self.measured_on.setPlaceholderText(
            translate("MainWindow", "YYYY-MM-DD, e.g. {today}").format(today=dt.date.today().isoformat())
        )
        self.source = QComboBox()
        for source in SOURCES:
            self.source.addItem(source_text(source), source)
        for name, label, widget in (("kind", translate("MainWindow", "&Kind:"), self.kind),
                                    ("value", translate("MainWindow", "&Value:"), self.value),
                                    ("measured-on", translate("MainWindow", "&Date:"), self.measured_on),
                                    ("source", translate("MainWindow", "&Source:"), self.source)):  # fmt: skip
            self.add_field(name, label, widget)
        self.setMinimumWidth(480)

    def save(self) -> int:
        from dosecalc.cli.schedule import parse_date

        day = parse_date(self.measured_on.text(), "measured-on")
        return self.operations.store.add_measurement(
            self.operations.actor, self.patient_id, self.kind.currentData(), self.value.text(), day,
            self.source.currentData(),
        )  # fmt: skip
