"""The fixed SELECTs a ledger reads, each filtered by patient first (also returned for EXPLAIN)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, Select, bindparam, select

from dosecalc.store.schema import (
    administrations,
    measurements,
    orders,
    patients,
    plans,
    prior_chemotherapy,
    prior_radiotherapy,
)

__all__ = ["LEDGER_STATEMENTS", "ledger_queries"]


def _statements() -> dict[str, Select[Any]]:
    """The ledger's SELECTs with ``:patient_id`` and ``:on`` as bound parameters, built once."""
    patient_id = bindparam("patient_id", type_=Integer)
    on = bindparam("on", type_=Date)
    a, o = administrations, orders
    return {
        "patient": select(patients.c.id, patients.c.hospital_number).where(patients.c.id == patient_id),
        "administrations": select(
            a.c.id,
            a.c.drug,
            a.c.status,
            a.c.dose_mg,
            a.c.bsa_m2,
            a.c.given_on,
            a.c.order_id,
            o.c.plan_id,
            o.c.phase,
            o.c.cycle,
        )
        .select_from(a.outerjoin(o, o.c.id == a.c.order_id))
        .where(a.c.patient_id == patient_id, a.c.given_on <= on)
        .order_by(a.c.given_on, a.c.id),
        "measurements": select(
            measurements.c.kind,
            measurements.c.value_si,
            measurements.c.value_text,
            measurements.c.measured_on,
            measurements.c.source,
        )
        .where(
            measurements.c.patient_id == patient_id,
            measurements.c.voided.is_(False),
            measurements.c.measured_on <= on,
        )
        .order_by(measurements.c.measured_on, measurements.c.id),
        "prior_chemotherapy": select(
            prior_chemotherapy.c.drug,
            prior_chemotherapy.c.total_text,
            prior_chemotherapy.c.source,
            prior_chemotherapy.c.until,
        )
        .where(prior_chemotherapy.c.patient_id == patient_id)
        .order_by(prior_chemotherapy.c.id),
        "prior_radiotherapy": select(
            prior_radiotherapy.c.site,
            prior_radiotherapy.c.total_gy,
            prior_radiotherapy.c.fractions,
            prior_radiotherapy.c.finished_on,
            prior_radiotherapy.c.source,
        )
        .where(prior_radiotherapy.c.patient_id == patient_id)
        .order_by(prior_radiotherapy.c.finished_on, prior_radiotherapy.c.id),
        "plans": select(
            plans.c.id,
            plans.c.regimen_id,
            plans.c.regimen_version,
            plans.c.choices,
            plans.c.start_date,
            plans.c.phase_starts,
        )
        .where(plans.c.patient_id == patient_id, plans.c.status == "active")
        .order_by(plans.c.id),
    }


#: Built once: constructing six statements per call cost more than running them (cProfile, bench_ledger).
LEDGER_STATEMENTS = _statements()

_REFERENCE_ORDER = select(orders.c.inputs).where(orders.c.id == bindparam("order_id", type_=Integer))


def ledger_queries(patient_id: int, on: dt.date) -> dict[str, Select[Any]]:
    """The SELECTs :func:`compute_ledger` runs, by name, with this patient and date bound (for ``EXPLAIN``).

    ``administrations`` (``ix_administrations_patient_drug``) and ``measurements``
    (``ix_measurements_patient_kind``) use their per-patient indexes; ``patient`` and the order look-up
    (the reference weight, one more SELECT by primary key) use primary keys. ``plans``,
    ``prior_chemotherapy`` and ``prior_radiotherapy`` have no index on ``patient_id`` in schema revision
    0001, so they scan their tables.
    """
    return {name: query.params(patient_id=patient_id, on=on) for name, query in LEDGER_STATEMENTS.items()}
