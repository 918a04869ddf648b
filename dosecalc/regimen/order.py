"""A whole order from a regimen: patient + regimen + phase + cycle + choices + policy → dose lines and flags.

Every line keeps its derivation, whose source names the regimen id and version.
Flags follow medication-safety §2 D4 and §3: a missing or unknown choice blocks
(never a silent default); a drug with no dose limit or no strength configured
fails closed (it computes, and verification is blocked until a pharmacist
acknowledges it); a weight change of 10 % or more from the reference weight,
a GFR cap applied, a rounding refused, an unconfirmed protocol value — each is
a flag with a stable code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dosecalc.bsa import BsaResult, body_surface_area
from dosecalc.carboplatin import carboplatin_dose
from dosecalc.derivation import Derivation, Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.dosing import BasisKind as CoreBasis
from dosecalc.dosing import DoseBasis, DoseResult, calculate_dose, parse_dose_basis
from dosecalc.errors import InputError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy
from dosecalc.patient import Patient, Weight
from dosecalc.regimen.model import BasisKind, Catalogue, Drug, DrugLine, Phase, Regimen, Status
from dosecalc.renal import AbsoluteGFR, RenalMethod, RenalResult, estimate_renal_function
from dosecalc.rounding import RoundingRule, parse_round_step
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import KILOGRAM, MILLIGRAM, Quantity, magnitude_in

__all__ = ["NONE_CHOICE", "WEIGHT_CHANGE_THRESHOLD", "OrderedLine", "RegimenOrder", "compute_regimen_order"]

#: ``--choose chemo=none``: an optional choice group deliberately left out.
NONE_CHOICE = "none"
#: A weight change from the reference weight that needs the dose re-confirmed (medication-safety B4).
WEIGHT_CHANGE_THRESHOLD = Decimal("0.10")


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


@dataclass(frozen=True, slots=True)
class RegimenOrder:
    regimen: Regimen
    phase: Phase
    cycle: int
    choices: Mapping[str, str]
    lines: tuple[OrderedLine, ...]
    flags: tuple[Flag, ...]
    bsa: BsaResult | None
    renal: RenalResult | None
    policies: tuple[tuple[str, str], ...]

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.flags)


def _select_lines(
    regimen: Regimen, phase: Phase, cycle: int, choices: Mapping[str, str]
) -> tuple[list[DrugLine], list[Flag]]:
    groups = {g.id: g for g in regimen.choice_groups}
    for group_id, option in choices.items():
        if group_id not in groups:
            raise InputError(
                "choose",
                f"{group_id}={option}",
                "names no choice group of this regimen",
                expected=" | ".join(groups) or "no choices (this regimen has none)",
            )
    flags: list[Flag] = []
    needed = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
    needed |= {r.choice.split("=")[0] for r in phase.radiotherapy if r.choice}
    for group_id in sorted(needed):
        group = groups[group_id]
        chosen = choices.get(group_id)
        options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
        if chosen is None:
            flags.append(
                Flag(
                    "choice.missing",
                    Severity.BLOCK,
                    f"no choice made for {group.name.en} ({group_id}); choose one of {', '.join(options)}",
                    {
                        "group": group_id,
                        "group_en": group.name.en,
                        "group_zh": group.name.zh,
                        "options": ", ".join(options),
                    },
                )
            )
        elif chosen not in options:
            flags.append(
                Flag(
                    "choice.unknown",
                    Severity.BLOCK,
                    f"{chosen!r} is not an option of {group.name.en} ({group_id}); choose one of {', '.join(options)}",
                    {
                        "group": group_id,
                        "group_en": group.name.en,
                        "group_zh": group.name.zh,
                        "options": ", ".join(options),
                        "choice": chosen,
                    },
                )
            )
    lines = []
    for line in phase.drugs:
        if line.cycles is not None and cycle not in line.cycles:
            continue
        pair = line.choice_pair
        if pair is not None and choices.get(pair[0]) != pair[1]:
            continue
        lines.append(line)
    return lines, flags


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


def compute_regimen_order(
    regimen: Regimen,
    catalogue: Catalogue,
    patient: Patient,
    phase_id: str,
    cycle: int = 1,
    choices: Mapping[str, str] | None = None,
    policy: DosingPolicy | None = None,
    *,
    dose_level: int = 0,
    gfr: AbsoluteGFR | None = None,
    reference_weight: Weight | None = None,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
) -> RegimenOrder:
    """Compute every dose line of one cycle of one phase, with flags."""
    policy = policy or DEFAULT_POLICY
    choices = dict(choices or {})
    source = f"{regimen.id} v{regimen.version} ({regimen.status.value})"
    try:
        phase = regimen.phase(phase_id)
    except KeyError:
        raise InputError(
            "phase", phase_id, "is not a phase of this regimen", expected=" | ".join(p.id for p in regimen.phases)
        ) from None
    bound = phase.cycles or (phase.duration.max_cycles if phase.duration else None)
    if cycle < 1 or (bound is not None and cycle > bound):
        raise InputError(
            "cycle", cycle, "is outside this phase", expected=f"1–{bound}" if bound else "a cycle number from 1"
        )
    if dose_level < 0 or dose_level > 5:
        raise InputError(
            "dose-level", dose_level, "is outside 0–5", expected="0 (protocol dose) or a reduction level 1–5"
        )

    flags: list[Flag] = []
    if regimen.status in (Status.WITHDRAWN, Status.SUPERSEDED):
        flags.append(
            Flag(
                "regimen.not_current",
                Severity.BLOCK,
                f"regimen {regimen.id} v{regimen.version} is {regimen.status.value}",
                {"status": regimen.status.value, "regimen": regimen.id, "version": regimen.version},
            )
        )
    elif regimen.status is Status.DRAFT:
        flags.append(
            Flag(
                "regimen.draft",
                Severity.WARNING,
                f"regimen {regimen.id} v{regimen.version} is a draft, not yet approved",
                {"regimen": regimen.id, "version": regimen.version},
            )
        )
    lines, choice_flags = _select_lines(regimen, phase, cycle, choices)
    flags.extend(choice_flags)

    needs_bsa = any(line.dose.basis is BasisKind.PER_M2 for line in lines)
    needs_renal = any(line.dose.basis is BasisKind.AUC for line in lines)
    bsa = None
    if needs_bsa or (needs_renal and policy.renal_method is RenalMethod.CKD_EPI_2021):
        bsa = body_surface_area(
            patient.require_height("the BSA"), patient.require_weight("the BSA"), policy.bsa_formula, limits
        )
    renal = None
    if needs_renal and gfr is None:
        if policy.renal_method is RenalMethod.MEASURED:
            raise InputError(
                "gfr",
                None,
                "is required with the measured renal method",
                expected="--gfr '90 mL/min'",
                code="value.missing",
            )
        renal = estimate_renal_function(
            patient, policy.renal_method, policy.weight_basis, policy.creatinine_floor, policy.bsa_formula, limits
        )
        gfr = renal.clearance
        if gfr is None:  # pragma: no cover - height and weight were required for the BSA above
            raise InputError("height", None, "is required to de-index CKD-EPI", expected="--height and --weight")
    if reference_weight is not None and patient.weight is not None:
        change = (Decimal(repr(patient.weight.kilograms)) - Decimal(repr(reference_weight.kilograms))) / Decimal(
            repr(reference_weight.kilograms)
        )
        if abs(change) >= WEIGHT_CHANGE_THRESHOLD:
            flags.append(
                Flag(
                    "weight.changed",
                    Severity.WARNING,
                    f"weight {format_quantity(patient.weight.value, 1)} differs by "
                    f"{format_number(change * 100, 1)} % from the reference weight "
                    f"{format_quantity(reference_weight.value, 1)}; recalculate and confirm the doses",
                    {
                        "change_percent": float(change * 100),
                        "weight": patient.weight.value,
                        "reference": reference_weight.value,
                    },
                )
            )

    ordered: list[OrderedLine] = []
    for line in sorted(lines, key=lambda item: item.order):
        drug = catalogue.get(line.drug)
        if drug is None:  # pragma: no cover - the loader refuses such regimens
            raise InputError("regimen", regimen.id, f"uses {line.drug!r}, which is not in the catalogue")
        ordered.append(_compute_line(regimen, drug, line, patient, bsa, gfr, policy, dose_level, source, limits))
    for item in ordered:
        flags.extend(item.flags)
    policies = (
        ("BSA formula", policy.bsa_formula.label),
        ("Renal method", policy.renal_method.label if gfr is None or gfr.estimated else "GFR given"),
        ("Weight basis (renal)", policy.weight_basis.label),
        ("Creatinine floor", "none" if policy.creatinine_floor is None else format_quantity(policy.creatinine_floor)),
        ("GFR cap", "none" if policy.gfr_cap is None else format_quantity(policy.gfr_cap)),
        ("Maximum rounding deviation", f"{format_number(policy.max_deviation * 100)} %"),
        ("Dose level", "0 (protocol dose)" if dose_level == 0 else f"−{dose_level}"),
    )
    return RegimenOrder(
        regimen, phase, cycle, choices, tuple(ordered), tuple(dict.fromkeys(flags)), bsa, renal, policies
    )


def _compute_line(
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
