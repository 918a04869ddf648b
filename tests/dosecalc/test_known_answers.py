"""Known-answer tests for every formula of the calculation core.

Each case names its SOURCE. Expected values are either a published figure (a
paper, a guideline table or a published worked example, with its address) or an
independent hand computation written out beside the case; none was produced by
running DoseCalc. Tolerances follow the project's known-answer set
(shared/cases/known-answers.json, whose figures and sources are copied here:
the tests never read that folder at run time).

Published worked examples found for this file (third-party pages, cited as
corroboration of the formula, never as an authority):

- omnicalc-8ti.pages.dev/health/body-surface-area-calculator: Mosteller 175 cm, 70 kg → 1.845 m².
- calculatorlib.com/body-surface-area-bsa-dubois-shintani-fujimoto-calculator: 170 cm, 65 kg →
  DuBois 1.754, Fujimoto 1.707 (1.708 in the worked steps) m².
- superglobalcalculator.com/formulas/pharmacology/creatinine-clearance and .../formulas/health/creatinine-clearance:
  Cockcroft–Gault examples (52.1, 74.8, 74.1 mL/min).
- droracle.ai/articles/797449: Cockcroft–Gault 70 years, 75 kg, 1.0 mg/dL man → 72.9 mL/min.
- theprimecalculator.com/health/creatinine-clearance/formula: 50 years, 80 kg, 1.0 mg/dL man → 100 mL/min.
- thenutritionistfiles.com/tools/ibw-calculator: Devine woman 66 in → 59.3 kg.
- manuelsweb.com/IBW.htm (formulas from GlobalRPh): man 64 in → IBW 59.2 kg; woman 64 in, 80 kg →
  IBW 54.7 kg, adjusted 64.8 kg.
- theprimecalculator.com/health/adult-dosing-weight/formula: man 70 in, 110 kg → IBW 73, adjusted 87.8 kg.
- creatinineclearancecalculator.net/equations/ckd-epi/: CKD-EPI 2021, woman 55 years, 0.9 mg/dL → "about 76".
- creatinineclearancecalculator.net/dosing/calvert/: AUC 5, GFR 90 → 575 mg; GFR 140 → 750 mg capped
  (825 mg uncapped); dose table for GFR 50/75/100/125 × AUC 4/5/6.
- tools.gera.services/carboplatin-auc-dosing-calvert: AUC 5, GFR 90 → 575 mg.
- cal57.calculator.city/bed-calculator-eqd2.html: 60 Gy in 30 fractions, α/β 10 → BED 72 Gy, EQD2 60 Gy.
- trialsjournal.biomedcentral.com/articles/10.1186/s13063-021-05708-5/tables/3 (SHARE trial protocol,
  Trials 2021, Table 3): 66 Gy/33 fx and 65 Gy/26 fx at α/β 1.5, 3 and 10.
- pmc.ncbi.nlm.nih.gov/articles/PMC3489267/table/T1: EBRT 25 × 1.8 Gy plus HDR 4 × 7 Gy →
  EQD2 83.9 Gy (α/β 10); 90.1 Gy to an organ at risk at 90 % of the HDR dose (α/β 3).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from dosecalc.bsa import BsaFormula, body_surface_area, parse_bsa
from dosecalc.carboplatin import FDA_GFR_CAP, carboplatin_dose, parse_gfr_cap
from dosecalc.dosing import calculate_dose, parse_bsa_cap, parse_dose_basis
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.radiotherapy import Course, bed_gy, eqd2_gy, sum_courses
from dosecalc.renal import (
    RenalMethod,
    WeightBasis,
    estimate_renal_function,
    measured_gfr,
    parse_creatinine_floor,
)
from dosecalc.rounding import RoundingRule, round_dose
from dosecalc.units import Quantity
from dosecalc.weights import adjusted_body_weight, devine_ideal_weight_kg, ideal_body_weight

INCH_CM = 2.54

KA = "known-answers.json"
MOSTELLER = "Mosteller NEJM 1987;317:1098 (doi:10.1056/NEJM198710223171717)"
DUBOIS = "DuBois & DuBois Arch Intern Med 1916;17:863 (doi:10.1001/archinte.1916.00080130010002)"
HAYCOCK = "Haycock J Pediatr 1978;93:62, constants 0.024265, H^0.3964, W^0.5378 (globalrph.com/bsa2.htm)"
GEHAN = "Gehan & George Cancer Chemother Rep 1970;54:225, constants 0.0235, H^0.42246, W^0.51456 (globalrph bsa2)"
BOYD = "Boyd 1935: 0.0003207 × H^0.3 × Wg^(0.7285 − 0.0188 log10 Wg), W in grams (harderworld.com; bmi-calculator.net)"
FUJIMOTO = "Fujimoto & Watanabe Acta Med Nagasaki 1969;13:1: 0.008883 × H^0.663 × W^0.444 (calculatorlib.com)"
STEVENSON = "Stevenson 1937 (Chinese): 0.0061 H + 0.0128 W − 0.1529 (clinical-reference §1; soolun.net abstract)"
CG = "Cockcroft & Gault Nephron 1976;16:31: (140 − age) × W / (72 × SCr), × 0.85 women (clinical-reference §2)"
DEVINE = "Devine 1974: 50 kg (men) / 45.5 kg (women) + 2.3 kg per inch over 60 in (harderworld; thedrugmonitor)"
ADJBW = "AdjBW = IBW + 0.4 × (TBW − IBW) (rxkinetics.com/online_crcl.html; NCCN template; clinical-reference §2)"
CKD_EPI = (
    "Inker NEJM 2021;385:1737 (doi:10.1056/NEJMoa2102953); constants at kidney.org/ckd-epi-creatinine-equation-2021"
)
CALVERT = "Calvert JCO 1989;7:1748: dose = AUC × (GFR + 25) (clinical-reference §3)"
FDA_CAP = "FDA Oct 2010 / NCCN Chemotherapy Order Templates App. B: GFR cap 125 mL/min, max dose AUC × 150"
NIEDER = "Nieder et al. IJROBP 2006;66:1446 (pubmed 17084560): 50 Gy in 2 Gy fractions = 100 Gy2 = 75 Gy4"
LQ = "Linear-quadratic: BED = D(1 + d/(α/β)), EQD2 = D(d + α/β)/(2 + α/β) (clinical-reference §5)"


def _height(cm: float) -> Height:
    return Height.parse(f"{cm!r} cm")


def _weight(kg: float) -> Weight:
    return Weight.parse(f"{kg!r} kg")


# --------------------------------------------------------------------------------------------
# 1. Body surface area, all seven formulas (m²)
# --------------------------------------------------------------------------------------------

BSA_CASES = [
    pytest.param(
        BsaFormula.MOSTELLER,
        175,
        70,
        1.8447,
        0.001,
        f"{KA} bsa-mosteller-01: {MOSTELLER}; worked example 1.845 m² at "
        "https://omnicalc-8ti.pages.dev/health/body-surface-area-calculator",
        id="bsa-mosteller-01",
    ),
    pytest.param(
        BsaFormula.MOSTELLER,
        160,
        50,
        math.sqrt(160 * 50 / 3600),
        0.001,
        f"{MOSTELLER}; hand computation √(160 × 50 / 3600)",
        id="bsa-mosteller-hand-160cm-50kg",
    ),
    pytest.param(
        BsaFormula.DUBOIS,
        170,
        65,
        1.7536,
        0.001,
        f"{KA} bsa-dubois-01: {DUBOIS}; worked example 170 cm/65 kg = 1.754 m² at "
        "https://calculatorlib.com/body-surface-area-bsa-dubois-shintani-fujimoto-calculator",
        id="bsa-dubois-01",
    ),
    pytest.param(
        BsaFormula.DUBOIS,
        185,
        110,
        0.007184 * 185**0.725 * 110**0.425,
        0.001,
        f"{DUBOIS}; hand computation 0.007184 × 185^0.725 × 110^0.425",
        id="bsa-dubois-hand-185cm-110kg",
    ),
    pytest.param(
        BsaFormula.HAYCOCK,
        170,
        65,
        1.7543,
        0.001,
        f"{KA} bsa-haycock-01: {HAYCOCK}; computed",
        id="bsa-haycock-01",
    ),
    pytest.param(
        BsaFormula.HAYCOCK,
        185,
        110,
        0.024265 * 185**0.3964 * 110**0.5378,
        0.001,
        f"{HAYCOCK}; hand computation",
        id="bsa-haycock-hand-185cm-110kg",
    ),
    pytest.param(
        BsaFormula.GEHAN_GEORGE,
        170,
        65,
        1.7628,
        0.001,
        f"{KA} bsa-gehan-01: {GEHAN}; computed",
        id="bsa-gehan-01",
    ),
    pytest.param(
        BsaFormula.GEHAN_GEORGE,
        185,
        110,
        0.0235 * 185**0.42246 * 110**0.51456,
        0.001,
        f"{GEHAN}; hand computation",
        id="bsa-gehan-hand-185cm-110kg",
    ),
    pytest.param(
        BsaFormula.BOYD,
        170,
        65,
        1.7618,
        0.001,
        f"{KA} bsa-boyd-01 (weight 65000 g inside the formula): {BOYD}; computed",
        id="bsa-boyd-01",
    ),
    pytest.param(
        BsaFormula.BOYD,
        185,
        110,
        0.0003207 * 185**0.3 * 110_000 ** (0.7285 - 0.0188 * math.log10(110_000)),
        0.001,
        f"{BOYD}; hand computation with W = 110000 g",
        id="bsa-boyd-hand-185cm-110kg",
    ),
    pytest.param(
        BsaFormula.FUJIMOTO,
        170,
        65,
        1.707,
        0.001,
        f"{FUJIMOTO}; published worked example 170 cm/65 kg → 1.707 (result) / 1.708 (worked steps) m² at "
        "https://calculatorlib.com/body-surface-area-bsa-dubois-shintani-fujimoto-calculator "
        "(clinical-reference §1)",
        id="bsa-fujimoto-calculatorlib",
    ),
    pytest.param(
        BsaFormula.FUJIMOTO,
        185,
        110,
        0.008883 * 185**0.663 * 110**0.444,
        0.001,
        f"{FUJIMOTO}; hand computation",
        id="bsa-fujimoto-hand-185cm-110kg",
    ),
    pytest.param(
        BsaFormula.STEVENSON,
        170,
        65,
        1.7161,
        0.0005,
        f"{KA} bsa-stevenson-01: {STEVENSON}; computed. The tolerance also catches the −0.1329 typo (+0.02 m²)",
        id="bsa-stevenson-01",
    ),
    pytest.param(
        BsaFormula.STEVENSON,
        158,
        52,
        0.0061 * 158 + 0.0128 * 52 - 0.1529,
        0.0005,
        f"{STEVENSON}; hand computation",
        id="bsa-stevenson-hand-158cm-52kg",
    ),
]


@pytest.mark.parametrize(("formula", "height_cm", "weight_kg", "expected_m2", "tolerance", "source"), BSA_CASES)
def test_body_surface_area(
    formula: BsaFormula, height_cm: float, weight_kg: float, expected_m2: float, tolerance: float, source: str
) -> None:
    result = body_surface_area(_height(height_cm), _weight(weight_kg), formula)
    assert result.formula is formula
    assert result.bsa.m_as("m**2") == pytest.approx(expected_m2, abs=tolerance), source


def test_fujimoto_matches_the_worked_steps_too() -> None:
    """calculatorlib.com worked steps: 170^0.663 × 65^0.444 × 0.008883 = 1.708 m² (1.707 in its result box)."""
    bsa = body_surface_area(_height(170), _weight(65), BsaFormula.FUJIMOTO).bsa.m_as("m**2")
    assert bsa == pytest.approx(1.708, abs=0.001)
    assert bsa == pytest.approx(0.008883 * 170**0.663 * 65**0.444, abs=1e-9)


# --------------------------------------------------------------------------------------------
# 2. Ideal and adjusted body weight (kg)
# --------------------------------------------------------------------------------------------

IBW_CASES = [
    pytest.param(
        180,
        Sex.MALE,
        74.99,
        0.05,
        f"{KA} ibw-devine-male-01: {DEVINE}; computed 50 + 2.3 × (180/2.54 − 60)",
        id="ibw-devine-male-01",
    ),
    pytest.param(
        64 * INCH_CM,
        Sex.MALE,
        59.2,
        0.05,
        f"{DEVINE}; worked example man 64 in → 59.2 kg at http://manuelsweb.com/IBW.htm",
        id="ibw-devine-male-64in-manuelsweb",
    ),
    pytest.param(
        70 * INCH_CM,
        Sex.MALE,
        73.0,
        0.05,
        f"{DEVINE}; worked example man 70 in → 73.0 kg at https://theprimecalculator.com/health/ideal-weight-calculator/formula",
        id="ibw-devine-male-70in-primecalculator",
    ),
    pytest.param(
        66 * INCH_CM,
        Sex.FEMALE,
        59.3,
        0.05,
        f"{DEVINE}; worked example woman 66 in → 59.3 kg at https://thenutritionistfiles.com/tools/ibw-calculator/",
        id="ibw-devine-female-66in-nutritionistfiles",
    ),
    pytest.param(
        64 * INCH_CM,
        Sex.FEMALE,
        54.7,
        0.05,
        f"{DEVINE}; worked example woman 64 in → 54.7 kg at http://manuelsweb.com/IBW.htm",
        id="ibw-devine-female-64in-manuelsweb",
    ),
    pytest.param(
        152.4,
        Sex.FEMALE,
        45.5,
        0.05,
        f"{DEVINE}: exactly 60 in gives the base weight",
        id="ibw-devine-female-60in-base",
    ),
]


@pytest.mark.parametrize(("height_cm", "sex", "expected_kg", "tolerance", "source"), IBW_CASES)
def test_devine_ideal_body_weight(
    height_cm: float, sex: Sex, expected_kg: float, tolerance: float, source: str
) -> None:
    assert devine_ideal_weight_kg(height_cm, sex) == pytest.approx(expected_kg, abs=tolerance), source
    result = ideal_body_weight(_height(height_cm), sex)
    assert result.weight.m_as("kg") == pytest.approx(expected_kg, abs=tolerance), source


ADJBW_CASES = [
    pytest.param(
        70 * INCH_CM,
        110,
        Sex.MALE,
        87.8,
        0.05,
        f"{ADJBW}; worked example man 70 in, 110 kg → IBW 73, AdjBW 87.8 kg at "
        "https://theprimecalculator.com/health/adult-dosing-weight/formula",
        id="adjbw-male-70in-110kg-primecalculator",
    ),
    pytest.param(
        64 * INCH_CM,
        80,
        Sex.FEMALE,
        54.7 + 0.4 * (80 - 54.7),
        0.05,
        f"{ADJBW}; worked example woman 64 in, 80 kg → 64.8 kg at http://manuelsweb.com/IBW.htm "
        "(54.7 + 0.4 × 25.3 = 64.82)",
        id="adjbw-female-64in-80kg-manuelsweb",
    ),
    pytest.param(
        180,
        110,
        Sex.MALE,
        74.99 + 0.4 * (110 - 74.99),
        0.05,
        f"{KA} crcl-cg-adj-06 (its weight step): {ADJBW}; hand computation 74.99 + 0.4 × (110 − 74.99) = 88.99",
        id="adjbw-male-180cm-110kg-ka06",
    ),
]


@pytest.mark.parametrize(("height_cm", "actual_kg", "sex", "expected_kg", "tolerance", "source"), ADJBW_CASES)
def test_adjusted_body_weight(
    height_cm: float, actual_kg: float, sex: Sex, expected_kg: float, tolerance: float, source: str
) -> None:
    result = adjusted_body_weight(_height(height_cm), _weight(actual_kg), sex)
    assert result.weight.m_as("kg") == pytest.approx(expected_kg, abs=tolerance), source


# --------------------------------------------------------------------------------------------
# 3. Cockcroft–Gault creatinine clearance (mL/min), through estimate_renal_function
# --------------------------------------------------------------------------------------------

CG_CASES = [
    # (age, sex, weight kg, height cm or None, creatinine text, weight basis, floor text or None, expected, tol)
    pytest.param(
        65,
        Sex.MALE,
        70,
        None,
        "1.4 mg/dL",
        WeightBasis.ACTUAL,
        None,
        52.08,
        0.1,
        f"{KA} crcl-cg-01: {CG}; worked example 52.1 mL/min at "
        "https://superglobalcalculator.com/formulas/pharmacology/creatinine-clearance",
        id="crcl-cg-01",
    ),
    pytest.param(
        65,
        Sex.MALE,
        70,
        None,
        "123.76 µmol/L",
        WeightBasis.ACTUAL,
        None,
        52.08,
        0.1,
        f"{KA} crcl-cg-umol-03: crcl-cg-01 with SCr 1.4 mg/dL × 88.4 = 123.76 µmol/L (droracle/proreckoner)",
        id="crcl-cg-umol-03",
    ),
    pytest.param(
        65,
        Sex.MALE,
        70,
        None,
        "123.76 umol/L",
        WeightBasis.ACTUAL,
        None,
        52.08,
        0.1,
        f"{KA} crcl-cg-umol-03 typed with 'u' for micro",
        id="crcl-cg-umol-03-ascii",
    ),
    pytest.param(
        45,
        Sex.FEMALE,
        60,
        None,
        "0.9 mg/dL",
        WeightBasis.ACTUAL,
        None,
        74.8,
        0.1,
        f"{CG}; female × 0.85 worked example 2 (45 y, 60 kg, 0.9 mg/dL → 74.8 mL/min) at "
        "https://superglobalcalculator.com/formulas/pharmacology/creatinine-clearance",
        id="crcl-cg-female-superglobal",
    ),
    pytest.param(
        45,
        Sex.FEMALE,
        60,
        None,
        f"{0.9 * 88.4!r} µmol/L",
        WeightBasis.ACTUAL,
        None,
        (140 - 45) * 60 / (72 * 0.9) * 0.85,
        0.1,
        f"{CG}; the same woman with SCr in µmol/L (0.9 × 88.4); hand computation",
        id="crcl-cg-female-umol",
    ),
    pytest.param(
        60,
        Sex.MALE,
        80,
        None,
        "1.2 mg/dL",
        WeightBasis.ACTUAL,
        None,
        74.1,
        0.1,
        f"{CG}; worked example 1 (60 y, 80 kg, 1.2 mg/dL → 74.1 mL/min) at "
        "https://superglobalcalculator.com/formulas/health/creatinine-clearance",
        id="crcl-cg-male-superglobal-health",
    ),
    pytest.param(
        70,
        Sex.MALE,
        75,
        None,
        "1.0 mg/dL",
        WeightBasis.ACTUAL,
        None,
        72.9,
        0.1,
        f"{CG}; worked example (70 y, 75 kg, 1.0 mg/dL → 72.9 mL/min) at "
        "https://www.droracle.ai/articles/797449/how-to-calculate-creatinine-clearance-in-a-patient-with",
        id="crcl-cg-male-droracle",
    ),
    pytest.param(
        50,
        Sex.MALE,
        80,
        None,
        "1 mg/dL",
        WeightBasis.ACTUAL,
        None,
        100.0,
        0.1,
        f"{CG}; worked example (50 y, 80 kg, 1.0 mg/dL → 100 mL/min) at "
        "https://theprimecalculator.com/health/creatinine-clearance/formula",
        id="crcl-cg-male-primecalculator",
    ),
    pytest.param(
        60,
        Sex.MALE,
        110,
        180,
        "1.0 mg/dL",
        WeightBasis.ADJUSTED,
        None,
        98.88,
        0.1,
        f"{KA} crcl-cg-adj-06: {CG} with {ADJBW}; computed (140 − 60) × 88.99 / 72",
        id="crcl-cg-adj-06",
    ),
    pytest.param(
        60,
        Sex.MALE,
        110,
        180,
        "1.0 mg/dL",
        WeightBasis.IDEAL,
        None,
        (140 - 60) * (50 + 2.3 * (180 / 2.54 - 60)) / 72,
        0.1,
        f"{CG} with ideal weight ({DEVINE}); hand computation (140 − 60) × 74.99 / 72 = 83.32",
        id="crcl-cg-ideal-male-180cm",
    ),
    pytest.param(
        60,
        Sex.MALE,
        110,
        180,
        "1.0 mg/dL",
        WeightBasis.LOWER,
        None,
        (140 - 60) * (50 + 2.3 * (180 / 2.54 - 60)) / 72,
        0.1,
        f"{CG} with the lower of actual (110 kg) and ideal (74.99 kg) weight (Robert 1993 via "
        "medicalalgorithms, clinical-reference §2); hand computation: the ideal weight",
        id="crcl-cg-lower-picks-ideal",
    ),
    pytest.param(
        60,
        Sex.FEMALE,
        50,
        170,
        "1.0 mg/dL",
        WeightBasis.LOWER,
        None,
        (140 - 60) * 50 / 72 * 0.85,
        0.1,
        f"{CG} with the lower of actual (50 kg) and ideal (45.5 + 2.3 × (170/2.54 − 60) = 61.44 kg) weight; "
        "hand computation: the actual weight",
        id="crcl-cg-lower-picks-actual-female",
    ),
    pytest.param(
        60,
        Sex.FEMALE,
        80,
        64 * INCH_CM,
        "1.0 mg/dL",
        WeightBasis.ADJUSTED,
        None,
        (140 - 60) * (54.7 + 0.4 * (80 - 54.7)) / 72 * 0.85,
        0.1,
        f"{CG} × 0.85 with {ADJBW}; adjusted weight 64.82 kg from http://manuelsweb.com/IBW.htm; hand computation",
        id="crcl-cg-adjusted-female-64in",
    ),
    pytest.param(
        70,
        Sex.FEMALE,
        55,
        None,
        "0.5 mg/dL",
        WeightBasis.ACTUAL,
        "0.7 mg/dL",
        64.93,
        0.1,
        f"{KA} crcl-cg-floor07-08: NCCN Chemotherapy Order Templates App. B 'consider a minimum Cr of 0.7 mg/dL'; "
        "computed (140 − 70) × 55 / (72 × 0.7) × 0.85",
        id="crcl-cg-floor07-08",
    ),
    pytest.param(
        70,
        Sex.FEMALE,
        55,
        None,
        "0.5 mg/dL",
        WeightBasis.ACTUAL,
        None,
        (140 - 70) * 55 / (72 * 0.5) * 0.85,
        0.1,
        f"{CG}: crcl-cg-floor07-08 without a floor (the floor is a setting, off by default); hand computation",
        id="crcl-cg-floor07-08-no-floor",
    ),
    pytest.param(
        65,
        Sex.MALE,
        70,
        None,
        "1.4 mg/dL",
        WeightBasis.ACTUAL,
        "0.7 mg/dL",
        52.08,
        0.1,
        f"{KA} crcl-cg-01 with the 0.7 mg/dL floor: a floor never lowers a creatinine above it",
        id="crcl-cg-floor-not-applied-above",
    ),
]


@pytest.mark.parametrize(
    (
        "age",
        "sex",
        "weight_kg",
        "height_cm",
        "creatinine",
        "basis",
        "floor",
        "expected_ml_min",
        "tolerance",
        "source",
    ),
    CG_CASES,
)
def test_cockcroft_gault(
    age: float,
    sex: Sex,
    weight_kg: float,
    height_cm: float | None,
    creatinine: str,
    basis: WeightBasis,
    floor: str | None,
    expected_ml_min: float,
    tolerance: float,
    source: str,
) -> None:
    patient = Patient(
        age_years=age,
        sex=sex,
        weight=_weight(weight_kg),
        height=None if height_cm is None else _height(height_cm),
        creatinine=SerumCreatinine.parse(creatinine),
    )
    result = estimate_renal_function(
        patient, RenalMethod.COCKCROFT_GAULT, basis, creatinine_floor=parse_creatinine_floor(floor)
    )
    assert result.clearance is not None
    assert result.clearance.value.check("[volume]/[time]")
    assert result.clearance.ml_per_min == pytest.approx(expected_ml_min, abs=tolerance), source


def test_creatinine_floor_is_the_creatinine_used() -> None:
    """known-answers crcl-cg-floor07-08: SCr 0.5 mg/dL is raised to the NCCN floor of 0.7 mg/dL and recorded."""
    patient = Patient(
        age_years=70,
        sex=Sex.FEMALE,
        weight=_weight(55),
        creatinine=SerumCreatinine.parse("0.5 mg/dL"),
    )
    floored = estimate_renal_function(patient, creatinine_floor=parse_creatinine_floor("0.7 mg/dL"))
    assert floored.creatinine_used.m_as("mg/dL") == pytest.approx(0.7, abs=1e-9)
    assert floored.weight_used.m_as("kg") == pytest.approx(55, abs=1e-9)
    unfloored = estimate_renal_function(patient, creatinine_floor=None)
    assert unfloored.creatinine_used.m_as("mg/dL") == pytest.approx(0.5, abs=1e-9)


# --------------------------------------------------------------------------------------------
# 4. CKD-EPI 2021 (mL/min/1.73 m²) and de-indexing to mL/min
# --------------------------------------------------------------------------------------------

CKD_EPI_CASES = [
    pytest.param(
        1.0,
        50,
        Sex.MALE,
        91.69,
        0.1,
        f"{KA} egfr-ckdepi21-01: {CKD_EPI}; computed. Male above κ 0.9 (−1.200 branch)",
        id="egfr-ckdepi21-01-male-above-kappa",
    ),
    pytest.param(
        0.7,
        50,
        Sex.MALE,
        142 * (0.7 / 0.9) ** -0.302 * 0.9938**50,
        0.1,
        f"{CKD_EPI}; male below κ 0.9 (α −0.302 branch); hand computation 142 × (0.7/0.9)^−0.302 × 0.9938^50",
        id="egfr-ckdepi21-male-below-kappa",
    ),
    pytest.param(
        0.9,
        50,
        Sex.MALE,
        142 * 0.9938**50,
        0.1,
        f"{CKD_EPI}; male exactly at κ: both spline terms are 1; hand computation 142 × 0.9938^50",
        id="egfr-ckdepi21-male-at-kappa",
    ),
    pytest.param(
        0.9,
        55,
        Sex.FEMALE,
        142 * (0.9 / 0.7) ** -1.200 * 0.9938**55 * 1.012,
        0.1,
        f"{CKD_EPI}; female above κ 0.7; hand computation 142 × (0.9/0.7)^−1.2 × 0.9938^55 × 1.012 = 75.5. "
        "Worked example 'about 76' (intermediates rounded) at https://creatinineclearancecalculator.net/equations/ckd-epi/",
        id="egfr-ckdepi21-female-above-kappa",
    ),
    pytest.param(
        0.6,
        60,
        Sex.FEMALE,
        142 * (0.6 / 0.7) ** -0.241 * 0.9938**60 * 1.012,
        0.1,
        f"{CKD_EPI}; female below κ 0.7 (α −0.241 branch); hand computation",
        id="egfr-ckdepi21-female-below-kappa",
    ),
    pytest.param(
        1.0 * 88.4,
        50,
        Sex.MALE,
        91.69,
        0.1,
        f"{KA} egfr-ckdepi21-01 with SCr in µmol/L (1.0 × 88.4)",
        id="egfr-ckdepi21-01-umol",
    ),
]


@pytest.mark.parametrize(("creatinine_mg_dl", "age", "sex", "expected", "tolerance", "source"), CKD_EPI_CASES)
def test_ckd_epi_2021_indexed(
    creatinine_mg_dl: float, age: float, sex: Sex, expected: float, tolerance: float, source: str
) -> None:
    unit = "µmol/L" if creatinine_mg_dl > 20 else "mg/dL"
    patient = Patient(age_years=age, sex=sex, creatinine=SerumCreatinine.parse(f"{creatinine_mg_dl!r} {unit}"))
    result = estimate_renal_function(patient, RenalMethod.CKD_EPI_2021)
    assert result.egfr_indexed is not None
    assert result.egfr_indexed.per_standard_surface == pytest.approx(expected, abs=tolerance), source
    # Without height and weight the eGFR cannot be de-indexed, so there is no absolute GFR for Calvert.
    assert result.clearance is None


def test_ckd_epi_published_example_rounds_to_76() -> None:
    """creatinineclearancecalculator.net/equations/ckd-epi/: woman, 55 years, 0.9 mg/dL → "about 76".

    The page rounds its intermediates (1.29^−1.2 ≈ 0.745); unrounded the equation gives 75.5, so the
    published figure is checked at ±1 mL/min/1.73 m².
    """
    patient = Patient(age_years=55, sex=Sex.FEMALE, creatinine=SerumCreatinine.parse("0.9 mg/dL"))
    result = estimate_renal_function(patient, RenalMethod.CKD_EPI_2021)
    assert result.egfr_indexed is not None
    assert result.egfr_indexed.per_standard_surface == pytest.approx(76, abs=1.0)


def test_ckd_epi_deindexed_with_mosteller_bsa() -> None:
    """known-answers egfr-ckdepi21-deindex-02: eGFR 91.69 × BSA 2.0616 / 1.73 = 109.26 mL/min (± 0.2).

    SOURCE: de-indexing eGFR (mL/min) = eGFR (mL/min/1.73 m²) × BSA / 1.73 (thedrugmonitor.com/clcreqs.html,
    Jelliffe note; globalrph carboplatin2 "CKD-EPI corrected for BSA"); BSA by Mosteller for 180 cm, 85 kg.
    """
    patient = Patient(
        age_years=50,
        sex=Sex.MALE,
        height=_height(180),
        weight=_weight(85),
        creatinine=SerumCreatinine.parse("1.0 mg/dL"),
    )
    result = estimate_renal_function(patient, RenalMethod.CKD_EPI_2021, bsa_formula=BsaFormula.MOSTELLER)
    assert result.clearance is not None
    assert result.clearance.ml_per_min == pytest.approx(109.26, abs=0.2)
    hand = 142 * (1.0 / 0.9) ** -1.200 * 0.9938**50 * math.sqrt(180 * 85 / 3600) / 1.73
    assert result.clearance.ml_per_min == pytest.approx(hand, abs=0.2)
    assert result.egfr_indexed is not None
    assert result.egfr_indexed.per_standard_surface == pytest.approx(91.69, abs=0.1)


# --------------------------------------------------------------------------------------------
# 5. Carboplatin (Calvert) with and without the FDA GFR cap (mg)
# --------------------------------------------------------------------------------------------

CALVERT_CASES = [
    # (AUC, GFR mL/min, cap: "fda" | "none" | cap text, expected mg, expected capped?)
    pytest.param(
        5,
        90,
        "fda",
        575.0,
        False,
        f"{KA} carbo-calvert-01: {CALVERT}; worked example AUC 5, GFR 90 → 575 mg at "
        "https://tools.gera.services/carboplatin-auc-dosing-calvert and "
        "https://creatinineclearancecalculator.net/dosing/calvert/",
        id="carbo-calvert-01",
    ),
    pytest.param(
        5,
        140,
        "none",
        825.0,
        False,
        f"{CALVERT}; uncapped AUC 5, GFR 140 → 825 mg at https://creatinineclearancecalculator.net/dosing/calvert/",
        id="carbo-calvert-uncapped-gfr140",
    ),
    pytest.param(
        5,
        140,
        "fda",
        750.0,
        True,
        f"{FDA_CAP}; AUC 5, GFR 140 capped → 750 mg at https://creatinineclearancecalculator.net/dosing/calvert/",
        id="carbo-calvert-capped-auc5-gfr140",
    ),
    pytest.param(
        6,
        140,
        "fda",
        900.0,
        True,
        f"{KA} carbo-calvert-capped-03: {FDA_CAP}; AUC 6 → 900 mg",
        id="carbo-calvert-capped-03",
    ),
    pytest.param(
        2, 200, "fda", 300.0, True, f"{FDA_CAP}: table AUC 2 → 300 mg (clinical-reference §3)", id="fda-table-auc2"
    ),
    pytest.param(
        4, 200, "fda", 600.0, True, f"{FDA_CAP}: table AUC 4 → 600 mg (clinical-reference §3)", id="fda-table-auc4"
    ),
    pytest.param(
        5, 200, "fda", 750.0, True, f"{FDA_CAP}: table AUC 5 → 750 mg (clinical-reference §3)", id="fda-table-auc5"
    ),
    pytest.param(
        6, 200, "fda", 900.0, True, f"{FDA_CAP}: table AUC 6 → 900 mg (clinical-reference §3)", id="fda-table-auc6"
    ),
    pytest.param(
        6,
        125,
        "fda",
        900.0,
        False,
        f"{FDA_CAP}: GFR exactly at the cap is not reduced; AUC 6 × 150 = 900 mg",
        id="fda-at-cap-auc6",
    ),
    pytest.param(
        4,
        50,
        "fda",
        300.0,
        False,
        f"{CALVERT}; table GFR 50, AUC 4 → 300 mg at https://creatinineclearancecalculator.net/dosing/calvert/",
        id="calvert-table-gfr50-auc4",
    ),
    pytest.param(
        5,
        75,
        "fda",
        500.0,
        False,
        f"{CALVERT}; table GFR 75, AUC 5 → 500 mg at https://creatinineclearancecalculator.net/dosing/calvert/",
        id="calvert-table-gfr75-auc5",
    ),
    pytest.param(
        6,
        100,
        "fda",
        750.0,
        False,
        f"{CALVERT}; table GFR 100, AUC 6 → 750 mg at https://creatinineclearancecalculator.net/dosing/calvert/",
        id="calvert-table-gfr100-auc6",
    ),
    pytest.param(
        5,
        140,
        "100 mL/min",
        5 * (100 + 25),
        True,
        f"{CALVERT} with a site cap of 100 mL/min (a [P] policy, clinical-reference §3); hand computation 5 × 125",
        id="calvert-site-cap-100",
    ),
]


@pytest.mark.parametrize(("auc", "gfr_ml_min", "cap", "expected_mg", "capped", "source"), CALVERT_CASES)
def test_calvert(auc: float, gfr_ml_min: float, cap: str, expected_mg: float, capped: bool, source: str) -> None:
    gfr_cap = FDA_GFR_CAP if cap == "fda" else parse_gfr_cap(cap)  # parse_gfr_cap("none") is no cap
    result = carboplatin_dose(auc, measured_gfr(f"{gfr_ml_min} mL/min"), gfr_cap=gfr_cap)
    assert result.dose.m_as("mg") == pytest.approx(expected_mg, abs=0.5), source
    assert result.gfr_capped is capped, source


def test_calvert_from_cockcroft_gault_is_capped() -> None:
    """known-answers carbo-pipeline-06: CG 55 y, 80 kg, SCr 0.6 mg/dL man, no floor → 157.41 mL/min uncapped;
    capped at 125 → AUC 5 × 150 = 750 mg (± 0.5). SOURCE: Cockcroft–Gault 1976; FDA 2010 cap; computed.
    """
    patient = Patient(age_years=55, sex=Sex.MALE, weight=_weight(80), creatinine=SerumCreatinine.parse("0.6 mg/dL"))
    renal = estimate_renal_function(patient, creatinine_floor=None)
    assert renal.clearance is not None
    assert renal.clearance.ml_per_min == pytest.approx((140 - 55) * 80 / (72 * 0.6), abs=0.1)
    assert renal.clearance.ml_per_min == pytest.approx(157.41, abs=0.1)
    result = carboplatin_dose(5, renal.clearance, gfr_cap=FDA_GFR_CAP)
    assert result.gfr_capped is True
    assert result.gfr_used.m_as("mL/min") == pytest.approx(125, abs=1e-9)
    assert result.dose.m_as("mg") == pytest.approx(750, abs=0.5)


# --------------------------------------------------------------------------------------------
# 6. Dose from its basis (mg/m², mg/kg), the BSA cap, rounding
# --------------------------------------------------------------------------------------------


def test_dose_per_m2_paclitaxel() -> None:
    """known-answers dose-mgm2-pacli-01: paclitaxel 175 mg/m² × 1.8447 m² = 322.8 mg (± 0.2).

    SOURCE: ESCORT-1st / JUPITER-06 paclitaxel 175 mg/m² (JAMA 2021;326:916); computed 175 × 1.8447.
    """
    result = calculate_dose(parse_dose_basis("175 mg/m**2"), bsa=parse_bsa("1.8447 m**2"))
    assert result.calculated.m_as("mg") == pytest.approx(322.8, abs=0.2)
    assert result.final.m_as("mg") == pytest.approx(322.8, abs=0.2)  # no rounding rule: the exact dose


def test_dose_per_m2_from_height_and_weight() -> None:
    """Pipeline: Mosteller 175 cm/70 kg (bsa-mosteller-01, 1.8447 m²) × 175 mg/m² = 322.8 mg (dose-mgm2-pacli-01)."""
    bsa = body_surface_area(_height(175), _weight(70), BsaFormula.MOSTELLER)
    result = calculate_dose(parse_dose_basis("175 mg/m²"), bsa=bsa)
    assert result.calculated.m_as("mg") == pytest.approx(175 * math.sqrt(175 * 70 / 3600), abs=1e-6)
    assert result.calculated.m_as("mg") == pytest.approx(322.8, abs=0.2)


@pytest.mark.parametrize(
    ("cap", "expected_mg", "source"),
    [
        pytest.param(
            "2 m**2",
            150.0,
            f"{KA} dose-bsa-capped-04: institutional BSA cap 2.0 m² (opt-in; ASCO 2021 recommends full "
            "weight-based dosing): 75 mg/m² × 2.0 m² = 150 mg",
            id="dose-bsa-capped-04",
        ),
        pytest.param(
            None,
            172.5,
            f"{KA} dose-bsa-capped-04: uncapped 75 mg/m² × 2.3 m² = 172.5 mg (ASCO 2021, Griggs JCO 2021;39:2037)",
            id="dose-bsa-uncapped-04",
        ),
        pytest.param(
            "2.5 m**2",
            172.5,
            f"{KA} dose-bsa-capped-04: a cap above the BSA changes nothing (75 × 2.3)",
            id="dose-bsa-cap-above-bsa",
        ),
    ],
)
def test_bsa_cap(cap: str | None, expected_mg: float, source: str) -> None:
    result = calculate_dose(parse_dose_basis("75 mg/m**2"), bsa=parse_bsa("2.3 m**2"), bsa_cap=parse_bsa_cap(cap))
    assert result.calculated.m_as("mg") == pytest.approx(expected_mg, abs=0.1), source


def test_dose_per_kg_sintilimab() -> None:
    """Sintilimab 3 mg/kg below 60 kg (ORIENT-15, BMJ 2022;377:e068714; clinical-reference §6).

    Hand computation: 55 kg → 3 × 55 = 165 mg.
    """
    result = calculate_dose(parse_dose_basis("3 mg/kg"), weight=_weight(55))
    assert result.calculated.m_as("mg") == pytest.approx(3 * 55, abs=1e-9)


def test_dose_per_day_and_per_cycle_fluorouracil() -> None:
    """5-FU 800 mg/m²/day d1–5 (KEYNOTE-590 / CheckMate 648 FP; dose marked [M] in clinical-reference §8).

    Hand computation at BSA 1.8 m²: 800 × 1.8 = 1440 mg per day, × 5 days = 7200 mg per cycle.
    """
    result = calculate_dose(parse_dose_basis("800 mg/m**2"), bsa=parse_bsa("1.8 m**2"), days=5)
    assert result.final.m_as("mg") == pytest.approx(800 * 1.8, abs=1e-6)
    assert result.per_cycle.m_as("mg") == pytest.approx(800 * 1.8 * 5, abs=1e-6)


ROUNDING_CASES = [
    # (calculated mg, step mg, max deviation, expected final mg, expected deviation %)
    pytest.param(
        563,
        50,
        "0.05",
        550,
        Decimal("-2.31"),
        f"{KA} round-carbo-5pct-03: 563 → 550 mg deviates −2.31 %, within 5 %",
        id="round-carbo-5pct-03",
    ),
    pytest.param(
        563,
        100,
        "0.05",
        563,
        Decimal("0.00"),
        "Rule (clinical-reference §4, institutional 5 %): 600 mg would deviate (600 − 563)/563 = +6.57 % > 5 %, "
        "so the exact dose is kept",
        id="round-kept-beyond-5pct",
    ),
    pytest.param(
        563,
        100,
        "0.10",
        600,
        Decimal("6.57"),
        "HOPA position statement (Fahrenbruch, J Oncol Pract 2018;14:e130): within 10 % of the ordered dose; "
        "hand computation (600 − 563)/563 = +6.57 %",
        id="round-hopa-10pct",
    ),
    pytest.param(
        322.8,
        10,
        "0.05",
        320,
        Decimal("-0.87"),
        "dose-mgm2-pacli-01 rounded to 10 mg within 5 %: hand computation (320 − 322.8)/322.8 = −0.87 %",
        id="round-paclitaxel-10mg",
    ),
    pytest.param(
        575,
        50,
        "0.05",
        600,
        Decimal("4.35"),
        "carbo-calvert-01 575 mg exactly half-way between 550 and 600: ties round up (NHS dose-banding 'round-up' "
        "column, rounding.py); hand computation (600 − 575)/575 = +4.35 %",
        id="round-tie-rounds-up",
    ),
]


@pytest.mark.parametrize(("calculated", "step", "max_dev", "expected", "deviation", "source"), ROUNDING_CASES)
def test_rounding(calculated: float, step: int, max_dev: str, expected: float, deviation: Decimal, source: str) -> None:
    rule = RoundingRule(Decimal(step), Decimal(max_dev))
    outcome = round_dose(calculated, rule)
    assert float(outcome.final_mg) == pytest.approx(expected, abs=0.01), source
    assert outcome.deviation_percent == deviation, source
    assert outcome.rounded is (expected != calculated), source
    # The same rule through calculate_dose (a flat dose in mg).
    result = calculate_dose(parse_dose_basis(f"{calculated} mg"), rounding=rule)
    assert result.calculated.m_as("mg") == pytest.approx(calculated, abs=1e-9), source
    assert result.final.m_as("mg") == pytest.approx(expected, abs=0.01), source
    assert result.deviation_percent == deviation, source


# --------------------------------------------------------------------------------------------
# 7. Radiotherapy: BED and EQD2 (Gy), per course and summed
# --------------------------------------------------------------------------------------------

LQ_CASES = [
    # (total Gy, fractions, α/β Gy, expected BED, expected EQD2, tolerance)
    pytest.param(
        50,
        25,
        10,
        50 * (1 + 2 / 10),
        50.0,
        1e-6,
        f"{KA} rt-eqd2-01: {LQ}; 2 Gy fractions are their own EQD2 (BED: hand computation 50 × 1.2)",
        id="rt-eqd2-01",
    ),
    pytest.param(50, 25, 2, 100.0, 50.0, 1e-6, f"{KA} rt-bed-02: {NIEDER}", id="rt-bed-02-nieder-gy2"),
    pytest.param(50, 25, 4, 75.0, 50.0, 1e-6, f"{NIEDER} (75 Gy4 at α/β 4 Gy)", id="rt-bed-nieder-gy4"),
    pytest.param(
        60,
        30,
        10,
        72.0,
        60.0,
        1e-6,
        f"{LQ}; worked example 60 Gy/30 fx, α/β 10 → BED 72, EQD2 60 at https://cal57.calculator.city/bed-calculator-eqd2.html",
        id="rt-calculator-city-60gy30",
    ),
    pytest.param(
        66,
        33,
        1.5,
        154.0,
        66.0,
        0.01,
        f"{LQ}; SHARE trial Table 3, 66 Gy/33 fx, prostate α/β 1.5 → BED 154, EQD2 66 at "
        "https://trialsjournal.biomedcentral.com/articles/10.1186/s13063-021-05708-5/tables/3",
        id="rt-share-66gy33-ab1.5",
    ),
    pytest.param(
        66,
        33,
        3,
        110.0,
        66.0,
        0.01,
        f"{LQ}; SHARE trial Table 3, 66 Gy/33 fx, late tissue α/β 3 → BED 110, EQD2 66 (same URL)",
        id="rt-share-66gy33-ab3",
    ),
    pytest.param(
        66,
        33,
        10,
        79.2,
        66.0,
        0.01,
        f"{LQ}; SHARE trial Table 3, 66 Gy/33 fx, early tissue α/β 10 → BED 79.2, EQD2 66 (same URL)",
        id="rt-share-66gy33-ab10",
    ),
    pytest.param(
        65,
        26,
        1.5,
        173.33,
        74.29,
        0.01,
        f"{LQ}; SHARE trial Table 3, hypofractionated 65 Gy/26 fx (2.5 Gy), α/β 1.5 → BED 173.33, EQD2 74.29 at "
        "https://trialsjournal.biomedcentral.com/articles/10.1186/s13063-021-05708-5/tables/3",
        id="rt-share-65gy26-ab1.5",
    ),
    pytest.param(
        65,
        26,
        3,
        119.17,
        71.5,
        0.01,
        f"{LQ}; SHARE trial Table 3, 65 Gy/26 fx, α/β 3 → BED 119.17, EQD2 71.5 (same URL)",
        id="rt-share-65gy26-ab3",
    ),
    pytest.param(
        65,
        26,
        10,
        81.25,
        67.71,
        0.01,
        f"{LQ}; SHARE trial Table 3, 65 Gy/26 fx, α/β 10 → BED 81.25, EQD2 67.71 (same URL)",
        id="rt-share-65gy26-ab10",
    ),
    pytest.param(
        45,
        30,
        2,
        78.75,
        45 * (1.5 + 2) / (2 + 2),
        0.01,
        f"{KA} rt-cum-cord-bed-08 first course: cord 45 Gy/30 fx at α/β 2 → 78.75 Gy2; EQD2 hand computation",
        id="rt-cord-course1",
    ),
]


@pytest.mark.parametrize(
    ("total_gy", "fractions", "alpha_beta", "expected_bed", "expected_eqd2", "tolerance", "source"), LQ_CASES
)
def test_bed_and_eqd2(
    total_gy: float,
    fractions: int,
    alpha_beta: float,
    expected_bed: float,
    expected_eqd2: float,
    tolerance: float,
    source: str,
) -> None:
    assert bed_gy(total_gy, fractions, alpha_beta) == pytest.approx(expected_bed, abs=tolerance), source
    assert eqd2_gy(total_gy, fractions, alpha_beta) == pytest.approx(expected_eqd2, abs=tolerance), source
    summed = sum_courses([Course(Quantity(total_gy, "Gy"), fractions)], Quantity(alpha_beta, "Gy"))
    assert summed.total_bed.m_as("Gy") == pytest.approx(expected_bed, abs=tolerance), source
    assert summed.total_eqd2.m_as("Gy") == pytest.approx(expected_eqd2, abs=tolerance), source


def test_summed_cord_bed() -> None:
    """known-answers rt-cum-cord-bed-08: cord Dmax 45 Gy/30 fx + 30 Gy/28 fx at α/β 2 Gy
    → 78.75 + 46.07 = 124.82 Gy2 (± 0.05); above Nieder 2006's 120 Gy2 "no myelopathy reported" level,
    below 135.5 Gy2. Hand computation: 45 × (1 + 1.5/2) + 30 × (1 + (30/28)/2)."""
    summed = sum_courses([Course(Quantity(45, "Gy"), 30), Course(Quantity(30, "Gy"), 28)], Quantity(2, "Gy"))
    assert [c.bed.m_as("Gy") for c in summed.courses] == pytest.approx([78.75, 46.07], abs=0.01)
    assert summed.total_bed.m_as("Gy") == pytest.approx(124.82, abs=0.05)
    assert summed.total_bed.m_as("Gy") == pytest.approx(45 * (1 + 1.5 / 2) + 30 * (1 + (30 / 28) / 2), abs=1e-9)
    assert 120 < summed.total_bed.m_as("Gy") < 135.5


@pytest.mark.parametrize(
    ("brachy_total_gy", "alpha_beta", "expected_eqd2"),
    [
        pytest.param(28, 10, 83.9, id="cervix-ebrt-plus-hdr-tumour-ab10"),
        pytest.param(0.9 * 28, 3, 90.1, id="cervix-ebrt-plus-hdr-oar-90pct-ab3"),
    ],
)
def test_summed_eqd2_ebrt_plus_brachytherapy(brachy_total_gy: float, alpha_beta: float, expected_eqd2: float) -> None:
    """EBRT 25 × 1.8 Gy plus HDR 4 × 7 Gy: total EQD2 83.9 Gy at α/β 10 (point A); 90.1 Gy at α/β 3 with 90 %
    of the HDR dose to the organ at risk. SOURCE: https://pmc.ncbi.nlm.nih.gov/articles/PMC3489267/table/T1
    (published to 0.1 Gy, so ± 0.05)."""
    courses = [Course(Quantity(45, "Gy"), 25), Course(Quantity(brachy_total_gy, "Gy"), 4)]
    summed = sum_courses(courses, Quantity(alpha_beta, "Gy"))
    assert summed.total_eqd2.m_as("Gy") == pytest.approx(expected_eqd2, abs=0.05)
