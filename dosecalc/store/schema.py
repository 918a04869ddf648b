"""The patient-record tables (SQLAlchemy Core), one definition for SQLite and PostgreSQL.

Every mutable row carries ``row_version``: an update names the version it read and fails if another
workstation changed the row meanwhile (no lost update). Quantities are stored as text with their unit
(``"61 kg"``), exactly as the core parses them, and as a number in a fixed unit for queries.
Snapshots (a computed order with its derivation) are JSON. The audit table is append-only and
hash-chained (:mod:`dosecalc.store.audit`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "SCHEMA_REVISION",
    "administrations",
    "adverse_events",
    "audit_log",
    "measurements",
    "metadata",
    "orders",
    "patients",
    "plans",
    "prior_chemotherapy",
    "prior_radiotherapy",
    "users",
]

#: The Alembic revision this code expects (dosecalc/store/migrations/versions).
SCHEMA_REVISION = "0003"

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),  # pharmacist | nurse | physician | administrator
    Column("password_hash", String(400), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
)

patients = Table(
    "patients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hospital_number", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("sex", String(10), nullable=False),
    Column("allergies", Text, nullable=False),  # "no known allergies" is an explicit entry, never a default
    Column("diagnosis", Text, nullable=False),
    Column("language", String(10), nullable=False, default="zh_CN"),
    Column("demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
)

measurements = Table(
    "measurements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("kind", String(20), nullable=False),  # height | weight | creatinine | anc | platelets | ...
    Column("value_text", String(64), nullable=False),  # as entered, with unit: "61 kg", "78 µmol/L"
    Column("value_si", Float, nullable=False),  # in the kind's reference unit, for queries
    Column("measured_on", Date, nullable=False),
    Column("source", String(12), nullable=False),  # measured | stated | estimated
    Column("entered_by", ForeignKey("users.id"), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("voided", Boolean, nullable=False, default=False),
    Column("row_version", Integer, nullable=False, default=1),
    Index("ix_measurements_patient_kind", "patient_id", "kind", "measured_on"),
)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("regimen_id", String(64), nullable=False),
    Column("regimen_version", String(20), nullable=False),  # pinned: a library update never changes a plan
    Column("choices", JSON, nullable=False),
    Column("policies", JSON, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("phase_starts", JSON, nullable=False),
    Column("status", String(12), nullable=False),  # active | stopped | completed
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
    Index("ix_plans_patient", "patient_id"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", ForeignKey("plans.id"), nullable=False),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("phase", String(64), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("status", String(12), nullable=False),  # draft | calculated | verified | printed | superseded
    Column("inputs", JSON, nullable=False),  # the measurements the calculation used, as entered
    Column("snapshot", JSON, nullable=False),  # the computed order with every derivation
    Column("content_hash", String(64), nullable=False),
    Column("calculated_by", ForeignKey("users.id"), nullable=False),
    Column("calculated_at", DateTime(timezone=True), nullable=False),
    Column("verified_by", ForeignKey("users.id"), nullable=True),
    Column("verified_at", DateTime(timezone=True), nullable=True),
    Column("signature", String(64), nullable=True),  # binds verifier, meaning and content hash
    Column("overrides", JSON, nullable=False),  # [{"code", "reason", "by", "at"}]
    Column("row_version", Integer, nullable=False, default=1),
    Index("ix_orders_patient", "patient_id", "phase", "cycle"),
)

administrations = Table(
    "administrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("order_id", ForeignKey("orders.id"), nullable=True),
    Column("drug", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # given | held | modified
    Column("dose_mg", Float, nullable=False),  # actual dose given (0 when held)
    Column("bsa_m2", Float, nullable=True),  # BSA at this administration, for mg/m² totals
    Column("given_on", Date, nullable=False),
    Column("given_by", ForeignKey("users.id"), nullable=False),
    Column("note", Text, nullable=True),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
    Index("ix_administrations_patient_drug", "patient_id", "drug"),
)

adverse_events = Table(
    "adverse_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("phase", String(64), nullable=True),
    Column("cycle", Integer, nullable=True),
    Column("term", String(120), nullable=False),  # CTCAE v5.0 term
    Column("grade", Integer, nullable=False),
    Column("onset", Date, nullable=False),
    Column("entered_by", ForeignKey("users.id"), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
)

prior_chemotherapy = Table(
    "prior_chemotherapy",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("drug", String(64), nullable=False),
    Column("total_text", String(64), nullable=False),  # "300 mg/m**2" or "450 mg", as declared
    Column("source", Text, nullable=False),  # where the figure comes from (discharge letter, other hospital)
    Column("until", Date, nullable=True),
    Column("entered_by", ForeignKey("users.id"), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
    Index("ix_prior_chemotherapy_patient", "patient_id"),
)

prior_radiotherapy = Table(
    "prior_radiotherapy",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), nullable=False),
    Column("site", String(120), nullable=False),
    Column("total_gy", Float, nullable=False),
    Column("fractions", Integer, nullable=False),
    Column("finished_on", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("entered_by", ForeignKey("users.id"), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
    Index("ix_prior_radiotherapy_patient", "patient_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at_utc", String(40), nullable=False),  # ISO 8601 text: hashed exactly as stored, on both databases
    Column("at_local", String(40), nullable=False),
    Column("user_id", Integer, nullable=True),  # None for the system (migrations, start-up checks)
    Column("username", String(64), nullable=False),
    Column("action", String(20), nullable=False),  # create | change | sign | print | void | ...
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("patient_id", Integer, nullable=True),
    Column("old_value", JSON, nullable=True),
    Column("new_value", JSON, nullable=True),
    Column("reason", Text, nullable=True),
    Column("app_version", String(20), nullable=False),
    Column("regimen_version", String(80), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    UniqueConstraint("entry_hash"),
)

#: The newest entry of the audit trail, written in the same transaction as every entry: removing the newest
#: entries from audit_log leaves this pointing past the end, which the chain check reports.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("seq", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)
