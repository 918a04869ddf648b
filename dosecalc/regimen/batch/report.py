"""What a batch re-check returns: per-line and per-order results, totals, and their JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from dosecalc.derivation import Flag, Severity

__all__ = ["BatchReport", "BatchTotals", "LineCheck", "OrderCheck"]


_HUNDRED = Decimal(100)

Status = Literal["ok", "differs", "error"]


@dataclass(frozen=True, slots=True)
class LineCheck:
    """One drug line of an order: the recomputed dose and how the prescribed dose compares.

    ``calculated_mg``, ``final_mg`` and ``per_cycle_mg`` are None only for a drug that was
    prescribed but is not part of the order. ``within_tolerance`` is None when no dose
    was prescribed for the line (nothing to compare).
    """

    drug: str
    display: str
    days: int
    calculated_mg: float | None
    final_mg: float | None
    per_cycle_mg: float | None
    prescribed_mg: Decimal | None
    difference_percent: Decimal | None  # (prescribed − final) / final × 100, rounded to 0.01 for display
    within_tolerance: bool | None
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "display": self.display,
            "days": self.days,
            "calculated": _mg_json(self.calculated_mg),
            "final": _mg_json(self.final_mg),
            "per_cycle": _mg_json(self.per_cycle_mg),
            "prescribed": _mg_json(self.prescribed_mg),
            "difference_percent": None if self.difference_percent is None else float(self.difference_percent),
            "within_tolerance": self.within_tolerance,
            "flags": [f.to_json() for f in self.flags],
        }


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """One CSV row: the re-checked order, or the error that stopped it (``error`` is ``field: message``)."""

    line: int
    order_id: str
    patient_id: str | None = None
    regimen_id: str | None = None
    regimen_version: str | None = None
    phase: str | None = None
    cycle: int | None = None
    choices: Mapping[str, str] | None = None
    lines: tuple[LineCheck, ...] = ()
    order_flags: tuple[Flag, ...] = ()  # flags about the whole order (not already on one of its lines)
    error: str | None = None
    error_field: str | None = None

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Every flag of the order: the order's own, then each line's, each once."""
        return tuple(dict.fromkeys(self.order_flags + tuple(f for line in self.lines for f in line.flags)))

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.flags)

    @property
    def status(self) -> Status:
        if self.error is not None:
            return "error"
        if any(line.within_tolerance is False for line in self.lines):
            return "differs"
        return "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "order_id": self.order_id,
            "patient_id": self.patient_id,
            "status": self.status,
            "blocked": self.blocked,
            "error": self.error,
            "error_field": self.error_field,
            "regimen": None if self.regimen_id is None else {"id": self.regimen_id, "version": self.regimen_version},
            "phase": self.phase,
            "cycle": self.cycle,
            "choices": None if self.choices is None else dict(self.choices),
            "lines": [line.to_json() for line in self.lines],
            "flags": [f.to_json() for f in self.order_flags],
        }


@dataclass(frozen=True, slots=True)
class BatchTotals:
    """``orders`` = ``ok`` + ``differences`` + ``errors``; ``blocked`` counts re-checked orders with a BLOCK flag."""

    orders: int
    ok: int
    differences: int
    errors: int
    blocked: int

    def to_json(self) -> dict[str, int]:
        return {
            "orders": self.orders,
            "ok": self.ok,
            "differences": self.differences,
            "errors": self.errors,
            "blocked": self.blocked,
        }


@dataclass(frozen=True, slots=True)
class BatchReport:
    rows: tuple[OrderCheck, ...]
    totals: BatchTotals
    tolerance: Decimal
    library_problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "tolerance_percent": float(self.tolerance * _HUNDRED),
            "totals": self.totals.to_json(),
            "library_problems": list(self.library_problems),
            "rows": [row.to_json() for row in self.rows],
        }


def _mg_json(value: float | Decimal | None) -> dict[str, Any] | None:
    return None if value is None else {"value": float(value), "unit": "mg"}
