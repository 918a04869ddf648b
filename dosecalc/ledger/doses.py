"""What the ledger counts: administrations, prior and planned doses, and the totals they add up to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dosecalc.derivation import Flag
from dosecalc.ledger.flags import _r, status_of
from dosecalc.regimen.model import CumulativeLimit

__all__ = ["Administration", "Amount", "Contribution", "DrugTotal", "PlannedDose", "PriorDose"]


@dataclass(frozen=True, slots=True)
class Administration:
    """One recorded administration: ``dose_mg`` actually given, at the BSA of that day (None: not recorded)."""

    drug: str
    status: str  # given | held | modified
    dose_mg: float
    given_on: dt.date
    bsa_m2: float | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class PriorDose:
    """A total declared from elsewhere (discharge letter, other hospital): ``"300 mg/m**2"`` or ``"450 mg"``."""

    drug: str
    total_text: str
    source: str
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PlannedDose:
    """A dose still planned: per m² for a mg/m² line, in mg for a flat one (or both, with the BSA used)."""

    drug: str
    on: dt.date
    mg_per_m2: float | None = None
    dose_mg: float | None = None
    bsa_m2: float | None = None
    label: str | None = None  # e.g. "maintenance cycle 7 day 1"

    def in_unit(self, unit: str) -> float | None:
        bsa = self.bsa_m2 if self.bsa_m2 and self.bsa_m2 > 0 else None
        if unit == "mg/m2":
            if self.mg_per_m2 is not None:
                return self.mg_per_m2
            return self.dose_mg / bsa if self.dose_mg is not None and bsa else None
        if self.dose_mg is not None:
            return self.dose_mg
        return self.mg_per_m2 * bsa if self.mg_per_m2 is not None and bsa else None

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "on": self.on.isoformat(),
            "mg_per_m2": _r(self.mg_per_m2),
            "dose_mg": _r(self.dose_mg),
            "bsa_m2": _r(self.bsa_m2),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Amount:
    """A total in one unit, after equivalence factors: recorded + declared, and what is planned."""

    unit: str  # mg/m2 | mg
    given: float
    prior: float
    planned: float  # every planned dose still to come
    next: float  # the planned doses of the next treatment day
    next_on: dt.date | None
    not_counted: tuple[str, ...]  # recorded or declared doses that cannot be counted in this unit
    not_projected: tuple[str, ...]  # planned doses that cannot be projected in this unit

    @property
    def total(self) -> float:
        return self.given + self.prior

    @property
    def next_total(self) -> float:
        return self.total + self.next

    @property
    def projected(self) -> float:
        return self.total + self.planned

    @property
    def complete(self) -> bool:
        return not self.not_counted

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "given": _r(self.given),
            "prior": _r(self.prior),
            "total": _r(self.total),
            "next": _r(self.next),
            "next_on": self.next_on.isoformat() if self.next_on else None,
            "next_total": _r(self.next_total),
            "planned": _r(self.planned),
            "projected": _r(self.projected),
            "complete": self.complete,
            "not_counted": list(self.not_counted),
            "not_projected": list(self.not_projected),
        }


@dataclass(frozen=True, slots=True)
class Contribution:
    """One drug's part of a total, before its factor (1 for the drug itself)."""

    drug: str
    factor: float
    counted: int  # administrations given or modified
    held: int  # held: recorded, not counted
    given_mg: float
    given_mg_per_m2: float  # of the administrations with a BSA
    without_bsa: int
    priors: tuple[PriorDose, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "factor": self.factor,
            "counted": self.counted,
            "held": self.held,
            "given_mg": _r(self.given_mg),
            "given_mg_per_m2": _r(self.given_mg_per_m2),
            "without_bsa": self.without_bsa,
            "priors": [
                {"total": p.total_text, "source": p.source, "until": p.until.isoformat() if p.until else None}
                for p in self.priors
            ],
        }


@dataclass(frozen=True, slots=True)
class DrugTotal:
    """A drug's (or a class's) cumulative total against its catalogue limit.

    ``unit`` is the limit's unit (``mg/m2`` or ``mg``); None when the catalogue has no mass limit for
    the drug (no limit, or a PD-1 bound in months or cycles): the amounts are then shown, not judged.
    """

    drug: str
    label: str
    drug_class: str | None
    class_total: bool  # sums other drugs with equivalence factors
    unit: str | None
    mg: Amount
    mg_per_m2: Amount
    contributions: tuple[Contribution, ...]
    warn_threshold: float | None
    limit: float | None
    cumulative: CumulativeLimit | None
    flags: tuple[Flag, ...]

    @property
    def amount(self) -> Amount:
        """The amount in the limit's unit (mg without a mass limit)."""
        return self.mg_per_m2 if self.unit == "mg/m2" else self.mg

    @property
    def total(self) -> float:
        return self.amount.total

    @property
    def status(self) -> str:
        return status_of(self.flags)

    def to_json(self) -> dict[str, Any]:
        limit = self.cumulative
        return {
            "drug": self.drug,
            "label": self.label,
            "drug_class": self.drug_class,
            "class_total": self.class_total,
            "unit": self.unit,
            "total": _r(self.total) if self.unit else None,
            "projected": _r(self.amount.projected) if self.unit else None,
            "warn_threshold": _r(self.warn_threshold),
            "limit": _r(self.limit),
            "limit_kind": limit.kind if limit else None,
            "limit_unit": limit.unit if limit else None,
            "counts": limit.counts if limit else None,
            "source": limit.source if limit else None,
            "mg": self.mg.to_json(),
            "mg_per_m2": self.mg_per_m2.to_json(),
            "contributions": [c.to_json() for c in self.contributions],
            "status": self.status,
            "flags": [f.to_json() for f in self.flags],
        }
