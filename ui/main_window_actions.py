"""The main window's menus and the actions behind them: patients, measurements, printing, settings, language.

The base of :class:`ui.main_window.MainWindow` (its methods take the window as ``self``). The dialogs, the
printouts and the settings are imported when their action runs, never at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QMainWindow, QTabWidget, QWidget

from ui.i18n import LANGUAGES, QT_TRANSLATE_NOOP, install_language, language_name, saved_language, ui_language

if TYPE_CHECKING:
    from ui.operations import Operations

__all__ = ["MainWindowActions"]

translate = QCoreApplication.translate


class MainWindowActions(QMainWindow):
    """The menus of :class:`~ui.main_window.MainWindow` and what their actions do."""

    if TYPE_CHECKING:  # given by MainWindow
        signOutRequested: Signal
        search: QLineEdit
        tabs: QTabWidget

        @property
        def operations(self) -> Operations: ...
        def refresh_patients(self, *_: object) -> None: ...
        def _select_row(self, patient_id: int | None) -> None: ...
        def tab(self, index: int) -> QWidget | None: ...

    def _build_menus(self) -> None:
        from ui.main_window import TABS

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

    # ----------------------------------------------------------------------------------- actions

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_patient(self) -> None:
        from ui.patient_dialogs import PatientDialog

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
        from ui.patient_dialogs import PatientDialog

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
        from ui.patient_dialogs import MeasurementDialog

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
