"""The Calendar tab's month view: a Qt model over one month of day cells and the delegate painting a day.

Meaning is never carried by colour alone: a closed day says "closed: …" on a grey hatched cell, a moved
day says "moved from …" next to an arrow marker. Also the plan on screen (:class:`ShownPlan`), how its
drugs and phases are named (:class:`PlanNames`) and its header (:func:`plan_header`). Texts are translated
under the "CalendarTab" context.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QPolygon
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem
from sqlalchemy import RowMapping

from dosecalc.regimen.model import Regimen
from dosecalc.schedule.clinic import ClinicCalendar
from dosecalc.schedule.pages import ADJUSTED_WORKING_DAY, CLOSED_PREFIX, DayCell, MonthPage
from dosecalc.schedule.plan import Event, EventKind, Plan
from ui import i18n
from ui.operations import Operations
from ui.plan_text import is_day1_check, note_text, status_text, stop_rule_text

__all__ = [
    "DAY_CELL_ROLE",
    "DayCellDelegate",
    "MonthGridModel",
    "PlanNames",
    "ShownPlan",
    "day_lines",
    "event_descriptions",
    "long_date",
    "names_of",
    "plan_header",
]

#: The :class:`DayCell` of a grid index.
DAY_CELL_ROLE = Qt.ItemDataRole.UserRole + 1
_LINES_ROLE = Qt.ItemDataRole.UserRole + 2
translate = QCoreApplication.translate
_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
_PAD = 4


def long_date(day: dt.date) -> str:
    return i18n.long_date_text(day)  # the month as a word: never a misreadable 03/04


@dataclass(frozen=True)
class PlanNames:
    """How a drug and a phase are called on screen (catalogue display names, the regimen's phase names)."""

    drugs: Mapping[str, str]
    phases: Mapping[str, str]

    def drug(self, drug_id: str | None) -> str:
        return self.drugs.get(drug_id or "", drug_id or "?")

    def phase(self, phase_id: str | None) -> str:
        return self.phases.get(phase_id or "", phase_id or "")


def day_lines(cell: DayCell, names: PlanNames, show_phase: bool) -> list[str]:
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
            lines.append(
                translate("CalendarTab", "check")
                if is_day1_check(event)
                else translate("CalendarTab", "check: {note}").format(note=note_text(event))
            )
        else:
            lines.append(translate("CalendarTab", "local intervention"))
    for number, ((cycle, day), events) in enumerate(drug_groups.items()):
        drugs = ", ".join(
            names.drug(e.drug) + ("" if e.status == "planned" else f" ({status_text(e.status)})") for e in events
        )
        lines[lines.index(f"\0{number}")] = translate("CalendarTab", "C{cycle} D{day} {drugs}").format(
            cycle=cycle, day=day, drugs=drugs
        )
    moved = sorted({e.moved_from for e in cell.events if e.moved_from is not None})
    lines.extend(translate("CalendarTab", "moved from {date}").format(date=i18n.short_date_text(day)) for day in moved)
    lines.extend(_label_text(label) for label in cell.labels)
    if show_phase and cell.phase:
        lines.append(names.phase(cell.phase))
    return lines


class MonthGridModel(QAbstractTableModel):
    """Adapter over one :class:`MonthPage`: a row per week, a column per weekday (Monday first)."""

    def __init__(self, page: MonthPage, names: PlanNames, parent: Any = None) -> None:
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
            return "\n".join([long_date(cell.date), *event_descriptions(cell, self._names)])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if index.isValid() and self.cell(index).in_month:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return i18n.weekday_text(section, short=True)
        return None


def _label_text(label: str) -> str:
    """A day's closure or adjusted-working-day label in the language shown; the closure's name as given."""
    if label.startswith(CLOSED_PREFIX):
        return translate("CalendarTab", "closed: {reason}").format(reason=_closure(label.removeprefix(CLOSED_PREFIX)))
    if label == ADJUSTED_WORKING_DAY:
        return translate("CalendarTab", "working day (adjusted)")
    return label


def _closure(reason: str) -> str:
    return translate("CalendarTab", "weekend") if reason == "weekend" else reason


def event_descriptions(cell: DayCell, names: PlanNames) -> list[str]:
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
            text = f"{where}: {names.drug(event.drug)} ({status_text(event.status)})"
        elif event.kind is EventKind.RADIOTHERAPY:
            text = translate("CalendarTab", "{phase}: radiotherapy fraction {fraction} of {total}").format(
                phase=names.phase(event.phase), fraction=event.fraction, total=event.fractions_total
            )
        else:
            text = f"{where or names.phase(event.phase)}: {note_text(event)}"
        if event.moved_from is not None:
            text += translate("CalendarTab", " — moved from {date}").format(date=long_date(event.moved_from))
        lines.append(f"• {text}")
    if cell.closed:
        lines.append(translate("CalendarTab", "Clinic closed: {reason}").format(reason=_closure(cell.closed)))
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


def names_of(operations: Operations, regimen: Regimen) -> PlanNames:
    """Drug and phase names in the interface language."""
    drugs = {d.id: i18n.drug_name(d) for d in operations.library.catalogue.drugs}
    return PlanNames(drugs, {p.id: i18n.localized(p.name) for p in regimen.phases})


@dataclass(frozen=True)
class ShownPlan:
    """The plan on screen: the store row it was computed from, its regimen and the computed plan."""

    row: RowMapping
    regimen: Regimen
    plan: Plan
    clinic: ClinicCalendar
    names: PlanNames


def plan_header(shown: ShownPlan) -> str:
    """The plan's header as rich text: regimen, version, choices and closures, then each phase's dates and stop rule."""
    regimen, plan, row, clinic = shown.regimen, shown.plan, shown.row, shown.clinic
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
        # The cycles the plan holds, unless the rule says that number already ("4 cycles").
        said = any(t.code == "cycles" and t.params.get("cycles") == phase.cycles for t in phase.stop_terms)
        count = (
            translate("CalendarTab", " · {count} cycles planned").format(count=phase.cycles)
            if phase.start and phase.cycles and not said
            else ""
        )
        rows.append(
            f"<tr><td><b>{html.escape(i18n.localized(regimen.phase(phase.id).name))}</b></td><td>{span}</td>"
            f"<td>{html.escape(stop_rule_text(phase))}{count}</td></tr>"
        )
    about = translate(
        "CalendarTab", "{regimen} v{version} · plan {plan} from {start} · {choices} · closures: {closures}"
    ).format(
        regimen=regimen.id, version=regimen.version, plan=row["id"], start=long_date(plan.start),
        choices=html.escape(choices), closures=clinic.country or translate("CalendarTab", "none"),
    )  # fmt: skip
    return (
        f"<b>{html.escape(i18n.localized(regimen.name))}</b><br>{about}"
        f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>"
    )
