"""The regimen picker: a search box narrowing the list of active regimens, and the chosen regimen's name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from dosecalc.regimen.loader import Library
from dosecalc.regimen.model import Regimen
from ui import i18n
from ui.widgets import FULL_TEXT_ROLE, FullTextDelegate, fit_popup, with_chinese

__all__ = ["RegimenPicker"]

translate = QCoreApplication.translate


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
