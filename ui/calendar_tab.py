"""The Calendar tab: a month view of the patient's whole treatment plan (cycle-calendar issue).

Everything shown comes from the core: :func:`~dosecalc.schedule.plan.compute_plan` dates the events and
phases, :func:`~dosecalc.schedule.pages.calendar_pages` lays a month out in day cells. This module lays
out the header, the navigation, the month (drawn by :mod:`ui.calendar_month`) and the selected day, and
offers two actions on that day (:mod:`ui.calendar_actions`: delay a cycle, record a dose given or held),
which go through :class:`~ui.operations.Operations`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dosecalc.errors import DoseCalcError
from dosecalc.schedule.pages import DayCell, calendar_pages
from dosecalc.schedule.plan import EventKind, PhasePlan
from dosecalc.site import load_site_settings
from dosecalc.store.plans import recorded_plan
from ui import i18n
from ui.calendar_actions import DayActions, DelayCycleDialog, RecordDoseDialog
from ui.calendar_month import (
    DayCellDelegate,
    MonthGridModel,
    ShownPlan,
    event_descriptions,
    long_date,
    names_of,
    plan_header,
)
from ui.errors import error_text
from ui.flag_text import flag_line
from ui.operations import Operations

__all__ = ["CLINIC_CLOSURES", "CalendarTab"]

#: Whose public holidays close the clinic (later a site setting).
CLINIC_CLOSURES = "CN"
translate = QCoreApplication.translate


class CalendarTab(i18n.Retranslating, QWidget):
    """Month view of the newest active plan: header of phases, navigation, the grid, day actions."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.shown: ShownPlan | None = None
        self.month = dt.date.today().replace(day=1)
        self._patient: int | None = None
        self.grid_model: MonthGridModel | None = None
        self.print_dialog: QDialog | None = None
        self._actions = DayActions(self)

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.today_button = QPushButton()
        self.month_label = QLabel()
        bold = self.month_label.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.month_label.setFont(bold)
        self.phase_combo = QComboBox()
        self.previous_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.today_button.clicked.connect(self.show_today)
        self.phase_combo.activated.connect(self._phase_chosen)
        for key, step in (
            (QKeySequence.StandardKey.MoveToPreviousPage, -1),
            (QKeySequence.StandardKey.MoveToNextPage, 1),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step_month(step))
        navigation = QHBoxLayout()
        for widget in (self.previous_button, self.month_label, self.next_button, self.today_button):
            navigation.addWidget(widget)
        navigation.addStretch(1)
        self.phase_label = QLabel()
        navigation.addWidget(self.phase_label)
        navigation.addWidget(self.phase_combo)
        self.print_scope = QComboBox()
        self.print_scope.setObjectName("printScope")
        for scope in ("plan", "month", "phase"):
            self.print_scope.addItem(scope, scope)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.open_print_preview)
        navigation.addWidget(self.print_scope)
        navigation.addWidget(self.print_button)

        self.grid = QTableView()
        self.grid.setItemDelegate(DayCellDelegate(self.grid))
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.verticalHeader().hide()
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.day_details = QLabel()
        self.day_details.setWordWrap(True)
        self.day_details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.day_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.delay_button = QPushButton()
        self.record_button = QPushButton()
        self.delay_button.clicked.connect(lambda: self._open(self.delay_dialog()))
        self.record_button.clicked.connect(lambda: self._open(self.record_dialog()))
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.notes.setSpacing(3)
        side = QVBoxLayout()
        side.addWidget(self.day_details, 1)
        side.addWidget(self.delay_button)
        side.addWidget(self.record_button)
        self.notes_label = QLabel()
        side.addWidget(self.notes_label)
        side.addWidget(self.notes, 1)
        side_panel = QWidget()
        side_panel.setLayout(side)
        side_panel.setFixedWidth(300)
        body = QHBoxLayout()
        body.addWidget(self.grid, 1)
        body.addWidget(side_panel)

        plan_page = QWidget()
        plan_layout = QVBoxLayout(plan_page)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.header)
        plan_layout.addLayout(navigation)
        plan_layout.addLayout(body, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(plan_page)
        QVBoxLayout(self).addWidget(self.pages)

        operations.patientSelected.connect(self._patient_selected)
        operations.patientChanged.connect(self._patient_changed)
        self._patient = None if operations.patient_id is None else operations.patient_id
        self.retranslate()  # loads the patient's plan

    def retranslate(self) -> None:
        """Every text in the interface language; the month shown and the day selected stay."""
        self.previous_button.setText(translate("CalendarTab", "Previous month"))
        self.previous_button.setToolTip(translate("CalendarTab", "Page Up"))
        self.next_button.setText(translate("CalendarTab", "Next month"))
        self.next_button.setToolTip(translate("CalendarTab", "Page Down"))
        self.today_button.setText(translate("CalendarTab", "Today"))
        self.phase_combo.setToolTip(translate("CalendarTab", "Jump to the first month of a phase"))
        self.phase_label.setText(translate("CalendarTab", "Phase:"))
        self.print_scope.setToolTip(
            translate("CalendarTab", "What Print shows: the whole plan, the month shown, or the phase chosen")
        )
        for index, text in enumerate(
            (
                translate("CalendarTab", "Whole plan"),
                translate("CalendarTab", "Month shown"),
                translate("CalendarTab", "Phase chosen"),
            )
        ):
            self.print_scope.setItemText(index, text)
        self.print_button.setText(translate("CalendarTab", "&Print calendar…"))
        self.print_button.setToolTip(translate("CalendarTab", "Print preview of the nurse's calendar (Ctrl+P)"))
        self.delay_button.setText(translate("CalendarTab", "Delay cycle…"))
        self.record_button.setText(translate("CalendarTab", "Record given / held…"))
        self.notes_label.setText(translate("CalendarTab", "Plan notes (moved days, delays, checks):"))
        if self.shown is None:  # a message, or the plan not loaded yet
            self.reload(keep_month=False)
            return
        self.shown = dataclasses.replace(self.shown, names=names_of(self.operations, self.shown.regimen))
        self._show_header()
        self.show_month(self.month)

    # -------------------------------------------------------------------------------------------- loading

    def _patient_selected(self, patient_id: int) -> None:
        self._patient = None if patient_id < 0 else patient_id
        self.reload(keep_month=False)

    def _patient_changed(self, patient_id: int) -> None:
        if patient_id == self._patient:
            self.reload(keep_month=True)

    def _show_message(self, text: str) -> None:
        self.shown = None
        self.message.setText(text)
        self.pages.setCurrentIndex(0)

    def reload(self, keep_month: bool = True) -> None:
        """Recompute the newest active plan of the patient from the store and show it."""
        if self._patient is None:
            self._show_message(translate("CalendarTab", "No patient selected"))
            return
        store, library = self.operations.store, self.operations.library
        rows = [r for r in store.plans_of(self._patient) if r["status"] == "active"]
        if not rows:
            self._show_message(translate("CalendarTab", "No treatment plan yet"))
            return
        row = rows[0]
        try:
            regimen = library.regimen(row["regimen_id"], row["regimen_version"])
            clinic = load_site_settings().clinic()  # the closure country of the Settings dialog
            plan = recorded_plan(store, library.catalogue, row, regimen, clinic)
        except (DoseCalcError, KeyError, ValueError) as error:
            reason = error_text(error) if isinstance(error, DoseCalcError) else str(error)
            self._show_message(
                translate("CalendarTab", "The plan ({regimen} {version}) cannot be shown: {reason}").format(
                    regimen=row["regimen_id"], version=row["regimen_version"], reason=reason
                )
            )
            return
        names = names_of(self.operations, regimen)
        self.shown = ShownPlan(row, regimen, plan, clinic, names)
        self._show_header()
        self.notes.clear()
        self.notes.addItems([flag_line(flag) for flag in plan.flags] or [translate("CalendarTab", "none")])
        self.pages.setCurrentIndex(1)
        if not keep_month:
            first = plan.events[0].date if plan.events else plan.start
            last = plan.events[-1].date if plan.events else plan.start
            self.month = min(max(dt.date.today(), first), last).replace(day=1)
        self.show_month(self.month)

    def _show_header(self) -> None:
        assert self.shown is not None
        regimen, plan = self.shown.regimen, self.shown.plan
        self.header.setText(plan_header(self.shown))
        current = self.phase_combo.currentData()
        self.phase_combo.clear()
        for phase in plan.phases:
            if phase.start is not None:
                self.phase_combo.addItem(
                    translate("CalendarTab", "{phase} (from {month})").format(
                        phase=i18n.localized(regimen.phase(phase.id).name), month=i18n.month_text(phase.start)
                    ),
                    phase.id,
                )
        if current is not None:
            self.phase_combo.setCurrentIndex(max(self.phase_combo.findData(current), 0))

    # -------------------------------------------------------------------------------------------- navigation

    def show_month(self, month: dt.date) -> None:
        """Show the month of ``month``, keeping the selected day when it is in that month."""
        if self.shown is None:
            return
        selected = self.selected_cell()
        self.month = month.replace(day=1)
        pages = calendar_pages(self.shown.plan, self.shown.clinic, self.month, self.month)
        old = self.grid_model
        self.grid_model = MonthGridModel(pages[0], self.shown.names, self)
        self.grid.setModel(self.grid_model)
        if old is not None:
            old.deleteLater()
        self.grid.selectionModel().currentChanged.connect(self._day_changed)
        self.month_label.setText(i18n.month_text(self.month))
        phases = [c.phase for w in self.grid_model.page.weeks for c in w.days if c.in_month and c.phase]
        if phases:  # the combo names the phase on screen (the first of the month's phases)
            self.phase_combo.setCurrentIndex(self.phase_combo.findData(phases[0]))
        if selected is not None and (selected.date.year, selected.date.month) == (self.month.year, self.month.month):
            self.select_date(selected.date)
        else:
            self._day_changed()

    def step_month(self, step: int) -> None:
        year, month = divmod(self.month.year * 12 + self.month.month - 1 + step, 12)
        self.show_month(dt.date(year, month + 1, 1))

    def show_today(self) -> None:
        self.select_date(dt.date.today())

    def _phase_chosen(self, index: int) -> None:
        self.show_phase(self.phase_combo.itemData(index))

    def show_phase(self, phase_id: str) -> None:
        phase = self._phase(phase_id)
        if phase is not None and phase.start is not None:
            self.select_date(phase.start)

    def select_date(self, day: dt.date) -> None:
        """Show the month of ``day`` and select its cell."""
        if self.shown is None:
            return
        if (day.year, day.month) != (self.month.year, self.month.month):
            self.show_month(day)
        assert self.grid_model is not None
        index = self.grid_model.index_of(day)
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index)
        self._day_changed()

    def selected_cell(self) -> DayCell | None:
        index = self.grid.currentIndex()
        if self.grid_model is None or not index.isValid():
            return None
        cell = self.grid_model.cell(index)
        return cell if cell.in_month else None

    def _phase(self, phase_id: str | None) -> PhasePlan | None:
        assert self.shown is not None
        return next((p for p in self.shown.plan.phases if p.id == phase_id), None)

    def _day_changed(self, *_: object) -> None:
        cell = self.selected_cell()
        drugs = [e for e in cell.events if e.kind is EventKind.DRUG] if cell else []
        self.record_button.setEnabled(bool(drugs))
        self.delay_button.setEnabled(self.shown is not None)
        if cell is None or self.shown is None:
            self.day_details.setText(translate("CalendarTab", "Select a day."))
            return
        phase = f" — {self.shown.names.phase(cell.phase)}" if cell.phase else ""
        lines = event_descriptions(cell, self.shown.names) or [translate("CalendarTab", "• nothing planned")]
        self.day_details.setText("\n".join([f"{long_date(cell.date)}{phase}", *lines]))

    # -------------------------------------------------------------------------------------------- printing

    def print_document(self) -> Any:
        """The calendar to print (:class:`ui.print.Document`) in the chosen scope, or None (the reason is shown)."""
        from ui.print.preview import calendar_for  # the printouts load when first used

        scope = self.print_scope.currentData()
        if scope == "month":
            year, month = divmod(self.month.year * 12 + self.month.month, 12)
            last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
            return calendar_for(self.operations, first=self.month, last=last)
        if scope == "phase" and self.phase_combo.currentData():
            return calendar_for(self.operations, phase=self.phase_combo.currentData())
        return calendar_for(self.operations)

    def open_print_preview(self) -> QDialog | None:
        from ui.print.preview import open_print_preview

        document = self.print_document()
        self.print_dialog = open_print_preview(self.operations, document, self) if document is not None else None
        return self.print_dialog

    # -------------------------------------------------------------------------------------------- actions

    @property
    def patient_id(self) -> int | None:
        """The patient whose plan is shown (None when none is selected)."""
        return self._patient

    @staticmethod
    def _open(dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def delay_dialog(self) -> DelayCycleDialog:
        """The "Delay cycle…" dialog, defaulting to the selected day's phase and cycle (not yet shown)."""
        return self._actions.delay_dialog(self.selected_cell(), self)

    def record_dialog(self) -> RecordDoseDialog:
        """The "Record given / held…" dialog for the selected day's drugs (not yet shown)."""
        return self._actions.record_dialog(self.selected_cell(), self)
