"""compute_ledger through the record store, on SQLite and on a real PostgreSQL server.

The patient is on ORIENT-15 (sintilimab + cisplatin + paclitaxel, BMJ 2022;377:e068714): three
combination cycles recorded, 21 days apart, ending today. Hand-computed figures:

- cisplatin 120 mg at BSA 1.6 m² = 75 mg/m² a cycle; 3 cycles = 225 mg/m², plus a declared prior
  75 mg/m² = 300 mg/m² (≥ the catalogue's 200 mg/m² warning, no hard ceiling); cycles 4–6 still planned
  at 75 mg/m² → projected 525 mg/m².
- paclitaxel: cycle 1 day 1 87.5 mg/m² (140 mg at 1.6), cycle 2 held, cycle 3 280 mg with no BSA recorded
  (counted in mg, flagged in mg/m²) → 87.5 mg/m² counted; cycles 4–6 planned at 175 mg/m².
- sintilimab 200 mg three times; first PD-1 dose on the plan's start date, bound 24 months (ORIENT-15).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import event

from dosecalc.errors import InputError
from dosecalc.ledger import LedgerSettings, PlannedDose, RtCourse
from dosecalc.regimen.loader import Library, load_library
from dosecalc.store.ledger import compute_ledger, ledger_queries
from dosecalc.store.records import Store
from dosecalc.store.users import User
from tests.store.conftest import TODAY, actor

START = TODAY - dt.timedelta(days=42)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def _patient(store: Store, staff: dict[str, User], *, order_weight: str = "61 kg") -> int:
    li = actor(staff["li"])
    patient = store.add_patient(
        li,
        hospital_number="H-L1",
        full_name="王芳",
        date_of_birth=dt.date(1958, 6, 1),
        sex="female",
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    for kind, text, days in (
        ("height", "160 cm", 200),
        ("weight", "61 kg", 150),
        ("weight", "60 kg", 2),
        ("creatinine", "70 µmol/L", 2),
        ("anc", "2.1 x10^9/L", 1),
        ("platelets", "180 x10^9/L", 1),
        ("hemoglobin", "11 g/dL", 1),
        ("bilirubin", "12 µmol/L", 1),
        ("ast", "30 units/L", 1),
        ("alt", "28 units/L", 1),
    ):
        store.add_measurement(li, patient, kind, text, TODAY - dt.timedelta(days=days))
    plan = store.create_plan(
        li,
        patient,
        regimen_id="escc-orient-15",
        regimen_version="1.0.0",
        choices={"chemo": "tp"},
        policies={},
        start_date=START,
    )
    paclitaxel = [("given", 140.0, 1.6), ("held", 0.0, 1.6), ("given", 280.0, None)]
    for cycle in (1, 2, 3):
        day = START + dt.timedelta(days=21 * (cycle - 1))
        order = store.save_order(li, plan, "combination", cycle, {"weight": order_weight}, {"lines": []})
        store.give(li, patient, drug="sintilimab", status="given", dose_mg=200, given_on=day, order_id=order)
        store.give(li, patient, drug="cisplatin", status="given", dose_mg=120, given_on=day, order_id=order, bsa_m2=1.6)
        status, mg, bsa = paclitaxel[cycle - 1]
        store.give(
            li,
            patient,
            drug="paclitaxel",
            status=status,
            dose_mg=mg,
            given_on=day,
            order_id=order,
            bsa_m2=bsa,
            note=None,
        )
    store.add_prior_chemotherapy(
        li,
        patient,
        drug="cisplatin",
        total_text="75 mg/m**2",
        source="discharge letter, county hospital",
        until=dt.date(2024, 1, 10),
    )
    store.add_prior_radiotherapy(
        li, patient, site="spinal cord", total_gy=45, fractions=30, finished_on=dt.date(2024, 3, 1), source="RT summary"
    )
    return patient


def _by_drug(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["label"]: d for d in data["drugs"]}


def test_ledger_from_the_store(store: Store, staff: dict[str, User], library: Library) -> None:
    patient = _patient(store, staff)
    ledger = compute_ledger(store, patient, library, on=TODAY)
    data = json.loads(json.dumps(ledger.to_json()))  # JSON-safe
    assert set(data) >= {
        "patient",
        "on",
        "status",
        "drugs",
        "radiotherapy",
        "pd1",
        "staleness",
        "weight_change",
        "day1_labs",
        "plans",
        "planned",
        "flags",
    }
    assert data["patient"] == {"id": patient, "hospital_number": "H-L1"}
    drugs = _by_drug(data)
    cisplatin = drugs["cisplatin"]
    assert cisplatin["unit"] == "mg/m2"
    assert cisplatin["total"] == pytest.approx(300.0)
    assert cisplatin["mg_per_m2"]["prior"] == pytest.approx(75.0)
    assert cisplatin["projected"] == pytest.approx(525.0)
    assert cisplatin["status"] == "warning"
    paclitaxel = drugs["paclitaxel"]
    assert paclitaxel["total"] == pytest.approx(87.5)
    assert paclitaxel["mg"]["given"] == pytest.approx(420.0)  # the held dose is not counted
    assert paclitaxel["contributions"][0]["held"] == 1
    assert paclitaxel["projected"] == pytest.approx(87.5 + 3 * 175)
    assert [f["code"] for f in paclitaxel["flags"]] == ["cumulative.bsa_missing"]
    assert drugs["sintilimab"]["mg"]["given"] == 600.0
    # Cycles 4–6 of the combination are planned (on or after today), nothing before today.
    assert {d["on"] >= TODAY.isoformat() for d in data["planned"]} == {True}
    assert sum(1 for d in data["planned"] if d["drug"] == "cisplatin") == 3
    # PD-1: first dose on the start date, three cycles, bound 24 months from ORIENT-15's maintenance phase.
    pd1 = data["pd1"]
    assert (pd1["first_dose"], pd1["cycles_given"], pd1["months"], pd1["status"]) == (START.isoformat(), 3, 24, "ok")
    # Radiotherapy: the cord course at α/β 2 Gy, shown as information.
    [cord] = data["radiotherapy"]
    assert (cord["alpha_beta_gy"], cord["total_bed_gy"]) == (2.0, 78.75)
    # Fresh measurements, labs within the go criteria, weight 60 kg vs the order's 61 kg (1.6 %).
    assert {s["kind"]: s["stale"] for s in data["staleness"]}["height"] is False
    assert data["day1_labs"]["status"] == "ok"
    assert data["weight_change"]["reference_kg"] == 61.0
    assert data["weight_change"]["flags"] == []
    assert ledger.status == "warning"
    assert not ledger.blocked


def test_ledger_date_weight_reference_staleness_and_overrides(
    store: Store, staff: dict[str, User], library: Library
) -> None:
    patient = _patient(store, staff, order_weight="54 kg")
    # On the day of cycle 2 only cycles 1 and 2 count: 2 × 75 + the prior 75 = 225 mg/m².
    earlier = compute_ledger(store, patient, library, on=START + dt.timedelta(days=21))
    assert _by_drug(earlier.to_json())["cisplatin"]["total"] == pytest.approx(225.0)
    # The weight the last order used (54 kg) vs now (60 kg): 11.1 % → recalculate.
    ledger = compute_ledger(store, patient, library, on=TODAY + dt.timedelta(days=4))
    codes = [f.code for f in ledger.flags]
    assert "weight.changed" in codes
    # Labs measured yesterday are 5 days old on the planned date: stale (window 3 days).
    assert "measurement.anc_stale" in codes
    assert ledger.blocked
    settings = LedgerSettings(weight_change=0.2)
    relaxed = compute_ledger(
        store,
        patient,
        library,
        on=TODAY + dt.timedelta(days=4),
        settings=settings,
        overrides={
            f"measurement.{k}_stale": "labs drawn this morning, results pending"
            for k in ("anc", "platelets", "hemoglobin", "bilirubin", "ast", "alt")
        },
    )
    assert "weight.changed" not in [f.code for f in relaxed.flags]
    assert relaxed.status == "warning"


def test_planned_events_from_the_caller_and_proposed_radiotherapy(
    store: Store, staff: dict[str, User], library: Library
) -> None:
    patient = _patient(store, staff)
    planned = [PlannedDose("cisplatin", TODAY, mg_per_m2=75)]
    ledger = compute_ledger(
        store,
        patient,
        library,
        on=TODAY,
        planned_events=planned,
        proposed_radiotherapy=[RtCourse("Spinal cord", 30, 28, proposed=True)],
    )
    assert ledger.plans == ()
    assert ledger.planned == tuple(planned)
    cisplatin = _by_drug(ledger.to_json())["cisplatin"]
    assert cisplatin["projected"] == pytest.approx(375.0)
    assert cisplatin["mg_per_m2"]["next_on"] == TODAY.isoformat()
    [cord] = ledger.radiotherapy
    assert round(cord.total_bed_gy or 0, 2) == 124.82  # 78.75 + 46.07 Gy₂ (clinical-reference §5)
    assert cord.prior_bed_gy == pytest.approx(78.75)


def test_a_patient_with_nothing_recorded(store: Store, staff: dict[str, User], library: Library) -> None:
    li = actor(staff["li"])
    patient = store.add_patient(
        li,
        hospital_number="H-L0",
        full_name="李雷",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    ledger = compute_ledger(store, patient, library, on=TODAY)
    assert (ledger.drugs, ledger.radiotherapy, ledger.pd1, ledger.weight_change) == ((), (), None, None)
    codes = {f.code for f in ledger.flags}
    assert {"measurement.weight_missing", "day1.anc_missing"} <= codes
    with pytest.raises(InputError):
        compute_ledger(store, 999_999, library)


def test_a_fixed_number_of_queries_whatever_the_number_of_administrations(
    store: Store, staff: dict[str, User], library: Library
) -> None:
    patient = _patient(store, staff)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        compute_ledger(store, patient, library, on=TODAY)
        first = len(statements)
        li = actor(staff["li"])
        for days in range(1, 31):
            store.give(
                li,
                patient,
                drug="cisplatin",
                status="given",
                dose_mg=10,
                given_on=START - dt.timedelta(days),
                bsa_m2=1.6,
            )
        statements.clear()
        compute_ledger(store, patient, library, on=TODAY)
        assert len(statements) == first
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= len(ledger_queries(patient, TODAY)) + 1  # plus the reference order, by primary key


def test_pd1_bound_blocks_only_when_a_pd1_dose_is_planned(
    store: Store, staff: dict[str, User], library: Library
) -> None:
    # ORIENT-15 / drugs.toml: sintilimab at most 24 months from the first dose.
    li = actor(staff["li"])
    patient = store.add_patient(
        li,
        hospital_number="H-L2",
        full_name="韩梅",
        date_of_birth=dt.date(1960, 2, 2),
        sex="female",
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    first = TODAY - dt.timedelta(days=760)
    for cycle in range(3):
        store.give(
            li, patient, drug="sintilimab", status="given", dose_mg=200, given_on=first + dt.timedelta(days=21 * cycle)
        )
    store.give(li, patient, drug="sintilimab", status="held", dose_mg=0, given_on=first + dt.timedelta(days=63))
    none_planned = compute_ledger(store, patient, library, on=TODAY, planned_events=[])
    assert none_planned.pd1 is not None
    assert (none_planned.pd1.cycles_given, none_planned.pd1.months) == (3, 24)
    assert [(f.code, f.severity.value) for f in none_planned.pd1.flags] == [("pd1.months_reached", "info")]
    planned = [PlannedDose("sintilimab", TODAY, dose_mg=200)]
    blocked = compute_ledger(store, patient, library, on=TODAY, planned_events=planned)
    assert blocked.pd1 is not None
    assert [(f.code, f.severity.value) for f in blocked.pd1.flags] == [("pd1.months_reached", "block")]
    assert "ORIENT-15" in (blocked.pd1.source or "")


def test_projection_edges_weight_rule_auc_unknown_regimen_and_pd1_bounds(
    store: Store, staff: dict[str, User], library: Library
) -> None:
    li = actor(staff["li"])
    patient = store.add_patient(
        li,
        hospital_number="H-L3",
        full_name="赵敏",
        date_of_birth=dt.date(1955, 3, 3),
        sex="female",
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    store.add_measurement(li, patient, "weight", "55 kg", TODAY)
    # ORIENT-15: sintilimab 3 mg/kg below 60 kg → 165 mg at 55 kg; its maintenance bound: 24 months.
    store.create_plan(
        li,
        patient,
        regimen_id="escc-orient-15",
        regimen_version="1.0.0",
        choices={"chemo": "fp"},
        policies={},
        start_date=TODAY,
    )
    # NCT07016737 with salvage scheduled: carboplatin AUC lines have no dose in mg or mg/m² to project.
    store.create_plan(
        li,
        patient,
        regimen_id="escc-nct07016737",
        regimen_version="1.0.0",
        choices={"pd1": "sintilimab", "chemo": "paclitaxel", "rt": "50.4gy-28fx"},
        policies={},
        start_date=TODAY,
        phase_starts={"salvage": TODAY + dt.timedelta(days=60)},
    )
    unknown = store.create_plan(
        li, patient, regimen_id="escc-nope", regimen_version="9.9.9", choices={}, policies={}, start_date=TODAY
    )
    broken = store.create_plan(
        li,
        patient,
        regimen_id="escc-orient-15",
        regimen_version="1.0.0",
        choices={"chemo": "tp"},
        policies={},
        start_date=TODAY,
        phase_starts={"no-such-phase": TODAY},
    )
    store.give(li, patient, drug="pembrolizumab", status="given", dose_mg=200, given_on=TODAY - dt.timedelta(days=1))
    store.add_prior_chemotherapy(li, patient, drug="camrelizumab", total_text="6 cycles", source="referral letter")
    ledger = compute_ledger(store, patient, library, on=TODAY)
    sintilimab = sorted({round(d.dose_mg or 0, 6) for d in ledger.planned if d.drug == "sintilimab"})
    assert sintilimab == [165.0, 200.0]  # ORIENT-15 by the weight rule; NCT07016737 flat 200 mg
    carboplatin = [d for d in ledger.planned if d.drug == "carboplatin"]
    assert carboplatin
    assert {(d.mg_per_m2, d.dose_mg) for d in carboplatin} == {(None, None)}
    projections = {p.plan_id: p for p in ledger.plans}
    assert [f.code for f in projections[unknown].flags] == ["plan.not_projected"]
    assert "not in the library" in projections[unknown].flags[0].message
    assert [f.code for f in projections[broken].flags] == ["plan.not_projected"]
    assert ledger.pd1 is not None
    # Months from ORIENT-15's maintenance phase; cycles from pembrolizumab's catalogue entry (35, warn 31).
    assert (ledger.pd1.months, ledger.pd1.max_cycles, ledger.pd1.warn_cycles) == (24, 35, 31)
    codes = {f.code: f.severity.value for f in ledger.flags}
    assert codes["pd1.prior_declared"] == "warning"
    assert codes["cumulative.prior_not_counted"] == "info"  # "6 cycles" is no dose


def test_pd1_bound_from_the_catalogue_without_a_plan(store: Store, staff: dict[str, User], library: Library) -> None:
    li = actor(staff["li"])
    patient = store.add_patient(
        li,
        hospital_number="H-L4",
        full_name="周杰",
        date_of_birth=dt.date(1966, 4, 4),
        sex="male",
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    store.give(li, patient, drug="tislelizumab", status="given", dose_mg=200, given_on=TODAY - dt.timedelta(days=650))
    planned = [PlannedDose("tislelizumab", TODAY, dose_mg=200)]
    ledger = compute_ledger(store, patient, library, on=TODAY, planned_events=planned)
    assert ledger.pd1 is not None
    # drugs.toml tislelizumab: 24 months, warning from 21; 650 days ≈ 21.4 months.
    assert (ledger.pd1.months, ledger.pd1.warn_months, ledger.pd1.status) == (24, 21, "warning")
