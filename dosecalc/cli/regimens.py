"""regimens list|show|validate and order: the regimen-library commands.

dosecalc regimens list [--json]
dosecalc regimens show ID [--json]
dosecalc regimens validate PATH...
dosecalc order --regimen ID --phase PHASE [--cycle N] [--choose GROUP=OPTION ...] <patient options>
               [--bsa-formula NAME] [--renal-method cockcroft-gault|ckd-epi-2021|measured] [--gfr "X mL/min"]
               [--weight-basis ...] [--creatinine-floor ...] [--gfr-cap ...] [--max-deviation "5%"]
               [--dose-level N] [--json]
dosecalc order --batch ORDERS.csv [--out REPORT.csv|.json]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dosecalc.bsa import parse_formula
from dosecalc.carboplatin import parse_gfr_cap
from dosecalc.cli.calc import renal_options
from dosecalc.cli.common import Handler, Parser, Payload, ValidationFailedError, choice, patient_from
from dosecalc.derivation import quantity_json
from dosecalc.display import format_number, format_quantity
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy
from dosecalc.patient import Weight
from dosecalc.regimen.loader import Library, load_library, validate_paths
from dosecalc.regimen.model import Regimen
from dosecalc.regimen.order import RegimenOrder, compute_regimen_order
from dosecalc.renal import RenalMethod, WeightBasis, measured_gfr, parse_creatinine_floor
from dosecalc.rounding import parse_max_deviation
from dosecalc.units import parse_number

__all__ = ["library_from", "order_payload", "parse_choices", "policy_from", "regimen_from", "register"]


def library_from(args: argparse.Namespace) -> Library:
    site = getattr(args, "site_regimens", None)
    return load_library(Path(site) if site else None)


def regimen_from(library: Library, regimen_id: str) -> Regimen:
    if regimen_id not in library.regimens:
        raise InputError(
            "regimen",
            regimen_id,
            "is not in the regimen library",
            expected=" | ".join(sorted(library.regimens)) or "a regimen id (the library is empty)",
        )
    return library.regimens[regimen_id]


def _cmd_list(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    library = library_from(args)
    rows = [
        {
            "id": r.id,
            "name": r.name.en,
            "name_zh": r.name.zh,
            "version": r.version,
            "status": r.status.value,
            "review_date": r.review_date.isoformat(),
            "origin": library.origins.get((r.id, r.version)),
        }
        for r in sorted(library.regimens.values(), key=lambda item: item.id)
    ]
    summary = [f"{row['id']}  v{row['version']}  {row['status']}  {row['name']}" for row in rows]
    summary.extend(f"REFUSED: {problem.one_line()}" for problem in library.problems)
    return {"regimens": rows, "problems": [p.one_line() for p in library.problems]}, summary


def _cmd_show(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    library = library_from(args)
    regimen = regimen_from(library, args.id)
    data = regimen.model_dump(mode="json")
    summary = [
        f"{regimen.id} v{regimen.version} ({regimen.status.value}, review by {regimen.review_date:%d %b %Y})",
        f"{regimen.name.en} / {regimen.name.zh}",
        f"Indication: {regimen.indication}",
    ]
    summary.extend(f"Source: {s.id}: {s.citation}" for s in regimen.sources)
    for group in regimen.choice_groups:
        options = " | ".join(o.id for o in group.options) + (" | none" if group.optional else "")
        summary.append(f"Choice {group.id} ({group.name.en}): {options}")
    for phase in regimen.phases:
        bound = _cycles_text(phase.cycles) if phase.cycles else _duration_text(phase.duration)
        start = "after the previous phase" if phase.start.after == "previous" else "at the start of the regimen"
        if phase.start.on_event:
            start = f"optional, on {phase.start.on_event}"
        elif phase.start.optional:
            start = f"optional, {start}"
        summary.append(f"Phase {phase.id} ({phase.name.en}): every {phase.cycle_length_days} days, {bound}; {start}")
        for line in sorted(phase.drugs, key=lambda item: item.order):
            drug = library.catalogue.get(line.drug)
            name = drug.display if drug else line.drug
            days = ", ".join(str(d) for d in line.day_list()) if isinstance(line.days, list) else line.days
            mark = "" if line.dose.confirmed else " [UNCONFIRMED]"
            when = f" [{line.choice}]" if line.choice else ""
            summary.append(f"  {line.order}. {name} {line.dose.text()}{mark} {line.route.value}, day {days}{when}")
        for course in phase.radiotherapy:
            when = f" [{course.choice}]" if course.choice else ""
            summary.append(
                f"  radiotherapy {course.total} in {course.fractions} fractions, "
                f"{course.fractions_per_week} a week{' on weekdays' if course.weekdays_only else ''}{when}"
            )
        if phase.local_interventions:
            local = phase.local_interventions
            summary.append(f"  local intervention per lesion (up to {local.max_lesions}): {', '.join(local.kinds)}")
    return {"regimen": data, "origin": library.origins.get((regimen.id, regimen.version))}, summary


def _cycles_text(count: int) -> str:
    return "1 cycle" if count == 1 else f"{count} cycles"


def _duration_text(duration: Any) -> str:
    parts = []
    if duration.months:
        anchor = "the phase's first dose" if duration.anchor == "phase-first-dose" else "the first PD-1 dose"
        parts.append(f"{duration.months} months from {anchor}")
    if duration.max_cycles:
        parts.append(_cycles_text(duration.max_cycles))
    return " or ".join(parts) + (", whichever comes first" if len(parts) > 1 else "")


def _cmd_validate(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    problems = validate_paths([Path(p) for p in args.paths])
    if problems:
        for problem in problems:
            print(problem.one_line(), file=sys.stderr)
        raise ValidationFailedError
    return {"valid": True, "paths": args.paths}, [f"valid: {', '.join(args.paths)}"]


def parse_choices(values: list[str] | None) -> dict[str, str]:
    """``["pd1=sintilimab", "chemo=paclitaxel"]`` → a dict; each group once."""
    choices: dict[str, str] = {}
    for value in values or []:
        group, sep, option = value.partition("=")
        if not sep or not group.strip() or not option.strip():
            raise InputError("choose", value, "is not GROUP=OPTION", expected="e.g. --choose pd1=sintilimab")
        if group.strip() in choices:
            raise InputError("choose", value, f"chooses {group.strip()} twice", expected="one option per group")
        choices[group.strip()] = option.strip()
    return choices


def policy_from(args: argparse.Namespace) -> tuple[DosingPolicy, list[tuple[str, str]]]:
    """The dosing policy from the options, and which values came from the command line rather than defaults."""
    given: list[tuple[str, str]] = []
    updates: dict[str, Any] = {}
    if args.bsa_formula is not None:
        updates["bsa_formula"] = parse_formula(args.bsa_formula, field="bsa-formula")
        given.append(("BSA formula", "command line"))
    if args.renal_method is not None:
        updates["renal_method"] = choice(
            args.renal_method, tuple(RenalMethod), DEFAULT_POLICY.renal_method, "renal-method"
        )
        given.append(("Renal method", "command line"))
    if args.weight_basis is not None:
        updates["weight_basis"] = choice(
            args.weight_basis, tuple(WeightBasis), DEFAULT_POLICY.weight_basis, "weight-basis"
        )
        given.append(("Weight basis (renal)", "command line"))
    if args.creatinine_floor is not None:
        updates["creatinine_floor"] = parse_creatinine_floor(args.creatinine_floor)
        given.append(("Creatinine floor", "command line"))
    if args.gfr_cap is not None:
        updates["gfr_cap"] = parse_gfr_cap(args.gfr_cap)
        given.append(("GFR cap", "command line"))
    if args.max_deviation is not None:
        updates["max_deviation"] = parse_max_deviation(args.max_deviation)
        given.append(("Maximum rounding deviation", "command line"))
    return DEFAULT_POLICY.model_copy(update=updates), given


def _dose_level(value: str | None) -> int:
    if value is None:
        return 0
    number = parse_number(value, "dose-level", "0 (protocol dose) or a reduction level 1–5")
    if number != int(number):
        raise InputError("dose-level", value, "is not a whole number", expected="0 (protocol dose) or 1–5")
    return int(number)


def _cycle(value: str | None) -> int:
    if value is None:
        return 1
    number = parse_number(value, "cycle", "a cycle number from 1")
    if number != int(number) or number < 1:
        raise InputError("cycle", value, "is not a cycle number", expected="a whole number from 1")
    return int(number)


def order_payload(order: RegimenOrder, given: list[tuple[str, str]]) -> Payload:
    sources = dict(given)
    return {
        "regimen": {"id": order.regimen.id, "version": order.regimen.version, "status": order.regimen.status.value},
        "phase": order.phase.id,
        "cycle": order.cycle,
        "choices": dict(order.choices),
        "bsa": quantity_json(order.bsa.bsa) if order.bsa else None,
        "lines": [
            {
                "drug": line.drug.id,
                "display": line.drug.display,
                "zh": line.drug.zh,
                "route": line.line.route.value,
                "days": list(line.days),
                "infusion": line.line.infusion,
                "order": line.line.order,
                "basis": quantity_json(line.basis)
                if not isinstance(line.basis, float)
                else {"value": line.basis, "unit": "mg*min/mL"},
                "basis_kind": line.line.dose.basis.value,
                "calculated": quantity_json(line.result.calculated),
                "final": quantity_json(line.result.final),
                "per_cycle": quantity_json(line.result.per_cycle),
                "deviation_percent": float(line.result.deviation_percent),
                "confirmed": line.line.dose.confirmed,
                "premedication": line.line.premedication,
                "supportive": line.line.supportive,
                "derivation": line.derivation.lines(),
            }
            for line in order.lines
        ],
        "policies": [{"name": n, "value": v, "from": sources.get(n, "default")} for n, v in order.policies],
        "flags": [f.to_json() for f in order.flags],
        "blocked": order.blocked,
    }


def _cmd_order(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    if args.batch is not None:
        from dosecalc.cli.batch import run_batch  # the batch re-check has its own module

        return run_batch(args)
    for name in ("regimen", "phase"):
        if getattr(args, name) is None:
            raise InputError(name, None, "is required", expected=f"--{name} (or --batch FILE)", code="value.missing")
    for name in ("out", "tolerance"):
        if getattr(args, name) is not None:
            raise InputError(
                name, getattr(args, name), "is only used with --batch", expected=f"--batch ORDERS.csv --{name} …"
            )
    library = library_from(args)
    regimen = regimen_from(library, args.regimen)
    policy, given = policy_from(args)
    if args.dose_level is not None:
        given.append(("Dose level", "command line"))
    gfr = None
    if args.gfr is not None:
        if policy.renal_method is not RenalMethod.MEASURED:
            raise InputError(
                "gfr", args.gfr, "needs --renal-method measured", expected="--renal-method measured --gfr X"
            )
        gfr = measured_gfr(args.gfr)
    patient = patient_from(args, need_renal=True)
    reference = None
    if args.reference_weight is not None:
        try:
            reference = Weight.parse(args.reference_weight)
        except DoseCalcError as error:
            raise error.for_field("reference-weight") from None
    order = compute_regimen_order(
        regimen,
        library.catalogue,
        patient,
        args.phase,
        _cycle(args.cycle),
        parse_choices(args.choose),
        policy,
        dose_level=_dose_level(args.dose_level),
        gfr=gfr,
        reference_weight=reference,
    )
    payload = order_payload(order, given)
    summary = [f"{regimen.name.en}", f"{regimen.id} v{regimen.version} — phase {order.phase.id}, cycle {order.cycle}"]
    if order.bsa is not None:
        summary.append(f"BSA: {format_quantity(order.bsa.bsa, 2)}")
    for line in order.lines:
        days = ", ".join(str(d) for d in line.days)
        infusion = f" over {line.line.infusion}" if line.line.infusion else ""
        summary.append(
            f"{line.line.order}. {line.drug.display} ({line.drug.zh}) {line.basis_text}: "
            f"DOSE {format_quantity(line.result.final, 1)} {line.line.route.value}{infusion}, day {days} "
            f"(calculated {format_quantity(line.result.calculated, 2)}, "
            f"{format_number(line.result.deviation_percent, 2)} %; "
            f"per cycle {format_quantity(line.result.per_cycle, 1)})"
        )
        summary.extend(
            f"     {text}" for text in (line.line.note, *line.line.premedication, *line.line.supportive) if text
        )
    summary.append("Policies:")
    summary.extend(f"  {name}: {value} ({dict(given).get(name, 'default')})" for name, value in order.policies)
    summary.append("Flags:" if order.flags else "Flags: none")
    summary.extend(f"  {f.render()}" for f in order.flags)
    for line in order.lines:
        summary.append("")
        summary.extend(line.derivation.lines())
    return payload, summary


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``regimens`` (list, show, validate) and ``order``."""
    regimens: Parser = sub.add_parser("regimens", help="The regimen library.", description="The regimen library.")
    inner = regimens.add_subparsers(dest="regimens_command", metavar="ACTION", parser_class=Parser)
    inner.required = True
    for name, help_text, handler in (
        ("list", "Every regimen: id, name, version, status.", _cmd_list),
        ("show", "One regimen: phases, choice groups and drug lines.", _cmd_show),
        ("validate", "Validate regimen or catalogue files.", _cmd_validate),
    ):
        p: Parser = inner.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")
        p.set_defaults(handler=handler)
        if name == "show":
            p.add_argument("id")
        if name == "validate":
            p.add_argument("paths", nargs="+", metavar="PATH")

    p = command("order", "A whole order from a regimen, or a batch re-check of many orders.", _cmd_order)
    p.add_argument("--regimen")
    p.add_argument("--phase")
    p.add_argument("--cycle", help="cycle number within the phase (default 1)")
    p.add_argument(
        "--choose", action="append", metavar="GROUP=OPTION", help="one per choice group, e.g. pd1=sintilimab"
    )
    renal_options(p)
    p.add_argument(
        "--bsa-formula", help="mosteller (default) | dubois | haycock | gehan-george | boyd | fujimoto | stevenson"
    )
    p.add_argument("--renal-method", help="cockcroft-gault (default) | ckd-epi-2021 | measured")
    p.add_argument("--gfr", help='a measured GFR, e.g. "90 mL/min" (with --renal-method measured)')
    p.add_argument("--gfr-cap", help='"125 mL/min" (default, FDA 2010), another value, or none')
    p.add_argument("--max-deviation", help='largest rounding deviation, e.g. "5%%" (default 5%%)')
    p.add_argument("--dose-level", help="0 = protocol dose (default); 1, 2 … = reduction levels of the regimen")
    p.add_argument(
        "--reference-weight", help="weight the last doses were based on; a change of 10 %% or more is flagged"
    )
    p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")
    p.add_argument("--batch", help="CSV of orders to re-check")
    p.add_argument("--out", help="report file for --batch: .csv or .json")
    p.add_argument("--tolerance", help='largest accepted difference of a prescribed dose, e.g. "5%%" (default 5%%)')
