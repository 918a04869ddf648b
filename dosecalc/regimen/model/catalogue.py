"""The drug catalogue: each drug's class, preparation facts (vials, diluents, stability) and cumulative limit."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from dosecalc.regimen.model.fields import ConcentrationText, HoursText, Identifier, MassText, VolumeText, _Model
from dosecalc.units import (
    CONCENTRATION,
    MASS_DOSE,
    VOLUME,
    parse_quantity,
)

__all__ = [
    "Administration",
    "Catalogue",
    "ConcentrationRange",
    "CumulativeLimit",
    "Diluents",
    "Drug",
    "Preparation",
    "Reconstitution",
    "Solution",
    "Stability",
    "Strength",
]


class Solution(StrEnum):
    """An infusion solution a drug may be diluted in (the catalogue names it; nothing else is accepted)."""

    SODIUM_CHLORIDE = "sodium chloride 0.9%"
    GLUCOSE = "glucose 5%"


class _Fact(_Model):
    """Product data from a label: unconfirmed (and shown so) until a site checks it against the label."""

    source: str = Field(min_length=1)
    confirmed: bool = False
    note: str | None = None


class Reconstitution(_Fact):
    """How a powder vial is dissolved: ``volume`` of ``liquid`` gives ``concentration``."""

    liquid: str = Field(min_length=1)
    volume: VolumeText
    concentration: ConcentrationText


class Strength(_Model):
    """A vial or tablet presentation; unconfirmed until a site formulary confirms it.

    ``volume`` is the vial's content (a solution); a powder vial has none until it is reconstituted.
    A multi-dose vial's remainder may be kept (within the label's in-use time); a single-use vial's
    remainder is waste.
    """

    amount: MassText
    volume: VolumeText | None = None
    concentration: ConcentrationText | None = Field(
        default=None, description="as the label states it, when amount ÷ volume is a rounded figure"
    )
    form: Literal["vial", "powder vial", "tablet", "capsule"]
    confirmed: bool = False
    multi_dose: bool = False
    reconstitution: Reconstitution | None = None

    @model_validator(mode="after")
    def _liquid_or_powder(self) -> Strength:
        if self.form == "powder vial" and (self.volume is not None or self.concentration is not None):
            raise ValueError("@volume: a powder vial has no volume; give its reconstitution")
        if self.reconstitution is not None and self.form != "powder vial":
            raise ValueError("@reconstitution: only a powder vial is reconstituted")
        if self.concentration is not None:
            if self.volume is None:
                raise ValueError("@concentration: give the vial's volume with its concentration")
            stated = parse_quantity(self.concentration, "concentration", CONCENTRATION).to("mg/mL").magnitude
            amount = parse_quantity(self.amount, "amount", MASS_DOSE).to("mg").magnitude
            volume = parse_quantity(self.volume, "volume", VOLUME).to("mL").magnitude
            if volume <= 0 or abs(amount / volume - stated) > 0.01 * stated:
                raise ValueError(
                    f"@concentration: {self.concentration} differs by more than 1 % from {self.amount} in {self.volume}"
                )
        return self


class Diluents(_Fact):
    """The solutions the drug may be diluted in, the preferred first."""

    allowed: list[Solution] = Field(min_length=1)


class ConcentrationRange(_Fact):
    """The final concentration (drug in its bag) within which the diluted product is stable."""

    min: ConcentrationText
    max: ConcentrationText

    @model_validator(mode="after")
    def _ordered(self) -> ConcentrationRange:
        low = parse_quantity(self.min, "min", CONCENTRATION).magnitude
        high = parse_quantity(self.max, "max", CONCENTRATION).magnitude
        if not 0 < low < high:
            raise ValueError(f"@max: the range must run upwards from above zero, got {self.min} to {self.max}")
        return self


class Administration(_Fact):
    """Container, set, filter, light protection and the usual infusion duration."""

    duration: HoursText | None = None
    container: str | None = Field(default=None, min_length=1, description="e.g. 'non-PVC bag or glass bottle'")
    administration_set: str | None = Field(default=None, min_length=1)
    filter: str | None = Field(default=None, min_length=1, description="e.g. '0.22 µm in-line filter'")
    protect_from_light: bool = False
    bolus: bool = Field(default=False, description="may be given undiluted as a bolus when a line has no duration")


class Stability(_Fact):
    """How long the prepared product may be used, and how it is kept meanwhile."""

    use_within: HoursText
    storage: str = Field(min_length=1)


class Preparation(_Model):
    """What a pharmacist needs to prepare the drug; every group carries its source and confirmation."""

    diluents: Diluents
    concentration: ConcentrationRange | None = None
    administration: Administration
    stability: Stability | None = None

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """The groups not yet confirmed against the label, e.g. ``("concentration", "stability")``."""
        groups = {
            "diluents": self.diluents,
            "concentration": self.concentration,
            "administration": self.administration,
            "stability": self.stability,
        }
        return tuple(name for name, fact in groups.items() if fact is not None and not fact.confirmed)


class CumulativeLimit(_Model):
    unit: Literal["mg/m2", "mg", "cycles", "months"]
    warn_at: float = Field(gt=0)
    limit: float | None = Field(default=None, gt=0)
    kind: Literal["label", "convention", "protocol"]
    counts: str = Field(min_length=1, description="what counts towards it")
    equivalents: dict[str, float] = Field(default_factory=dict)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> CumulativeLimit:
        if self.limit is not None and self.limit < self.warn_at:
            raise ValueError("limit must not be below warn_at")
        return self


class Drug(_Model):
    id: Identifier
    generic: str = Field(min_length=1)
    display: str = Field(min_length=1, description="tall-man form where ISMP lists one, else the generic name")
    zh: str = Field(min_length=1)
    drug_class: str = Field(min_length=1)
    strengths: list[Strength] = Field(default_factory=list)
    rounding_step: MassText | None = None
    max_single_dose: MassText | None = None
    max_single_dose_source: str | None = None
    cumulative: CumulativeLimit | None = None
    premedication: list[str] = Field(default_factory=list)
    oral: bool = Field(default=False, description="taken by mouth: dispensed, never prepared")
    preparation: Preparation | None = None
    note: str | None = None

    @property
    def flag_params(self) -> dict[str, str]:
        """How a flag names the drug: its id, with its display and Chinese names for the translated text."""
        return {"drug": self.id, "drug_display": self.display, "drug_zh": self.zh}

    @model_validator(mode="after")
    def _display_is_the_name(self) -> Drug:
        if self.display.lower() != self.generic.lower():
            raise ValueError(f"display {self.display!r} must be the generic name {self.generic!r} in tall man case")
        if (self.max_single_dose is None) != (self.max_single_dose_source is None):
            raise ValueError("max_single_dose and max_single_dose_source go together")
        if self.oral and self.preparation is not None:
            raise ValueError("@preparation: an oral drug is dispensed, not prepared")
        return self


class Catalogue(_Model):
    schema_version: Literal[1]
    drugs: list[Drug] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        ids = [d.id for d in self.drugs]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"drug id(s) listed twice: {duplicates}")
        return self

    def get(self, drug_id: str) -> Drug | None:
        for drug in self.drugs:
            if drug.id == drug_id:
                return drug
        return None
