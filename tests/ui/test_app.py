"""The application shell: screenshot command, demonstration, sign-in, main window, settings, ``python -m ui``."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMenu
from sqlalchemy import create_engine

from dosecalc.errors import DoseCalcError
from dosecalc.regimen.loader import Library, load_library
from dosecalc.site import SiteSettings, load_site_settings, save_site_settings
from dosecalc.store.audit import SYSTEM
from dosecalc.store.demo import (
    DEMO_CHOICES,
    DEMO_HOSPITAL_NUMBER,
    demonstration_available,
    demonstration_user,
    ensure_demo,
    needs_first_administrator,
)
from dosecalc.store.records import Store, open_store
from ui.app import ChooseUser, SignInDialog, Startup, main
from ui.main_window import MainWindow
from ui.operations import Operations
from ui.patient_dialogs import MeasurementDialog, PatientDialog
from ui.settings import SettingsDialog


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DOSECALC_DATABASE_URL", raising=False)
    opened = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def window(qtbot, store: Store, library: Library) -> MainWindow:
    patient_id = ensure_demo(store, library)
    operations = Operations(store, library, demonstration_user(store))
    shown = MainWindow(operations)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    shown.demo_patient_id = patient_id  # type: ignore[attr-defined]
    return shown


def _add_real_patient(store: Store) -> int:
    admin = store.add_user(SYSTEM, "admin", "Ada Admin", "administrator", "correct horse")
    from dosecalc.store.audit import Actor

    return store.add_patient(
        Actor(admin.id, admin.username), hospital_number="H001", full_name="Li Na",
        date_of_birth=dt.date(1970, 5, 6), sex="female", allergies="penicillin", diagnosis="ESCC",
    )  # fmt: skip


# ------------------------------------------------------------------------------------------- screenshot


@pytest.mark.parametrize("tab", ["doses", "calendar", "ledger"])
def test_screenshot_writes_a_png_of_the_requested_size_for_each_tab(qapp, tmp_path: Path, tab: str) -> None:
    out = tmp_path / f"{tab}.png"
    assert main(["screenshot", str(out), "--patient", "demo", "--tab", tab, "--size", "1366x768"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)


def test_screenshot_on_a_given_store_and_size(qapp, tmp_path: Path) -> None:
    out = tmp_path / "small.png"
    assert main(["--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}", "screenshot", str(out), "--size", "1100x700"]) == 0
    assert QImage(str(out)).size().toTuple() == (1100, 700)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["screenshot", "{tmp}/shot.jpg"], "must end in .png"),
        (["screenshot", "{tmp}/missing/shot.png"], "does not exist"),
        (["--db", "mysql://somewhere/db", "screenshot", "{tmp}/shot.png"], "db: mysql://somewhere/db"),
    ],
)
def test_screenshot_refusals_are_one_line_and_status_2(
    qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], expected: str
) -> None:
    assert main([argument.format(tmp=tmp_path) for argument in arguments]) == 2
    error = capsys.readouterr().err
    assert expected in error
    assert len(error.strip().splitlines()) == 1


def test_screenshot_refuses_a_store_with_real_users(qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    real = open_store(url)
    _add_real_patient(real)
    real.engine.dispose()
    assert main(["--db", url, "screenshot", str(tmp_path / "shot.png")]) == 2
    assert "real users" in capsys.readouterr().err


def test_python_m_ui_help() -> None:
    result = subprocess.run([sys.executable, "-m", "ui", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "screenshot" in result.stdout
    assert "dosecalc-app" in result.stdout


# ------------------------------------------------------------------------------------------- demonstration


def test_ensure_demo_is_idempotent_and_marks_the_patient(store: Store, library: Library) -> None:
    first = ensure_demo(store, library)
    counts = store.counts()
    assert ensure_demo(store, library) == first
    assert store.counts() == counts
    patient = store.patient(first)
    assert patient["demo"] is True
    assert patient["hospital_number"] == DEMO_HOSPITAL_NUMBER
    assert "DEMO" in patient["full_name"]
    assert patient["allergies"] == "no known allergies"
    assert store.find_patients("", include_demo=False) == []
    [plan] = store.plans_of(first)
    assert (plan["regimen_id"], dict(plan["choices"]), plan["start_date"]) == (
        "escc-nct07016737", DEMO_CHOICES, dt.date(2026, 12, 7)
    )  # fmt: skip
    latest = store.latest_measurements(first)
    assert {k: latest[k]["value_text"] for k in ("height", "weight", "creatinine")} == {
        "height": "168 cm", "weight": "61 kg", "creatinine": "78 µmol/L"
    }  # fmt: skip
    assert {"anc", "platelets", "hemoglobin"} <= set(latest)
    user = demonstration_user(store)
    assert user is not None
    assert (user.username, user.role.value) == ("demo", "pharmacist")
    assert demonstration_available(store)
    assert needs_first_administrator(store)


def test_the_demonstration_closes_once_a_real_user_exists(store: Store, library: Library) -> None:
    ensure_demo(store, library)
    _add_real_patient(store)
    assert demonstration_user(store) is None
    assert not demonstration_available(store)
    assert not needs_first_administrator(store)
    assert ensure_demo(store, library) == store.patient_by_number(DEMO_HOSPITAL_NUMBER)["id"]


def test_ensure_demo_never_takes_over_a_real_patient(store: Store, library: Library) -> None:
    store.add_patient(
        SYSTEM, hospital_number=DEMO_HOSPITAL_NUMBER, full_name="Real Person",
        date_of_birth=dt.date(1960, 1, 1), sex="male", allergies="none known", diagnosis="ESCC",
    )  # fmt: skip
    with pytest.raises(DoseCalcError, match="belongs to a real patient"):
        ensure_demo(store, library)


def test_ensure_demo_never_enters_a_store_with_real_users(store: Store, library: Library) -> None:
    _add_real_patient(store)
    counts = store.counts()
    with pytest.raises(DoseCalcError, match="never mixes with real patients"):
        ensure_demo(store, library)
    assert store.counts() == counts


# ------------------------------------------------------------------------------------------- sign-in


def test_first_start_on_an_empty_store_offers_the_demonstration(qtbot, store: Store, library: Library) -> None:
    dialog = SignInDialog(store, lambda: library)
    qtbot.addWidget(dialog)
    assert dialog.demo_button.isVisibleTo(dialog)
    assert dialog.admin_button.isVisibleTo(dialog)
    assert not dialog.sign_in_button.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.user is not None
    assert dialog.user.username == "demo"
    assert store.patient_by_number(DEMO_HOSPITAL_NUMBER)["demo"] is True

    later = SignInDialog(store, lambda: library)  # the next start: still a demonstration store
    qtbot.addWidget(later)
    assert "holds only the demonstration" in later.intro.text()
    assert later.demo_button.isVisibleTo(later)
    assert later.admin_button.isVisibleTo(later)


def test_first_administrator_then_sign_in(qtbot, store: Store, library: Library) -> None:
    dialog = SignInDialog(store, lambda: library)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.admin_button, Qt.MouseButton.LeftButton)  # shows the fields
    assert dialog.full_name.isVisibleTo(dialog)
    dialog.username.setText("admin")
    dialog.full_name.setText("Ada Admin")
    dialog.password.setText("correct horse")
    dialog.repeat.setText("correct horsf")
    qtbot.mouseClick(dialog.admin_button, Qt.MouseButton.LeftButton)
    assert "repetition differ" in dialog.error.text()
    dialog.repeat.setText("correct horse")
    qtbot.mouseClick(dialog.admin_button, Qt.MouseButton.LeftButton)
    assert dialog.user is not None
    assert dialog.user.role.value == "administrator"

    again = SignInDialog(store, lambda: library)
    qtbot.addWidget(again)
    assert not again.demo_button.isVisibleTo(again)
    assert again.sign_in_button.isVisibleTo(again)
    again.username.setText("admin")
    again.password.setText("wrong password")
    qtbot.mouseClick(again.sign_in_button, Qt.MouseButton.LeftButton)
    assert again.error.text().startswith("⚠ Error: password")
    again.password.setText("correct horse")
    qtbot.mouseClick(again.sign_in_button, Qt.MouseButton.LeftButton)
    assert again.user is not None
    assert again.user.username == "admin"


def test_a_store_that_cannot_open_is_a_message_not_a_traceback(
    qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    shown: list[str] = []
    monkeypatch.setattr("ui.startup.QMessageBox.critical", lambda _parent, _title, text: shown.append(text))
    assert main(["--db", "mysql://somewhere/db"]) == 2
    assert shown
    assert shown[0].startswith("db: mysql://somewhere/db")


def test_normal_start_signs_in_shows_the_window_and_signs_out(
    qapp, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    prepared = open_store(url)
    ensure_demo(prepared, library)
    prepared.engine.dispose()
    answers: list[bool] = [True, False]  # sign in, then quit at the sign-in after signing out
    monkeypatch.setattr("ui.app.sign_in", lambda store, _library: demonstration_user(store) if answers.pop(0) else None)
    seen: list[MainWindow] = []
    quits: list[bool] = []

    def ready() -> list[MainWindow]:
        return [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible() and w.ready]

    class Application:
        def exec(self) -> int:  # the event loop until the window painted, opened the store and signed in
            qtbot.waitUntil(lambda: bool(ready()), timeout=20_000)
            seen.extend(ready())
            seen[0].signOutRequested.emit()
            return 0

        def quit(self) -> None:
            quits.append(True)

        def exit(self, status: int) -> None:  # pragma: no cover - only when the start fails
            raise AssertionError(f"the start failed ({status})")

    monkeypatch.setattr("ui.app.application", lambda offscreen=False: Application())
    assert main(["--db", url]) == 0
    assert len(seen) == 1
    assert seen[0].operations.user is None
    assert quits == [True]
    seen[0].operations.store.engine.dispose()
    seen[0].close()
    seen[0].deleteLater()


# ------------------------------------------------------------------------------------------- start-up


def _demo_store(tmp_path: Path, library: Library) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    prepared = open_store(url)
    ensure_demo(prepared, library)
    prepared.engine.dispose()
    return url


def _started(qtbot, url: str, choose: ChooseUser | None = None) -> tuple[Startup, list[str]]:
    """A Startup shown and painted (the store not opened yet); the message boxes it shows are collected."""
    start = Startup(url, choose or (lambda store, _library: demonstration_user(store)))
    qtbot.addWidget(start.window)
    painted: list[bool] = []
    start.show(lambda: painted.append(True))
    qtbot.waitUntil(lambda: bool(painted), timeout=10_000)
    return start, []


def _inputs_disabled(window: MainWindow) -> bool:
    actions = [a for m in window.menuBar().findChildren(QMenu) for a in m.actions()
               if not a.isSeparator() and a.menu() is None]  # fmt: skip
    inputs = (window.patient_panel, window.tabs, window.search, window.list, window.new_button)
    return not any(w.isEnabled() for w in inputs) and bool(actions) and not any(a.isEnabled() for a in actions)


def _criticals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr("ui.startup.QMessageBox.critical", lambda _parent, title, text: shown.append((title, text)))
    return shown


def test_the_window_paints_disabled_with_a_written_status_before_the_store_opens(
    qtbot, tmp_path: Path, library: Library
) -> None:
    url = _demo_store(tmp_path, library)
    during: list[dict[str, object]] = []

    def choose(store: Store, loaded: object) -> object:  # the sign-in: after the store and library, before input
        during.append(
            {"ready": start.window.ready, "disabled": _inputs_disabled(start.window), "library": start.library,
             "chain_checked": store.chain.entries > 0}
        )  # fmt: skip
        return demonstration_user(store)

    start, _ = _started(qtbot, url, choose)
    window = start.window
    assert window.isVisible()
    assert not window.ready
    assert start.store is None  # painted before the store was opened
    assert _inputs_disabled(window)
    assert window.patients.rowCount() == 0
    assert window.header.identity.text() == "Opening the record store…"
    assert window.status.text() == "Opening the record store…"
    assert "Nothing can be entered" in window.header.details.text()
    assert [m.title() for m in window.menuBar().findChildren(QMenu)] != []  # the menus are there to read
    with pytest.raises(RuntimeError, match="still starting"):
        window.operations  # noqa: B018

    assert start.open() is None
    assert during == [{"ready": False, "disabled": True, "library": start.library, "chain_checked": True}]
    assert window.ready
    assert not _inputs_disabled(window)
    assert window.search.isEnabled()
    assert window.list.isEnabled()
    assert window.patients.rowCount() == 1
    assert window.header.identity.text() == "No patient selected"
    assert window.status.text().startswith("Signed in: demo")
    window.operations.store.engine.dispose()


def test_the_start_is_translated(qtbot, tmp_path: Path, library: Library) -> None:
    from ui.i18n import install_language

    install_language("zh_CN")
    try:
        start, _ = _started(qtbot, _demo_store(tmp_path, library))
        assert start.window.header.identity.text() == "正在打开记录库…"
        install_language("en")
        assert start.window.header.identity.text() == "Opening the record store…"
    finally:
        install_language("en")


@pytest.mark.parametrize("case", ["bad url", "newer schema"])
def test_a_store_that_cannot_open_leaves_the_window_disabled_with_the_message(
    qtbot, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    if case == "bad url":
        url, expected = "mysql://somewhere/db", "db: mysql://somewhere/db"
    else:
        url = _demo_store(tmp_path, library)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        engine.dispose()
        expected = "cannot be prepared"
    shown = _criticals(monkeypatch)
    start, _ = _started(qtbot, url)
    assert start.open() == 2
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "DoseCalc cannot open the record store"
    assert expected in text
    window = start.window
    assert not window.ready
    assert _inputs_disabled(window)
    assert window.patients.rowCount() == 0
    assert window.header.identity.text() == f"⚠ {title}"  # the reason stays written in the window
    assert window.header.details.text() == text
    with pytest.raises(RuntimeError, match="already started"):
        start.open()


def test_an_invalid_regimen_file_is_refused_and_named_as_before(
    qtbot, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken.toml").write_text('id = "broken"\nversion = \n', encoding="utf-8")
    monkeypatch.setenv("DOSECALC_SITE_REGIMENS", str(site))
    shown = _criticals(monkeypatch)
    start, _ = _started(qtbot, _demo_store(tmp_path, library))
    assert start.open() is None
    assert shown == []
    window = start.window
    assert start.library is not None
    assert [p.file for p in start.library.problems] == [str(site / "broken.toml")]
    assert "broken" not in start.library.regimens
    message = window.statusBar().currentMessage()
    assert message.startswith("Error: regimen library: 1 file(s) refused, e.g. ")
    assert "broken.toml" in message
    window.operations.store.engine.dispose()


def test_a_broken_audit_trail_still_makes_the_record_read_only(
    qtbot, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _demo_store(tmp_path, library)
    engine = create_engine(url)
    with engine.begin() as connection:
        patient = connection.exec_driver_sql("SELECT id FROM patients WHERE demo").scalar_one()
        connection.exec_driver_sql(
            "UPDATE audit_log SET reason = 'changed' WHERE seq = (SELECT max(seq) FROM audit_log WHERE patient_id = ?)",
            (patient,),
        )
    engine.dispose()
    start, _ = _started(qtbot, url)
    assert start.open() is None
    operations = start.window.operations
    assert not operations.store.chain.ok
    assert patient in operations.store.read_only_patients
    messages: list[tuple[str, bool]] = []
    operations.message.connect(lambda text, error: messages.append((text, error)))
    refused = operations.run(
        operations.store.add_measurement, operations.actor, patient, "weight", "60 kg", dt.date.today()
    )
    assert refused is None
    assert messages[0][1] is True
    assert "has a broken audit trail; the record is read-only" in messages[0][0]
    operations.store.engine.dispose()


def test_nobody_signing_in_ends_the_start_and_a_defect_is_one_line(
    qtbot, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _demo_store(tmp_path, library)
    start, _ = _started(qtbot, url, lambda _store, _library: None)
    assert start.open() == 0
    assert not start.window.ready
    assert _inputs_disabled(start.window)

    def defect(_store: Store, _library: object) -> None:
        raise ZeroDivisionError("division by zero")

    shown = _criticals(monkeypatch)
    broken, _ = _started(qtbot, url, defect)
    assert broken.open() == 2
    assert shown == [("DoseCalc could not start",
                      "internal error: ZeroDivisionError: division by zero; please report this")]  # fmt: skip
    assert not broken.window.ready
    assert _inputs_disabled(broken.window)


# ------------------------------------------------------------------------------------------- main window


def test_header_shows_both_identifiers_and_the_demo_banner(qtbot, window: MainWindow) -> None:
    header = window.header
    assert not header.banner.isVisibleTo(window)
    assert window.tab(0) is None  # nothing built before a patient is selected
    window.operations.select_patient(window.demo_patient_id)  # type: ignore[attr-defined]
    assert "DEMO Zhang Wei (demonstration)" in header.identity.text()
    assert "Hospital number DEMO-0001" in header.identity.text()
    assert "Born 04 Mar 1962" in header.details.text()
    assert "Allergies: no known allergies" in header.details.text()
    assert header.banner.isVisibleTo(window)
    assert "DEMO" in header.banner.text()
    assert "DEMO-0001" in window.windowTitle()
    assert window.tab(0) is not None  # the Doses tab, built for the patient
    assert window.tab(2) is None  # the Ledger tab waits until shown
    window.tabs.setCurrentIndex(2)
    assert window.tab(2) is not None


def test_search_filters_by_name_or_hospital_number(qtbot, window: MainWindow) -> None:
    _add_real_patient(window.operations.store)
    window.refresh_patients()
    model = window.patients
    assert model.rowCount() == 2
    window.search.setText("h00")
    assert model.rowCount() == 1
    assert "H001" in model.index(0).data()
    window.search.setText("zhang")
    assert model.rowCount() == 1
    assert model.index(0).data().startswith("DEMO · ")
    window.show_demo.setChecked(False)
    assert model.rowCount() == 0
    window.search.clear()
    assert model.rowCount() == 1
    window.list.setCurrentIndex(model.index(0))
    assert "Li Na" in window.header.identity.text()
    assert "H001" in window.header.identity.text()
    assert not window.header.banner.isVisibleTo(window)
    assert "<b>penicillin</b>" in window.header.details.text()


def test_keyboard_shortcuts(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitExposed(window)
    window.list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 2
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0


def test_new_patient_needs_allergies_typed_or_ticked(qtbot, window: MainWindow) -> None:
    dialog = PatientDialog(window.operations, None, window)
    qtbot.addWidget(dialog)
    dialog.number.setText("H002")
    dialog.name.setText("Wang Fang")
    dialog.born.setText("1968-02-03")
    dialog.sex.setCurrentText("female")
    dialog.diagnosis.setText("ESCC")
    dialog.accept()
    assert dialog.result() != PatientDialog.DialogCode.Accepted
    assert "allergies" in dialog.error_label.text()
    dialog.no_known.setChecked(True)
    dialog.accept()
    assert dialog.result() == PatientDialog.DialogCode.Accepted
    created = window.operations.store.patient(dialog.result_value)
    assert (created["hospital_number"], created["allergies"], created["demo"]) == ("H002", "no known allergies", False)

    edit = PatientDialog(window.operations, dialog.result_value, window)
    qtbot.addWidget(edit)
    assert edit.number.isReadOnly()
    edit.no_known.setChecked(False)
    edit.allergies.setText("iodine contrast")
    edit.accept()
    assert "reason" in edit.error_label.text()
    edit.reason.setText("allergy reported by the patient")
    edit.accept()
    assert window.operations.store.patient(dialog.result_value)["allergies"] == "iodine contrast"


def test_measurement_dialog_records_a_dated_value(qtbot, window: MainWindow) -> None:
    patient_id = window.demo_patient_id  # type: ignore[attr-defined]
    window.operations.select_patient(patient_id)
    dialog = MeasurementDialog(window.operations, patient_id, window)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("weight")
    dialog.value.setText("60 kg")
    dialog.measured_on.setText("not a date")
    dialog.accept()
    assert "measured-on" in dialog.error_label.text()
    dialog.measured_on.setText(dt.date.today().isoformat())
    dialog.accept()
    assert window.operations.store.latest_measurements(patient_id)["weight"]["value_text"] == "60 kg"
    window.operations.patientChanged.emit(patient_id)
    assert "60 kg" in window.measurements.text()


def test_status_bar_prefixes_errors(qtbot, window: MainWindow) -> None:
    window.operations.message.emit("weight: 6 is not a weight", True)
    assert window.statusBar().currentMessage() == "Error: weight: 6 is not a weight"


# ------------------------------------------------------------------------------------------- settings


def test_settings_dialog_marks_defaults_and_saves_only_changes(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    dialog = SettingsDialog(SiteSettings(), path)
    qtbot.addWidget(dialog)
    assert all(mark.text() == "(default)" for mark in dialog.marks.values())
    dialog.edits["max_deviation"].setText("5")
    dialog.accept()
    assert "max_deviation" in dialog.error_label.text()
    assert not path.exists()
    dialog.edits["max_deviation"].setText("5%")
    dialog.edits["gfr_cap"].setText("100 mL/min")
    dialog.edits["contact_number"].setText("+86 25 1234 5678")
    assert dialog.marks["gfr_cap"].text() == "(changed; default: 125 mL/min)"
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved == {"schema_version": 1, "gfr_cap": "100 mL/min", "contact_number": "+86 25 1234 5678"}
    loaded = load_site_settings(path)
    assert loaded.changed() == ("gfr_cap", "contact_number")
    assert str(loaded.policy().gfr_cap) == "100.0 milliliter / minute"
    assert loaded.clinic().country == "CN"


def test_settings_dialog_is_read_only_on_a_file_this_user_cannot_write(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from PySide6.QtWidgets import QDialogButtonBox

    import ui.settings

    path = tmp_path / "site" / "site.json"  # as an installed PC's site/site.json, owned by the administrator
    path.parent.mkdir()
    path.write_text('{"schema_version": 1, "contact_number": "+86 25 1234 5678"}', encoding="utf-8")
    writes = {str(path)}
    monkeypatch.setattr(ui.settings.os, "access", lambda name, mode: not (mode & os.W_OK and str(name) in writes))
    dialog = SettingsDialog(load_site_settings(path), path)
    qtbot.addWidget(dialog)
    assert dialog.read_only
    assert all(edit.isReadOnly() for edit in dialog.edits.values())
    assert dialog.edits["contact_number"].text() == "+86 25 1234 5678"
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"These are the ward's settings, in {path}. Only an administrator" in labels
    boxes = dialog.findChildren(QDialogButtonBox)
    assert [button.text().replace("&", "") for button in boxes[0].buttons()] == ["Close"]
    writes.clear()  # an administrator may write it
    assert not SettingsDialog(load_site_settings(path), path).read_only
    writes.add(str(tmp_path))  # a missing file in a folder this user cannot write: read-only too
    assert ui.settings.writable(tmp_path / "absent" / "site.json") is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "is not valid JSON"),
        ('{"gfr_cap": "100 mL/min"}', "schema_version"),
        ('{"schema_version": 1, "closures": "12"}', "closures"),
        ('{"schema_version": 1, "database_url": "mysql://x/y"}', "database_url"),
        ('{"schema_version": 1, "contact_number": "call the ward"}', "not a telephone number"),
        ('{"schema_version": 1, "colour": "red"}', "colour"),
    ],
)
def test_a_bad_settings_file_is_refused_naming_the_field(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "site.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DoseCalcError, match=expected):
        load_site_settings(path)


def test_settings_default_when_absent_and_database_url_from_the_site(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("DOSECALC_DATABASE_URL", raising=False)
    assert load_site_settings() == SiteSettings()
    save_site_settings(SiteSettings(database_url="sqlite:///site/dosecalc.sqlite3"))
    from dosecalc.store.db import resolve_url
    from ui.app import _database_url

    # The store resolves the site's URL itself, so the window and the command line reach the same database.
    assert _database_url(None) is None
    assert resolve_url(_database_url(None)) == "sqlite:///site/dosecalc.sqlite3"
    assert resolve_url(_database_url("sqlite:///given")) == "sqlite:///given"
    monkeypatch.setenv("DOSECALC_DATABASE_URL", "sqlite:///from-environment")
    assert resolve_url(None) == "sqlite:///from-environment"  # the environment comes before the site


def test_placeholder_tab_text_names_what_to_do(window: MainWindow) -> None:
    page = window.tabs.widget(1)
    assert page is not None
    placeholder = page.findChild(QLabel, "tabPlaceholder")
    assert placeholder is not None
    assert "Select a patient" in placeholder.text()


def test_without_a_display_the_app_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import sys as _sys

    from ui.app import main as app_main

    monkeypatch.setattr(_sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert app_main([]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("dosecalc-app: no graphical display")
    assert len(err.splitlines()) == 1
