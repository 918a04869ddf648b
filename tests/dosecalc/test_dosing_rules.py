"""Dose bases, modification, BSA cap and rounding rules (medication-safety D2, D5, E1–E3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dosecalc.bsa import parse_bsa
from dosecalc.dosing import (
    BasisKind,
    DoseModification,
    calculate_dose,
    parse_bsa_cap,
    parse_days,
    parse_dose_basis,
)
from dosecalc.errors import ImplausibleValueError, InputError, PolicyError
from dosecalc.patient import MeasurementSource, Weight
from dosecalc.rounding import RoundingRule, parse_max_deviation, parse_round_step, round_dose


def test_modification_shows_reference_percentage_and_reason() -> None:
    # medication-safety D5 test: 75 % of 100 mg/m² prints "75 % of 100 mg/m² = 75 mg/m²".
    modification = DoseModification.parse("75%", "grade 3 neutropenia", by="Dr Li")
    result = calculate_dose(parse_dose_basis("100 mg/m**2"), bsa=parse_bsa("2 m**2"), modification=modification)
    assert result.calculated.magnitude == pytest.approx(150)
    text = "\n".join(result.derivation.lines())
    assert "Modified dose basis = 75 % of reference dose = 75 % × 100 mg/m² = 75 mg/m²" in text
    assert "Dose modification: 75 % — grade 3 neutropenia (Dr Li)" in text
    assert not result.derivation.flags


def test_increase_above_protocol_is_flagged() -> None:
    modification = DoseModification.parse("110%", "prescriber: under-dosed last cycle")
    result = calculate_dose(parse_dose_basis("200 mg"), modification=modification)
    assert result.final.magnitude == pytest.approx(220)
    assert [f.code for f in result.derivation.flags] == ["dose.above_protocol"]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_modification_needs_a_reason(reason: object) -> None:
    with pytest.raises(InputError) as caught:
        DoseModification.parse("80%", reason)
    assert caught.value.field == "reason"


@pytest.mark.parametrize("percent", ["80", "0%", "0.5%", "250%", "abc%", "%"])
def test_modification_percent_is_checked(percent: str) -> None:
    with pytest.raises(InputError) as caught:
        DoseModification.parse(percent, "reason")
    assert caught.value.field == "modify"


@pytest.mark.parametrize(
    ("text", "kind", "magnitude"),
    [
        ("75 mg/m**2", BasisKind.PER_M2, 75),
        ("1 g/m**2", BasisKind.PER_M2, 1000),
        ("3 mg/kg", BasisKind.PER_KG, 3),
        ("200 mg", BasisKind.FLAT, 200),
        ("0.2 g", BasisKind.FLAT, 200),
    ],
)
def test_dose_basis_kinds(text: str, kind: BasisKind, magnitude: float) -> None:
    basis = parse_dose_basis(text)
    assert basis.kind is kind
    assert basis.magnitude == pytest.approx(magnitude)


@pytest.mark.parametrize("text", ["0 mg/m**2", "-75 mg/m**2", "50000 mg/m**2", "2000 mg/kg", "1000000 mg"])
def test_dose_basis_out_of_range(text: str) -> None:
    with pytest.raises(InputError):
        parse_dose_basis(text)


def test_mg_per_kg_uses_actual_weight_and_flags_a_stated_weight() -> None:
    # Sintilimab 3 mg/kg under 60 kg (ORIENT-15, BMJ 2022;377:e068714): 55 kg → 165 mg.
    weight = Weight.parse("55 kg", source=MeasurementSource.STATED)
    result = calculate_dose(parse_dose_basis("3 mg/kg"), weight=weight)
    assert result.final.magnitude == pytest.approx(165)
    assert "weight.not_measured" in [f.code for f in result.derivation.flags]


def test_missing_bsa_or_weight_names_the_field() -> None:
    with pytest.raises(InputError) as caught:
        calculate_dose(parse_dose_basis("75 mg/m**2"))
    assert caught.value.field == "bsa"
    with pytest.raises(InputError) as caught:
        calculate_dose(parse_dose_basis("3 mg/kg"))
    assert caught.value.field == "weight"
    with pytest.raises(InputError):
        calculate_dose(parse_dose_basis("200 mg"), days=0)


def test_bsa_cap_applies_only_above_the_cap() -> None:
    # known-answers dose-bsa-capped-04: 75 mg/m² at BSA 2.3 with an opt-in 2.0 m² cap → 150 mg (uncapped 172.5).
    cap = parse_bsa_cap("2 m**2")
    capped = calculate_dose(parse_dose_basis("75 mg/m**2"), bsa=parse_bsa("2.3 m**2"), bsa_cap=cap)
    assert capped.calculated.magnitude == pytest.approx(150.0)
    assert "bsa.capped" in [f.code for f in capped.derivation.flags]
    under = calculate_dose(parse_dose_basis("75 mg/m**2"), bsa=parse_bsa("1.8 m**2"), bsa_cap=cap)
    assert under.calculated.magnitude == pytest.approx(135.0)
    assert parse_bsa_cap(None) is None
    assert parse_bsa_cap("none") is None
    with pytest.raises(PolicyError):
        parse_bsa_cap("1 m**2")


def test_per_cycle_is_final_times_days() -> None:
    # medication-safety C5: per-day and per-cycle both shown (5-FU 1,000 mg/m²/day × 4 days).
    result = calculate_dose(parse_dose_basis("1000 mg/m**2"), bsa=parse_bsa("1.75 m**2"), days=4)
    assert result.final.magnitude == pytest.approx(1750)
    assert result.per_cycle.magnitude == pytest.approx(7000)
    lines = result.derivation.lines()
    assert "  Days at this dose: per day, on 4 days of the cycle" in lines
    assert "  Dose per cycle = final dose × 4 days = 1,750 mg × 4 = 7,000 mg" in lines


@pytest.mark.parametrize("value", ["0", "32", "1.5", "abc", "", "-1"])
def test_days_refused(value: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_days(value)
    assert caught.value.field == "days"


# --- rounding -----------------------------------------------------------------------------------------


def test_tie_rounds_up() -> None:
    # Exactly half-way between 320 and 330 → 330 (the "round-up (A)" convention, medication-safety §3 #21).
    outcome = round_dose(Decimal("325"), RoundingRule(Decimal(10), Decimal("0.05")))
    assert outcome.final_mg == Decimal(330)


def test_no_float_drift_at_a_band_edge() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in binary floats; in Decimal the step edge is exact.
    outcome = round_dose(0.1 + 0.2, RoundingRule(Decimal("0.2"), Decimal("0.10")))
    assert outcome.calculated_mg == Decimal("0.30000000000000004")
    assert outcome.rounded is False  # the half-up candidate 0.4 mg is 33 % away: refused
    exact = round_dose(Decimal("0.25"), RoundingRule(Decimal("0.5"), Decimal("0.10")))
    assert exact.final_mg == Decimal("0.25")


def test_seven_percent_is_refused_and_exact_dose_kept() -> None:
    # medication-safety §3 #20: rounding 7 % away is refused; the exact dose and its reason are kept.
    outcome = round_dose(Decimal("93.5"), RoundingRule(Decimal(100), Decimal("0.05")))
    assert outcome.final_mg == Decimal("93.5")
    assert outcome.rounded is False
    assert "exact dose kept" in outcome.reason
    assert "6.95 %" in outcome.reason


def test_boundary_of_max_deviation_is_inclusive() -> None:
    # 95.238… → 100 is +5.000… %; exactly 5 % (95.2380952…) is allowed, just beyond is not.
    assert round_dose(Decimal(100) / Decimal("1.05"), RoundingRule(Decimal(100), Decimal("0.05"))).rounded
    assert round_dose(Decimal("95.2"), RoundingRule(Decimal(100), Decimal("0.05"))).rounded is False


def test_step_larger_than_twice_the_dose_keeps_exact() -> None:
    outcome = round_dose(Decimal(2), RoundingRule(Decimal(10), Decimal("0.10")))
    assert outcome.final_mg == Decimal(2)
    assert "smaller than half" in outcome.reason


def test_rounding_not_applied_is_shown_as_a_note() -> None:
    result = calculate_dose(
        parse_dose_basis("93.5 mg"), rounding=RoundingRule(parse_round_step("100 mg"), Decimal("0.05"))
    )
    assert result.final.magnitude == pytest.approx(93.5)
    assert [f.code for f in result.derivation.flags] == ["rounding.not_applied"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5%", Decimal("0.05")), ("10%", Decimal("0.1")), ("0%", Decimal(0)), (None, Decimal("0.05"))],
)
def test_max_deviation_parsing(text: str | None, expected: Decimal) -> None:
    assert parse_max_deviation(text) == expected


@pytest.mark.parametrize("text", ["5", "0.05", "11%", "-1%", "abc%", "%"])
def test_max_deviation_refused(text: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_max_deviation(text)
    assert caught.value.field == "max-deviation"


def test_rule_validation() -> None:
    with pytest.raises(PolicyError):
        RoundingRule(Decimal(0))
    with pytest.raises(PolicyError):
        RoundingRule(Decimal(10), Decimal("0.2"))
    with pytest.raises(InputError):
        round_dose(0, RoundingRule(Decimal(10)))
    assert RoundingRule(None).describe() == "none (exact dose)"


@pytest.mark.parametrize(
    ("text", "expected"), [("10 mg", Decimal(10)), ("0.5 g", Decimal(500)), ("2.5 mg", Decimal("2.5"))]
)
def test_round_step_parsing(text: str, expected: Decimal) -> None:
    assert parse_round_step(text) == expected
    assert parse_round_step(None) is None
    assert parse_round_step("none") is None


@pytest.mark.parametrize("text", ["0 mg", "-10 mg", "10", "10 mg/m**2"])
def test_round_step_refused(text: str) -> None:
    with pytest.raises((InputError, PolicyError)) as caught:
        parse_round_step(text)
    assert caught.value.field == "round-step"


def test_implausible_basis_message_names_range() -> None:
    with pytest.raises(ImplausibleValueError, match=r"expected 0\.001–20,000 mg/m²"):
        parse_dose_basis("30000 mg/m**2")
