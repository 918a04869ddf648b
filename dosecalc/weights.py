"""Ideal and adjusted body weight.

Devine ideal body weight uses exactly 2.3 kg per inch over 60 inches, with the
inch as 2.54 cm (so 0.9055 kg per cm over 152.4 cm); the metric shortcuts
0.9 × H − 88 / − 92 differ slightly and are not used (clinical-reference §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dosecalc.derivation import Flag, Severity, Step
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError
from dosecalc.patient import Height, Sex, Weight
from dosecalc.units import CENTIMETRE, KILOGRAM, make_quantity

__all__ = ["WeightResult", "adjusted_body_weight", "adjusted_weight_kg", "devine_ideal_weight_kg", "ideal_body_weight"]

_CM_PER_INCH = 2.54
_DEVINE_BASE_KG = {Sex.MALE: 50.0, Sex.FEMALE: 45.5}
_DEVINE_KG_PER_INCH = 2.3
_DEVINE_THRESHOLD_INCHES = 60.0
#: The fraction of excess weight added to IBW for the adjusted weight.
ADJUSTED_WEIGHT_FACTOR = 0.4


def devine_ideal_weight_kg(height_cm: float, sex: Sex) -> float:
    """Devine (1974): 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 60 in.

    Known answer (known-answers ibw-devine-male-01): 180 cm man → 74.99 kg.

    >>> round(devine_ideal_weight_kg(180, Sex.MALE), 2)
    74.99
    >>> round(devine_ideal_weight_kg(152.4, Sex.FEMALE), 2)
    45.5
    """
    inches = height_cm / _CM_PER_INCH
    return _DEVINE_BASE_KG[sex] + _DEVINE_KG_PER_INCH * (inches - _DEVINE_THRESHOLD_INCHES)


def adjusted_weight_kg(actual_kg: float, ideal_kg: float) -> float:
    """Adjusted body weight: IBW + 0.4 × (actual − IBW) (rxkinetics; NCCN templates).

    >>> round(adjusted_weight_kg(110, 74.99), 2)
    88.99
    """
    return ideal_kg + ADJUSTED_WEIGHT_FACTOR * (actual_kg - ideal_kg)


@dataclass(frozen=True, slots=True)
class WeightResult:
    weight: Any
    steps: tuple[Step, ...]
    flags: tuple[Flag, ...]

    @property
    def kilograms(self) -> float:
        return float(self.weight.magnitude)


def ideal_body_weight(height: Height, sex: Sex) -> WeightResult:
    """Devine IBW with its derivation step; flags heights under 60 in (152.4 cm)."""
    cm = height.centimetres
    ibw = devine_ideal_weight_kg(cm, sex)
    flags: list[Flag] = []
    if ibw <= 0:
        raise ImplausibleValueError(
            "height",
            f"{format_number(cm, 1)} cm",
            "is too short for the Devine ideal body weight (it gives 0 kg or less)",
            expected="the actual weight basis for this patient",
        )
    if cm < _DEVINE_THRESHOLD_INCHES * _CM_PER_INCH:
        flags.append(
            Flag(
                "ibw.short_stature",
                Severity.WARNING,
                f"height {format_number(cm, 1)} cm is under 152.4 cm (60 in): Devine ideal weight is "
                "extrapolated and may be unreliable",
                {"height_cm": cm},
            )
        )
    base = _DEVINE_BASE_KG[sex]
    step = Step(
        f"Ideal body weight (Devine, {sex.value})",
        f"{format_number(base)} kg + 2.3 kg × (height / 2.54 cm − 60)",
        f"{format_number(base)} kg + 2.3 kg × ({{0}} / 2.54 cm − 60)",
        (make_quantity(cm, CENTIMETRE),),
        make_quantity(ibw, KILOGRAM),
    )
    return WeightResult(make_quantity(ibw, KILOGRAM), (step,), tuple(flags))


def adjusted_body_weight(height: Height, weight: Weight, sex: Sex) -> WeightResult:
    """Adjusted weight, with the IBW step before it; flags an actual weight below ideal."""
    ideal = ideal_body_weight(height, sex)
    actual = weight.kilograms
    adjusted = adjusted_weight_kg(actual, ideal.kilograms)
    flags = list(ideal.flags)
    if actual < ideal.kilograms:
        flags.append(
            Flag(
                "adjusted_weight.below_ideal",
                Severity.WARNING,
                "actual weight is below ideal weight, so the adjusted weight is below ideal too; "
                "consider the actual weight basis",
                {"actual_kg": actual, "ideal_kg": ideal.kilograms},
            )
        )
    step = Step(
        "Adjusted body weight",
        "IBW + 0.4 × (actual weight − IBW)",
        "{0} + 0.4 × ({1} − {0})",
        (ideal.weight, make_quantity(actual, KILOGRAM)),
        make_quantity(adjusted, KILOGRAM),
    )
    return WeightResult(make_quantity(adjusted, KILOGRAM), (*ideal.steps, step), tuple(flags))
