"""Plans and orders in the record store: creation, schedule changes, blind verification, prints."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import RowMapping, insert, select

from dosecalc.errors import InputError
from dosecalc.store.audit import Actor, append
from dosecalc.store.db import transaction
from dosecalc.store.records.core import AuthenticationError, StoreCore, _json, _now
from dosecalc.store.schema import (
    orders,
    plans,
)
from dosecalc.store.users import Role, User

__all__ = ["ORDER_STATUSES", "PlanRecords", "content_hash"]


ORDER_STATUSES = ("draft", "calculated", "verified", "printed", "superseded")

#: Blind re-entry by the verifier must give the same doses within this fraction.
VERIFICATION_TOLERANCE = 0.01


def content_hash(value: Any) -> str:
    """SHA-256 of an order's content in canonical JSON: what a signature binds to."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


class PlanRecords(StoreCore):
    """Plans and orders: creation, schedule changes, saved orders, blind verification and prints."""

    # ----------------------------------------------------------------------------------- plans and orders

    def create_plan(
        self,
        by: Actor,
        patient_id: int,
        *,
        regimen_id: str,
        regimen_version: str,
        choices: Mapping[str, str],
        policies: Mapping[str, Any],
        start_date: dt.date,
        phase_starts: Mapping[str, dt.date] | None = None,
    ) -> int:
        self._writable(patient_id)
        self.patient(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "regimen_id": regimen_id, "regimen_version": regimen_version,
                      "choices": dict(choices), "policies": _json(dict(policies)), "start_date": start_date,
                      "phase_starts": _json(dict(phase_starts or {})), "status": "active"}  # fmt: skip
            plan_id = connection.execute(
                insert(plans)
                .returning(plans.c.id)
                .values(**values, created_by=by.user_id, created_at=_now(), row_version=1)
            ).scalar_one()
            append(
                connection,
                by,
                "create",
                "plan",
                plan_id,
                patient_id=patient_id,
                new=_json(values),
                regimen_version=f"{regimen_id} {regimen_version}",
            )
        return int(plan_id)

    def plans_of(self, patient_id: int) -> list[RowMapping]:
        """The patient's plans, newest first."""
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(plans).where(plans.c.patient_id == patient_id).order_by(plans.c.id.desc())
                ).mappings()
            )

    def orders_of(self, patient_id: int) -> list[RowMapping]:
        """The patient's orders, newest first."""
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(orders).where(orders.c.patient_id == patient_id).order_by(orders.c.id.desc())
                ).mappings()
            )

    def update_plan_schedule(
        self,
        by: Actor,
        plan_id: int,
        expected_version: int,
        *,
        phase_starts: Mapping[str, dt.date] | None = None,
        delays: Sequence[Mapping[str, Any]] | None = None,
        reason: str,
    ) -> None:
        """Record an event date (e.g. progression) or a cycle delay on a plan; the calendar is recomputed from it.

        ``delays`` items: ``{"phase": str | None, "cycle": int, "days": int, "reason": str}``.
        """
        if not reason.strip():
            raise InputError("reason", reason, "is required to change a schedule", expected="why it changes")
        plan = self.plan(plan_id)
        self._writable(plan["patient_id"])
        policies = dict(plan["policies"])
        changes: dict[str, Any] = {}
        if delays is not None:
            for delay in delays:
                if not isinstance(delay.get("cycle"), int) or not isinstance(delay.get("days"), int):
                    raise InputError("delay", delay, "needs a cycle and a number of days", expected="whole numbers")
            policies["delays"] = _json(list(delays))
            changes["policies"] = policies
        if phase_starts is not None:
            changes["phase_starts"] = _json({k: v for k, v in phase_starts.items()})
        with transaction(self.engine) as connection:
            self._bump(connection, plans, plan_id, expected_version, changes)
            append(
                connection,
                by,
                "change",
                "plan",
                plan_id,
                patient_id=plan["patient_id"],
                old=_json({k: plan[k] for k in changes}),
                new=_json(changes),
                reason=reason,
                regimen_version=f"{plan['regimen_id']} {plan['regimen_version']}",
            )

    def plan(self, plan_id: int) -> RowMapping:
        with self.engine.connect() as connection:
            row = connection.execute(select(plans).where(plans.c.id == plan_id)).mappings().first()
        if row is None:
            raise InputError("plan", plan_id, "does not exist", expected="a plan id")
        return row

    def save_order(
        self,
        by: Actor,
        plan_id: int,
        phase: str,
        cycle: int,
        inputs: Mapping[str, Any],
        snapshot: Mapping[str, Any],
        overrides: Sequence[Mapping[str, Any]] = (),
    ) -> int:
        """Save a calculated order (its whole derivation as computed); status ``calculated``."""
        plan = self.plan(plan_id)
        self._writable(plan["patient_id"])
        for override in overrides:
            if not str(override.get("reason", "")).strip():
                raise InputError(
                    "reason",
                    None,
                    f"is required to override {override.get('code')}",
                    expected="a typed reason for every override",
                )
        content = _json({"inputs": dict(inputs), "snapshot": dict(snapshot)})
        digest = content_hash(content)
        with transaction(self.engine) as connection:
            order_id = connection.execute(insert(orders).returning(orders.c.id).values(
                plan_id=plan_id, patient_id=plan["patient_id"], phase=phase, cycle=cycle, status="calculated",
                inputs=content["inputs"], snapshot=content["snapshot"], content_hash=digest,
                calculated_by=by.user_id, calculated_at=_now(),
                overrides=_json([{**o, "by": by.username, "at": _now().isoformat()} for o in overrides]),
                row_version=1)).scalar_one()  # fmt: skip
            append(
                connection,
                by,
                "create",
                "order",
                order_id,
                patient_id=plan["patient_id"],
                new={"phase": phase, "cycle": cycle, "content_hash": digest, "overrides": _json(list(overrides))},
                regimen_version=f"{plan['regimen_id']} {plan['regimen_version']}",
            )
        return int(order_id)

    def order(self, order_id: int) -> RowMapping:
        with self.engine.connect() as connection:
            row = connection.execute(select(orders).where(orders.c.id == order_id)).mappings().first()
        if row is None:
            raise InputError("order", order_id, "does not exist", expected="an order id")
        return row

    def verify_order(self, verifier: User, password: str, order_id: int, recomputed: Mapping[str, Any]) -> str:
        """Sign an order as verified: a second person, password again, and a blind recalculation that agrees.

        ``recomputed`` maps each drug to the final dose in mg the verifier's own re-entry produced.
        """
        order = self.order(order_id)
        actor = Actor(verifier.id, verifier.username)
        if order["status"] != "calculated":
            raise InputError(
                "order",
                order_id,
                f"is {order['status']}, not calculated",
                expected="a calculated order (recalculate after any change)",
            )
        self._writable(order["patient_id"])
        refusal = None
        if verifier.id == order["calculated_by"]:
            refusal = "the person who calculated an order cannot verify it"
        elif verifier.role not in (Role.PHARMACIST, Role.PHYSICIAN):
            refusal = f"a {verifier.role.value} cannot verify orders"
        else:
            try:
                self.authenticate(verifier.username, password)
            except AuthenticationError:
                refusal = "the password did not match"
        if refusal is None:
            mismatches = _dose_mismatches(order["snapshot"], recomputed)
            if mismatches:
                refusal = "the independent recalculation differs: " + "; ".join(mismatches)
        if refusal is not None:
            with transaction(self.engine) as connection:
                append(connection, actor, "refuse", "order", order_id, patient_id=order["patient_id"], reason=refusal)
            raise InputError(
                "verify",
                order_id,
                f"refused: {refusal}",
                expected="an independent verifier whose blind re-entry agrees",
                code="verification.refused",
            )
        signed_at = _now()
        signature = content_hash(
            {
                "content": order["content_hash"],
                "by": verifier.username,
                "meaning": "verified calculation",
                "at": signed_at.isoformat(),
            }
        )
        with transaction(self.engine) as connection:
            self._bump(connection, orders, order_id, order["row_version"],
                       {"status": "verified", "verified_by": verifier.id, "verified_at": signed_at,
                        "signature": signature})  # fmt: skip
            append(
                connection,
                actor,
                "sign",
                "order",
                order_id,
                patient_id=order["patient_id"],
                old={"status": "calculated"},
                new={
                    "status": "verified",
                    "meaning": "verified calculation",
                    "signature": signature,
                    "content_hash": order["content_hash"],
                },
            )
        return signature

    def record_print(self, by: Actor, order_id: int, what: str) -> None:
        order = self.order(order_id)
        self._writable(order["patient_id"])
        with transaction(self.engine) as connection:
            if order["status"] == "verified":
                self._bump(connection, orders, order_id, order["row_version"], {"status": "printed"})
            append(
                connection,
                by,
                "print",
                "order",
                order_id,
                patient_id=order["patient_id"],
                new={"document": what, "status_at_print": order["status"]},
            )


def _dose_mismatches(snapshot: Mapping[str, Any], recomputed: Mapping[str, Any]) -> list[str]:
    expected = {line["drug"]: float(line["final"]["value"]) for line in snapshot.get("lines", [])}
    problems = []
    for drug, dose in expected.items():
        other = recomputed.get(drug)
        if other is None:
            problems.append(f"{drug} missing from the recalculation")
        elif abs(float(other) - dose) > VERIFICATION_TOLERANCE * dose:
            problems.append(f"{drug} {float(other):g} mg vs {dose:g} mg")
    problems.extend(f"{drug} is not in the order" for drug in recomputed if drug not in expected)
    return problems
