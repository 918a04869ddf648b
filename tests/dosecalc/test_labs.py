"""Day-1 laboratory values: units, conversions, refusals (medication-safety C3 for U/IU)."""

from __future__ import annotations

import pytest

from dosecalc.errors import ImplausibleValueError, InputError, UnitError
from dosecalc.labs import BILIRUBIN_UMOL_PER_MG_DL, parse_lab


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("anc", "1.5 x10^9/L", 1.5),
        ("anc", "1.5 ×10⁹/L", 1.5),
        ("anc", "1500 /µL", 1.5),  # 1,500/µL = 1.5 × 10⁹/L
        ("anc", "1500/mm3", 1.5),
        ("platelets", "150 10^9/L", 150),
        ("platelets", "150 G/L", 150),
        ("hemoglobin", "12 g/dL", 12),
        ("hemoglobin", "120 g/L", 12),
        ("bilirubin", "20 µmol/L", 20),
        ("bilirubin", "1 mg/dL", BILIRUBIN_UMOL_PER_MG_DL),
        ("ast", "35 units/L", 35),
        ("alt", "0 units/L", 0),
        ("anc", "0 x10^9/L", 0),  # agranulocytosis is a real value, not an error
    ],
)
def test_accepted(kind: str, text: str, value: float) -> None:
    assert parse_lab(kind, text).value == pytest.approx(value)


@pytest.mark.parametrize(
    ("kind", "text", "error", "code"),
    [
        ("ast", "35 U/L", UnitError, "unit.banned"),
        ("alt", "35 IU/L", UnitError, "unit.banned"),
        ("anc", "1.5", UnitError, "unit.missing"),
        ("anc", "1.5 g/dL", UnitError, "unit.not_allowed"),
        ("anc", "", InputError, "value.missing"),
        ("anc", "abc", InputError, "value.not_a_number"),
        ("anc", "nan x10^9/L", InputError, "value.not_a_number"),
        ("anc", "1,5 x10^9/L", InputError, "value.comma"),
        ("anc", "-1 x10^9/L", InputError, "value.negative"),
        ("hemoglobin", "120 g/dL", ImplausibleValueError, "value.implausible"),  # g/L typed as g/dL
        ("platelets", "150000 x10^9/L", ImplausibleValueError, "value.implausible"),
    ],
)
def test_refused_with_the_field_named(kind: str, text: str, error: type[InputError], code: str) -> None:
    with pytest.raises(error) as caught:
        parse_lab(kind, text)
    assert caught.value.field == kind
    assert caught.value.code == code


def test_unknown_kind() -> None:
    with pytest.raises(InputError) as caught:
        parse_lab("glucose", "5 mmol/L")
    assert caught.value.field == "kind"


def test_display_uses_the_reference_unit() -> None:
    assert parse_lab("hemoglobin", "95 g/L").display() == "9.5 g/dL"
