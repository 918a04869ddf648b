"""Shared parts of the command line: the parser that raises field-named errors, patient input, payloads."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from dosecalc.derivation import Derivation
from dosecalc.errors import InputError
from dosecalc.patient import Height, Patient, SerumCreatinine, Weight, parse_age, parse_sex
from dosecalc.renal import RenalMethod
from dosecalc.settings import DEFAULT_LIMITS

EXIT_OK = 0
EXIT_INVALID_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a defect in DoseCalc, reported in one line


class UsageError(InputError):
    code = "usage.invalid"


class Parser(argparse.ArgumentParser):
    """argparse that raises a field-named error instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        match = re.search(r"--([\w-]+)", message)
        field = match.group(1) if match else "arguments"
        raise UsageError(field, None, message.replace("\n", " "), expected=f"see '{self.prog} --help'")


Payload = dict[str, Any]
Handler = Callable[[argparse.Namespace], tuple[Payload, list[str]]]


def patient_from(args: argparse.Namespace, *, need_renal: bool) -> Patient:
    limits = DEFAULT_LIMITS
    height = Height.parse(args.height, limits=limits) if getattr(args, "height", None) is not None else None
    weight = Weight.parse(args.weight, limits=limits) if getattr(args, "weight", None) is not None else None
    if not need_renal:
        return Patient(height=height, weight=weight)
    age = parse_age(args.age, limits) if args.age is not None else None
    sex = parse_sex(args.sex) if args.sex is not None else None
    creatinine = SerumCreatinine.parse(args.creatinine, limits=limits) if args.creatinine is not None else None
    return Patient(age_years=age, sex=sex, height=height, weight=weight, creatinine=creatinine)


ESTIMATING_METHODS = (RenalMethod.COCKCROFT_GAULT, RenalMethod.CKD_EPI_2021)


def choice(value: str | None, choices: Sequence[Any], default: Any, field: str, note: str = "") -> Any:
    if value is None:
        return default
    for choice in choices:
        if value.strip().lower() == choice.value:
            return choice
    raise InputError(field, value, "is not recognised", expected=" | ".join(c.value for c in choices) + note)


def derivation_payload(derivation: Derivation) -> Payload:
    return {"derivation": derivation.lines(), "warnings": [f.to_json() for f in derivation.flags]}


def refuse_unused(args: argparse.Namespace, names: Sequence[str], why: str) -> None:
    for name in names:
        value = getattr(args, name.replace("-", "_"))
        if value is not None:
            raise InputError(name, value, f"is not used {why}", expected=f"no --{name} {why}")


class ValidationFailedError(Exception):
    """``regimens validate`` found problems; they have been printed."""


def normalised(parser: Parser, arguments: list[str]) -> list[str]:
    """Join each single-value option to its value and refuse an option given twice.

    ``--weight -70kg`` would otherwise reach argparse as two options and come back as
    "expected one argument"; joined as ``--weight=-70kg`` it reaches the weight check,
    whose message is the useful one. A repeated ``--height`` would silently keep the last.
    """
    commands: dict[str, argparse.ArgumentParser] = parser.get_default("commands")
    if not arguments or arguments[0] not in commands:
        return arguments
    target, depth = commands[arguments[0]], 1
    # Nested commands (``patient add``, ``regimens show``): use the innermost parser's options.
    for action in target._actions:
        if isinstance(action, argparse._SubParsersAction) and len(arguments) > 1 and arguments[1] in action.choices:
            target, depth = action.choices[arguments[1]], 2
    actions = target._actions
    single = {option for a in actions if a.option_strings and a.nargs is None for option in a.option_strings}
    repeatable = {option for a in actions if isinstance(a, argparse._AppendAction) for option in a.option_strings}
    out, seen, index = list(arguments[:depth]), set(), depth
    while index < len(arguments):
        token = arguments[index]
        name = token.split("=", 1)[0]
        if name in single:
            if name in seen and name not in repeatable:
                raise UsageError(name[2:], None, "is given more than once", expected="each option once")
            seen.add(name)
            if "=" not in token and index + 1 < len(arguments):
                out.append(f"{token}={arguments[index + 1]}")
                index += 2
                continue
        out.append(token)
        index += 1
    return out
