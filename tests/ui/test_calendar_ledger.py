"""The Calendar and Ledger tabs, driven through their models and dialogs (never pixels).

Plan: NCT07016737 v1.0.0 with sintilimab and docetaxel from Mon 07 Dec 2026, clinic closures CN. Induction
is 4 cycles of 21 days; cycle 4 falls on 08 Feb 2027, inside the 2027 Spring Festival closure, and moves to the
next open day. Maintenance starts 21 days after the actual cycle 4 day 1 and runs 24 months from its first dose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from dosecalc.regimen.loader import load_library
from dosecalc.schedule.clinic import clinic_calendar
from dosecalc.store.audit import SYSTEM
from dosecalc.store.records import Store, open_store
from ui.calendar_tab import CalendarTab
from ui.ledger_models import DrugTotalsModel, RadiotherapySumsModel
from ui.ledger_tab import LedgerTab
from ui.operations import Operations

START = dt.date(2026, 12, 7)
CN = clinic_calendar("CN")


@pytest.fixture
def operations(tmp_path: Path) -> Iterator[Operations]:
    store = open_store(f"sqlite:///{tmp_path}/s.sqlite3")
    user = store.add_user(SYSTEM, "li", "Li", "pharmacist", "li-password")
    ops = Operations(store, load_library(), user)
    li = ops.actor
    patient = store.add_patient(
        li,
        hospital_number="H001",
        full_name="Zhang Wei",
        date_of_birth=dt.date(1962, 3, 4),
        sex="male",
        allergies="no known allergies",
        diagnosis="ESCC, in-field recurrence after chemoradiotherapy",
    )
    today = dt.date.today()
    for kind, text in (("height", "170 cm"), ("weight", "60 kg"), ("creatinine", "80 µmol/L")):
        store.add_measurement(li, patient, kind, text, today)
    store.create_plan(
        li,
        patient,
        regimen_id="escc-nct07016737",
        regimen_version="1.0.0",
        choices={"pd1": "sintilimab", "chemo": "docetaxel"},
        policies={},
        start_date=START,
    )
    ops.patient_id = patient
    yield ops
    store.engine.dispose()


@pytest.fixture
def calendar(qtbot: Any, operations: Operations) -> CalendarTab:
    tab = CalendarTab(operations)
    qtbot.addWidget(tab)
    operations.select_patient(operations.patient_id)
    return tab


def _store(operations: Operations) -> Store:
    return operations.store


def _cell(tab: CalendarTab, day: dt.date) -> str:
    """The text of a day's cell, after navigating to its month."""
    tab.select_date(day)
    model = tab.grid_model
    assert model is not None
    index = model.index_of(day)
    assert index.isValid(), day
    return str(model.data(index))


def _day1_cells(tab: CalendarTab, phase_label: str, months: list[dt.date]) -> dict[str, dt.date]:
    """Every "C<n> D1" drug line of the given months, by cycle, with its date."""
    found: dict[str, dt.date] = {}
    for month in months:
        tab.show_month(month)
        model = tab.grid_model
        assert model is not None
        for row in range(model.rowCount()):
            for column in range(7):
                cell = model.cell(model.index(row, column))
                if not cell.in_month or cell.phase != phase_label:
                    continue
                for line in model.lines(model.index(row, column)):
                    if line.startswith("C") and " D1 " in line:
                        found[line.split(" ")[0]] = cell.date
    return found


def test_calendar_shows_four_induction_cycles_and_the_maintenance_stop_date(calendar: CalendarTab) -> None:
    planned_cycle_4 = dt.date(2027, 2, 8)
    assert CN.closure(planned_cycle_4) is not None  # the Spring Festival closes the planned day ...
    cycle_4 = CN.open_day(planned_cycle_4)  # ... so cycle 4 moves to the next open day
    assert cycle_4 > planned_cycle_4

    months = [dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)]
    assert _day1_cells(calendar, "induction", months) == {
        "C1": START,
        "C2": dt.date(2026, 12, 28),
        "C3": dt.date(2027, 1, 18),
        "C4": cycle_4,
    }
    first = _cell(calendar, START)
    assert "C1 D1 sintilimab, DOCEtaxel" in first
    assert "check" in first
    assert "Induction" in first  # the phase is labelled where it starts
    moved = _cell(calendar, cycle_4)
    assert "C4 D1" in moved
    assert "moved from 08 Feb" in moved
    assert f"closed: {CN.closure(planned_cycle_4)}" in _cell(calendar, planned_cycle_4)

    # Maintenance day 1 = cycle 4 day 1 + 21 days (an open day); it stops 24 months after its first dose.
    maintenance_start = cycle_4 + dt.timedelta(days=21)
    assert CN.is_open(maintenance_start)
    stop = maintenance_start + relativedelta(months=24)
    header = calendar.header.text()
    assert "PD-1 maintenance" in header
    assert f"until {stop:%d %b %Y}" in header
    assert "C1 D1 sintilimab" in _cell(calendar, maintenance_start)


def test_navigation_by_month_phase_and_today(qtbot: Any, calendar: CalendarTab) -> None:
    calendar.select_date(START)
    assert calendar.month_label.text() == "December 2026"
    calendar.next_button.click()
    assert calendar.month_label.text() == "January 2027"
    calendar.previous_button.click()
    calendar.previous_button.click()
    assert calendar.month_label.text() == "November 2026"

    calendar.show()
    calendar.activateWindow()
    qtbot.waitUntil(calendar.isActiveWindow)  # shortcuts reach only the active window
    calendar.grid.setFocus()
    qtbot.keyClick(calendar.grid, Qt.Key.Key_PageDown)
    assert calendar.month_label.text() == "December 2026"
    qtbot.keyClick(calendar.grid, Qt.Key.Key_PageUp)
    assert calendar.month_label.text() == "November 2026"

    maintenance = calendar.phase_combo.findData("maintenance")
    calendar.phase_combo.setCurrentIndex(maintenance)
    calendar.phase_combo.activated.emit(maintenance)
    selected = calendar.selected_cell()
    assert selected is not None
    assert selected.phase == "maintenance"
    assert calendar.month_label.text() == f"{selected.date:%B %Y}"

    calendar.today_button.click()
    assert calendar.month_label.text() == f"{dt.date.today():%B %Y}"


def test_delay_cycle_2_by_seven_days_shifts_cycles_3_and_4(calendar: CalendarTab, operations: Operations) -> None:
    calendar.select_date(dt.date(2026, 12, 28))
    dialog = calendar.delay_dialog()
    assert (dialog.phase.currentData(), dialog.cycle.value()) == ("induction", 2)

    dialog.days.setValue(7)
    dialog.accept()  # no reason: the store refuses, the dialog stays open and says why
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "reason" in dialog.error.text()
    assert "delays" not in _store(operations).plans_of(operations.patient_id or 0)[0]["policies"]

    dialog.reason.setText("grade 3 neutropenia")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    plan = _store(operations).plans_of(operations.patient_id or 0)[0]
    assert plan["policies"]["delays"] == [
        {"phase": "induction", "cycle": 2, "days": 7, "reason": "grade 3 neutropenia"}
    ]

    cycle_2 = dt.date(2026, 12, 28) + dt.timedelta(days=7)  # Mon 04 Jan 2027, an open day
    cycle_3 = cycle_2 + dt.timedelta(days=21)  # Mon 25 Jan 2027
    cycle_4 = CN.open_day(cycle_3 + dt.timedelta(days=21))
    months = [dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)]
    assert _day1_cells(calendar, "induction", months) == {"C1": START, "C2": cycle_2, "C3": cycle_3, "C4": cycle_4}
    assert "C3" not in _cell(calendar, dt.date(2027, 1, 18))
    notes = [calendar.notes.item(i).text() for i in range(calendar.notes.count())]
    assert "INFO: induction cycle 2 delayed 7 days: grade 3 neutropenia" in notes


def _docetaxel_row(ledger: LedgerTab) -> dict[str, str]:
    model = ledger.drugs.model()
    assert isinstance(model, DrugTotalsModel)
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for row in range(model.rowCount()):
        values = {titles[c]: model.data(model.index(row, c)) for c in range(model.columnCount())}
        if values["Drug"] == "DOCEtaxel":
            return values
    raise AssertionError("no docetaxel row in the ledger")


def test_record_given_adds_an_administration_and_the_ledger_counts_it(
    qtbot: Any, calendar: CalendarTab, operations: Operations
) -> None:
    ledger = LedgerTab(operations)
    qtbot.addWidget(ledger)
    patient = operations.patient_id or 0
    calendar.select_date(START)
    dialog = calendar.record_dialog()
    docetaxel = next(i for i in range(dialog.drug.count()) if dialog.drug.itemText(i).startswith("DOCEtaxel"))
    dialog.drug.setCurrentIndex(docetaxel)
    dialog.status.setCurrentText("given")
    dialog.dose.setText("130 mg")
    dialog.bsa.setText("1.687 m²")

    assert dialog.date == START  # the selected day, until the nurse says otherwise

    dialog.given_on.setDate(QDate.currentDate().addDays(1))
    dialog.accept()  # the store refuses a dose given in the future; the dialog stays open and says why
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "future" in dialog.error.text()
    assert _store(operations).administrations(patient) == []

    dialog.given_on.setDate(QDate.currentDate())
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    given = _store(operations).administrations(patient)
    assert [(r["drug"], r["status"], r["dose_mg"], r["bsa_m2"]) for r in given] == [
        ("docetaxel", "given", 130.0, 1.687)
    ]

    # 130 mg / 1.687 m² = 77.0599 mg/m² → 77.06 mg/m²; docetaxel warns from 400 mg/m² (catalogue): 19 %.
    row = _docetaxel_row(ledger)
    assert row["Total so far"].startswith("77.06 mg/m² (130 mg)")
    assert "77.06 / 400 mg/m² warning level (19 %)" in row["Against the limit (solid: so far; hatched: projected)"]
    assert row["Status"] == "OK"


def test_ledger_sums_prior_radiotherapy_and_states_the_pd1_bound(qtbot: Any, operations: Operations) -> None:
    store, patient = _store(operations), operations.patient_id or 0
    store.add_prior_radiotherapy(
        operations.actor, patient, site="spinal cord", total_gy=45, fractions=30,
        finished_on=dt.date(2024, 6, 1), source="RT summary",
    )  # fmt: skip
    ledger = LedgerTab(operations)
    qtbot.addWidget(ledger)
    model = ledger.radiotherapy.model()
    assert isinstance(model, RadiotherapySumsModel)
    assert model.rowCount() == 1
    # BED = n·d·(1 + d/(α/β)) = 30 × 1.5 × (1 + 1.5/2) = 78.75 Gy with the spinal cord's α/β of 2 Gy.
    texts = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert texts[0] == "spinal cord"
    assert texts[2] == "78.75 Gy"
    assert texts[4].startswith("2 Gy")
    assert "24 months" in ledger.pd1.text()
    assert "BLOCK" in ledger.summary.text()  # no day-1 labs recorded: said in words, not only coloured
    assert any(ledger.flags.item(i).text().startswith("BLOCK: ") for i in range(ledger.flags.count()))


def test_without_a_plan_the_calendar_says_so(qtbot: Any, operations: Operations) -> None:
    other = operations.store.add_patient(
        operations.actor, hospital_number="H002", full_name="Li Na", date_of_birth=dt.date(1970, 1, 1),
        sex="female", allergies="no known allergies", diagnosis="ESCC",
    )  # fmt: skip
    tab = CalendarTab(operations)
    qtbot.addWidget(tab)
    operations.select_patient(other)
    assert tab.pages.currentWidget() is tab.message
    assert tab.message.text() == "No treatment plan yet"
    operations.select_patient(None)
    assert tab.message.text() == "No patient selected"
