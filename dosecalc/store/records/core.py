"""The store's core: the open engine, the audit chain check, optimistic updates, users, and shared lookups."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, and_, func, insert, select, update

from dosecalc.errors import InputError
from dosecalc.store.audit import Actor, ChainCheck, append, verify_chain
from dosecalc.store.db import StoreError, transaction
from dosecalc.store.schema import (
    administrations,
    measurements,
    orders,
    patients,
    plans,
    users,
)
from dosecalc.store.users import MIN_PASSWORD_LENGTH, Role, User, check_password, hash_password

__all__ = ["AuthenticationError", "ConflictError", "ReadOnlyError", "StoreCore"]


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


@dataclass
class StoreCore:
    """The open engine, the audit chain check, optimistic updates, users, and the lookups every topic shares."""

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

    def patient(self, patient_id: int) -> RowMapping:
        with self.engine.connect() as connection:
            row = connection.execute(select(patients).where(patients.c.id == patient_id)).mappings().first()
        if row is None:
            raise InputError(
                "patient", patient_id, "does not exist", expected="a patient id from dosecalc patient list"
            )
        return row

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

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0)
                for t in (patients, measurements, plans, orders, administrations)
            }
