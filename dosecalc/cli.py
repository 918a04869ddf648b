"""The ``dosecalc`` command line.

Commands (other tools call these; names and JSON keys are a contract):

    dosecalc bsa --height H --weight W [--formula NAME] [--json]
    dosecalc renal --age A --sex female|male --weight W --creatinine C [--height H]
                   [--method cockcroft-gault|ckd-epi-2021] [--weight-basis actual|ideal|adjusted|lower]
                   [--creatinine-floor "0.7 mg/dL"] [--json]
    dosecalc carboplatin --auc N (--gfr G | <the renal options>) [--gfr-cap "125 mL/min"|none] [--json]
    dosecalc dose --dose "75 mg/m**2" [--height H --weight W | --bsa B] [--bsa-formula NAME]
                  [--bsa-cap B] [--days N] [--round-step S] [--max-deviation "5%"] [--json]
    dosecalc eqd2 --alpha-beta "10 Gy" (--dose D --fractions N | --course D N ...) [--json]
    dosecalc demo [--json]

Invalid input: exit status 2 and one line on stderr naming the field; with
``--json`` also ``{"error": {"field": ..., "message": ...}}`` on stdout. A
traceback never reaches the user.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from dosecalc import __version__
from dosecalc.bsa import BsaResult, body_surface_area, parse_bsa, parse_formula
from dosecalc.carboplatin import carboplatin_dose, parse_auc, parse_gfr_cap
from dosecalc.derivation import Derivation, quantity_json
from dosecalc.display import format_number, format_quantity
from dosecalc.dosing import BasisKind, DoseModification, calculate_dose, parse_bsa_cap, parse_days, parse_dose_basis
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.order import demo_order
from dosecalc.patient import Height, Patient, SerumCreatinine, Weight, parse_age, parse_sex
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
from dosecalc.settings import DEFAULT_LIMITS

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a defect in DoseCalc, reported in one line


class UsageError(InputError):
    code = "usage.invalid"


class _Parser(argparse.ArgumentParser):
    """argparse that raises a field-named error instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        match = re.search(r"--([\w-]+)", message)
        field = match.group(1) if match else "arguments"
        raise UsageError(field, None, message.replace("\n", " "), expected=f"see '{self.prog} --help'")


Payload = dict[str, Any]
Handler = Callable[[argparse.Namespace], tuple[Payload, list[str]]]


def _patient_from(args: argparse.Namespace, *, need_renal: bool) -> Patient:
    limits = DEFAULT_LIMITS
    height = Height.parse(args.height, limits=limits) if getattr(args, "height", None) is not None else None
    weight = Weight.parse(args.weight, limits=limits) if getattr(args, "weight", None) is not None else None
    if not need_renal:
        return Patient(height=height, weight=weight)
    age = parse_age(args.age, limits) if args.age is not None else None
    sex = parse_sex(args.sex) if args.sex is not None else None
    creatinine = SerumCreatinine.parse(args.creatinine, limits=limits) if args.creatinine is not None else None
    return Patient(age_years=age, sex=sex, height=height, weight=weight, creatinine=creatinine)


_ESTIMATING_METHODS = (RenalMethod.COCKCROFT_GAULT, RenalMethod.CKD_EPI_2021)


def _choice(value: str | None, choices: Sequence[Any], default: Any, field: str, note: str = "") -> Any:
    if value is None:
        return default
    for choice in choices:
        if value.strip().lower() == choice.value:
            return choice
    raise InputError(field, value, "is not recognised", expected=" | ".join(c.value for c in choices) + note)


def _renal(args: argparse.Namespace) -> RenalResult:
    method = _choice(
        args.method,
        _ESTIMATING_METHODS,
        RenalMethod.COCKCROFT_GAULT,
        "method",
        " (for a measured GFR use carboplatin --gfr)",
    )
    basis = _choice(args.weight_basis, tuple(WeightBasis), WeightBasis.ACTUAL, "weight-basis")
    patient = _patient_from(args, need_renal=True)
    for name, value in (("age", args.age), ("sex", args.sex), ("creatinine", args.creatinine)):
        if value is None:
            raise InputError(name, None, f"is required for {method.label}", expected=f"--{name}", code="value.missing")
    if method is RenalMethod.COCKCROFT_GAULT and args.weight is None:
        raise InputError(
            "weight", None, "is required for Cockcroft–Gault", expected="--weight, e.g. '70 kg'", code="value.missing"
        )
    floor = parse_creatinine_floor(args.creatinine_floor)
    return estimate_renal_function(patient, method, basis, floor)


def _common(derivation: Derivation) -> Payload:
    return {"derivation": derivation.lines(), "warnings": [f.to_json() for f in derivation.flags]}


def _cmd_bsa(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    formula = parse_formula(args.formula)
    patient = _patient_from(args, need_renal=False)
    height = patient.require_height("the body surface area")
    weight = patient.require_weight("the body surface area")
    result = body_surface_area(height, weight, formula)
    payload = {"bsa": quantity_json(result.bsa), "formula": formula.value, **_common(result.derivation)}
    return payload, [f"BSA: {format_quantity(result.bsa, 2)} ({formula.label})"]


def _renal_payload(result: RenalResult) -> Payload:
    return {
        "method": result.method.value,
        "clearance": quantity_json(result.clearance.value) if result.clearance else None,
        "egfr_indexed": result.egfr_indexed.per_standard_surface if result.egfr_indexed else None,
        "weight_used": quantity_json(result.weight_used),
        "weight_basis": result.weight_basis.value if result.weight_basis else None,
        "creatinine_used": quantity_json(result.creatinine_used),
    }


def _cmd_renal(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    result = _renal(args)
    payload = {**_renal_payload(result), **_common(result.derivation)}
    summary = []
    if result.egfr_indexed is not None:
        summary.append(f"eGFR (indexed): {format_number(result.egfr_indexed.per_standard_surface, 1)} mL/min/1.73 m²")
    if result.clearance is not None:
        label = "Creatinine clearance" if result.method is RenalMethod.COCKCROFT_GAULT else "eGFR (de-indexed)"
        summary.append(f"{label}: {format_quantity(result.clearance.value, 1)}")
    return payload, summary


_RENAL_OPTIONS = ("age", "sex", "weight", "creatinine", "height", "creatinine_floor", "method", "weight_basis")


def _cmd_carboplatin(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    auc = parse_auc(args.auc)
    cap = parse_gfr_cap(args.gfr_cap)
    renal_given = [name for name in _RENAL_OPTIONS if getattr(args, name) is not None]
    renal_payload: Payload | None = None
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
        renal = _renal(args)
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
        renal_payload = _renal_payload(renal)
    result = carboplatin_dose(auc, gfr, cap)
    payload: Payload = {
        "dose": quantity_json(result.dose),
        "auc": result.auc,
        "gfr_used": quantity_json(result.gfr_used),
        "gfr_capped": result.gfr_capped,
        "gfr_cap": quantity_json(result.gfr_cap),
        "renal": renal_payload,
        **_common(result.derivation),
    }
    capped = " (GFR capped)" if result.gfr_capped else ""
    return payload, [f"Carboplatin dose: {format_quantity(result.dose, 1)}{capped}"]


def _refuse_unused(args: argparse.Namespace, names: Sequence[str], why: str) -> None:
    for name in names:
        value = getattr(args, name.replace("-", "_"))
        if value is not None:
            raise InputError(name, value, f"is not used {why}", expected=f"no --{name} {why}")


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
            _refuse_unused(args, ("height", "weight", "bsa-formula"), "when --bsa is given")
            bsa = parse_bsa(args.bsa)
        else:
            formula = parse_formula(args.bsa_formula or "mosteller", field="bsa-formula")
            patient = _patient_from(args, need_renal=False)
            purpose = f"a dose in {basis.kind.value} (or give --bsa)"
            bsa = body_surface_area(patient.require_height(purpose), patient.require_weight(purpose), formula)
    elif basis.kind is BasisKind.PER_KG:
        _refuse_unused(args, ("height", "bsa", "bsa-formula", "bsa-cap"), "for a dose in mg/kg")
        weight = _patient_from(args, need_renal=False).weight
    else:
        _refuse_unused(args, ("height", "weight", "bsa", "bsa-formula", "bsa-cap"), "for a flat dose")
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
        **_common(result.derivation),
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
        **_common(result.derivation),
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
        **_common(order.derivation),
    }
    summary = ["DEMONSTRATION ORDER — invented patient, not for clinical use", ""]
    for line in order.lines:
        summary.append(f"{line.drug}: {format_quantity(line.result.final, 1)}")
        summary.extend(f"    {text}" for text in line.result.derivation.lines())
    summary.append(f"CARBOplatin: {format_quantity(carboplatin.dose, 1)}")
    summary.extend(f"    {text}" for text in carboplatin.derivation.lines())
    return payload, summary


def _build_parser() -> _Parser:
    parser = _Parser(prog="dosecalc", description="Chemotherapy dose calculations with their derivation.")
    parser.add_argument("--version", action="version", version=f"dosecalc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, help_text: str, handler: Handler) -> _Parser:
        p: _Parser = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(handler=handler)
        return p

    p = command("bsa", "Body surface area in m².", _cmd_bsa)
    p.add_argument("--height", required=True, help='e.g. "170 cm" or "1.7 m"')
    p.add_argument("--weight", required=True, help='e.g. "65 kg"')
    p.add_argument(
        "--formula",
        default="mosteller",
        help="mosteller (default) | dubois | haycock | gehan-george | boyd | fujimoto | stevenson",
    )

    def renal_options(p: _Parser) -> None:
        p.add_argument("--age", help="years, 18–120")
        p.add_argument("--sex", help="female | male")
        p.add_argument("--weight", help='actual weight, e.g. "70 kg"')
        p.add_argument("--creatinine", help='serum creatinine with its unit: "1.4 mg/dL" or "80 µmol/L"')
        p.add_argument("--height", help="needed for ideal/adjusted weight and to de-index CKD-EPI")
        p.add_argument("--method", help="cockcroft-gault (default) | ckd-epi-2021")
        p.add_argument("--weight-basis", help="actual (default) | ideal | adjusted | lower")
        p.add_argument("--creatinine-floor", help='none (default) or e.g. "0.7 mg/dL"')

    p = command("renal", "Creatinine clearance (Cockcroft–Gault) or eGFR (CKD-EPI 2021).", _cmd_renal)
    renal_options(p)

    p = command("carboplatin", "Carboplatin dose by target AUC (Calvert).", _cmd_carboplatin)
    p.add_argument("--auc", required=True, help="target AUC in mg/mL·min, 1–10")
    p.add_argument("--gfr", help='a GFR in mL/min, e.g. "90 mL/min"; or give the renal options')
    p.add_argument("--gfr-cap", help='"125 mL/min" (default, FDA 2010), another value, or none')
    renal_options(p)

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
    parser.set_defaults(commands=sub.choices)
    return parser


def _normalised(parser: _Parser, arguments: list[str]) -> list[str]:
    """Join each single-value option to its value and refuse an option given twice.

    ``--weight -70kg`` would otherwise reach argparse as two options and come back as
    "expected one argument"; joined as ``--weight=-70kg`` it reaches the weight check,
    whose message is the useful one. A repeated ``--height`` would silently keep the last.
    """
    commands: dict[str, argparse.ArgumentParser] = parser.get_default("commands")
    if not arguments or arguments[0] not in commands:
        return arguments
    actions = commands[arguments[0]]._actions
    single = {option for a in actions if a.option_strings and a.nargs is None for option in a.option_strings}
    out, seen, index = [arguments[0]], set(), 1
    while index < len(arguments):
        token = arguments[index]
        name = token.split("=", 1)[0]
        if name in single:
            if name in seen:
                raise UsageError(name[2:], None, "is given more than once", expected="each option once")
            seen.add(name)
            if "=" not in token and index + 1 < len(arguments):
                out.append(f"{token}={arguments[index + 1]}")
                index += 2
                continue
        out.append(token)
        index += 1
    return out


def _render_text(payload: Payload, summary: Sequence[str]) -> str:
    lines = list(summary)
    if payload.get("derivation") and not payload.get("demo"):
        lines.append("")
        lines.extend(payload["derivation"])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in arguments
    try:
        parser = _build_parser()
        args = parser.parse_args(_normalised(parser, arguments))
        payload, summary = args.handler(args)
    except DoseCalcError as error:
        print(error.one_line(), file=sys.stderr)
        if want_json:
            print(json.dumps({"error": error.to_json()}, ensure_ascii=False))
        return EXIT_INVALID_INPUT
    except Exception as error:  # a defect: one line, never a traceback
        print(
            f"internal error: {type(error).__name__}: {error}; please report this with the command used",
            file=sys.stderr,
        )
        if want_json:
            print(json.dumps({"error": {"field": None, "message": f"internal error: {type(error).__name__}"}}))
        return EXIT_INTERNAL
    if want_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(_render_text(payload, summary))
    return EXIT_OK
