"""Benchmark of the cumulative-dose ledger: one patient, and one patient among 10,000 in SQLite.

Usage (from the repository root)::

    .venv/bin/python bench/bench_ledger.py [--json OUT] [--repeat N] [--patients N] [--samples N]

Targets (the ledger issue): *a ledger for a patient with 60 administrations ≤ 20 ms; with 10,000
patients × 40 administrations in SQLite, open a patient and compute the ledger ≤ 50 ms.*

(a) ``compute_ledger`` for one patient with 60 administrations (ORIENT-15, fluorouracil option: 6
    combination cycles of sintilimab, cisplatin and fluorouracil days 1–5, then 18 sintilimab cycles),
    written through the Store API (audit trail and all) into a SQLite file. It includes the SELECTs, the
    re-planning of the active plan with ``compute_plan`` and every check. Also the pure part alone
    (``dosecalc.ledger`` from plain inputs already read). Floor: the administrations SELECT with
    ``sqlite3`` and the per-drug mg and mg/m² sums in plain Python.
(b) A SQLite store with ``--patients`` (10,000) patients × 40 administrations (ORIENT-15, paclitaxel
    option), 27 orders, one active plan and 10 measurements each, and a prior course for one in ten. The
    schema is made by ``open_store`` (Alembic); the rows are then written with bulk inserts in ONE
    transaction. **This bypasses the audit trail**: writing 400,000 administrations through
    ``Store.give`` (one transaction and one hash-chained audit entry each) would take far too long, and
    only reads are timed. The store is then opened again with ``open_store`` (timed, for information),
    and each sample looks a random patient up by hospital number (``Store.patient_by_number``) and
    computes the ledger. Floor: the same look-up and the administrations SELECT with ``sqlite3``, summed
    in plain Python, on the same patient.

Samples are interleaved with their floor, so noise on a shared machine falls on both alike. The median,
10th and 90th percentiles of the samples are reported in ms. The script asserts nothing about timing; it
checks once that the floor's sums equal the ledger's. ``EXPLAIN QUERY PLAN`` of each ledger query on the
big store is printed and written to the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from dosecalc.ledger import (
    DEFAULT_SETTINGS,
    Administration,
    PriorDose,
    Reading,
    RtCourse,
    day1_lab_check,
    drug_totals,
    pd1_bound,
    radiotherapy_sums,
    staleness,
    weight_change,
)
from dosecalc.regimen.loader import Library, load_library
from dosecalc.store.audit import SYSTEM, Actor
from dosecalc.store.ledger import LEDGER_STATEMENTS, compute_ledger, ledger_queries
from dosecalc.store.records import Store, open_store
from dosecalc.store.schema import (
    administrations,
    measurements,
    orders,
    patients,
    plans,
    prior_chemotherapy,
    prior_radiotherapy,
)

TODAY = dt.date.today()
REPEAT = 30
NUMBER = 10
SAMPLES = 300
SEED = 20261121
BSA = 1.6
MEASURED = (
    ("height", "160 cm", 160.0, 120),
    ("weight", "62 kg", 62.0, 60),
    ("weight", "61 kg", 61.0, 2),
    ("creatinine", "70 µmol/L", 0.79, 2),
    ("anc", "2.1 x10^9/L", 2.1, 1),
    ("platelets", "180 x10^9/L", 180.0, 1),
    ("hemoglobin", "11 g/dL", 11.0, 1),
    ("bilirubin", "12 µmol/L", 12.0, 1),
    ("ast", "30 units/L", 30.0, 1),
    ("alt", "28 units/L", 28.0, 1),
)


# --------------------------------------------------------------------------------------------- (a)


def one_patient(store: Store, library: Library) -> int:
    """ORIENT-15 fluorouracil option through the Store API: 60 administrations ending yesterday."""
    user = store.add_user(SYSTEM, "bench", "Bench", "pharmacist", "bench-password-1")
    by = Actor(user.id, user.username)
    patient = store.add_patient(
        by,
        hospital_number="B-0001",
        full_name="Bench Patient",
        date_of_birth=dt.date(1958, 6, 1),
        sex="female",
        allergies="no known allergies",
        diagnosis="ESCC",
    )
    for kind, text, _, days in MEASURED:
        store.add_measurement(by, patient, kind, text, TODAY - dt.timedelta(days=days))
    start = TODAY - dt.timedelta(days=23 * 21 + 1)
    plan = store.create_plan(
        by,
        patient,
        regimen_id="escc-orient-15",
        regimen_version="1.0.0",
        choices={"chemo": "fp"},
        policies={},
        start_date=start,
    )
    for index in range(24):
        day1 = start + dt.timedelta(days=21 * index)
        phase, cycle = ("combination", index + 1) if index < 6 else ("maintenance", index - 5)
        order = store.save_order(by, plan, phase, cycle, {"weight": "61 kg"}, {"lines": []})
        store.give(by, patient, drug="sintilimab", status="given", dose_mg=200, given_on=day1, order_id=order)
        if phase == "combination":
            store.give(
                by,
                patient,
                drug="cisplatin",
                status="given",
                dose_mg=75 * BSA,
                given_on=day1,
                order_id=order,
                bsa_m2=BSA,
            )
            for day in range(5):
                store.give(
                    by,
                    patient,
                    drug="fluorouracil",
                    status="given",
                    dose_mg=800 * BSA,
                    given_on=day1 + dt.timedelta(days=day),
                    order_id=order,
                    bsa_m2=BSA,
                )
    store.add_prior_chemotherapy(by, patient, drug="cisplatin", total_text="100 mg/m**2", source="discharge letter")
    store.add_prior_radiotherapy(
        by,
        patient,
        site="oesophagus",
        total_gy=50.4,
        fractions=28,
        finished_on=start - dt.timedelta(days=400),
        source="RT summary",
    )
    store.add_prior_radiotherapy(
        by,
        patient,
        site="spinal cord",
        total_gy=45,
        fractions=30,
        finished_on=start - dt.timedelta(days=400),
        source="RT summary",
    )
    assert len(store.administrations(patient)) == 60
    return patient


def pure_inputs(store: Store, patient: int) -> dict[str, Any]:
    """The plain inputs of the pure ledger, read once (the pure figure times the computation only)."""
    given = [
        Administration(r["drug"], r["status"], r["dose_mg"], r["given_on"], r["bsa_m2"], r["id"])
        for r in store.administrations(patient)
    ]
    chemo, radio = store.prior_treatment(patient)
    latest = store.latest_measurements(patient, TODAY)
    return {
        "given": given,
        "priors": [PriorDose(r["drug"], r["total_text"], r["source"], r["until"]) for r in chemo],
        "courses": [RtCourse(r["site"], r["total_gy"], r["fractions"], r["finished_on"], r["source"]) for r in radio],
        "latest": {k: Reading(k, r["value_si"], r["measured_on"]) for k, r in latest.items()},
    }


def pure_ledger(inputs: dict[str, Any], library: Library) -> Any:
    given = inputs["given"]
    latest = inputs["latest"]
    totals = drug_totals(given, inputs["priors"], library.catalogue)
    sums = radiotherapy_sums(inputs["courses"], DEFAULT_SETTINGS.alpha_beta_gy, default_alpha_beta_gy=3.0)
    pd1 = [a for a in given if a.drug == "sintilimab"]
    bound = pd1_bound(pd1[0].given_on, len(pd1), TODAY)
    fresh = staleness(latest, TODAY)
    change = weight_change(latest["weight"].value, 62.0)
    labs = day1_lab_check(latest)
    return totals, sums, bound, fresh, change, labs


def floor_sums(connection: sqlite3.Connection, patient: int) -> dict[str, tuple[float, float]]:
    """Per drug (mg, mg/m²) of given and modified doses: the SELECT and the sums in plain Python."""
    sums: dict[str, list[float]] = {}
    for drug, status, dose, bsa in connection.execute(
        "SELECT drug, status, dose_mg, bsa_m2 FROM administrations WHERE patient_id = ? AND given_on <= ?",
        (patient, TODAY.isoformat()),
    ):
        if status == "given" or status == "modified":
            pair = sums.setdefault(drug, [0.0, 0.0])
            pair[0] += dose
            if bsa:
                pair[1] += dose / bsa
    return {drug: (mg, per_m2) for drug, (mg, per_m2) in sums.items()}


def check_floor(ledger: Any, floor: dict[str, tuple[float, float]]) -> None:
    own = {d.drug: (d.mg.given, d.mg_per_m2.given) for d in ledger.drugs if not d.class_total}
    for drug, (mg, per_m2) in floor.items():
        got = own[drug]
        if abs(got[0] - mg) > 1e-6 or abs(got[1] - per_m2) > 1e-6:
            raise SystemExit(f"floor disagrees with the ledger for {drug}: {got} vs {(mg, per_m2)}")


# --------------------------------------------------------------------------------------------- (b)


def build_bulk(url: str, path: Path, count: int, seed: int) -> dict[str, Any]:
    """``count`` patients × 40 administrations, bulk-inserted in one transaction (no audit entries)."""
    started = time.perf_counter()
    store = open_store(url)  # creates the schema with the migrations
    user = store.add_user(SYSTEM, "bulk", "Bulk Loader", "pharmacist", "bulk-password-1")
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    rows: dict[str, list[dict[str, Any]]] = {
        t: []
        for t in (
            "patients",
            "measurements",
            "plans",
            "orders",
            "administrations",
            "prior_chemotherapy",
            "prior_radiotherapy",
        )
    }
    order_id = 0
    for pid in range(1, count + 1):
        rows["patients"].append(
            {
                "id": pid,
                "hospital_number": f"H{pid:06d}",
                "full_name": f"Patient {pid}",
                "date_of_birth": dt.date(1950 + pid % 30, 1 + pid % 12, 1 + pid % 28),
                "sex": "male" if pid % 3 else "female",
                "allergies": "no known allergies",
                "diagnosis": "ESCC",
                "language": "zh_CN",
                "demo": False,
                "created_at": now,
                "row_version": 1,
            }
        )
        for kind, text, value, days in MEASURED:
            rows["measurements"].append(
                {
                    "patient_id": pid,
                    "kind": kind,
                    "value_text": text,
                    "value_si": value,
                    "measured_on": TODAY - dt.timedelta(days=days + rng.randrange(3)),
                    "source": "measured",
                    "entered_by": user.id,
                    "entered_at": now,
                    "voided": False,
                    "row_version": 1,
                }
            )
        start = TODAY - dt.timedelta(days=26 * 21 + rng.randrange(200))
        plan_id = pid
        rows["plans"].append(
            {
                "id": plan_id,
                "patient_id": pid,
                "regimen_id": "escc-orient-15",
                "regimen_version": "1.0.0",
                "choices": {"chemo": "tp"},
                "policies": {},
                "start_date": start,
                "phase_starts": {},
                "status": "active",
                "created_by": user.id,
                "created_at": now,
                "row_version": 1,
            }
        )
        bsa = round(rng.uniform(1.4, 2.1), 2)
        for index in range(27):  # 6 combination + 21 maintenance cycles: 19 + 21 = 40 administrations
            day1 = start + dt.timedelta(days=21 * index)
            phase, cycle = ("combination", index + 1) if index < 6 else ("maintenance", index - 5)
            order_id += 1
            rows["orders"].append(
                {
                    "id": order_id,
                    "plan_id": plan_id,
                    "patient_id": pid,
                    "phase": phase,
                    "cycle": cycle,
                    "status": "printed",
                    "inputs": {"weight": "61 kg"},
                    "snapshot": {"lines": []},
                    "content_hash": "0" * 64,
                    "calculated_by": user.id,
                    "calculated_at": now,
                    "overrides": [],
                    "row_version": 1,
                }
            )
            doses = [("sintilimab", 200.0, None, day1)]
            if phase == "combination":
                doses.append(("cisplatin", round(75 * bsa), bsa, day1))
                if cycle == 1:
                    doses += [
                        ("paclitaxel", round(87.5 * bsa), bsa, day1),
                        ("paclitaxel", round(87.5 * bsa), bsa, day1 + dt.timedelta(days=7)),
                    ]
                else:
                    doses.append(("paclitaxel", round(175 * bsa), bsa, day1))
            for drug, mg, drug_bsa, day in doses:
                held = rng.random() < 0.02
                rows["administrations"].append(
                    {
                        "patient_id": pid,
                        "order_id": order_id,
                        "drug": drug,
                        "status": "held" if held else "given",
                        "dose_mg": 0.0 if held else mg,
                        "bsa_m2": drug_bsa,
                        "given_on": day,
                        "given_by": user.id,
                        "note": None,
                        "entered_at": now,
                        "row_version": 1,
                    }
                )
        if pid % 10 == 0:
            rows["prior_chemotherapy"].append(
                {
                    "patient_id": pid,
                    "drug": "cisplatin",
                    "total_text": "150 mg/m**2",
                    "source": "discharge letter",
                    "until": start - dt.timedelta(400),
                    "entered_by": user.id,
                    "entered_at": now,
                    "row_version": 1,
                }
            )
            rows["prior_radiotherapy"].append(
                {
                    "patient_id": pid,
                    "site": "oesophagus",
                    "total_gy": 50.4,
                    "fractions": 28,
                    "finished_on": start - dt.timedelta(400),
                    "source": "RT summary",
                    "entered_by": user.id,
                    "entered_at": now,
                    "row_version": 1,
                }
            )
    generated = time.perf_counter() - started
    tables = {
        "patients": patients,
        "measurements": measurements,
        "plans": plans,
        "orders": orders,
        "administrations": administrations,
        "prior_chemotherapy": prior_chemotherapy,
        "prior_radiotherapy": prior_radiotherapy,
    }
    with store.engine.begin() as connection:  # one transaction for every row
        for name, table in tables.items():
            connection.execute(insert(table), rows[name])
    with store.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    store.engine.dispose()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "generate_seconds": round(generated, 2),
        "rows": {name: len(value) for name, value in rows.items()},
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def explain(store: Store, patient: int) -> dict[str, list[str]]:
    """``EXPLAIN QUERY PLAN`` of each ledger query, parameters bound to this patient."""
    plans_by_query: dict[str, list[str]] = {}
    with store.engine.connect() as connection:
        for name, query in ledger_queries(patient, TODAY).items():
            compiled = query.compile(dialect=store.engine.dialect)
            params = compiled.construct_params()
            values = tuple(_plain(params[key]) for key in (compiled.positiontup or ()))
            result = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), values)
            plans_by_query[name] = [str(row[-1]) for row in result]
    return plans_by_query


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


# --------------------------------------------------------------------------------------------- sampling


def _summary(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    deciles = statistics.quantiles(ordered, n=10) if len(ordered) >= 2 else [ordered[0]] * 9
    return {"median": statistics.median(ordered), "p10": deciles[0], "p90": deciles[-1], "n": len(ordered)}


def batches(functions: dict[str, Callable[[], object]], repeat: int, number: int) -> dict[str, list[float]]:
    """Interleaved ``timeit`` batches: per-call ms of each batch, one warm-up batch first."""
    timers = {name: timeit.Timer(fn) for name, fn in functions.items()}
    for timer in timers.values():
        timer.timeit(number)
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, timer in timers.items():
            samples[name].append(timer.timeit(number) / number * 1000)
    return samples


def row(name: str, samples: Sequence[float], floor_name: str | None, floor: Sequence[float] | None) -> dict[str, Any]:
    figure: dict[str, Any] = {"figure": name, **_summary(samples)}
    if floor_name is not None and floor is not None:
        floor_summary = _summary(floor)
        figure.update(
            floor=floor_name, floor_median=floor_summary["median"], ratio=figure["median"] / floor_summary["median"]
        )
    return figure


def print_table(figures: Sequence[dict[str, Any]]) -> None:
    print(f"{'figure':<66} {'median ms':>10} {'p10':>8} {'p90':>8}  {'floor median ms':>15} {'ratio':>7}")
    for f in figures:
        floor = f"{f['floor_median']:>15.3f} {f['ratio']:>6.1f}×" if "floor" in f else ""
        print(f"{f['figure']:<66} {f['median']:>10.3f} {f['p10']:>8.3f} {f['p90']:>8.3f}  {floor}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to this JSON file")
    parser.add_argument("--repeat", type=int, default=REPEAT, metavar="N", help=f"batches for (a) (default {REPEAT})")
    parser.add_argument("--patients", type=int, default=10_000, metavar="N", help="patients in (b) (default 10000)")
    parser.add_argument("--samples", type=int, default=SAMPLES, metavar="N", help=f"samples in (b) (default {SAMPLES})")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    library = load_library()
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="dosecalc-bench-ledger-") as folder:
        # (a) one patient, 60 administrations, written through the Store API.
        small_path = Path(folder) / "one.sqlite3"
        small = open_store(f"sqlite:///{small_path}")
        patient = one_patient(small, library)
        raw = sqlite3.connect(small_path)
        check_floor(compute_ledger(small, patient, library, on=TODAY), floor_sums(raw, patient))
        inputs = pure_inputs(small, patient)
        samples = batches(
            {
                "ledger": lambda: compute_ledger(small, patient, library, on=TODAY),
                "pure": lambda: pure_ledger(inputs, library),
                "floor": lambda: floor_sums(raw, patient),
            },
            args.repeat,
            NUMBER,
        )
        figures.append(
            row(
                "(a) compute_ledger, 60 administrations (target ≤ 20 ms)",
                samples["ledger"],
                "sqlite3 SELECT + sums",
                samples["floor"],
            )
        )
        figures.append(
            row(
                "(a) pure ledger from plain inputs (no SQL, no plan)",
                samples["pure"],
                "sqlite3 SELECT + sums",
                samples["floor"],
            )
        )
        raw.close()
        small.engine.dispose()

        # (b) 10,000 patients × 40 administrations, bulk-loaded (audit trail bypassed: only reads are timed).
        big_path = Path(folder) / "big.sqlite3"
        url = f"sqlite:///{big_path}"
        print(f"building {args.patients} patients × 40 administrations ...", file=sys.stderr)
        build = build_bulk(url, big_path, args.patients, args.seed)
        print(f"built in {build['seconds']} s: {build['rows']}", file=sys.stderr)
        began = time.perf_counter()
        store = open_store(url)
        open_ms = (time.perf_counter() - began) * 1000
        raw = sqlite3.connect(big_path)
        rng = random.Random(args.seed + 1)
        numbers = [f"H{rng.randrange(1, args.patients + 1):06d}" for _ in range(args.samples + 1)]

        def open_and_compute(number: str) -> Any:
            found = store.patient_by_number(number)
            return compute_ledger(store, found["id"], library, on=TODAY)

        def sql_only(number: str) -> None:
            with store.engine.connect() as connection:
                found = connection.execute(select(patients.c.id).where(patients.c.hospital_number == number))
                params = {"patient_id": found.scalar_one(), "on": TODAY}
                for query in LEDGER_STATEMENTS.values():
                    connection.execute(query, params).all()

        def floor_open(number: str) -> dict[str, tuple[float, float]]:
            (patient_id,) = raw.execute("SELECT id FROM patients WHERE hospital_number = ?", (number,)).fetchone()
            return floor_sums(raw, patient_id)

        began = time.perf_counter()
        first = open_and_compute(numbers[0])
        first_ms = (time.perf_counter() - began) * 1000
        check_floor(first, floor_open(numbers[0]))
        big: list[float] = []
        big_floor: list[float] = []
        big_sql: list[float] = []
        for number in numbers[1:]:
            began = time.perf_counter()
            open_and_compute(number)
            big.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            sql_only(number)
            big_sql.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            floor_open(number)
            big_floor.append((time.perf_counter() - began) * 1000)
        figures.append(
            row(
                f"(b) {args.patients:,} × 40: look up + compute_ledger (target ≤ 50 ms)",
                big,
                "sqlite3 look-up + SELECT + sums",
                big_floor,
            )
        )
        figures.append(
            row(
                "(b) of which: the ledger SELECTs alone (SQLAlchemy, no computing)",
                big_sql,
                "sqlite3 look-up + SELECT + sums",
                big_floor,
            )
        )
        plans_by_query = explain(store, first.patient_id)
        raw.close()
        store.engine.dispose()

    print_table(figures)
    print(
        f"(b) open_store on the {args.patients:,}-patient file (migrations check + audit chain): {open_ms:.1f} ms; "
        f"first look-up + ledger after opening: {first_ms:.1f} ms"
    )
    print(f"(b) bulk build: {build['seconds']} s, {build['file_mb']} MB")
    for name, lines in plans_by_query.items():
        print(f"EXPLAIN {name}: " + " | ".join(lines))
    a, b = figures[0]["median"], figures[2]["median"]
    met = {"a_60_administrations_le_20_ms": a <= 20, "b_10000_patients_le_50_ms": b <= 50}
    print(
        f"targets: (a) {a:.2f} ms ≤ 20 ms: {met['a_60_administrations_le_20_ms']}; "
        f"(b) {b:.2f} ms ≤ 50 ms: {met['b_10000_patients_le_50_ms']}"
    )
    if args.json is not None:
        report = {
            "date": TODAY.isoformat(),
            "machine": {
                "platform": platform.platform(),
                "processor": platform.processor(),
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "sqlalchemy": version("sqlalchemy"),
                "pint": version("pint"),
                "pydantic": version("pydantic"),
                "sqlite": sqlite3.sqlite_version,
            },
            "figures": figures,
            "open_store_ms": open_ms,
            "first_ledger_ms": first_ms,
            "build": build,
            "explain": plans_by_query,
            "targets_met": met,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
