"""Pre-cycle checks: staleness of measurements (B3), weight change (B4), day-1 laboratory go criteria (§7)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import InputError
from dosecalc.labs import LAB_KINDS
from dosecalc.ledger.flags import _date, _exceeds, _n, _r, _reached, apply_overrides, status_of
from dosecalc.ledger.settings import DEFAULT_SETTINGS, Day1Thresholds, FreshnessWindows

__all__ = [
    "Freshness",
    "LabCheck",
    "LabResult",
    "Reading",
    "WeightChange",
    "day1_lab_check",
    "staleness",
    "weight_change",
]


# ------------------------------------------------------------------------------------------------ staleness


@dataclass(frozen=True, slots=True)
class Reading:
    """The latest value of one kind: in the kind's reference unit, with its date."""

    kind: str
    value: float
    measured_on: dt.date
    text: str | None = None
    source: str | None = None  # measured | stated | estimated


@dataclass(frozen=True, slots=True)
class Freshness:
    kind: str
    measured_on: dt.date | None
    age_days: int | None
    window_days: int
    flags: tuple[Flag, ...]

    @property
    def stale(self) -> bool:
        return self.age_days is not None and self.age_days > self.window_days

    @property
    def missing(self) -> bool:
        return self.measured_on is None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "measured_on": self.measured_on.isoformat() if self.measured_on else None,
            "age_days": self.age_days,
            "window_days": self.window_days,
            "stale": self.stale,
            "missing": self.missing,
            "flags": [f.to_json() for f in self.flags],
        }


def staleness(
    measurements: Mapping[str, Reading | dt.date],
    planned_date: dt.date,
    windows: FreshnessWindows = DEFAULT_SETTINGS.windows,
    *,
    kinds: Iterable[str] | None = None,
) -> tuple[Freshness, ...]:
    """Each value's age on the planned date against its window: older than the window blocks (B3).

    A value exactly ``window`` days old is fresh; one day more is stale. A kind in ``kinds`` (default:
    height, weight, creatinine and every lab kind) without a value blocks as missing. Both blocks may be
    overridden with a reason (:func:`apply_overrides`). Source: medication-safety §2 B3 ("a weight 30 days
    old with a 14-day rule gives a blocking warning").

    >>> [weight] = staleness({"weight": dt.date(2026, 10, 22)}, dt.date(2026, 11, 21), kinds=["weight"])
    >>> weight.age_days, weight.stale, weight.flags[0].code
    (30, True, 'measurement.weight_stale')
    """
    wanted = tuple(kinds) if kinds is not None else ("height", "weight", "creatinine", *LAB_KINDS)
    results = []
    for kind in wanted:
        window = windows.window(kind)
        value = measurements.get(kind)
        measured_on = value.measured_on if isinstance(value, Reading) else value
        if measured_on is None:
            flag = Flag(
                f"measurement.{kind}_missing",
                Severity.BLOCK,
                f"no {kind} is recorded on or before {_date(planned_date)}; record one, or override with a reason",
                {"kind": kind, "date": planned_date.isoformat()},
            )
            results.append(Freshness(kind, None, None, window, (flag,)))
            continue
        age = (planned_date - measured_on).days
        flags: tuple[Flag, ...] = ()
        if age > window:
            flags = (
                Flag(
                    f"measurement.{kind}_stale",
                    Severity.BLOCK,
                    f"{kind} measured on {_date(measured_on)} is {age} days old on {_date(planned_date)}; the "
                    f"window is {window} days — measure again, or override with a reason",
                    {
                        "kind": kind,
                        "age_days": age,
                        "window_days": window,
                        "measured_on": measured_on.isoformat(),
                        "date": planned_date.isoformat(),
                    },
                ),
            )
        results.append(Freshness(kind, measured_on, age, window, flags))
    return tuple(results)


# ------------------------------------------------------------------------------------------------ weight change


@dataclass(frozen=True, slots=True)
class WeightChange:
    current_kg: float
    reference_kg: float
    change: float  # signed fraction of the reference
    threshold: float
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "current_kg": self.current_kg,
            "reference_kg": self.reference_kg,
            "change_percent": _r(100 * self.change),
            "threshold_percent": _r(100 * self.threshold),
            "flags": [f.to_json() for f in self.flags],
        }


def weight_change(current_kg: float, reference_kg: float, threshold: float = 0.10) -> WeightChange:
    """A change of ``threshold`` or more either way from the reference weight flags recalculation (B4).

    The reference is the weight the last cycle's dose used (or the baseline). Source: medication-safety
    §2 B4 ("a 10.1 % change flags; a 9.9 % change does not"); the boundary itself (10.0 %) flags, "≥".

    >>> weight_change(66, 60).flags[0].code, weight_change(65.9, 60).flags
    ('weight.changed', ())
    """
    for name, value in (("weight", current_kg), ("reference-weight", reference_kg)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise InputError(name, value, "is not a weight", expected="a weight in kg greater than zero")
    change = (current_kg - reference_kg) / reference_kg
    flags: tuple[Flag, ...] = ()
    if _reached(abs(change), threshold):
        flags = (
            Flag(
                "weight.changed",
                Severity.WARNING,
                f"weight {format_number(current_kg, 1)} kg is {format_number(100 * change, 1)} % from the reference "
                f"{format_number(reference_kg, 1)} kg (threshold {format_number(100 * threshold, 1)} %): recalculate "
                "the doses or confirm the weight",
                {"current_kg": current_kg, "reference_kg": reference_kg, "change": change, "threshold": threshold},
            ),
        )
    return WeightChange(current_kg, reference_kg, change, threshold, flags)


# ------------------------------------------------------------------------------------------------ day-1 labs


@dataclass(frozen=True, slots=True)
class LabResult:
    kind: str
    value: float | None
    unit: str
    rule: str  # "≥ 1.5 ×10⁹/L", "≤ 31.5 µmol/L (1.5 × ULN 21)"
    ok: bool

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "unit": self.unit, "rule": self.rule, "ok": self.ok}


@dataclass(frozen=True, slots=True)
class LabCheck:
    results: tuple[LabResult, ...]
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        return status_of(self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [r.to_json() for r in self.results],
            "status": self.status,
            "flags": [f.to_json() for f in self.flags],
        }


def day1_lab_check(
    labs: Mapping[str, float | Reading],
    thresholds: Day1Thresholds = DEFAULT_SETTINGS.day1,
    *,
    overrides: Mapping[str, str] | None = None,
) -> LabCheck:
    """Day-1 go criteria: a value past its threshold, or a missing one, blocks unless overridden with a reason.

    Values are in the reference units of :mod:`dosecalc.labs` (×10⁹/L, g/dL, µmol/L, units/L). Defaults
    from clinical-reference §7 ([P] site settings, :class:`Day1Thresholds`): ANC ≥ 1.5, platelets ≥ 100,
    Hb ≥ 9 g/dL, bilirubin ≤ 1.5 × ULN, AST/ALT ≤ 2.5 × ULN.

    >>> labs = {"anc": 1.5, "platelets": 99, "hemoglobin": 9, "bilirubin": 31.5, "ast": 100, "alt": 20}
    >>> [f.code for f in day1_lab_check(labs).flags]
    ['day1.platelets_low']
    >>> day1_lab_check(labs, overrides={"day1.platelets_low": "protocol accepts 75"}).status
    'warning'
    """
    t = thresholds
    rules: tuple[tuple[str, str, float, str], ...] = (
        ("anc", "min", t.anc_min, f"≥ {_n(t.anc_min)} ×10⁹/L"),
        ("platelets", "min", t.platelets_min, f"≥ {_n(t.platelets_min)} ×10⁹/L"),
        ("hemoglobin", "min", t.hemoglobin_min, f"≥ {_n(t.hemoglobin_min)} g/dL"),
        (
            "bilirubin",
            "max",
            t.bilirubin_max_uln * t.bilirubin_uln,
            f"≤ {_n(t.bilirubin_max_uln * t.bilirubin_uln)} µmol/L ({_n(t.bilirubin_max_uln)} × ULN "
            f"{_n(t.bilirubin_uln)} µmol/L)",
        ),
        (
            "ast",
            "max",
            t.ast_max_uln * t.ast_uln,
            f"≤ {_n(t.ast_max_uln * t.ast_uln)} units/L ({_n(t.ast_max_uln)} × ULN {_n(t.ast_uln)} units/L)",
        ),
        (
            "alt",
            "max",
            t.alt_max_uln * t.alt_uln,
            f"≤ {_n(t.alt_max_uln * t.alt_uln)} units/L ({_n(t.alt_max_uln)} × ULN {_n(t.alt_uln)} units/L)",
        ),
    )
    results: list[LabResult] = []
    flags: list[Flag] = []
    for kind, direction, limit, rule in rules:
        spec = LAB_KINDS[kind]
        raw = labs.get(kind)
        value = raw.value if isinstance(raw, Reading) else raw
        if value is None:
            results.append(LabResult(kind, None, spec.unit, rule, False))
            flags.append(
                Flag(
                    f"day1.{kind}_missing",
                    Severity.BLOCK,
                    f"no day-1 {spec.name} is recorded (go criterion {rule}); record it, or override with a reason",
                    {"kind": kind, "rule": rule},
                )
            )
            continue
        value = float(value)
        ok = _reached(value, limit) if direction == "min" else not _exceeds(value, limit)
        results.append(LabResult(kind, value, spec.unit, rule, ok))
        if not ok:
            word = "low" if direction == "min" else "high"
            flags.append(
                Flag(
                    f"day1.{kind}_{word}",
                    Severity.BLOCK,
                    f"{spec.name} {_n(value)} {spec.unit} fails the day-1 go criterion {rule}: the cycle "
                    "waits, or override with a reason",
                    {"kind": kind, "value": value, "limit": limit, "unit": spec.unit, "rule": rule},
                )
            )
    return LabCheck(tuple(results), apply_overrides(flags, overrides))
