"""Volumes, concentrations and rates, each through pint so that a unit slip fails instead of computing.

``mg ÷ (mg/mL) = mL``, ``mg ÷ mL = mg/mL``, ``mL ÷ h = mL/h``: every function checks the dimension of
what it is given and names the field when it is wrong. A per-day figure never becomes a pump rate:
the rate field accepts mL/h only, and a volume function refuses a rate (Alberta 2006: a daily volume
of 28.8 mL was programmed as 28.8 mL/h instead of 1.2 mL/h, and a 4-day fluorouracil infusion ran in
4 hours; medication-safety §3 #13 and §4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.errors import InputError, UnitError
from dosecalc.regimen.model import Solution
from dosecalc.units import (
    HOUR,
    INFUSION_DURATION,
    INFUSION_RATE,
    MG_PER_ML,
    MILLIGRAM,
    MILLILITRE,
    ML_PER_HOUR,
    VOLUME,
    Quantity,
    QuantityKind,
    make_quantity,
    parse_quantity,
)

__all__ = [
    "RATE_STEP",
    "RATE_TOLERANCE",
    "DiluentBag",
    "check_rate",
    "final_concentration",
    "infusion_rate",
    "parse_diluent",
    "parse_duration",
    "parse_rate",
    "parse_volume",
    "programmed_rate",
    "solution_text",
    "volume_to_draw",
]

#: Pumps are programmed to 0.1 mL/h.
RATE_STEP = Decimal("0.1")
#: Largest accepted difference between rate × duration and the volume in the bag or device: 2 %
#: (about an hour of a 46-hour infusion). Only the rounding of the rate to 0.1 mL/h may use it.
RATE_TOLERANCE = Decimal("0.02")
#: The longest single infusion or device a dose is prepared for (a 7-day ambulatory pump).
MAX_DURATION_HOURS = 168.0
#: The largest bag or device volume (a 3 L bag).
MAX_VOLUME_ML = 3000.0

_SOLUTION_NAMES = {
    Solution.SODIUM_CHLORIDE: (
        "sodium chloride 0.9%",
        "0.9% sodium chloride",
        "sodium chloride",
        "normal saline",
        "saline",
        "0.9%氯化钠",
        "氯化钠0.9%",
        "氯化钠",
        "生理盐水",
    ),
    Solution.GLUCOSE: (
        "glucose 5%",
        "5% glucose",
        "dextrose 5%",
        "5% dextrose",
        "glucose",
        "dextrose",
        "5%葡萄糖",
        "葡萄糖5%",
        "葡萄糖",
    ),
}
_SOLUTION_BY_NAME = {name: solution for solution, names in _SOLUTION_NAMES.items() for name in names}
_DILUENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?\s*(?:mL|ml|L|l))\b\s*(?:of\s+)?(.*?)\s*$")


def solution_text(solution: Solution) -> str:
    """``sodium chloride 0.9 %`` as a label prints it (a space before %, as every other unit)."""
    return solution.value.replace("%", " %")


@dataclass(frozen=True, slots=True)
class DiluentBag:
    """A bag (or the diluent of a device): its nominal volume and solution."""

    volume: Any  # Quantity in mL
    solution: Solution

    def text(self) -> str:
        """``500 mL sodium chloride 0.9 %``."""
        return f"{format_quantity(self.volume)} {solution_text(self.solution)}"


def _expected_diluent() -> str:
    return "a volume and a solution, e.g. '500 mL sodium chloride 0.9%' or '250 mL glucose 5%'"


def parse_volume(value: object, field: str) -> Any:
    """A positive volume in mL, at most 3 L.

    >>> parse_volume("0.25 L", "diluent")
    <Quantity(250.0, 'milliliter')>
    """
    volume = parse_quantity(value, field, VOLUME)
    ml = float(volume.m_as(MILLILITRE))
    if ml <= 0:
        raise InputError(
            field, value, "must be greater than zero", expected=VOLUME.expected(), code="value.not_positive"
        )
    if ml > MAX_VOLUME_ML:
        raise InputError(
            field, value, "is more than one bag or device holds", expected=f"at most {format_number(MAX_VOLUME_ML)} mL"
        )
    return make_quantity(ml, MILLILITRE)


def parse_diluent(value: object, field: str = "diluent") -> DiluentBag:
    """``"500 mL sodium chloride 0.9%"`` → the bag; the solution must be one the catalogue knows.

    >>> parse_diluent("250 mL 5% glucose").text()
    '250 mL glucose 5 %'
    """
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            field,
            value,
            "is empty" if isinstance(value, str) else "is not text",
            expected=_expected_diluent(),
            code="value.missing",
        )
    match = _DILUENT.match(value)
    if match is None:
        raise InputError(field, value, "does not start with a volume in mL", expected=_expected_diluent())
    volume = parse_volume(match.group(1), field)
    name = re.sub(r"\s+", " ", match.group(2).lower()).replace(" %", "%").strip()
    if not name:
        raise InputError(field, value, "names no solution", expected=_expected_diluent(), code="value.missing")
    solution = _SOLUTION_BY_NAME.get(name) or _SOLUTION_BY_NAME.get(name.replace(" ", ""))
    if solution is None:
        raise InputError(
            field,
            value,
            f"names an unknown solution '{match.group(2)}'",
            expected=" or ".join(s.value for s in Solution),
            code="diluent.unknown",
        )
    return DiluentBag(volume, solution)


def parse_duration(value: object, field: str = "duration") -> Any:
    """An infusion duration in hours (min, h or day accepted), above zero and at most 7 days.

    >>> parse_duration("90 min")
    <Quantity(1.5, 'hour')>
    """
    duration = parse_quantity(value, field, INFUSION_DURATION)
    hours = float(duration.m_as(HOUR))
    if hours <= 0:
        raise InputError(
            field, value, "must be longer than zero", expected=INFUSION_DURATION.expected(), code="value.not_positive"
        )
    if hours > MAX_DURATION_HOURS:
        raise InputError(field, value, "is longer than any single infusion", expected="at most 7 days (168 h)")
    return make_quantity(hours, HOUR)


def parse_rate(value: object, field: str = "rate") -> Any:
    """A pump rate in mL/h. mL/day is refused (the Alberta error); so is a volume.

    >>> parse_rate("5 mL/h")
    <Quantity(5.0, 'milliliter / hour')>
    """
    try:
        rate = parse_quantity(value, field, INFUSION_RATE)
    except UnitError as error:
        if error.code != "unit.not_allowed":
            raise
        given = parse_quantity(value, field, _ANY_RATE_OR_VOLUME) if _parses(value) else None
        if given is not None and given.dimensionality == ML_PER_HOUR.dimensionality:
            raise UnitError(
                field,
                value,
                "is not per hour: pumps are programmed in mL/h only (a per-day volume entered as mL/h ran a "
                "4-day infusion in 4 hours, Alberta 2006)",
                expected=INFUSION_RATE.expected(),
                code="rate.not_per_hour",
            ) from None
        if given is not None and given.dimensionality == MILLILITRE.dimensionality:
            raise UnitError(
                field, value, "is a volume, not a rate", expected=INFUSION_RATE.expected(), code="rate.is_volume"
            ) from None
        raise
    per_hour = float(rate.m_as(ML_PER_HOUR))
    if per_hour <= 0:
        raise InputError(
            field, value, "must be greater than zero", expected=INFUSION_RATE.expected(), code="value.not_positive"
        )
    return make_quantity(per_hour, ML_PER_HOUR)


#: Any volume or volume per time: only to say precisely why a rate was refused.
_ANY_RATE_OR_VOLUME = QuantityKind("a rate", ("mL", "L", "mL/h", "mL/min", "mL/d", "L/h", "L/d", "mL/s"), "5 mL/h")


def _parses(value: object) -> bool:
    try:
        parse_quantity(value, "rate", _ANY_RATE_OR_VOLUME)
    except InputError:
        return False
    return True


def _require(quantity: Any, unit: Any, field: str, what: str) -> None:
    """``quantity`` must have ``unit``'s dimension, else an error naming the field."""
    if not isinstance(quantity, Quantity) or quantity.dimensionality != unit.dimensionality:
        shown = format_quantity(quantity) if isinstance(quantity, Quantity) else repr(quantity)
        raise UnitError(
            field,
            shown,
            f"is not {what}",
            expected=f"{what} in {format_quantity(make_quantity(1, unit)).removeprefix('1 ')}",
            code="unit.dimension",
        )


def volume_to_draw(dose: Any, concentration: Any) -> Any:
    """The volume that holds ``dose``: mg ÷ (mg/mL) = mL.

    Worked example (paclitaxel 6 mg/mL): 300 mg ÷ 6 mg/mL = 50 mL.

    >>> volume_to_draw(Quantity(300.0, "mg"), Quantity(6.0, "mg/mL"))
    <Quantity(50.0, 'milliliter')>
    """
    _require(dose, MILLIGRAM, "dose", "a dose (mass)")
    _require(concentration, MG_PER_ML, "concentration", "a concentration (mass per volume)")
    return make_quantity(float((dose / concentration).m_as(MILLILITRE)), MILLILITRE)


def final_concentration(dose: Any, bag_volume: Any, drawn_volume: Any) -> Any:
    """Drug in its container: dose ÷ (bag volume + drawn volume), in mg/mL.

    The drug's volume is added to the bag's nominal volume; the bag's overfill is not counted (so the
    true concentration is a little lower than this figure).

    Worked example (paclitaxel 300 mg = 50 mL in a 500 mL bag): 300 mg ÷ 550 mL = 0.545 mg/mL.

    >>> round(final_concentration(Quantity(300.0, "mg"), Quantity(500.0, "mL"), Quantity(50.0, "mL")).magnitude, 3)
    0.545
    """
    _require(dose, MILLIGRAM, "dose", "a dose (mass)")
    _require(bag_volume, MILLILITRE, "diluent", "a volume")
    _require(drawn_volume, MILLILITRE, "volume_to_draw", "a volume")
    total = bag_volume + drawn_volume
    return make_quantity(float((dose / total).m_as(MG_PER_ML)), MG_PER_ML)


def infusion_rate(volume: Any, duration: Any) -> Any:
    """The rate that infuses ``volume`` in ``duration``: mL ÷ h = mL/h.

    A volume per day (a rate) in place of a volume is refused: ``mL/day ÷ h`` is not a rate.

    Worked example (Alberta 2006, the correct rate): 115.2 mL over 96 h = 1.2 mL/h.

    >>> infusion_rate(Quantity(115.2, "mL"), Quantity(96.0, "h"))
    <Quantity(1.2, 'milliliter / hour')>
    >>> infusion_rate(Quantity(28.8, "mL/day"), Quantity(96.0, "h"))
    Traceback (most recent call last):
    ...
    dosecalc.errors.UnitError: volume: 28.8 mL/d is not a volume; expected a volume in mL
    """
    _require(volume, MILLILITRE, "volume", "a volume")
    _require(duration, HOUR, "duration", "a duration")
    rate = volume / duration
    _require(rate, ML_PER_HOUR, "rate", "a rate")  # belt and braces: the result must be volume per time
    return make_quantity(float(rate.m_as(ML_PER_HOUR)), ML_PER_HOUR)


def programmed_rate(rate: Any) -> Any:
    """The rate as a pump is programmed: to 0.1 mL/h, half up.

    >>> programmed_rate(Quantity(183.3333, "mL/h"))
    <Quantity(183.3, 'milliliter / hour')>
    """
    _require(rate, ML_PER_HOUR, "rate", "a rate")
    value = Decimal(repr(float(rate.m_as(ML_PER_HOUR)))).quantize(RATE_STEP, rounding=ROUND_HALF_UP)
    return make_quantity(float(value), ML_PER_HOUR)


def check_rate(rate: Any, duration: Any, volume: Any, tolerance: Decimal = RATE_TOLERANCE) -> Flag | None:
    """None when rate × duration is the volume in the bag or device within ``tolerance``; else a BLOCK.

    Worked example (Alberta 2006): 28.8 mL/h × 96 h = 2,764.8 mL, not the 115.2 mL in the device.

    >>> check_rate(Quantity(1.2, "mL/h"), Quantity(96.0, "h"), Quantity(115.2, "mL")) is None
    True
    >>> check_rate(Quantity(28.8, "mL/h"), Quantity(96.0, "h"), Quantity(115.2, "mL")).code
    'preparation.rate_mismatch'
    """
    _require(rate, ML_PER_HOUR, "rate", "a rate")
    _require(duration, HOUR, "duration", "a duration")
    _require(volume, MILLILITRE, "volume", "a volume")
    infused = make_quantity(float((rate * duration).m_as(MILLILITRE)), MILLILITRE)
    held = float(volume.m_as(MILLILITRE))
    difference = abs(Decimal(repr(infused.magnitude)) - Decimal(repr(held))) / Decimal(repr(held))
    if difference <= tolerance:
        return None
    return Flag(
        "preparation.rate_mismatch",
        Severity.BLOCK,
        f"rate × duration = {format_quantity(rate, 2)} × {format_quantity(duration, 2)} = "
        f"{format_quantity(infused, 1)}, but the bag or device holds {format_quantity(volume, 1)} "
        f"({format_number(difference * 100, 1)} % apart; at most {format_number(tolerance * 100)} %): do not run it",
        {
            "rate": rate,
            "duration": duration,
            "volume": volume,
            "infused": infused,
            "difference_percent": float(difference * 100),
            "tolerance_percent": float(tolerance * 100),
        },
    )
