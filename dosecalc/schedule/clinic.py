"""When the clinic and the radiotherapy machine are open.

Public holidays come from the ``holidays`` package (country configurable, CN by
default, with an optional subdivision); China's adjusted weekend working days
(调休: a Saturday or Sunday made a working day to bridge a holiday) come from the
same package, and a site may add its own closure dates, working days and machine
downtime. Date-only arithmetic throughout: no time zones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

import holidays

from dosecalc.errors import InputError

__all__ = ["NO_CLOSURES", "ClinicCalendar", "MovePolicy", "clinic_calendar"]


class MovePolicy(StrEnum):
    """Where a treatment day that falls on a closure goes."""

    NEXT = "next"
    PREVIOUS = "previous"


@dataclass(frozen=True)
class ClinicCalendar:
    """Open days for chemotherapy (the day unit) and radiotherapy (the machine).

    ``country`` None means no public holidays (closures off); weekends are closed either way, except
    adjusted working days. Oral treatment at home is not moved by any closure.
    """

    country: str | None = "CN"
    subdivision: str | None = None
    site_closures: frozenset[dt.date] = frozenset()
    site_working_days: frozenset[dt.date] = frozenset()
    radiotherapy_downtime: frozenset[dt.date] = frozenset()
    move: MovePolicy = MovePolicy.NEXT
    weekends_closed: bool = True
    _cache: dict[dt.date, tuple[bool, str | None]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _holidays(self) -> Any:
        if self.country is None:
            return None
        try:
            return holidays.country_holidays(self.country, subdiv=self.subdivision)
        except NotImplementedError:
            raise InputError(
                "closures",
                self.country,
                "is not a country the holidays library knows",
                expected="an ISO country code such as CN, or none",
            ) from None
        except Exception as error:  # an unknown subdivision is reported the same way
            raise InputError(
                "closures", f"{self.country}-{self.subdivision}", str(error), expected="a subdivision of that country"
            ) from None

    def closure(self, day: dt.date) -> str | None:
        """Why the clinic is closed on ``day`` (a holiday's name, "weekend", "site closure"), or None if open."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached[1]
        reason = self._closure(day)
        self._cache[day] = (reason is None, reason)
        return reason

    def _closure(self, day: dt.date) -> str | None:
        if day in self.site_closures:
            return "site closure"
        if day in self.site_working_days:
            return None
        table = self._holidays
        if table is not None:
            name = table.get(day)
            if name:
                return str(name)
            if day in getattr(table, "weekend_workdays", ()):
                return None  # an adjusted working day (调休)
        if self.weekends_closed and day.weekday() >= 5:
            return "weekend"
        return None

    def is_open(self, day: dt.date) -> bool:
        return self.closure(day) is None

    def radiotherapy_closure(self, day: dt.date) -> str | None:
        if day in self.radiotherapy_downtime:
            return "radiotherapy machine downtime"
        return self.closure(day)

    def open_day(self, day: dt.date, *, radiotherapy: bool = False, move: MovePolicy | None = None) -> dt.date:
        """``day`` if open, else the next (or previous) open day by the move policy."""
        step = dt.timedelta(days=1 if (move or self.move) is MovePolicy.NEXT else -1)
        closed = self.radiotherapy_closure if radiotherapy else self.closure
        candidate = day
        for _ in range(60):  # the longest closure anywhere is far shorter; this only guards a bad site file
            if closed(candidate) is None:
                return candidate
            candidate += step
        raise InputError(
            "closures", day.isoformat(), "has no open day within 60 days", expected="a clinic calendar with open days"
        )


NO_CLOSURES = ClinicCalendar(country=None)


def clinic_calendar(
    value: str | None,
    *,
    subdivision: str | None = None,
    site_closures: Iterable[dt.date] = (),
    site_working_days: Iterable[dt.date] = (),
    radiotherapy_downtime: Iterable[dt.date] = (),
    move: MovePolicy = MovePolicy.NEXT,
) -> ClinicCalendar:
    """``"CN"`` (default), another country code, ``"CN-GD"`` with a subdivision, or ``"none"`` (no holidays)."""
    country: str | None
    if value is None:
        country = "CN"
    elif value.strip().lower() == "none":
        country = None
    else:
        country, _, sub = value.strip().upper().partition("-")
        subdivision = sub or subdivision
        if not country.isalpha() or len(country) not in (2, 3):
            raise InputError("closures", value, "is not a country code", expected="CN (default), CN-GD, or none")
    calendar = ClinicCalendar(
        country,
        subdivision,
        frozenset(site_closures),
        frozenset(site_working_days),
        frozenset(radiotherapy_downtime),
        move,
    )
    calendar._holidays  # noqa: B018  # resolve the country now, so a bad code is reported before planning
    return calendar
