"""Parsing of what people type, and the one-place creatinine conversion."""

from __future__ import annotations

import math

import pint
import pytest

from dosecalc.errors import InputError, UnitError
from dosecalc.units import (
    BODY_SURFACE_AREA,
    CREATININE,
    CREATININE_UMOL_PER_MG_DL,
    DOSE_BASIS,
    HEIGHT,
    RADIATION_DOSE,
    WEIGHT,
    Quantity,
    creatinine_in_mg_per_dl,
    magnitude_in,
    make_quantity,
    parse_number,
    parse_quantity,
    unit_text,
    ureg,
)

# The strings the foundation issue lists, each with the value it means in a reference unit.
ACCEPTED = [
    ("170 cm", HEIGHT, "cm", 170),
    ("1.7 m", HEIGHT, "cm", 170),
    ("65 kg", WEIGHT, "kg", 65),
    ("65000 g", WEIGHT, "kg", 65),
    ("80 µmol/L", CREATININE, "umol/L", 80),  # U+00B5 micro sign
    ("80 μmol/L", CREATININE, "umol/L", 80),  # U+03BC Greek mu
    ("80 umol/L", CREATININE, "umol/L", 80),
    ("0.9 mg/dL", CREATININE, "mg/dL", 0.9),
    ("1.8 m**2", BODY_SURFACE_AREA, "m**2", 1.8),
    ("1.8 m²", BODY_SURFACE_AREA, "m**2", 1.8),
    ("75 mg/m²", DOSE_BASIS, "mg/m**2", 75),
    ("75 mg/m**2", DOSE_BASIS, "mg/m**2", 75),
    ("75 mg/m2", DOSE_BASIS, "mg/m**2", 75),  # as orders and labels write it
    ("75 mg/m^2", DOSE_BASIS, "mg/m**2", 75),
    ("1.8 m2", BODY_SURFACE_AREA, "m**2", 1.8),
    ("3 mg/kg", DOSE_BASIS, "mg/kg", 3),
    ("200 mg", DOSE_BASIS, "mg", 200),
    ("50 Gy", RADIATION_DOSE, "Gy", 50),
    ("  170   cm  ", HEIGHT, "cm", 170),
    (".5 mg", DOSE_BASIS, "mg", 0.5),
]


@pytest.mark.parametrize(("text", "kind", "unit", "expected"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_strings(text: str, kind, unit: str, expected: float) -> None:
    quantity = parse_quantity(text, "field", kind)
    assert magnitude_in(quantity, ureg.parse_units(unit)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("", HEIGHT, "value.missing"),
        ("   ", HEIGHT, "value.missing"),
        ("abc", HEIGHT, "value.not_a_number"),
        ("cm 170", HEIGHT, "value.not_a_number"),
        ("NaN cm", HEIGHT, "value.not_finite"),
        ("inf kg", WEIGHT, "value.not_finite"),
        ("-inf kg", WEIGHT, "value.not_finite"),
        ("1e999 kg", WEIGHT, "value.not_finite"),
        ("170", HEIGHT, "unit.missing"),
        ("170 kg", HEIGHT, "unit.not_allowed"),
        ("170 zorks", HEIGHT, "unit.unknown"),
        ("170 mm", HEIGHT, "unit.not_allowed"),
        ("67 in", HEIGHT, "unit.imperial"),
        ("5 ft", HEIGHT, "unit.imperial"),
        ("150 lb", WEIGHT, "unit.imperial"),
        ("1,5 m", HEIGHT, "value.comma"),
        ("1,250 mg", DOSE_BASIS, "value.comma"),
        ("80 mmol/L", CREATININE, "unit.not_allowed"),
        ("80 mg/L", CREATININE, "unit.not_allowed"),
        ("75 mg/m", DOSE_BASIS, "unit.not_allowed"),
        ("75 mg/cm2", DOSE_BASIS, "unit.unknown"),  # only a bare "m2" is read as square metres
        ("75 mg/m23", DOSE_BASIS, "unit.unknown"),
        ("1 mg/kg/h", DOSE_BASIS, "unit.not_allowed"),
        ("5 %", DOSE_BASIS, "unit.not_allowed"),
    ],
)
def test_refused_strings_name_the_field(text: str, kind, code: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_quantity(text, "height-or-whatever", kind)
    assert caught.value.code == code
    assert caught.value.one_line().startswith("height-or-whatever: ")
    assert "expected" in caught.value.one_line()


def test_imperial_refusal_says_metric_only() -> None:
    with pytest.raises(UnitError, match="metric units only"):
        parse_quantity("150 lb", "weight", WEIGHT)


def test_imperial_allowed_only_by_site_setting() -> None:
    quantity = parse_quantity("150 lb", "weight", WEIGHT, allow_imperial=True)
    assert magnitude_in(quantity, ureg.kilogram) == pytest.approx(150 * 0.45359237)


@pytest.mark.parametrize("value", [True, False, None, [], {}, object()])
def test_non_text_non_quantity_values_are_refused(value: object) -> None:
    with pytest.raises(InputError):
        parse_quantity(value, "weight", WEIGHT)


def test_bare_number_has_no_unit() -> None:
    with pytest.raises(UnitError) as caught:
        parse_quantity(65, "weight", WEIGHT)
    assert caught.value.code == "unit.missing"


def test_quantities_are_checked_too() -> None:
    assert parse_quantity(Quantity(65, "kg"), "weight", WEIGHT).magnitude == 65
    with pytest.raises(UnitError):
        parse_quantity(Quantity(65, "lb"), "weight", WEIGHT)
    with pytest.raises(InputError, match="finite"):
        parse_quantity(Quantity(math.nan, "kg"), "weight", WEIGHT)


@pytest.mark.parametrize(("value", "expected"), [("5", 5.0), (" 2.5 ", 2.5), (7, 7.0), (0.25, 0.25), ("1e1", 10.0)])
def test_parse_number_accepts(value: object, expected: float) -> None:
    assert parse_number(value, "auc", "a number") == expected


@pytest.mark.parametrize("value", ["", " ", "five", "5 mg", "nan", "Infinity", "1,5", True, None, math.inf, [5]])
def test_parse_number_refuses(value: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_number(value, "auc", "a number")
    assert caught.value.field == "auc"


def test_creatinine_factor_is_88_4() -> None:
    # clinical-reference §2: 1 mg/dL = 88.4 µmol/L (droracle, proreckoner).
    assert CREATININE_UMOL_PER_MG_DL == 88.4
    assert creatinine_in_mg_per_dl(Quantity(88.4, "umol/L")) == pytest.approx(1.0)
    assert creatinine_in_mg_per_dl(Quantity(1.4, "mg/dL")) == pytest.approx(1.4)
    assert creatinine_in_mg_per_dl(Quantity(0.1238, "mmol/L")) == pytest.approx(1.4, abs=1e-3)
    assert creatinine_in_mg_per_dl(Quantity(14, "mg/L")) == pytest.approx(1.4)


def test_magnitude_in_refuses_a_dimension_mismatch() -> None:
    with pytest.raises(pint.DimensionalityError):
        magnitude_in(Quantity(1, "kg"), ureg.meter)
    # Cached factors give the same answer twice.
    assert magnitude_in(Quantity(2, "m"), ureg.centimeter) == magnitude_in(Quantity(2, "m"), ureg.centimeter) == 200


@pytest.mark.parametrize(
    "unit", ["mg", "mg/m**2", "mL/min", "mg/dL", "µmol/L", "m**2", "Gy", "kg", "mg*min/mL", "mL/min/std_bsa"]
)
def test_unit_text_round_trips_through_pint(unit: str) -> None:
    parsed = ureg.parse_units(unit)
    assert ureg.parse_units(unit_text(parsed)) == parsed
    assert unit_text(unit) == unit_text(parsed)


def test_unit_text_writes_litre_as_capital_l() -> None:
    assert unit_text("milliliter / minute") == "mL/min"
    assert unit_text("milligram / deciliter") == "mg/dL"


@pytest.mark.parametrize(
    "unit_name",
    [
        "CENTIMETRE",
        "METRE",
        "KILOGRAM",
        "GRAM",
        "MILLIGRAM",
        "SQUARE_METRE",
        "MG_PER_DL",
        "UMOL_PER_L",
        "ML_PER_MIN",
        "ML_PER_MIN_PER_STD_BSA",
        "MG_PER_M2",
        "MG_PER_KG",
        "AUC_UNIT",
        "GRAY",
    ],
)
def test_make_quantity_is_the_constructor(unit_name: str) -> None:
    # make_quantity bypasses pint's constructor; this fails loudly if a pint release changes its internals.
    import dosecalc.units as units

    unit = getattr(units, unit_name)
    fast = make_quantity(12.5, unit)
    slow = Quantity(12.5, unit)
    assert type(fast) is type(slow)
    assert fast == slow
    assert fast.units == slow.units
    assert fast.dimensionality == slow.dimensionality
    assert repr(fast) == repr(slow)
    assert (fast * 2).to(slow.units).magnitude == 25.0
    assert isinstance(make_quantity(3, unit).magnitude, float)
