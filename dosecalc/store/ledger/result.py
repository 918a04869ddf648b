"""What a patient's ledger is: the totals, radiotherapy sums, PD-1 bounds, checks and projected plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dosecalc.derivation import Flag
from dosecalc.ledger import (
    DrugTotal,
    Freshness,
    LabCheck,
    Pd1Bound,
    PlannedDose,
    SiteSum,
    WeightChange,
    status_of,
)

__all__ = ["PatientLedger", "PlanProjection"]


@dataclass(frozen=True, slots=True)
class PlanProjection:
    """What an active plan still has planned from the ledger date."""

    plan_id: int
    regimen_id: str
    regimen_version: str
    planned: tuple[PlannedDose, ...]
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "regimen_id": self.regimen_id,
            "regimen_version": self.regimen_version,
            "planned_doses": len(self.planned),
            "next_on": min(d.on for d in self.planned).isoformat() if self.planned else None,
            "flags": [f.to_json() for f in self.flags],
        }


@dataclass(frozen=True, slots=True)
class PatientLedger:
    """The ledger of one patient on one date, and every flag it raises (blocks first)."""

    patient_id: int
    hospital_number: str
    on: dt.date
    drugs: tuple[DrugTotal, ...]
    radiotherapy: tuple[SiteSum, ...]
    pd1: Pd1Bound | None
    staleness: tuple[Freshness, ...]
    weight_change: WeightChange | None
    day1: LabCheck
    plans: tuple[PlanProjection, ...]
    planned: tuple[PlannedDose, ...]
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        """``block``, ``warning`` or ``ok``."""
        return status_of(self.flags)

    @property
    def blocked(self) -> bool:
        return self.status == "block"

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (dates as ISO text, numbers as floats rounded to 6 places)."""
        return {
            "patient": {"id": self.patient_id, "hospital_number": self.hospital_number},
            "on": self.on.isoformat(),
            "status": self.status,
            "drugs": [d.to_json() for d in self.drugs],
            "radiotherapy": [s.to_json() for s in self.radiotherapy],
            "pd1": self.pd1.to_json() if self.pd1 else None,
            "staleness": [f.to_json() for f in self.staleness],
            "weight_change": self.weight_change.to_json() if self.weight_change else None,
            "day1_labs": self.day1.to_json(),
            "plans": [p.to_json() for p in self.plans],
            "planned": [d.to_json() for d in self.planned],
            "flags": [f.to_json() for f in self.flags],
        }
