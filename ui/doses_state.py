"""What the Doses tab's parts share: its state and the methods they call on one another, for the type checker.

:class:`~ui.doses_tab.DosesTab` is built from parts (:class:`~ui.doses_plan.PlanSection`,
:class:`~ui.doses_actions.OrderActions`) that read and set the same state; this base declares it once.
At run time it is empty: the tab sets every attribute and defines every method named here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["DosesTabState"]

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QLabel, QPushButton, QWidget
    from sqlalchemy import RowMapping

    from dosecalc.regimen.model import Regimen
    from dosecalc.regimen.order import RegimenOrder
    from ui.doses_results import ResultsView
    from ui.operations import Operations
    from ui.override_dialog import OverrideDialog
    from ui.quantity_field import QuantityField
    from ui.verify_dialog import VerifyDialog

    _Widget = QWidget  # the parts are parts of a widget (a dialog's parent, its tab order)
else:
    _Widget = object


class DosesTabState(_Widget):
    """The Doses tab's state (declarations only)."""

    if TYPE_CHECKING:
        operations: Operations
        _patient: RowMapping | None
        _plans: list[RowMapping]  # the patient's plans and orders as last read from the store, newest first
        _orders: list[RowMapping]
        _order: RegimenOrder | None
        _payload: dict[str, Any] | None
        _given: list[tuple[str, str]]
        _reasons: dict[tuple[str, str], str]
        _loading: bool
        _choice_combos: dict[str, QComboBox]
        verify_dialog: VerifyDialog | None
        print_dialog: QDialog | None
        override_dialog: OverrideDialog | None
        results: ResultsView
        measured_on_edit: QDateEdit
        save_measurements_button: QPushButton
        start_edit: QDateEdit
        save_plan_button: QPushButton
        plan_label: QLabel
        phase_combo: QComboBox
        status_label: QLabel
        message_label: QLabel
        blockers_label: QLabel
        override_button: QPushButton
        save_order_button: QPushButton
        verify_button: QPushButton
        print_button: QPushButton

        def recompute(self) -> None: ...
        def fields(self) -> tuple[QuantityField, QuantityField, QuantityField]: ...
        def policies(self) -> dict[str, str]: ...
        def regimen(self) -> Regimen | None: ...
        def choices(self) -> dict[str, str]: ...
        def _set_tab_order(self) -> None: ...
        def _latest_order(self) -> RowMapping | None: ...
        def _current_plan(self) -> RowMapping | None: ...
        def _matching_plan(self) -> RowMapping | None: ...
        def _show_message(self, text: str, error: bool) -> None: ...
