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

Preparation of one dose (dosecalc.cli.prepare):

    dosecalc prepare --drug ID --dose "300 mg" [--diluent "500 mL sodium chloride 0.9%"] [--duration "3 h"]
                     [--rate "5 mL/h"] [--json]

Regimens, orders and calendars (dosecalc.cli.regimens, dosecalc.cli.schedule):

    dosecalc regimens list | show ID | validate PATH...
    dosecalc order --regimen ID --phase P [--cycle N] [--choose G=O ...] <patient options> [...] [--json]
    dosecalc order --batch ORDERS.csv [--out REPORT.csv|.json] [--tolerance "5%"]
    dosecalc schedule --regimen ID --start YYYY-MM-DD [--choose G=O ...] [--phase-start P=DATE ...]
                      [--closures CN|none] [--delay [PHASE:]CYCLE=DAYS[:REASON] ...] [--json] [--ics FILE]

Patient records, all with --db URL (dosecalc.cli.records):

    dosecalc user add | patient add|list|show | measure | plan create | give | ledger PATIENT
    dosecalc audit verify | backup --out FILE | restore --from FILE

Invalid input: exit status 2 and one line on stderr naming the field; with
``--json`` also ``{"error": {"field": ..., "message": ...}}`` on stdout. A
traceback never reaches the user.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Sequence

from dosecalc import __version__
from dosecalc.cli.common import (
    EXIT_INTERNAL,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    Handler,
    Parser,
    Payload,
    ValidationFailedError,
    normalised,
)
from dosecalc.errors import DoseCalcError

__all__ = ["main"]

#: The module (``dosecalc.cli.<name>``) that registers each command, in the order ``--help`` lists them.
#: ``dosecalc bsa`` then imports only what its own command needs (not the regimen library's models,
#: the schedule and holiday modules or SQLAlchemy): start-up is most of a single calculation's time.
#: A test checks this table against the parser of every command.
COMMAND_MODULES: dict[str, str] = {
    "bsa": "calc",
    "renal": "calc",
    "carboplatin": "calc",
    "dose": "calc",
    "eqd2": "calc",
    "demo": "calc",
    "regimens": "regimens",
    "order": "regimens",
    "prepare": "prepare",
    "schedule": "schedule",
    "user": "records",
    "patient": "records",
    "measure": "records",
    "plan": "records",
    "give": "records",
    "ledger": "records",
    "audit": "records",
    "backup": "records",
    "restore": "records",
}


def _build_parser(command_name: str | None = None) -> Parser:
    """Every command's parser; with ``command_name`` a known command, only the module that registers it."""
    parser = Parser(prog="dosecalc", description="Chemotherapy dose calculations with their derivation.")
    parser.add_argument("--version", action="version", version=f"dosecalc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    def command(name: str, help_text: str, handler: Handler) -> Parser:
        p: Parser = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(handler=handler)
        return p

    only = COMMAND_MODULES.get(command_name or "")
    for name in dict.fromkeys(COMMAND_MODULES.values()):
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"dosecalc.cli.{name}")
        if name in ("regimens", "records"):
            module.register(command, sub)
        else:
            module.register(command)
    parser.set_defaults(commands=sub.choices)
    return parser


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
        parser = _build_parser(arguments[0] if arguments else None)
        args = parser.parse_args(normalised(parser, arguments))
        payload, summary = args.handler(args)
    except ValidationFailedError:  # its problems are already on stderr, one line each
        return EXIT_INVALID_INPUT
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
    try:
        if want_json:
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            print(_render_text(payload, summary))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `dosecalc regimens list | head -1`: the reader has what it wanted
        # Point stdout at nothing so the interpreter's final flush cannot raise a second time.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    return EXIT_OK
