"""Benchmark of a whole DoseCalc order against the same arithmetic in plain floats.

Usage (from the repository root)::

    .venv/bin/python bench/bench_order.py [--json OUT] [--repeat N]

Three figures, each measured next to its floor (the same work in plain Python,
no pint, no pydantic) in the same run, batches interleaved so that noise on a
shared machine falls on both alike:

- ``compute_order``: BSA (Mosteller), Cockcroft–Gault, Calvert with the 125 mL/min
  cap, and three mg/m² doses rounded to 10 mg within 5 %, all unit-checked;
- ``parse_inputs``: ``Height``/``Weight``/``SerumCreatinine.parse`` and three
  ``parse_dose_basis`` (what happens on each keystroke);
- ``render_derivations``: ``derivation.lines()`` of the three dose lines and of carboplatin.

Each figure is ``repeat`` batches of ``timeit`` over ``NUMBER`` calls after a
warm-up; the per-call time of each batch is one sample, and the median, 10th and
90th percentiles of the samples are reported in µs. The script checks once that
each floor gives the same answer as DoseCalc (same doses, same derivation text),
so a ratio compares like with like. It asserts nothing about wall-clock time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import statistics
import sys
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from machine import machine  # bench/machine.py, beside this script

from dosecalc.dosing import parse_dose_basis
from dosecalc.order import DEFAULT_POLICY, OrderLine, OrderResult, compute_order
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight

#: Calls per timed batch, and the default number of batches.
NUMBER = 200
REPEAT = 20

# The order under test: NCT07016737 induction choices, invented patient.
HEIGHT_TEXT = "168 cm"
WEIGHT_TEXT = "61 kg"
CREATININE_TEXT = "78 µmol/L"
AGE_YEARS = 64.0
FEMALE = False
AUC = 5.0
ROUND_STEP_MG = Decimal(10)
DRUGS: tuple[tuple[str, str], ...] = (
    ("PACLitaxel", "175 mg/m**2"),
    ("DOCEtaxel", "75 mg/m**2"),
    ("IRINOtecan", "270 mg/m**2"),
)


# --------------------------------------------------------------------------------------------
# The floor: the same arithmetic in plain floats (and Decimal for the rounding, as DoseCalc).
# --------------------------------------------------------------------------------------------

_UMOL_PER_MG_DL = 88.4
_GFR_CAP_ML_MIN = 125.0
_NON_RENAL_ML_MIN = 25.0
_ONE = Decimal(1)
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class FloorLine:
    drug: str
    per_m2_mg: float
    calculated_mg: float
    final_mg: Decimal
    deviation_percent: Decimal
    rounded: bool


@dataclass(frozen=True, slots=True)
class FloorOrder:
    height_cm: float
    weight_kg: float
    creatinine_umol_l: float
    bsa_m2: float
    creatinine_mg_dl: float
    clearance_ml_min: float
    gfr_used_ml_min: float
    carboplatin_mg: float
    lines: tuple[FloorLine, ...]


def floor_round(calculated_mg: float, step_mg: Decimal, max_deviation: Decimal) -> tuple[Decimal, Decimal, bool]:
    """Round half-up to the step if within ``max_deviation``: (final mg, deviation %, rounded)."""
    calculated = Decimal(repr(calculated_mg))
    candidate = (calculated / step_mg).quantize(_ONE, rounding=ROUND_HALF_UP) * step_mg
    deviation = (candidate - calculated) / calculated
    if candidate == 0 or abs(deviation) > max_deviation:
        return calculated, Decimal("0.00"), False
    return candidate, (deviation * _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP), True


def floor_order(
    height_cm: float,
    weight_kg: float,
    age_years: float,
    female: bool,
    creatinine_umol_l: float,
    auc: float,
    lines: Sequence[tuple[str, float, Decimal]],
    max_deviation: Decimal,
) -> FloorOrder:
    """Mosteller, Cockcroft–Gault (µmol/L → mg/dL), Calvert with the 125 cap, then each dose rounded."""
    bsa = math.sqrt(height_cm * weight_kg / 3600.0)
    if not 0.5 <= bsa <= 3.5:
        raise ValueError("implausible BSA")
    creatinine_mg_dl = creatinine_umol_l / _UMOL_PER_MG_DL
    clearance = (140.0 - age_years) * weight_kg / (72.0 * creatinine_mg_dl)
    if female:
        clearance *= 0.85
    if not 1.0 <= auc <= 10.0:
        raise ValueError("implausible AUC")
    gfr_used = min(clearance, _GFR_CAP_ML_MIN)
    carboplatin = auc * (gfr_used + _NON_RENAL_ML_MIN)
    results = []
    for drug, per_m2, step in lines:
        calculated = per_m2 * bsa
        final, deviation, rounded = floor_round(calculated, step, max_deviation)
        results.append(FloorLine(drug, per_m2, calculated, final, deviation, rounded))
    return FloorOrder(
        height_cm,
        weight_kg,
        creatinine_umol_l,
        bsa,
        creatinine_mg_dl,
        clearance,
        gfr_used,
        carboplatin,
        tuple(results),
    )


_FLOOR_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")
# Factor to the unit each figure is used in (cm, kg, µmol/L, mg/m²), and the refuse range there.
_FLOOR_UNITS: dict[str, dict[str, float]] = {
    "height": {"cm": 1.0, "m": 100.0},
    "weight": {"kg": 1.0, "g": 0.001},
    "creatinine": {"µmol/L": 1.0, "umol/L": 1.0, "mg/dL": _UMOL_PER_MG_DL},
    "dose": {"mg/m**2": 1.0, "mg/m²": 1.0, "g/m**2": 1000.0},
}
_FLOOR_RANGES: dict[str, tuple[float, float]] = {
    "height": (100.0, 250.0),
    "weight": (20.0, 350.0),
    "creatinine": (0.2 * _UMOL_PER_MG_DL, 20.0 * _UMOL_PER_MG_DL),
    "dose": (0.001, 20000.0),
}


def floor_parse_one(text: str, field: str) -> float:
    """``"168 cm"`` → 168.0 in the field's unit: number, known unit, finite and in range."""
    if "," in text:
        raise ValueError(f"{field}: comma")
    match = _FLOOR_NUMBER.match(text)
    if match is None:
        raise ValueError(f"{field}: not a number")
    value = float(match.group(1)) * _FLOOR_UNITS[field][match.group(2)]
    low, high = _FLOOR_RANGES[field]
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{field}: implausible")
    return value


def floor_parse(height: str, weight: str, creatinine: str, doses: Sequence[str]) -> tuple[float, ...]:
    return (
        floor_parse_one(height, "height"),
        floor_parse_one(weight, "weight"),
        floor_parse_one(creatinine, "creatinine"),
        *(floor_parse_one(d, "dose") for d in doses),
    )


def _n(value: float, decimals: int) -> str:
    """A number as DoseCalc shows it (grouped, no trailing zeros), with float formatting only."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def floor_render(order: FloorOrder, age_years: float, auc: float, max_deviation: Decimal) -> list[list[str]]:
    """The derivation text of the three dose lines and of carboplatin, from the floor's floats.

    Specialised to this order's branches (Mosteller, no BSA cap, rounded doses, man,
    µmol/L creatinine, GFR under the cap, no flags); the run checks it matches DoseCalc.
    """
    height = f"{_n(order.height_cm, 4)} cm"
    weight = f"{_n(order.weight_kg, 4)} kg"
    bsa = f"{_n(order.bsa_m2, 4)} m²"
    bsa_step = f"  BSA (Mosteller 1987) = √(height × weight / 3600) = √({height} × {weight} / 3600) = {bsa}"
    within = _n(float(max_deviation) * 100, 2)
    out = []
    for line in order.lines:
        step = _n(float(ROUND_STEP_MG), 3)
        final = _n(float(line.final_mg), 2)
        out.append(
            [
                f"{line.drug} (mg/m²)",
                "Inputs:",
                f"  height: {height}",
                f"  weight: {weight}",
                f"  dose basis: {_n(line.per_m2_mg, 4)} mg/m² (protocol)",
                "Policies:",
                "  BSA formula: Mosteller 1987",
                "  BSA cap: none (ASCO 2021)",
                f"  Rounding: nearest {step} mg if within {within} % (ties round up)",
                "  Days at this dose: per administration",
                "Steps:",
                bsa_step,
                f"  Calculated dose = dose basis × BSA = {_n(line.per_m2_mg, 4)} mg/m² × {bsa} = "
                f"{_n(line.calculated_mg, 2)} mg",
                f"  Final dose = rounded to the nearest {step} mg = {final} mg",
                f"  Difference = (final − calculated) / calculated = {_n(float(line.deviation_percent), 2)} %",
                f"  Dose per cycle = final dose × 1 day = {final} mg × 1 = {final} mg",
            ]
        )
    auc_text = f"{_n(auc, 4)} mg/mL·min"
    cap = _GFR_CAP_ML_MIN
    out.append(
        [
            "Carboplatin (Calvert)",
            "Inputs:",
            f"  age: {_n(age_years, 1)} years",
            f"  sex: {'female' if FEMALE else 'male'}",
            f"  creatinine: {_n(order.creatinine_umol_l, 4)} µmol/L",
            f"  weight: {weight}",
            f"  target AUC: {auc_text}",
            "Policies:",
            "  Renal method: Cockcroft–Gault 1976",
            "  Creatinine floor: none",
            "  Weight basis: actual body weight",
            f"  GFR cap: {_n(cap, 1)} mL/min (FDA 2010)",
            "Steps:",
            f"  Creatinine in mg/dL = SCr (µmol/L) / 88.4 = {_n(order.creatinine_umol_l, 4)} µmol/L / 88.4 = "
            f"{_n(order.creatinine_mg_dl, 3)} mg/dL",
            f"  Creatinine clearance (Cockcroft–Gault) = (140 − age) × weight / (72 × SCr) = "
            f"(140 − {_n(age_years, 4)}) × {weight} / (72 × {_n(order.creatinine_mg_dl, 4)} mg/dL) = "
            f"{_n(order.clearance_ml_min, 1)} mL/min",
            f"  Carboplatin dose (Calvert) = AUC × (GFR + 25 mL/min) = {auc_text} × "
            f"({_n(order.gfr_used_ml_min, 4)} mL/min + 25 mL/min) = {_n(order.carboplatin_mg, 1)} mg",
            f"  Maximum dose at the cap = AUC × (cap + 25) = {auc_text} × ({_n(cap, 4)} mL/min + 25 mL/min) = "
            f"{_n(auc * (cap + _NON_RENAL_ML_MIN), 1)} mg",
        ]
    )
    return out


# --------------------------------------------------------------------------------------------
# The DoseCalc side.
# --------------------------------------------------------------------------------------------


def build_patient() -> Patient:
    return Patient(
        age_years=AGE_YEARS,
        sex=Sex.FEMALE if FEMALE else Sex.MALE,
        height=Height.parse(HEIGHT_TEXT),
        weight=Weight.parse(WEIGHT_TEXT),
        creatinine=SerumCreatinine.parse(CREATININE_TEXT),
    )


def build_lines() -> list[OrderLine]:
    return [OrderLine(drug, parse_dose_basis(dose), 1, ROUND_STEP_MG) for drug, dose in DRUGS]


def parse_inputs() -> tuple[Any, ...]:
    return (
        Height.parse(HEIGHT_TEXT),
        Weight.parse(WEIGHT_TEXT),
        SerumCreatinine.parse(CREATININE_TEXT),
        *(parse_dose_basis(dose) for _, dose in DRUGS),
    )


def render_order(result: OrderResult) -> list[list[str]]:
    out = [line.result.derivation.lines() for line in result.lines]
    if result.carboplatin is not None:
        out.append(result.carboplatin.derivation.lines())
    return out


# --------------------------------------------------------------------------------------------
# Checks: the floor is the same arithmetic.
# --------------------------------------------------------------------------------------------


def check_floor(result: OrderResult, floor: FloorOrder) -> None:
    """Fail loudly if the floor and DoseCalc disagree on any dose (then the ratio would be meaningless)."""

    def same(a: float, b: float, what: str) -> None:
        if not math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0):
            raise SystemExit(f"floor disagrees with compute_order on {what}: {a!r} != {b!r}")

    same(result.bsa.square_metres, floor.bsa_m2, "BSA")
    if result.renal is None or result.renal.clearance is None or result.carboplatin is None:
        raise SystemExit("compute_order returned no renal function or carboplatin for an order with an AUC")
    same(result.renal.clearance.ml_per_min, floor.clearance_ml_min, "creatinine clearance")
    same(float(result.carboplatin.dose.magnitude), floor.carboplatin_mg, "carboplatin dose")
    if len(result.lines) != len(floor.lines):
        raise SystemExit("floor and compute_order have a different number of lines")
    for real, mine in zip(result.lines, floor.lines, strict=True):
        dose = real.result
        same(float(dose.calculated.magnitude), mine.calculated_mg, f"{real.drug} calculated dose")
        same(float(dose.final.magnitude), float(mine.final_mg), f"{real.drug} final dose")
        if dose.deviation_percent != mine.deviation_percent:
            raise SystemExit(
                f"floor disagrees on {real.drug} deviation: {dose.deviation_percent} != {mine.deviation_percent}"
            )


def check_parse(parsed: Sequence[Any], floor: Sequence[float]) -> None:
    height, weight, creatinine, *doses = parsed
    real = (height.centimetres, weight.kilograms, float(creatinine.value.magnitude), *(d.magnitude for d in doses))
    if tuple(real) != tuple(floor):
        raise SystemExit(f"floor parse disagrees with DoseCalc: {floor} != {real}")


def check_render(real: list[list[str]], floor: list[list[str]]) -> None:
    for real_lines, floor_lines in zip(real, floor, strict=True):
        for a, b in zip(real_lines, floor_lines, strict=True):
            if a != b:
                raise SystemExit(f"floor_render is out of date with DoseCalc's derivation text:\n  {a}\n  {b}")


# --------------------------------------------------------------------------------------------
# Timing.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    function: Callable[[], object]
    floor_name: str
    floor: Callable[[], object]


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    median_us: float
    p10_us: float
    p90_us: float
    floor_name: str
    floor_median_us: float
    floor_p10_us: float
    floor_p90_us: float

    @property
    def ratio(self) -> float:
        return self.median_us / self.floor_median_us

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "median_us": round(self.median_us, 3),
            "p10_us": round(self.p10_us, 3),
            "p90_us": round(self.p90_us, 3),
            "floor_name": self.floor_name,
            "floor_median_us": round(self.floor_median_us, 3),
            "ratio": round(self.ratio, 1),
        }


def _summary(samples: list[float]) -> tuple[float, float, float]:
    deciles = statistics.quantiles(samples, n=10, method="inclusive")
    return statistics.median(samples), deciles[0], deciles[-1]


def measure(cases: Sequence[Case], repeat: int, number: int) -> list[Figure]:
    """``repeat`` rounds; in each, one batch of ``number`` calls of every function and every floor."""
    timers = [(timeit.Timer(c.function), timeit.Timer(c.floor)) for c in cases]
    for timer, floor_timer in timers:  # warm-up: caches, lazy imports, branch predictors
        timer.timeit(number)
        floor_timer.timeit(number)
    samples: list[tuple[list[float], list[float]]] = [([], []) for _ in cases]
    for _ in range(repeat):
        for (timer, floor_timer), (own, floors) in zip(timers, samples, strict=True):
            own.append(timer.timeit(number) / number * 1e6)
            floors.append(floor_timer.timeit(number) / number * 1e6)
    figures = []
    for case, (own, floors) in zip(cases, samples, strict=True):
        median, p10, p90 = _summary(own)
        floor_median, floor_p10, floor_p90 = _summary(floors)
        figures.append(Figure(case.name, median, p10, p90, case.floor_name, floor_median, floor_p10, floor_p90))
    return figures


def print_table(figures: Sequence[Figure], repeat: int, number: int) -> None:
    print(f"{repeat} batches × {number} calls; per-call µs (median [p10–p90]); floor = same arithmetic in plain floats")
    header = (
        f"{'figure':<20} {'median':>9} {'p10':>9} {'p90':>9}   "
        f"{'floor':<14} {'median':>8} {'p10':>8} {'p90':>8} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        print(
            f"{f.name:<20} {f.median_us:>9.1f} {f.p10_us:>9.1f} {f.p90_us:>9.1f}   "
            f"{f.floor_name:<14} {f.floor_median_us:>8.2f} {f.floor_p10_us:>8.2f} {f.floor_p90_us:>8.2f} "
            f"{f.ratio:>6.1f}×"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to this JSON file")
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, metavar="N", help=f"batches per figure (default {REPEAT})"
    )
    args = parser.parse_args(argv)
    if args.repeat < 2:
        parser.error("--repeat must be at least 2")

    patient = build_patient()
    lines = build_lines()
    policy = DEFAULT_POLICY
    max_deviation = policy.max_deviation
    doses = [dose for _, dose in DRUGS]
    cm, kg, umol_l, *per_m2 = floor_parse(HEIGHT_TEXT, WEIGHT_TEXT, CREATININE_TEXT, doses)
    floor_lines = [(drug, amount, ROUND_STEP_MG) for (drug, _), amount in zip(DRUGS, per_m2, strict=True)]

    def order() -> OrderResult:
        return compute_order(patient, lines, policy, carboplatin_auc=AUC)

    def order_floor() -> FloorOrder:
        return floor_order(cm, kg, AGE_YEARS, FEMALE, umol_l, AUC, floor_lines, max_deviation)

    def parse_floor() -> tuple[float, ...]:
        return floor_parse(HEIGHT_TEXT, WEIGHT_TEXT, CREATININE_TEXT, doses)

    result = order()
    floor_result = order_floor()

    def render() -> list[list[str]]:
        return render_order(result)

    def render_floor() -> list[list[str]]:
        return floor_render(floor_result, AGE_YEARS, AUC, max_deviation)

    check_floor(result, floor_result)
    check_parse(parse_inputs(), parse_floor())
    check_render(render(), render_floor())

    cases = [
        Case("compute_order", order, "floor_order", order_floor),
        Case("parse_inputs", parse_inputs, "floor_parse", parse_floor),
        Case("render_derivations", render, "floor_render", render_floor),
    ]
    figures = measure(cases, args.repeat, NUMBER)
    print_table(figures, args.repeat, NUMBER)
    if args.json is not None:
        report = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine("pint", "pydantic"),
            "method": {"batches": args.repeat, "calls_per_batch": NUMBER, "interleaved": True},
            "results": [f.to_json() for f in figures],
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
