"""bsa, renal, carboplatin, dose, eqd2 and demo: the calculation commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from dosecalc.bsa import BsaResult, body_surface_area, parse_bsa, parse_formula
from dosecalc.carboplatin import carboplatin_dose, parse_auc, parse_gfr_cap
from dosecalc.cli.common import (
    ESTIMATING_METHODS,
    Handler,
    Parser,
    Payload,
    choice,
    derivation_payload,
    patient_from,
    refuse_unused,
)
from dosecalc.derivation import quantity_json
from dosecalc.display import format_number, format_quantity
from dosecalc.dosing import BasisKind, DoseModification, calculate_dose, parse_bsa_cap, parse_days, parse_dose_basis
from dosecalc.errors import InputError
from dosecalc.order import demo_order
from dosecalc.radiotherapy import parse_alpha_beta, parse_course, sum_courses
from dosecalc.renal import (
    RenalMethod,
    RenalResult,
    WeightBasis,
    estimate_renal_function,
    measured_gfr,
    parse_creatinine_floor,
)
from dosecalc.rounding import RoundingRule, parse_max_deviation, parse_round_step

__all__ = ["RENAL_OPTIONS", "register", "renal_from", "renal_options", "renal_payload"]


def renal_from(args: argparse.Namespace) -> RenalResult:
    method = choice(
        args.method,
        ESTIMATING_METHODS,
        RenalMethod.COCKCROFT_GAULT,
        "method",
        " (for a measured GFR use carboplatin --gfr)",
    )
    basis = choice(args.weight_basis, tuple(WeightBasis), WeightBasis.ACTUAL, "weight-basis")
    patient = patient_from(args, need_renal=True)
    for name, value in (("age", args.age), ("sex", args.sex), ("creatinine", args.creatinine)):
        if value is None:
            raise InputError(name, None, f"is required for {method.label}", expected=f"--{name}", code="value.missing")
    if method is RenalMethod.COCKCROFT_GAULT and args.weight is None:
        raise InputError(
            "weight", None, "is required for Cockcroft–Gault", expected="--weight, e.g. '70 kg'", code="value.missing"
        )
    floor = parse_creatinine_floor(args.creatinine_floor)
    return estimate_renal_function(patient, method, basis, floor)


def _cmd_bsa(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    formula = parse_formula(args.formula)
    patient = patient_from(args, need_renal=False)
    height = patient.require_height("the body surface area")
    weight = patient.require_weight("the body surface area")
    result = body_surface_area(height, weight, formula)
    payload = {"bsa": quantity_json(result.bsa), "formula": formula.value, **derivation_payload(result.derivation)}
    return payload, [f"BSA: {format_quantity(result.bsa, 2)} ({formula.label})"]


def renal_payload(result: RenalResult) -> Payload:
    return {
        "method": result.method.value,
        "clearance": quantity_json(result.clearance.value) if result.clearance else None,
        "egfr_indexed": result.egfr_indexed.per_standard_surface if result.egfr_indexed else None,
        "weight_used": quantity_json(result.weight_used),
        "weight_basis": result.weight_basis.value if result.weight_basis else None,
        "creatinine_used": quantity_json(result.creatinine_used),
    }


def _cmd_renal(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    result = renal_from(args)
    payload = {**renal_payload(result), **derivation_payload(result.derivation)}
    summary = []
    if result.egfr_indexed is not None:
        summary.append(f"eGFR (indexed): {format_number(result.egfr_indexed.per_standard_surface, 1)} mL/min/1.73 m²")
    if result.clearance is not None:
        label = "Creatinine clearance" if result.method is RenalMethod.COCKCROFT_GAULT else "eGFR (de-indexed)"
        summary.append(f"{label}: {format_quantity(result.clearance.value, 1)}")
    return payload, summary


RENAL_OPTIONS = ("age", "sex", "weight", "creatinine", "height", "creatinine_floor", "method", "weight_basis")


def _cmd_carboplatin(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    auc = parse_auc(args.auc)
    cap = parse_gfr_cap(args.gfr_cap)
    renal_given = [name for name in RENAL_OPTIONS if getattr(args, name) is not None]
    renal_json: Payload | None = None
    if args.gfr is not None:
        if renal_given:
            raise InputError(
                "gfr",
                args.gfr,
                f"cannot be combined with --{renal_given[0].replace('_', '-')}",
                expected="either --gfr or the renal options (--age, --sex, --weight, --creatinine)",
            )
        gfr = measured_gfr(args.gfr)
    else:
        if not renal_given:
            raise InputError(
                "gfr",
                None,
                "is required, or the renal options to estimate it",
                expected="--gfr '90 mL/min', or --age --sex --weight --creatinine",
                code="value.missing",
            )
        renal = renal_from(args)
        if renal.clearance is None:
            missing = "height" if args.height is None else "weight"
            raise InputError(
                missing,
                None,
                "is required: Calvert needs the CKD-EPI eGFR de-indexed with the patient's BSA",
                expected="--height and --weight",
                code="value.missing",
            )
        gfr = renal.clearance
        renal_json = renal_payload(renal)
    result = carboplatin_dose(auc, gfr, cap)
    payload: Payload = {
        "dose": quantity_json(result.dose),
        "auc": result.auc,
        "gfr_used": quantity_json(result.gfr_used),
        "gfr_capped": result.gfr_capped,
        "gfr_cap": quantity_json(result.gfr_cap),
        "renal": renal_json,
        **derivation_payload(result.derivation),
    }
    capped = " (GFR capped)" if result.gfr_capped else ""
    return payload, [f"Carboplatin dose: {format_quantity(result.dose, 1)}{capped}"]


def _cmd_dose(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    basis = parse_dose_basis(args.dose)
    days = parse_days(args.days)
    rule = RoundingRule(parse_round_step(args.round_step), parse_max_deviation(args.max_deviation))
    modification = None
    if args.modify is not None:
        if args.reason is None:
            raise InputError(
                "reason", None, "is required with --modify", expected="--reason TEXT, e.g. 'grade 3 neutropenia'"
            )
        modification = DoseModification.parse(args.modify, args.reason)
    elif args.reason is not None:
        raise InputError("reason", args.reason, "is given without --modify", expected="--modify '80%' --reason TEXT")
    # Every input given must be one the dose uses: an ignored --weight or --bsa would pass unnoticed.
    bsa: BsaResult | None = None
    bsa_cap = None
    weight = None
    if basis.kind is BasisKind.PER_M2:
        bsa_cap = parse_bsa_cap(args.bsa_cap)
        if args.bsa is not None:
            refuse_unused(args, ("height", "weight", "bsa-formula"), "when --bsa is given")
            bsa = parse_bsa(args.bsa)
        else:
            formula = parse_formula(args.bsa_formula or "mosteller", field="bsa-formula")
            patient = patient_from(args, need_renal=False)
            purpose = f"a dose in {basis.kind.value} (or give --bsa)"
            bsa = body_surface_area(patient.require_height(purpose), patient.require_weight(purpose), formula)
    elif basis.kind is BasisKind.PER_KG:
        refuse_unused(args, ("height", "bsa", "bsa-formula", "bsa-cap"), "for a dose in mg/kg")
        weight = patient_from(args, need_renal=False).weight
    else:
        refuse_unused(args, ("height", "weight", "bsa", "bsa-formula", "bsa-cap"), "for a flat dose")
    result = calculate_dose(
        basis, bsa=bsa, weight=weight, days=days, rounding=rule, bsa_cap=bsa_cap, modification=modification
    )
    payload = {
        "basis": quantity_json(result.basis.amount),
        "basis_kind": result.basis.kind.value,
        "calculated": quantity_json(result.calculated),
        "final": quantity_json(result.final),
        "per_cycle": quantity_json(result.per_cycle),
        "days": result.days,
        "deviation_percent": float(result.deviation_percent),
        "bsa": quantity_json(bsa.bsa) if bsa is not None else None,
        **derivation_payload(result.derivation),
    }
    summary = [
        f"Calculated dose: {format_quantity(result.calculated, 2)}",
        f"DOSE (final): {format_quantity(result.final, 2)} ({format_number(result.deviation_percent, 2)} % difference)",
        f"Per cycle: {format_quantity(result.per_cycle, 2)} ({result.days} day{'s' if result.days != 1 else ''})",
    ]
    return payload, summary


def _cmd_eqd2(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    alpha_beta = parse_alpha_beta(args.alpha_beta)
    courses = []
    if args.course:
        if args.dose is not None or args.fractions is not None:
            raise InputError(
                "course",
                None,
                "cannot be combined with --dose/--fractions",
                expected="either --dose and --fractions, or one --course per course",
            )
        for index, (dose, fractions) in enumerate(args.course, start=1):
            courses.append(
                parse_course(
                    dose, fractions, dose_field=f"course {index} dose", fractions_field=f"course {index} fractions"
                )
            )
    else:
        if args.dose is None:
            raise InputError(
                "dose", None, "is required", expected="--dose '50 Gy' --fractions 25, or --course", code="value.missing"
            )
        if args.fractions is None:
            raise InputError("fractions", None, "is required", expected="--fractions 25", code="value.missing")
        courses.append(parse_course(args.dose, args.fractions, dose_field="dose", fractions_field="fractions"))
    result = sum_courses(courses, alpha_beta)
    payload = {
        "alpha_beta": quantity_json(result.alpha_beta),
        "courses": [
            {
                "dose": quantity_json(c.course.total),
                "fractions": c.course.fractions,
                "dose_per_fraction": quantity_json(c.course.total / c.course.fractions),
                "bed": quantity_json(c.bed),
                "eqd2": quantity_json(c.eqd2),
            }
            for c in result.courses
        ],
        "total": {"bed": quantity_json(result.total_bed), "eqd2": quantity_json(result.total_eqd2)},
        **derivation_payload(result.derivation),
    }
    ab = format_number(result.alpha_beta.magnitude, 2)
    summary = [
        f"Total BED: {format_quantity(result.total_bed, 2)} (α/β {ab} Gy)",
        f"Total EQD2: {format_quantity(result.total_eqd2, 2)} (α/β {ab} Gy)",
    ]
    return payload, summary


def _cmd_demo(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    order = demo_order()
    carboplatin = order.carboplatin
    if carboplatin is None:  # pragma: no cover - the demonstration order always has carboplatin
        raise AssertionError("demonstration order without carboplatin")
    payload = {
        "demo": True,
        "doses": [
            {
                "drug": line.drug,
                "calculated": quantity_json(line.result.calculated),
                "final": quantity_json(line.result.final),
                "derivation": line.result.derivation.lines(),
            }
            for line in order.lines
        ],
        "carboplatin": {
            "dose": quantity_json(carboplatin.dose),
            "gfr_capped": carboplatin.gfr_capped,
            "derivation": carboplatin.derivation.lines(),
        },
        **derivation_payload(order.derivation),
    }
    summary = ["DEMONSTRATION ORDER — invented patient, not for clinical use", ""]
    for line in order.lines:
        summary.append(f"{line.drug}: {format_quantity(line.result.final, 1)}")
        summary.extend(f"    {text}" for text in line.result.derivation.lines())
    summary.append(f"CARBOplatin: {format_quantity(carboplatin.dose, 1)}")
    summary.extend(f"    {text}" for text in carboplatin.derivation.lines())
    return payload, summary


def renal_options(p: Parser) -> None:
    """The patient and renal options shared by renal, carboplatin and order."""
    p.add_argument("--age", help="years, 18–120")
    p.add_argument("--sex", help="female | male")
    p.add_argument("--weight", help='actual weight, e.g. "70 kg"')
    p.add_argument("--creatinine", help='serum creatinine with its unit: "1.4 mg/dL" or "80 µmol/L"')
    p.add_argument("--height", help="needed for ideal/adjusted weight and to de-index CKD-EPI")
    p.add_argument("--weight-basis", help="actual (default) | ideal | adjusted | lower")
    p.add_argument("--creatinine-floor", help='none (default) or e.g. "0.7 mg/dL"')


def register(command: Callable[[str, str, Handler], Parser]) -> None:
    """Add bsa, renal, carboplatin, dose, eqd2 and demo."""
    p = command("bsa", "Body surface area in m².", _cmd_bsa)
    p.add_argument("--height", required=True, help='e.g. "170 cm" or "1.7 m"')
    p.add_argument("--weight", required=True, help='e.g. "65 kg"')
    p.add_argument(
        "--formula",
        default="mosteller",
        help="mosteller (default) | dubois | haycock | gehan-george | boyd | fujimoto | stevenson",
    )

    p = command("renal", "Creatinine clearance (Cockcroft–Gault) or eGFR (CKD-EPI 2021).", _cmd_renal)
    renal_options(p)
    p.add_argument("--method", help="cockcroft-gault (default) | ckd-epi-2021")

    p = command("carboplatin", "Carboplatin dose by target AUC (Calvert).", _cmd_carboplatin)
    p.add_argument("--auc", required=True, help="target AUC in mg/mL·min, 1–10")
    p.add_argument("--gfr", help='a GFR in mL/min, e.g. "90 mL/min"; or give the renal options')
    p.add_argument("--gfr-cap", help='"125 mL/min" (default, FDA 2010), another value, or none')
    renal_options(p)
    p.add_argument("--method", help="cockcroft-gault (default) | ckd-epi-2021")

    p = command("dose", "A dose from mg/m², mg/kg or a flat mg dose.", _cmd_dose)
    p.add_argument("--dose", required=True, help='"75 mg/m**2", "3 mg/kg" or "200 mg"')
    p.add_argument("--height")
    p.add_argument("--weight")
    p.add_argument("--bsa", help='a BSA given directly, e.g. "1.8 m**2"')
    p.add_argument("--bsa-formula", default=None, help="BSA formula when height and weight are given (mosteller)")
    p.add_argument("--bsa-cap", help='opt-in BSA cap, e.g. "2 m**2" (default none, ASCO 2021)')
    p.add_argument("--days", default="1", help="days of the cycle at this dose (per-cycle total = final × days)")
    p.add_argument("--round-step", help='round to a step, e.g. "10 mg" or a vial size')
    p.add_argument("--max-deviation", help='largest rounding deviation, e.g. "5%%" (default 5%%, at most 10%%)')
    p.add_argument("--modify", help='dose modification as a percentage of the reference dose, e.g. "80%%"')
    p.add_argument("--reason", help="reason for the dose modification (required with --modify)")

    p = command("eqd2", "Radiotherapy BED and EQD2, per course and summed.", _cmd_eqd2)
    p.add_argument("--alpha-beta", required=True, help='e.g. "10 Gy" (tumour), "3 Gy" (late), "2 Gy" (cord)')
    p.add_argument("--dose", help='total dose of one course, e.g. "50 Gy"')
    p.add_argument("--fractions", help="number of fractions of that course")
    p.add_argument(
        "--course",
        nargs=2,
        action="append",
        metavar=("DOSE", "FRACTIONS"),
        help='a course, repeatable: --course "45 Gy" 30 --course "30 Gy" 28',
    )

    command("demo", "A worked demonstration order (invented patient).", _cmd_demo)
