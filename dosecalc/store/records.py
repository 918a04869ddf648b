"""The record store's operations: one funnel for every write, each one transaction with its audit entry.

Nothing here prints or asks; callers (the CLI, the workstation) pass the signed-in user. Every write:

- validates its input with the core parsers (errors name the field);
- refuses to touch a patient whose audit entries are broken (read-only until investigated);
- updates rows only at the ``row_version`` it read, so a change made meanwhile on another workstation is
  reported as a conflict instead of being overwritten;
- appends the audit entry in the same transaction, so the record and its trail are saved together or
  not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, and_, func, insert, or_, select, update

from dosecalc.dosing import parse_dose_basis
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.labs import LAB_KINDS, parse_lab
from dosecalc.patient import Height, MeasurementSource, SerumCreatinine, Weight, parse_sex
from dosecalc.radiotherapy import parse_course
from dosecalc.store.audit import SYSTEM, Actor, ChainCheck, append, verify_chain
from dosecalc.store.db import StoreError, make_engine, migrate, resolve_url, transaction
from dosecalc.store.schema import (
    administrations,
    adverse_events,
    audit_log,
    measurements,
    orders,
    patients,
    plans,
    prior_chemotherapy,
    prior_radiotherapy,
    users,
)
from dosecalc.store.users import MIN_PASSWORD_LENGTH, Role, User, check_password, hash_password

__all__ = [
    "MEASUREMENT_KINDS",
    "ORDER_STATUSES",
    "AuthenticationError",
    "ConflictError",
    "ReadOnlyError",
    "Store",
    "open_store",
]

MEASUREMENT_KINDS = ("height", "weight", "creatinine", *LAB_KINDS)
ORDER_STATUSES = ("draft", "calculated", "verified", "printed", "superseded")
#: Blind re-entry by the verifier must give the same doses within this fraction.
VERIFICATION_TOLERANCE = 0.01


class ConflictError(StoreError):
    """Another workstation changed the record since it was read: reload and re-apply."""

    code = "store.conflict"


class ReadOnlyError(StoreError):
    """The patient's audit trail is broken: records are read-only until an administrator investigates."""

    code = "store.read_only"


class AuthenticationError(StoreError):
    code = "store.authentication"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def content_hash(value: Any) -> str:
    """SHA-256 of an order's content in canonical JSON: what a signature binds to."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass
class Store:
    """An open record store (SQLite or PostgreSQL)."""

    engine: Engine
    chain: ChainCheck = field(default_factory=lambda: ChainCheck(True, 0))

    @property
    def read_only_patients(self) -> frozenset[int]:
        return self.chain.patient_ids if not self.chain.ok else frozenset()

    # ----------------------------------------------------------------------------------- plumbing

    def check_chain(self) -> ChainCheck:
        with self.engine.connect() as connection:
            self.chain = verify_chain(connection)
        return self.chain

    def _writable(self, patient_id: int) -> None:
        if patient_id in self.read_only_patients:
            raise ReadOnlyError(
                "patient",
                patient_id,
                "has a broken audit trail; the record is read-only",
                expected="an administrator to investigate (dosecalc audit verify)",
            )

    def _bump(
        self, connection: Connection, table: Any, row_id: int, expected_version: int, values: Mapping[str, Any]
    ) -> None:
        result = connection.execute(
            update(table)
            .where(and_(table.c.id == row_id, table.c.row_version == expected_version))
            .values(**values, row_version=expected_version + 1)
        )
        if result.rowcount != 1:
            raise ConflictError(
                table.name,
                row_id,
                "was changed on another workstation since it was opened",
                expected="reload the record and apply the change again",
            )

    # ----------------------------------------------------------------------------------- users

    def add_user(self, by: Actor, username: str, full_name: str, role: str, password: str) -> User:
        if not username.strip() or not full_name.strip():
            raise InputError("username", username, "and full name are required", expected="both")
        try:
            role_value = Role(role)
        except ValueError:
            raise InputError("role", role, "is not a role", expected=" | ".join(r.value for r in Role)) from None
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InputError(
                "password",
                None,
                f"is shorter than {MIN_PASSWORD_LENGTH} characters",
                expected=f"at least {MIN_PASSWORD_LENGTH} characters",
            )
        with transaction(self.engine) as connection:
            if connection.execute(select(users.c.id).where(users.c.username == username)).first():
                raise InputError("username", username, "is already taken", expected="another user name")
            user_id = connection.execute(insert(users).returning(users.c.id).values(
                username=username, full_name=full_name, role=role_value.value, password_hash=hash_password(password),
                active=True, created_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "user", user_id, new={"username": username, "role": role_value.value})
        return User(user_id, username, full_name, role_value)

    def authenticate(self, username: str, password: str) -> User:
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.username == username)).mappings().first()
        if row is None or not row["active"] or not check_password(password, row["password_hash"]):
            raise AuthenticationError(
                "password", None, "does not match the user name", expected="the user's own password"
            )
        return User(row["id"], row["username"], row["full_name"], Role(row["role"]))

    def user(self, user_id: int) -> User:
        """Who a record names (who calculated or verified an order), for printouts and screens."""
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.id == user_id)).mappings().first()
        if row is None:
            raise InputError("user", user_id, "does not exist", expected="a user id")
        return User(row["id"], row["username"], row["full_name"], Role(row["role"]))

    # ----------------------------------------------------------------------------------- patients

    def add_patient(
        self,
        by: Actor,
        *,
        hospital_number: str,
        full_name: str,
        date_of_birth: dt.date,
        sex: str,
        allergies: str,
        diagnosis: str,
        language: str = "zh_CN",
        demo: bool = False,
    ) -> int:
        for name, value in (("hospital-number", hospital_number), ("name", full_name), ("allergies", allergies),
                            ("diagnosis", diagnosis)):  # fmt: skip
            if not value or not value.strip():
                raise InputError(
                    name,
                    value,
                    "is required",
                    expected="'no known allergies' if there are none" if name == "allergies" else "text",
                )
        sex_value = parse_sex(sex).value
        today = dt.date.today()
        if not dt.date(1900, 1, 1) <= date_of_birth <= today:
            raise InputError(
                "date-of-birth",
                date_of_birth.isoformat(),
                "is not a plausible date of birth",
                expected="a date between 1900 and today",
            )
        with transaction(self.engine) as connection:
            if connection.execute(select(patients.c.id).where(patients.c.hospital_number == hospital_number)).first():
                raise InputError("hospital-number", hospital_number, "is already in use", expected="a unique number")
            values = {"hospital_number": hospital_number.strip(), "full_name": full_name.strip(),
                      "date_of_birth": date_of_birth, "sex": sex_value, "allergies": allergies.strip(),
                      "diagnosis": diagnosis.strip(), "language": language, "demo": demo}  # fmt: skip
            patient_id = connection.execute(
                insert(patients).returning(patients.c.id).values(**values, created_at=_now(), row_version=1)
            ).scalar_one()
            append(connection, by, "create", "patient", patient_id, patient_id=patient_id, new=_json(values))
        return int(patient_id)

    def update_patient(
        self, by: Actor, patient_id: int, expected_version: int, changes: Mapping[str, Any], reason: str
    ) -> None:
        allowed = {"full_name", "date_of_birth", "sex", "allergies", "diagnosis", "language"}
        unknown = set(changes) - allowed
        if unknown:
            raise InputError(
                "field", sorted(unknown)[0], "cannot be changed here", expected=" | ".join(sorted(allowed))
            )
        if not reason.strip():
            raise InputError("reason", reason, "is required for a change", expected="why the record changes")
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            old = connection.execute(select(patients).where(patients.c.id == patient_id)).mappings().first()
            if old is None:
                raise InputError("patient", patient_id, "does not exist", expected="a patient id")
            self._bump(connection, patients, patient_id, expected_version, changes)
            append(
                connection,
                by,
                "change",
                "patient",
                patient_id,
                patient_id=patient_id,
                old=_json({k: old[k] for k in changes}),
                new=_json(dict(changes)),
                reason=reason,
            )
            self._void_verifications(connection, by, patient_id, "patient details changed")

    def patient(self, patient_id: int) -> RowMapping:
        with self.engine.connect() as connection:
            row = connection.execute(select(patients).where(patients.c.id == patient_id)).mappings().first()
        if row is None:
            raise InputError(
                "patient", patient_id, "does not exist", expected="a patient id from dosecalc patient list"
            )
        return row

    def patient_by_number(self, hospital_number: str) -> RowMapping:
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(patients).where(patients.c.hospital_number == hospital_number))
                .mappings()
                .first()
            )
        if row is None:
            raise InputError(
                "patient",
                hospital_number,
                "is not a hospital number in this store",
                expected="a hospital number from dosecalc patient list",
            )
        return row

    def find_patients(self, text: str = "", *, include_demo: bool = True) -> list[RowMapping]:
        query = select(patients).order_by(patients.c.full_name)
        if text.strip():
            pattern = f"%{text.strip()}%"
            query = query.where(or_(patients.c.full_name.ilike(pattern), patients.c.hospital_number.ilike(pattern)))
        if not include_demo:
            query = query.where(patients.c.demo.is_(False))
        with self.engine.connect() as connection:
            return list(connection.execute(query).mappings())

    # ----------------------------------------------------------------------------------- measurements

    def add_measurement(
        self, by: Actor, patient_id: int, kind: str, text: str, measured_on: dt.date, source: str = "measured"
    ) -> int:
        if kind not in MEASUREMENT_KINDS:
            raise InputError(
                "kind", kind, "is not a measurement DoseCalc records", expected=" | ".join(MEASUREMENT_KINDS)
            )
        try:
            source_value = MeasurementSource(source)
        except ValueError:
            raise InputError("source", source, "is not a source", expected="measured | stated | estimated") from None
        if measured_on > dt.date.today():
            raise InputError("measured-on", measured_on.isoformat(), "is in the future", expected="today or earlier")
        if kind == "height":
            value_si = Height.parse(text, source=source_value).centimetres
        elif kind == "weight":
            value_si = Weight.parse(text, source=source_value).kilograms
        elif kind == "creatinine":
            value_si = SerumCreatinine.parse(text, source=source_value).mg_per_dl
        else:
            value_si = parse_lab(kind, text).value
        self._writable(patient_id)
        self.patient(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "kind": kind, "value_text": text.strip(), "value_si": value_si,
                      "measured_on": measured_on, "source": source_value.value}  # fmt: skip
            row_id = connection.execute(insert(measurements).returning(measurements.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), voided=False, row_version=1)
            ).scalar_one()  # fmt: skip
            append(connection, by, "create", "measurement", row_id, patient_id=patient_id, new=_json(values))
            if kind in ("height", "weight", "creatinine"):
                self._void_verifications(connection, by, patient_id, f"new {kind} recorded")
        return int(row_id)

    def latest_measurements(self, patient_id: int, on: dt.date | None = None) -> dict[str, RowMapping]:
        """The most recent valid value of each kind measured on or before ``on``."""
        on = on or dt.date.today()
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(measurements)
                .where(measurements.c.patient_id == patient_id, measurements.c.voided.is_(False),
                       measurements.c.measured_on <= on)
                .order_by(measurements.c.measured_on, measurements.c.id)
            ).mappings()  # fmt: skip
            latest: dict[str, RowMapping] = {}
            for row in rows:
                latest[row["kind"]] = row
        return latest

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

    def _void_verifications(self, connection: Connection, by: Actor, patient_id: int, why: str) -> None:
        """Any change to what an order was computed from voids its verification; earlier prints are superseded."""
        affected = connection.execute(
            select(orders.c.id, orders.c.status, orders.c.row_version)
            .where(orders.c.patient_id == patient_id, orders.c.status.in_(("calculated", "verified", "printed")))
        ).all()  # fmt: skip
        for row in affected:
            self._bump(connection, orders, row.id, row.row_version, {"status": "superseded"})
            append(
                connection,
                by,
                "void",
                "order",
                row.id,
                patient_id=patient_id,
                old={"status": row.status},
                new={"status": "superseded"},
                reason=why,
            )

    # ----------------------------------------------------------------------------------- what was given

    def give(
        self,
        by: Actor,
        patient_id: int,
        *,
        drug: str,
        status: str,
        dose_mg: float,
        given_on: dt.date,
        bsa_m2: float | None = None,
        order_id: int | None = None,
        note: str | None = None,
    ) -> int:
        if status not in ("given", "held", "modified"):
            raise InputError("status", status, "is not an administration status", expected="given | held | modified")
        if status == "held":
            dose_mg = 0.0
        elif not dose_mg > 0 or dose_mg != dose_mg or dose_mg > 100000:
            raise InputError("dose", dose_mg, "is not a dose given", expected="a dose in mg greater than zero")
        if status == "modified" and not (note or "").strip():
            raise InputError("note", note, "is required for a modified dose", expected="what was changed and why")
        if given_on > dt.date.today():
            raise InputError("date", given_on.isoformat(), "is in the future", expected="the day it was given")
        self._writable(patient_id)
        self.patient(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "order_id": order_id, "drug": drug, "status": status,
                      "dose_mg": float(dose_mg), "bsa_m2": bsa_m2, "given_on": given_on, "note": note}  # fmt: skip
            row_id = connection.execute(insert(administrations).returning(administrations.c.id).values(
                **values, given_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "administration", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def administrations(self, patient_id: int) -> list[RowMapping]:
        with self.engine.connect() as connection:
            return list(connection.execute(
                select(administrations).where(administrations.c.patient_id == patient_id)
                .order_by(administrations.c.given_on, administrations.c.id)).mappings())  # fmt: skip

    def add_adverse_event(
        self,
        by: Actor,
        patient_id: int,
        *,
        term: str,
        grade: int,
        onset: dt.date,
        phase: str | None = None,
        cycle: int | None = None,
    ) -> int:
        if not term.strip():
            raise InputError(
                "term", term, "is required", expected="a CTCAE v5.0 term, e.g. 'Neutrophil count decreased'"
            )
        if grade not in (1, 2, 3, 4, 5):
            raise InputError("grade", grade, "is not a CTCAE grade", expected="1–5")
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "term": term.strip(), "grade": grade, "onset": onset,
                      "phase": phase, "cycle": cycle}  # fmt: skip
            row_id = connection.execute(insert(adverse_events).returning(adverse_events.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "adverse_event", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def add_prior_chemotherapy(
        self, by: Actor, patient_id: int, *, drug: str, total_text: str, source: str, until: dt.date | None = None
    ) -> int:
        if not source.strip():
            raise InputError("source", source, "is required", expected="where the figure comes from")
        if not re.fullmatch(r"\s*\d+\s+cycles?\s*", total_text or ""):  # "6 cycles" of an antibody is a total too
            parse_dose_basis(total_text, field="total")  # a total in mg/m² or mg, checked now rather than at use
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "drug": drug, "total_text": total_text.strip(),
                      "source": source.strip(), "until": until}  # fmt: skip
            row_id = connection.execute(insert(prior_chemotherapy).returning(prior_chemotherapy.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "prior_chemotherapy", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def add_prior_radiotherapy(
        self,
        by: Actor,
        patient_id: int,
        *,
        site: str,
        total_gy: float,
        fractions: int,
        finished_on: dt.date,
        source: str,
    ) -> int:
        if not site.strip() or not source.strip():
            raise InputError("site", site, "and source are required", expected="the treated site and the source")
        parse_course(f"{total_gy} Gy", fractions, dose_field="total", fractions_field="fractions")
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "site": site.strip(), "total_gy": float(total_gy),
                      "fractions": int(fractions), "finished_on": finished_on, "source": source.strip()}  # fmt: skip
            row_id = connection.execute(insert(prior_radiotherapy).returning(prior_radiotherapy.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "prior_radiotherapy", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def prior_treatment(self, patient_id: int) -> tuple[list[RowMapping], list[RowMapping]]:
        with self.engine.connect() as connection:
            chemo = list(
                connection.execute(
                    select(prior_chemotherapy).where(prior_chemotherapy.c.patient_id == patient_id)
                ).mappings()
            )
            radio = list(
                connection.execute(
                    select(prior_radiotherapy).where(prior_radiotherapy.c.patient_id == patient_id)
                ).mappings()
            )
        return chemo, radio

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0)
                for t in (patients, measurements, plans, orders, administrations)
            }


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


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (and migrate) the store at ``url`` (see :func:`dosecalc.store.db.resolve_url`), then check the chain."""
    engine = make_engine(resolve_url(url))
    try:
        if upgrade:
            migrate(engine)
    except DoseCalcError:
        engine.dispose()
        raise
    except Exception as error:  # a migration that cannot run: the transaction rolled back
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True)  # never print a password
        raise StoreError(
            "db", shown, f"cannot be prepared: {type(error).__name__}", expected="a reachable, writable database"
        ) from None
    store = Store(engine)
    store.check_chain()
    if not store.chain.ok:
        with transaction(engine) as connection:
            last = connection.execute(
                select(audit_log.c.action, audit_log.c.entity_id).order_by(audit_log.c.seq.desc()).limit(1)
            ).first()
            # One alarm per break, not one per start-up.
            if last is None or (last.action, last.entity_id) != ("alarm", store.chain.first_bad_seq):
                append(
                    connection, SYSTEM, "alarm", "audit_log", store.chain.first_bad_seq, reason=store.chain.one_line()
                )
    return store


def measurement_quantity(row: RowMapping) -> Any:
    """The core model of a stored height, weight or creatinine, with its date and source."""
    source = MeasurementSource(row["source"])
    if row["kind"] == "height":
        return Height.parse(row["value_text"], measured_on=row["measured_on"], source=source)
    if row["kind"] == "weight":
        return Weight.parse(row["value_text"], measured_on=row["measured_on"], source=source)
    if row["kind"] == "creatinine":
        return SerumCreatinine.parse(row["value_text"], measured_on=row["measured_on"], source=source)
    raise InputError("kind", row["kind"], "is not a dosing measurement", expected="height | weight | creatinine")
