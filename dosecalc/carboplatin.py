"""Carboplatin by target AUC: the Calvert formula with a visible GFR cap.

dose (mg) = target AUC (mg/mL·min) × (GFR (mL/min) + 25 mL/min) — Calvert,
J Clin Oncol 1989;7:1748. The result is a total dose in mg, not mg/m².

FDA (October 2010): with IDMS-standardised creatinine an estimated GFR may be
overestimated; cap it at 125 mL/min, so the dose is at most AUC × 150 mg. The
cap is a policy: 125 mL/min by default, settable, or none, and the result says
whether it bit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dosecalc.derivation import Derivation, Flag, Input, Severity, Step
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.inputs import optional_policy_quantity
from dosecalc.renal import AbsoluteGFR, RenalMethod
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import (
    AUC,
    AUC_UNIT,
    CLEARANCE,
    MILLIGRAM,
    ML_PER_MIN,
    magnitude_in,
    make_quantity,
    parse_number,
    parse_quantity,
)

__all__ = [
    "CALVERT_NON_RENAL_ML_MIN",
    "FDA_GFR_CAP",
    "CarboplatinResult",
    "calvert_dose_mg",
    "carboplatin_dose",
    "parse_auc",
    "parse_gfr_cap",
]

#: The non-renal clearance term of the Calvert formula, mL/min.
CALVERT_NON_RENAL_ML_MIN = 25.0
#: FDA 2010 cap on an estimated GFR for carboplatin dosing.
FDA_GFR_CAP = make_quantity(125.0, ML_PER_MIN)


def calvert_dose_mg(auc: float, gfr_ml_min: float) -> float:
    """Calvert: AUC × (GFR + 25).

    Worked example (tools.gera.services; known-answers carbo-calvert-01): AUC 5, GFR 90 mL/min → 575 mg.
    FDA/NCCN table: AUC 6 at the 125 mL/min cap → 900 mg.

    >>> calvert_dose_mg(5, 90)
    575.0
    >>> calvert_dose_mg(6, 125)
    900.0
    """
    return auc * (gfr_ml_min + CALVERT_NON_RENAL_ML_MIN)


@dataclass(frozen=True, slots=True)
class CarboplatinResult:
    dose: Any
    auc: float
    gfr_used: Any
    gfr_capped: bool
    gfr_cap: Any
    derivation: Derivation


# A bare number (or a non-finite word, refused by parse_number); anything else is read as a quantity.
_PLAIN_NUMBER = re.compile(r"^\s*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?(nan|inf|infinity))?\s*$", re.IGNORECASE)


def parse_auc(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> float:
    """Target AUC, a number in mg/mL·min; refused outside 1–10 (an AUC of 60 is a typo)."""
    if isinstance(value, float | int) and not isinstance(value, bool) and value in limits.auc_refuse:
        return float(value)  # fast path for a checked number; NaN is never inside a range
    expected = f"a target AUC in mg/mL·min, {limits.auc_refuse.text()}"
    if isinstance(value, str) and not _PLAIN_NUMBER.match(value):
        auc = magnitude_in(parse_quantity(value, "auc", AUC), AUC_UNIT)  # "5 mg/mL·min" as well as "5"
    else:
        auc = parse_number(value, "auc", expected)
    if auc <= 0:
        raise InputError("auc", value, "must be greater than zero", expected=expected, code="value.not_positive")
    if auc not in limits.auc_refuse:
        raise ImplausibleValueError(
            "auc",
            value,
            "is outside the range used for carboplatin",
            expected=expected,
            params={"low": limits.auc_refuse.low, "high": limits.auc_refuse.high},
        )
    return auc


def parse_gfr_cap(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> Any:
    """``"125 mL/min"`` (default, FDA 2010), another value in range, or ``none``."""
    if value is None:
        return FDA_GFR_CAP
    return optional_policy_quantity(
        value, "gfr-cap", CLEARANCE, ML_PER_MIN, limits.gfr_cap_ml_min, "mL/min", " (FDA: 125 mL/min)"
    )


def carboplatin_dose(
    auc: float,
    gfr: AbsoluteGFR,
    gfr_cap: Any = FDA_GFR_CAP,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
) -> CarboplatinResult:
    """Carboplatin dose in mg from a target AUC and an absolute GFR (mL/min).

    >>> from dosecalc.renal import measured_gfr
    >>> r = carboplatin_dose(6, measured_gfr("140 mL/min"))
    >>> r.dose, r.gfr_capped
    (<Quantity(900.0, 'milligram')>, True)
    """
    if not isinstance(gfr, AbsoluteGFR):
        raise InputError(
            "gfr",
            gfr,
            "is not an absolute GFR",
            expected="a GFR in mL/min; de-index an eGFR per 1.73 m² with the patient's BSA first",
            code="unit.not_allowed",
        )
    auc = parse_auc(auc, limits)
    gfr_ml_min = gfr.ml_per_min
    flags: list[Flag] = []
    policies: list[tuple[str, str]] = []
    steps: list[Step] = []
    capped = False
    used = gfr_ml_min
    if gfr_cap is None:
        policies.append(("GFR cap", "none"))
        severity = Severity.INFO if not gfr.estimated else Severity.WARNING
        flags.append(
            Flag(
                "carboplatin.no_gfr_cap",
                severity,
                "no GFR cap: FDA (2010) advises capping an estimated GFR at 125 mL/min"
                + ("" if gfr.estimated else "; a measured GFR needs no cap"),
                {"estimated": gfr.estimated},
            )
        )
    else:
        cap_ml_min = magnitude_in(gfr_cap, ML_PER_MIN)
        policies.append(
            (
                "GFR cap",
                f"{format_number(cap_ml_min, 1)} mL/min"
                + (" (FDA 2010)" if cap_ml_min == FDA_GFR_CAP.magnitude else " (site setting)"),
            )
        )
        if gfr_ml_min > cap_ml_min:
            capped = True
            used = cap_ml_min
            steps.append(
                Step(
                    "GFR capped",
                    "min(GFR, cap)",
                    "min({0}, {1})",
                    (make_quantity(gfr_ml_min, ML_PER_MIN), make_quantity(cap_ml_min, ML_PER_MIN)),
                    make_quantity(used, ML_PER_MIN),
                    1,
                )
            )
            flags.append(
                Flag(
                    "carboplatin.gfr_capped",
                    Severity.WARNING,
                    f"GFR {format_number(gfr_ml_min, 1)} mL/min capped at {format_number(cap_ml_min, 1)} mL/min",
                    {"gfr": gfr_ml_min, "cap": cap_ml_min},
                )
            )
        steps_max = Step(
            "Maximum dose at the cap",
            "AUC × (cap + 25)",
            "{0} × ({1} + 25 mL/min)",
            (make_quantity(auc, AUC_UNIT), make_quantity(cap_ml_min, ML_PER_MIN)),
            make_quantity(calvert_dose_mg(auc, cap_ml_min), MILLIGRAM),
            1,
        )
    if gfr.method is RenalMethod.MEASURED and gfr.estimated is False and gfr_cap is not None and capped:
        flags.append(
            Flag(
                "carboplatin.measured_gfr_capped",
                Severity.INFO,
                "the GFR was given directly; if it was measured (EDTA, 24-hour urine) the cap may be "
                "removed with --gfr-cap none and a documented reason",
                {},
            )
        )
    if auc > limits.auc_warn_above:
        flags.append(
            Flag(
                "carboplatin.auc_high",
                Severity.WARNING,
                f"target AUC {format_number(auc)} is above {format_number(limits.auc_warn_above)}; NCCN "
                "suggests a measured GFR for high AUC",
                {"auc": auc, "threshold": limits.auc_warn_above},
            )
        )
    dose_mg = calvert_dose_mg(auc, used)
    dose = make_quantity(dose_mg, MILLIGRAM)
    used_q = make_quantity(used, ML_PER_MIN)
    steps.append(
        Step(
            "Carboplatin dose (Calvert)",
            "AUC × (GFR + 25 mL/min)",
            "{0} × ({1} + 25 mL/min)",
            (make_quantity(auc, AUC_UNIT), used_q),
            dose,
            1,
        )
    )
    if gfr_cap is not None:
        steps.append(steps_max)
    derivation = gfr.derivation.extended(
        title="Carboplatin (Calvert)",
        inputs=(Input("target AUC", make_quantity(auc, AUC_UNIT)),),
        policies=policies,
        steps=steps,
        flags=flags,
    )
    return CarboplatinResult(dose, auc, used_q, capped, gfr_cap, derivation)
