"""Patient measurements: refuse tier in the models, warn tier on the derivation."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.patient import (
    Height,
    MeasurementSource,
    Patient,
    SerumCreatinine,
    Sex,
    Weight,
    parse_age,
    parse_sex,
    patient_flags,
)
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits, Range


def test_models_are_frozen() -> None:
    height = Height.parse("170 cm")
    with pytest.raises(ValidationError):
        height.value = "180 cm"  # type: ignore[misc]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        Height.model_validate({"value": "170 cm", "colour": "blue"})


def test_site_limits_travel_in_the_validation_context() -> None:
    strict = DEFAULT_LIMITS.model_copy(update={"height_cm_refuse": Range(low=140, high=210)})
    with pytest.raises(ImplausibleValueError, match="140–210 cm"):
        Height.parse("135 cm", limits=strict)
    assert Height.parse("135 cm").centimetres == 135
    with pytest.raises(TypeError):
        Height.model_validate({"value": "170 cm"}, context={"limits": "not limits"})


def test_imperial_allowed_by_site_setting_converts() -> None:
    limits = PlausibilityLimits(allow_imperial_units=True)
    assert Weight.parse("143.3 lb", limits=limits).kilograms == pytest.approx(65, abs=0.01)
    assert Height.parse("67 inch", limits=limits).centimetres == pytest.approx(170.18)


@pytest.mark.parametrize(
    ("model", "text", "hint"),
    [
        (Height, "1.7 cm", "did you mean 1.7 m?"),
        (Height, "1700 cm", "did you mean 1,700 mm (170 cm)?"),
        (Weight, "700 kg", "misplaced decimal point"),
        (Weight, "7.2 kg", "misplaced decimal point"),
        (Weight, "65 g", "did you mean 65 kg?"),
        (SerumCreatinine, "80 mg/dL", "did you mean 80 µmol/L?"),
        (SerumCreatinine, "0.9 µmol/L", "did you mean 0.9 mg/dL?"),
    ],
)
def test_unit_slips_are_refused_with_a_hint(model, text: str, hint: str) -> None:
    with pytest.raises(ImplausibleValueError) as caught:
        model.parse(text)
    assert hint in caught.value.one_line()


@pytest.mark.parametrize(
    ("model", "text"),
    [(Height, "0 cm"), (Height, "-170 cm"), (Weight, "0 kg"), (Weight, "-70 kg"), (SerumCreatinine, "0 mg/dL")],
)
def test_zero_and_negative_are_refused(model, text: str) -> None:
    with pytest.raises(InputError, match="greater than zero"):
        model.parse(text)


def test_creatinine_far_out_of_range_has_no_misleading_hint() -> None:
    with pytest.raises(ImplausibleValueError) as caught:
        SerumCreatinine.parse("2000 umol/L")
    assert "did you mean" not in caught.value.one_line()
    assert caught.value.code == "value.implausible"


@pytest.mark.parametrize(
    ("text", "expected"), [("female", Sex.FEMALE), ("F", Sex.FEMALE), (" Male ", Sex.MALE), ("女", Sex.FEMALE)]
)
def test_sex_aliases(text: str, expected: Sex) -> None:
    assert parse_sex(text) is expected
    assert parse_sex(expected) is expected


@pytest.mark.parametrize("value", [None, "", "x", "unknown", 1])
def test_sex_refused(value: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_sex(value)
    assert caught.value.field == "sex"


@pytest.mark.parametrize("value", ["17.9", "121", "0", "-5", "abc", "", "nan", None, True])
def test_age_refused(value: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_age(value)
    assert caught.value.field == "age"


def test_age_edges() -> None:
    assert parse_age("18") == 18
    assert parse_age("120") == 120


def test_warn_tier_flags() -> None:
    patient = Patient(
        age_years=95,
        height=Height.parse("135 cm"),
        weight=Weight.parse("28 kg", source=MeasurementSource.ESTIMATED, measured_on=dt.date(2026, 11, 20)),
        creatinine=SerumCreatinine.parse("16 mg/dL"),
    )
    codes = {f.code for f in patient_flags(patient)}
    assert codes == {
        "age.above_warn",
        "height.unusual",
        "weight.unusual",
        "weight.not_measured",
        "creatinine.unusual",
        "bmi.unusual",  # 28 kg / 1.35² = 15.4
    }


@pytest.mark.parametrize(
    ("height", "weight", "flagged"),
    [("170 cm", "46 kg", True), ("170 cm", "47 kg", False), ("170 cm", "115 kg", False), ("170 cm", "116 kg", True)],
)
def test_bmi_warn_edges(height: str, weight: str, flagged: bool) -> None:
    # BMI 46/1.7² = 15.9 (< 16 warns); 47 → 16.3; 115 → 39.8; 116 → 40.1 (> 40 warns).
    patient = Patient(height=Height.parse(height), weight=Weight.parse(weight))
    assert ("bmi.unusual" in {f.code for f in patient_flags(patient)}) is flagged


def test_swapped_height_and_weight_are_refused_by_bmi() -> None:
    # medication-safety §3 #4: height and weight swapped → hard stop on BMI.
    patient = Patient(height=Height.parse("100 cm"), weight=Weight.parse("150 kg"))
    with pytest.raises(ImplausibleValueError, match="swapped"):
        patient_flags(patient)


def test_require_helpers_name_the_field() -> None:
    empty = Patient()
    for method, field in [
        (empty.require_height, "height"),
        (empty.require_weight, "weight"),
        (empty.require_creatinine, "creatinine"),
        (empty.require_sex, "sex"),
        (empty.require_age, "age"),
    ]:
        with pytest.raises(InputError) as caught:
            method("a test")
        assert caught.value.field == field
        assert "a test" in caught.value.one_line()


def test_range_must_be_ordered() -> None:
    with pytest.raises(ValidationError):
        Range(low=10, high=5)
    assert Range(low=1, high=2).text("mg") == "1–2 mg"
