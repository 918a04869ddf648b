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

from dataclasses import dataclass

from sqlalchemy import select

from dosecalc.errors import DoseCalcError
from dosecalc.store.audit import SYSTEM, append
from dosecalc.store.db import StoreError, make_engine, migrate, resolve_url, transaction
from dosecalc.store.records.core import AuthenticationError, ConflictError, ReadOnlyError
from dosecalc.store.records.given import GivenRecords
from dosecalc.store.records.patients import MEASUREMENT_KINDS, PatientRecords, measurement_quantity
from dosecalc.store.records.plans import ORDER_STATUSES, PlanRecords, content_hash
from dosecalc.store.schema import audit_log

__all__ = [
    "MEASUREMENT_KINDS",
    "ORDER_STATUSES",
    "AuthenticationError",
    "ConflictError",
    "ReadOnlyError",
    "Store",
    "content_hash",
    "measurement_quantity",
    "open_store",
]


# open_store lives in the package itself so that make_engine is looked up here, where a caller may replace it.


@dataclass
class Store(PatientRecords, PlanRecords, GivenRecords):
    """An open record store (SQLite or PostgreSQL)."""


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
