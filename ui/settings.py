"""The Settings dialog: the site's defaults (:mod:`dosecalc.site`), each marked "(default)" while unchanged.

The dialog only presents and collects: every value is checked by the core's own parser when OK is
pressed, and a refusal is shown next to the field it names. The file is written by
:func:`dosecalc.site.save_site_settings`; a changed database URL takes effect at the next start.
On an installed ward PC the file is the administrator's (``site/site.json`` beside the programs): a user
who cannot write it sees the values read-only, with where they come from.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dosecalc.errors import DoseCalcError
from dosecalc.site import LABELS, SiteSettings, save_site_settings, site_settings_from, site_settings_path
from ui.errors import error_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.widgets import ERROR_STYLE

__all__ = ["SettingsDialog"]

#: (placeholder, tooltip) of each field.
translate = QCoreApplication.translate
_HINTS = {
    "closures": (
        QT_TRANSLATE_NOOP("SettingsDialog", "CN, CN-GD or none"),
        QT_TRANSLATE_NOOP("SettingsDialog", "A country code (CN), with a subdivision (CN-GD), or none"),
    ),
    "max_deviation": (
        QT_TRANSLATE_NOOP("SettingsDialog", "e.g. 5%"),
        QT_TRANSLATE_NOOP("SettingsDialog", "A percentage up to the HOPA ceiling of 10 %"),
    ),
    "creatinine_floor": (
        QT_TRANSLATE_NOOP("SettingsDialog", "none, or e.g. 0.7 mg/dL"),
        QT_TRANSLATE_NOOP("SettingsDialog", "Applied to Cockcroft–Gault; none, or 0.5–1.5 mg/dL"),
    ),
    "gfr_cap": (
        QT_TRANSLATE_NOOP("SettingsDialog", "e.g. 125 mL/min, or none"),
        QT_TRANSLATE_NOOP("SettingsDialog", "The FDA 2010 cap is 125 mL/min"),
    ),
    "contact_number": (
        QT_TRANSLATE_NOOP("SettingsDialog", "e.g. +86 25 1234 5678"),
        QT_TRANSLATE_NOOP("SettingsDialog", "The ward's 24-hour number, printed on every calendar"),
    ),
    "database_url": (
        QT_TRANSLATE_NOOP("SettingsDialog", "empty: the SQLite file in your data folder"),
        QT_TRANSLATE_NOOP(
            "SettingsDialog",
            "Empty: the SQLite file in your data folder; or sqlite:///PATH, or postgresql://user@host/db",
        ),
    ),
}
#: The setting names of dosecalc.site.LABELS, as the dialog shows them.
_LABELS = {
    "closures": QT_TRANSLATE_NOOP("SettingsDialog", "Clinic closures (public holidays of)"),
    "max_deviation": QT_TRANSLATE_NOOP("SettingsDialog", "Rounding: maximum deviation"),
    "creatinine_floor": QT_TRANSLATE_NOOP("SettingsDialog", "Creatinine floor"),
    "gfr_cap": QT_TRANSLATE_NOOP("SettingsDialog", "GFR cap (carboplatin)"),
    "contact_number": QT_TRANSLATE_NOOP("SettingsDialog", "24-hour contact number (printed on calendars)"),
    "database_url": QT_TRANSLATE_NOOP("SettingsDialog", "Database URL"),
}


def _label(name: str, english: str) -> str:
    return translate("SettingsDialog", _LABELS[name]) if name in _LABELS else english


def writable(path: Path) -> bool:
    """Whether this user may write the settings file (or create it, in a folder that exists or can be made)."""
    if path.exists():
        return os.access(path, os.W_OK)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


class SettingsDialog(QDialog):
    """Edit the site settings; :attr:`settings` holds the saved result after ``accept``."""

    def __init__(self, settings: SiteSettings, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SettingsDialog", "DoseCalc settings (site defaults)"))
        self.settings = settings
        self._path = path or site_settings_path()
        self._defaults = SiteSettings()
        self.edits: dict[str, QLineEdit] = {}
        self.marks: dict[str, QLabel] = {}

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, (name, label) in enumerate(LABELS.items()):
            edit = QLineEdit(str(getattr(settings, name)))
            edit.setObjectName(f"{name}Edit")
            edit.setPlaceholderText(translate("SettingsDialog", _HINTS[name][0]))
            edit.setToolTip(translate("SettingsDialog", _HINTS[name][1]))
            edit.setAccessibleName(_label(name, label))
            edit.setMinimumWidth(300)
            mark = QLabel()
            mark.setObjectName(f"{name}Mark")
            caption = QLabel(translate("SettingsDialog", "{setting}:").format(setting=_label(name, label)))
            caption.setBuddy(edit)
            grid.addWidget(caption, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(mark, row, 2)
            self.edits[name] = edit
            self.marks[name] = mark
            edit.textChanged.connect(lambda _text, name=name: self._mark(name))
            self._mark(name)

        limits = (
            translate("SettingsDialog", "the shipped defaults")
            if "plausibility" not in settings.changed()
            else translate("SettingsDialog", "changed by the site")
        )
        plausibility = QLabel(
            translate("SettingsDialog", "Plausibility ranges: {limits} (in {path}).").format(
                limits=limits, path=self._path
            )
        )
        plausibility.setWordWrap(True)
        plausibility.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        note = QLabel(translate("SettingsDialog", "A changed database URL takes effect at the next start."))
        note.setWordWrap(True)

        self.read_only = not writable(self._path)
        if self.read_only:
            note.setText(
                translate(
                    "SettingsDialog",
                    "These are the ward's settings, in {0}. Only an administrator of this PC can change them.",
                ).format(self._path)
            )
            for edit in self.edits.values():
                edit.setReadOnly(True)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            restore = buttons.addButton(
                translate("SettingsDialog", "Restore defaults"), QDialogButtonBox.ButtonRole.ResetRole
            )
            restore.clicked.connect(self._restore_defaults)
            buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(plausibility)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _mark(self, name: str) -> None:
        default = str(getattr(self._defaults, name))
        if self.edits[name].text().strip() == default:
            self.marks[name].setText(translate("SettingsDialog", "(default)"))
        else:
            self.marks[name].setText(
                translate("SettingsDialog", "(changed; default: {default})").format(
                    default=default or translate("SettingsDialog", "not set")
                )
            )

    def _restore_defaults(self) -> None:
        for name, edit in self.edits.items():
            edit.setText(str(getattr(self._defaults, name)))

    def collected(self) -> SiteSettings:
        """The settings as typed; a refused value raises the core's error naming the field."""
        values = {name: edit.text() for name, edit in self.edits.items()}
        kept = self.settings.model_dump(exclude=set(values))  # settings this screen does not show stay as they were
        return site_settings_from({**kept, **values}, "settings")

    def accept(self) -> None:
        try:
            settings = self.collected()
            save_site_settings(settings, self._path)
        except DoseCalcError as error:
            self.error_label.setText(
                translate("SettingsDialog", "⚠ Error: {message}").format(message=error_text(error))
            )
            self.error_label.show()
            field = error.params.get("setting")
            if field in self.edits:
                self.edits[field].setFocus()
                self.edits[field].selectAll()
            return
        self.settings = settings
        super().accept()
