"""Benchmark of ``dosecalc order --batch``: 10,000 orders re-checked, as a whole process and in-process.

Usage (from the repository root)::

    .venv/bin/python bench/bench_batch.py [--orders N] [--runs N] [--seed S] [--json OUT] [--profile]

It writes ``--orders`` (default 10,000) varied, valid NCT07016737 orders to a CSV
file in a temporary directory (deterministic: a seeded ``random.Random``), then
measures, runs interleaved so that noise on a shared machine falls on a figure
and its floor alike:

- ``process``: ``python -m dosecalc order --batch FILE --out REPORT.json`` as a whole
  process (interpreter start, imports, library load, re-check, JSON report), against
  the floor ``python -c pass`` (the bare interpreter). ``python -m dosecalc --version``
  (start and imports only) is shown between the two;
- ``core``: reading the file and ``recheck_orders(text, library)`` in this process
  (library loaded once beforehand), against the floor of reading the same file and
  parsing it with the ``csv`` module in plain Python.

Each figure is the median of ``--runs`` runs (default 3). The target is the
process figure ≤ 5 s for 10,000 orders. Above it (or with ``--profile``) the
core is profiled with cProfile and the top costs are printed with a suggested
fix for each known one. The script checks that every generated row is valid
(the report has no error rows) and that the process wrote a report of every order;
it asserts nothing about wall-clock time.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import math
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from machine import machine  # bench/machine.py, beside this script

from dosecalc.regimen.batch import POLICY_COLUMNS, REQUIRED_COLUMNS, BatchReport, recheck_orders
from dosecalc.regimen.loader import Library, load_library

ORDERS = 10_000
RUNS = 3
SEED = 20261121
TARGET_S = 5.0
REGIMEN = "escc-nct07016737"
DRUGS = ("sintilimab", "camrelizumab", "paclitaxel", "docetaxel", "irinotecan", "carboplatin")
# The batch format's own column lists, so the bench file always matches what the batch reads.
HEADER = (*REQUIRED_COLUMNS, *POLICY_COLUMNS, *(f"prescribed:{drug}" for drug in DRUGS), "reason")
# mg/m² per dose level (0, −1, −2) of each chemotherapy option of the induction phase.
INDUCTION_CHEMO = {
    "paclitaxel": (175.0, 150.0, 135.0),
    "docetaxel": (75.0, 60.0, 55.0),
    "irinotecan": (270.0, 270.0, 270.0),  # no dose-level ladder: the protocol dose stays
}

# The known costs of a profile, by (file, function), and how to remove each (printed next to it).
# They are in modules this benchmark does not own; the figures in bench/README.md are without these fixes.
FIXES = {
    ("order.py", "_compute_line"): "the per-line work of compute_regimen_order; its callees below are the costs.",
    ("rounding.py", "parse_round_step"): "dosecalc/regimen/order.py _compute_line re-parses the drug's "
    "rounding_step text ('10 mg') through pint on every line: parse it once per drug (lru_cache on the text, "
    "or a cached value on the Drug model).",
    ("dosing.py", "parse_dose_basis"): "dosecalc/regimen/order.py _compute_line re-parses the line's dose text "
    "('175 mg/m**2') on every order: cache the DoseBasis per (text, limits); DoseBasis is frozen.",
    ("units.py", "parse_quantity"): "mostly the two re-parses above (and Quantity(drug.max_single_dose) in "
    "_drug_flags): caching them removes most of these calls.",
    ("units.py", "allowed"): "QuantityKind.allowed builds a frozenset of unit containers on every "
    "parse_quantity call: compute it once per (kind, allow_imperial), e.g. functools.cache.",
    ("derivation.py", "extended"): "Derivation.extended runs 2–4 times per line (AUC, weight rule, flags): "
    "collect the flags first and extend once.",
    ("display.py", "format_number"): "Decimal formatting of flag and derivation text during the calculation "
    "(every flag message is built whether or not it is shown).",
}


# --------------------------------------------------------------------------------------------
# The orders: varied, valid, with prescribed doses mostly matching the protocol.
# --------------------------------------------------------------------------------------------


def _round(mg: float, step: float = 10.0, max_deviation: float = 0.05) -> float:
    """Half-up to the step within the deviation, as the site would prescribe (else the exact dose, 2 dp)."""
    calculated = Decimal(repr(mg))
    step_d = Decimal(repr(step))
    candidate = (calculated / step_d).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step_d
    if candidate != 0 and abs((candidate - calculated) / calculated) <= Decimal(repr(max_deviation)):
        return float(candidate)
    return round(mg, 2)


def _mg(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} mg"


def generate_rows(count: int, seed: int) -> list[dict[str, str]]:
    """``count`` valid orders: induction, maintenance and salvage, every choice, varied patients and policies."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for index in range(count):
        row = dict.fromkeys(HEADER, "")
        female = rng.random() < 0.3
        height = rng.randint(150, 185) if not female else rng.randint(148, 172)
        weight = round(rng.uniform(45.0, 90.0), 1)
        age = rng.randint(38, 82)
        if rng.random() < 0.7:
            umol = rng.randint(50, 115)
            creatinine_text, creatinine_mg_dl = f"{umol} µmol/L", umol / 88.4
        else:
            mg_dl = round(rng.uniform(0.55, 1.3), 2)
            creatinine_text, creatinine_mg_dl = f"{mg_dl} mg/dL", mg_dl
        row.update(
            order_id=f"B-{index + 1:05d}",
            patient_id=f"P-{rng.randint(1, 3000):05d}",
            regimen=REGIMEN,
            age=str(age),
            sex="female" if female else "male",
            height=f"{height} cm",
            weight=f"{weight} kg",
            creatinine=creatinine_text,
        )
        bsa = math.sqrt(height * weight / 3600.0)
        if rng.random() < 0.08:
            row["bsa_formula"] = "dubois"
            bsa = 0.007184 * height**0.725 * weight**0.425
        if rng.random() < 0.1:
            reference = round(weight * rng.uniform(0.85, 1.12), 1)
            row["reference_weight"] = f"{reference} kg"
        pd1 = rng.choice(("sintilimab", "camrelizumab"))
        prescribed: dict[str, float] = {}
        phase = rng.choices(("induction", "maintenance", "salvage"), weights=(5, 4, 1))[0]
        row["phase"] = phase
        if phase == "induction":
            chemo = rng.choice(tuple(INDUCTION_CHEMO))
            level = rng.choices((0, 1, 2), weights=(85, 10, 5))[0]
            if level:
                row["dose_level"] = str(level)
            row["cycle"] = str(rng.randint(1, 4))
            row["choices"] = f"pd1={pd1};chemo={chemo}"
            prescribed[pd1] = 200.0
            prescribed[chemo] = _round(INDUCTION_CHEMO[chemo][level] * bsa)
        elif phase == "maintenance":
            row["cycle"] = str(rng.randint(1, 35))
            row["choices"] = f"pd1={pd1}"
            prescribed[pd1] = 200.0
        else:
            row["cycle"] = str(rng.randint(1, 5))
            row["choices"] = "rt=" + rng.choice(("45gy-25fx", "50.4gy-28fx"))
            prescribed["paclitaxel"] = _round(50.0 * bsa)
            if rng.random() < 0.2:
                gfr = rng.randint(40, 140)
                row["renal_method"], row["gfr"] = "measured", f"{gfr} mL/min"
            else:
                gfr = (140 - age) * weight / (72 * creatinine_mg_dl) * (0.85 if female else 1.0)
            prescribed["carboplatin"] = _round(2 * (min(gfr, 125.0) + 25.0))
        for drug, dose in prescribed.items():
            draw = rng.random()
            if draw < 0.06:  # a prescribing difference the re-check should find
                dose *= rng.choice((0.88, 0.93, 1.07, 1.12))
                if dose > prescribed[drug] and rng.random() < 0.5:
                    row["reason"] = "rounded up to whole vials (attending)"
            elif draw < 0.08:  # an empty cell: not compared
                continue
            row[f"prescribed:{drug}"] = _mg(dose)
        rows.append(row)
    return rows


def write_csv(rows: Sequence[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)


# --------------------------------------------------------------------------------------------
# What is timed, and its floors.
# --------------------------------------------------------------------------------------------


def floor_core(path: Path) -> int:
    """Read the file and parse it with the csv module: the least any re-check has to do."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return len(rows) - 1


def core(path: Path, library: Library) -> BatchReport:
    return recheck_orders(path.read_text(encoding="utf-8-sig"), library)


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("DOSECALC_SITE_REGIMENS", None)  # the shipped library, as the figures say
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    return environment


def run_process(command: Sequence[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=_environment(), check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return elapsed


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


# --------------------------------------------------------------------------------------------
# Reporting.
# --------------------------------------------------------------------------------------------


def profile_core(path: Path, library: Library, top: int) -> dict[str, list[dict[str, Any]]]:
    """cProfile of one in-process re-check: the ``top`` functions by own time, with a fix for known ones."""
    profiler = cProfile.Profile()
    profiler.runcall(core, path, library)
    stats = pstats.Stats(profiler)
    rows = []
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in entries.values())
    for (filename, lineno, name), (_, calls, own, cumulative, _) in sorted(
        entries.items(), key=lambda item: item[1][2], reverse=True
    )[:top]:
        rows.append(
            {
                "function": f"{Path(filename).name}:{lineno}({name})",
                "calls": calls,
                "own_s": round(own, 4),
                "cumulative_s": round(cumulative, 4),
                "own_share": round(own / total, 3) if total else 0.0,
                "fix": FIXES.get((Path(filename).name, name), ""),
            }
        )
    # The known costs by cumulative time, whatever their own time: these are where a fix pays.
    known = []
    for (filename, lineno, name), (_, calls, _, cumulative, _) in entries.items():
        fix = FIXES.get((Path(filename).name, name))
        if fix is not None and f"dosecalc{os.sep}" in filename:
            known.append(
                {
                    "function": f"{Path(filename).name}:{lineno}({name})",
                    "calls": calls,
                    "cumulative_s": round(cumulative, 4),
                    "fix": fix,
                }
            )
    known.sort(key=lambda item: item["cumulative_s"], reverse=True)
    return {"top_by_own_time": rows, "known_costs": known}


def print_profile(profile: dict[str, list[dict[str, Any]]]) -> None:
    print("\ncProfile of the in-process core (profiler overhead inflates every figure), top by own time:")
    for row in profile["top_by_own_time"]:
        print(
            f"  {row['own_s']:>7.3f} s own ({row['own_share'] * 100:4.1f} %)  {row['cumulative_s']:>7.3f} s cum  "
            f"{row['calls']:>7}×  {row['function']}"
        )
    print("Known costs by cumulative time, and their fixes:")
    for row in profile["known_costs"]:
        print(f"  {row['cumulative_s']:>7.3f} s cum  {row['calls']:>7}×  {row['function']}\n      fix: {row['fix']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=ORDERS, help=f"orders in the batch (default {ORDERS})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each figure (default {RUNS})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed of the orders (default {SEED})")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to this JSON file")
    parser.add_argument("--profile", action="store_true", help="profile the core even when within the target")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.orders < 1:
        parser.error("--runs and --orders must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as temporary:
        directory = Path(temporary)
        orders = directory / "orders.csv"
        report_path = directory / "report.json"
        write_csv(generate_rows(args.orders, args.seed), orders)
        size_mb = orders.stat().st_size / 1e6

        library_start = time.perf_counter()
        library = load_library()
        library_s = time.perf_counter() - library_start
        check = core(orders, library)
        if check.totals.errors or check.totals.orders != args.orders:
            bad = next((row for row in check.rows if row.error), None)
            raise SystemExit(f"generated rows are not all valid: {check.totals}; first error: {bad}")

        python = sys.executable
        process = [python, "-m", "dosecalc", "order", "--batch", str(orders), "--out", str(report_path)]
        samples: dict[str, list[float]] = {k: [] for k in ("process", "imports", "interpreter", "core", "csv")}
        for _ in range(args.runs):  # interleaved: each run measures every figure once
            samples["interpreter"].append(run_process([python, "-c", "pass"]))
            samples["imports"].append(run_process([python, "-m", "dosecalc", "--version"]))
            report_path.unlink(missing_ok=True)
            samples["process"].append(run_process(process))
            written = json.loads(report_path.read_text(encoding="utf-8"))
            if written["totals"]["orders"] != args.orders:
                raise SystemExit(f"the process reported {written['totals']['orders']} orders, not {args.orders}")
            samples["core"].append(timed(lambda: core(orders, library)))
            samples["csv"].append(timed(lambda: floor_core(orders)))
        report_mb = report_path.stat().st_size / 1e6
        median = {name: statistics.median(values) for name, values in samples.items()}

        totals = check.totals
        print(
            f"{args.orders:,} orders (seed {args.seed}, {size_mb:.2f} MB CSV → {report_mb:.1f} MB JSON report): "
            f"{totals.ok} ok, {totals.differences} with differences, {totals.errors} errors, "
            f"{totals.blocked} blocked; library load {library_s * 1000:.1f} ms"
        )
        print(f"{args.runs} runs of each figure, interleaved; seconds")
        header = f"{'figure':<44} {'runs (s)':<26} {'median s':>9} {'µs/order':>9} {'× floor':>8}"
        print(header)
        print("-" * len(header))

        def line(label: str, name: str, floor: str | None) -> None:
            runs = " / ".join(f"{value:.3f}" for value in samples[name])
            ratio = f"{median[name] / median[floor]:.1f}×" if floor else ""
            per_order = median[name] / args.orders * 1e6
            print(f"{label:<44} {runs:<26} {median[name]:>9.3f} {per_order:>9.1f} {ratio:>8}")

        line("process: dosecalc order --batch --out .json", "process", "interpreter")
        line("  start + imports: dosecalc --version", "imports", "interpreter")
        line("  floor: python -c pass", "interpreter", None)
        line("core: read + recheck_orders (in-process)", "core", "csv")
        line("  floor: read + csv.reader", "csv", None)
        met = median["process"] <= TARGET_S
        print(
            f"target: {args.orders:,} orders in ≤ {TARGET_S:g} s as a whole process: "
            f"{'MET' if met else 'NOT MET'} ({median['process']:.2f} s)"
        )

        profile = None
        if not met or args.profile:
            profile = profile_core(orders, library, top=15)
            print_profile(profile)

    if args.json is not None:
        document = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine("pint", "pydantic"),
            "orders": args.orders,
            "seed": args.seed,
            "runs": args.runs,
            "csv_mb": round(size_mb, 3),
            "report_mb": round(report_mb, 3),
            "totals": totals.to_json(),
            "library_load_s": round(library_s, 4),
            "samples_s": {name: [round(v, 4) for v in values] for name, values in samples.items()},
            "median_s": {name: round(value, 4) for name, value in median.items()},
            "ratios": {
                "process_over_interpreter": round(median["process"] / median["interpreter"], 1),
                "core_over_csv": round(median["core"] / median["csv"], 1),
            },
            "target_s": TARGET_S,
            "target_met": met,
            "profile": profile,
        }
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
