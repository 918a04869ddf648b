"""A regimen file: phases, drug lines with their doses and rules, choices, durations, radiotherapy."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, model_validator

from dosecalc.display import format_number, format_quantity
from dosecalc.regimen.model.fields import (
    BasisKind,
    DoseText,
    DurationText,
    GrayText,
    Identifier,
    Route,
    Source,
    Status,
    Text,
    WeightText,
    _Model,
)
from dosecalc.units import (
    DOSE_BASIS,
    parse_quantity,
)

__all__ = [
    "ChoiceGroup",
    "ChoiceOption",
    "Dose",
    "DrugLine",
    "Duration",
    "LocalIntervention",
    "Phase",
    "PhaseStart",
    "Radiotherapy",
    "Regimen",
    "WeightRule",
]


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
