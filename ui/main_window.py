"""The main window: patients on the left, the selected patient's header above the Doses, Calendar and Ledger tabs.

Everything shown comes from the store through :class:`~ui.operations.Operations`; every change goes
through :meth:`Operations.run`. The header names the patient by name *and* hospital number (with date
of birth and allergies) on every tab, and the demonstration patient carries a written DEMO banner.
A tab (and its modules: dose calculation, schedules and holidays, the ledger) is built the first time it
is shown with a patient selected; until then it says to select a patient. The first window after
signing in has no patient selected, so it loads none of them.

The window is shown before the record store is open: built without :class:`~ui.operations.Operations`, it
paints its menus and layout with every input and action disabled and a written status ("Opening the record
store…"), and this module imports nothing of the core at start. :meth:`MainWindow.attach` gives it the
store, library and user once they are open, checked and signed in, and only then enables it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.errors import field_text
from ui.i18n import (
    LANGUAGES,
    QT_TRANSLATE_NOOP,
    Retranslating,
    date_text,
    install_language,
    language_name,
    saved_language,
    ui_language,
)

if TYPE_CHECKING:  # the core (SQLAlchemy, pint, pydantic) is imported once the window has painted
    from ui.operations import Operations

__all__ = ["MainWindow", "MeasurementDialog", "PatientDialog", "PatientHeader", "PatientListModel"]

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
NO_KNOWN_ALLERGIES = "no known allergies"
#: Amber behind black text: the word DEMO carries the meaning, the colour only repeats it.
DEMO_STYLE = "background: #ffd54f; color: #000; font-weight: bold; padding: 4px 8px; border: 2px solid #000;"
#: (tab title, module, class): imported when the tab is first shown.
TABS = (
    (QT_TRANSLATE_NOOP("MainWindow", "&Doses"), "ui.doses_tab", "DosesTab"),
    (QT_TRANSLATE_NOOP("MainWindow", "&Calendar"), "ui.calendar_tab", "CalendarTab"),
    (QT_TRANSLATE_NOOP("MainWindow", "&Ledger"), "ui.ledger_tab", "LedgerTab"),
)
#: How stored values are shown (the store keeps the English word).
SEXES = {"female": QT_TRANSLATE_NOOP("Patient", "female"), "male": QT_TRANSLATE_NOOP("Patient", "male")}
SOURCES = {
    "measured": QT_TRANSLATE_NOOP("Patient", "measured"),
    "stated": QT_TRANSLATE_NOOP("Patient", "stated"),
    "estimated": QT_TRANSLATE_NOOP("Patient", "estimated"),
}

# What the window says while it waits for the store and the library (English; translated when shown).
OPENING = QT_TRANSLATE_NOOP("MainWindow", "Opening the record store…")
OPENING_DETAILS = QT_TRANSLATE_NOOP(
    "MainWindow", "Checking the audit trail and the regimen library. Nothing can be entered until they are ready."
)


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


class _FunnelDialog(QDialog):
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


class PatientDialog(_FunnelDialog):
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


class MeasurementDialog(_FunnelDialog):
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


class MainWindow(Retranslating, QMainWindow):
    """The workstation window of one signed-in user.

    Built without ``operations`` it is the window while DoseCalc starts: menus and layout, no patient,
    every input and action disabled, and the status of the start written in the header and the status
    bar ("Opening the record store…", or :meth:`show_start_failed`); :meth:`attach` makes it the working window.
    """

    #: The user chose Sign out; the application shows the sign-in dialog again.
    signOutRequested = Signal()

    def __init__(self, operations: Operations | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._operations: Operations | None = None
        # Why the start failed (title, details; already translated), once it has.
        self._start_failed: tuple[str, str] | None = None
        self.setWindowTitle("DoseCalc")
        self.setMinimumSize(1024, 640)

        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setClearButtonEnabled(True)
        self.show_demo = QCheckBox()
        self.patients = PatientListModel(None, self)
        self.list = QListView()
        self.list.setObjectName("patientList")
        self.list.setModel(self.patients)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.measure_button = QPushButton()
        self.measurements = QLabel()
        self.measurements.setObjectName("latestMeasurements")
        self.measurements.setWordWrap(True)
        self.measurements.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.measurements.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        panel = self.patient_panel = QWidget()
        panel.setObjectName("patientPanel")
        left = QVBoxLayout(panel)
        left.addWidget(self.search)
        left.addWidget(self.show_demo)
        left.addWidget(self.list, 3)
        left.addLayout(buttons)
        left.addWidget(self.measure_button)
        left.addWidget(self.measurements, 1)

        self.header = PatientHeader(None)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("patientTabs")
        for title, _module, _name in TABS:
            page = QWidget()
            placeholder = QLabel()
            placeholder.setObjectName("tabPlaceholder")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            page_layout.addWidget(placeholder)
            self.tabs.addTab(page, title)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter()
        splitter.addWidget(panel)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1066])
        self.setCentralWidget(splitter)

        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self._build_menus()
        self.setTabOrder(self.search, self.show_demo)
        self.setTabOrder(self.show_demo, self.list)
        self.setTabOrder(self.list, self.new_button)
        self.setTabOrder(self.new_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.measure_button)
        self.setTabOrder(self.measure_button, self.tabs)

        self.search.textChanged.connect(self.refresh_patients)
        self.show_demo.toggled.connect(self.refresh_patients)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.new_button.clicked.connect(self.new_patient)
        self.edit_button.clicked.connect(self.edit_patient)
        self.measure_button.clicked.connect(self.add_measurement)
        self.tabs.currentChanged.connect(self._ensure_tab)
        self._set_inputs_enabled(False)
        self.retranslate()
        if operations is not None:
            self.attach(operations)

    @property
    def operations(self) -> Operations:
        """The store, library and user of this window (only once :meth:`attach` gave them)."""
        if self._operations is None:
            raise RuntimeError("the main window is still starting: no record store yet")
        return self._operations

    @property
    def ready(self) -> bool:
        """True once the store is open, the library checked and a user signed in (inputs enabled)."""
        return self._operations is not None

    def attach(self, operations: Operations) -> None:
        """Give the starting window its store, library and signed-in user; fill the patient list and enable it."""
        if self._operations is not None:
            raise RuntimeError("the main window already has its record store")
        self._operations = operations
        self.patients.attach(operations)
        self.header.attach(operations)
        operations.message.connect(self._show_message)
        operations.patientSelected.connect(self._patient_selected)
        operations.patientSelected.connect(self._ensure_tab)
        operations.patientChanged.connect(self._patient_selected)
        self.signed_in()
        self.retranslate()
        self._ensure_tab()
        self._set_inputs_enabled(True)

    def show_start_failed(self, title: str, details: str) -> None:
        """The start failed: the reason stays written in the window (texts already translated), inputs disabled."""
        self._start_failed = (title, details)
        self._show_starting()

    def _show_starting(self) -> None:
        """While starting: what is being done (or why it failed) in the header and the status bar."""
        title, details = (
            (f"⚠ {self._start_failed[0]}", self._start_failed[1])
            if self._start_failed
            else (
                translate("MainWindow", OPENING),
                translate("MainWindow", OPENING_DETAILS),
            )
        )
        self.header.starting = (title, details)
        self.header.refresh()
        self.status.setText(title)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        """Every input (the patient panel, the tabs) and every menu action.

        The header stays enabled so that the status it writes while starting is legible (it holds no input),
        and the menus themselves open to be read.
        """
        self.patient_panel.setEnabled(enabled)
        self.tabs.setEnabled(enabled)
        for item, (_text, slot) in self._menu_texts.items():
            if slot is not None:
                item.setEnabled(enabled)
        for item in self.language_actions.values():
            item.setEnabled(enabled)

    def retranslate(self) -> None:
        """Every text of the window in the interface language; what is typed and selected stays as it is."""
        self.search.setPlaceholderText(translate("MainWindow", "Search name or hospital number (Ctrl+F)"))
        self.search.setAccessibleName(translate("MainWindow", "Search patients by name or hospital number"))
        self.show_demo.setText(translate("MainWindow", "Show the DEMO patient"))
        self.list.setAccessibleName(translate("MainWindow", "Patients"))
        self.new_button.setText(translate("MainWindow", "&New patient…"))
        self.edit_button.setText(translate("MainWindow", "&Edit…"))
        self.measure_button.setText(translate("MainWindow", "Add &measurement…"))
        self.measurements.setToolTip(
            translate(
                "MainWindow", "The latest value of each kind, with its date; STATED or ESTIMATED when not measured"
            )
        )
        for index, (title, _module, _name) in enumerate(TABS):
            self.tabs.setTabText(index, translate("MainWindow", title))
            page = self.tabs.widget(index)
            placeholder = page.findChild(QLabel, "tabPlaceholder") if page is not None else None
            if placeholder is not None:
                placeholder.setText(
                    translate("MainWindow", "Select a patient on the left (Ctrl+F to search) to see {tab}.").format(
                        tab=translate("MainWindow", title).replace("&", "")
                    )
                )
        for item, (text, _slot) in self._menu_texts.items():
            item.setText(translate("MainWindow", text))
        if self._operations is None:  # still starting: no user, store or patient to show
            self._show_starting()
            return
        self._status_text()
        self.patients.beginResetModel()  # the list's "born" and sex words
        self.patients.endResetModel()
        self._select_row(self.operations.patient_id)
        self._patient_selected()

    # ----------------------------------------------------------------------------------- set-up

    def _build_menus(self) -> None:
        #: Each menu and action with its English text, retranslated on a language change.
        self._menu_texts: dict[Any, tuple[str, Any]] = {}

        def action(menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
            item = QAction(translate("MainWindow", text), self)
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
            item.triggered.connect(slot)
            menu.addAction(item)
            self._menu_texts[item] = (text, slot)
            return item

        def menu(text: str) -> Any:
            added = bar.addMenu(translate("MainWindow", text))
            self._menu_texts[added.menuAction()] = (text, None)
            return added

        bar = self.menuBar()
        file_menu = menu(QT_TRANSLATE_NOOP("MainWindow", "&File"))
        self.print_action = action(
            file_menu, QT_TRANSLATE_NOOP("MainWindow", "&Print…"), self.print_preview, QKeySequence.StandardKey.Print
        )
        self.export_action = action(
            file_menu, QT_TRANSLATE_NOOP("MainWindow", "&Export PDF…"), self.export_pdf, "Ctrl+Shift+E"
        )
        file_menu.addSeparator()
        action(file_menu, QT_TRANSLATE_NOOP("MainWindow", "&Settings…"), self.open_settings, "Ctrl+,")
        file_menu.addSeparator()
        action(file_menu, QT_TRANSLATE_NOOP("MainWindow", "Sign &out"), self.signOutRequested.emit)
        action(file_menu, QT_TRANSLATE_NOOP("MainWindow", "&Quit"), self.close, "Ctrl+Q")
        patient_menu = menu(QT_TRANSLATE_NOOP("MainWindow", "&Patient"))
        action(
            patient_menu, QT_TRANSLATE_NOOP("MainWindow", "&Find…"), self.focus_search, QKeySequence.StandardKey.Find
        )
        action(
            patient_menu,
            QT_TRANSLATE_NOOP("MainWindow", "&New patient…"),
            self.new_patient,
            QKeySequence.StandardKey.New,
        )
        action(patient_menu, QT_TRANSLATE_NOOP("MainWindow", "&Edit…"), self.edit_patient, "Ctrl+E")
        action(patient_menu, QT_TRANSLATE_NOOP("MainWindow", "Add &measurement…"), self.add_measurement, "Ctrl+M")
        view_menu = menu(QT_TRANSLATE_NOOP("MainWindow", "&View"))
        for index, (title, _module, _name) in enumerate(TABS):
            action(view_menu, title, lambda _=False, index=index: self.tabs.setCurrentIndex(index), f"Ctrl+{index + 1}")
        language_menu = menu(QT_TRANSLATE_NOOP("MainWindow", "&Language"))
        self.language_actions: dict[str | None, QAction] = {}
        group = QActionGroup(self)
        system = action(language_menu, QT_TRANSLATE_NOOP("MainWindow", "Follow the &system"), lambda: None)
        self.language_actions[None] = system
        language_menu.addSeparator()
        for language in LANGUAGES:
            item = QAction(language_name(language), self)  # each language in its own words, never translated
            language_menu.addAction(item)
            self.language_actions[language] = item
        for chosen, item in self.language_actions.items():
            item.setCheckable(True)
            group.addAction(item)
            item.triggered.connect(lambda _=False, chosen=chosen: self.set_language(chosen))
        self.language_actions[saved_language()].setChecked(True)

    def set_language(self, language: str | None) -> None:
        """Show the interface in ``language`` (None: the system's) now and at every start; nothing typed is lost."""
        install_language(language, save=True)
        self.language_actions[language].setChecked(True)
        self.operations.message.emit(
            translate("MainWindow", "Interface language: {language}").format(language=language_name(ui_language())),
            False,
        )

    def _ensure_tab(self, *_: object) -> None:
        """Build the current tab once a patient is selected (its module is imported then, not at start)."""
        index = self.tabs.currentIndex()
        page = self.tabs.widget(index)
        if self.operations.patient_id is None or page is None or page.property("built"):
            return
        page.setProperty("built", True)
        _title, module, name = TABS[index]
        tab = getattr(importlib.import_module(module), name)(self.operations, page)
        tab.setObjectName(name)
        placeholder = page.findChild(QLabel, "tabPlaceholder")
        if placeholder is not None:
            placeholder.hide()
        layout = page.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addWidget(tab, 1)

    def tab(self, index: int) -> QWidget | None:
        """The tab's widget once built (it is built when shown with a patient selected), else None."""
        page = self.tabs.widget(index)
        return page.findChild(QWidget, TABS[index][2]) if page is not None else None

    # ----------------------------------------------------------------------------------- state

    def signed_in(self) -> None:
        """Show who is signed in and reset the patient list (called after each sign-in)."""
        from dosecalc.store.demo import DEMO_USERNAME

        user = self.operations.user
        demo = user is not None and user.username == DEMO_USERNAME
        self.show_demo.setChecked(demo)
        self._status_text()
        self.refresh_patients()
        self._patient_selected()

    def _status_text(self) -> None:
        user = self.operations.user
        who = f"{user.username} — {user.full_name}, {user.role.value}" if user is not None else "—"
        store = self.operations.store.engine.url.render_as_string(hide_password=True)
        self.status.setText(translate("MainWindow", "Signed in: {user} · Store: {store}").format(user=who, store=store))

    def refresh_patients(self, *_: object) -> None:
        self.patients.search(self.search.text(), include_demo=self.show_demo.isChecked())
        self._select_row(self.operations.patient_id)

    def _select_row(self, patient_id: int | None) -> None:
        row = self.patients.row_of(patient_id) if patient_id is not None else None
        selection = self.list.selectionModel()
        if row is None:
            selection.clearSelection()
        elif self.list.currentIndex().row() != row:
            self.list.setCurrentIndex(self.patients.index(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        patient_id = current.data(PatientListModel.PatientIdRole) if current.isValid() else None
        if patient_id is not None and patient_id != self.operations.patient_id:
            self.operations.select_patient(patient_id)

    def _patient_selected(self, *_: object) -> None:
        patient_id = self.operations.patient_id
        has_patient = patient_id is not None
        self._select_row(patient_id)
        self.edit_button.setEnabled(has_patient)
        self.measure_button.setEnabled(has_patient)
        if patient_id is None:
            self.setWindowTitle("DoseCalc")
            self.measurements.setText("")
            return
        row = self.operations.store.patient(patient_id)
        demo = "DEMO · " if row["demo"] else ""
        self.setWindowTitle(f"DoseCalc — {demo}{row['full_name']} ({row['hospital_number']})")
        latest = self.operations.store.latest_measurements(patient_id)
        lines = [
            f"{field_text(kind)} <b>{item['value_text']}</b> {date_text(item['measured_on'])}"
            + ("" if item["source"] == "measured" else f" <b>({source_text(item['source']).upper()})</b>")
            for kind, item in latest.items()
        ]
        self.measurements.setText(
            "<b>{}</b><br>".format(translate("MainWindow", "Latest measurements"))
            + ("<br>".join(lines) or translate("MainWindow", "none recorded"))
        )

    def _show_message(self, text: str, error: bool) -> None:
        shown = translate("MainWindow", "Error: {message}").format(message=text) if error else text
        self.statusBar().showMessage(shown, 0 if error else 8000)

    # ----------------------------------------------------------------------------------- actions

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_patient(self) -> None:
        dialog = PatientDialog(self.operations, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.operations.message.emit(
                translate("MainWindow", "Added patient {number}").format(number=dialog.number.text().strip()), False
            )
            self.search.clear()
            self.refresh_patients()
            self.operations.select_patient(dialog.result_value)
            self._select_row(dialog.result_value)

    def edit_patient(self) -> None:
        patient_id = self.operations.patient_id
        if patient_id is None:
            return
        dialog = PatientDialog(self.operations, patient_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.operations.message.emit(
                translate("MainWindow", "Saved patient {number}").format(number=dialog.number.text()), False
            )
            self.refresh_patients()
            self.operations.patientChanged.emit(patient_id)

    def add_measurement(self) -> None:
        patient_id = self.operations.patient_id
        if patient_id is None:
            return
        dialog = MeasurementDialog(self.operations, patient_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.operations.message.emit(
                translate("MainWindow", "Recorded {kind}").format(kind=dialog.kind.currentText()), False
            )
            self.operations.patientChanged.emit(patient_id)

    # ----------------------------------------------------------------------------------- printing

    def print_document(self) -> Any:
        """The current tab's printout: the worksheet on Doses, the calendar on Calendar (None: the reason is shown)."""
        tab = self.tab(self.tabs.currentIndex()) if self.operations.patient_id is not None else None
        if tab is None or not hasattr(tab, "print_document"):
            self.operations.message.emit(
                translate(
                    "MainWindow", "Print: select a patient, then the Doses tab (order worksheet) or the Calendar tab"
                ),
                True,
            )
            return None
        return tab.print_document()

    def print_preview(self) -> QDialog | None:
        """Ctrl+P: the print preview of the current tab's printout."""
        from ui.print.preview import open_print_preview

        document = self.print_document()
        return open_print_preview(self.operations, document, self) if document is not None else None

    def export_pdf(self, path: Path | None = None) -> int | None:
        """The current tab's printout as a PDF (asks where, unless ``path`` is given); its number of pages."""
        from ui.print.document import Paper
        from ui.print.preview import export_pdf

        document = self.print_document()
        if document is None:
            return None
        if path is None:
            suggested = f"{document.kind}-{document.frame.hospital_number}.pdf"
            chosen, _ = QFileDialog.getSaveFileName(
                self, translate("MainWindow", "Export PDF"), suggested, translate("MainWindow", "PDF (*.pdf)")
            )
            if not chosen:
                return None
            path = Path(chosen if chosen.lower().endswith(".pdf") else f"{chosen}.pdf")
        paper = (
            Paper.LETTER if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else Paper.A4
        )
        return export_pdf(self.operations, document, path, paper)

    def open_settings(self) -> None:
        from dosecalc.site import load_site_settings
        from ui.settings import SettingsDialog

        settings = self.operations.run(load_site_settings)
        if settings is None:
            return
        dialog = SettingsDialog(settings, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.operations.message.emit(translate("MainWindow", "Settings saved"), False)
            if self.operations.patient_id is not None:
                self.operations.patientChanged.emit(self.operations.patient_id)
