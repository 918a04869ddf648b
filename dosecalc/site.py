"""Site defaults: the ward's own choices, kept in one JSON file (see :func:`site_settings_path`).

A site changes the closure country, the maximum rounding deviation, the creatinine floor, the GFR cap,
the 24-hour contact number printed on calendars, the database URL and (in the file) the plausibility
ranges. The file holds only what the site changed; everything else is the shipped default, so a
screen can say which values are defaults. Each value is checked by the same parser the command line
uses, when the file is read, and a bad file is refused with the file and the field named.

>>> settings = SiteSettings(gfr_cap="100 mL/min")
>>> settings.changed()
('gfr_cap',)
>>> settings.policy().max_deviation
Decimal('0.05')
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from dosecalc.errors import DoseCalcError, InputError
from dosecalc.install import installed_site_settings
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits

__all__ = [
    "LABELS",
    "SCHEMA_VERSION",
    "SiteSettings",
    "load_site_settings",
    "save_site_settings",
    "site_settings_from",
    "site_settings_path",
]

SCHEMA_VERSION = 1
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{2,30}")

#: What each setting is, as a settings screen labels it.
LABELS = {
    "closures": "Clinic closures (public holidays of)",
    "max_deviation": "Rounding: maximum deviation",
    "creatinine_floor": "Creatinine floor",
    "gfr_cap": "GFR cap (carboplatin)",
    "contact_number": "24-hour contact number (printed on calendars)",
    "database_url": "Database URL",
}


#: A site settings file named explicitly (an installer's read-only site folder; the test suite).
SITE_SETTINGS_VARIABLE = "DOSECALC_SITE_SETTINGS"


def site_settings_path() -> Path:
    """Where the site settings are read and written.

    ``DOSECALC_SITE_SETTINGS`` if set; else, in an installed bundle with a site folder, ``site/site.json``
    beside the programs (:mod:`dosecalc.install`: the ward's file, which only an administrator can change,
    so one user cannot change another's rounding or database); else ``site.json`` in the user's
    configuration folder.
    """
    named = os.environ.get(SITE_SETTINGS_VARIABLE)
    if named:
        return Path(named)
    installed = installed_site_settings()
    if installed is not None:
        return installed
    return Path(platformdirs.user_config_dir("DoseCalc", appauthor=False)) / "site.json"


def _checked(parse: Any, value: str) -> str:
    try:
        parse(value)
    except DoseCalcError as error:
        raise ValueError(error.message) from None
    return value.strip()


class SiteSettings(BaseModel):
    """The site's defaults, as the text the site wrote; each is parsed by the core parser when set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    closures: str = "CN"
    max_deviation: str = "5%"
    creatinine_floor: str = "none"
    gfr_cap: str = "125 mL/min"
    contact_number: str = ""
    database_url: str = ""
    #: Infusion bags the pharmacy stocks, and ambulatory pump rates (fixed-rate devices, preferred first).
    bag_sizes: str = "50 mL, 100 mL, 250 mL, 500 mL, 1000 mL"
    pump_rates: str = "5 mL/h, 2 mL/h"
    plausibility: PlausibilityLimits = DEFAULT_LIMITS

    @field_validator("closures")
    @classmethod
    def _closures(cls, value: str) -> str:
        from dosecalc.schedule.clinic import clinic_calendar

        return _checked(clinic_calendar, value)

    @field_validator("max_deviation")
    @classmethod
    def _max_deviation(cls, value: str) -> str:
        from dosecalc.rounding import parse_max_deviation

        return _checked(parse_max_deviation, value)

    @field_validator("creatinine_floor")
    @classmethod
    def _creatinine_floor(cls, value: str) -> str:
        from dosecalc.renal import parse_creatinine_floor

        return _checked(parse_creatinine_floor, value)

    @field_validator("gfr_cap")
    @classmethod
    def _gfr_cap(cls, value: str) -> str:
        from dosecalc.carboplatin import parse_gfr_cap

        return _checked(parse_gfr_cap, value)

    @field_validator("contact_number")
    @classmethod
    def _contact_number(cls, value: str) -> str:
        if value.strip() and not _PHONE.fullmatch(value.strip()):
            raise ValueError(f"{value!r} is not a telephone number; expected digits, e.g. +86 25 1234 5678")
        return value.strip()

    @field_validator("bag_sizes", "pump_rates")
    @classmethod
    def _preparation(cls, value: str, info: Any) -> str:
        from dosecalc.preparation import PreparationSettings

        bags, rates = (value, "5 mL/h") if info.field_name == "bag_sizes" else ("100 mL", value)
        return _checked(lambda _: PreparationSettings.parse(bags, rates), value)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from dosecalc.store.db import resolve_url

        return _checked(resolve_url, value) if value.strip() else ""

    def changed(self) -> tuple[str, ...]:
        """The settings the site changed from the shipped defaults, in declaration order."""
        defaults = SiteSettings()
        return tuple(name for name in type(self).model_fields if getattr(self, name) != getattr(defaults, name))

    def policy(self) -> Any:
        """The dosing policy these settings give (:class:`dosecalc.order.DosingPolicy`)."""
        from dosecalc.carboplatin import parse_gfr_cap
        from dosecalc.order import DEFAULT_POLICY
        from dosecalc.renal import parse_creatinine_floor
        from dosecalc.rounding import parse_max_deviation

        return DEFAULT_POLICY.model_copy(
            update={
                "max_deviation": parse_max_deviation(self.max_deviation, self.plausibility),
                "creatinine_floor": parse_creatinine_floor(self.creatinine_floor, self.plausibility),
                "gfr_cap": parse_gfr_cap(self.gfr_cap, self.plausibility),
            }
        )

    def preparation(self) -> Any:
        """Bag sizes and pump rates for preparation (:class:`dosecalc.preparation.PreparationSettings`)."""
        from dosecalc.preparation import PreparationSettings

        return PreparationSettings.parse(self.bag_sizes, self.pump_rates)

    def clinic(self) -> Any:
        """The clinic calendar for closures (:class:`dosecalc.schedule.clinic.ClinicCalendar`)."""
        from dosecalc.schedule.clinic import clinic_calendar

        return clinic_calendar(self.closures)


def _refusal(path: Path | str, error: ValidationError) -> InputError:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(file)"
    message = str(first["msg"]).removeprefix("Value error, ")
    return InputError(
        "site-settings",
        f"{path}: {where}",
        message,
        expected="a value the settings screen accepts",
        params={"setting": where},
    )


def site_settings_from(values: dict[str, Any], origin: Path | str = "settings") -> SiteSettings:
    """Settings from a mapping (a screen's fields or a file); a bad value is refused naming the field."""
    try:
        return SiteSettings.model_validate(values)
    except ValidationError as error:
        raise _refusal(origin, error) from None


def load_site_settings(path: Path | None = None) -> SiteSettings:
    """The site's settings from ``path`` (default :func:`site_settings_path`); the defaults if there is no file."""
    path = path or site_settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SiteSettings()
    except OSError as error:
        raise InputError("site-settings", str(path), f"cannot be read: {error.strerror or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError("site-settings", str(path), f"is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.pop("schema_version", None) != SCHEMA_VERSION:
        raise InputError(
            "site-settings", str(path), "has no schema_version this DoseCalc reads", expected=f"{SCHEMA_VERSION}"
        )
    return site_settings_from(data, path)


def save_site_settings(settings: SiteSettings, path: Path | None = None) -> Path:
    """Write only what differs from the defaults, atomically (a crash never leaves half a file)."""
    path = path or site_settings_path()
    content = {"schema_version": SCHEMA_VERSION, **settings.model_dump(mode="json", exclude_defaults=True)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        raise InputError("site-settings", str(path), f"cannot be written: {error.strerror or error}") from None
    return path
