"""What a printout is made from, read from the store exactly as the screens read it.

The calendar's plan is :func:`dosecalc.store.plans.recorded_plan` (the Calendar tab's own), the worksheet's
doses are the saved order's snapshot (what was verified), and the totals are
:func:`~dosecalc.store.ledger.compute_ledger` as the Ledger tab computes it. A dose on the calendar comes
from the cycle's saved order when there is one — verified, or marked not verified — and otherwise is the
dose the core calculates now from the latest measurements and the plan's policies, marked expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import RowMapping

from dosecalc.cli.regimens import order_payload
from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.regimen.loader import Library
from dosecalc.regimen.model import Catalogue, DrugLine, Regimen
from dosecalc.regimen.order import RegimenOrder, compute_regimen_order
from dosecalc.schedule.clinic import ClinicCalendar, clinic_calendar
from dosecalc.schedule.plan import EventKind, Plan
from dosecalc.store.audit import Actor
from dosecalc.store.ledger import PatientLedger, compute_ledger
from dosecalc.store.plans import recorded_plan
from dosecalc.store.records import Store, measurement_quantity
from dosecalc.store.users import User
from dosecalc.units import Quantity
from ui.calendar_tab import CLINIC_CLOSURES
from ui.verify_dialog import patient_from_record, policy_from_plan

__all__ = [
    "VERIFIED_STATUSES",
    "CalendarSource",
    "CycleDoses",
    "WorksheetSource",
    "calendar_source",
    "current_plan",
    "demo_order",
    "dose_text",
    "route_text",
    "worksheet_source",
]

#: Order statuses whose doses a second person has verified.
VERIFIED_STATUSES = ("verified", "printed")


def dose_text(final: Any) -> str:
    """The final dose as the dose table shows it (DOSE column): ``130 mg``."""
    return format_quantity(final, 1)


def route_text(route: str, infusion: str | None) -> str:
    """``intravenous over 1 h``, as the dose table's Route column."""
    return f"{route} over {infusion}" if infusion else route


@dataclass(frozen=True, slots=True)
class CycleDoses:
    """The doses of one cycle (drug id → DOSE text and route) and where they come from.

    ``source``: ``verified`` (a verified order), ``unverified`` (a saved order not yet verified),
    ``expected`` (calculated now, no order yet) or ``none`` (cannot be calculated: ``note`` says why).
    """

    doses: Mapping[str, tuple[str, str]]
    source: str
    order_id: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarSource:
    patient: RowMapping
    plan_row: RowMapping
    regimen: Regimen
    plan: Plan
    clinic: ClinicCalendar
    drug_names: Mapping[str, str]
    phase_names: Mapping[str, str]
    doses: Mapping[tuple[str, int], CycleDoses]
    lines: tuple[tuple[str, DrugLine], ...]  # (phase id, line) of every drug line the plan's choices select
    contact_number: str
    drug_chinese: Mapping[str, str] = field(default_factory=dict)  # drug id → Chinese name


def current_plan(store: Store, patient_id: int) -> RowMapping:
    """The newest active plan, the one the Calendar tab shows."""
    rows = [row for row in store.plans_of(patient_id) if row["status"] == "active"]
    if not rows:
        number = store.patient(patient_id)["hospital_number"]
        raise InputError("plan", number, "has no treatment plan", expected="a plan saved on the Doses tab")
    return rows[0]


def _orders_by_cycle(store: Store, patient_id: int, plan_id: int) -> dict[tuple[str, int], RowMapping]:
    """Each cycle's order: a verified one before one awaiting verification, the newest first."""
    chosen: dict[tuple[str, int], RowMapping] = {}
    for order in store.orders_of(patient_id):  # newest first
        if order["plan_id"] != plan_id or order["status"] in ("superseded", "draft"):
            continue
        key = (order["phase"], int(order["cycle"]))
        held = chosen.get(key)
        if held is None or (order["status"] in VERIFIED_STATUSES and held["status"] not in VERIFIED_STATUSES):
            chosen[key] = order
    return chosen


def _snapshot_doses(order: RowMapping) -> CycleDoses:
    doses = {
        line["drug"]: (
            dose_text(Quantity(line["final"]["value"], line["final"]["unit"])),
            route_text(line["route"], line.get("infusion")),
        )
        for line in order["snapshot"].get("lines", [])
    }
    source = "verified" if order["status"] in VERIFIED_STATUSES else "unverified"
    return CycleDoses(doses, source, int(order["id"]))


def _order_doses(order: RegimenOrder) -> CycleDoses:
    doses = {
        line.drug.id: (dose_text(line.result.final), route_text(line.line.route.value, line.line.infusion))
        for line in order.lines
    }
    return CycleDoses(doses, "expected")


def _patient_now(store: Store, patient: RowMapping) -> Any:
    latest = store.latest_measurements(patient["id"])
    values = [measurement_quantity(latest[k]) if k in latest else None for k in ("height", "weight", "creatinine")]
    return patient_from_record(patient, *values)


def _selected_lines(regimen: Regimen, plan: Plan) -> tuple[tuple[str, DrugLine], ...]:
    lines = []
    for phase in regimen.phases:
        if not any(p.id == phase.id and p.start is not None for p in plan.phases):
            continue
        for line in sorted(phase.drugs, key=lambda item: item.order):
            pair = line.choice_pair
            if pair is None or plan.choices.get(pair[0]) == pair[1]:
                lines.append((phase.id, line))
    return tuple(lines)


def calendar_source(store: Store, library: Library, patient_id: int, contact_number: str = "") -> CalendarSource:
    """The patient's current plan, recomputed as the Calendar tab does, with each cycle's doses."""
    patient = store.patient(patient_id)
    row = current_plan(store, patient_id)
    regimen = library.regimen(row["regimen_id"], row["regimen_version"])
    clinic = clinic_calendar(CLINIC_CLOSURES)
    plan = recorded_plan(store, library.catalogue, row, regimen, clinic)
    orders = _orders_by_cycle(store, patient_id, int(row["id"]))
    policy = person = None
    doses: dict[tuple[str, int], CycleDoses] = {}
    for event in plan.events:
        if event.kind is not EventKind.DRUG or event.cycle is None or (event.phase, event.cycle) in doses:
            continue
        key = (event.phase, event.cycle)
        if key in orders:
            doses[key] = _snapshot_doses(orders[key])
            continue
        try:
            policy = policy or policy_from_plan(row["policies"] or {})[0]
            person = person or _patient_now(store, patient)
            order = compute_regimen_order(
                regimen, library.catalogue, person, event.phase, event.cycle, plan.choices, policy
            )
            doses[key] = _order_doses(order)
        except DoseCalcError as error:
            doses[key] = CycleDoses({}, "none", note=error.one_line())
    return CalendarSource(
        patient,
        row,
        regimen,
        plan,
        clinic,
        {drug.id: drug.display for drug in library.catalogue.drugs},
        {phase.id: phase.name.en for phase in regimen.phases},
        doses,
        _selected_lines(regimen, plan),
        contact_number,
        {drug.id: drug.zh for drug in library.catalogue.drugs},
    )


# ------------------------------------------------------------------------------------------ worksheet


@dataclass(frozen=True, slots=True)
class WorksheetSource:
    patient: RowMapping
    order: RowMapping
    plan_row: RowMapping
    regimen: Regimen | None
    measurements: Mapping[str, RowMapping]  # the latest of each kind on the day the order was calculated
    calculated_by: User
    verified_by: User | None
    ledger: PatientLedger | None
    ledger_problem: str | None
    catalogue: Catalogue
    day_one: dt.date | None  # the cycle's day 1 in the plan as the Calendar tab computes it


def _choose_order(store: Store, patient_id: int, phase: str | None, cycle: int | None) -> RowMapping:
    orders = [
        o
        for o in store.orders_of(patient_id)
        if (phase is None or o["phase"] == phase) and (cycle is None or int(o["cycle"]) == cycle)
    ]
    current = [o for o in orders if o["status"] != "superseded"]
    if not (current or orders):
        number = store.patient(patient_id)["hospital_number"]
        wanted = " ".join(part for part in (phase, f"cycle {cycle}" if cycle else None) if part)
        raise InputError(
            "order",
            f"{number} {wanted}".strip(),
            "has no saved order",
            expected="an order saved on the Doses tab (Calculate and save order)",
        )
    return (current or orders)[0]


def worksheet_source(
    store: Store,
    library: Library,
    patient_id: int,
    *,
    phase: str | None = None,
    cycle: int | None = None,
    on: dt.date | None = None,
) -> WorksheetSource:
    """The newest saved order of the patient (of ``phase`` and ``cycle`` when given) and what surrounds it."""
    patient = store.patient(patient_id)
    order = _choose_order(store, patient_id, phase, cycle)
    plan_row = store.plan(int(order["plan_id"]))
    try:
        regimen: Regimen | None = library.regimen(plan_row["regimen_id"], plan_row["regimen_version"])
    except (KeyError, DoseCalcError):
        regimen = None
    calculated_on = order["calculated_at"].date() if order["calculated_at"] else dt.date.today()
    measurements = store.latest_measurements(patient_id, calculated_on)
    verifier = store.user(int(order["verified_by"])) if order["verified_by"] is not None else None
    ledger, problem = None, None
    try:
        ledger = compute_ledger(store, patient_id, library, on=on, clinic=clinic_calendar(CLINIC_CLOSURES))
    except DoseCalcError as error:
        problem = error.one_line()
    return WorksheetSource(
        patient,
        order,
        plan_row,
        regimen,
        measurements,
        store.user(int(order["calculated_by"])),
        verifier,
        ledger,
        problem,
        library.catalogue,
        _day_one(store, library, plan_row, regimen, order),
    )


def _day_one(
    store: Store, library: Library, plan_row: RowMapping, regimen: Regimen | None, order: RowMapping
) -> dt.date | None:
    if regimen is None:
        return None
    try:
        plan = recorded_plan(store, library.catalogue, plan_row, regimen, clinic_calendar(CLINIC_CLOSURES))
    except DoseCalcError:
        return None
    key = (order["phase"], int(order["cycle"]))
    return min((e.date for e in plan.events if (e.phase, e.cycle) == key and e.kind is EventKind.DRUG), default=None)


def demo_order(
    store: Store, library: Library, patient_id: int, by: Actor, cycle: int = 1, phase: str | None = None
) -> int:
    """The demonstration patient's order of a cycle, saved as the Doses tab saves it when it is missing.

    Only for the demonstration record, so that ``print worksheet --patient demo`` has an order to print.
    """
    patient = store.patient(patient_id)
    if not patient["demo"]:
        raise InputError("patient", patient["hospital_number"], "is not the demonstration patient")
    row = current_plan(store, patient_id)
    regimen = library.regimen(row["regimen_id"], row["regimen_version"])
    phase = phase or regimen.phases[0].id
    for order in store.orders_of(patient_id):
        if (order["phase"], int(order["cycle"])) == (phase, cycle) and order["status"] != "superseded":
            return int(order["id"])
    policy, given = policy_from_plan(row["policies"] or {})
    latest = store.latest_measurements(patient_id)
    computed = compute_regimen_order(
        regimen, library.catalogue, _patient_now(store, patient), phase, cycle, dict(row["choices"]), policy
    )
    inputs: dict[str, Any] = {kind: latest[kind]["value_text"] for kind in ("height", "weight", "creatinine")}
    inputs["measured_on"] = {
        kind: latest[kind]["measured_on"].isoformat() for kind in ("height", "weight", "creatinine")
    }
    overrides = [
        {"code": f.code, "message": f.message, "reason": "demonstration: acknowledged"}
        for f in computed.flags
        if f.severity.value == "block"
    ]
    return store.save_order(by, int(row["id"]), phase, cycle, inputs, order_payload(computed, given), overrides)
