"""A dose from its basis: mg/m² × BSA, mg/kg × weight, or a flat mg dose.

Each result keeps the calculated dose (full precision), the final dose after
rounding, the % difference, the dose per cycle when the dose is given on several
days, and the whole derivation. A BSA cap is an explicit, opt-in policy: ASCO
2021 (Griggs et al., J Clin Oncol 2021;39:2037) recommends full weight-based
dosing in obese patients. A dose modification is a percentage of the reference
dose with a required reason (medication-safety D5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dosecalc.bsa import BsaResult
from dosecalc.derivation import Derivation, Flag, Input, Severity, Step
from dosecalc.display import display_unit, format_number
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.inputs import optional_policy_quantity, parse_percent
from dosecalc.patient import Weight
from dosecalc.rounding import RoundingOutcome, RoundingRule, round_dose
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import (
    BODY_SURFACE_AREA,
    DOSE_BASIS,
    KILOGRAM,
    MG_PER_KG,
    MG_PER_M2,
    MILLIGRAM,
    SQUARE_METRE,
    magnitude_in,
    make_quantity,
    parse_number,
    parse_quantity,
)

__all__ = [
    "BasisKind",
    "DoseBasis",
    "DoseModification",
    "DoseResult",
    "calculate_dose",
    "parse_bsa_cap",
    "parse_days",
    "parse_dose_basis",
]


class BasisKind(StrEnum):
    PER_M2 = "mg/m²"
    PER_KG = "mg/kg"
    FLAT = "mg"


@dataclass(frozen=True, slots=True)
class DoseBasis:
    """What the protocol prescribes, e.g. 75 mg/m², 3 mg/kg or 200 mg, normalised to mg units."""

    kind: BasisKind
    amount: Any  # Quantity in mg/m², mg/kg or mg

    @property
    def magnitude(self) -> float:
        return float(self.amount.magnitude)


_KIND_BY_CONTAINER = {
    MG_PER_M2._units: BasisKind.PER_M2,
    MG_PER_KG._units: BasisKind.PER_KG,
    MILLIGRAM._units: BasisKind.FLAT,
}
_UNIT_BY_KIND = {BasisKind.PER_M2: MG_PER_M2, BasisKind.PER_KG: MG_PER_KG, BasisKind.FLAT: MILLIGRAM}


def parse_dose_basis(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS, field: str = "dose") -> DoseBasis:
    """``"75 mg/m**2"``, ``"75 mg/m²"``, ``"3 mg/kg"``, ``"200 mg"`` or ``"1 g/m**2"``.

    >>> parse_dose_basis("1 g/m²")
    DoseBasis(kind=<BasisKind.PER_M2: 'mg/m²'>, amount=<Quantity(1000.0, 'milligram / meter ** 2')>)
    """
    quantity = parse_quantity(value, field, DOSE_BASIS)
    units = quantity.units
    # mg/kg is dimensionless to pint, so the kind is decided by the unit's shape, not its dimension.
    if "kilogram" in units._units:
        kind = BasisKind.PER_KG
    elif units.dimensionality == MG_PER_M2.dimensionality:
        kind = BasisKind.PER_M2
    else:
        kind = BasisKind.FLAT
    unit = _UNIT_BY_KIND[kind]
    amount = magnitude_in(quantity, unit)
    if amount <= 0:
        raise InputError(
            field, value, "must be greater than zero", expected=DOSE_BASIS.expected(), code="value.not_positive"
        )
    refuse = {
        BasisKind.PER_M2: limits.dose_per_m2_mg_refuse,
        BasisKind.PER_KG: limits.dose_per_kg_mg_refuse,
        BasisKind.FLAT: limits.dose_flat_mg_refuse,
    }[kind]
    if amount not in refuse:
        raise ImplausibleValueError(
            field,
            value,
            "is outside the range of any antineoplastic dose",
            expected=f"{format_number(refuse.low, 3)}–{format_number(refuse.high)} {kind.value}",
        )
    return DoseBasis(kind, make_quantity(amount, unit))


def parse_bsa_cap(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> Any:
    """An opt-in BSA cap such as ``"2 m**2"``; ``None``/``"none"`` for no cap (the default)."""
    return optional_policy_quantity(value, "bsa-cap", BODY_SURFACE_AREA, SQUARE_METRE, limits.bsa_cap_m2, "m²")


def parse_days(value: object) -> int:
    """Number of administration days in a cycle at this dose (1–31)."""
    expected = "a whole number of days, 1–31"
    number = parse_number(value, "days", expected)
    if number != int(number):
        raise InputError("days", value, "is not a whole number", expected=expected)
    if not 1 <= number <= 31:
        raise InputError("days", value, "is outside 1–31 days", expected=expected)
    return int(number)


@dataclass(frozen=True, slots=True)
class DoseModification:
    """A percentage of the reference dose, with the reason (required) and who decided it."""

    percent: Decimal
    reason: str
    by: str | None = None

    def __post_init__(self) -> None:
        if not self.reason or not self.reason.strip():
            raise InputError(
                "reason",
                self.reason,
                "is required for a dose modification",
                expected="why the dose is modified, e.g. 'grade 3 neutropenia in cycle 2'",
                code="value.missing",
            )
        if not Decimal(1) <= self.percent <= Decimal(200):
            raise InputError(
                "modify",
                f"{self.percent}%",
                "is outside 1–200 %",
                expected="a percentage of the reference dose, e.g. '80%'",
            )

    @classmethod
    def parse(cls, percent: object, reason: object, by: str | None = None) -> DoseModification:
        expected = "a percentage of the reference dose, 1–200 %, e.g. '80%'"
        number = parse_percent(percent, "modify", expected)
        if not Decimal(1) <= number <= Decimal(200):
            raise InputError("modify", percent, "is outside 1–200 %", expected=expected)
        return cls(number, reason if isinstance(reason, str) else "", by)


@dataclass(frozen=True, slots=True)
class DoseResult:
    basis: DoseBasis
    calculated: Any  # per administration, mg, full precision
    final: Any  # per administration, mg, after rounding
    per_cycle: Any  # final × days
    days: int
    deviation_percent: Decimal
    derivation: Derivation


def calculate_dose(
    basis: DoseBasis,
    *,
    bsa: BsaResult | None = None,
    weight: Weight | None = None,
    days: int = 1,
    rounding: RoundingRule | None = None,
    bsa_cap: Any = None,
    modification: DoseModification | None = None,
    drug: str | None = None,
    basis_source: str = "protocol",
    source: str | None = None,
) -> DoseResult:
    """The dose per administration and per cycle, with rounding and its derivation.

    ``basis_source`` says where the basis came from (the protocol, a dose level, a
    weight rule, the Calvert result); ``source`` names the regimen and its version.

    Worked example (ESCORT-1st paclitaxel 175 mg/m²; known-answers dose-mgm2-pacli-01):
    175 mg/m² × 1.8447 m² = 322.8 mg.

    >>> from dosecalc.bsa import parse_bsa
    >>> r = calculate_dose(parse_dose_basis("175 mg/m**2"), bsa=parse_bsa("1.8447 m**2"))
    >>> round(r.calculated.magnitude, 1)
    322.8
    """
    if days < 1:
        raise InputError("days", days, "must be at least 1", expected="a whole number of days, 1–31")
    name = drug or "Dose"
    inputs: list[Input] = [Input("dose basis", basis.amount, basis_source)]
    policies: list[tuple[str, str]] = []
    steps: list[Step] = []
    flags: list[Flag] = []
    base = Derivation(name)

    amount = basis.magnitude
    if modification is not None:
        modified = amount * float(modification.percent) / 100.0
        unit = basis.amount.units
        steps.append(
            Step(
                "Modified dose basis",
                f"{format_number(modification.percent, 2)} % of reference dose",
                f"{format_number(modification.percent, 2)} % × {{0}}",
                (basis.amount,),
                make_quantity(modified, unit),
                3,
            )
        )
        policies.append(
            (
                "Dose modification",
                f"{format_number(modification.percent, 2)} % — {modification.reason}"
                + (f" ({modification.by})" if modification.by else ""),
            )
        )
        if modification.percent > 100:
            flags.append(
                Flag(
                    "dose.above_protocol",
                    Severity.WARNING,
                    f"dose is {format_number(modification.percent, 2)} % of the protocol dose: "
                    "an increase needs the prescriber's documented reason",
                    {"percent": float(modification.percent)},
                )
            )
        amount = modified

    if basis.kind is BasisKind.PER_M2:
        if bsa is None:
            raise InputError(
                "bsa",
                None,
                f"is required for a dose in {display_unit(basis.amount.units)}",
                expected="--bsa, or --height and --weight",
                code="value.missing",
            )
        base = bsa.derivation
        bsa_m2 = bsa.square_metres
        bsa_q = bsa.bsa
        if bsa_cap is not None:
            cap_m2 = magnitude_in(bsa_cap, SQUARE_METRE)
            policies.append(("BSA cap", f"{format_number(cap_m2, 2)} m² (site setting)"))
            if bsa_m2 > cap_m2:
                steps.append(
                    Step(
                        "BSA capped",
                        "min(BSA, cap)",
                        "min({0}, {1})",
                        (bsa_q, bsa_cap),
                        make_quantity(cap_m2, SQUARE_METRE),
                        4,
                    )
                )
                flags.append(
                    Flag(
                        "bsa.capped",
                        Severity.WARNING,
                        f"BSA {format_number(bsa_m2, 2)} m² capped at {format_number(cap_m2, 2)} m²; ASCO 2021 "
                        "recommends full weight-based dosing",
                        {"bsa": bsa_m2, "cap": cap_m2},
                    )
                )
                bsa_m2, bsa_q = cap_m2, make_quantity(cap_m2, SQUARE_METRE)
        else:
            policies.append(("BSA cap", "none (ASCO 2021)"))
        calculated_mg = amount * bsa_m2
        steps.append(
            Step(
                "Calculated dose",
                "dose basis × BSA",
                "{0} × {1}",
                (make_quantity(amount, MG_PER_M2), bsa_q),
                make_quantity(calculated_mg, MILLIGRAM),
                2,
            )
        )
    elif basis.kind is BasisKind.PER_KG:
        if weight is None:
            raise InputError(
                "weight",
                None,
                "is required for a dose in mg/kg",
                expected="--weight, e.g. '65 kg'",
                code="value.missing",
            )
        inputs.append(weight.as_input())
        policies.append(("Weight basis", "actual body weight"))
        flags.extend(_weight_flags(weight))
        calculated_mg = amount * weight.kilograms
        steps.append(
            Step(
                "Calculated dose",
                "dose basis × weight",
                "{0} × {1}",
                (make_quantity(amount, MG_PER_KG), make_quantity(weight.kilograms, KILOGRAM)),
                make_quantity(calculated_mg, MILLIGRAM),
                2,
            )
        )
    else:
        calculated_mg = amount
        steps.append(Step("Calculated dose", "flat dose", "", (), make_quantity(calculated_mg, MILLIGRAM), 2))

    rule = rounding or RoundingRule(None)
    policies.append(("Rounding", rule.describe()))
    outcome = round_dose(calculated_mg, rule)
    final_mg = float(outcome.final_mg)
    if outcome.rounded:
        steps.append(Step("Final dose", outcome.reason, "", (), make_quantity(final_mg, MILLIGRAM), 2))
        steps.append(
            Step(
                "Difference",
                "(final − calculated) / calculated",
                "",
                (),
                f"{format_number(outcome.deviation_percent, 2)} %",
            )
        )
    else:
        steps.append(Step("Final dose", outcome.reason, "", (), make_quantity(final_mg, MILLIGRAM), 2))
        if rule.step_mg is not None:
            flags.append(
                Flag("rounding.not_applied", Severity.INFO, outcome.reason, _not_rounded_params(outcome, rule))
            )
    per_cycle_mg = final_mg * days
    label = "per administration" if days == 1 else f"per day, on {days} days of the cycle"
    steps.append(
        Step(
            "Dose per cycle",
            f"final dose × {days} day{'s' if days != 1 else ''}",
            f"{{0}} × {days}",
            (make_quantity(final_mg, MILLIGRAM),),
            make_quantity(per_cycle_mg, MILLIGRAM),
            2,
        )
    )
    policies.append(("Days at this dose", label))

    derivation = base.extended(
        title=f"{name} ({display_unit(basis.amount.units)})",
        inputs=inputs,
        policies=policies,
        steps=steps,
        flags=flags,
        source=source,
    )
    return DoseResult(
        basis=basis,
        calculated=make_quantity(calculated_mg, MILLIGRAM),
        final=make_quantity(final_mg, MILLIGRAM),
        per_cycle=make_quantity(per_cycle_mg, MILLIGRAM),
        days=days,
        deviation_percent=outcome.deviation_percent,
        derivation=derivation,
    )


def _not_rounded_params(outcome: RoundingOutcome, rule: RoundingRule) -> dict[str, float]:
    """What a translation of the refused rounding needs: the step, and the nearest step with its deviation."""
    assert rule.step_mg is not None
    assert outcome.candidate_mg is not None
    candidate = outcome.candidate_mg
    params = {
        "step": float(rule.step_mg),
        "candidate": float(candidate),
        "max_deviation": float(rule.max_deviation * 100),
    }
    if candidate:
        params["deviation"] = float((candidate - outcome.calculated_mg) / outcome.calculated_mg * 100)
    return params


def _weight_flags(weight: Weight) -> tuple[Flag, ...]:
    from dosecalc.patient import MeasurementSource

    if weight.source is MeasurementSource.MEASURED:
        return ()
    return (
        Flag(
            "weight.not_measured",
            Severity.WARNING,
            f"weight is {weight.source.value}, not measured; ISMP advises measured weight for dosing",
            {"source": weight.source.value},
        ),
    )
