"""The doses tab end to end: measurements → NCT07016737 with docetaxel → doses, blocks, save, blind verification.

Expected doses are worked by hand here (Mosteller, Med J Aust/NEJM 1987: BSA = √(height × weight / 3600);
the regimen file's 75 mg/m² docetaxel and 200 mg sintilimab; the catalogue's 10 mg docetaxel step, within
5 %). Timings are printed for information only (conventions §13: never asserted).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from dosecalc.derivation import Severity
from dosecalc.regimen.loader import load_library
from dosecalc.store.audit import SYSTEM, Actor
from dosecalc.store.records import Store, open_store
from dosecalc.store.users import User
from ui.doses_tab import DosesTab
from ui.models import DoseTableModel
from ui.operations import Operations
from ui.quantity_field import QuantityField

MEASURED_ON = dt.date.today() - dt.timedelta(days=1)


@dataclass
class Workstation:
    store: Store
    first: User
    second: User
    patient_id: int
    operations: Operations
    tab: DosesTab


@pytest.fixture
def workstation(tmp_path: Path, qtbot: QtBot) -> Iterator[Workstation]:
    store = open_store(f"sqlite:///{tmp_path}/s.sqlite3")
    first = store.add_user(SYSTEM, "li", "Li Na", "pharmacist", "li-password")
    second = store.add_user(SYSTEM, "wang", "Wang Fang", "pharmacist", "wang-password")
    actor = Actor(first.id, first.username)
    patient_id = store.add_patient(
        actor,
        hospital_number="H001",
        full_name="Zhang Wei",
        date_of_birth=dt.date(1962, 3, 4),
        sex="male",
        allergies="no known allergies",
        diagnosis="oesophageal squamous cell carcinoma, in-field recurrence",
    )
    for kind, text in (("height", "168 cm"), ("weight", "61 kg"), ("creatinine", "78 µmol/L")):
        store.add_measurement(actor, patient_id, kind, text, MEASURED_ON)
    operations = Operations(store, load_library(), first)
    tab = DosesTab(operations)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    operations.select_patient(patient_id)
    yield Workstation(store, first, second, patient_id, operations, tab)
    tab.close()
    store.engine.dispose()


def retype(qtbot: QtBot, field: QuantityField, text: str) -> None:
    field.edit.selectAll()
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(field.edit, text)


def table_rows(tab: DosesTab) -> dict[str, list[str]]:
    model = tab.dose_model
    return {
        str(model.data(model.index(row, 0))).split(" (")[0]: [
            str(model.data(model.index(row, column))) for column in range(model.columnCount())
        ]
        for row in range(model.rowCount())
    }


def flag_texts(tab: DosesTab) -> list[str]:
    model = tab.flag_model
    return [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]


def choose_nct07016737_with_docetaxel(qtbot: QtBot, tab: DosesTab) -> None:
    qtbot.keyClicks(tab.search_edit, "NCT07016737")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)  # Enter takes the first match: an explicit choice
    regimen = tab.regimen()
    assert regimen is not None
    assert regimen.id == "escc-nct07016737"
    tab.select_phase("induction")
    # Each choice group starts at "— choose —": nothing is chosen silently, and the missing choice blocks.
    assert tab.choice_combo("pd1").currentText() == "— choose —"
    assert any(text.startswith("BLOCK: no choice made for PD-1 antibody") for text in flag_texts(tab))
    assert not tab.save_order_button.isEnabled()
    tab.choice_combo("pd1").setCurrentIndex(tab.choice_combo("pd1").findData("sintilimab"))
    assert any(text.startswith("BLOCK: no choice made for Single-agent chemotherapy") for text in flag_texts(tab))
    assert not tab.save_order_button.isEnabled()
    tab.choice_combo("chemo").setCurrentIndex(tab.choice_combo("chemo").findData("docetaxel"))


def test_nct07016737_docetaxel_doses_blocks_and_blind_verification(workstation: Workstation, qtbot: QtBot) -> None:
    tab, store = workstation.tab, workstation.store
    # Prefilled from the store, with their dates; age and sex from the record.
    assert tab.weight_field.text() == "61 kg"
    assert tab.weight_field.date_label.text() == f"measured {MEASURED_ON:%d %b %Y}"
    assert "H001" in tab.identity_label.text()
    assert "male" in tab.identity_label.text()

    for field, text in ((tab.height_field, "1.68 m"), (tab.height_field, "168 cm"), (tab.weight_field, "61 kg")):
        retype(qtbot, field, text)
    assert tab.height_field.parsed_label.text() == "= 168 cm"
    choose_nct07016737_with_docetaxel(qtbot, tab)

    # Worked by hand: BSA = √(168 × 61 / 3600) = 1.68721 m²; 75 mg/m² × BSA = 126.54 mg; DOCEtaxel rounds
    # to the nearest 10 mg when within 5 %: 130 mg, (130 − 126.54) / 126.54 = +2.73 %.
    bsa = math.sqrt(168 * 61 / 3600)
    calculated = 75 * bsa
    assert round(bsa, 5) == 1.68721
    assert abs(130 - calculated) / calculated <= 0.05
    rows = table_rows(tab)
    assert list(rows) == ["sintilimab", "DOCEtaxel"]
    assert rows["sintilimab"][DoseTableModel.BASIS] == "200 mg"
    assert rows["sintilimab"][DoseTableModel.DOSE] == "200 mg"
    docetaxel = rows["DOCEtaxel"]
    assert docetaxel[DoseTableModel.BASIS] == "75 mg/m²"
    assert docetaxel[DoseTableModel.CALCULATED] == f"{calculated:.2f} mg" == "126.54 mg"
    assert docetaxel[DoseTableModel.DOSE] == "130 mg"
    assert docetaxel[DoseTableModel.DIFFERENCE] == f"+{(130 - calculated) / calculated * 100:.2f} %" == "+2.73 %"
    assert docetaxel[DoseTableModel.ROUTE] == "intravenous over 1 h"
    assert docetaxel[DoseTableModel.DAYS] == "1"
    # The derivation pane shows the selected line's derivation, as the core wrote it.
    tab.table.setCurrentIndex(tab.dose_model.index(1, 0))
    derivation = tab.derivation_view.toPlainText()
    assert "Calculated dose = dose basis × BSA = 75 mg/m² × 1.6872 m² = 126.54 mg" in derivation
    assert f"weight: 61 kg (measured {MEASURED_ON:%d %b %Y})" in derivation

    # Information only: keystroke → updated dose table.
    started = time.perf_counter()
    qtbot.keyClick(tab.weight_field.edit, Qt.Key.Key_Backspace)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"\nkeystroke → dose table: {elapsed:.2f} ms (recalculation {tab.last_recompute_ms:.2f} ms)")
    assert tab.weight_field.error() is not None  # "61 k" has no known unit
    qtbot.keyClicks(tab.weight_field.edit, "g")

    # An implausible creatinine: the core's message at the field, a BLOCK, and no saving.
    retype(qtbot, tab.creatinine_field, "80 mg/dL")
    error_text = tab.creatinine_field.error_label.text()
    assert tab.creatinine_field.error_label.isVisible()
    assert error_text.startswith("⚠ Error: creatinine: 80 mg/dL is implausible; did you mean 80 µmol/L?")
    assert any(text.startswith("BLOCK: creatinine: 80 mg/dL is implausible") for text in flag_texts(tab))
    assert not tab.save_order_button.isEnabled()
    assert not tab.override_button.isEnabled()  # a refused input is corrected, never overridden
    retype(qtbot, tab.creatinine_field, "78 µmol/L")
    assert tab.creatinine_field.error() is None
    assert not any(text.startswith("BLOCK") for text in flag_texts(tab))

    # Orders are saved against a saved plan pinned to the regimen version.
    assert not tab.save_order_button.isEnabled()
    assert "save the plan first" in tab.blockers_label.text()
    qtbot.mouseClick(tab.save_plan_button, Qt.MouseButton.LeftButton)
    plan = store.plans_of(workstation.patient_id)[0]
    assert (plan["regimen_id"], plan["regimen_version"]) == ("escc-nct07016737", "1.0.0")
    assert dict(plan["choices"]) == {"pd1": "sintilimab", "chemo": "docetaxel"}
    assert tab.save_order_button.isEnabled()
    assert tab.status_label.text().startswith("Order status: draft")
    qtbot.mouseClick(tab.save_order_button, Qt.MouseButton.LeftButton)
    order = store.orders_of(workstation.patient_id)[0]
    assert order["status"] == "calculated"
    assert order["inputs"]["weight"] == "61 kg"
    assert [line["final"]["value"] for line in order["snapshot"]["lines"]] == [200, 130]
    assert tab.status_label.text().startswith("Order status: calculated")
    assert not tab.save_order_button.isEnabled()  # the same calculation is not saved twice
    assert "already saved as order" in tab.blockers_label.text()

    # The verifier re-enters blind: the fields start empty, never showing the first person's values.
    assert tab.verify_button.isEnabled()
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    dialog = tab.verify_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert [field.text() for field in dialog.fields()] == ["", "", ""]

    def sign(username: str, password: str, height: str, weight: str, creatinine: str) -> bool:
        for edit, text in ((dialog.username_edit, username), (dialog.password_edit, password)):
            edit.clear()
            qtbot.keyClicks(edit, text)
        for field, value in zip(dialog.fields(), (height, weight, creatinine), strict=True):
            retype(qtbot, field, value)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        return dialog.signature is not None

    # The person who calculated cannot verify; the refusal is shown in the dialog, which stays open.
    assert not sign("li", "li-password", "168 cm", "61 kg", "78 µmol/L")
    assert dialog.isVisible()
    assert "the person who calculated an order cannot verify it" in dialog.refusal_label.text()
    assert dialog.refusal_label.text().startswith("⚠ Not signed:")
    # A one-digit slip in the blind weight (71 for 61 kg) changes the DOCEtaxel dose: sign-off is refused.
    assert not sign("wang", "wang-password", "168 cm", "71 kg", "78 µmol/L")
    assert dialog.isVisible()
    assert "the independent recalculation differs: docetaxel 140 mg vs 130 mg" in dialog.refusal_label.text()
    assert store.order(order["id"])["status"] == "calculated"
    # The second pharmacist's matching re-entry signs; the dialog closes and the status says verified.
    assert sign("wang", "wang-password", "1.68 m", "61 kg", "78 µmol/L")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert store.order(order["id"])["status"] == "verified"
    assert tab.status_label.text().startswith("Order status: verified")
    assert not tab.verify_button.isEnabled()

    # Typing a new weight shows at once that the screen is not the verified order; recording it voids it.
    retype(qtbot, tab.weight_field, "63 kg")
    assert "ON SCREEN: a new calculation that is not order" in tab.status_label.text()
    assert tab.weight_field.date_label.text() == "new value — not saved"
    assert "save the changed measurements first" in tab.blockers_label.text()
    qtbot.mouseClick(tab.save_measurements_button, Qt.MouseButton.LeftButton)
    assert store.order(order["id"])["status"] == "superseded"
    assert tab.status_label.text().startswith("Order status: superseded")
    assert "verification void" in tab.status_label.text()
    assert tab.weight_field.date_label.text() == f"measured {dt.date.today():%d %b %Y}"

    # Selecting the patient again shows their saved plan; no patient shows nothing.
    workstation.operations.select_patient(None)
    assert tab.regimen() is None
    assert [field.text() for field in tab.fields()] == ["", "", ""]
    workstation.operations.select_patient(workstation.patient_id)
    regimen = tab.regimen()
    assert regimen is not None
    assert regimen.id == "escc-nct07016737"
    assert tab.choices() == {"pd1": "sintilimab", "chemo": "docetaxel"}
    assert tab.weight_field.text() == "63 kg"


def test_regimen_search_finds_by_trial_drug_and_chinese_name(workstation: Workstation, qtbot: QtBot) -> None:
    tab = workstation.tab

    def matches() -> list[str]:
        return [str(tab.regimen_combo.itemData(i)) for i in range(1, tab.regimen_combo.count())]

    total = len(matches())
    for text in ("NCT07016737", "nct07016737", "多西他赛", "DOCEtaxel", "信迪利单抗"):
        tab.search_edit.clear()
        if text.isascii():
            qtbot.keyClicks(tab.search_edit, text)
        else:  # Chinese arrives from an input method as committed text, not as key presses
            tab.search_edit.insert(text)
        assert "escc-nct07016737" in matches(), text
        assert len(matches()) < total, text
    tab.search_edit.clear()
    qtbot.keyClicks(tab.search_edit, "no such regimen")
    assert matches() == []
    assert tab.regimen() is None  # a search never chooses for the user


def test_a_block_is_overridden_only_with_a_typed_reason(workstation: Workstation, qtbot: QtBot) -> None:
    tab, store = workstation.tab, workstation.store
    qtbot.keyClicks(tab.search_edit, "NCT07016737")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    tab.select_phase("induction")
    tab.choice_combo("pd1").setCurrentIndex(tab.choice_combo("pd1").findData("sintilimab"))
    tab.choice_combo("chemo").setCurrentIndex(tab.choice_combo("chemo").findData("irinotecan"))
    # The catalogue has no dose limit for irinotecan: the core fails closed with a BLOCK (medication-safety D4).
    texts = flag_texts(tab)
    assert texts[0] == (
        "BLOCK: irinotecan: no dose limit configured; verification is blocked until a pharmacist acknowledges it"
    )
    severities = [flag.severity for flag in tab.flag_model.flags_shown()]
    order = [Severity.BLOCK, Severity.WARNING, Severity.INFO]
    assert severities == sorted(severities, key=order.index)  # blocks first
    qtbot.mouseClick(tab.save_plan_button, Qt.MouseButton.LeftButton)
    assert not tab.save_order_button.isEnabled()
    assert "1 BLOCK to resolve or override" in tab.blockers_label.text()

    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    dialog = tab.override_dialog
    assert dialog is not None
    (edit,) = dialog.edits.values()
    dialog.accept()  # no reason typed: nothing is overridden
    assert not tab.save_order_button.isEnabled()
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    dialog = tab.override_dialog
    assert dialog is not None
    (edit,) = dialog.edits.values()
    qtbot.keyClicks(edit, "limit reviewed with the consultant")
    dialog.accept()
    assert flag_texts(tab)[0].startswith("BLOCK (overridden, reason: limit reviewed with the consultant): irinotecan")
    assert tab.save_order_button.isEnabled()
    qtbot.mouseClick(tab.save_order_button, Qt.MouseButton.LeftButton)
    saved = store.orders_of(workstation.patient_id)[0]
    assert [(o["code"], o["reason"], o["by"]) for o in saved["overrides"]] == [
        ("drug.no_limit_configured", "limit reviewed with the consultant", "li")
    ]


def test_keyboard_shortcuts_and_tab_order(workstation: Workstation, qtbot: QtBot) -> None:
    tab = workstation.tab
    tab.activateWindow()
    qtbot.waitActive(tab)
    tab.height_field.edit.setFocus()
    qtbot.keyClick(tab.height_field.edit, Qt.Key.Key_Tab)
    assert tab.weight_field.edit.hasFocus()
    qtbot.keyClick(tab.weight_field.edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search_edit.hasFocus()
    choose_nct07016737_with_docetaxel(qtbot, tab)
    qtbot.mouseClick(tab.save_plan_button, Qt.MouseButton.LeftButton)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert workstation.store.orders_of(workstation.patient_id)[0]["status"] == "calculated"
    qtbot.keyClick(tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tab.verify_dialog is not None
    assert tab.verify_dialog.isVisible()
    assert tab.verify_dialog.focusWidget() is tab.verify_dialog.username_edit  # the verifier starts with their name


def test_a_plan_from_the_command_line_shows_its_policies_as_the_core_reads_them(
    workstation: Workstation, qtbot: QtBot
) -> None:
    store, tab = workstation.store, workstation.tab
    # The command line keeps policy values as typed; the tab must show them, never fall back to a default.
    store.create_plan(
        Actor(workstation.first.id, workstation.first.username), workstation.patient_id,
        regimen_id="escc-nct07016737", regimen_version="1.0.0", choices={"pd1": "sintilimab", "chemo": "docetaxel"},
        policies={"bsa_formula": "DuBois", "gfr_cap": "100 mL/min"}, start_date=dt.date.today(),
    )  # fmt: skip
    workstation.operations.select_patient(workstation.patient_id)
    assert tab.policy_summary.text().startswith("2 changed from the site defaults")
    assert "BSA formula: DuBois & DuBois 1916 (CHANGED)" in tab.policy_summary.text()
    assert "GFR cap: 100 mL/min (from the plan) (CHANGED)" in tab.policy_summary.text()
    assert tab.plan_label.text().startswith("Saved plan #1")
    tab.table.setCurrentIndex(tab.dose_model.index(1, 0))
    assert "BSA (DuBois & DuBois 1916)" in tab.derivation_view.toPlainText()
