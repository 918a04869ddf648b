"""The patient side of the main window: the searchable patient list and the selected patient's header.

The list finds patients by name or hospital number and marks demonstration rows DEMO; the header names
the patient by name *and* hospital number (with date of birth, sex and allergies) on every tab, and the
demonstration patient carries a written DEMO banner. Also how stored patient words are shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.i18n import QT_TRANSLATE_NOOP, Retranslating, date_text

if TYPE_CHECKING:  # the core (SQLAlchemy, pint, pydantic) is imported once the window has painted
    from ui.operations import Operations

__all__ = [
    "NO_KNOWN_ALLERGIES",
    "SEXES",
    "SOURCES",
    "PatientHeader",
    "PatientListModel",
    "allergies_text",
    "sex_text",
    "source_text",
]

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
NO_KNOWN_ALLERGIES = "no known allergies"
#: Amber behind black text: the word DEMO carries the meaning, the colour only repeats it.
DEMO_STYLE = "background: #ffd54f; color: #000; font-weight: bold; padding: 4px 8px; border: 2px solid #000;"
#: How stored values are shown (the store keeps the English word).
SEXES = {"female": QT_TRANSLATE_NOOP("Patient", "female"), "male": QT_TRANSLATE_NOOP("Patient", "male")}
SOURCES = {
    "measured": QT_TRANSLATE_NOOP("Patient", "measured"),
    "stated": QT_TRANSLATE_NOOP("Patient", "stated"),
    "estimated": QT_TRANSLATE_NOOP("Patient", "estimated"),
}


def sex_text(sex: str) -> str:
    return translate("Patient", SEXES[sex]) if sex in SEXES else sex


def source_text(source: str) -> str:
    return translate("Patient", SOURCES[source]) if source in SOURCES else source


def allergies_text(allergies: str) -> str:
    if allergies.lower() == NO_KNOWN_ALLERGIES:
        return translate("Patient", "no known allergies")
    return allergies


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class PatientListModel(QAbstractListModel):
    """The store's patients matching a search (name or hospital number), demonstration rows marked DEMO."""

    PatientIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, operations: Operations | None, parent: Any = None) -> None:
        super().__init__(parent)
        self._operations = operations
        self._rows: list[Any] = []

    def attach(self, operations: Operations) -> None:
        self._operations = operations

    def search(self, text: str = "", *, include_demo: bool = True) -> None:
        self.beginResetModel()
        # No store yet (the window is starting): no patients.
        found = self._operations.store.find_patients(text, include_demo=include_demo) if self._operations else []
        self._rows = found
        self.endResetModel()

    def row_of(self, patient_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row["id"] == patient_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            demo = "DEMO · " if row["demo"] else ""
            return f"{demo}{row['full_name']}\n" + translate("MainWindow", "{number} · born {born} · {sex}").format(
                number=row["hospital_number"], born=date_text(row["date_of_birth"]), sex=sex_text(row["sex"])
            )
        if role == Qt.ItemDataRole.FontRole and row["demo"]:
            font = QFont()
            font.setItalic(True)
            return font
        if role == self.PatientIdRole:
            return int(row["id"])
        return None


class PatientHeader(Retranslating, QWidget):
    """Both identifiers, date of birth, sex, allergies and diagnosis of the selected patient; a DEMO banner."""

    def __init__(self, operations: Operations | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._operations = operations
        # While the window starts (no store yet): the status shown instead of a patient.
        self.starting: tuple[str, str] | None = None
        self.banner = QLabel()
        self.banner.setObjectName("demoBanner")
        self.banner.setStyleSheet(DEMO_STYLE)
        self.banner.setWordWrap(True)
        self.identity = QLabel()
        self.identity.setObjectName("patientIdentity")
        font = QFont(self.identity.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.identity.setFont(font)
        self.details = QLabel()
        self.details.setObjectName("patientDetails")
        for label in (self.identity, self.details):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.banner)
        layout.addWidget(self.identity)
        layout.addWidget(self.details)
        if operations is not None:
            self.attach(operations)
        self.retranslate()

    def attach(self, operations: Operations) -> None:
        self._operations = operations
        self.starting = None
        operations.patientSelected.connect(self.refresh)
        operations.patientChanged.connect(self.refresh)
        self.refresh()

    def retranslate(self) -> None:
        self.banner.setText(
            translate(
                "MainWindow",
                "⚠ DEMO — demonstration patient: invented data, not a real person. Never use it for treatment.",
            )
        )
        self.refresh()

    def refresh(self, *_: object) -> None:
        if self._operations is None:
            self.banner.hide()
            title, text = self.starting or ("", "")
            self.identity.setText(title)
            self.details.setText(text)
            return
        patient_id = self._operations.patient_id
        if patient_id is None:
            self.banner.hide()
            self.identity.setText(translate("MainWindow", "No patient selected"))
            self.details.setText(
                translate("MainWindow", "Find a patient by name or hospital number on the left (Ctrl+F).")
            )
            return
        row = self._operations.store.patient(patient_id)
        born = row["date_of_birth"]
        self.banner.setVisible(bool(row["demo"]))
        self.identity.setText(
            translate("MainWindow", "{name}   ·   Hospital number {number}").format(
                name=row["full_name"], number=row["hospital_number"]
            )
        )
        allergies = row["allergies"]
        shown = allergies_text(allergies) if allergies.lower() == NO_KNOWN_ALLERGIES else f"<b>{allergies}</b>"
        self.details.setText(
            translate(
                "MainWindow", "Born {born} ({age} years) · {sex} · Allergies: {allergies} · Diagnosis: {diagnosis}"
            ).format(
                born=date_text(born),
                age=_age(born, dt.date.today()),
                sex=sex_text(row["sex"]),
                allergies=shown,
                diagnosis=row["diagnosis"],
            )
        )
