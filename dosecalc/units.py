"""The one unit registry of DoseCalc, and the parsing of what people type.

Every quantity in the program is a pint ``Quantity`` from :data:`ureg`. Units
are built once here, at import, because building them per call costs about ten
times more. Calculations check a quantity's dimension once, on entry, through
:func:`magnitude_in`, then work on plain floats.

User text such as ``"170 cm"``, ``"80 µmol/L"`` or ``"75 mg/m²"`` goes through
:func:`parse_quantity`, which refuses (with an :class:`~dosecalc.errors.InputError`
naming the field) empty text, bare numbers without a unit, NaN and infinity,
commas (``"1,5"`` could be 1.5 or 15), units of the wrong kind and, by default,
imperial units: ISMP asks for metric-only weight and height entry.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pint
import platformdirs

from dosecalc.errors import InputError, UnitError

__all__ = [
    "AUC",
    "BODY_SURFACE_AREA",
    "CLEARANCE",
    "CONCENTRATION",
    "CREATININE",
    "CREATININE_UMOL_PER_MG_DL",
    "DOSE_BASIS",
    "HEIGHT",
    "INFUSION_DURATION",
    "INFUSION_RATE",
    "MASS_DOSE",
    "RADIATION_DOSE",
    "VOLUME",
    "WEIGHT",
    "Quantity",
    "QuantityKind",
    "creatinine_in_mg_per_dl",
    "magnitude_in",
    "make_quantity",
    "parse_number",
    "parse_quantity",
    "unit_text",
    "ureg",
]


def _cache_folder() -> str | None:
    """pint's parsed-definitions cache (building the registry drops from about 120 ms to 15 ms).

    In the user's cache folder; None (no cache) where that folder cannot be written, e.g. a locked-down PC.
    """
    folder = Path(platformdirs.user_cache_dir("DoseCalc", appauthor=False)) / "pint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(folder) if os.access(folder, os.W_OK) else None


def _registry() -> pint.UnitRegistry[Any]:
    try:
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=False, cache_folder=_cache_folder())
    except Exception:  # a damaged or half-written cache must never stop the program: build without it
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=False)


ureg: pint.UnitRegistry[Any] = _registry()
# Indexed eGFR is reported per 1.73 m² of body surface. Giving that reference
# surface a unit of its own makes an indexed eGFR dimensionally different from
# an absolute clearance (length/time vs volume/time): it cannot be fed to
# Calvert by mistake, and multiplying by the patient's BSA de-indexes it.
ureg.define("standard_body_surface = 1.73 * meter ** 2 = std_bsa")

Quantity = ureg.Quantity

CENTIMETRE = ureg.centimeter
METRE = ureg.meter
KILOGRAM = ureg.kilogram
GRAM = ureg.gram
MILLIGRAM = ureg.milligram
SQUARE_METRE = ureg.meter**2
MG_PER_DL = ureg.milligram / ureg.deciliter
UMOL_PER_L = ureg.micromole / ureg.liter
ML_PER_MIN = ureg.milliliter / ureg.minute
ML_PER_MIN_PER_STD_BSA = ureg.milliliter / ureg.minute / ureg.standard_body_surface
MG_PER_M2 = ureg.milligram / ureg.meter**2
MG_PER_KG = ureg.milligram / ureg.kilogram
AUC_UNIT = ureg.milligram / ureg.milliliter * ureg.minute
GRAY = ureg.gray
MILLILITRE = ureg.milliliter
HOUR = ureg.hour
ML_PER_HOUR = ureg.milliliter / ureg.hour
MG_PER_ML = ureg.milligram / ureg.milliliter

#: µmol/L of creatinine per mg/dL. Clinical tools use 88.4 (some 88.42); this is
#: the one place the factor lives (clinical-reference §2, droracle/proreckoner).
CREATININE_UMOL_PER_MG_DL = 88.4

_IMPERIAL = frozenset(
    {
        "pound", "inch", "foot", "ounce", "stone", "yard", "mile", "grain", "pound_force_per_square_inch",
        "fluid_ounce", "gallon", "quart", "pint", "cup", "gill", "fluid_dram", "teaspoon", "tablespoon", "minim",
    }
)  # fmt: skip


@dataclass(frozen=True)
class QuantityKind:
    """What a field accepts: its allowed units, an example and a description."""

    name: str
    units: tuple[str, ...]
    example: str
    imperial_units: tuple[str, ...] = ()

    def allowed(self, allow_imperial: bool) -> frozenset[Any]:
        names = self.units + (self.imperial_units if allow_imperial else ())
        return frozenset(_container(u) for u in names)

    def expected(self) -> str:
        return f"{self.name} in {' or '.join(self.units)}, e.g. '{self.example}'"


HEIGHT = QuantityKind("a height", ("cm", "m"), "170 cm", ("inch", "foot"))
WEIGHT = QuantityKind("a weight", ("kg", "g"), "65 kg", ("pound",))
CREATININE = QuantityKind("a serum creatinine", ("mg/dL", "µmol/L"), "80 µmol/L")
BODY_SURFACE_AREA = QuantityKind("a body surface area", ("m**2",), "1.8 m**2")
DOSE_BASIS = QuantityKind("a dose", ("mg/m**2", "g/m**2", "mg/kg", "mg", "g"), "75 mg/m**2")
MASS_DOSE = QuantityKind("a dose", ("mg", "g"), "10 mg")
CLEARANCE = QuantityKind("a glomerular filtration rate", ("mL/min",), "90 mL/min")
RADIATION_DOSE = QuantityKind("a radiation dose", ("Gy", "cGy"), "50 Gy")
AUC = QuantityKind("a target AUC", ("mg/mL*min",), "5 mg/mL*min")
VOLUME = QuantityKind("a volume", ("mL", "L"), "250 mL")
CONCENTRATION = QuantityKind("a concentration", ("mg/mL",), "1.2 mg/mL")
INFUSION_DURATION = QuantityKind("a duration", ("min", "h", "day"), "3 h")
#: Pumps are programmed in mL/h only: a per-day figure read as mL/h killed a patient (Alberta 2006).
INFUSION_RATE = QuantityKind("an infusion rate", ("mL/h",), "5 mL/h")

_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")
_NON_FINITE = re.compile(r"^\s*[+-]?(nan|inf|infinity)\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def _container(unit: str) -> Any:
    return ureg.parse_units(unit)._units


#: "m2" as orders and labels write square metres ("75 mg/m2", "1.8 m2"); pint alone does not read it.
_SQUARE_METRE = re.compile(r"(?<![A-Za-zµ])m2(?![0-9A-Za-z])")


@lru_cache(maxsize=1024)
def _parse_unit(text: str) -> Any:
    """A unit as clinicians write it: ``mg/mL·min`` (product sign) and ``mg/m2`` (square metres) included.

    >>> _parse_unit("mg/m2"), _parse_unit("m2"), _parse_unit("mg/mL·min")
    (<Unit('milligram / meter ** 2')>, <Unit('meter ** 2')>, <Unit('milligram * minute / milliliter')>)
    """
    return ureg.parse_units(_SQUARE_METRE.sub("m**2", text.replace("·", "*")))


def unit_text(unit: Any) -> str:
    """A compact unit string that pint parses back: ``mg/m**2``, ``mL/min``."""
    return _unit_text(unit if isinstance(unit, pint.Unit) else ureg.Unit(unit))


@lru_cache(maxsize=256)
def _unit_text(unit: Any) -> str:
    text = f"{unit:~C}"
    # pint writes litre as lower-case "l"; clinicians (and the NHS display
    # guidance) write "L", which pint also reads.
    return re.sub(r"(?<![A-Za-z])([mdµu]?)l(?![A-Za-z])", r"\1L", text)


def parse_number(value: object, field: str, expected: str) -> float:
    """A finite real number from user input (a number or text); never a bool.

    >>> parse_number("5", "auc", "a number")
    5.0
    """
    if isinstance(value, bool) or value is None:
        raise InputError(
            field,
            value,
            "is not a number" if value is not None else "is required",
            expected=expected,
            code="value.missing" if value is None else "value.not_a_number",
        )
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        number, rest = _leading_number(value, field, expected)
        if rest:
            raise InputError(field, value, "is not a number", expected=expected, code="value.not_a_number")
    else:
        raise InputError(field, value, "is not a number", expected=expected, code="value.not_a_number")
    if not math.isfinite(number):
        raise InputError(field, value, "is not a finite number", expected=expected, code="value.not_finite")
    return number


def parse_quantity(value: object, field: str, kind: QuantityKind, *, allow_imperial: bool = False) -> Any:
    """Parse ``"170 cm"``-style text (or check a Quantity) into a Quantity of ``kind``.

    The number must be finite and the unit one the field allows; the value is not
    yet range-checked (that is the patient model's job).

    >>> parse_quantity("1.8 m²", "bsa", BODY_SURFACE_AREA)
    <Quantity(1.8, 'meter ** 2')>
    >>> parse_quantity("80 umol/L", "creatinine", CREATININE)
    <Quantity(80.0, 'micromole / liter')>
    """
    expected = kind.expected()
    if isinstance(value, Quantity):
        magnitude, unit = value.magnitude, value.units
        if isinstance(magnitude, bool) or not isinstance(magnitude, int | float):
            raise InputError(field, value, "is not a number", expected=expected, code="value.not_a_number")
        if not math.isfinite(magnitude):
            raise InputError(field, value, "is not a finite number", expected=expected, code="value.not_finite")
        _check_unit(field, value, unit, kind, allow_imperial)
        return Quantity(float(magnitude), unit)
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise UnitError(field, value, "has no unit", expected=expected, code="unit.missing")
        parse_number(value, field, expected)  # raises the precise error
        raise InputError(field, value, "is not a quantity", expected=expected)  # pragma: no cover
    number, unit_part = _leading_number(value, field, expected)
    if not unit_part:
        raise UnitError(field, value, "has no unit", expected=expected, code="unit.missing")
    try:
        unit = _parse_unit(unit_part)
    except Exception:  # pint raises several unrelated types for unknown text
        raise UnitError(
            field,
            value,
            f"has an unknown unit '{unit_part}'",
            expected=expected,
            code="unit.unknown",
            params={"unit": unit_part},
        ) from None
    _check_unit(field, value, unit, kind, allow_imperial)
    return Quantity(number, unit)


def _leading_number(value: str, field: str, expected: str) -> tuple[float, str]:
    """The finite number a text starts with, and the rest of the text (the unit, if any)."""
    text = value.strip()
    if not text:
        raise InputError(field, value, "is empty", expected=expected, code="value.missing")
    if "," in text:
        raise InputError(
            field,
            value,
            "contains a comma; write decimals with a point and no thousands separator",
            expected=expected,
            code="value.comma",
        )
    if _NON_FINITE.match(text):
        raise InputError(field, value, "is not a finite number", expected=expected, code="value.not_finite")
    match = _NUMBER.match(text)
    if match is None:
        raise InputError(field, value, "does not start with a number", expected=expected, code="value.not_a_number")
    number = float(match.group(1))
    if not math.isfinite(number):
        raise InputError(field, value, "is not a finite number", expected=expected, code="value.not_finite")
    return number, match.group(2)


def _check_unit(field: str, value: object, unit: Any, kind: QuantityKind, allow_imperial: bool) -> None:
    container = unit._units
    if container in kind.allowed(allow_imperial):
        return
    if any(name in _IMPERIAL for name in container):
        raise UnitError(
            field,
            value,
            "is not accepted: dosing uses metric units only (ISMP)",
            expected=kind.expected(),
            code="unit.imperial",
        )
    raise UnitError(field, value, "has the wrong unit", expected=kind.expected(), code="unit.not_allowed")


@lru_cache(maxsize=512)
def _factor(source: Any, target: Any) -> float:
    return float(Quantity(1.0, ureg.Unit(source)).m_as(ureg.Unit(target)))


def make_quantity(value: float, unit: Any) -> Any:
    """``Quantity(value, unit)`` for a float and a unit built in this module, about 20 times faster.

    pint's constructor re-checks its arguments on every call; derivations build
    dozens of quantities per order, all from floats and known units. This sets
    the same two attributes pint's constructor sets (``_magnitude``, ``_units``);
    a test compares it with the constructor for every unit here, so a pint
    upgrade that changes them fails loudly.

    >>> make_quantity(5.0, MILLIGRAM) == Quantity(5.0, MILLIGRAM)
    True
    """
    made = object.__new__(Quantity)
    made._magnitude = float(value)
    made._units = unit._units
    return made


def magnitude_in(quantity: Any, unit: Any) -> float:
    """The magnitude of ``quantity`` in ``unit``; raises pint's DimensionalityError on a mismatch.

    Conversion factors are cached per unit pair, so after the first call this is
    a dictionary look-up and a multiplication (all DoseCalc units are
    multiplicative; none has an offset).

    >>> magnitude_in(Quantity(1.7, "m"), CENTIMETRE)
    170.0
    """
    source = quantity._units
    target = unit._units
    if source == target:
        return float(quantity._magnitude)
    return float(quantity._magnitude) * _factor(source, target)


def creatinine_in_mg_per_dl(quantity: Any) -> float:
    """Serum creatinine in mg/dL, from mg/dL or µmol/L (÷ 88.4).

    >>> round(creatinine_in_mg_per_dl(Quantity(123.76, "umol/L")), 4)
    1.4
    """
    container = quantity._units
    if container == UMOL_PER_L._units:
        return float(quantity._magnitude) / CREATININE_UMOL_PER_MG_DL
    try:
        return magnitude_in(quantity, MG_PER_DL)
    except pint.DimensionalityError:
        # Molar units other than µmol/L (e.g. mmol/L) convert through the same factor.
        return magnitude_in(quantity, UMOL_PER_L) / CREATININE_UMOL_PER_MG_DL
