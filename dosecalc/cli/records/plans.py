"""``dosecalc plan create``: a treatment plan with its regimen version pinned."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.records.access import _action, _actor, _db_text, _nested, _opened, _patient, signed_in
from dosecalc.cli.records.shapes import _plan_json, _plan_line
from dosecalc.cli.regimens import library_from, parse_choices, policy_from, regimen_from
from dosecalc.cli.schedule import parse_date
from dosecalc.errors import InputError

if TYPE_CHECKING:
    from dosecalc.regimen.model import Regimen

__all__ = ["register"]


def _regimen_version(args: argparse.Namespace) -> tuple[Any, Regimen]:
    from dosecalc.regimen.model import Status

    library = library_from(args)
    regimen = regimen_from(library, args.regimen)
    if args.version is not None:
        key = (args.regimen, args.version.strip())
        if key not in library.versions:
            versions = sorted(v for (rid, v) in library.versions if rid == args.regimen)
            raise InputError(
                "version",
                args.version,
                f"is not a version of {args.regimen} in the library",
                expected=" | ".join(versions),
            )
        regimen = library.versions[key]
    if regimen.status in (Status.WITHDRAWN, Status.SUPERSEDED):
        raise InputError(
            "regimen",
            f"{regimen.id} v{regimen.version}",
            f"is {regimen.status.value}; a new plan cannot use it",
            expected="an approved or draft regimen version",
        )
    return library, regimen


def _phase_starts(values: list[str] | None, regimen: Regimen) -> dict[str, dt.date]:
    phases = [p.id for p in regimen.phases]
    starts: dict[str, dt.date] = {}
    for value in values or []:
        phase, sep, date = value.partition("=")
        if not sep or not phase.strip():
            raise InputError("phase-start", value, "is not PHASE=YYYY-MM-DD", expected="e.g. salvage=2027-06-07")
        if phase.strip() not in phases:
            raise InputError(
                "phase-start", phase.strip(), f"is not a phase of {regimen.id}", expected=" | ".join(phases)
            )
        if phase.strip() in starts:
            raise InputError("phase-start", value, "names a phase twice", expected="one start per phase")
        starts[phase.strip()] = parse_date(date, "phase-start")
    return starts


def _checked_choices(regimen: Regimen, choices: Mapping[str, str], starts: Mapping[str, dt.date]) -> None:
    """Every choice names a group and option of the regimen; every phase that will run has its choices."""
    from dosecalc.regimen.order import NONE_CHOICE

    groups = {g.id: g for g in regimen.choice_groups}
    for group_id, option in choices.items():
        if group_id not in groups:
            raise InputError(
                "choose",
                f"{group_id}={option}",
                f"names no choice group of {regimen.id} v{regimen.version}",
                expected=" | ".join(groups) or "no --choose (this regimen has no choices)",
            )
        group = groups[group_id]
        options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
        if option not in options:
            raise InputError(
                "choose",
                f"{group_id}={option}",
                f"is not an option of {group.name.en} ({group_id})",
                expected=" | ".join(f"{group_id}={o}" for o in options),
            )
    for phase in regimen.phases:
        runs = phase.id in starts or not (phase.start.optional or phase.start.on_event)
        if not runs:
            continue  # an optional phase's choices can wait until it is started
        needed = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
        needed |= {course.choice.split("=")[0] for course in phase.radiotherapy if course.choice}
        for group_id in sorted(needed - set(choices)):
            group = groups[group_id]
            options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
            raise InputError(
                "choose",
                None,
                f"has no choice for {group.name.en} ({group_id}), which phase {phase.id} needs",
                expected=" | ".join(f"{group_id}={o}" for o in options),
                code="value.missing",
            )


_POLICY_OPTIONS = ("bsa-formula", "renal-method", "weight-basis", "creatinine-floor", "gfr-cap", "max-deviation")


def _cmd_plan_create(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    start = parse_date(args.start, "start")
    library, regimen = _regimen_version(args)
    choices = parse_choices(args.choose)
    starts = _phase_starts(args.phase_start, regimen)
    _checked_choices(regimen, choices, starts)
    policy_from(args)  # refuses an invalid policy option before anything is saved
    policies = {
        name.replace("-", "_"): getattr(args, name.replace("-", "_")).strip()
        for name in _POLICY_OPTIONS
        if getattr(args, name.replace("-", "_")) is not None
    }
    with _opened(args) as store:
        user = signed_in(store, args)
        patient = _patient(store, args.patient)
        plan_id = store.create_plan(
            _actor(user),
            patient["id"],
            regimen_id=regimen.id,
            regimen_version=regimen.version,
            choices=choices,
            policies=policies,
            start_date=start,
            phase_starts=starts,
        )
        plan = _plan_json(store.plan(plan_id))
        payload = {
            "patient": patient["hospital_number"],
            "plan": {**plan, "regimen": {**plan["regimen"], "status": regimen.status.value}},
            "origin": library.origins.get((regimen.id, regimen.version)),
            "db": _db_text(store),
        }
    summary = [f"created {_plan_line(plan)} for {patient['full_name']} ({patient['hospital_number']})"]
    summary.append("Policies: " + (", ".join(f"{k} {v}" for k, v in policies.items()) if policies else "the defaults"))
    if regimen.status.value == "draft":
        summary.append(f"Note: {regimen.id} v{regimen.version} is a draft; its unconfirmed values are marked")
    return payload, summary


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``dosecalc plan create``."""
    plans = _nested(sub, "plan", "Treatment plans.")
    p = _action(plans, "create", "Start a plan: the regimen version is pinned.", _cmd_plan_create, writes=True)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument("--regimen", required=True)
    p.add_argument("--version", help="a regimen version of the library (default: the current one)")
    p.add_argument("--start", required=True, help="first day of the plan, YYYY-MM-DD")
    p.add_argument("--choose", action="append", metavar="GROUP=OPTION", help="one per choice group")
    p.add_argument(
        "--phase-start", action="append", metavar="PHASE=YYYY-MM-DD", help="start of an optional phase on its date"
    )
    p.add_argument("--bsa-formula", help="pin a BSA formula for the plan's orders (default mosteller)")
    p.add_argument("--renal-method", help="cockcroft-gault (default) | ckd-epi-2021 | measured")
    p.add_argument("--weight-basis", help="actual (default) | ideal | adjusted | lower")
    p.add_argument("--creatinine-floor", help='none (default) or e.g. "0.7 mg/dL"')
    p.add_argument("--gfr-cap", help='"125 mL/min" (default), another value, or none')
    p.add_argument("--max-deviation", help='largest rounding deviation, e.g. "5%%" (default)')
    p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")
