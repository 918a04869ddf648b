"""Printing from the workstation and from ``dosecalc-app print``: preview, PDF export, the audit entries."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrintPreviewWidget
from sqlalchemy import select

from dosecalc.regimen.loader import Library, load_library
from dosecalc.store.audit import SYSTEM, Actor
from dosecalc.store.demo import demonstration_user, ensure_demo
from dosecalc.store.records import Store, open_store
from dosecalc.store.schema import audit_log
from tests.ui.test_print import WATERMARK, pdf_page_size, pdf_pages
from ui.app import main
from ui.main_window import MainWindow
from ui.operations import Operations
from ui.print.sources import demo_order

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI", "").lower() != "true",
    reason="pdftotext (poppler-utils) is not installed here: the printout tests are SKIPPED (.ci/run installs it)",
)


def prints(store: Store) -> list[Any]:
    with store.engine.connect() as connection:
        return list(connection.execute(select(audit_log).where(audit_log.c.action == "print")).mappings())


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    store = open_store(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    patient = ensure_demo(store, library)
    shown = MainWindow(Operations(store, library, demonstration_user(store)))
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    shown.operations.select_patient(patient)
    yield shown
    shown.close()
    store.engine.dispose()


def _preview_pages(dialog: Any) -> int:
    widget = dialog.findChild(QPrintPreviewWidget)
    assert widget is not None
    widget.updatePreview()
    return int(widget.pageCount())


# ------------------------------------------------------------------------------------------------ workstation


def test_ctrl_p_on_the_calendar_tab_previews_the_calendar_and_printing_is_recorded(window: MainWindow) -> None:
    store = window.operations.store
    window.tabs.setCurrentIndex(1)
    messages: list[tuple[str, bool]] = []
    window.operations.message.connect(lambda text, error: messages.append((text, error)))
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    dialog = window.print_preview()  # what File > Print… (Ctrl+P) calls
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Print preview — Treatment calendar (the whole plan)"
    assert _preview_pages(dialog) >= 27  # 26 months of the two-year plan and the legend
    assert prints(store) == []  # a preview is not a print
    dialog.accept()  # what the preview's Print does once the printer took the pages
    entry = prints(store)[-1]
    assert (entry["entity"], entry["username"]) == ("plan", "demo")
    assert entry["new_value"]["target"] == "printer"
    assert entry["new_value"]["verified"] is False
    assert messages[-1][0].startswith("Printed the calendar:")


def test_the_calendar_tab_prints_the_month_shown_or_the_phase_chosen(window: MainWindow, tmp_path: Path) -> None:
    window.tabs.setCurrentIndex(1)
    tab: Any = window.tab(1)
    tab.show_month(dt.date(2027, 2, 1))
    tab.print_scope.setCurrentIndex(tab.print_scope.findData("month"))
    assert window.export_pdf(tmp_path / "february.pdf") == 3  # the month, the legend over two pages
    month, *rest = pdf_pages(tmp_path / "february.pdf")
    legend = " ".join(rest)
    assert month.startswith("February 2027 Monday")
    assert "covers 01 Feb 2027 to 28 Feb 2027 only" in month
    assert "About this calendar" in legend
    tab.print_scope.setCurrentIndex(tab.print_scope.findData("phase"))
    tab.phase_combo.setCurrentIndex(tab.phase_combo.findData("induction"))
    dialog = tab.open_print_preview()
    assert dialog is not None
    assert _preview_pages(dialog) == 5  # December to February, and the legend (two pages)
    dialog.reject()
    assert len(prints(window.operations.store)) == 1  # the export; the cancelled preview printed nothing


def test_the_doses_tab_prints_the_saved_order_worksheet_only(window: MainWindow, tmp_path: Path) -> None:
    store, operations = window.operations.store, window.operations
    window.tabs.setCurrentIndex(0)
    tab: Any = window.tab(0)
    assert not tab.print_button.isEnabled()
    assert window.print_preview() is None
    assert "save the order first" in tab.message_label.text()
    order_id = demo_order(store, operations.library, operations.patient_id or 0, operations.actor)
    operations.patientChanged.emit(operations.patient_id)
    assert tab.print_button.isEnabled()
    dialog = tab.open_print_preview()
    assert dialog is not None
    assert dialog.windowTitle() == "Print preview — Order worksheet: Induction, cycle 1"
    assert _preview_pages(dialog) >= 1
    dialog.reject()
    assert window.export_pdf(tmp_path / "worksheet.pdf") is not None
    pages = pdf_pages(tmp_path / "worksheet.pdf")
    assert all(WATERMARK in page for page in pages)
    assert "DOCEtaxel 75 mg/m² 126.54 mg 130 mg +2.73 %" in " ".join(pages)
    entry = prints(store)[-1]
    assert (entry["entity"], entry["entity_id"]) == ("order", order_id)
    assert "worksheet" in entry["new_value"]["document"]


def test_the_ledger_tab_has_nothing_to_print(window: MainWindow) -> None:
    window.tabs.setCurrentIndex(2)
    messages: list[str] = []
    window.operations.message.connect(lambda text, _error: messages.append(text))
    assert window.print_preview() is None
    assert messages[-1].startswith("Print: select a patient, then the Doses tab")


# ------------------------------------------------------------------------------------------------ command


def test_print_command_demo_calendar_and_worksheet(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calendar = tmp_path / "calendar.pdf"
    assert (
        main(["print", "calendar", "--patient", "demo", "--phase", "induction", "--cycle", "2", "--pdf", str(calendar)])
        == 0
    )
    out = capsys.readouterr().out.strip()
    assert out == f"wrote {calendar}: calendar, 4 pages, DRAFT, not verified"  # December, January, legend (2)
    pages = pdf_pages(calendar)
    assert "valid only for Induction cycle 2 starting 28 Dec 2026" in pages[0]
    assert all("DEMO Zhang Wei (demonstration)" in page and "DEMO-0001" in page for page in pages)
    worksheet = tmp_path / "worksheet.pdf"
    assert main(["print", "worksheet", "--patient", "demo", "--paper", "letter", "--pdf", str(worksheet)]) == 0
    assert pdf_page_size(worksheet) == (612, 792)
    assert "Order worksheet: Induction, cycle 1" in pdf_pages(worksheet)[0]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["calendar", "--patient", "demo", "--pdf", "{tmp}/out.png"], "must end in .pdf"),
        (["calendar", "--patient", "demo", "--pdf", "{tmp}/missing/out.pdf"], "does not exist"),
        (["calendar", "--patient", "demo", "--cycle", "0", "--pdf", "{tmp}/out.pdf"], "cycle: 0 is not a cycle"),
        (["calendar", "--patient", "demo", "--phase", "salvage", "--pdf", "{tmp}/out.pdf"], "not scheduled"),
        (["worksheet", "--patient", "demo", "--cycle", "9", "--pdf", "{tmp}/out.pdf"], "cycle: 9 is outside"),
        (
            ["calendar", "--patient", "H404", "--db", "sqlite:///{tmp}/empty.sqlite3", "--pdf", "{tmp}/out.pdf"],
            "user: is required",
        ),
    ],
)
def test_print_command_refusals_are_one_line_and_status_2(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], expected: str
) -> None:
    assert main(["print", *(argument.format(tmp=tmp_path) for argument in arguments)]) == 2
    error = capsys.readouterr().err
    assert expected in error
    assert len(error.strip().splitlines()) == 1


def test_print_command_for_a_real_patient_signs_in_and_records_the_print(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'ward.sqlite3'}"
    store = open_store(url)
    li = store.add_user(SYSTEM, "li", "Li Na", "pharmacist", "li-password")
    actor = Actor(li.id, li.username)
    patient = store.add_patient(
        actor,
        hospital_number="H001",
        full_name="Zhang Wei",
        date_of_birth=dt.date(1962, 3, 4),
        sex="male",
        language="en",  # these tests read the English calendar; tests/ui/test_translations.py prints Chinese
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    for kind, text in (("height", "168 cm"), ("weight", "61 kg"), ("creatinine", "78 µmol/L")):
        store.add_measurement(actor, patient, kind, text, dt.date.today())
    store.create_plan(
        actor,
        patient,
        regimen_id="escc-nct07016737",
        regimen_version="1.0.0",
        choices={"pd1": "sintilimab", "chemo": "docetaxel"},
        policies={},
        start_date=dt.date(2026, 12, 7),
    )
    monkeypatch.setenv("DOSECALC_PASSWORD", "li-password")
    pdf = tmp_path / "calendar.pdf"
    assert (
        main(["--db", url, "print", "calendar", "--patient", "H001", "--user", "li", "--cycle", "1", "--pdf", str(pdf)])
        == 0
    )
    assert "Printed" in pdf_pages(pdf)[0]
    assert "by Li Na (li)" in pdf_pages(pdf)[0]
    entry = prints(store)[-1]
    assert (entry["username"], entry["entity"], entry["patient_id"]) == ("li", "plan", patient)
    assert entry["new_value"]["target"] == "PDF A4 calendar.pdf"
    monkeypatch.setenv("DOSECALC_PASSWORD", "wrong")
    assert main(["print", "calendar", "--patient", "H001", "--user", "li", "--db", url, "--pdf", str(pdf)]) == 2
    assert "password" in capsys.readouterr().err
    store.engine.dispose()
