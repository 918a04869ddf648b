"""Dose rounding to a step (nearest 10 mg, a vial size) within a maximum deviation.

A dose is rounded to the nearest multiple of the step only when the rounded
dose stays within the maximum deviation from the calculated dose (default 5 %;
HOPA accepts up to 10 %: Fahrenbruch et al., J Oncol Pract 2018;14:e130).
Otherwise the exact dose is kept and the reason is given (medication-safety E1–E3).

Arithmetic is :mod:`decimal`, so 0.1 + 0.2 style drift cannot move a dose
across a band edge. Ties (a dose exactly half-way between two steps) round up,
the "round-up (A)" column of the NHS dose-banding tables; this is tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from dosecalc.display import format_number
from dosecalc.errors import InputError, PolicyError
from dosecalc.inputs import is_none, parse_percent, positive_quantity
from dosecalc.settings import DEFAULT_LIMITS, HOPA_MAX_DEVIATION, PlausibilityLimits
from dosecalc.units import MASS_DOSE, MILLIGRAM

__all__ = ["RoundingOutcome", "RoundingRule", "parse_max_deviation", "parse_round_step", "round_dose"]


@dataclass(frozen=True, slots=True)
class RoundingRule:
    """Round to ``step_mg`` (None: no rounding) if within ``max_deviation`` (a fraction, 0.05 = 5 %)."""

    step_mg: Decimal | None
    max_deviation: Decimal = DEFAULT_LIMITS.max_deviation

    def __post_init__(self) -> None:
        if self.step_mg is not None and self.step_mg <= 0:
            raise PolicyError(
                "round-step", f"{self.step_mg} mg", "must be greater than zero", expected="a step in mg, e.g. '10 mg'"
            )
        if not Decimal(0) <= self.max_deviation <= HOPA_MAX_DEVIATION:
            raise PolicyError(
                "max-deviation",
                f"{self.max_deviation * 100}%",
                "is outside 0–10 %",
                expected="a percentage up to the 10 % HOPA ceiling, e.g. '5%'",
            )

    def describe(self) -> str:
        return _describe(self.step_mg, self.max_deviation)


@lru_cache(maxsize=128)
def _describe(step_mg: Decimal | None, max_deviation: Decimal) -> str:
    if step_mg is None:
        return "none (exact dose)"
    return f"nearest {format_number(step_mg, 3)} mg if within {format_number(max_deviation * 100, 2)} % (ties round up)"


@lru_cache(maxsize=128)
def _rounded_reason(step_mg: Decimal) -> str:
    return f"rounded to the nearest {format_number(step_mg, 3)} mg"


@dataclass(frozen=True, slots=True)
class RoundingOutcome:
    calculated_mg: Decimal
    final_mg: Decimal
    deviation_percent: Decimal
    rounded: bool
    reason: str
    #: The nearest step when it was refused (0 when the dose is under half a step); None when rounded or no rule.
    candidate_mg: Decimal | None = None


def round_dose(calculated_mg: float | Decimal, rule: RoundingRule) -> RoundingOutcome:
    """Apply ``rule`` to a calculated dose in mg.

    Known answer (known-answers round-carbo-5pct-03): 563 mg to a 50 mg step within 5 % → 550 mg (−2.31 %).

    >>> o = round_dose(563, RoundingRule(Decimal(50), Decimal("0.05")))
    >>> o.final_mg, o.deviation_percent
    (Decimal('550'), Decimal('-2.31'))
    >>> round_dose(30, RoundingRule(Decimal(50), Decimal("0.05"))).final_mg  # 50 mg would be +67 %
    Decimal('30')
    """
    calculated = _clean(calculated_mg if isinstance(calculated_mg, Decimal) else Decimal(repr(float(calculated_mg))))
    if calculated <= 0:
        raise InputError("dose", f"{calculated} mg", "must be greater than zero", expected="a positive dose")
    if rule.step_mg is None:
        return RoundingOutcome(calculated, calculated, Decimal("0.00"), False, "no rounding rule")
    step = rule.step_mg
    candidate = (calculated / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    if candidate == 0:
        return RoundingOutcome(
            calculated,
            calculated,
            Decimal("0.00"),
            False,
            f"exact dose kept: it is smaller than half the {format_number(step, 3)} mg step",
            candidate,
        )
    deviation = (candidate - calculated) / calculated
    if abs(deviation) > rule.max_deviation:
        return RoundingOutcome(
            calculated,
            calculated,
            Decimal("0.00"),
            False,
            f"exact dose kept: rounding to {format_number(candidate, 3)} mg would deviate "
            f"{format_number(deviation * 100, 2)} %, beyond {format_number(rule.max_deviation * 100, 2)} %",
            candidate,
        )
    percent = (deviation * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return RoundingOutcome(calculated, _clean(candidate), percent, True, _rounded_reason(step))


def parse_max_deviation(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> Decimal:
    """``"5%"`` → Decimal('0.05'). The % sign is required: a bare 5 could mean 5 % or 500 %."""
    if value is None:
        return limits.max_deviation
    expected = "a percentage up to the 10 % HOPA ceiling, e.g. '5%'"
    fraction = parse_percent(value, "max-deviation", expected, PolicyError) / 100
    if not Decimal(0) <= fraction <= HOPA_MAX_DEVIATION:
        raise PolicyError("max-deviation", value, "is outside 0–10 %", expected=expected)
    return fraction


def parse_round_step(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> Decimal | None:
    """``"10 mg"`` or ``"0.5 g"`` → the step in mg as a Decimal; ``None``/``"none"`` for no rounding."""
    if is_none(value):
        return None
    _, mg = positive_quantity(value, "round-step", MASS_DOSE, MILLIGRAM)
    if mg not in limits.round_step_mg:
        raise PolicyError(
            "round-step", value, "is outside the steps in use", expected=f"none, or {limits.round_step_mg.text('mg')}"
        )
    return _clean(Decimal(repr(mg)))


def _clean(value: Decimal) -> Decimal:
    """550.0 → 550, 12.50 → 12.5: no exponent notation, no trailing zeros."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
