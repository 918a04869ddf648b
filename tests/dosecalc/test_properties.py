"""Property tests (hypothesis) for the invariants of the calculation core.

- unit invariance: the same patient typed in other units gives the same BSA, clearance and dose;
- monotonicity: BSA in height and weight, Cockcroft–Gault in creatinine, age and weight, Calvert in
  GFR (and never above AUC × 150 at the FDA cap), EQD2 in dose per fraction;
- rounding never moves a dose beyond the maximum deviation, and lands on the step or keeps the exact dose;
- numbers are displayed by the medication-safety rules (leading zero, no trailing zero, thousands separator).

Generated inputs stay inside the refuse ranges of dosecalc.settings.PlausibilityLimits (height 100–250 cm,
weight 20–350 kg, age 18–120 years, creatinine 0.2–20 mg/dL, BMI 10–100).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dosecalc.bsa import (
    BsaFormula,
    body_surface_area,
    boyd,
    dubois,
    fujimoto,
    gehan_george,
    haycock,
    mosteller,
    parse_bsa,
    stevenson,
)
from dosecalc.carboplatin import FDA_GFR_CAP, carboplatin_dose
from dosecalc.display import format_number
from dosecalc.dosing import calculate_dose, parse_dose_basis
from dosecalc.errors import ImplausibleValueError
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.radiotherapy import Course, eqd2_gy, sum_courses
from dosecalc.renal import RenalMethod, WeightBasis, estimate_renal_function, measured_gfr, parse_creatinine_floor
from dosecalc.rounding import RoundingRule, round_dose
from dosecalc.units import Quantity

EXAMPLES = settings(max_examples=200, deadline=None)

#: The same formulas body_surface_area dispatches to, by their public names.
FORMULAS: dict[BsaFormula, Callable[[float, float], float]] = {
    BsaFormula.MOSTELLER: mosteller,
    BsaFormula.DUBOIS: dubois,
    BsaFormula.HAYCOCK: haycock,
    BsaFormula.GEHAN_GEORGE: gehan_george,
    BsaFormula.BOYD: boyd,
    BsaFormula.FUJIMOTO: fujimoto,
    BsaFormula.STEVENSON: stevenson,
}

UMOL_PER_MG_DL = 88.4  # clinical-reference §2


def _finite(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


heights_cm = _finite(100, 250)
weights_kg = _finite(20, 350)
ages = _finite(18, 120)
creatinine_mg_dl = _finite(0.2, 20)
creatinine_umol_l = _finite(0.2 * UMOL_PER_MG_DL, 20 * UMOL_PER_MG_DL)
sexes = st.sampled_from(Sex)
aucs = _finite(1, 10)
gfrs = _finite(1, 300)


def _bmi(height_cm: float, weight_kg: float) -> float:
    return weight_kg / (height_cm / 100) ** 2


def _clearance(
    age: float,
    sex: Sex,
    weight: str,
    creatinine: str,
    floor: str | None = None,
) -> float:
    patient = Patient(age_years=age, sex=sex, weight=Weight.parse(weight), creatinine=SerumCreatinine.parse(creatinine))
    result = estimate_renal_function(
        patient, RenalMethod.COCKCROFT_GAULT, WeightBasis.ACTUAL, parse_creatinine_floor(floor)
    )
    assert result.clearance is not None
    return result.clearance.ml_per_min


# --------------------------------------------------------------------------------------------
# Unit invariance
# --------------------------------------------------------------------------------------------


@EXAMPLES
@given(height=heights_cm, weight=weights_kg, formula=st.sampled_from(BsaFormula))
def test_bsa_same_in_cm_or_m_and_kg_or_g(height: float, weight: float, formula: BsaFormula) -> None:
    assume(10 <= _bmi(height, weight) <= 100)
    entries = [
        (f"{height!r} cm", f"{weight!r} kg"),
        (f"{height / 100!r} m", f"{weight!r} kg"),
        (f"{height!r} cm", f"{weight * 1000!r} g"),
        (f"{height / 100!r} m", f"{weight * 1000!r} g"),
    ]
    results = []
    for height_text, weight_text in entries:
        try:
            bsa = body_surface_area(Height.parse(height_text), Weight.parse(weight_text), formula)
        except ImplausibleValueError:  # a BSA outside 0.5–3.5 m²: refused whatever the units
            results.append(None)
        else:
            results.append(bsa.bsa.m_as("m**2"))
    if results[0] is None:
        assert results == [None] * len(entries)
    else:
        assert all(r is not None and math.isclose(r, results[0], rel_tol=1e-9) for r in results), results


@EXAMPLES
@given(age=ages, sex=sexes, weight=weights_kg, umol=creatinine_umol_l, auc=aucs)
def test_creatinine_in_umol_or_mg_gives_same_clearance_and_carboplatin(
    age: float, sex: Sex, weight: float, umol: float, auc: float
) -> None:
    mg_dl = umol / UMOL_PER_MG_DL
    assume(0.2 <= mg_dl <= 20)
    outcomes = []
    for creatinine in (f"{umol!r} µmol/L", f"{umol!r} umol/L", f"{mg_dl!r} mg/dL"):
        patient = Patient(
            age_years=age, sex=sex, weight=Weight.parse(f"{weight!r} kg"), creatinine=SerumCreatinine.parse(creatinine)
        )
        renal = estimate_renal_function(patient)
        assert renal.clearance is not None
        dose = carboplatin_dose(auc, renal.clearance, gfr_cap=FDA_GFR_CAP).dose.m_as("mg")
        outcomes.append((renal.clearance.ml_per_min, dose))
    first_clearance, first_dose = outcomes[0]
    for clearance, dose in outcomes[1:]:
        assert math.isclose(clearance, first_clearance, rel_tol=1e-9)
        assert math.isclose(dose, first_dose, rel_tol=1e-9)


@EXAMPLES
@given(age=ages, sex=sexes, weight=weights_kg, creatinine=creatinine_mg_dl)
def test_weight_in_kg_or_g_gives_same_clearance(age: float, sex: Sex, weight: float, creatinine: float) -> None:
    in_kg = _clearance(age, sex, f"{weight!r} kg", f"{creatinine!r} mg/dL")
    in_g = _clearance(age, sex, f"{weight * 1000!r} g", f"{creatinine!r} mg/dL")
    assert math.isclose(in_kg, in_g, rel_tol=1e-9)


@EXAMPLES
@given(amount=_finite(1, 5000), bsa=_finite(0.5, 3.5))
def test_dose_basis_same_in_any_spelling(amount: float, bsa: float) -> None:
    given_bsa = parse_bsa(f"{bsa!r} m**2")
    spellings = (f"{amount!r} mg/m**2", f"{amount!r} mg/m²", f"{amount / 1000!r} g/m**2", f"{amount / 1000!r} g/m²")
    doses = [calculate_dose(parse_dose_basis(text), bsa=given_bsa).calculated.m_as("mg") for text in spellings]
    assert all(math.isclose(d, doses[0], rel_tol=1e-9) for d in doses), doses
    assert math.isclose(doses[0], amount * bsa, rel_tol=1e-9)


def test_dose_basis_spellings_of_the_brief() -> None:
    """The three spellings of 75 mg/m² at BSA 1.8 m² give 75 × 1.8 = 135 mg."""
    bsa = parse_bsa("1.8 m**2")
    for text in ("75 mg/m**2", "75 mg/m²", "0.075 g/m**2"):
        assert calculate_dose(parse_dose_basis(text), bsa=bsa).calculated.m_as("mg") == pytest.approx(135, abs=1e-9)


# --------------------------------------------------------------------------------------------
# Monotonicity
# --------------------------------------------------------------------------------------------


@EXAMPLES
@given(
    formula=st.sampled_from(BsaFormula),
    height=heights_cm,
    taller=_finite(0.001, 150),
    weight=weights_kg,
)
def test_bsa_non_decreasing_in_height(formula: BsaFormula, height: float, taller: float, weight: float) -> None:
    assume(height + taller <= 250)
    function = FORMULAS[formula]
    assert function(height + taller, weight) >= function(height, weight)


@EXAMPLES
@given(
    formula=st.sampled_from(BsaFormula),
    height=heights_cm,
    weight=weights_kg,
    heavier=_finite(0.001, 330),
)
def test_bsa_non_decreasing_in_weight(formula: BsaFormula, height: float, weight: float, heavier: float) -> None:
    assume(weight + heavier <= 350)
    function = FORMULAS[formula]
    assert function(height, weight + heavier) >= function(height, weight)


@EXAMPLES
@given(
    age=ages,
    sex=sexes,
    weight=weights_kg,
    creatinine=creatinine_mg_dl,
    factor=_finite(1.001, 100),
    floor=st.sampled_from([None, "0.7 mg/dL", "1.0 mg/dL"]),
)
def test_cockcroft_gault_decreasing_in_creatinine(
    age: float, sex: Sex, weight: float, creatinine: float, factor: float, floor: str | None
) -> None:
    higher = creatinine * factor
    assume(higher <= 20)
    low = _clearance(age, sex, f"{weight!r} kg", f"{creatinine!r} mg/dL", floor)
    high = _clearance(age, sex, f"{weight!r} kg", f"{higher!r} mg/dL", floor)
    if floor is None:
        assert high < low
    else:  # flat below the floor, never increasing
        assert high <= low


@EXAMPLES
@given(age=ages, older=_finite(0.1, 102), sex=sexes, weight=weights_kg, creatinine=creatinine_mg_dl)
def test_cockcroft_gault_decreasing_in_age(
    age: float, older: float, sex: Sex, weight: float, creatinine: float
) -> None:
    assume(age + older <= 120)
    young = _clearance(age, sex, f"{weight!r} kg", f"{creatinine!r} mg/dL")
    old = _clearance(age + older, sex, f"{weight!r} kg", f"{creatinine!r} mg/dL")
    assert old < young


@EXAMPLES
@given(age=ages, sex=sexes, weight=weights_kg, heavier=_finite(0.1, 330), creatinine=creatinine_mg_dl)
def test_cockcroft_gault_increasing_in_weight(
    age: float, sex: Sex, weight: float, heavier: float, creatinine: float
) -> None:
    assume(weight + heavier <= 350)
    light = _clearance(age, sex, f"{weight!r} kg", f"{creatinine!r} mg/dL")
    heavy = _clearance(age, sex, f"{weight + heavier!r} kg", f"{creatinine!r} mg/dL")
    assert heavy > light


@EXAMPLES
@given(auc=aucs, gfr=gfrs, more=_finite(0, 299), capped=st.booleans())
def test_calvert_non_decreasing_in_gfr_and_capped_at_auc_times_150(
    auc: float, gfr: float, more: float, capped: bool
) -> None:
    assume(gfr + more <= 300)
    cap = FDA_GFR_CAP if capped else None
    low = carboplatin_dose(auc, measured_gfr(Quantity(gfr, "mL/min")), gfr_cap=cap).dose.m_as("mg")
    high = carboplatin_dose(auc, measured_gfr(Quantity(gfr + more, "mL/min")), gfr_cap=cap).dose.m_as("mg")
    assert high >= low
    if capped:
        # FDA 2010 / NCCN: at the 125 mL/min cap the dose is at most AUC × (125 + 25) = AUC × 150 mg.
        assert high <= auc * 150
        assert low <= auc * 150


@EXAMPLES
@given(
    total=_finite(1, 100),
    fractions=st.integers(min_value=1, max_value=99),
    more_fractions=st.integers(min_value=1, max_value=99),
    alpha_beta=_finite(0.5, 30),
)
def test_eqd2_increasing_in_dose_per_fraction(
    total: float, fractions: int, more_fractions: int, alpha_beta: float
) -> None:
    """Same total dose and α/β: fewer (larger) fractions give a larger EQD2."""
    assume(fractions + more_fractions <= 100)
    larger_fractions = eqd2_gy(total, fractions, alpha_beta)
    smaller_fractions = eqd2_gy(total, fractions + more_fractions, alpha_beta)
    assert larger_fractions > smaller_fractions
    alpha_beta_q = Quantity(alpha_beta, "Gy")
    summed_large = sum_courses([Course(Quantity(total, "Gy"), fractions)], alpha_beta_q).total_eqd2.m_as("Gy")
    summed_small = sum_courses(
        [Course(Quantity(total, "Gy"), fractions + more_fractions)], alpha_beta_q
    ).total_eqd2.m_as("Gy")
    assert summed_large > summed_small


# --------------------------------------------------------------------------------------------
# Rounding never beyond the maximum deviation
# --------------------------------------------------------------------------------------------


@EXAMPLES
@given(
    calculated=_finite(1, 5000),
    step=st.sampled_from([1, 5, 10, 25, 50, 100]),
    max_deviation=st.decimals(min_value=0, max_value=Decimal("0.10"), places=4, allow_nan=False),
)
def test_rounding_within_max_deviation(calculated: float, step: int, max_deviation: Decimal) -> None:
    rule = RoundingRule(Decimal(step), max_deviation)
    outcome = round_dose(calculated, rule)
    exact = Decimal(repr(calculated))
    assert outcome.calculated_mg == exact
    final = outcome.final_mg
    assert abs(final - exact) / exact <= max_deviation
    if outcome.rounded:
        assert final % Decimal(step) == 0
    else:
        assert final == exact
    assert abs(outcome.deviation_percent) <= max_deviation * 100
    # calculate_dose applies the same rule to a flat dose.
    dose = calculate_dose(parse_dose_basis(Quantity(calculated, "mg")), rounding=rule)
    assert dose.final.m_as("mg") == float(final)


# --------------------------------------------------------------------------------------------
# Display formatting (medication-safety C1–C3)
# --------------------------------------------------------------------------------------------

_DISPLAYED = re.compile(r"^-?(0|[1-9]\d{0,2}(,\d{3})*)(\.\d*[1-9])?$")

numbers = st.one_of(
    _finite(-1e9, 1e9),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
)


@EXAMPLES
@given(value=numbers, decimals=st.integers(min_value=0, max_value=6))
def test_format_number(value: float | int | Decimal, decimals: int) -> None:
    text = format_number(value, decimals)
    assert not text.startswith((".", "-."))
    assert not text.endswith(".0")
    if "." in text:
        assert not text.endswith(("0", "."))
    assert _DISPLAYED.match(text), text  # leading zero below 1, thousands grouped by commas, no trailing zero
    assert text != "-0"
    shown = Decimal(text.replace(",", ""))
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    assert shown == exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert ("," in text) == (abs(shown) >= 1000)
