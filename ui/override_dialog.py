"""The dialog asking a typed reason for each BLOCK of an order that may be overridden."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from dosecalc.derivation import Flag
from ui.flag_text import flag_text

__all__ = ["OverrideDialog"]

translate = QCoreApplication.translate


class OverrideDialog(QDialog):
    """A typed reason for each BLOCK that may be overridden; blank reasons override nothing."""

    def __init__(
        self, flags: list[Flag], reasons: Mapping[tuple[str, str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("OverrideDialog", "Override blocks"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            translate(
                "OverrideDialog", "Each override needs a typed reason; it is saved with the order under your name."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.edits: dict[tuple[str, str], QLineEdit] = {}
        for flag in flags:
            text = QLabel(translate("OverrideDialog", "BLOCK: {message}").format(message=flag_text(flag)))
            text.setWordWrap(True)
            edit = QLineEdit(reasons.get((flag.code, flag.message), ""))
            edit.setPlaceholderText(translate("OverrideDialog", "reason for overriding"))
            form.addRow(text)
            form.addRow(translate("OverrideDialog", "Reason:"), edit)
            self.edits[(flag.code, flag.message)] = edit
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def reasons(self) -> dict[tuple[str, str], str]:
        return {key: edit.text().strip() for key, edit in self.edits.items() if edit.text().strip()}
