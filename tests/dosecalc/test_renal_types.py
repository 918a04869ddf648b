"""An indexed eGFR can never reach Calvert; renal policies are visible."""

from __future__ import annotations

import pytest

from dosecalc.carboplatin import carboplatin_dose, parse_auc, parse_gfr_cap
from dosecalc.derivation import Derivation
from dosecalc.errors import ImplausibleValueError, InputError, PolicyError
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.renal import (
    AbsoluteGFR,
    IndexedEGFR,
    RenalMethod,
    WeightBasis,
    estimate_renal_function,
    measured_gfr,
    parse_creatinine_floor,
)
from dosecalc.units import Quantity


def _patient(**changes: object) -> Patient:
    values: dict[str, object] = {
        "age_years": 50,
        "sex": Sex.MALE,
        "height": Height.parse("180 cm"),
        "weight": Weight.parse("85 kg"),
        "creatinine": SerumCreatinine.parse("1.0 mg/dL"),
    }
    values.update(changes)
    return Patient(**values)  # type: ignore[arg-type]


def test_indexed_egfr_is_refused_by_type() -> None:
    result = estimate_renal_function(_patient(), RenalMethod.CKD_EPI_2021)
    assert result.egfr_indexed is not None
    with pytest.raises(InputError) as caught:
        carboplatin_dose(5, result.egfr_indexed)  # type: ignore[arg-type]
    assert caught.value.field == "gfr"


def test_indexed_egfr_is_refused_by_dimension() -> None:
    # Even wrapped as an "absolute" GFR, a value per 1.73 m² has the wrong dimension.
    with pytest.raises(InputError, match="not an absolute GFR"):
        AbsoluteGFR(Quantity(91.7, "mL/min/std_bsa"), RenalMethod.CKD_EPI_2021, True, Derivation("x"))
    with pytest.raises(InputError):
        AbsoluteGFR(91.7, RenalMethod.MEASURED, False, Derivation("x"))


def test_ckd_epi_without_height_and_weight_is_indexed_only_with_a_warning() -> None:
    result = estimate_renal_function(_patient(height=None, weight=None), RenalMethod.CKD_EPI_2021)
    assert result.clearance is None
    assert result.egfr_indexed is not None
    assert "egfr.indexed_only" in [f.code for f in result.derivation.flags]


def test_ckd_epi_deindexed_with_bsa_and_shows_it() -> None:
    result = estimate_renal_function(_patient(), RenalMethod.CKD_EPI_2021)
    assert result.clearance is not None
    text = "\n".join(result.derivation.lines())
    assert "BSA formula (de-indexing): Mosteller 1987" in text
    assert "eGFR de-indexed = eGFR × BSA (Mosteller 1987) / 1.73 m²" in text


def test_measured_method_is_not_an_estimate() -> None:
    with pytest.raises(PolicyError):
        estimate_renal_function(_patient(), RenalMethod.MEASURED)


@pytest.mark.parametrize("missing", ["age_years", "sex", "creatinine", "weight"])
def test_cockcroft_gault_names_the_missing_input(missing: str) -> None:
    field = {"age_years": "age"}.get(missing, missing)
    with pytest.raises(InputError) as caught:
        estimate_renal_function(_patient(**{missing: None}), RenalMethod.COCKCROFT_GAULT)
    assert caught.value.field == field


@pytest.mark.parametrize("basis", [WeightBasis.IDEAL, WeightBasis.ADJUSTED, WeightBasis.LOWER])
def test_weight_bases_other_than_actual_need_height(basis: WeightBasis) -> None:
    with pytest.raises(InputError) as caught:
        estimate_renal_function(_patient(height=None), RenalMethod.COCKCROFT_GAULT, basis)
    assert caught.value.field == "height"


def test_short_stature_and_below_ideal_are_flagged() -> None:
    patient = _patient(sex=Sex.FEMALE, height=Height.parse("150 cm"), weight=Weight.parse("40 kg"))
    result = estimate_renal_function(patient, RenalMethod.COCKCROFT_GAULT, WeightBasis.ADJUSTED)
    codes = [f.code for f in result.derivation.flags]
    assert "ibw.short_stature" in codes
    assert "adjusted_weight.below_ideal" in codes


def test_devine_undefined_for_very_short_patients_is_refused() -> None:
    # Devine for a 100 cm woman: 45.5 + 2.3 × (39.37 − 60) < 0 kg.
    patient = _patient(sex=Sex.FEMALE, height=Height.parse("100 cm"), weight=Weight.parse("25 kg"))
    with pytest.raises(ImplausibleValueError) as caught:
        estimate_renal_function(patient, RenalMethod.COCKCROFT_GAULT, WeightBasis.IDEAL)
    assert caught.value.field == "height"


def test_floor_not_applied_when_creatinine_is_above_it() -> None:
    result = estimate_renal_function(
        _patient(creatinine=SerumCreatinine.parse("1.2 mg/dL")),
        creatinine_floor=parse_creatinine_floor("0.8 mg/dL"),
    )
    assert result.creatinine_used.magnitude == pytest.approx(1.2)
    assert ("Creatinine floor", "0.8 mg/dL") in result.derivation.policies
    assert "creatinine.floor_applied" not in [f.code for f in result.derivation.flags]


def test_floor_in_micromoles_and_policy_limits() -> None:
    floor = parse_creatinine_floor("61.88 umol/L")
    result = estimate_renal_function(_patient(creatinine=SerumCreatinine.parse("30 umol/L")), creatinine_floor=floor)
    assert result.creatinine_used.magnitude == pytest.approx(0.7)
    assert "Creatinine in mg/dL" in "\n".join(result.derivation.lines())
    assert parse_creatinine_floor(None) is None
    assert parse_creatinine_floor("none") is None
    with pytest.raises(PolicyError):
        parse_creatinine_floor("3 mg/dL")


@pytest.mark.parametrize("text", ["0 mL/min", "-5 mL/min", "400 mL/min", "90", "90 mL/min/m**2", "90 L/h"])
def test_measured_gfr_refusals(text: str) -> None:
    with pytest.raises(InputError) as caught:
        measured_gfr(text)
    assert caught.value.field == "gfr"


def test_gfr_cap_parsing() -> None:
    assert parse_gfr_cap(None).magnitude == 125
    assert parse_gfr_cap("none") is None
    assert parse_gfr_cap("100 mL/min").magnitude == 100
    with pytest.raises(PolicyError):
        parse_gfr_cap("30 mL/min")


def test_uncapped_measured_gfr_is_an_info_and_high_auc_warns() -> None:
    result = carboplatin_dose(8, measured_gfr("150 mL/min"), gfr_cap=None)
    assert result.dose.magnitude == pytest.approx(8 * 175)
    severities = {f.code: f.severity.value for f in result.derivation.flags}
    assert severities == {"carboplatin.no_gfr_cap": "info", "carboplatin.auc_high": "warning"}


def test_uncapped_estimated_gfr_is_a_warning() -> None:
    renal = estimate_renal_function(_patient(creatinine=SerumCreatinine.parse("0.5 mg/dL")))
    assert renal.clearance is not None
    result = carboplatin_dose(5, renal.clearance, gfr_cap=None)
    assert not result.gfr_capped
    assert {f.code: f.severity.value for f in result.derivation.flags}["carboplatin.no_gfr_cap"] == "warning"


@pytest.mark.parametrize("auc", [0, -1, 0.99, 10.01, 60, "abc", "", None, True, float("nan")])
def test_auc_refused(auc: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_auc(auc)
    assert caught.value.field == "auc"


def test_indexed_value_accessor() -> None:
    indexed = IndexedEGFR(Quantity(91.69, "mL/min/std_bsa"), Derivation("x"))
    assert indexed.per_standard_surface == pytest.approx(91.69)
