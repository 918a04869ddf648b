"""A whole order and the radiotherapy course checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dosecalc.dosing import parse_dose_basis
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy, OrderLine, compute_order, demo_order
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.radiotherapy import parse_alpha_beta, parse_course, sum_courses
from dosecalc.renal import RenalMethod
from dosecalc.units import Quantity


def _patient() -> Patient:
    return Patient(
        age_years=64,
        sex=Sex.MALE,
        height=Height.parse("168 cm"),
        weight=Weight.parse("61 kg"),
        creatinine=SerumCreatinine.parse("78 µmol/L"),
    )


def test_order_by_hand() -> None:
    # Independent hand computation of the same order:
    # BSA √(168 × 61 / 3600) = 1.68718 m²; SCr 78 / 88.4 = 0.882353 mg/dL;
    # CG (140 − 64) × 61 / (72 × 0.882353) = 72.975 mL/min; Calvert 5 × (72.975 + 25) = 489.9 mg;
    # paclitaxel 175 × 1.68718 = 295.26 → 300 mg (+1.6 %, 10 mg step); irinotecan 270 × 1.68718 = 455.54 → 460 mg.
    lines = [
        OrderLine("PACLitaxel", parse_dose_basis("175 mg/m**2"), round_step_mg=Decimal(10)),
        OrderLine("irinotecan", parse_dose_basis("270 mg/m**2"), round_step_mg=Decimal(10)),
    ]
    order = compute_order(_patient(), lines, DEFAULT_POLICY, carboplatin_auc=5)
    assert order.bsa.bsa.magnitude == pytest.approx(1.68718, abs=1e-4)
    assert order.renal is not None
    assert order.renal.clearance is not None
    assert order.renal.clearance.ml_per_min == pytest.approx(72.975, abs=0.01)
    assert order.carboplatin is not None
    assert order.carboplatin.dose.magnitude == pytest.approx(489.9, abs=0.1)
    assert [line.result.final.magnitude for line in order.lines] == [300, 460]
    assert order.derivation.policies == (("BSA formula", "Mosteller 1987"),)


def test_order_without_carboplatin_and_with_a_policy() -> None:
    policy = DosingPolicy(bsa_cap=Quantity(1.6, "m**2"), max_deviation=Decimal("0.10"))
    order = compute_order(_patient(), [OrderLine("DOCEtaxel", parse_dose_basis("75 mg/m**2"))], policy)
    assert order.renal is None
    assert order.carboplatin is None
    assert order.lines[0].result.calculated.magnitude == pytest.approx(120)


def test_order_needs_height_and_weight() -> None:
    with pytest.raises(InputError) as caught:
        compute_order(Patient(), [])
    assert caught.value.field == "height"


def test_demo_order_is_the_salvage_week() -> None:
    order = demo_order()
    assert order.carboplatin is not None
    assert order.carboplatin.auc == 2
    assert order.lines[0].drug == "PACLitaxel"


def test_course_validation() -> None:
    assert parse_course("50 Gy", "25").fractions == 25
    assert parse_course("5000 cGy", 25).total_gy == pytest.approx(50)
    for total, fractions, field in [
        ("0 Gy", 25, "course dose"),
        ("250 Gy", 25, "course dose"),
        ("50 Gy", 0, "course fractions"),
        ("50 Gy", 2.5, "course fractions"),
        ("50 Gy", 101, "course fractions"),
        ("90 Gy", 2, "course fractions"),  # 45 Gy per fraction
        ("50 mg", 25, "course dose"),
    ]:
        with pytest.raises(InputError) as caught:
            parse_course(total, fractions)
        assert caught.value.field == field, (total, fractions)


def test_alpha_beta_validation() -> None:
    assert parse_alpha_beta("10 Gy").magnitude == 10
    for text in ["0 Gy", "-3 Gy", "50 Gy", "3", "3 mg"]:
        with pytest.raises(InputError) as caught:
            parse_alpha_beta(text)
        assert caught.value.field == "alpha-beta"


def test_large_fractions_are_flagged_not_refused() -> None:
    result = sum_courses([parse_course("24 Gy", 1)], parse_alpha_beta("10 Gy"))
    assert result.total_bed.magnitude == pytest.approx(24 * (1 + 24 / 10))
    assert [f.code for f in result.derivation.flags] == ["radiotherapy.large_fraction"]


def test_no_course_is_an_error() -> None:
    with pytest.raises(InputError):
        sum_courses([], Quantity(10, "Gy"))


def test_implausible_alpha_beta_message() -> None:
    with pytest.raises(ImplausibleValueError, match=r"0\.5–30 Gy"):
        parse_alpha_beta("31 Gy")


def test_flags_raised_by_several_steps_appear_once() -> None:
    # BSA 2.6 m² warns in the BSA step; the CKD-EPI de-indexing computes the same BSA again.
    patient = Patient(
        age_years=50,
        sex=Sex.MALE,
        height=Height.parse("190 cm"),
        weight=Weight.parse("130 kg"),
        creatinine=SerumCreatinine.parse("1 mg/dL"),
    )
    policy = DosingPolicy(renal_method=RenalMethod.CKD_EPI_2021)
    order = compute_order(patient, [OrderLine("PACLitaxel", parse_dose_basis("175 mg/m**2"))], policy, 5)
    assert order.carboplatin is not None
    codes = [flag.code for flag in order.carboplatin.derivation.flags]
    assert codes.count("bsa.above_warn") == 1
    assert [flag.code for flag in order.derivation.flags].count("bsa.above_warn") == 1
