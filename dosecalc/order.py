"""A whole order for one patient: BSA, renal function, carboplatin and the other dose lines.

The dosing policy (BSA formula, renal method, weight basis, creatinine floor,
GFR cap, BSA cap, rounding deviation) is one frozen object, shown on every
derivation. The regimen library builds on this; until then an order is a list
of :class:`OrderLine` and an optional carboplatin target AUC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dosecalc.bsa import BsaFormula, BsaResult, body_surface_area
from dosecalc.carboplatin import FDA_GFR_CAP, CarboplatinResult, carboplatin_dose
from dosecalc.derivation import Derivation
from dosecalc.dosing import DoseBasis, DoseResult, calculate_dose, parse_dose_basis
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.renal import RenalMethod, RenalResult, WeightBasis, estimate_renal_function
from dosecalc.rounding import RoundingRule
from dosecalc.settings import DEFAULT_LIMITS, HOPA_MAX_DEVIATION, PlausibilityLimits

__all__ = [
    "DEFAULT_POLICY",
    "DosingPolicy",
    "OrderLine",
    "OrderLineResult",
    "OrderResult",
    "compute_order",
    "demo_order",
]


class DosingPolicy(BaseModel):
    """The site's (or protocol's) dosing choices; each one appears in the derivation."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    bsa_formula: BsaFormula = BsaFormula.MOSTELLER
    renal_method: RenalMethod = RenalMethod.COCKCROFT_GAULT
    weight_basis: WeightBasis = WeightBasis.ACTUAL
    creatinine_floor: Any = None
    gfr_cap: Any = FDA_GFR_CAP
    bsa_cap: Any = None
    max_deviation: Decimal = Field(default=Decimal("0.05"), ge=0, le=HOPA_MAX_DEVIATION)


#: The shipped defaults: Mosteller, Cockcroft–Gault on actual weight, no creatinine floor,
#: GFR cap 125 mL/min, no BSA cap, rounding within 5 %.
DEFAULT_POLICY = DosingPolicy()


@dataclass(frozen=True, slots=True)
class OrderLine:
    drug: str
    basis: DoseBasis
    days: int = 1
    round_step_mg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class OrderLineResult:
    drug: str
    result: DoseResult


@dataclass(frozen=True, slots=True)
class OrderResult:
    bsa: BsaResult
    renal: RenalResult | None
    carboplatin: CarboplatinResult | None
    lines: tuple[OrderLineResult, ...]
    derivation: Derivation


def compute_order(
    patient: Patient,
    lines: Sequence[OrderLine],
    policy: DosingPolicy | None = None,
    carboplatin_auc: float | None = None,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
) -> OrderResult:
    """Every dose of one order, each with its own derivation, from one patient and one policy."""
    policy = policy or DEFAULT_POLICY
    height = patient.require_height("the body surface area")
    weight = patient.require_weight("the body surface area")
    bsa = body_surface_area(height, weight, policy.bsa_formula, limits)
    renal = None
    carboplatin = None
    if carboplatin_auc is not None:
        renal = estimate_renal_function(
            patient, policy.renal_method, policy.weight_basis, policy.creatinine_floor, policy.bsa_formula, limits
        )
        if renal.clearance is None:  # pragma: no cover - height and weight are required above
            raise AssertionError("renal clearance missing with height and weight known")
        carboplatin = carboplatin_dose(carboplatin_auc, renal.clearance, policy.gfr_cap, limits)
    results = []
    for line in lines:
        rule = RoundingRule(line.round_step_mg, policy.max_deviation)
        result = calculate_dose(
            line.basis, bsa=bsa, weight=weight, days=line.days, rounding=rule, bsa_cap=policy.bsa_cap, drug=line.drug
        )
        results.append(OrderLineResult(line.drug, result))
    flags = bsa.derivation.flags + (carboplatin.derivation.flags if carboplatin else ())
    derivation = Derivation("Order", bsa.derivation.inputs, bsa.derivation.policies, (), tuple(dict.fromkeys(flags)))
    return OrderResult(bsa, renal, carboplatin, tuple(results), derivation)


def demo_order() -> OrderResult:
    """A demonstration: NCT07016737 salvage week (paclitaxel 50 mg/m² + carboplatin AUC 2), invented patient."""
    patient = Patient(
        age_years=64,
        sex=Sex.MALE,
        height=Height.parse("168 cm"),
        weight=Weight.parse("61 kg"),
        creatinine=SerumCreatinine.parse("78 µmol/L"),
    )
    lines = [OrderLine("PACLitaxel", parse_dose_basis("50 mg/m**2"), 1, Decimal(5))]
    return compute_order(patient, lines, DosingPolicy(), carboplatin_auc=2)
