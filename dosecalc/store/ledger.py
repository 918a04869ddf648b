"""A patient's cumulative-dose ledger and pre-cycle checks, read from the record store.

:func:`compute_ledger` reads what the pure :mod:`dosecalc.ledger` needs in a fixed number of SELECTs on
one connection (no query per row), each filtered by ``patient_id`` first so the per-patient indexes
apply; :func:`ledger_queries` returns them for ``EXPLAIN``. What counts:

- administrations recorded on or before the ledger date (``given``/``modified`` count, ``held`` not);
- prior chemotherapy and radiotherapy as declared, with their source;
- the latest valid measurement of each kind on or before the date (voided ones are ignored);
- the active plans, re-planned with :func:`~dosecalc.schedule.plan.compute_plan` from the actual day 1
  of every cycle that has administrations recorded against its orders: their drug events on or after the
  ledger date that nothing was recorded for are the projected doses (full dose level: an upper bound).
  A caller that has its own projection passes ``planned_events`` instead.

Nothing here writes: a ledger is a view. Overrides given to it only change how its blocks read; the
caller records them with the order (``Store.save_order(overrides=...)``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, Integer, RowMapping, Select, bindparam, select

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.labs import LAB_KINDS
from dosecalc.ledger import (
    COUNTED_STATUSES,
    DEFAULT_SETTINGS,
    Administration,
    DrugTotal,
    Freshness,
    LabCheck,
    LedgerSettings,
    Pd1Bound,
    PlannedDose,
    PriorDose,
    Reading,
    RtCourse,
    SiteSum,
    WeightChange,
    apply_overrides,
    day1_lab_check,
    drug_totals,
    is_pd1,
    pd1_bound,
    radiotherapy_sums,
    sorted_flags,
    staleness,
    status_of,
    weight_change,
)
from dosecalc.patient import Weight
from dosecalc.regimen.loader import Library
from dosecalc.regimen.model import BasisKind, DrugLine, Regimen
from dosecalc.schedule.clinic import NO_CLOSURES, ClinicCalendar
from dosecalc.schedule.plan import CycleFact, EventKind, compute_plan
from dosecalc.store.records import Store
from dosecalc.store.schema import (
    administrations,
    measurements,
    orders,
    patients,
    plans,
    prior_chemotherapy,
    prior_radiotherapy,
)
from dosecalc.units import (
    DOSE_BASIS,
    KILOGRAM,
    MG_PER_KG,
    MG_PER_M2,
    MILLIGRAM,
    WEIGHT,
    magnitude_in,
    parse_quantity,
)

__all__ = ["LEDGER_STATEMENTS", "PatientLedger", "PlanProjection", "compute_ledger", "ledger_queries"]

#: Where the PD-1 bound comes from when neither the plan nor the catalogue gives one.
DEFAULT_PD1_SOURCE = "clinical-reference §6: 24 months, a trial convention, not a universal rule [P]"


@dataclass(frozen=True, slots=True)
class PlanProjection:
    """What an active plan still has planned from the ledger date."""

    plan_id: int
    regimen_id: str
    regimen_version: str
    planned: tuple[PlannedDose, ...]
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "regimen_id": self.regimen_id,
            "regimen_version": self.regimen_version,
            "planned_doses": len(self.planned),
            "next_on": min(d.on for d in self.planned).isoformat() if self.planned else None,
            "flags": [f.to_json() for f in self.flags],
        }


@dataclass(frozen=True, slots=True)
class PatientLedger:
    """The ledger of one patient on one date, and every flag it raises (blocks first)."""

    patient_id: int
    hospital_number: str
    on: dt.date
    drugs: tuple[DrugTotal, ...]
    radiotherapy: tuple[SiteSum, ...]
    pd1: Pd1Bound | None
    staleness: tuple[Freshness, ...]
    weight_change: WeightChange | None
    day1: LabCheck
    plans: tuple[PlanProjection, ...]
    planned: tuple[PlannedDose, ...]
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        """``block``, ``warning`` or ``ok``."""
        return status_of(self.flags)

    @property
    def blocked(self) -> bool:
        return self.status == "block"

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (dates as ISO text, numbers as floats rounded to 6 places)."""
        return {
            "patient": {"id": self.patient_id, "hospital_number": self.hospital_number},
            "on": self.on.isoformat(),
            "status": self.status,
            "drugs": [d.to_json() for d in self.drugs],
            "radiotherapy": [s.to_json() for s in self.radiotherapy],
            "pd1": self.pd1.to_json() if self.pd1 else None,
            "staleness": [f.to_json() for f in self.staleness],
            "weight_change": self.weight_change.to_json() if self.weight_change else None,
            "day1_labs": self.day1.to_json(),
            "plans": [p.to_json() for p in self.plans],
            "planned": [d.to_json() for d in self.planned],
            "flags": [f.to_json() for f in self.flags],
        }


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


# ------------------------------------------------------------------------------------------------ readings


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


# ------------------------------------------------------------------------------------------------ PD-1


def _pd1(
    given: Sequence[Administration],
    priors: Sequence[PriorDose],
    planned: Sequence[PlannedDose],
    plan_rows: Sequence[RowMapping],
    library: Library,
    on: dt.date,
) -> Pd1Bound | None:
    catalogue = library.catalogue
    pd1_drugs = {d.id: d for d in catalogue.drugs if is_pd1(d)}
    doses = [a for a in given if a.drug in pd1_drugs and a.status in COUNTED_STATUSES]
    present = {a.drug for a in doses} | {d.drug for d in planned if d.drug in pd1_drugs}
    if not present:
        return None
    months: int | None = None
    warn_months: int | None = None
    max_cycles: int | None = None
    warn_cycles: int | None = None
    sources: list[str] = []
    for row in plan_rows:
        regimen = _regimen(library, row["regimen_id"], row["regimen_version"])
        if regimen is None:
            continue
        for phase in regimen.phases:
            duration = phase.duration
            if duration is None or duration.months is None or duration.anchor != "first-pd1-dose":
                continue
            if any(line.drug in pd1_drugs for line in phase.drugs) and (months is None or duration.months < months):
                months = duration.months
                sources.append(
                    f"{regimen.id} {regimen.version}: {phase.id} {duration.months} months from the first PD-1 dose"
                )
    for drug_id in sorted(present):
        limit = pd1_drugs[drug_id].cumulative
        if limit is None or limit.limit is None:
            continue
        if limit.unit == "cycles" and (max_cycles is None or limit.limit < max_cycles):
            max_cycles, warn_cycles = int(limit.limit), int(limit.warn_at)
            sources.append(f"{drug_id}: {limit.source}")
        elif limit.unit == "months" and months is None:
            months, warn_months = int(limit.limit), int(limit.warn_at)
            sources.append(f"{drug_id}: {limit.source}")
    if months is None and max_cycles is None:
        months = 24
        sources.append(DEFAULT_PD1_SOURCE)
    first = min((a.given_on for a in doses), default=None)
    cycles = len({a.given_on for a in doses})
    bound = pd1_bound(
        first,
        cycles,
        on,
        months,
        max_cycles,
        warn_months=warn_months,
        warn_cycles=warn_cycles,
        source="; ".join(dict.fromkeys(sources)),
    )
    if not any(d.drug in pd1_drugs for d in planned):
        # No PD-1 dose to give: the bound is information (a later chemotherapy-only phase must not block on it).
        quiet = tuple(
            Flag(f.code, Severity.INFO, f"{f.message} — no PD-1 dose is planned", f.params) for f in bound.flags
        )
        bound = replace(bound, flags=quiet)
    declared = [p for p in priors if p.drug in pd1_drugs]
    if declared:
        extra = Flag(
            "pd1.prior_declared",
            Severity.WARNING,
            "PD-1 treatment declared before: "
            + "; ".join(f"{p.drug} {p.total_text} ({p.source})" for p in declared)
            + " — the bound counts from the first dose recorded here; check the date of the first PD-1 dose",
            {"count": len(declared)},
        )
        bound = replace(bound, flags=(*bound.flags, extra))
    return bound


# ------------------------------------------------------------------------------------------------ projection


def _regimen(library: Library, regimen_id: str, version: str) -> Regimen | None:
    try:
        return library.regimen(regimen_id, version)
    except KeyError:
        return None


@lru_cache(maxsize=64)
def _kilograms(text: str) -> float:
    return magnitude_in(parse_quantity(text, "weight", WEIGHT), KILOGRAM)


@lru_cache(maxsize=512)
def _amount(text: str, unit: str) -> float:
    target = {"mg/m2": MG_PER_M2, "mg/kg": MG_PER_KG, "mg": MILLIGRAM}[unit]
    return magnitude_in(parse_quantity(text, "dose", DOSE_BASIS), target)


def _line_dose(line: DrugLine, weight_kg: float | None) -> tuple[float | None, float | None]:
    """(mg/m², mg) of one planned administration at the full dose level; None where it needs what is unknown."""
    dose = line.dose
    rule = line.weight_rule
    if rule is not None and weight_kg is not None and weight_kg < _kilograms(rule.below):
        dose = rule.dose
    if dose.basis is BasisKind.AUC or not isinstance(dose.amount, str):
        return None, None
    if dose.basis is BasisKind.PER_M2:
        return _amount(dose.amount, "mg/m2"), None
    if dose.basis is BasisKind.PER_KG:
        return None, (_amount(dose.amount, "mg/kg") * weight_kg if weight_kg is not None else None)
    return None, _amount(dose.amount, "mg")


def _project(
    row: RowMapping,
    library: Library,
    given_rows: Sequence[RowMapping],
    on: dt.date,
    clinic: ClinicCalendar,
    weight_kg: float | None,
    bsa_m2: float | None,
) -> PlanProjection:
    plan_id, regimen_id, version = int(row["id"]), row["regimen_id"], row["regimen_version"]
    regimen = _regimen(library, regimen_id, version)
    if regimen is None:
        flag = Flag(
            "plan.not_projected",
            Severity.WARNING,
            f"plan {plan_id}: regimen {regimen_id} {version} is not in the library, so its planned doses are not "
            "projected",
            {"plan": plan_id},
        )
        return PlanProjection(plan_id, regimen_id, version, (), (flag,))
    mine = [r for r in given_rows if r["plan_id"] == plan_id and r["phase"] is not None]
    done = {(r["phase"], r["cycle"], r["drug"]) for r in mine}
    done_on = {(r["drug"], r["given_on"]) for r in given_rows}
    day1: dict[tuple[str, int], dt.date] = {}
    for r in mine:
        key = (r["phase"], int(r["cycle"]))
        day1[key] = min(day1.get(key, r["given_on"]), r["given_on"])
    facts = [CycleFact(phase, cycle, date) for (phase, cycle), date in day1.items()]
    try:
        phase_starts = {k: dt.date.fromisoformat(str(v)) for k, v in (row["phase_starts"] or {}).items()}
        plan = compute_plan(
            regimen,
            library.catalogue,
            row["start_date"],
            dict(row["choices"] or {}),
            clinic,
            phase_starts=phase_starts,
            cycle_facts=facts,
        )
    except (DoseCalcError, ValueError) as error:
        message = error.one_line() if isinstance(error, DoseCalcError) else str(error)
        flag = Flag(
            "plan.not_projected",
            Severity.WARNING,
            f"plan {plan_id} ({regimen_id} {version}) cannot be projected: {message}",
            {"plan": plan_id},
        )
        return PlanProjection(plan_id, regimen_id, version, (), (flag,))
    lines = {(phase.id, line.order): line for phase in regimen.phases for line in phase.drugs}
    planned: list[PlannedDose] = []
    for event in plan.events:
        if event.kind is not EventKind.DRUG or event.drug is None or event.date < on:
            continue
        if (event.phase, event.cycle, event.drug) in done or (event.drug, event.date) in done_on:
            continue
        line = lines.get((event.phase, event.line_order or 0))
        per_m2, mg = _line_dose(line, weight_kg) if line is not None else (None, None)
        if per_m2 is not None and mg is None and bsa_m2:
            mg = per_m2 * bsa_m2
        planned.append(
            PlannedDose(
                event.drug,
                event.date,
                per_m2,
                mg,
                bsa_m2 if per_m2 is not None else None,
                f"{event.phase} cycle {event.cycle} day {event.day}",
            )
        )
    return PlanProjection(plan_id, regimen_id, version, tuple(planned), ())
