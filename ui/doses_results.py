"""The Doses tab's results: a summary line, the dose table, the selected line's derivation and preparation, the flags.

Everything shown is the core's :class:`~dosecalc.regimen.order.RegimenOrder` and its flags, through the Qt
adapters of :mod:`ui.models`. Texts are translated under the "DosesTab" context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dosecalc.derivation import Flag
from dosecalc.regimen.order import RegimenOrder
from ui.i18n import QT_TRANSLATE_NOOP
from ui.models import DoseTableModel, FlagListModel
from ui.preparation_panel import PreparationPanel

__all__ = ["ResultsView"]

translate = QCoreApplication.translate


class ResultsView(QWidget):
    """The calculated order: the table above, the derivation with the line's preparation beside it, the flags."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.summary_label.setObjectName("orderSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.dose_model = DoseTableModel(None, self)
        self.table = QTableView()
        self.table.setObjectName("doseTable")
        self.table.setModel(self.dose_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DoseTableModel.ROUTE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.derivation_view = QPlainTextEdit()
        self.derivation_view.setObjectName("derivation")
        self.derivation_view.setReadOnly(True)
        self.derivation_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.derivation_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.flag_model = FlagListModel((), None, self)
        self.flags_view = QListView()
        self.flags_view.setObjectName("flags")
        self.flags_view.setModel(self.flag_model)
        self.flags_view.setWordWrap(True)
        self.flags_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.flags_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.flags_view.setSpacing(2)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self._boxes: list[tuple[str, QGroupBox]] = []
        for title, view in ((QT_TRANSLATE_NOOP("DosesTab", "Doses"), self.table),
                            (QT_TRANSLATE_NOOP("DosesTab", "Derivation"), self.derivation_view),
                            (QT_TRANSLATE_NOOP("DosesTab", "Flags"), self.flags_view)):  # fmt: skip
            box = QGroupBox(title)
            self._boxes.append((title, box))
            inner = QVBoxLayout(box)
            inner.setContentsMargins(4, 4, 4, 4)
            inner.addWidget(view)
            splitter.addWidget(box)
        self.preparation_panel, beside, derivation_box = PreparationPanel(), QSplitter(), splitter.widget(1)
        assert derivation_box is not None
        beside.addWidget(derivation_box)  # the derivation, with the line's preparation beside it
        beside.addWidget(self.preparation_panel)
        splitter.insertWidget(1, beside)
        splitter.setSizes([140, 290, 190])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(self.show_derivation)

    def retranslate(self) -> None:
        for title, box in self._boxes:
            box.setTitle(translate("DosesTab", title))
        self.derivation_view.setPlaceholderText(
            translate("DosesTab", "Select a dose line to see how it was calculated.")
        )
        self.dose_model.retranslate()

    def show_order(
        self, order: RegimenOrder | None, flags: Sequence[Flag], reasons: Mapping[tuple[str, str], str]
    ) -> None:
        """Show a calculation (None: no doses), keeping the selected drug's line selected."""
        selected = self.selected_drug()
        self.dose_model.set_order(order)
        self.fit_table()
        self.select_drug(selected)
        self.flag_model.set_flags(tuple(dict.fromkeys(flags)), reasons)

    def fit_table(self) -> None:
        """Keep every dose line in view (up to eight): a line scrolled out of sight is a dose not checked.

        Routes wrap in Chinese, so each row is given room for two lines of text whatever the column widths
        are when this runs (before the first show they are not known yet).
        """
        table = self.table
        rows = max(min(self.dose_model.rowCount(), 8), 2)
        row = 2 * table.fontMetrics().lineSpacing() + 10
        header = table.horizontalHeader().sizeHint().height()
        table.setMinimumHeight(header + rows * row + 2 * table.frameWidth())

    def selected_drug(self) -> str | None:
        line = self.dose_model.line(self.table.currentIndex().row())
        return line.drug.id if line is not None else None

    def select_drug(self, drug_id: str | None) -> None:
        rows = self.dose_model.rowCount()
        row = next((r for r in range(rows) if (line := self.dose_model.line(r)) and line.drug.id == drug_id), 0)
        if rows:
            self.table.setCurrentIndex(self.dose_model.index(row, 0))
        self.show_derivation()

    def show_derivation(self) -> None:
        line = self.dose_model.line(self.table.currentIndex().row())
        self.derivation_view.setPlainText("\n".join(line.derivation.lines()) if line is not None else "")
        self.preparation_panel.show_line(line)
