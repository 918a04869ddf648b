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

from PySide6.QtCore import Qt
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
from ui.widgets import ERROR_STYLE

__all__ = ["SettingsDialog"]

#: (placeholder, tooltip) of each field.
_HINTS = {
    "closures": ("CN, CN-GD or none", "A country code (CN), with a subdivision (CN-GD), or none"),
    "max_deviation": ("e.g. 5%", "A percentage up to the HOPA ceiling of 10 %"),
    "creatinine_floor": ("none, or e.g. 0.7 mg/dL", "Applied to Cockcroft–Gault; none, or 0.5–1.5 mg/dL"),
    "gfr_cap": ("e.g. 125 mL/min, or none", "The FDA 2010 cap is 125 mL/min"),
    "contact_number": ("e.g. +86 25 1234 5678", "The ward's 24-hour number, printed on every calendar"),
    "database_url": (
        "empty: the SQLite file in your data folder",
        "Empty: the SQLite file in your data folder; or sqlite:///PATH, or postgresql://user@host/db",
    ),
}


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
        self.setWindowTitle("DoseCalc settings (site defaults)")
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
            edit.setPlaceholderText(_HINTS[name][0])
            edit.setToolTip(_HINTS[name][1])
            edit.setAccessibleName(label)
            edit.setMinimumWidth(300)
            mark = QLabel()
            mark.setObjectName(f"{name}Mark")
            caption = QLabel(f"{label}:")
            caption.setBuddy(edit)
            grid.addWidget(caption, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(mark, row, 2)
            self.edits[name] = edit
            self.marks[name] = mark
            edit.textChanged.connect(lambda _text, name=name: self._mark(name))
            self._mark(name)

        limits = "the shipped defaults" if "plausibility" not in settings.changed() else "changed by the site"
        plausibility = QLabel(f"Plausibility ranges: {limits} (in {self._path}).")
        plausibility.setWordWrap(True)
        plausibility.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        note = QLabel("A changed database URL takes effect at the next start.")
        note.setWordWrap(True)

        self.read_only = not writable(self._path)
        if self.read_only:
            note.setText(f"These are the ward's settings, in {self._path}. Only an administrator of this PC can "
                         "change them.")  # fmt: skip
            for edit in self.edits.values():
                edit.setReadOnly(True)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            restore = buttons.addButton("Restore defaults", QDialogButtonBox.ButtonRole.ResetRole)
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
            self.marks[name].setText("(default)")
        else:
            self.marks[name].setText(f"(changed; default: {default or 'not set'})")

    def _restore_defaults(self) -> None:
        for name, edit in self.edits.items():
            edit.setText(str(getattr(self._defaults, name)))

    def collected(self) -> SiteSettings:
        """The settings as typed; a refused value raises the core's error naming the field."""
        values = {name: edit.text() for name, edit in self.edits.items()}
        return site_settings_from({**values, "plausibility": self.settings.plausibility}, "settings")

    def accept(self) -> None:
        try:
            settings = self.collected()
            save_site_settings(settings, self._path)
        except DoseCalcError as error:
            self.error_label.setText(f"⚠ Error: {error.one_line()}")
            self.error_label.show()
            field = error.params.get("setting")
            if field in self.edits:
                self.edits[field].setFocus()
                self.edits[field].selectAll()
            return
        self.settings = settings
        super().accept()
