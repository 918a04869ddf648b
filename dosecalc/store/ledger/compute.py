"""compute_ledger: read a patient's records on one connection and run the pure ledger over them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Connection, RowMapping

from dosecalc.errors import DoseCalcError, InputError
from dosecalc.labs import LAB_KINDS
from dosecalc.ledger import (
    DEFAULT_SETTINGS,
    Administration,
    LedgerSettings,
    PlannedDose,
    PriorDose,
    Reading,
    RtCourse,
    apply_overrides,
    day1_lab_check,
    drug_totals,
    radiotherapy_sums,
    sorted_flags,
    staleness,
    weight_change,
)
from dosecalc.patient import Weight
from dosecalc.regimen.loader import Library
from dosecalc.schedule.clinic import NO_CLOSURES, ClinicCalendar
from dosecalc.store.ledger.projection import _pd1, _project
from dosecalc.store.ledger.queries import _REFERENCE_ORDER, LEDGER_STATEMENTS
from dosecalc.store.ledger.result import PatientLedger, PlanProjection
from dosecalc.store.records import Store

__all__ = ["compute_ledger"]


def compute_ledger(
    store: Store,
    patient_id: int,
    library: Library,
    *,
    on: dt.date | None = None,
    planned_events: Iterable[PlannedDose] | None = None,
    settings: LedgerSettings = DEFAULT_SETTINGS,
    clinic: ClinicCalendar = NO_CLOSURES,
    overrides: Mapping[str, str] | None = None,
    proposed_radiotherapy: Sequence[RtCourse] = (),
) -> PatientLedger:
    """The patient's ledger on ``on`` (default today: the planned treatment date of the checks).

    ``planned_events``: the doses still planned, if the caller has them; None (the default) projects them
    from the patient's active plans with ``clinic`` (default: weekends closed, no holidays — closures move
    dates, not the number of doses). The PD-1 bound blocks only when a PD-1 dose is planned; with none
    its flags are information. ``overrides`` maps a block's code to a typed reason.
    ``proposed_radiotherapy``: courses under consideration, summed with the prior ones.
    """
    on = on or dt.date.today()
    catalogue = library.catalogue
    queries = LEDGER_STATEMENTS
    params = {"patient_id": patient_id, "on": on}
    with store.engine.connect() as connection:
        patient = connection.execute(queries["patient"], params).first()
        if patient is None:
            raise InputError(
                "patient", patient_id, "does not exist", expected="a patient id from dosecalc patient list"
            )
        given_rows = list(connection.execute(queries["administrations"], params).mappings())
        measured_rows = list(connection.execute(queries["measurements"], params).mappings())
        chemo_rows = list(connection.execute(queries["prior_chemotherapy"], params).mappings())
        radio_rows = list(connection.execute(queries["prior_radiotherapy"], params).mappings())
        plan_rows = list(connection.execute(queries["plans"], params).mappings())
        reference_kg = _reference_weight(connection, given_rows)

    given = tuple(
        Administration(r["drug"], r["status"], float(r["dose_mg"]), r["given_on"], r["bsa_m2"], r["id"])
        for r in given_rows
    )
    priors = tuple(PriorDose(r["drug"], r["total_text"], r["source"], r["until"]) for r in chemo_rows)
    latest, first_weight = _latest_readings(measured_rows)
    weight_kg = latest["weight"].value if "weight" in latest else None
    latest_bsa = next((a.bsa_m2 for a in reversed(given) if a.bsa_m2), None)

    projections: tuple[PlanProjection, ...] = ()
    if planned_events is None:
        projections = tuple(_project(row, library, given_rows, on, clinic, weight_kg, latest_bsa) for row in plan_rows)
        planned = tuple(d for p in projections for d in p.planned)
    else:
        planned = tuple(planned_events)

    drugs = drug_totals(given, priors, catalogue, planned=planned, warn_fraction=settings.warn_fraction)
    courses = [
        RtCourse(r["site"], float(r["total_gy"]), int(r["fractions"]), r["finished_on"], r["source"])
        for r in radio_rows
    ]
    radiotherapy = radiotherapy_sums(
        [*courses, *proposed_radiotherapy],
        settings.alpha_beta_gy,
        default_alpha_beta_gy=settings.default_alpha_beta_gy,
    )
    pd1 = _pd1(given, priors, planned, plan_rows, library, on)
    checked = ("height", "weight", "creatinine", *(k for k in LAB_KINDS if k in latest))
    fresh = staleness(latest, on, settings.windows, kinds=checked)
    reference = reference_kg if reference_kg is not None else first_weight
    change = (
        weight_change(weight_kg, reference, settings.weight_change)
        if weight_kg is not None and reference is not None
        else None
    )
    day1 = day1_lab_check({k: latest[k] for k in LAB_KINDS if k in latest}, settings.day1)

    if overrides:
        drugs = tuple(replace(d, flags=apply_overrides(d.flags, overrides)) for d in drugs)
        radiotherapy = tuple(replace(s, flags=apply_overrides(s.flags, overrides)) for s in radiotherapy)
        pd1 = replace(pd1, flags=apply_overrides(pd1.flags, overrides)) if pd1 else None
        fresh = tuple(replace(f, flags=apply_overrides(f.flags, overrides)) for f in fresh)
        day1 = replace(day1, flags=apply_overrides(day1.flags, overrides))
    flags = sorted_flags(
        [
            *(f for d in drugs for f in d.flags),
            *(f for s in radiotherapy for f in s.flags),
            *(pd1.flags if pd1 else ()),
            *(f for x in fresh for f in x.flags),
            *(change.flags if change else ()),
            *day1.flags,
            *(f for p in projections for f in p.flags),
        ]
    )
    return PatientLedger(
        patient_id,
        patient.hospital_number,
        on,
        drugs,
        radiotherapy,
        pd1,
        fresh,
        change,
        day1,
        projections,
        planned,
        flags,
    )


def _latest_readings(rows: Sequence[RowMapping]) -> tuple[dict[str, Reading], float | None]:
    """The latest reading of each kind (rows come sorted by date) and the first weight (the baseline)."""
    latest: dict[str, Reading] = {}
    first_weight = None
    for row in rows:
        latest[row["kind"]] = Reading(
            row["kind"], float(row["value_si"]), row["measured_on"], row["value_text"], row["source"]
        )
        if first_weight is None and row["kind"] == "weight":
            first_weight = float(row["value_si"])
    return latest, first_weight


def _reference_weight(connection: Connection, given_rows: Sequence[RowMapping]) -> float | None:
    """The weight the order of the latest administration was calculated with, if it recorded one."""
    order_id = next((r["order_id"] for r in reversed(given_rows) if r["order_id"] is not None), None)
    if order_id is None:
        return None
    inputs = connection.execute(_REFERENCE_ORDER, {"order_id": order_id}).scalar()
    text = inputs.get("weight") if isinstance(inputs, dict) else None
    if not isinstance(text, str):
        return None
    try:
        return float(Weight.parse(text).kilograms)
    except DoseCalcError:
        return None
