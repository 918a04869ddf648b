"""Day-1 laboratory values with their units: ANC, platelets, haemoglobin, bilirubin, AST, ALT.

Each kind has a reference unit and the other units wards write; values are refused when empty, not
finite, negative, unitless, in a unit of the wrong kind, or outside a range no living patient has.
"U/L" and "IU/L" are refused with a pointer to "units/L": U and IU are on the Joint Commission's
"Do Not Use" list (medication-safety C3).

>>> parse_lab("anc", "1.5 x10^9/L").value
1.5
>>> parse_lab("bilirubin", "1.2 mg/dL").value  # 17.1 µmol/L per mg/dL
20.52
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError, UnitError

__all__ = ["BILIRUBIN_UMOL_PER_MG_DL", "LAB_KINDS", "LabValue", "parse_lab"]

#: µmol/L of bilirubin per mg/dL (molar mass 584.7 g/mol).
BILIRUBIN_UMOL_PER_MG_DL = 17.1

_COUNT = {"10^9/l": 1.0, "x10^9/l": 1.0, "×10^9/l": 1.0, "×10⁹/l": 1.0, "10⁹/l": 1.0, "g/l": 1.0,
          "/µl": 1e-3, "/ul": 1e-3, "/mm3": 1e-3, "/mm³": 1e-3}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    unit: str  # the reference unit, as displayed
    units: dict[str, float]  # accepted unit text (lower case) → factor to the reference unit
    low: float
    high: float
    example: str


LAB_KINDS: dict[str, _Kind] = {
    "anc": _Kind("absolute neutrophil count", "×10⁹/L", _COUNT, 0, 100, "1.5 x10^9/L"),
    "platelets": _Kind("platelet count", "×10⁹/L", _COUNT, 0, 3000, "150 x10^9/L"),
    "hemoglobin": _Kind("haemoglobin", "g/dL", {"g/dl": 1.0, "g/l": 0.1}, 2, 25, "12 g/dL"),
    "bilirubin": _Kind(
        "total bilirubin",
        "µmol/L",
        {"µmol/l": 1.0, "umol/l": 1.0, "μmol/l": 1.0, "mg/dl": BILIRUBIN_UMOL_PER_MG_DL},
        0,
        1000,
        "12 µmol/L",
    ),
    "ast": _Kind("AST", "units/L", {"units/l": 1.0}, 0, 20000, "25 units/L"),
    "alt": _Kind("ALT", "units/L", {"units/l": 1.0}, 0, 20000, "25 units/L"),
}

_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")


@dataclass(frozen=True, slots=True)
class LabValue:
    kind: str
    value: float  # in the reference unit
    unit: str
    text: str  # as entered

    def display(self) -> str:
        return f"{format_number(self.value, 2)} {self.unit}"


def parse_lab(kind: str, text: object) -> LabValue:
    if kind not in LAB_KINDS:
        raise InputError("kind", kind, "is not a laboratory value DoseCalc records", expected=" | ".join(LAB_KINDS))
    spec = LAB_KINDS[kind]
    expected = f"{spec.name} in {' or '.join(sorted({u for u in spec.units}))}, e.g. '{spec.example}'"
    if not isinstance(text, str) or not text.strip():
        raise InputError(kind, text, "is required", expected=expected, code="value.missing")
    if "," in text:
        raise InputError(
            kind, text, "contains a comma; write decimals with a point", expected=expected, code="value.comma"
        )
    match = _NUMBER.match(text)
    if match is None:
        raise InputError(kind, text, "does not start with a number", expected=expected, code="value.not_a_number")
    number = float(match.group(1))
    unit = match.group(2).replace(" ", "").lower()
    if not math.isfinite(number):
        raise InputError(kind, text, "is not a finite number", expected=expected, code="value.not_finite")
    if not unit:
        raise UnitError(kind, text, "has no unit", expected=expected, code="unit.missing")
    if unit in ("u/l", "iu/l"):
        raise UnitError(
            kind,
            text,
            "uses U or IU, which are banned abbreviations; write units/L",
            expected=expected,
            code="unit.banned",
        )
    if unit not in spec.units:
        raise UnitError(kind, text, "has the wrong unit", expected=expected, code="unit.not_allowed")
    value = number * spec.units[unit]
    if value < 0:
        raise InputError(kind, text, "cannot be negative", expected=expected, code="value.negative")
    if not spec.low <= value <= spec.high:
        raise ImplausibleValueError(
            kind, text, "is implausible", expected=f"{format_number(spec.low)}–{format_number(spec.high)} {spec.unit}"
        )
    return LabValue(kind, round(value, 6), spec.unit, text.strip())
