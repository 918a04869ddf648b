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

The patient list and header are :mod:`ui.patient_panel`; the menus and their actions
:mod:`ui.main_window_actions`; the patient and measurement dialogs :mod:`ui.patient_dialogs`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.errors import field_text
from ui.i18n import QT_TRANSLATE_NOOP, Retranslating, date_text
from ui.main_window_actions import MainWindowActions
from ui.patient_panel import PatientHeader, PatientListModel, source_text

if TYPE_CHECKING:  # the core (SQLAlchemy, pint, pydantic) is imported once the window has painted
    from ui.operations import Operations

__all__ = ["OPENING", "OPENING_DETAILS", "TABS", "MainWindow"]

translate = QCoreApplication.translate
#: (tab title, module, class): imported when the tab is first shown.
TABS = (
    (QT_TRANSLATE_NOOP("MainWindow", "&Doses"), "ui.doses_tab", "DosesTab"),
    (QT_TRANSLATE_NOOP("MainWindow", "&Calendar"), "ui.calendar_tab", "CalendarTab"),
    (QT_TRANSLATE_NOOP("MainWindow", "&Ledger"), "ui.ledger_tab", "LedgerTab"),
)
# What the window says while it waits for the store and the library (English; translated when shown).
OPENING = QT_TRANSLATE_NOOP("MainWindow", "Opening the record store…")
OPENING_DETAILS = QT_TRANSLATE_NOOP(
    "MainWindow", "Checking the audit trail and the regimen library. Nothing can be entered until they are ready."
)


class MainWindow(Retranslating, MainWindowActions):
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
