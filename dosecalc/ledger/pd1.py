"""The PD-1 inhibitor bound: a limit in months or cycles counted from the first dose."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.ledger.flags import _date, status_of
from dosecalc.regimen.model import Drug

__all__ = ["Pd1Bound", "is_pd1", "pd1_bound"]


def is_pd1(drug: Drug | None) -> bool:
    """An anti-PD-1 antibody by its catalogue class (as the plan computation decides it).

    >>> from dosecalc.regimen.loader import load_library
    >>> catalogue = load_library().catalogue
    >>> is_pd1(catalogue.get("sintilimab")), is_pd1(catalogue.get("ipilimumab")), is_pd1(None)
    (True, False, False)
    """
    return drug is not None and "PD-1" in drug.drug_class


@dataclass(frozen=True, slots=True)
class Pd1Bound:
    """Time and cycles since the first PD-1 dose against the regimen's bound."""

    first_dose: dt.date | None
    on: dt.date
    cycles_given: int
    months: int | None
    max_cycles: int | None
    warn_months: int | None
    warn_cycles: int | None
    stop_date: dt.date | None  # first dose + months: no PD-1 dose on or after it
    elapsed_months: int
    elapsed_days: int
    source: str | None
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        return status_of(self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "first_dose": self.first_dose.isoformat() if self.first_dose else None,
            "on": self.on.isoformat(),
            "cycles_given": self.cycles_given,
            "months": self.months,
            "max_cycles": self.max_cycles,
            "warn_months": self.warn_months,
            "warn_cycles": self.warn_cycles,
            "stop_date": self.stop_date.isoformat() if self.stop_date else None,
            "elapsed": {"months": self.elapsed_months, "days": self.elapsed_days},
            "source": self.source,
            "status": self.status,
            "flags": [f.to_json() for f in self.flags],
        }


def pd1_bound(
    first_dose_date: dt.date | None,
    cycles_given: int,
    on: dt.date,
    months: int | None = 24,
    max_cycles: int | None = None,
    *,
    warn_months: int | None = None,
    warn_cycles: int | None = None,
    source: str | None = None,
) -> Pd1Bound:
    """Months (calendar months, ``relativedelta``) and cycles since the first PD-1 dose, against the bound.

    A dose on or after first dose + ``months`` blocks, as :func:`~dosecalc.schedule.plan.compute_plan`
    stops the phase there; ``max_cycles`` given cycles block another. Warnings come ``warn_months``
    (default: 3 months before the bound) or ``warn_cycles`` (default: 4 cycles before) earlier, as the
    catalogue's PD-1 entries set them (drugs.toml: warn at 21 of 24 months, 31 of 35 cycles).

    Sources: ORIENT-15 (BMJ 2022;377:e068714) sintilimab at most 24 months; KEYNOTE-590 / label up to
    35 cycles (clinical-reference §6; 2 years is a trial convention, [P]).

    >>> bound = pd1_bound(dt.date(2025, 1, 1), 34, dt.date(2026, 12, 30))
    >>> bound.elapsed_months, bound.elapsed_days, bound.stop_date, bound.status
    (23, 29, datetime.date(2027, 1, 1), 'warning')
    >>> pd1_bound(dt.date(2025, 1, 1), 34, dt.date(2027, 1, 1)).status
    'block'
    """
    if cycles_given < 0:
        raise InputError("cycles", cycles_given, "cannot be negative", expected="0 or more cycles given")
    if warn_months is None and months is not None:
        warn_months = max(months - 3, 0)
    if warn_cycles is None and max_cycles is not None:
        warn_cycles = max(max_cycles - 4, 0)
    flags: list[Flag] = []
    stop_date = None
    elapsed = relativedelta(months=0)
    if first_dose_date is not None:
        if on >= first_dose_date:
            elapsed = relativedelta(on, first_dose_date)
        since = f"since the first PD-1 dose on {_date(first_dose_date)}"
        elapsed_text = f"{elapsed.years * 12 + elapsed.months} months {elapsed.days} days"
        params: dict[str, Any] = {
            "first_dose": first_dose_date.isoformat(),
            "on": on.isoformat(),
            "elapsed_months": elapsed.years * 12 + elapsed.months,
            "elapsed_days": elapsed.days,
            "cycles_given": cycles_given,
            "source": source or "",
        }
        if months is not None:
            stop_date = first_dose_date + relativedelta(months=months)
            if on >= stop_date:
                flags.append(
                    Flag(
                        "pd1.months_reached",
                        Severity.BLOCK,
                        f"{elapsed_text} {since}: the bound of {months} months ended on "
                        f"{_date(stop_date)} ({source or 'regimen bound'})",
                        {**params, "months": months, "stop_date": stop_date.isoformat()},
                    )
                )
            elif warn_months is not None and on >= first_dose_date + relativedelta(months=warn_months):
                flags.append(
                    Flag(
                        "pd1.months_near",
                        Severity.WARNING,
                        f"{elapsed_text} {since}: the bound of {months} months ends on "
                        f"{_date(stop_date)} ({source or 'regimen bound'})",
                        {**params, "months": months, "stop_date": stop_date.isoformat()},
                    )
                )
        if max_cycles is not None:
            if cycles_given >= max_cycles:
                flags.append(
                    Flag(
                        "pd1.cycles_reached",
                        Severity.BLOCK,
                        f"{cycles_given} PD-1 cycles given {since}: the bound is {max_cycles} cycles "
                        f"({source or 'regimen bound'})",
                        {**params, "max_cycles": max_cycles},
                    )
                )
            elif warn_cycles is not None and cycles_given >= warn_cycles:
                flags.append(
                    Flag(
                        "pd1.cycles_near",
                        Severity.WARNING,
                        f"{cycles_given} PD-1 cycles given {since}: the bound is {max_cycles} cycles "
                        f"({source or 'regimen bound'})",
                        {**params, "max_cycles": max_cycles},
                    )
                )
    return Pd1Bound(
        first_dose_date,
        on,
        cycles_given,
        months,
        max_cycles,
        warn_months,
        warn_cycles,
        stop_date,
        elapsed.years * 12 + elapsed.months,
        elapsed.days,
        source,
        tuple(flags),
    )
