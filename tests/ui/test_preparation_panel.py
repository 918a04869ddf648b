"""The preparation panel of the Doses tab: the selected dose line's vials, volume, bag, concentration
(in words and with an icon), rate and the unconfirmed marks.

Hand-worked for the NCT07016737 docetaxel line (168 cm, 61 kg): DOSE 130 mg (see test_doses_tab). Vials of
20/80/160 mg at 20 mg/mL: one 160 mg vial would leave 30 mg, more than a 20 mg vial, so 80 + 3 × 20 mg
(140 mg, 10 mg left); 130 ÷ 20 = 6.5 mL. Bags: 50 mL → 2.30, 100 mL → 1.22 mg/mL (above 0.74); 250 mL →
130 ÷ 256.5 = 0.507 mg/mL, in 0.3–0.74. Over the line's 1 h: 256.5 mL/h.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dosecalc.store.records import Store
from dosecalc.store.schema import audit_log
from tests.ui.test_doses_tab import Workstation, choose_nct07016737_with_docetaxel, retype, table_rows, workstation
from ui.doses_tab import DosesTab

__all__ = ["workstation"]  # the fixture, imported for its use here


def _select(tab: DosesTab, drug: str) -> None:
    row = list(table_rows(tab)).index(drug)
    tab.table.setCurrentIndex(tab.dose_model.index(row, 0))


def test_the_panel_shows_the_selected_line(workstation: Workstation, qtbot: QtBot) -> None:
    tab = workstation.tab
    choose_nct07016737_with_docetaxel(qtbot, tab)
    _select(tab, "DOCEtaxel")
    panel = tab.preparation_panel
    values = {key: text for key, text in panel.values.items()}
    assert values["vials"].startswith("1 × 80 mg/4 mL vial + 3 × 20 mg/1 mL vial (waste 10 mg")
    assert values["draw"].startswith("6.5 mL")
    assert values["diluent"] == "250 mL sodium chloride 0.9 % (total 256.5 mL)"
    assert values["concentration"] == "✔ 0.507 mg/mL — in range (0.3 mg/mL–0.74 mg/mL)"
    assert panel.range_label.text() == values["concentration"]
    assert not panel.range_icon.pixmap().isNull()  # the state is an icon as well as words
    assert values["rate"].startswith("256.5 mL/h over 1 h")
    assert "for intravenous use only" in values["requirements"]
    assert panel.unconfirmed.startswith("UNCONFIRMED against the product label:")
    shot = os.environ.get("DOSECALC_SCREENSHOT_DIR")
    if shot:  # for looking at it, never compared
        tab.grab().save(str(Path(shot) / "preparation-panel.png"))


def test_the_panel_follows_the_selection_and_says_when_nothing_is_selected(
    workstation: Workstation, qtbot: QtBot
) -> None:
    tab = workstation.tab
    panel = tab.preparation_panel
    panel.show_line(None)
    assert panel.values["container"] == "Select a dose line to see how it is prepared."
    choose_nct07016737_with_docetaxel(qtbot, tab)
    _select(tab, "sintilimab")
    assert panel.values["vials"].startswith("2 × 100 mg/10 mL vial")
    assert "NOT CHECKED" in panel.values["concentration"]  # no stable range in the catalogue
    assert "BLOCK" in panel.values["flags"]


def _prints(store: Store) -> list[Any]:
    with store.engine.connect() as connection:
        return list(connection.execute(select(audit_log).where(audit_log.c.action == "print")).mappings())


def test_print_bag_label_opens_the_preview_of_the_saved_lines_label_and_records_the_print(
    workstation: Workstation, qtbot: QtBot
) -> None:
    tab, store = workstation.tab, workstation.store
    panel = tab.preparation_panel
    button = panel.label_button
    assert button.text() == "Print &bag label…"
    choose_nct07016737_with_docetaxel(qtbot, tab)
    _select(tab, "DOCEtaxel")
    # Calculated on screen only: a label prints the saved order's dose, so it waits for the save.
    assert not button.isEnabled()
    assert button.toolTip().startswith("No bag label yet: save the order first")
    qtbot.mouseClick(tab.save_plan_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.save_order_button, Qt.MouseButton.LeftButton)
    assert store.orders_of(workstation.patient_id)[0]["status"] == "calculated"
    assert button.isEnabled()
    assert button.toolTip() == "Print preview of this line's bag label"
    # Sintilimab has no stable range in the catalogue: its preparation is blocked, and it gets no label.
    _select(tab, "sintilimab")
    assert "BLOCK" in panel.values["flags"]
    assert not button.isEnabled()
    assert button.toolTip().startswith("No bag label: a blocked preparation gets no label (")

    _select(tab, "DOCEtaxel")
    messages: list[tuple[str, bool]] = []
    workstation.operations.message.connect(lambda text, error: messages.append((text, error)))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog: Any = tab.print_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Print preview — Bag label: DOCEtaxel 130 mg"
    assert _prints(store) == []  # a preview is not a print
    shot = os.environ.get("DOSECALC_SCREENSHOT_DIR")
    if shot:  # for looking at them, never compared
        tab.grab().save(str(Path(shot) / "preparation-label-button.png"))
        dialog.grab().save(str(Path(shot) / "preparation-label-preview.png"))
    dialog.accept()  # what the preview's Print does once the printer took the pages
    entry = _prints(store)[-1]
    assert entry["new_value"]["document"] == "label"
    assert entry["new_value"]["drug"] == "docetaxel"
    assert entry["new_value"]["target"] == "printer"
    assert messages[-1] == ("Printed the bag label: 1 page(s) (printer)", False)

    # A changed input: the screen is no longer the saved order, so no label until it is saved again.
    retype(qtbot, tab.weight_field, "62 kg")
    _select(tab, "DOCEtaxel")
    assert not button.isEnabled()
    assert button.toolTip().startswith("No bag label yet: save the order first")
