"""The Doses tab's order state and actions: what stops a save, the order status, save, override, verify, print.

Each action goes through :class:`~ui.operations.Operations` (one funnel: the core call, the error shown
in one place, the audit entry). Texts are translated under the "DosesTab" context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog
from sqlalchemy import RowMapping

from dosecalc.cli.regimens import order_payload
from dosecalc.derivation import Flag, Severity
from ui.doses_state import DosesTabState
from ui.errors import field_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.override_dialog import OverrideDialog
from ui.verify_dialog import VerifyDialog, patient_from_record
from ui.widgets import ERROR_STYLE, date_text

__all__ = ["OrderActions", "status_text"]

translate = QCoreApplication.translate
#: Blocks that must be resolved, never overridden: a missing choice, a refused input, a weight the dose needs.
_NOT_OVERRIDABLE = frozenset({"choice.missing", "choice.unknown", "weight_rule.no_weight", "input.refused"})
_STATUSES = {
    "draft": QT_TRANSLATE_NOOP("DosesTab", "draft"),
    "calculated": QT_TRANSLATE_NOOP("DosesTab", "calculated"),
    "verified": QT_TRANSLATE_NOOP("DosesTab", "verified"),
    "printed": QT_TRANSLATE_NOOP("DosesTab", "printed"),
    "superseded": QT_TRANSLATE_NOOP("DosesTab", "superseded"),
}


def status_text(status: str) -> str:
    """An order status in the interface language."""
    return translate("DosesTab", _STATUSES[status]) if status in _STATUSES else status


def _overridable(flag: Flag) -> bool:
    """A refused input or a missing choice is corrected, never overridden."""
    return flag.code not in _NOT_OVERRIDABLE and not flag.code.endswith(".refused")


class OrderActions(DosesTabState):
    """Save measurements, plan and order; override blocks; verify; print; and the state that enables each."""

    def _blocks(self) -> list[Flag]:
        return [f for f in self.results.flag_model.flags_shown() if f.severity is Severity.BLOCK]

    def _unresolved_blocks(self) -> list[Flag]:
        return [f for f in self._blocks() if not _overridable(f) or (f.code, f.message) not in self._reasons]

    def _overridable_blocks(self) -> list[Flag]:
        return [f for f in self._blocks() if _overridable(f)]

    def save_blockers(self) -> list[str]:
        """Why the order cannot be saved now (empty when it can)."""
        reasons = []
        if self._patient is None:
            return [translate("DosesTab", "select a patient")]
        if self.operations.user is None:
            reasons.append(translate("DosesTab", "sign in"))
        if self._order is None:
            reasons.append(translate("DosesTab", "no doses calculated"))
        unresolved = self._unresolved_blocks()
        if len(unresolved) == 1:
            reasons.append(translate("DosesTab", "1 BLOCK to resolve or override"))
        elif unresolved:
            reasons.append(translate("DosesTab", "{count} BLOCKs to resolve or override").format(count=len(unresolved)))
        if any(field.is_edited() for field in self.fields()):
            reasons.append(translate("DosesTab", "save the changed measurements first"))
        elif self._order is not None and self._matching_plan() is None:
            reasons.append(translate("DosesTab", "save the plan first (the selection differs from every saved plan)"))
        latest = self._latest_order()
        if latest is not None and latest["status"] != "superseded" and self._shows(latest):
            reasons.append(
                translate("DosesTab", "this calculation is already saved as order #{id} ({status})").format(
                    id=latest["id"], status=status_text(latest["status"])
                )
            )
        return reasons

    def _shows(self, order: RowMapping) -> bool:
        """Whether the calculation on screen is exactly the saved order's snapshot."""
        return self._payload is not None and self._payload == order["snapshot"]

    def _show_state(self) -> None:
        patient = self._patient is not None
        edited = [f for f in self.fields() if f.is_edited()]
        self.save_measurements_button.setEnabled(
            patient and bool(edited) and all(f.error() is None and f.text() for f in edited)
        )
        blocks_choice = any(f.code.startswith("choice.") for f in self._blocks())
        self.save_plan_button.setEnabled(patient and self._order is not None and not blocks_choice)
        plan, current = self._matching_plan(), self._current_plan()
        if not patient:
            self.plan_label.setText("")
        elif plan is not None:
            self.plan_label.setText(
                translate(
                    "DosesTab", "Saved plan #{id} ({regimen} v{version}, start {start}) matches the selection."
                ).format(
                    id=plan["id"],
                    regimen=plan["regimen_id"],
                    version=plan["regimen_version"],
                    start=date_text(plan["start_date"]),
                )
            )
        elif current is not None:
            self.plan_label.setText(
                translate(
                    "DosesTab",
                    "Not saved: the selection differs from plan #{id} ({regimen} v{version}); "
                    "save it as a new plan to order from it.",
                ).format(id=current["id"], regimen=current["regimen_id"], version=current["regimen_version"])
            )
        else:
            self.plan_label.setText(translate("DosesTab", "No plan saved for this patient yet."))
        if patient and blocks_choice:
            self.plan_label.setText(
                f"{self.plan_label.text()} "
                + translate("DosesTab", "Choose every option this phase uses to save a plan.")
            )
        self.override_button.setEnabled(
            any((f.code, f.message) not in self._reasons for f in self._overridable_blocks())
        )
        blockers = self.save_blockers()
        self.save_order_button.setEnabled(not blockers)
        self.blockers_label.setText(
            translate("DosesTab", "Cannot save the order yet: {reasons}.").format(reasons="; ".join(blockers))
            if blockers
            else ""
        )
        self.blockers_label.setVisible(bool(blockers))
        latest = self._latest_order()
        self.verify_button.setEnabled(latest is not None and latest["status"] == "calculated")
        self.print_button.setEnabled(latest is not None)
        self.results.preparation_panel.set_order_saved(
            latest is not None and latest["status"] != "superseded" and self._shows(latest)
        )
        self.status_label.setText(self._status_text(latest))

    def _status_text(self, latest: RowMapping | None) -> str:
        if self._patient is None:
            return translate("DosesTab", "Order status: —")
        if latest is None:
            return translate("DosesTab", "Order status: draft — calculated on screen, not saved")
        status = latest["status"]
        text = translate("DosesTab", "Order status: {status} — order #{id}, {phase} cycle {cycle}").format(
            status=status_text(status), id=latest["id"], phase=latest["phase"], cycle=latest["cycle"]
        )
        if status == "calculated":
            text += translate("DosesTab", "; awaiting independent verification")
        elif status in ("verified", "printed") and latest["verified_at"] is not None:
            verified = latest["verified_at"]
            text += translate("DosesTab", "; verified {date} {time} UTC").format(
                date=date_text(verified.date()), time=f"{verified:%H:%M}"
            )
        elif status == "superseded":
            text += translate("DosesTab", "; verification void: an input changed, calculate and verify again")
        if status != "superseded" and self._payload is not None and not self._shows(latest):
            text += translate(
                "DosesTab", ". ON SCREEN: a new calculation that is not order #{id} and is not saved"
            ).format(id=latest["id"])
        return text

    def _show_message(self, text: str, error: bool) -> None:
        self.message_label.setText(translate("DosesTab", "⚠ Error: {message}").format(message=text) if error else text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    def save_measurements(self) -> None:
        if self._patient is None or not self.save_measurements_button.isEnabled():
            return
        day = self.measured_on_edit.date().toPython()
        assert isinstance(day, dt.date)
        for field in self.fields():
            if field.is_edited():
                saved = self.operations.run(
                    self.operations.store.add_measurement, self.operations.actor, self._patient["id"], field.field,
                    field.text(), day,
                    success=translate("DosesTab", "{field} {value} recorded, measured {date}").format(
                        field=field_text(field.field), value=field.text(), date=date_text(day)
                    ),
                    changes=self._patient["id"],
                )  # fmt: skip
                if saved is None:
                    return

    def save_plan(self) -> None:
        regimen = self.regimen()
        if self._patient is None or regimen is None or not self.save_plan_button.isEnabled():
            return
        start = self.start_edit.date().toPython()
        assert isinstance(start, dt.date)
        self.operations.run(
            self.operations.store.create_plan, self.operations.actor, self._patient["id"],
            regimen_id=regimen.id, regimen_version=regimen.version, choices=self.choices(),
            policies=self.policies(), start_date=start,
            success=translate("DosesTab", "Plan saved: {regimen} v{version}").format(
                regimen=regimen.id, version=regimen.version
            ),
            changes=self._patient["id"],
        )  # fmt: skip

    def override_blocks(self) -> OverrideDialog | None:
        """Ask a typed reason for each block that may be overridden (window-modal; applied on OK)."""
        flags = self._overridable_blocks()
        if not flags:
            return None
        dialog = OverrideDialog(flags, self._reasons, self)
        dialog.accepted.connect(lambda: self.set_override_reasons(dialog.reasons()))
        self.override_dialog = dialog
        dialog.open()
        return dialog

    def set_override_reasons(self, reasons: Mapping[tuple[str, str], str]) -> None:
        """Record typed reasons for overriding blocks (code, message) → reason; blank ones are dropped."""
        self._reasons.update({key: text.strip() for key, text in reasons.items() if text.strip()})
        self.recompute()

    def save_order(self) -> int | None:
        order, plan = self._order, self._matching_plan()
        if self._patient is None or order is None or plan is None or self.save_blockers():
            reasons = "; ".join(self.save_blockers() or [translate("DosesTab", "no matching plan")])
            self._show_message(translate("DosesTab", "cannot save: {reasons}").format(reasons=reasons), True)
            return None
        inputs: dict[str, Any] = {field.field: field.text() for field in self.fields()}
        inputs["measured_on"] = {
            field.field: day.isoformat() for field in self.fields() if (day := field.measured_on()) is not None
        }
        patient = patient_from_record(self._patient, None, None, None)
        inputs.update(age_years=patient.age_years, sex=self._patient["sex"], dose_level=0)
        overrides = [
            {"code": f.code, "message": f.message, "reason": self._reasons[(f.code, f.message)]} for f in self._blocks()
        ]
        return self.operations.run(
            self.operations.store.save_order, self.operations.actor, plan["id"], order.phase.id, order.cycle,
            inputs, order_payload(order, self._given), overrides,
            success=translate(
                "DosesTab", "Order saved: {regimen}, {phase} cycle {cycle} — awaiting verification"
            ).format(regimen=order.regimen.id, phase=order.phase.id, cycle=order.cycle),
            changes=self._patient["id"],
        )  # fmt: skip

    def print_document(self) -> Any:
        """The worksheet of the newest saved order (:class:`ui.print.Document`), or None (the reason is shown)."""
        from ui.print.preview import worksheet_for  # the printouts load when first used

        if self._latest_order() is None:
            self._show_message(
                translate("DosesTab", "nothing to print: save the order first (a worksheet prints a saved order)"), True
            )
            return None
        return worksheet_for(self.operations)

    def open_print_preview(self) -> QDialog | None:
        from ui.print.preview import open_print_preview

        document = self.print_document()
        self.print_dialog = open_print_preview(self.operations, document, self) if document is not None else None
        return self.print_dialog

    def label_document(self, drug: str, line_order: int | None = None) -> Any:
        """The bag label of one line of the newest saved order (:class:`ui.print.Document`), or None (the reason
        is shown)."""
        from ui.print.preview import label_for  # the printouts load when first used

        if self._latest_order() is None:
            self._show_message(
                translate("DosesTab", "nothing to print: save the order first (a bag label prints a saved order)"),
                True,
            )
            return None
        return label_for(self.operations, drug, line_order)

    def open_label_preview(self, drug: str, line_order: int | None = None) -> QDialog | None:
        """The print preview of a line's bag label, as "Print worksheet…" opens the worksheet's."""
        from ui.print.preview import open_print_preview

        document = self.label_document(drug, line_order)
        self.print_dialog = open_print_preview(self.operations, document, self) if document is not None else None
        return self.print_dialog

    def open_verify_dialog(self) -> VerifyDialog | None:
        latest = self._latest_order()
        if latest is None or latest["status"] != "calculated":
            self._show_message(
                translate("DosesTab", "nothing to verify: no calculated order awaits verification"), True
            )
            return None
        self.verify_dialog = VerifyDialog(self.operations, latest["id"], self)
        self.verify_dialog.open()
        return self.verify_dialog
