"""The Calendar tab's actions on a selected day: delay a cycle, record a dose given or held.

Each is a dialog whose OK submits through :class:`~ui.operations.Operations`; a refusal stays in the
dialog, next to the fields. Texts are translated under the "CalendarTab" context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dosecalc.bsa import body_surface_area, parse_bsa, parse_formula
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError
from dosecalc.inputs import positive_quantity
from dosecalc.schedule.pages import DayCell
from dosecalc.schedule.plan import Event, EventKind
from dosecalc.store.records import measurement_quantity
from dosecalc.units import MASS_DOSE, MILLIGRAM, SQUARE_METRE, magnitude_in
from ui import i18n
from ui.calendar_month import ShownPlan, long_date
from ui.errors import error_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.operations import Operations

__all__ = ["DayActions", "DelayCycleDialog", "PlanView", "RecordDoseDialog"]

translate = QCoreApplication.translate
#: What happened to a planned dose (stored in English, shown translated).
_GIVEN_STATUSES = (
    QT_TRANSLATE_NOOP("CalendarTab", "given"),
    QT_TRANSLATE_NOOP("CalendarTab", "held"),
    QT_TRANSLATE_NOOP("CalendarTab", "modified"),
)


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


class PlanView(Protocol):
    """What the actions read from the tab when they run: the funnel, the plan on screen and its patient."""

    @property
    def operations(self) -> Operations: ...

    @property
    def shown(self) -> ShownPlan | None: ...

    @property
    def patient_id(self) -> int | None: ...


class DayActions:
    """Builds the day's dialogs and saves what they submit, reading the tab's plan at the time of saving."""

    def __init__(self, view: PlanView) -> None:
        self.view = view

    def delay_dialog(self, cell: DayCell | None, parent: QWidget | None) -> DelayCycleDialog:
        """The "Delay cycle…" dialog, defaulting to the selected day's phase and cycle (not yet shown)."""
        assert self.view.shown is not None
        plan = self.view.shown.plan
        phases = [(p.id, self.view.shown.names.phase(p.id), p.cycles) for p in plan.phases if p.start is not None]
        phase_id = (cell.phase if cell else None) or phases[0][0]
        day = cell.date if cell else dt.date.today()
        cycles = [e.cycle for e in plan.events if e.phase == phase_id and e.cycle and e.day == 1 and e.date >= day]
        current = [e.cycle for e in (cell.events if cell else ()) if e.phase == phase_id and e.cycle]
        cycle = (current or cycles or [1])[0]
        return DelayCycleDialog(phases, phase_id, cycle, self._delay, parent)

    def _delay(self, dialog: DelayCycleDialog) -> str | None:
        assert self.view.shown is not None
        row, regimen = self.view.shown.row, self.view.shown.regimen
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
        store = self.view.operations.store

        def update() -> bool:
            store.update_plan_schedule(
                self.view.operations.actor, row["id"], row["row_version"], delays=delays, reason=reason
            )
            return True

        phase_name = self.view.shown.names.phase(phase)
        if days > 0:
            what = translate("CalendarTab", "{phase} cycle {cycle} delayed by {days} days")
        else:
            what = translate("CalendarTab", "{phase} cycle {cycle} brought forward by {days} days")
        what = what.format(phase=phase_name, cycle=cycle, days=abs(days))
        return self._run(update, what)

    def record_dialog(self, cell: DayCell | None, parent: QWidget | None) -> RecordDoseDialog:
        """The "Record given / held…" dialog for the selected day's drugs (not yet shown)."""
        assert self.view.shown is not None
        names = self.view.shown.names
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
            events, cell.date if cell else dt.date.today(), bsa_text, bsa_source, self._record, parent
        )

    def _bsa(self) -> tuple[str, str]:
        """The BSA of the latest height and weight by the plan's formula, as a suggestion the user confirms."""
        assert self.view.shown is not None
        assert self.view.patient_id is not None
        latest = self.view.operations.store.latest_measurements(self.view.patient_id)
        if "height" not in latest or "weight" not in latest:
            return "", translate(
                "CalendarTab", "No height and weight recorded: enter the BSA the dose was based on (for mg/m² totals)."
            )
        try:
            formula = parse_formula((self.view.shown.row["policies"] or {}).get("bsa_formula", "mosteller"))
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
        assert self.view.shown is not None
        assert self.view.patient_id is not None
        event, status, patient = dialog.planned_event, dialog.status.currentData(), self.view.patient_id
        operations = self.view.operations
        store, row = operations.store, self.view.shown.row
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
            return store.give(operations.actor, patient, drug=event.drug or "", status=status, dose_mg=dose_mg,
                              given_on=dialog.date, bsa_m2=bsa_m2, order_id=order["id"] if order else None,
                              note=dialog.note.text().strip() or None)  # fmt: skip

        what = translate("CalendarTab", "{drug} {status} on {date} recorded").format(
            drug=self.view.shown.names.drug(event.drug), status=dialog.status.currentText(), date=long_date(dialog.date)
        )
        return self._run(give, what)

    def _run(self, action: Callable[[], object], success: str) -> str | None:
        """Run through the funnel; None when saved, else the refusal to show in the dialog."""
        refusals: list[str] = []

        def heard(text: str, error: bool) -> None:
            if error:
                refusals.append(text)

        self.view.operations.message.connect(heard)
        try:
            result = self.view.operations.run(action, success=success, changes=self.view.patient_id)
        finally:
            self.view.operations.message.disconnect(heard)
        return None if result is not None else (refusals[-1] if refusals else translate("CalendarTab", "refused"))
