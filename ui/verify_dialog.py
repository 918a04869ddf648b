"""The second person's independent check: blind re-entry, recalculation by the core, signature with password.

medication-safety G1/G2/I2: the verifier signs in with their own name and password, re-enters height,
weight and creatinine without seeing the first person's values, and the core recalculates the order
from those values and the stored plan. The store compares the two calculations, refuses a mismatch,
the calculating user or a wrong password (each refusal audited), and binds the signature to the
order's content. This module also holds the few conversions from stored records to core inputs that
the doses tab uses too, so both calculations take exactly the same path.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dosecalc.cli.regimens import policy_from
from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError
from dosecalc.order import DosingPolicy
from dosecalc.patient import Height, Patient, SerumCreatinine, Weight, parse_age, parse_sex
from dosecalc.regimen.model import Regimen
from dosecalc.regimen.order import RegimenOrder, compute_regimen_order
from dosecalc.units import MILLIGRAM, magnitude_in
from ui.errors import error_text, field_text
from ui.operations import Operations
from ui.quantity_field import QuantityField
from ui.widgets import ERROR_STYLE, date_text

__all__ = [
    "POLICY_KEYS",
    "VerifyDialog",
    "age_in_years",
    "final_doses_mg",
    "patient_from_record",
    "policy_from_plan",
]

#: The dosing policies a plan pins, by the names the command line and the plan record use.
translate = QCoreApplication.translate
POLICY_KEYS = ("bsa_formula", "renal_method", "weight_basis", "creatinine_floor", "gfr_cap", "max_deviation")


def age_in_years(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years completed on ``on``."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def patient_from_record(record: Any, height: Any, weight: Any, creatinine: Any, on: dt.date | None = None) -> Patient:
    """The core's patient: age and sex from the record (date of birth), measurements as parsed."""
    age = parse_age(age_in_years(record["date_of_birth"], on or dt.date.today()))
    return Patient(age_years=age, sex=parse_sex(record["sex"]), height=height, weight=weight, creatinine=creatinine)


def policy_from_plan(policies: Mapping[str, Any]) -> tuple[DosingPolicy, list[tuple[str, str]]]:
    """The dosing policy a plan pins (site defaults for what it leaves out), parsed by the core.

    Returns the policy and which of its values came from the plan rather than the site defaults.
    """
    values = {key: (str(policies[key]) if policies.get(key) is not None else None) for key in POLICY_KEYS}
    policy, given = policy_from(argparse.Namespace(**values))
    return policy, [(name, "plan") for name, _ in given]


def final_doses_mg(order: RegimenOrder) -> dict[str, float]:
    """Each drug's final dose in mg, as the store compares a blind recalculation."""
    return {line.drug.id: magnitude_in(line.result.final, MILLIGRAM) for line in order.lines}


class VerifyDialog(QDialog):
    """Blind re-entry by a second user and signature; refusals stay in the dialog, success closes it."""

    def __init__(self, operations: Operations, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.order_id = order_id
        self.signature: str | None = None
        self._refusals: list[str] = []
        store = operations.store
        self._order_row = store.order(order_id)
        self._plan = store.plan(self._order_row["plan_id"])
        self._patient = store.patient(self._order_row["patient_id"])
        self._regimen: Regimen | None = None
        with contextlib.suppress(KeyError):  # shown below: a plan pinned to a version this library lacks
            self._regimen = operations.library.regimen(self._plan["regimen_id"], self._plan["regimen_version"])

        self.setWindowTitle(translate("VerifyDialog", "Verify order #{id}").format(id=order_id))
        self.setModal(True)
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)

        summary = QLabel(self._summary_text())
        summary.setTextFormat(Qt.TextFormat.RichText)  # escaped in _summary_text
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(summary)

        who = QGroupBox(translate("VerifyDialog", "Verifier (the second person: sign in with your own name)"))
        form = QFormLayout(who)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("verifierUsername")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("verifierPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(translate("VerifyDialog", "&User name"), self.username_edit)
        form.addRow(translate("VerifyDialog", "&Password"), self.password_edit)
        layout.addWidget(who)

        blind = QGroupBox(
            translate(
                "VerifyDialog", "Blind re-entry: type the values from the source record (the first entry is not shown)"
            )
        )
        blind_layout = QVBoxLayout(blind)
        # Deliberately blank: never pre-filled with the first person's values (medication-safety G2).
        self.height_field = QuantityField(
            translate("VerifyDialog", "&Height"), Height.parse, "height",
            placeholder=translate("VerifyDialog", "e.g. 170 cm or 1.7 m"),
        )  # fmt: skip
        self.weight_field = QuantityField(
            translate("VerifyDialog", "&Weight"),
            Weight.parse,
            "weight",
            placeholder=translate("VerifyDialog", "e.g. 65 kg"),
        )
        self.creatinine_field = QuantityField(
            translate("VerifyDialog", "C&reatinine"), SerumCreatinine.parse, "creatinine",
            placeholder=translate("VerifyDialog", "e.g. 80 µmol/L or 0.9 mg/dL"),
        )  # fmt: skip
        for field in self.fields():
            field.date_label.hide()
            blind_layout.addWidget(field)
        layout.addWidget(blind)

        self.result_label = QLabel()
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.result_label.setObjectName("verifyResult")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        self.refusal_label = QLabel()
        self.refusal_label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.refusal_label.setObjectName("verifyRefusal")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet(ERROR_STYLE)
        self.refusal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal_label.hide()
        layout.addWidget(self.refusal_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(
            translate("VerifyDialog", "Recalculate and &sign"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.sign_button.setDefault(True)
        self.sign_button.setEnabled(self._regimen is not None)
        self.sign_button.clicked.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for first, second in zip(
            [self.username_edit, self.password_edit, *(f.edit for f in self.fields())],
            [self.password_edit, *(f.edit for f in self.fields()), self.sign_button],
            strict=True,
        ):
            QWidget.setTabOrder(first, second)
        self.username_edit.setFocus()
        if self._regimen is None:
            self._refuse(
                translate(
                    "VerifyDialog",
                    "regimen {regimen} v{version} is not in the regimen library; "
                    "this order cannot be recalculated here",
                ).format(regimen=self._plan["regimen_id"], version=self._plan["regimen_version"])
            )

    def fields(self) -> tuple[QuantityField, QuantityField, QuantityField]:
        return self.height_field, self.weight_field, self.creatinine_field

    def _summary_text(self) -> str:
        patient, plan, order = self._patient, self._plan, self._order_row
        choices = ", ".join(f"{group} = {option}" for group, option in dict(plan["choices"]).items()) or translate(
            "VerifyDialog", "none"
        )
        policies = {k: v for k, v in dict(plan["policies"]).items() if k in POLICY_KEYS}
        policy_text = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in policies.items()) or translate(
            "VerifyDialog", "the site defaults"
        )
        from ui.patient_panel import sex_text

        lines = [
            translate("VerifyDialog", "{number} · born {born} · {sex}").format(
                number=patient["hospital_number"],
                born=date_text(patient["date_of_birth"]),
                sex=sex_text(patient["sex"]),
            ),
            translate("VerifyDialog", "Order #{id}: {regimen} v{version}, phase {phase}, cycle {cycle}").format(
                id=order["id"],
                regimen=plan["regimen_id"],
                version=plan["regimen_version"],
                phase=order["phase"],
                cycle=order["cycle"],
            ),
            translate("VerifyDialog", "Choices: {choices}").format(choices=choices),
            translate("VerifyDialog", "Policies: {policies}").format(policies=policy_text),
        ]
        return f"<b>{html.escape(patient['full_name'])}</b> · " + "<br>".join(html.escape(line) for line in lines)

    # ------------------------------------------------------------------------------------- actions

    def recompute(self) -> RegimenOrder:
        """The order recalculated by the core from the blind values and the stored plan."""
        if self._regimen is None:
            raise DoseCalcError("regimen", self._plan["regimen_id"], "is not in the regimen library")
        patient = patient_from_record(
            self._patient, self.height_field.value(), self.weight_field.value(), self.creatinine_field.value()
        )
        policy, _ = policy_from_plan(self._plan["policies"])
        return compute_regimen_order(
            self._regimen,
            self.operations.library.catalogue,
            patient,
            self._order_row["phase"],
            self._order_row["cycle"],
            dict(self._plan["choices"]),
            policy,
        )

    def sign(self) -> bool:
        """Recalculate and ask the store to sign; a refusal is shown here and the dialog stays open."""
        self._refuse(None)
        invalid = [field.field for field in self.fields() if field.error() is not None]
        if invalid:
            self._refuse(
                translate("VerifyDialog", "correct the {fields} marked above first").format(
                    fields=", ".join(field_text(f) for f in invalid)
                )
            )
            return False
        try:
            order = self.recompute()
        except DoseCalcError as error:
            self._refuse(error_text(error))
            return False
        doses = ", ".join(f"{line.drug.display} {format_quantity(line.result.final, 1)}" for line in order.lines)
        self.result_label.setText(
            translate("VerifyDialog", "Your recalculation: {doses}").format(
                doses=doses or translate("VerifyDialog", "no dose lines")
            )
        )
        self._refusals = []
        self.operations.message.connect(self._on_message)
        try:
            signature = self.operations.run(
                self._verify,
                self.username_edit.text().strip(),
                self.password_edit.text(),
                final_doses_mg(order),
                success=translate("VerifyDialog", "Order #{id} verified by {user}").format(
                    id=self.order_id, user=self.username_edit.text().strip()
                ),
                changes=self._order_row["patient_id"],
            )
        finally:
            self.operations.message.disconnect(self._on_message)
        if signature is None:
            self.password_edit.clear()
            self._refuse(
                self._refusals[-1] if self._refusals else translate("VerifyDialog", "verification was refused")
            )
            return False
        self.signature = signature
        self.accept()
        return True

    def _verify(self, username: str, password: str, recomputed: Mapping[str, float]) -> str:
        verifier = self.operations.store.authenticate(username, password)
        return self.operations.store.verify_order(verifier, password, self.order_id, recomputed)

    def _on_message(self, text: str, error: bool) -> None:
        if error:
            self._refusals.append(text)

    def _refuse(self, text: str | None) -> None:
        if text is None:
            self.refusal_label.clear()
            self.refusal_label.hide()
        else:
            self.refusal_label.setText(translate("VerifyDialog", "⚠ Not signed: {reason}").format(reason=text))
            self.refusal_label.show()
