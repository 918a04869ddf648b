"""What regimen and catalogue files share: the schema version, quantity-text fields, enums, text and sources."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from dosecalc.units import (
    BODY_SURFACE_AREA,
    CONCENTRATION,
    DOSE_BASIS,
    INFUSION_DURATION,
    MASS_DOSE,
    RADIATION_DOSE,
    VOLUME,
    WEIGHT,
    QuantityKind,
    parse_quantity,
)

__all__ = ["SCHEMA_VERSION", "BasisKind", "Route", "Source", "Status", "Text"]


SCHEMA_VERSION = 1

_ID = r"^[a-z0-9][a-z0-9.-]*$"

_MINUTES = QuantityKind("a duration", ("min", "h"), "30 min")


def _quantity_text(kind: QuantityKind) -> Any:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected {kind.expected()} as text, got {value!r}")
        try:
            parse_quantity(value, "value", kind)
        except Exception as error:  # re-raised as a pydantic error so the field path is kept
            message = getattr(error, "message", str(error))
            raise ValueError(message) from None
        return value

    return BeforeValidator(check)


DoseText = Annotated[str, _quantity_text(DOSE_BASIS)]

MassText = Annotated[str, _quantity_text(MASS_DOSE)]

WeightText = Annotated[str, _quantity_text(WEIGHT)]

GrayText = Annotated[str, _quantity_text(RADIATION_DOSE)]

DurationText = Annotated[str, _quantity_text(_MINUTES)]

AreaText = Annotated[str, _quantity_text(BODY_SURFACE_AREA)]

VolumeText = Annotated[str, _quantity_text(VOLUME)]

ConcentrationText = Annotated[str, _quantity_text(CONCENTRATION)]

HoursText = Annotated[str, _quantity_text(INFUSION_DURATION)]

Identifier = Annotated[str, Field(pattern=_ID, min_length=1, max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class Route(StrEnum):
    INTRAVENOUS = "intravenous"
    ORAL = "oral"
    HEPATIC_INTRA_ARTERIAL = "hepatic intra-arterial"


class BasisKind(StrEnum):
    PER_M2 = "mg/m2"
    PER_KG = "mg/kg"
    FLAT = "flat"
    AUC = "auc"
    ORAL_FIXED = "oral fixed"


class Text(_Model):
    """A name in English and Simplified Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Source(_Model):
    """A trial registry id, paper or label the regimen (or one of its values) comes from."""

    id: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    url: str | None = None
