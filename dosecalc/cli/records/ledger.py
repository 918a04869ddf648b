"""``dosecalc ledger``: cumulative doses of a patient against their limits, and the pre-cycle checks."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.records.access import _common, _opened, _patient
from dosecalc.cli.regimens import library_from
from dosecalc.cli.schedule import parse_date
from dosecalc.display import format_number

__all__ = ["register"]


def _cmd_ledger(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.db import StoreError

    on = parse_date(args.on, "on") if args.on is not None else dt.date.today()
    try:
        ledger_module = importlib.import_module("dosecalc.store.ledger")
    except ModuleNotFoundError as error:
        if error.name != "dosecalc.store.ledger":
            raise
        raise StoreError(
            "ledger", None, "is not available in this version of DoseCalc", expected="dosecalc.store.ledger"
        ) from None
    library = library_from(args)
    with _opened(args) as store:
        patient = _patient(store, args.patient)
        ledger = ledger_module.compute_ledger(store, patient["id"], library, on=on)
        payload: Payload = ledger.to_json()
    header = (
        f"Cumulative ledger of {patient['full_name']} ({patient['hospital_number']}) on {on:%Y-%m-%d}: "
        f"{str(payload.get('status', '')).upper()}"
    )
    return payload, [header, *_ledger_lines(payload, getattr(ledger, "flags", ()))]


def _ledger_lines(payload: Payload, flags: Any) -> list[str]:
    """Each drug's total against its limit, then the flags; --json has everything."""
    units = {"mg/m2": "mg/m²"}
    lines = []
    for drug in payload.get("drugs", []):
        unit = drug.get("unit")
        shown = units.get(unit, unit)
        if unit and drug.get("total") is not None:
            parts = [f"{format_number(drug['total'], 2)} {shown}"]
            if drug.get("projected") is not None:
                parts.append(f"projected {format_number(drug['projected'], 2)} {shown}")
            if drug.get("limit") is not None:
                parts.append(f"limit {format_number(drug['limit'], 2)} {shown}")
            elif drug.get("warn_threshold") is not None:
                parts.append(f"warning from {format_number(drug['warn_threshold'], 2)} {shown}")
        else:
            parts = [f"{format_number((drug.get('mg') or {}).get('total') or 0, 2)} mg given"]
            if drug.get("counts"):
                parts.append(str(drug["counts"]))
        lines.append(f"  {drug.get('label') or drug.get('drug')}: {'; '.join(parts)} [{drug.get('status')}]")
    lines.append("Flags:" if flags else "Flags: none")
    lines.extend(f"  {flag.render()}" for flag in flags)
    return lines


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``dosecalc ledger``."""
    p = command("ledger", "Cumulative doses of a patient against their lifetime limits.", _cmd_ledger)
    _common(p, writes=False)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument("--on", help="the day of the ledger, YYYY-MM-DD (default today)")
    p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")
