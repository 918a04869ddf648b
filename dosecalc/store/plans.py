"""A stored plan as it was recorded: its delays, event dates and what was given or held against it.

The Calendar tab, the printed calendar and the ledger all read a plan this one way, so they agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import RowMapping

from dosecalc.regimen.model import Catalogue, Regimen
from dosecalc.schedule.clinic import ClinicCalendar
from dosecalc.schedule.plan import CycleFact, Delay, DoseFact, Event, EventKind, Plan, compute_plan
from dosecalc.store.records import Store

__all__ = ["recorded_plan"]


def _event_of(plan: Plan, item: RowMapping, order: RowMapping | None) -> Event | None:
    """The planned administration a recorded one belongs to: by its order's cycle, else by drug and date."""
    for event in plan.events:
        if event.kind is not EventKind.DRUG or event.drug != item["drug"] or event.cycle is None:
            continue
        if (order is None and event.date == item["given_on"]) or (
            order is not None and (event.phase, event.cycle) == (order["phase"], order["cycle"])
        ):
            return event
    return None


def recorded_plan(
    store: Store, catalogue: Catalogue, row: RowMapping, regimen: Regimen, clinic: ClinicCalendar
) -> Plan:
    """A stored plan as recorded: its delays and phase starts, and what was given or held against it.

    An administration against an order of the plan dates its cycle's actual day 1 (as the ledger reads it).
    """
    delays = [
        Delay(int(d["cycle"]), int(d["days"]), d.get("phase"), d.get("reason"))
        for d in (row["policies"] or {}).get("delays", [])
    ]
    starts = {k: dt.date.fromisoformat(str(v)) for k, v in (row["phase_starts"] or {}).items()}
    orders = {o["id"]: o for o in store.orders_of(row["patient_id"]) if o["plan_id"] == row["id"]}
    given = store.administrations(row["patient_id"])
    day1: dict[tuple[str, int], dt.date] = {}
    for item in given:
        order = orders.get(item["order_id"])
        if order is not None:
            key = (order["phase"], int(order["cycle"]))
            day1[key] = min(day1.get(key, item["given_on"]), item["given_on"])
    facts = [CycleFact(phase, cycle, day) for (phase, cycle), day in day1.items()]
    start, choices = row["start_date"], dict(row["choices"])
    plan = compute_plan(
        regimen, catalogue, start, choices, clinic, phase_starts=starts, delays=delays, cycle_facts=facts
    )
    dose_facts = []
    for item in given:
        event = _event_of(plan, item, orders.get(item["order_id"]))
        if event is not None and event.cycle is not None:
            dose_facts.append(DoseFact(event.phase, event.cycle, item["drug"], item["status"], event.day or 1))
    if not dose_facts:
        return plan
    return compute_plan(regimen, catalogue, start, choices, clinic, phase_starts=starts, delays=delays,
                        cycle_facts=facts, dose_facts=dose_facts)  # fmt: skip
