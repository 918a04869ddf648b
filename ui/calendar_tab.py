"""The Calendar tab: a month view of the patient's whole treatment plan (cycle-calendar issue).

Everything shown comes from the core: :func:`~dosecalc.schedule.plan.compute_plan` dates the events and
phases, :func:`~dosecalc.schedule.pages.calendar_pages` lays a month out in day cells. This module only
draws them and collects two actions on a selected day (delay a cycle, record a dose given or held),
which go through :class:`~ui.operations.Operations`. Meaning is never carried by colour alone: a closed
day says "closed: …" on a grey hatched cell, a moved day says "moved from …" next to an arrow marker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPen, QPolygon, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import RowMapping

from dosecalc.bsa import body_surface_area, parse_bsa, parse_formula
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError
from dosecalc.inputs import positive_quantity
from dosecalc.regimen.model import Regimen
from dosecalc.schedule.clinic import ClinicCalendar
from dosecalc.schedule.pages import DayCell, MonthPage, calendar_pages
from dosecalc.schedule.plan import Event, EventKind, PhasePlan, Plan
from dosecalc.site import load_site_settings
from dosecalc.store.plans import recorded_plan
from dosecalc.store.records import measurement_quantity
from dosecalc.units import MASS_DOSE, MILLIGRAM, SQUARE_METRE, magnitude_in
from ui import i18n
from ui.errors import error_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.operations import Operations

__all__ = ["CLINIC_CLOSURES", "DAY_CELL_ROLE", "CalendarTab", "MonthGridModel"]

#: Whose public holidays close the clinic (later a site setting).
CLINIC_CLOSURES = "CN"
#: The :class:`DayCell` of a grid index.
DAY_CELL_ROLE = Qt.ItemDataRole.UserRole + 1
_LINES_ROLE = Qt.ItemDataRole.UserRole + 2
translate = QCoreApplication.translate
#: What happened to a planned dose (stored in English, shown translated).
_GIVEN_STATUSES = (
    QT_TRANSLATE_NOOP("CalendarTab", "given"),
    QT_TRANSLATE_NOOP("CalendarTab", "held"),
    QT_TRANSLATE_NOOP("CalendarTab", "modified"),
)
_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
_PAD = 4


def _long(day: dt.date) -> str:
    return i18n.long_date_text(day)  # the month as a word: never a misreadable 03/04


@dataclass(frozen=True)
class _Names:
    """How a drug and a phase are called on screen (catalogue display names, the regimen's phase names)."""

    drugs: Mapping[str, str]
    phases: Mapping[str, str]

    def drug(self, drug_id: str | None) -> str:
        return self.drugs.get(drug_id or "", drug_id or "?")

    def phase(self, phase_id: str | None) -> str:
        return self.phases.get(phase_id or "", phase_id or "")


def day_lines(cell: DayCell, names: _Names, show_phase: bool) -> list[str]:
    """The short lines of one day cell: checks, cycle day and drugs, radiotherapy fraction, moves, closure, phase."""
    lines: list[str] = []
    drug_groups: dict[tuple[int | None, int | None], list[Event]] = {}
    for event in cell.events:
        if event.kind is EventKind.DRUG:
            key = (event.cycle, event.day)
            if key not in drug_groups:
                lines.append(f"\0{len(drug_groups)}")  # a placeholder keeps the plan's order
            drug_groups.setdefault(key, []).append(event)
        elif event.kind is EventKind.RADIOTHERAPY:
            lines.append(
                translate("CalendarTab", "RT {fraction}/{total}").format(
                    fraction=event.fraction, total=event.fractions_total
                )
            )
        elif event.kind is EventKind.CHECK:
            note = event.note or ""
            lines.append(
                translate("CalendarTab", "check")
                if "go/no-go" in note
                else translate("CalendarTab", "check: {note}").format(note=note)
            )
        else:
            lines.append(translate("CalendarTab", "local intervention"))
    for number, ((cycle, day), events) in enumerate(drug_groups.items()):
        drugs = ", ".join(names.drug(e.drug) + ("" if e.status == "planned" else f" ({e.status})") for e in events)
        lines[lines.index(f"\0{number}")] = translate("CalendarTab", "C{cycle} D{day} {drugs}").format(
            cycle=cycle, day=day, drugs=drugs
        )
    moved = sorted({e.moved_from for e in cell.events if e.moved_from is not None})
    lines.extend(translate("CalendarTab", "moved from {date}").format(date=i18n.short_date_text(day)) for day in moved)
    lines.extend(cell.labels)
    if show_phase and cell.phase:
        lines.append(names.phase(cell.phase))
    return lines


class MonthGridModel(QAbstractTableModel):
    """Adapter over one :class:`MonthPage`: a row per week, a column per weekday (Monday first)."""

    def __init__(self, page: MonthPage, names: _Names, parent: Any = None) -> None:
        super().__init__(parent)
        self.page = page
        self._names = names

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.page.weeks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 7

    def cell(self, index: QModelIndex | QPersistentModelIndex) -> DayCell:
        return self.page.weeks[index.row()].days[index.column()]

    def index_of(self, day: dt.date) -> QModelIndex:
        for row, week in enumerate(self.page.weeks):
            for column, cell in enumerate(week.days):
                if cell.in_month and cell.date == day:
                    return self.index(row, column)
        return QModelIndex()

    def lines(self, index: QModelIndex | QPersistentModelIndex) -> list[str]:
        cell = self.cell(index)
        if not cell.in_month:
            return []
        # The phase is named where it starts and once per week row, not in every cell.
        days = self.page.weeks[index.row()].days
        before = days[index.column() - 1] if index.column() > 0 else None
        show = before is None or not before.in_month or before.phase != cell.phase
        return day_lines(cell, self._names, show)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index)
        if role == DAY_CELL_ROLE:
            return cell
        if role == _LINES_ROLE:
            return self.lines(index)
        if not cell.in_month:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return "\n".join([str(cell.date.day), *self.lines(index)])
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([_long(cell.date), *_event_descriptions(cell, self._names)])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if index.isValid() and self.cell(index).in_month:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return i18n.weekday_text(section, short=True)
        return None


def _event_descriptions(cell: DayCell, names: _Names) -> list[str]:
    """Each event of a day in full words (the side panel and the tooltip)."""
    lines = []
    for event in cell.events:
        where = (
            translate("CalendarTab", "{phase} cycle {cycle} day {day}").format(
                phase=names.phase(event.phase), cycle=event.cycle, day=event.day
            )
            if event.cycle
            else ""
        )
        if event.kind is EventKind.DRUG:
            text = f"{where}: {names.drug(event.drug)} ({event.status})"
        elif event.kind is EventKind.RADIOTHERAPY:
            text = translate("CalendarTab", "{phase}: radiotherapy fraction {fraction} of {total}").format(
                phase=names.phase(event.phase), fraction=event.fraction, total=event.fractions_total
            )
        else:
            text = f"{where}: {event.note}" if where else f"{names.phase(event.phase)}: {event.note}"
        if event.moved_from is not None:
            text += translate("CalendarTab", " — moved from {date}").format(date=_long(event.moved_from))
        lines.append(f"• {text}")
    if cell.closed:
        lines.append(translate("CalendarTab", "Clinic closed: {reason}").format(reason=cell.closed))
    return lines


class DayCellDelegate(QStyledItemDelegate):
    """Paints a day cell: wrapped lines (never clipped), grey hatching when closed, an arrow when moved."""

    MINIMUM_HEIGHT = 80

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return option.font, bold

    @staticmethod
    def _wrapped(metrics: QFontMetrics, width: int, text: str) -> tuple[int, int]:
        """(flags, height) to draw ``text`` wrapped in ``width``; a word wider than the cell breaks anywhere."""
        flags = int(_WRAP)
        bounds = metrics.boundingRect(QRect(0, 0, width, 10000), flags, text)
        if bounds.width() > width:
            flags |= int(Qt.TextFlag.TextWrapAnywhere)
            bounds = metrics.boundingRect(QRect(0, 0, width, 10000), flags, text)
        return flags, bounds.height()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        regular, bold = self._fonts(option)
        width = max(option.rect.width(), 80) - 2 * _PAD
        height = 2 * _PAD + QFontMetrics(bold).height()
        metrics = QFontMetrics(regular)
        for line in index.data(_LINES_ROLE) or []:
            height += self._wrapped(metrics, width, line)[1]
        return QSize(100, max(height, self.MINIMUM_HEIGHT))

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        cell: DayCell = index.data(DAY_CELL_ROLE)
        rect: QRect = option.rect
        painter.save()
        if not cell.in_month:
            painter.fillRect(rect, QColor(248, 248, 248))
            painter.restore()
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        holiday = cell.closed is not None and cell.closed != "weekend"
        background = QColor(204, 228, 247) if selected else QColor(224, 224, 224) if cell.closed else QColor("white")
        painter.fillRect(rect, background)
        if holiday:
            painter.fillRect(rect, QBrush(QColor(160, 160, 160), Qt.BrushStyle.BDiagPattern))
        regular, bold = self._fonts(option)
        painter.setPen(QColor(20, 20, 20))
        inner = rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        today = translate("CalendarTab", " · today") if cell.date == dt.date.today() else ""
        heading = str(cell.date.day) + today
        painter.setFont(bold)
        painter.drawText(inner, int(_WRAP), heading)
        y = inner.top() + QFontMetrics(bold).height()
        if any(e.moved_from for e in cell.events):
            self._moved_marker(painter, QPoint(inner.right() - 8, inner.top() + 7))
        painter.setFont(regular)
        metrics = QFontMetrics(regular)
        for line in index.data(_LINES_ROLE) or []:
            flags, height = self._wrapped(metrics, inner.width(), line)
            if holiday:  # keep the words readable over the hatching
                painter.fillRect(QRect(inner.left(), y, inner.width(), height), background)
            painter.drawText(QRect(inner.left(), y, inner.width(), height), flags, line)
            y += height
        if selected:
            painter.setPen(QPen(option.palette.highlight().color(), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.restore()

    @staticmethod
    def _moved_marker(painter: QPainter, centre: QPoint) -> None:
        """A right-pointing arrow in a ring: "this day was moved here"."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(20, 20, 20), 1.5))
        painter.setBrush(QColor("white"))
        painter.drawEllipse(centre, 7, 7)
        painter.setBrush(QColor(20, 20, 20))
        x, y = centre.x(), centre.y()
        painter.drawPolygon(QPolygon([QPoint(x - 4, y - 1), QPoint(x, y - 1), QPoint(x, y - 4), QPoint(x + 4, y),
                                      QPoint(x, y + 4), QPoint(x, y + 1), QPoint(x - 4, y + 1)]))  # fmt: skip
        painter.restore()


# ------------------------------------------------------------------------------------------------ dialogs


class _Dialog(QDialog):
    """A form whose OK submits through ``submit``; a refusal stays in the dialog, next to the fields."""

    def __init__(self, title: str, submit: Callable[[], str | None], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(520)  # room for the wrapped notes and placeholders: nothing is cut off
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        refusal = self._submit()
        if refusal:
            self.error.setText(translate("CalendarTab", "Not saved: {reason}").format(reason=refusal))
            self.adjustSize()
            return
        super().accept()


class DelayCycleDialog(_Dialog):
    """Phase, cycle, days and reason of a delay (negative days bring a cycle forward)."""

    def __init__(self, phases: Sequence[tuple[str, str, int]], phase: str | None, cycle: int,
                 submit: Callable[[DelayCycleDialog], str | None], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(translate("CalendarTab", "Delay cycle"), lambda: submit(self), parent)
        self.phase = QComboBox()
        for phase_id, name, _cycles in phases:
            self.phase.addItem(name, phase_id)
        self._cycles = {phase_id: cycles for phase_id, _name, cycles in phases}
        self.cycle = QSpinBox()
        self.days = QSpinBox()
        self.days.setRange(-90, 90)
        self.days.setValue(7)
        self.days.setSuffix(translate("CalendarTab", " days"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(translate("CalendarTab", "why, e.g. grade 3 neutropenia"))
        self.form.addRow(translate("CalendarTab", "Phase"), self.phase)
        self.form.addRow(translate("CalendarTab", "Cycle"), self.cycle)
        self.form.addRow(translate("CalendarTab", "Delay by"), self.days)
        self.form.addRow(translate("CalendarTab", "Reason"), self.reason)
        self.form.addRow(QLabel(translate("CalendarTab", "Later cycles keep their spacing from the delayed one.")))
        self.phase.currentIndexChanged.connect(self._phase_changed)
        self.phase.setCurrentIndex(max(self.phase.findData(phase), 0))
        self._phase_changed()
        self.cycle.setValue(cycle)

    def _phase_changed(self) -> None:
        self.cycle.setRange(1, max(self._cycles.get(self.phase.currentData(), 1), 1))


class RecordDoseDialog(_Dialog):
    """What happened to one planned administration: drug, status, dose, BSA, date and note."""

    def __init__(self, events: Sequence[tuple[str, Event]], day: dt.date, bsa_text: str, bsa_source: str,
                 submit: Callable[[RecordDoseDialog], str | None], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(translate("CalendarTab", "Record given / held"), lambda: submit(self), parent)
        self.drug = QComboBox()
        for label, event in events:
            self.drug.addItem(label, event)
        self.status = QComboBox()
        for status in _GIVEN_STATUSES:
            self.status.addItem(translate("CalendarTab", status), status)
        self.dose = QLineEdit()
        self.dose.setPlaceholderText(translate("CalendarTab", "the dose actually given, e.g. 200 mg"))
        self.bsa = QLineEdit(bsa_text)
        self.bsa.setPlaceholderText(translate("CalendarTab", "e.g. 1.72 m²"))
        self.bsa.setToolTip(bsa_source)
        self.given_on = QDateEdit(QDate(day.year, day.month, day.day))
        self.given_on.setDisplayFormat(translate("CalendarTab", "ddd dd MMM yyyy"))
        self.given_on.setCalendarPopup(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(translate("CalendarTab", "required for a modified dose: what changed and why"))
        self.form.addRow(translate("CalendarTab", "Drug"), self.drug)
        self.form.addRow(translate("CalendarTab", "Status"), self.status)
        self.form.addRow(translate("CalendarTab", "Dose"), self.dose)
        bsa_note = QLabel(bsa_source)
        bsa_note.setWordWrap(True)
        self.form.addRow(translate("CalendarTab", "BSA"), self.bsa)
        self.form.addRow("", bsa_note)
        self.form.addRow(translate("CalendarTab", "Date"), self.given_on)
        self.form.addRow(translate("CalendarTab", "Note"), self.note)
        self.status.currentIndexChanged.connect(lambda _index: self._status_changed(self.status.currentData()))

    def _status_changed(self, status: str) -> None:
        if status == "held":
            self.dose.clear()
        self.dose.setEnabled(status != "held")

    @property
    def planned_event(self) -> Event:
        event: Event = self.drug.currentData()
        return event

    @property
    def date(self) -> dt.date:
        value = self.given_on.date()
        return dt.date(value.year(), value.month(), value.day())


# ------------------------------------------------------------------------------------------------ the tab


def _names_of(operations: Operations, regimen: Regimen) -> _Names:
    """Drug and phase names in the interface language."""
    drugs = {d.id: i18n.drug_name(d) for d in operations.library.catalogue.drugs}
    return _Names(drugs, {p.id: i18n.localized(p.name) for p in regimen.phases})


@dataclass(frozen=True)
class _Shown:
    """The plan on screen: the store row it was computed from, its regimen and the computed plan."""

    row: RowMapping
    regimen: Regimen
    plan: Plan
    clinic: ClinicCalendar
    names: _Names


class CalendarTab(i18n.Retranslating, QWidget):
    """Month view of the newest active plan: header of phases, navigation, the grid, day actions."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.shown: _Shown | None = None
        self.month = dt.date.today().replace(day=1)
        self._patient: int | None = None
        self.grid_model: MonthGridModel | None = None
        self.print_dialog: QDialog | None = None

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
        self.shown = dataclasses.replace(self.shown, names=_names_of(self.operations, self.shown.regimen))
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
        names = _names_of(self.operations, regimen)
        self.shown = _Shown(row, regimen, plan, clinic, names)
        self._show_header()
        self.notes.clear()
        self.notes.addItems([flag.render() for flag in plan.flags] or [translate("CalendarTab", "none")])
        self.pages.setCurrentIndex(1)
        if not keep_month:
            first = plan.events[0].date if plan.events else plan.start
            last = plan.events[-1].date if plan.events else plan.start
            self.month = min(max(dt.date.today(), first), last).replace(day=1)
        self.show_month(self.month)

    def _show_header(self) -> None:
        assert self.shown is not None
        regimen, plan, row, clinic = self.shown.regimen, self.shown.plan, self.shown.row, self.shown.clinic
        chosen = {i18n.localized(group.name): [i18n.localized(o.name) for o in group.options
                                               if o.id == plan.choices.get(group.id)]
                  for group in regimen.choice_groups}  # fmt: skip
        choices = "; ".join(
            f"{group}: {(options or [translate('CalendarTab', 'not chosen')])[0]}" for group, options in chosen.items()
        )
        rows = []
        for phase in plan.phases:
            span = (
                f"{i18n.date_text(phase.start)} – {i18n.date_text(phase.end)}"
                if phase.start and phase.end
                else translate("CalendarTab", "not scheduled")
            )
            planned = f"{phase.cycles} cycles"
            count = (
                translate("CalendarTab", " · {count} cycles planned").format(count=phase.cycles)
                if phase.start and phase.cycles and planned not in phase.stop_rule
                else ""
            )
            rows.append(
                f"<tr><td><b>{html.escape(i18n.localized(regimen.phase(phase.id).name))}</b></td><td>{span}</td>"
                f"<td>{html.escape(phase.stop_rule)}{count}</td></tr>"
            )
        about = translate(
            "CalendarTab", "{regimen} v{version} · plan {plan} from {start} · {choices} · closures: {closures}"
        ).format(
            regimen=regimen.id, version=regimen.version, plan=row["id"], start=_long(plan.start),
            choices=html.escape(choices), closures=clinic.country or translate("CalendarTab", "none"),
        )  # fmt: skip
        self.header.setText(
            f"<b>{html.escape(i18n.localized(regimen.name))}</b><br>{about}"
            f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>"
        )
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
        lines = _event_descriptions(cell, self.shown.names) or [translate("CalendarTab", "• nothing planned")]
        self.day_details.setText("\n".join([f"{_long(cell.date)}{phase}", *lines]))

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

    @staticmethod
    def _open(dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def delay_dialog(self) -> DelayCycleDialog:
        """The "Delay cycle…" dialog, defaulting to the selected day's phase and cycle (not yet shown)."""
        assert self.shown is not None
        plan, cell = self.shown.plan, self.selected_cell()
        phases = [(p.id, self.shown.names.phase(p.id), p.cycles) for p in plan.phases if p.start is not None]
        phase_id = (cell.phase if cell else None) or phases[0][0]
        day = cell.date if cell else dt.date.today()
        cycles = [e.cycle for e in plan.events if e.phase == phase_id and e.cycle and e.day == 1 and e.date >= day]
        current = [e.cycle for e in (cell.events if cell else ()) if e.phase == phase_id and e.cycle]
        cycle = (current or cycles or [1])[0]
        return DelayCycleDialog(phases, phase_id, cycle, self._delay, self)

    def _delay(self, dialog: DelayCycleDialog) -> str | None:
        assert self.shown is not None
        row, regimen = self.shown.row, self.shown.regimen
        phase, cycle, days, reason = (
            dialog.phase.currentData(),
            dialog.cycle.value(),
            dialog.days.value(),
            dialog.reason.text().strip(),
        )
        if days == 0:
            return translate(
                "CalendarTab", "a delay of 0 days changes nothing; enter the days to delay (negative: bring forward)"
            )
        first = regimen.phases[0].id
        kept = [
            d
            for d in (row["policies"] or {}).get("delays", [])
            if ((d.get("phase") or first), d["cycle"]) != (phase, cycle)
        ]
        delays = [*kept, {"phase": phase, "cycle": cycle, "days": days, "reason": reason}]
        store = self.operations.store

        def update() -> bool:
            store.update_plan_schedule(
                self.operations.actor, row["id"], row["row_version"], delays=delays, reason=reason
            )
            return True

        phase_name = self.shown.names.phase(phase)
        if days > 0:
            what = translate("CalendarTab", "{phase} cycle {cycle} delayed by {days} days")
        else:
            what = translate("CalendarTab", "{phase} cycle {cycle} brought forward by {days} days")
        what = what.format(phase=phase_name, cycle=cycle, days=abs(days))
        return self._run(update, what)

    def record_dialog(self) -> RecordDoseDialog:
        """The "Record given / held…" dialog for the selected day's drugs (not yet shown)."""
        assert self.shown is not None
        cell = self.selected_cell()
        names = self.shown.names
        events = [
            (
                translate("CalendarTab", "{drug} — {phase} cycle {cycle} day {day}").format(
                    drug=names.drug(e.drug), phase=names.phase(e.phase), cycle=e.cycle, day=e.day
                ),
                e,
            )
            for e in (cell.events if cell else ())
            if e.kind is EventKind.DRUG
        ]
        bsa_text, bsa_source = self._bsa()
        return RecordDoseDialog(
            events, cell.date if cell else dt.date.today(), bsa_text, bsa_source, self._record, self
        )

    def _bsa(self) -> tuple[str, str]:
        """The BSA of the latest height and weight by the plan's formula, as a suggestion the user confirms."""
        assert self.shown is not None
        assert self._patient is not None
        latest = self.operations.store.latest_measurements(self._patient)
        if "height" not in latest or "weight" not in latest:
            return "", translate(
                "CalendarTab", "No height and weight recorded: enter the BSA the dose was based on (for mg/m² totals)."
            )
        try:
            formula = parse_formula((self.shown.row["policies"] or {}).get("bsa_formula", "mosteller"))
            height, weight = measurement_quantity(latest["height"]), measurement_quantity(latest["weight"])
            result = body_surface_area(height, weight, formula)
        except DoseCalcError as error:
            return "", translate("CalendarTab", "BSA not calculated: {error}").format(error=error_text(error))
        height_row, weight_row = latest["height"], latest["weight"]
        source = translate(
            "CalendarTab",
            "{formula} from height {height} ({height_date}) and weight {weight} ({weight_date}); "
            "use the BSA the dose was based on",
        ).format(
            formula=formula.label,
            height=height_row["value_text"],
            height_date=i18n.date_text(height_row["measured_on"]),
            weight=weight_row["value_text"],
            weight_date=i18n.date_text(weight_row["measured_on"]),
        )
        return f"{format_number(result.square_metres, 2)} m²", source

    def _record(self, dialog: RecordDoseDialog) -> str | None:
        assert self.shown is not None
        assert self._patient is not None
        event, status, patient = dialog.planned_event, dialog.status.currentData(), self._patient
        store, row = self.operations.store, self.shown.row
        order = next(
            (o for o in store.orders_of(patient) if o["plan_id"] == row["id"] and (o["phase"], o["cycle"]) ==
             (event.phase, event.cycle) and o["status"] != "superseded"),
            None,
        )  # fmt: skip

        def give() -> int:
            held = status == "held"  # a held dose is recorded as 0 mg; the dose field is cleared and disabled
            dose_mg = 0.0 if held else positive_quantity(dialog.dose.text(), "dose", MASS_DOSE, MILLIGRAM)[1]
            bsa_text = dialog.bsa.text().strip()
            bsa_m2 = magnitude_in(parse_bsa(bsa_text).bsa, SQUARE_METRE) if bsa_text else None
            return store.give(self.operations.actor, patient, drug=event.drug or "", status=status, dose_mg=dose_mg,
                              given_on=dialog.date, bsa_m2=bsa_m2, order_id=order["id"] if order else None,
                              note=dialog.note.text().strip() or None)  # fmt: skip

        what = translate("CalendarTab", "{drug} {status} on {date} recorded").format(
            drug=self.shown.names.drug(event.drug), status=dialog.status.currentText(), date=_long(dialog.date)
        )
        return self._run(give, what)

    def _run(self, action: Callable[[], object], success: str) -> str | None:
        """Run through the funnel; None when saved, else the refusal to show in the dialog."""
        refusals: list[str] = []

        def heard(text: str, error: bool) -> None:
            if error:
                refusals.append(text)

        self.operations.message.connect(heard)
        try:
            result = self.operations.run(action, success=success, changes=self._patient)
        finally:
            self.operations.message.disconnect(heard)
        return None if result is not None else (refusals[-1] if refusals else translate("CalendarTab", "refused"))
