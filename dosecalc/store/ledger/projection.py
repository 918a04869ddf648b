"""The ledger's view of the plans: PD-1 bounds from the regimens, and the doses still planned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import RowMapping

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import DoseCalcError
from dosecalc.ledger import (
    COUNTED_STATUSES,
    Administration,
    Pd1Bound,
    PlannedDose,
    PriorDose,
    is_pd1,
    pd1_bound,
)
from dosecalc.regimen.loader import Library
from dosecalc.regimen.model import BasisKind, DrugLine, Regimen
from dosecalc.schedule.clinic import ClinicCalendar
from dosecalc.schedule.plan import CycleFact, EventKind, compute_plan
from dosecalc.store.ledger.result import PlanProjection
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

__all__: list[str] = []


#: Where the PD-1 bound comes from when neither the plan nor the catalogue gives one.
DEFAULT_PD1_SOURCE = "clinical-reference §6: 24 months, a trial convention, not a universal rule [P]"

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
            Flag(f.code, Severity.INFO, f"{f.message} — no PD-1 dose is planned", {**f.params, "no_pd1_planned": True})
            for f in bound.flags
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
            {
                "count": len(declared),
                "declared": "; ".join(f"{p.drug} {p.total_text} ({p.source})" for p in declared),
            },
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
            {"plan": plan_id, "regimen": regimen_id, "version": version},
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
            {"plan": plan_id, "regimen": regimen_id, "version": version, "reason": message},
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
