"""A measurement field that presents the core's parsing: what was understood, or the core's own error.

:class:`QuantityField` is the workstation's ``QQuantity`` (after superqt): a line edit for "170 cm" or
"1.7 m", the value the core parsed it to, when it was measured, and — next to the field — the core's
one-line error, marked with a sign and the word, never by colour alone (medication-safety B2, C7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError
from ui.errors import error_text
from ui.widgets import ERROR_STYLE, date_text

__all__ = ["QuantityField"]

_NOTE_STYLE = "color: #4a4a4a;"
translate = QCoreApplication.translate


def _shown(model: Any) -> str:
    return f"= {format_quantity(model.value, 4)}"


class QuantityField(QWidget):
    """A measurement typed as text, parsed by the core on every keystroke.

    ``parse`` is a core parser such as :meth:`dosecalc.patient.Height.parse`; ``shown`` turns its model
    into the "parsed value" text. An initial text keeps its measurement date and source for as long as
    it is unchanged; once edited, the field says the value is new and not yet saved.
    """

    #: The text changed (whether or not it parses).
    valueChanged = Signal()

    def __init__(
        self,
        label: str,
        parse: Callable[..., Any],
        field: str,
        *,
        text: str = "",
        measured_on: dt.date | None = None,
        source: str | None = None,
        placeholder: str = "",
        shown: Callable[[Any], str] = _shown,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self._parse = parse
        self._shown = shown
        self._initial_text = ""
        self._initial_kwargs: dict[str, Any] = {}
        self._value: Any = None
        self._error: DoseCalcError | None = None

        self.label = QLabel()
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{field}Edit")
        self.set_texts(label, placeholder)
        self.edit.setMinimumWidth(110)
        self.label.setBuddy(self.edit)
        self.parsed_label = QLabel()
        self.parsed_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.parsed_label.setObjectName(f"{field}Parsed")
        self.date_label = QLabel()
        self.date_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.date_label.setObjectName(f"{field}Date")
        self.date_label.setStyleSheet(_NOTE_STYLE)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.error_label.setObjectName(f"{field}Error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.error_label.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.edit, 0, 1)
        grid.addWidget(self.parsed_label, 0, 2)
        grid.addWidget(self.date_label, 0, 3)
        grid.addWidget(self.error_label, 1, 1, 1, 3)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(0, 76)
        grid.setColumnMinimumWidth(2, 86)

        self.edit.textChanged.connect(self._on_text_changed)
        self.set_initial(text, measured_on, source)

    def set_texts(self, label: str, placeholder: str = "") -> None:
        """The label and placeholder (already translated by the caller, which calls this again on a change)."""
        self.label.setText(label)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setAccessibleName(label.replace("&", ""))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._present()  # the parsed value, the note and the error in the new language

    # ------------------------------------------------------------------------------------- state

    def set_initial(self, text: str, measured_on: dt.date | None = None, source: str | None = None) -> None:
        """Show a recorded value with its date; it counts as unchanged until the text differs."""
        self._initial_text = text
        self._initial_kwargs = {}
        if measured_on is not None:
            self._initial_kwargs["measured_on"] = measured_on
        if source is not None and source != "measured":
            self._initial_kwargs["source"] = source
        if self.edit.text() == text:
            self._on_text_changed(text)
        else:
            self.edit.setText(text)  # parses through textChanged

    def mark_saved(self, measured_on: dt.date) -> None:
        """The current text was recorded on ``measured_on``."""
        self.set_initial(self.edit.text(), measured_on)

    def text(self) -> str:
        return self.edit.text().strip()

    def value(self) -> Any:
        """The parsed core model (e.g. a :class:`~dosecalc.patient.Height`), or None if empty or refused."""
        return self._value

    def error(self) -> DoseCalcError | None:
        return self._error

    def is_edited(self) -> bool:
        return self.edit.text().strip() != self._initial_text.strip()

    def measured_on(self) -> dt.date | None:
        return None if self.is_edited() else self._initial_kwargs.get("measured_on")

    # ------------------------------------------------------------------------------------- parsing

    def _on_text_changed(self, _text: str) -> None:
        text = self.text()
        self._value, self._error = None, None
        if text:
            try:
                self._value = self._parse(text, **({} if self.is_edited() else self._initial_kwargs))
            except DoseCalcError as error:
                self._error = error
        self._present()
        self.valueChanged.emit()

    def _present(self) -> None:
        self.parsed_label.setText(self._shown(self._value) if self._value is not None else "")
        if self._error is not None:
            message = error_text(self._error)
            self.error_label.setText(translate("QuantityField", "⚠ Error: {message}").format(message=message))
            self.error_label.show()
            self.edit.setToolTip(message)
        else:
            self.error_label.clear()
            self.error_label.hide()
            self.edit.setToolTip("")
        self.date_label.setText(self._date_note())

    def _date_note(self) -> str:
        if not self.text():
            if not self._initial_text:
                return translate("QuantityField", "no value recorded")
            return translate("QuantityField", "cleared — not saved")
        if self.is_edited():
            return translate("QuantityField", "new value — not saved")
        day = self._initial_kwargs.get("measured_on")
        source = self._initial_kwargs.get("source")
        note = translate("QuantityField", "measured {date}").format(date=date_text(day)) if day is not None else ""
        if source:
            words = {
                "stated": translate("QuantityField", "STATED"),
                "estimated": translate("QuantityField", "ESTIMATED"),
            }
            note = translate("QuantityField", "{source} (not measured)").format(
                source=words.get(str(source), str(source).upper())
            ) + (f", {date_text(day)}" if day else "")
        return note
