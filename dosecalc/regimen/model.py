"""Regimen and drug-catalogue files as validated, frozen models (schema version 1).

Regimens are data (conventions §5): TOML files under ``regimens/``, read with
the standard library and validated here. Quantities are written as text
(``"75 mg/m**2"``, ``"45 Gy"``) and their dimension is checked at load, not at
use. Unknown keys are errors: a misspelt key must never fall back to a default.

A value taken from memory rather than from the primary source is marked
``confirmed = false`` (with a ``note``); the mark travels into every dose line
computed from it, so the screen, the printout and the CLI show it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from dosecalc.display import format_number, format_quantity
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

__all__ = [
    "SCHEMA_VERSION",
    "Administration",
    "BasisKind",
    "Catalogue",
    "ChoiceGroup",
    "ChoiceOption",
    "ConcentrationRange",
    "CumulativeLimit",
    "Diluents",
    "Dose",
    "Drug",
    "DrugLine",
    "Duration",
    "LocalIntervention",
    "Phase",
    "PhaseStart",
    "Preparation",
    "Radiotherapy",
    "Reconstitution",
    "Regimen",
    "Route",
    "Solution",
    "Source",
    "Stability",
    "Status",
    "Strength",
    "Text",
    "WeightRule",
]

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


class Dose(_Model):
    """A dose: basis and amount. ``amount`` is text with its unit, except AUC (a number in mg/mL·min)."""

    basis: BasisKind
    amount: str | float
    confirmed: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _amount_matches_basis(self) -> Dose:
        if self.basis is BasisKind.AUC:
            if isinstance(self.amount, str) or not 1 <= float(self.amount) <= 10:
                raise ValueError(f"an AUC dose is a number in mg/mL·min, 1–10; got {self.amount!r}")
            return self
        if not isinstance(self.amount, str):
            raise ValueError(f"amount needs its unit, e.g. '75 mg/m**2'; got {self.amount!r}")
        try:
            quantity = parse_quantity(self.amount, "amount", DOSE_BASIS)
        except Exception as error:
            raise ValueError(getattr(error, "message", str(error))) from None
        units = quantity.units._units
        expected = {
            BasisKind.PER_M2: "per m2",
            BasisKind.PER_KG: "per kg",
            BasisKind.FLAT: "mass",
            BasisKind.ORAL_FIXED: "mass",
        }[self.basis]
        shape = "per kg" if "kilogram" in units else ("per m2" if "meter" in units else "mass")
        if shape != expected:
            raise ValueError(f"basis {self.basis.value!r} does not match the amount {self.amount!r}")
        if quantity.magnitude <= 0:
            raise ValueError(f"amount must be greater than zero, got {self.amount!r}")
        return self

    def text(self) -> str:
        """``175 mg/m²``, ``AUC 2``: as the screen and the printouts show it."""
        if self.basis is BasisKind.AUC:
            return f"AUC {format_number(float(self.amount))}"
        return format_quantity(parse_quantity(self.amount, "amount", DOSE_BASIS))


class WeightRule(_Model):
    """A per-drug weight rule, e.g. sintilimab 3 mg/kg below 60 kg (ORIENT-15)."""

    below: WeightText
    dose: Dose
    source: str | None = None


class DrugLine(_Model):
    drug: Identifier
    dose: Dose
    days: list[int] | str = Field(description="[1], [1, 8] or '1-14'")
    route: Route
    infusion: DurationText | None = None
    order: int = Field(ge=1, le=50)
    choice: str | None = Field(default=None, description="'group=option' when this line is one option of a group")
    dose_levels: list[DoseText | float] = Field(default_factory=list)
    weight_rule: WeightRule | None = None
    premedication: list[str] = Field(default_factory=list)
    supportive: list[str] = Field(default_factory=list)
    cycles: list[int] | None = Field(default=None, description="only these cycles of the phase (default: all)")
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> DrugLine:
        self.day_list()  # raises on a bad day specification
        if self.choice is not None and not re.fullmatch(r"[a-z0-9.-]+=[a-z0-9.-]+", self.choice):
            raise ValueError(f"@choice: must read 'group=option', got {self.choice!r}")
        if self.route is Route.ORAL and self.infusion is not None:
            raise ValueError("@infusion: an oral line has no infusion duration")
        return self

    def day_list(self) -> tuple[int, ...]:
        if isinstance(self.days, str):
            match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", self.days)
            if match is None:
                raise ValueError(f"@days: days must be a list such as [1, 8] or a range '1-14', got {self.days!r}")
            first, last = int(match.group(1)), int(match.group(2))
            if not 1 <= first <= last:
                raise ValueError(f"@days: day range {self.days!r} must run forwards from day 1 or later")
            return tuple(range(first, last + 1))
        if not self.days:
            raise ValueError("@days: days must name at least one day")
        if sorted(set(self.days)) != list(self.days) or self.days[0] < 1:
            raise ValueError(f"@days: days must be increasing, distinct and from day 1, got {self.days!r}")
        return tuple(self.days)

    @property
    def choice_pair(self) -> tuple[str, str] | None:
        if self.choice is None:
            return None
        group, option = self.choice.split("=")
        return group, option


class Radiotherapy(_Model):
    total: GrayText
    fractions: int = Field(ge=1, le=100)
    fractions_per_week: int = Field(default=5, ge=1, le=7)
    weekdays_only: bool = True
    choice: str | None = None


class LocalIntervention(_Model):
    kinds: list[Literal["radiotherapy", "surgery", "ablation"]] = Field(min_length=1)
    max_lesions: int = Field(ge=1, le=20)
    note: str | None = None


class ChoiceOption(_Model):
    id: Identifier
    name: Text


class ChoiceGroup(_Model):
    id: Identifier
    name: Text
    options: list[ChoiceOption] = Field(min_length=1)
    optional: bool = Field(default=False, description="the group may be left out entirely (e.g. no chemotherapy)")

    @model_validator(mode="after")
    def _unique(self) -> ChoiceGroup:
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"choice group {self.id!r} lists an option twice")
        return self


class PhaseStart(_Model):
    after: Literal["previous", "start"] = "previous"
    on_event: Literal["progression", "recurrence"] | None = None
    optional: bool = False


class Duration(_Model):
    """A bound on a phase: cycles, months from an anchor, or both ("whichever comes first")."""

    max_cycles: int | None = Field(default=None, ge=1, le=200)
    months: int | None = Field(default=None, ge=1, le=120)
    anchor: Literal["phase-first-dose", "first-pd1-dose"] | None = None

    @model_validator(mode="after")
    def _something(self) -> Duration:
        if self.max_cycles is None and self.months is None:
            raise ValueError("a duration needs max_cycles, months, or both")
        if (self.months is None) != (self.anchor is None):
            raise ValueError("months and anchor go together")
        return self


class Phase(_Model):
    id: Identifier
    name: Text
    cycle_length_days: int = Field(ge=1, le=84)
    cycles: int | None = Field(default=None, ge=1, le=200)
    duration: Duration | None = None
    start: PhaseStart = PhaseStart()
    drugs: list[DrugLine] = Field(default_factory=list)
    radiotherapy: list[Radiotherapy] = Field(default_factory=list)
    local_interventions: LocalIntervention | None = None
    response_assessment_every_cycles: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _bounded(self) -> Phase:
        if (self.cycles is None) == (self.duration is None):
            raise ValueError("@cycles: give exactly one of cycles or duration")
        if not self.drugs and not self.radiotherapy and self.local_interventions is None:
            raise ValueError("a phase needs drugs, radiotherapy or local interventions")
        orders = [d.order for d in self.drugs]
        if len(orders) != len(set(orders)):
            raise ValueError("@drugs: two drug lines share an order of administration")
        return self


class Regimen(_Model):
    schema_version: Literal[1]
    id: Identifier
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    status: Status
    review_date: dt.date
    name: Text
    indication: str = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    choice_groups: list[ChoiceGroup] = Field(default_factory=list)
    phases: list[Phase] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Regimen:
        phase_ids = [p.id for p in self.phases]
        if len(phase_ids) != len(set(phase_ids)):
            raise ValueError("two phases share an id")
        groups = {g.id: {o.id for o in g.options} for g in self.choice_groups}
        if len(groups) != len(self.choice_groups):
            raise ValueError("two choice groups share an id")
        used: set[str] = set()
        for phase in self.phases:
            places = [(f"drugs.{d.drug}", d.choice) for d in phase.drugs]
            places += [(f"radiotherapy.{index}", r.choice) for index, r in enumerate(phase.radiotherapy)]
            for place, choice in places:
                if choice is None:
                    continue
                group, option = choice.split("=")
                where = f"@phases.{phase.id}.{place}.choice: "
                if group not in groups:
                    raise ValueError(f"{where}choice group {group!r} is not declared in choice_groups")
                if option not in groups[group]:
                    raise ValueError(f"{where}{option!r} is not an option of group {group!r}")
                used.add(group)
        unused = sorted(set(groups) - used)
        if unused:
            raise ValueError(f"@choice_groups.{unused[0]}: is declared but no line uses it")
        return self

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(phase_id)

    @property
    def unconfirmed(self) -> bool:
        return any(
            not d.dose.confirmed or (d.weight_rule is not None and not d.weight_rule.dose.confirmed)
            for p in self.phases
            for d in p.drugs
        )


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
