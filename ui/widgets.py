"""Small input widgets that present the core's parsing: what was understood, or the core's own error.

:class:`QuantityField` is the workstation's ``QQuantity`` (after superqt): a line edit for "170 cm" or
"1.7 m", the value the core parsed it to, when it was measured, and — next to the field — the core's
one-line error, marked with a sign and the word, never by colour alone (medication-safety B2, C7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from dosecalc.derivation import Flag
from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError
from dosecalc.regimen.loader import Library
from dosecalc.regimen.model import Regimen
from ui import i18n
from ui.errors import error_text

__all__ = [
    "ERROR_STYLE",
    "FULL_TEXT_ROLE",
    "FullTextDelegate",
    "OverrideDialog",
    "QuantityField",
    "RegimenPicker",
    "date_text",
]

#: Errors are red *and* carry "⚠ Error:" in their text (never colour alone).
ERROR_STYLE = "color: #b00020;"
_NOTE_STYLE = "color: #4a4a4a;"
#: An item's full text, shown in a combo's open list while the closed combo shows the short display text.
FULL_TEXT_ROLE = Qt.ItemDataRole.UserRole + 7
translate = QCoreApplication.translate


def date_text(day: dt.date) -> str:
    """``07 Dec 2026`` / ``2026年12月7日``: the date form of the printouts, unambiguous in either language."""
    return i18n.date_text(day)


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


class FullTextDelegate(QStyledItemDelegate):
    """Shows an item's :data:`FULL_TEXT_ROLE` text in a combo's list, so nothing there is cut short."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        full = index.data(FULL_TEXT_ROLE)
        if full:
            option.text = full

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        full = index.data(FULL_TEXT_ROLE)
        if full:
            size.setWidth(option.fontMetrics.horizontalAdvance(full) + 24)
        return size


def fit_popup(combo: QComboBox) -> None:
    """Widen a combo's list to its longest full text."""
    metrics = combo.fontMetrics()
    texts = (str(combo.itemData(i, FULL_TEXT_ROLE) or combo.itemText(i)) for i in range(combo.count()))
    combo.view().setMinimumWidth(max((metrics.horizontalAdvance(t) for t in texts), default=0) + 40)


class RegimenPicker(QWidget):
    """Search box and regimen list over ``library.active()``; a search narrows the list, never chooses.

    The search looks at the regimen id, its English and Chinese names, its trial ids (NCT…), its drugs
    (id, generic, tall-man and Chinese names), its options and citations; closer matches are listed first.
    """

    #: The chosen regimen changed (or was cleared).
    regimenChanged = Signal()

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._regimens = sorted(library.active(), key=lambda r: r.id)
        self._haystacks = {r.id: self._haystack(r) for r in self._regimens}
        self._filling = False
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("regimenSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.combo = QComboBox()
        self.combo.setObjectName("regimen")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(24)
        self.combo.setItemDelegate(FullTextDelegate(self.combo))
        self.name_label = QLabel()
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.name_label.setObjectName("regimenName")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.find_label, self.regimen_label = QLabel(), QLabel()
        form.addRow(self.find_label, self.search_edit)
        form.addRow(self.regimen_label, self.combo)
        form.addRow(self.name_label)
        self.search_edit.textChanged.connect(self._fill)
        self.search_edit.returnPressed.connect(self._choose_first_match)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        """Labels and the list in the interface language; the search and the choice are kept."""
        self.find_label.setText(translate("RegimenPicker", "&Find"))
        self.regimen_label.setText(translate("RegimenPicker", "Re&gimen"))
        self.find_label.setBuddy(self.search_edit)
        self.regimen_label.setBuddy(self.combo)
        self.search_edit.setPlaceholderText(
            translate("RegimenPicker", "name, drug or trial id, in Chinese or English  (Ctrl+F)")
        )
        self._fill()
        self._show_name()

    def _haystack(self, regimen: Regimen) -> tuple[str, ...]:
        catalogue = self.library.catalogue
        drugs = []
        for phase in regimen.phases:
            for line in phase.drugs:
                drug = catalogue.get(line.drug)
                drugs += [line.drug] + ([drug.generic, drug.display, drug.zh] if drug else [])
        options = [f"{o.id} {o.name.en} {o.name.zh}" for group in regimen.choice_groups for o in group.options]
        rest = [regimen.indication, *drugs, *options, *(s.citation for s in regimen.sources)]
        best = (regimen.id, f"{regimen.name.en} {regimen.name.zh}", " ".join(s.id for s in regimen.sources))
        return tuple(text.lower() for text in (*best, " ".join(rest)))

    def _rank(self, regimen: Regimen, needle: str) -> int | None:
        return next((rank for rank, text in enumerate(self._haystacks[regimen.id]) if needle in text), None)

    def regimen(self) -> Regimen | None:
        regimen_id = self.combo.currentData()
        return self.library.regimens.get(regimen_id) if regimen_id else None

    def matches(self) -> list[str]:
        """The ids of the regimens the search matches, in the order listed."""
        needle = self.search_edit.text().strip().lower()
        ranked = [(rank, r.id) for r in self._regimens if (rank := self._rank(r, needle)) is not None]
        return [regimen_id for _, regimen_id in sorted(ranked)]

    def select(self, regimen_id: str | None) -> None:
        """Choose a regimen by id (clearing a search that hides it), or none."""
        if regimen_id is not None and self.combo.findData(regimen_id) < 0:
            self.search_edit.clear()
        self.combo.setCurrentIndex(max(self.combo.findData(regimen_id), 0) if regimen_id else 0)

    def _fill(self) -> None:
        current = self.regimen()
        matches = self.matches()
        shown = matches + ([current.id] if current is not None and current.id not in matches else [])
        self._filling = True
        self.combo.clear()
        self.combo.addItem(translate("RegimenPicker", "— choose a regimen —"), None)
        for regimen_id in shown:
            regimen = self.library.regimens[regimen_id]
            note = (
                "" if regimen_id in matches else translate("RegimenPicker", "  (selected; not matched by the search)")
            )
            self.combo.addItem(f"{regimen.id}  v{regimen.version}{note}", regimen.id)
            index = self.combo.count() - 1
            full = f"{regimen.id} v{regimen.version} — {i18n.localized(regimen.name)}{note}"
            self.combo.setItemData(index, full, FULL_TEXT_ROLE)
            self.combo.setItemData(
                index, with_chinese(regimen.name.en, regimen.name.zh, "\n"), Qt.ItemDataRole.ToolTipRole
            )
        if current is not None:  # a search never silently changes the selection
            self.combo.setCurrentIndex(self.combo.findData(current.id))
        fit_popup(self.combo)
        self._filling = False
        count = (
            translate("RegimenPicker", "{count} of {total} regimens match").format(
                count=len(matches), total=len(self._regimens)
            )
            if self.search_edit.text().strip()
            else ""
        )
        self.search_edit.setToolTip(count)
        self.search_edit.setAccessibleDescription(count)

    def _choose_first_match(self) -> None:
        if self.combo.count() > 1 and self.regimen() is None:
            self.combo.setCurrentIndex(1)  # the person pressed Enter on the search: an explicit choice
        self.combo.setFocus()

    def _on_index_changed(self) -> None:
        if self._filling:
            return
        self._show_name()
        self.regimenChanged.emit()

    def _show_name(self) -> None:
        regimen = self.regimen()
        if regimen is None:
            self.name_label.setText("")
            return
        status = "" if regimen.status.value == "approved" else f"  [{regimen.status.value.upper()}]"
        self.name_label.setText(with_chinese(f"{regimen.name.en}{status}", regimen.name.zh, "\n"))


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
            text = QLabel(translate("OverrideDialog", "BLOCK: {message}").format(message=flag.message))
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


def chinese_font_available() -> bool:
    """Whether Simplified Chinese can be drawn: the bundled font (ui/fonts) or an installed one."""
    from PySide6.QtGui import QFontDatabase

    return i18n.register_fonts() is not None or bool(
        QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    )


def with_chinese(english: str, chinese: str, joiner: str = " / ") -> str:
    """``English / 中文``, or ``中文 / English`` in Chinese; the English alone where Chinese cannot be drawn."""
    if not chinese or not chinese_font_available():
        return english
    return f"{chinese}{joiner}{english}" if i18n.ui_language() == i18n.CHINESE else f"{english}{joiner}{chinese}"
