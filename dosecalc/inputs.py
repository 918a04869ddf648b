"""Shared checks for typed-in quantities: positive, inside a refuse range, or an optional policy value.

Every field parser in the core goes through these, so "must be greater than
zero", "is implausible; expected 100–250 cm" and "none, or 60–200 mL/min" read
the same wherever they appear.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dosecalc.errors import DoseCalcError, ImplausibleValueError, InputError, PolicyError
from dosecalc.settings import Range
from dosecalc.units import QuantityKind, magnitude_in, make_quantity, parse_number, parse_quantity

__all__ = ["check_range", "is_none", "optional_policy_quantity", "parse_percent", "positive_quantity"]


def is_none(value: object) -> bool:
    """``None`` or the word ``none``: a policy that is switched off on purpose."""
    return value is None or (isinstance(value, str) and value.strip().lower() == "none")


def positive_quantity(
    value: object, field: str, kind: QuantityKind, unit: Any, *, allow_imperial: bool = False
) -> tuple[Any, float]:
    """Parse ``value`` as ``kind``; return the quantity and its magnitude in ``unit``, refusing ≤ 0."""
    quantity = parse_quantity(value, field, kind, allow_imperial=allow_imperial)
    magnitude = magnitude_in(quantity, unit)
    if magnitude <= 0:
        raise InputError(field, value, "must be greater than zero", expected=kind.expected(), code="value.not_positive")
    return quantity, magnitude


def check_range(
    magnitude: float,
    refuse: Range,
    field: str,
    value: object,
    unit_label: str,
    reason: str = "is implausible",
    hint: str = "",
) -> None:
    """Refuse ``magnitude`` outside ``refuse`` with the range in the message (and an optional hint)."""
    if magnitude in refuse:
        return
    raise ImplausibleValueError(
        field,
        value,
        f"{reason}{hint}",
        expected=refuse.text(unit_label),
        code="value.unit_slip" if hint.startswith("; did you mean") else "value.implausible",
        params={"low": refuse.low, "high": refuse.high, "unit": unit_label},
    )


def optional_policy_quantity(
    value: object, field: str, kind: QuantityKind, unit: Any, allowed: Range, unit_label: str, note: str = ""
) -> Any:
    """A policy value such as a cap: ``None``/``none`` for off, else a quantity inside ``allowed``."""
    if is_none(value):
        return None
    _, magnitude = positive_quantity(value, field, kind, unit)
    if magnitude not in allowed:
        raise PolicyError(
            field, value, "is outside the values in use", expected=f"none, or {allowed.text(unit_label)}{note}"
        )
    return make_quantity(magnitude, unit)


def parse_percent(value: object, field: str, expected: str, error: type[DoseCalcError] = InputError) -> Decimal:
    """``"80%"`` → Decimal('80'). The % sign is required: a bare 5 could mean 5 % or 500 %.

    Errors quote the text as typed (``0.5%``), never a reformatted number.
    """
    if not isinstance(value, str) or not value.strip().endswith("%"):
        raise error(field, value, "needs a % sign", expected=expected)
    text = value.strip()[:-1].strip()
    if not text:
        raise error(field, value, "has no number before the % sign", expected=expected)
    try:
        number = parse_number(text, field, expected)
    except InputError as caught:
        raise error(field, value, caught.reason, expected=expected, code=caught.code) from None
    return Decimal(repr(number))
