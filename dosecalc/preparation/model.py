"""What a preparation is: the container, the site's bag sizes and pump rates, and the prepared dose."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dosecalc.derivation import Derivation, Flag, Severity
from dosecalc.errors import InputError
from dosecalc.preparation.infusion import (
    RATE_TOLERANCE,
    DiluentBag,
    parse_volume,
)
from dosecalc.preparation.vials import VialSelection
from dosecalc.regimen.model import Drug, Route
from dosecalc.units import (
    HOUR,
)

__all__ = ["DEFAULT_PREPARATION", "VIAL_RULE", "Container", "PreparationSettings", "PreparedDose"]


VIAL_RULE = (
    "cover the dose; leave at most one smallest vial's worth; then fewest vials, least remainder, fewer "
    "presentations, larger vials"
)


class Container(StrEnum):
    BAG = "infusion bag"
    PUMP = "ambulatory pump"
    SYRINGE = "syringe (undiluted bolus)"
    NONE = "none: dispensed, not prepared"


@dataclass(frozen=True, slots=True)
class PreparationSettings:
    """The site's bag sizes (mL, ascending) and ambulatory pump rates (mL/h, in order of preference)."""

    bag_sizes: tuple[Any, ...]
    pump_rates: tuple[Any, ...]
    pump_beyond_hours: float = 24.0
    rate_tolerance: Decimal = RATE_TOLERANCE

    @classmethod
    def parse(cls, bag_sizes: str, pump_rates: str) -> PreparationSettings:
        """From the site's text, e.g. ``"100 mL, 250 mL, 500 mL"`` and ``"5 mL/h"``.

        >>> [q.magnitude for q in PreparationSettings.parse("500 mL, 100 mL", "5 mL/h").bag_sizes]
        [100.0, 500.0]
        """
        from dosecalc.preparation.infusion import parse_rate

        bags = [parse_volume(part, "bag-sizes") for part in bag_sizes.split(",") if part.strip()]
        rates = [parse_rate(part, "pump-rates") for part in pump_rates.split(",") if part.strip()]
        if not bags:
            raise InputError("bag-sizes", bag_sizes, "lists no bag", expected="e.g. '100 mL, 250 mL, 500 mL'")
        return cls(tuple(sorted(bags, key=lambda q: q.magnitude)), tuple(rates))


DEFAULT_PREPARATION = PreparationSettings.parse("50 mL, 100 mL, 250 mL, 500 mL, 1000 mL", "5 mL/h, 2 mL/h")


@dataclass(frozen=True, slots=True)
class PreparedDose:
    """The preparation of one dose, with its derivation (whose flags are the warnings)."""

    drug: Drug
    dose: Any  # mg
    route: Route
    container: Container
    vials: VialSelection | None
    volume_to_draw: Any  # mL, or None
    diluent: DiluentBag | None
    total_volume: Any  # mL in the bag, device or syringe
    final_concentration: Any  # mg/mL
    stable_range: tuple[Any, Any] | None
    in_range: bool | None  # None: not checked (no range, or an undiluted bolus)
    fitting_bags: tuple[Any, ...]
    duration: Any  # h
    rate: Any  # mL/h as programmed
    requirements: tuple[str, ...]
    use_within: Any  # h
    storage: str | None
    unconfirmed: tuple[str, ...]
    derivation: Derivation
    days: int = 1
    notes: tuple[str, ...] = field(default=())

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.derivation.flags

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.flags)

    @property
    def needed(self) -> bool:
        """False for an oral drug: nothing is prepared."""
        return self.container is not Container.NONE

    def expiry(self, prepared_at: dt.datetime) -> dt.datetime | None:
        """When the prepared product must have been used, from the catalogue's use-within time."""
        if self.use_within is None:
            return None
        return prepared_at + dt.timedelta(hours=float(self.use_within.m_as(HOUR)))
