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
from dataclasses import dataclass
from decimal import Decimal

from dosecalc.bsa import BsaResult, body_surface_area
from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.errors import InputError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy
from dosecalc.patient import Patient, Weight
from dosecalc.regimen.model import BasisKind, Catalogue, Phase, Regimen, Status
from dosecalc.regimen.order_choices import NONE_CHOICE, select_lines
from dosecalc.regimen.order_line import OrderedLine, compute_line
from dosecalc.renal import AbsoluteGFR, RenalMethod, RenalResult, estimate_renal_function
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits

__all__ = ["NONE_CHOICE", "WEIGHT_CHANGE_THRESHOLD", "OrderedLine", "RegimenOrder", "compute_regimen_order"]

#: A weight change from the reference weight that needs the dose re-confirmed (medication-safety B4).
WEIGHT_CHANGE_THRESHOLD = Decimal("0.10")


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
    lines, choice_flags = select_lines(regimen, phase, cycle, choices)
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
        ordered.append(compute_line(regimen, drug, line, patient, bsa, gfr, policy, dose_level, source, limits))
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
