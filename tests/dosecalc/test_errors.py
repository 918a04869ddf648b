"""Errors name their field, say what is expected, and carry a stable code for translation."""

from __future__ import annotations

import json

from dosecalc.errors import DoseCalcError, ImplausibleValueError, InputError, PolicyError, UnitError


def test_one_line_and_json() -> None:
    error = ImplausibleValueError(
        "creatinine", "80 mg/dL", "is implausible", expected="0.2–20 mg/dL", params={"low": 0.2}
    )
    assert error.one_line() == "creatinine: 80 mg/dL is implausible; expected 0.2–20 mg/dL"
    data = error.to_json()
    assert data["field"] == "creatinine"
    assert data["code"] == "value.implausible"
    assert data["params"] == {"field": "creatinine", "value": "80 mg/dL", "low": 0.2}
    json.dumps(data)
    assert str(error) == error.one_line()


def test_codes_by_class_and_override() -> None:
    assert InputError("f", 1, "bad").code == "input.invalid"
    assert UnitError("f", 1, "bad").code == "unit.invalid"
    assert PolicyError("f", 1, "bad").code == "policy.invalid"
    assert InputError("f", 1, "bad", code="x.y").code == "x.y"
    assert issubclass(ImplausibleValueError, DoseCalcError)


def test_values_are_shown_unambiguously() -> None:
    assert InputError("weight", "", "is empty").one_line() == "weight: '' is empty"
    assert InputError("weight", " 65 kg", "is odd").one_line() == "weight: ' 65 kg' is odd"
    assert InputError("weight", None, "is required").one_line() == "weight: is required"
    assert InputError("weight", 65, "has no unit").one_line() == "weight: 65 has no unit"


def test_message_is_one_line_even_with_newlines() -> None:
    error = InputError("field", "a\nb", "is bad\nreally")
    assert "\n" not in error.one_line()


def test_unserialisable_params_are_dropped_from_json() -> None:
    error = InputError("f", 1, "bad", params={"obj": object(), "ok": 2})
    assert error.to_json()["params"] == {"field": "f", "value": "1", "ok": 2}
