"""Numbers and units as a person reads them, by the medication-safety rules.

medication-safety §2 C1–C3 (Joint Commission "Do Not Use" list, NHS CUI,
ISMP): a leading zero below 1 (``0.5 mg``), no trailing zero (``5 mg``), a
thousands separator from 1,000 (``1,250 mg``), a space between number and unit,
and none of the banned abbreviations (U, IU, qd, qod, cc, µg). Display rounding
uses :mod:`decimal` with half-up ties, so it never shows float noise and never
feeds back into a calculation.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Any

from dosecalc.units import unit_text, ureg

__all__ = ["BANNED_TOKENS", "display_unit", "format_number", "format_quantity"]

#: Tokens that must never appear in anything DoseCalc shows or prints.
BANNED_TOKENS = ("U", "IU", "qd", "QD", "qod", "QOD", "cc", "µg", "μg")

_DISPLAY_UNITS = {
    "mg": "mg",
    "g": "g",
    "kg": "kg",
    "cm": "cm",
    "m": "m",
    "m**2": "m²",
    "mg/m**2": "mg/m²",
    "g/m**2": "g/m²",
    "mg/kg": "mg/kg",
    "mg/dL": "mg/dL",
    "µmol/L": "µmol/L",
    "mL/min": "mL/min",
    "mL": "mL",
    "L": "L",
    "mL/h": "mL/h",
    "mg/mL": "mg/mL",
    "h": "h",
    "min": "min",
    "mL/min/std_bsa": "mL/min/1.73 m²",
    "mg*min/mL": "mg/mL·min",
    "Gy": "Gy",
    "cGy": "cGy",
    "mcg": "mcg",
    "µg": "mcg",
    "%": "%",
}


def format_number(value: float | Decimal | int, decimals: int = 2) -> str:
    """Round half-up to at most ``decimals`` places; drop trailing zeros; group thousands.

    >>> format_number(0.5), format_number(5.0), format_number(1250), format_number(322.8125, 1)
    ('0.5', '5', '1,250', '322.8')
    >>> format_number(-0.04, 1)
    '0'
    >>> format_number(1e30, 2)
    '1,000,000,000,000,000,000,000,000,000,000'
    """
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    step = Decimal(1).scaleb(-decimals)
    if number.adjusted() + decimals < 25:
        rounded = number.quantize(step, rounding=ROUND_HALF_UP)
    else:
        # A finite float has up to 309 integer digits; the default 28-digit context would raise
        # on quantizing, say, a mistyped 1e30 cm while its error message is being written.
        with localcontext(prec=400):
            rounded = number.quantize(step, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = Decimal(0)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def display_unit(unit: Any) -> str:
    """A unit as people write it: ``mg/m²``, ``mL/min``, ``µmol/L``, ``mcg`` (never µg)."""
    text = unit if isinstance(unit, str) else unit_text(unit)
    return _DISPLAY_UNITS.get(text, text.replace("**2", "²").replace("**3", "³"))


@lru_cache(maxsize=256)
def _display_for(container: Any) -> str:
    return display_unit(ureg.Unit(container))


def format_quantity(quantity: Any, decimals: int = 2) -> str:
    """``1,250 mg``, ``0.5 mg``, ``1.84 m²``.

    >>> from dosecalc.units import Quantity
    >>> format_quantity(Quantity(1250.0, "mg")), format_quantity(Quantity(75, "mg/m**2"))
    ('1,250 mg', '75 mg/m²')
    """
    # Keyed by the units container: building pint's Unit object per call costs more than the formatting.
    return f"{format_number(quantity.magnitude, decimals)} {_display_for(quantity._units)}"
