"""Patient measurements as frozen, validated models.

Each measurement is parsed from what a person typed (``"170 cm"``), checked
against the *refuse* tier of :class:`~dosecalc.settings.PlausibilityLimits`
(errors name the field and, for a likely unit slip, say what was probably
meant), and carries its measurement date and source (measured / stated /
estimated: ISMP advises against stated or estimated weights for dosing).

The *warn* tier is reported by :func:`patient_flags` and lands on derivations.

Pass site limits through pydantic's validation context:
``Height.model_validate({"value": "170 cm"}, context={"limits": limits})``, or
use the ``parse`` helpers.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from dosecalc.derivation import Flag, Input, Severity
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.inputs import check_range, positive_quantity
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import (
    CENTIMETRE,
    CREATININE,
    CREATININE_UMOL_PER_MG_DL,
    HEIGHT,
    KILOGRAM,
    UMOL_PER_L,
    WEIGHT,
    creatinine_in_mg_per_dl,
    magnitude_in,
    parse_number,
    parse_quantity,
)

__all__ = [
    "Height",
    "MeasurementSource",
    "Patient",
    "SerumCreatinine",
    "Sex",
    "Weight",
    "bmi_flags",
    "body_mass_index",
    "parse_age",
    "parse_sex",
    "patient_flags",
]


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class MeasurementSource(StrEnum):
    MEASURED = "measured"
    STATED = "stated"
    ESTIMATED = "estimated"


def _limits(info: ValidationInfo) -> PlausibilityLimits:
    context = info.context or {}
    limits = context.get("limits", DEFAULT_LIMITS)
    if not isinstance(limits, PlausibilityLimits):
        raise TypeError("validation context 'limits' must be a PlausibilityLimits")
    return limits


class _Measurement(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    value: Any
    measured_on: dt.date | None = None
    source: MeasurementSource = MeasurementSource.MEASURED

    field_name: ClassVar[str] = "measurement"

    @classmethod
    def parse(
        cls,
        text: object,
        *,
        measured_on: dt.date | None = None,
        source: MeasurementSource = MeasurementSource.MEASURED,
        limits: PlausibilityLimits = DEFAULT_LIMITS,
    ) -> Any:
        return cls.model_validate(
            {"value": text, "measured_on": measured_on, "source": source}, context={"limits": limits}
        )

    def as_input(self, name: str | None = None) -> Input:
        source = None if self.source is MeasurementSource.MEASURED else self.source.value
        return Input(name or self.field_name, self.value, source, self.measured_on)


class Height(_Measurement):
    """Height in cm or m. Refused outside 100–250 cm by default.

    >>> Height.parse("1.7 m").centimetres
    170.0
    """

    field_name: ClassVar[str] = "height"

    @field_validator("value", mode="before")
    @classmethod
    def _check(cls, value: object, info: ValidationInfo) -> Any:
        limits = _limits(info)
        quantity, cm = positive_quantity(
            value, "height", HEIGHT, CENTIMETRE, allow_imperial=limits.allow_imperial_units
        )
        refuse = limits.height_cm_refuse
        hint = ""
        shown = format_number(quantity.magnitude, 4)
        if cm < refuse.low and str(quantity.units) == "centimeter" and cm * 100 in refuse:
            hint = f"; did you mean {shown} m?"
        elif cm > refuse.high and cm / 10 in refuse:
            hint = f"; did you mean {shown} mm ({format_number(cm / 10, 1)} cm)?"
        check_range(cm, refuse, "height", value, "cm", "is implausible for an adult", hint)
        return quantity

    @property
    def centimetres(self) -> float:
        return magnitude_in(self.value, CENTIMETRE)


class Weight(_Measurement):
    """Actual body weight in kg or g. Refused outside 20–350 kg by default.

    >>> Weight.parse("65000 g").kilograms
    65.0
    """

    field_name: ClassVar[str] = "weight"

    @field_validator("value", mode="before")
    @classmethod
    def _check(cls, value: object, info: ValidationInfo) -> Any:
        limits = _limits(info)
        quantity, kg = positive_quantity(value, "weight", WEIGHT, KILOGRAM, allow_imperial=limits.allow_imperial_units)
        refuse = limits.weight_kg_refuse
        hint = ""
        if kg < refuse.low and str(quantity.units) == "gram" and kg * 1000 in refuse:
            hint = f"; did you mean {format_number(quantity.magnitude, 4)} kg?"
        elif (kg > refuse.high and kg / 10 in refuse) or (kg < refuse.low and kg * 10 in refuse):
            hint = "; check for a misplaced decimal point"
        check_range(kg, refuse, "weight", value, "kg", "is implausible for an adult", hint)
        return quantity

    @property
    def kilograms(self) -> float:
        return magnitude_in(self.value, KILOGRAM)


class SerumCreatinine(_Measurement):
    """Serum creatinine in mg/dL or µmol/L; the unit is required, never inferred.

    A value implausible for its unit but plausible for the other one is refused
    with a hint (medication-safety §3 #7–8):

    >>> SerumCreatinine.parse("80 mg/dL")
    Traceback (most recent call last):
    ...
    dosecalc.errors.ImplausibleValueError: creatinine: 80 mg/dL is implausible; did you mean 80 µmol/L?; expected ...
    """

    field_name: ClassVar[str] = "creatinine"

    @field_validator("value", mode="before")
    @classmethod
    def _check(cls, value: object, info: ValidationInfo) -> Any:
        limits = _limits(info)
        quantity = parse_quantity(value, "creatinine", CREATININE)
        mg_dl = creatinine_in_mg_per_dl(quantity)
        refuse = limits.creatinine_mg_dl_refuse
        if mg_dl <= 0:
            raise InputError(
                "creatinine",
                value,
                "must be greater than zero",
                expected=CREATININE.expected(),
                code="value.not_positive",
            )
        if mg_dl not in refuse:
            is_molar = quantity.units == UMOL_PER_L
            # The same number read in the other unit, as mg/dL.
            other = quantity.magnitude if is_molar else quantity.magnitude / CREATININE_UMOL_PER_MG_DL
            hint = ""
            if other in refuse:
                hint = f"; did you mean {format_number(quantity.magnitude, 4)} {'mg/dL' if is_molar else 'µmol/L'}?"
            low_molar = format_number(refuse.low * CREATININE_UMOL_PER_MG_DL, 0)
            high_molar = format_number(refuse.high * CREATININE_UMOL_PER_MG_DL, 0)
            raise ImplausibleValueError(
                "creatinine",
                value,
                f"is implausible{hint}",
                expected=f"{refuse.text('mg/dL')} ({low_molar}–{high_molar} µmol/L)",
                code="value.unit_slip" if hint else "value.implausible",
                params={"low": refuse.low, "high": refuse.high, "unit": "mg/dL"},
            )
        return quantity

    @property
    def mg_per_dl(self) -> float:
        return creatinine_in_mg_per_dl(self.value)


def parse_sex(value: object, field: str = "sex") -> Sex:
    """``female`` or ``male`` (also ``f``/``m``, 女/男); anything else is refused.

    >>> parse_sex("F")
    <Sex.FEMALE: 'female'>
    """
    if isinstance(value, Sex):
        return value
    expected = "female or male"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(field, value, "is required by this formula", expected=expected, code="value.missing")
    if not isinstance(value, str):
        raise InputError(field, value, "is not recognised", expected=expected, code="value.invalid")
    text = value.strip().lower()
    aliases = {"female": Sex.FEMALE, "f": Sex.FEMALE, "女": Sex.FEMALE, "male": Sex.MALE, "m": Sex.MALE, "男": Sex.MALE}
    if text not in aliases:
        raise InputError(field, value, "is not recognised", expected=expected, code="value.invalid")
    return aliases[text]


def parse_age(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS, field: str = "age") -> float:
    """Age in whole or decimal years; adult formulas refuse < 18 and > 120.

    >>> parse_age("65")
    65.0
    """
    expected = (
        f"an age in years, {format_number(limits.age_years_refuse.low)}–{format_number(limits.age_years_refuse.high)}"
    )
    years = parse_number(value, field, expected)
    if years <= 0:
        raise InputError(field, value, "must be greater than zero", expected=expected, code="value.not_positive")
    if years not in limits.age_years_refuse:
        reason = (
            "is below the adult range of these formulas" if years < limits.age_years_refuse.low else "is implausible"
        )
        raise ImplausibleValueError(
            field,
            value,
            reason,
            expected=expected,
            params={"low": limits.age_years_refuse.low, "high": limits.age_years_refuse.high},
        )
    return years


class Patient(BaseModel):
    """What the formulas need to know about a patient; every field optional until a formula needs it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    age_years: float | None = None
    sex: Sex | None = None
    height: Height | None = None
    weight: Weight | None = None
    creatinine: SerumCreatinine | None = None

    def require_height(self, purpose: str) -> Height:
        if self.height is None:
            raise InputError(
                "height", None, f"is required for {purpose}", expected=HEIGHT.expected(), code="value.missing"
            )
        return self.height

    def require_weight(self, purpose: str) -> Weight:
        if self.weight is None:
            raise InputError(
                "weight", None, f"is required for {purpose}", expected=WEIGHT.expected(), code="value.missing"
            )
        return self.weight

    def require_creatinine(self, purpose: str) -> SerumCreatinine:
        if self.creatinine is None:
            raise InputError(
                "creatinine", None, f"is required for {purpose}", expected=CREATININE.expected(), code="value.missing"
            )
        return self.creatinine

    def require_sex(self, purpose: str) -> Sex:
        if self.sex is None:
            raise InputError("sex", None, f"is required for {purpose}", expected="female or male", code="value.missing")
        return self.sex

    def require_age(self, purpose: str) -> float:
        if self.age_years is None:
            raise InputError(
                "age", None, f"is required for {purpose}", expected="an age in years", code="value.missing"
            )
        return self.age_years

    def source_flags(self) -> tuple[Flag, ...]:
        """Stated or estimated (not measured) values, which ISMP advises against for dosing."""
        flags = []
        for measurement in (self.height, self.weight, self.creatinine):
            if measurement is not None and measurement.source is not MeasurementSource.MEASURED:
                name = measurement.field_name
                flags.append(
                    Flag(
                        f"{name}.not_measured",
                        Severity.WARNING,
                        f"{name} is {measurement.source.value}, not measured; ISMP advises measured values for dosing",
                        {"field": name, "source": measurement.source.value},
                    )
                )
        return tuple(flags)


def body_mass_index(height: Height, weight: Weight) -> float:
    """BMI = weight (kg) / height (m)².

    >>> round(body_mass_index(Height.parse("170 cm"), Weight.parse("65 kg")), 1)
    22.5
    """
    metres = height.centimetres / 100
    return weight.kilograms / (metres * metres)


def patient_flags(patient: Patient, limits: PlausibilityLimits = DEFAULT_LIMITS) -> tuple[Flag, ...]:
    """The warn tier: unusual but possible values, and refused BMI (height/weight swapped)."""
    flags: list[Flag] = []
    if patient.age_years is not None and patient.age_years > limits.age_years_warn.high:
        flags.append(
            Flag(
                "age.above_warn",
                Severity.WARNING,
                f"age {format_number(patient.age_years)} years is above {format_number(limits.age_years_warn.high)}; "
                "check organ function and dosing policy",
                {"age": patient.age_years, "threshold": limits.age_years_warn.high},
            )
        )
    flags.extend(patient.source_flags())
    if patient.height is not None and patient.height.centimetres not in limits.height_cm_warn:
        flags.append(
            Flag(
                "height.unusual",
                Severity.WARNING,
                f"height {format_number(patient.height.centimetres, 1)} cm is unusual; confirm it was measured",
                {"height_cm": patient.height.centimetres},
            )
        )
    if patient.weight is not None and patient.weight.kilograms not in limits.weight_kg_warn:
        flags.append(
            Flag(
                "weight.unusual",
                Severity.WARNING,
                f"weight {format_number(patient.weight.kilograms, 1)} kg is unusual; confirm it was measured",
                {"weight_kg": patient.weight.kilograms},
            )
        )
    if patient.creatinine is not None and patient.creatinine.mg_per_dl not in limits.creatinine_mg_dl_warn:
        flags.append(
            Flag(
                "creatinine.unusual",
                Severity.WARNING,
                f"creatinine {format_number(patient.creatinine.mg_per_dl, 2)} mg/dL is outside "
                f"{limits.creatinine_mg_dl_warn.text('mg/dL')}; "
                "estimated clearance is unreliable there",
                {"creatinine_mg_dl": patient.creatinine.mg_per_dl, "range": limits.creatinine_mg_dl_warn.text("mg/dL")},
            )
        )
    if patient.height is not None and patient.weight is not None:
        flags.extend(bmi_flags(patient.height, patient.weight, limits))
    return tuple(flags)


def bmi_flags(height: Height, weight: Weight, limits: PlausibilityLimits = DEFAULT_LIMITS) -> tuple[Flag, ...]:
    """Refuse a BMI no adult has (height and weight swapped or mistyped); warn outside 16–40.

    medication-safety §3 #4: 70 cm and 175 kg (BMI 357) is a hard stop.
    """
    bmi = body_mass_index(height, weight)
    if bmi not in limits.bmi_refuse:
        raise ImplausibleValueError(
            "weight",
            f"BMI {format_number(bmi, 1)}",
            "is implausible for the height and weight given; are height and weight swapped or mistyped?",
            expected=f"BMI {limits.bmi_refuse.text('kg/m²')}",
            params={"bmi": bmi},
        )
    if bmi in limits.bmi_warn:
        return ()
    return (
        Flag(
            "bmi.unusual",
            Severity.WARNING,
            f"BMI {format_number(bmi, 1)} kg/m² is outside {limits.bmi_warn.text()}; "
            "confirm height and weight and the weight policy",
            {"bmi": bmi, "range": limits.bmi_warn.text()},
        ),
    )
