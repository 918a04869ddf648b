"""The Doses tab's measurements form: height, weight and creatinine as the core parses them, and their date.

Texts are translated under the "DosesTab" context; saving goes through the tab (:mod:`ui.doses_actions`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDateEdit, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dosecalc.display import format_number
from dosecalc.patient import Height, SerumCreatinine, Weight
from ui.quantity_field import QuantityField

__all__ = ["MeasurementsBox"]

translate = QCoreApplication.translate


class MeasurementsBox(QGroupBox):
    """Height, weight and serum creatinine typed as text, the day they were measured, and "Save measurements"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
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

    def fields(self) -> tuple[QuantityField, QuantityField, QuantityField]:
        return self.height_field, self.weight_field, self.creatinine_field

    def retranslate(self) -> None:
        """Labels, placeholders and the date format in the interface language; what is typed stays."""
        self.setTitle(translate("DosesTab", "Measurements"))
        self.height_field.set_texts(translate("DosesTab", "&Height"), translate("DosesTab", "e.g. 170 cm or 1.7 m"))
        self.weight_field.set_texts(translate("DosesTab", "&Weight"), translate("DosesTab", "e.g. 65 kg"))
        self.creatinine_field.set_texts(translate("DosesTab", "C&reatinine"), translate("DosesTab", "e.g. 80 µmol/L"))
        self.measured_label.setText(translate("DosesTab", "Measured o&n"))
        self.save_measurements_button.setText(translate("DosesTab", "Save &measurements"))
        self.measured_on_edit.setDisplayFormat(translate("DosesTab", "dd MMM yyyy"))
