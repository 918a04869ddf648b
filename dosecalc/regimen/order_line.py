"""One dose line of a regimen order: dose level, weight rule, the core dose calculation and the drug's flags.

Every line keeps its derivation, whose source names the regimen id and version. A drug with no dose limit
or no strength configured fails closed (it computes, and verification is blocked until a pharmacist
acknowledges it); a rounding refused or an unconfirmed protocol value is a flag with a stable code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dosecalc.bsa import BsaResult
from dosecalc.carboplatin import carboplatin_dose
from dosecalc.derivation import Derivation, Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.dosing import BasisKind as CoreBasis
from dosecalc.dosing import DoseBasis, DoseResult, calculate_dose, parse_dose_basis
from dosecalc.errors import InputError
from dosecalc.order import DosingPolicy
from dosecalc.patient import Patient
from dosecalc.regimen.model import BasisKind, Drug, DrugLine, Regimen
from dosecalc.renal import AbsoluteGFR
from dosecalc.rounding import RoundingRule, parse_round_step
from dosecalc.settings import PlausibilityLimits
from dosecalc.units import KILOGRAM, MILLIGRAM, Quantity, magnitude_in

__all__ = ["OrderedLine", "compute_line"]


@dataclass(frozen=True, slots=True)
class OrderedLine:
    drug: Drug
    line: DrugLine
    days: tuple[int, ...]
    basis_text: str
    basis: Any  # Quantity (mg/m², mg/kg, mg) or the AUC number in mg/mL·min
    result: DoseResult
    flags: tuple[Flag, ...]

    @property
    def derivation(self) -> Derivation:
        return self.result.derivation


def _level_dose(line: DrugLine, dose_level: int) -> tuple[Any, str, list[Flag]]:
    """The dose text for the requested dose level, and where it came from."""
    if dose_level == 0:
        return line.dose.amount, "protocol", []
    if dose_level <= len(line.dose_levels):
        return line.dose_levels[dose_level - 1], f"protocol dose level −{dose_level}", []
    if line.dose.basis in (BasisKind.FLAT, BasisKind.ORAL_FIXED) and not line.dose_levels:
        # Flat antibody doses are given in full (ASCO 2021); a reduction ladder does not apply to them.
        note = f"{line.drug}: a flat dose without reduction levels; the protocol dose is given"
        return (
            line.dose.amount,
            "protocol",
            [Flag("dose_level.not_applicable", Severity.INFO, note, {"drug": line.drug, "dose_level": dose_level})],
        )
    return (
        line.dose.amount,
        "protocol",
        [
            Flag(
                "dose_level.unavailable",
                Severity.WARNING,
                f"{line.drug}: no dose level −{dose_level} in the regimen; the protocol dose is shown — decide the "
                "reduction locally",
                {"drug": line.drug, "dose_level": dose_level},
            )
        ],
    )


def compute_line(
    regimen: Regimen,
    drug: Drug,
    line: DrugLine,
    patient: Patient,
    bsa: BsaResult | None,
    gfr: AbsoluteGFR | None,
    policy: DosingPolicy,
    dose_level: int,
    source: str,
    limits: PlausibilityLimits,
) -> OrderedLine:
    """One line's dose at ``dose_level``, with its derivation and every flag of the line and the drug."""
    flags: list[Flag] = []
    days = line.day_list()
    step = _round_step(drug.rounding_step)
    rule = RoundingRule(step, policy.max_deviation)
    if line.dose.basis is BasisKind.AUC:
        amount, basis_source, level_flags = _level_dose(line, dose_level)
        flags.extend(level_flags)
        if gfr is None:  # pragma: no cover - computed by the caller whenever a line is AUC-based
            raise InputError("gfr", None, "is required for an AUC dose")
        carboplatin = carboplatin_dose(float(amount), gfr, policy.gfr_cap, limits)
        result = calculate_dose(
            DoseBasis(CoreBasis.FLAT, carboplatin.dose),
            days=len(days),
            rounding=rule,
            drug=drug.display,
            basis_source="Calvert result above",
            source=source,
        )
        derivation = result.derivation.including(carboplatin.derivation)
        title = f"{drug.display} (AUC {format_number(float(amount))})"
        result = replace(result, derivation=replace(derivation, title=title))
        basis_value: Any = float(amount)
        basis_text = f"AUC {format_number(float(amount))} mg/mL·min"
    else:
        amount, basis_source, level_flags = _level_dose(line, dose_level)
        flags.extend(level_flags)
        by_weight = line.weight_rule
        if (
            by_weight
            and patient.weight
            and patient.weight.kilograms < magnitude_in(Quantity(by_weight.below), KILOGRAM)
        ):
            if dose_level:
                flags.append(
                    Flag(
                        "dose_level.weight_rule",
                        Severity.WARNING,
                        f"{drug.display}: the weight rule sets the dose; dose level −{dose_level} is not "
                        "applied — record a reduction as a dose modification",
                        {**drug.flag_params, "dose_level": dose_level},
                    )
                )
            amount = by_weight.dose.amount
            basis_source = f"weight rule: below {by_weight.below}"
        basis = _dose_basis(amount, limits)
        needs_weight = basis.kind is CoreBasis.PER_KG
        result = calculate_dose(
            basis,
            bsa=bsa if basis.kind is CoreBasis.PER_M2 else None,
            weight=patient.require_weight(f"{drug.display} in mg/kg") if needs_weight else patient.weight,
            days=len(days),
            rounding=rule,
            bsa_cap=policy.bsa_cap,
            drug=drug.display,
            basis_source=basis_source,
            source=source,
        )
        if line.weight_rule is not None:
            rule_text = f"{line.weight_rule.dose.text()} below {line.weight_rule.below}, else {line.dose.text()}" + (
                f" ({line.weight_rule.source})" if line.weight_rule.source else ""
            )
            result = replace(result, derivation=result.derivation.extended(policies=(("Weight rule", rule_text),)))
            if patient.weight is None:
                flags.append(
                    Flag(
                        "weight_rule.no_weight",
                        Severity.BLOCK,
                        f"{drug.display}: the dose depends on weight; give the weight",
                        {**drug.flag_params},
                    )
                )
        basis_value = basis.amount
        basis_text = format_quantity(basis.amount)
    flags.extend(_drug_flags(drug, line, result))
    result = replace(result, derivation=result.derivation.extended(flags=flags))
    return OrderedLine(drug, line, days, basis_text, basis_value, result, tuple(result.derivation.flags))


@lru_cache(maxsize=512)
def _round_step(text: str | None) -> Decimal | None:
    # Regimen texts are validated and immutable: parse each once, not once per order.
    return parse_round_step(text) if text else None


@lru_cache(maxsize=1024)
def _dose_basis(text: str, limits: PlausibilityLimits) -> DoseBasis:
    return parse_dose_basis(text, limits)


def _drug_flags(drug: Drug, line: DrugLine, result: DoseResult) -> list[Flag]:
    flags = []
    if drug.cumulative is None and drug.max_single_dose is None:
        flags.append(
            Flag(
                "drug.no_limit_configured",
                Severity.BLOCK,
                f"{drug.display}: no dose limit configured; verification is blocked until a pharmacist acknowledges it",
                {**drug.flag_params},
            )
        )
    if not drug.strengths:
        flags.append(
            Flag(
                "drug.no_strength_configured",
                Severity.BLOCK,
                f"{drug.display}: no strength configured",
                {**drug.flag_params},
            )
        )
    elif drug.strengths and not all(s.confirmed for s in drug.strengths):
        flags.append(
            Flag(
                "drug.strength_unconfirmed",
                Severity.INFO,
                f"{drug.display}: strengths not yet confirmed against the site formulary",
                {**drug.flag_params},
            )
        )
    if line.weight_rule is not None and not line.weight_rule.dose.confirmed:
        flags.append(
            Flag(
                "regimen.value_unconfirmed",
                Severity.WARNING,
                f"{drug.display}: the weight-rule dose {line.weight_rule.dose.text()} is not confirmed "
                "against its primary source",
                {**drug.flag_params, "dose": line.weight_rule.dose.text(), "weight_rule": True},
            )
        )
    if not line.dose.confirmed:
        flags.append(
            Flag(
                "regimen.value_unconfirmed",
                Severity.WARNING,
                f"{drug.display}: the protocol dose {line.dose.text()} is not confirmed against its primary "
                f"source{': ' + line.dose.note if line.dose.note else ''}",
                {**drug.flag_params, "dose": line.dose.text(), "note": line.dose.note or ""},
            )
        )
    if drug.max_single_dose is not None:
        maximum = magnitude_in(Quantity(drug.max_single_dose), MILLIGRAM)
        if result.final.magnitude > maximum:
            flags.append(
                Flag(
                    "dose.above_max_single",
                    Severity.BLOCK,
                    f"{drug.display}: {format_quantity(result.final)} is above the maximum single dose "
                    f"{drug.max_single_dose} ({drug.max_single_dose_source})",
                    {
                        **drug.flag_params,
                        "dose": result.final,
                        "max": drug.max_single_dose,
                        "source": drug.max_single_dose_source,
                    },
                )
            )
    if any(code == "rounding.not_applied" for code in (f.code for f in result.derivation.flags)):
        flags.append(
            Flag(
                "rounding.refused",
                Severity.WARNING,
                f"{drug.display}: rounding to the vial step would exceed the maximum deviation; the exact dose is kept",
                {**drug.flag_params},
            )
        )
    return flags
