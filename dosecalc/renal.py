"""Renal function for dosing: Cockcroft–Gault, CKD-EPI 2021, or a measured GFR.

Creatinine is converted to mg/dL once, in :func:`dosecalc.units.creatinine_in_mg_per_dl`
(88.4 µmol/L per mg/dL). A creatinine floor is a visible policy, off by default.

Absolute and indexed results are different types with different units:
:class:`AbsoluteGFR` holds mL/min, :class:`IndexedEGFR` holds mL/min per
1.73 m² (a unit of its own in the registry, so the two differ in dimension).
Calvert accepts only :class:`AbsoluteGFR`; an indexed eGFR must first be
de-indexed with the patient's BSA (:meth:`IndexedEGFR.deindexed`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dosecalc.bsa import BsaFormula, body_surface_area
from dosecalc.derivation import Derivation, Flag, Input, Severity, Step
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError, PolicyError
from dosecalc.inputs import check_range, is_none, positive_quantity
from dosecalc.patient import Patient, Sex, patient_flags
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import (
    CLEARANCE,
    CREATININE,
    KILOGRAM,
    MG_PER_DL,
    ML_PER_MIN,
    ML_PER_MIN_PER_STD_BSA,
    creatinine_in_mg_per_dl,
    magnitude_in,
    make_quantity,
    parse_quantity,
)
from dosecalc.weights import adjusted_body_weight, ideal_body_weight

__all__ = [
    "AbsoluteGFR",
    "IndexedEGFR",
    "RenalMethod",
    "RenalResult",
    "WeightBasis",
    "ckd_epi_2021_indexed",
    "cockcroft_gault_ml_min",
    "estimate_renal_function",
    "measured_gfr",
    "parse_creatinine_floor",
]

_VOLUME_PER_TIME = ML_PER_MIN.dimensionality
_INDEXED = ML_PER_MIN_PER_STD_BSA.dimensionality


class RenalMethod(StrEnum):
    COCKCROFT_GAULT = "cockcroft-gault"
    CKD_EPI_2021 = "ckd-epi-2021"
    MEASURED = "measured"

    @property
    def label(self) -> str:
        return {
            RenalMethod.COCKCROFT_GAULT: "Cockcroft–Gault 1976",
            RenalMethod.CKD_EPI_2021: "CKD-EPI 2021 (race-free)",
            RenalMethod.MEASURED: "measured GFR",
        }[self]


class WeightBasis(StrEnum):
    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return {
            WeightBasis.ACTUAL: "actual body weight",
            WeightBasis.IDEAL: "ideal body weight (Devine)",
            WeightBasis.ADJUSTED: "adjusted body weight (IBW + 0.4 × excess)",
            WeightBasis.LOWER: "lower of actual and ideal body weight",
        }[self]


@dataclass(frozen=True, slots=True)
class AbsoluteGFR:
    """A GFR or creatinine clearance in mL/min (not indexed): the only GFR Calvert accepts."""

    value: Any
    method: RenalMethod
    estimated: bool
    derivation: Derivation

    def __post_init__(self) -> None:
        if getattr(self.value, "dimensionality", None) != _VOLUME_PER_TIME:
            raise InputError(
                "gfr",
                self.value,
                "is not an absolute GFR (volume per time)",
                expected="mL/min; de-index an eGFR per 1.73 m² with the patient's BSA first",
                code="unit.not_allowed",
            )

    @property
    def ml_per_min(self) -> float:
        return magnitude_in(self.value, ML_PER_MIN)


@dataclass(frozen=True, slots=True)
class IndexedEGFR:
    """An eGFR in mL/min per 1.73 m²: for staging kidney disease, not for Calvert as it stands."""

    value: Any
    derivation: Derivation

    @property
    def per_standard_surface(self) -> float:
        return magnitude_in(self.value, ML_PER_MIN_PER_STD_BSA)

    def deindexed(self, bsa: Any, bsa_title: str) -> AbsoluteGFR:
        """eGFR (mL/min) = eGFR (mL/min/1.73 m²) × BSA / 1.73 (thedrugmonitor; globalrph carboplatin2).

        >>> from dosecalc.units import Quantity
        >>> e = IndexedEGFR(Quantity(91.69, "mL/min/std_bsa"), Derivation("eGFR"))
        >>> round(e.deindexed(Quantity(2.0616, "m**2"), "Mosteller").ml_per_min, 2)
        109.26
        """
        absolute = (self.value * bsa).to(ML_PER_MIN)
        step = Step(
            "eGFR de-indexed",
            f"eGFR × BSA ({bsa_title}) / 1.73 m²",
            "{0} × {1} / 1.73 m²",
            (self.value, bsa),
            absolute,
            1,
        )
        return AbsoluteGFR(absolute, RenalMethod.CKD_EPI_2021, True, self.derivation.extended(steps=(step,)))


@dataclass(frozen=True, slots=True)
class RenalResult:
    method: RenalMethod
    clearance: AbsoluteGFR | None
    egfr_indexed: IndexedEGFR | None
    weight_used: Any
    weight_basis: WeightBasis | None
    creatinine_used: Any
    derivation: Derivation


def cockcroft_gault_ml_min(age_years: float, weight_kg: float, creatinine_mg_dl: float, female: bool) -> float:
    """Cockcroft & Gault (Nephron 1976;16:31): (140 − age) × weight / (72 × SCr), × 0.85 for women.

    Known answer (known-answers crcl-cg-01, superglobalcalculator.com): 65 years, 70 kg,
    SCr 1.4 mg/dL, man → 52.1 mL/min.

    >>> round(cockcroft_gault_ml_min(65, 70, 1.4, female=False), 2)
    52.08
    """
    clearance = (140.0 - age_years) * weight_kg / (72.0 * creatinine_mg_dl)
    return clearance * 0.85 if female else clearance


def ckd_epi_2021_indexed(creatinine_mg_dl: float, age_years: float, female: bool) -> float:
    """CKD-EPI 2021 race-free (Inker, NEJM 2021;385:1737), mL/min/1.73 m².

    142 × min(SCr/κ, 1)^α × max(SCr/κ, 1)^−1.200 × 0.9938^age × 1.012 (women);
    κ 0.7 (F) / 0.9 (M); α −0.241 (F) / −0.302 (M).
    Known answer (known-answers egfr-ckdepi21-01): SCr 1.0 mg/dL, 50-year-old man → 91.7.

    >>> round(ckd_epi_2021_indexed(1.0, 50, female=False), 2)
    91.69
    """
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = creatinine_mg_dl / kappa
    egfr = 142.0 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age_years
    return float(egfr * 1.012 if female else egfr)


def parse_creatinine_floor(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> Any:
    """``"0.7 mg/dL"`` (NCCN), ``"0.8 mg/dL"`` or ``"1.0 mg/dL"``, or ``None``/``"none"`` for no floor."""
    if is_none(value):
        return None
    quantity = parse_quantity(value, "creatinine-floor", CREATININE)
    mg_dl = creatinine_in_mg_per_dl(quantity)
    if mg_dl not in limits.creatinine_floor_mg_dl:
        raise PolicyError(
            "creatinine-floor",
            value,
            "is outside the floors in use",
            expected=f"none, or {limits.creatinine_floor_mg_dl.text('mg/dL')} (0.7, 0.8 and 1.0 are common)",
        )
    return quantity


def measured_gfr(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS, field: str = "gfr") -> AbsoluteGFR:
    """A GFR supplied directly in mL/min (e.g. EDTA or 24-hour urine)."""
    if isinstance(value, str) and "1.73" in value:
        raise InputError(
            field,
            value,
            "has an indexed unit (per 1.73 m² of body surface); Calvert needs an absolute GFR",
            expected="a GFR in mL/min, or the renal options with --height and --weight to de-index it",
            code="unit.indexed_gfr",
        )
    quantity, ml_min = positive_quantity(value, field, CLEARANCE, ML_PER_MIN)
    check_range(ml_min, limits.gfr_ml_min_refuse, field, value, "mL/min")
    derivation = Derivation(
        "GFR (given)", inputs=(Input("GFR", quantity, "given"),), policies=(("Renal method", "GFR given directly"),)
    )
    return AbsoluteGFR(make_quantity(ml_min, ML_PER_MIN), RenalMethod.MEASURED, False, derivation)


def estimate_renal_function(
    patient: Patient,
    method: RenalMethod = RenalMethod.COCKCROFT_GAULT,
    weight_basis: WeightBasis = WeightBasis.ACTUAL,
    creatinine_floor: Any = None,
    bsa_formula: BsaFormula = BsaFormula.MOSTELLER,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
) -> RenalResult:
    """Creatinine clearance (Cockcroft–Gault) or eGFR (CKD-EPI 2021) with its derivation.

    CKD-EPI is de-indexed to mL/min with the patient's BSA when height and weight
    are known; otherwise only the indexed value is returned, with a warning.
    """
    if method is RenalMethod.MEASURED:
        raise PolicyError(
            "method", method.value, "needs a GFR value, not an estimate", expected="cockcroft-gault or ckd-epi-2021"
        )
    purpose = method.label
    age = patient.require_age(purpose)
    sex = patient.require_sex(purpose)
    creatinine = patient.require_creatinine(purpose)
    female = sex is Sex.FEMALE
    flags: list[Flag] = list(patient_flags(patient, limits))
    steps: list[Step] = []
    policies: list[tuple[str, str]] = [("Renal method", method.label)]

    measured_mg_dl = creatinine.mg_per_dl
    if creatinine.value.units != MG_PER_DL:
        steps.append(
            Step(
                "Creatinine in mg/dL",
                "SCr (µmol/L) / 88.4",
                "{0} / 88.4",
                (creatinine.value,),
                make_quantity(measured_mg_dl, MG_PER_DL),
                3,
            )
        )
    used_mg_dl = measured_mg_dl
    if creatinine_floor is not None:
        floor_mg_dl = creatinine_in_mg_per_dl(creatinine_floor)
        policies.append(("Creatinine floor", f"{format_number(floor_mg_dl, 2)} mg/dL"))
        if measured_mg_dl < floor_mg_dl:
            used_mg_dl = floor_mg_dl
            steps.append(
                Step(
                    "Creatinine floored",
                    "max(SCr, floor)",
                    "max({0}, {1})",
                    (make_quantity(measured_mg_dl, MG_PER_DL), make_quantity(floor_mg_dl, MG_PER_DL)),
                    make_quantity(used_mg_dl, MG_PER_DL),
                    3,
                )
            )
            flags.append(
                Flag(
                    "creatinine.floor_applied",
                    Severity.WARNING,
                    f"creatinine {format_number(measured_mg_dl, 2)} mg/dL raised to the floor of "
                    f"{format_number(floor_mg_dl, 2)} mg/dL",
                    {"measured": measured_mg_dl, "floor": floor_mg_dl},
                )
            )
    else:
        policies.append(("Creatinine floor", "none"))
    creatinine_used = make_quantity(used_mg_dl, MG_PER_DL)
    inputs = [Input("age", f"{format_number(age, 1)} years"), Input("sex", sex.value), creatinine.as_input()]

    if method is RenalMethod.COCKCROFT_GAULT:
        weight = patient.require_weight(f"{purpose} ({weight_basis.label})")
        inputs.append(weight.as_input())
        policies.append(("Weight basis", weight_basis.label))
        weight_used = weight.value
        if weight_basis is not WeightBasis.ACTUAL:
            height = patient.require_height(weight_basis.label)
            inputs.append(height.as_input())
            if weight_basis is WeightBasis.ADJUSTED:
                chosen = adjusted_body_weight(height, weight, sex)
                steps.extend(chosen.steps)
                flags.extend(chosen.flags)
                weight_used = chosen.weight
            else:
                ideal = ideal_body_weight(height, sex)
                steps.extend(ideal.steps)
                flags.extend(ideal.flags)
                weight_used = ideal.weight
                if weight_basis is WeightBasis.LOWER:
                    lower = min(weight.kilograms, ideal.kilograms)
                    weight_used = make_quantity(lower, KILOGRAM)
                    steps.append(
                        Step(
                            "Lower of actual and ideal weight",
                            "min(actual, IBW)",
                            "min({0}, {1})",
                            (weight.value, ideal.weight),
                            weight_used,
                        )
                    )
        weight_kg = magnitude_in(weight_used, KILOGRAM)
        ml_min = cockcroft_gault_ml_min(age, weight_kg, used_mg_dl, female)
        clearance_q = make_quantity(ml_min, ML_PER_MIN)
        steps.append(
            Step(
                "Creatinine clearance (Cockcroft–Gault)",
                "(140 − age) × weight / (72 × SCr)" + (" × 0.85" if female else ""),
                "(140 − {0}) × {1} / (72 × {2})" + (" × 0.85" if female else ""),
                (age, make_quantity(weight_kg, KILOGRAM), creatinine_used),
                clearance_q,
                1,
            )
        )
        derivation = Derivation(
            f"Renal function ({method.label})", tuple(inputs), tuple(policies), tuple(steps), tuple(flags)
        )
        clearance = AbsoluteGFR(clearance_q, method, True, derivation)
        return RenalResult(
            method, clearance, None, make_quantity(weight_kg, KILOGRAM), weight_basis, creatinine_used, derivation
        )

    # CKD-EPI 2021
    indexed_value = ckd_epi_2021_indexed(used_mg_dl, age, female)
    indexed_q = make_quantity(indexed_value, ML_PER_MIN_PER_STD_BSA)
    if female:
        formula = "142 × min(SCr/0.7, 1)^−0.241 × max(SCr/0.7, 1)^−1.2 × 0.9938^age × 1.012"
        substitution = "142 × min({0}/0.7, 1)^−0.241 × max({0}/0.7, 1)^−1.2 × 0.9938^{1} × 1.012"
    else:
        formula = "142 × min(SCr/0.9, 1)^−0.302 × max(SCr/0.9, 1)^−1.2 × 0.9938^age"
        substitution = "142 × min({0}/0.9, 1)^−0.302 × max({0}/0.9, 1)^−1.2 × 0.9938^{1}"
    steps.append(Step("eGFR (CKD-EPI 2021, indexed)", formula, substitution, (used_mg_dl, age), indexed_q, 1))
    bsa = None
    if patient.height is not None and patient.weight is not None:
        bsa = body_surface_area(patient.height, patient.weight, bsa_formula, limits)
        inputs.extend((patient.height.as_input(), patient.weight.as_input()))
        policies.append(("BSA formula (de-indexing)", bsa_formula.label))
        steps.extend(bsa.derivation.steps)
        flags.extend(f for f in bsa.derivation.flags if f not in flags)
    else:
        flags.append(
            Flag(
                "egfr.indexed_only",
                Severity.WARNING,
                "eGFR is per 1.73 m² and cannot be used for dosing as it stands; give height and weight "
                "to de-index it with the patient's BSA",
                {},
            )
        )
    base = Derivation(f"Renal function ({method.label})", tuple(inputs), tuple(policies), tuple(steps), tuple(flags))
    indexed = IndexedEGFR(indexed_q, base)
    clearance_abs = indexed.deindexed(bsa.bsa, bsa_formula.label) if bsa is not None else None
    derivation = clearance_abs.derivation if clearance_abs is not None else base
    if not math.isfinite(indexed_value):  # pragma: no cover - inputs are range-checked
        raise ImplausibleValueError("creatinine", creatinine.value, "gives a non-finite eGFR")
    return RenalResult(method, clearance_abs, indexed, None, None, creatinine_used, derivation)
