"""Plausibility limits and dosing policies: every default in one documented place.

Two tiers (medication-safety §2 B5): values outside a *refuse* range are rejected
with an error naming the field; values outside a *warn* range are accepted and
flagged on the derivation. A site can change any number by building its own
:class:`PlausibilityLimits`; nothing in the core hard-codes these figures.

Sources for the defaults:
- height 100–250 cm, weight 20–350 kg, age 18–120 (adult formulas):
  clinical-reference §9 and medication-safety §2 B5;
- serum creatinine 0.2–20 mg/dL (≈ 18–1,768 µmol/L): above 20 "mg/dL" is almost
  certainly µmol/L, below 0.2 mg/dL (≈ 18 µmol/L) a µmol/L figure is almost
  certainly mg/dL (clinical-reference §9, medication-safety §3 #7–8);
- warnings: BSA > 2.2 m² (Hosp Pharm 2006 CPOE limits study), BMI < 16 or > 40,
  age > 90, carboplatin AUC > 7 (medication-safety B5);
- carboplatin AUC refused outside 1–10; GFR cap 125 mL/min (FDA 2010);
- rounding: maximum deviation 5 % by default, never above the 10 % HOPA ceiling
  (Fahrenbruch et al., J Oncol Pract 2018;14:e130).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["DEFAULT_LIMITS", "HOPA_MAX_DEVIATION", "PlausibilityLimits", "Range"]

#: HOPA's position statement accepts rounding within 10 % of the ordered dose.
HOPA_MAX_DEVIATION = Decimal("0.10")


class Range(BaseModel):
    """A closed interval [low, high] in the unit the owning field names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"range low {self.low} must be below high {self.high}")
        return self

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def text(self, unit: str = "") -> str:
        """``0.2–20 mg/dL``: the range as messages show it."""
        from dosecalc.display import format_number

        suffix = f" {unit}" if unit else ""
        return f"{format_number(self.low, 3)}–{format_number(self.high, 3)}{suffix}"


class PlausibilityLimits(BaseModel):
    """Refuse and warn ranges for patient inputs. Units are in the field names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    height_cm_refuse: Range = Range(low=100, high=250)
    height_cm_warn: Range = Range(low=140, high=220)
    weight_kg_refuse: Range = Range(low=20, high=350)
    weight_kg_warn: Range = Range(low=30, high=250)
    age_years_refuse: Range = Range(low=18, high=120)
    age_years_warn: Range = Range(low=18, high=90)
    creatinine_mg_dl_refuse: Range = Range(low=0.2, high=20)
    creatinine_mg_dl_warn: Range = Range(low=0.4, high=15)
    bmi_refuse: Range = Range(low=10, high=100)
    bmi_warn: Range = Range(low=16, high=40)
    bsa_m2_refuse: Range = Range(low=0.5, high=3.5)
    bsa_m2_warn_above: float = 2.2
    auc_refuse: Range = Range(low=1, high=10)
    auc_warn_above: float = 7
    gfr_ml_min_refuse: Range = Range(low=1, high=300)
    creatinine_floor_mg_dl: Range = Range(low=0.5, high=1.5)
    gfr_cap_ml_min: Range = Range(low=60, high=200)
    bsa_cap_m2: Range = Range(low=1.5, high=3.0)
    dose_per_m2_mg_refuse: Range = Range(low=0.001, high=20000)
    dose_per_kg_mg_refuse: Range = Range(low=0.001, high=1000)
    dose_flat_mg_refuse: Range = Range(low=0.001, high=100000)
    round_step_mg: Range = Range(low=0.01, high=5000)
    max_deviation: Decimal = Field(default=Decimal("0.05"), ge=0, le=HOPA_MAX_DEVIATION)
    radiation_total_gy_refuse: Range = Range(low=0.1, high=200)
    radiation_per_fraction_gy_refuse: Range = Range(low=0.1, high=40)
    radiation_per_fraction_gy_warn_above: float = 10
    alpha_beta_gy_refuse: Range = Range(low=0.5, high=30)
    fractions_refuse: Range = Range(low=1, high=100)
    allow_imperial_units: bool = False


#: The defaults shipped with DoseCalc; sites override by constructing their own.
DEFAULT_LIMITS = PlausibilityLimits()
