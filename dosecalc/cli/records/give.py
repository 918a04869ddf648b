"""``dosecalc give``: what was given, held or modified on a day."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.records.access import _actor, _common, _db_text, _opened, _patient, signed_in
from dosecalc.cli.records.shapes import _administration_json, _administration_line
from dosecalc.cli.regimens import library_from
from dosecalc.cli.schedule import parse_date
from dosecalc.errors import InputError

__all__ = ["register"]


def _cmd_give(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.bsa import parse_bsa
    from dosecalc.inputs import positive_quantity
    from dosecalc.units import MASS_DOSE, MILLIGRAM, SQUARE_METRE, magnitude_in
    from dosecalc.units import parse_number as number

    given_on = parse_date(args.date, "date")
    status = args.status.strip().lower()
    library = library_from(args)
    drugs = sorted(d.id for d in library.catalogue.drugs)
    if args.drug.strip() not in drugs:
        raise InputError("drug", args.drug, "is not in the drug catalogue", expected=" | ".join(drugs))
    if status == "held":
        if args.dose is not None:
            raise InputError("dose", args.dose, "is not used when a dose is held", expected="no --dose with held")
        dose_mg = 0.0
    elif args.dose is None:
        raise InputError("dose", None, "is required", expected='the dose given, e.g. "200 mg"', code="value.missing")
    else:
        dose_mg = positive_quantity(args.dose, "dose", MASS_DOSE, MILLIGRAM)[1]
    bsa_m2 = magnitude_in(parse_bsa(args.bsa).bsa, SQUARE_METRE) if args.bsa is not None else None
    order_id = None
    if args.order is not None:
        value = number(args.order, "order", "an order id")
        if value != int(value) or value < 1:
            raise InputError("order", args.order, "is not an order id", expected="a whole number from 1")
        order_id = int(value)
    with _opened(args) as store:
        user = signed_in(store, args)
        patient = _patient(store, args.patient)
        if order_id is not None and store.order(order_id)["patient_id"] != patient["id"]:
            raise InputError(
                "order", order_id, f"is not an order of patient {patient['hospital_number']}", expected="their order"
            )
        row_id = store.give(
            _actor(user),
            patient["id"],
            drug=args.drug.strip(),
            status=status,
            dose_mg=dose_mg,
            given_on=given_on,
            bsa_m2=bsa_m2,
            order_id=order_id,
            note=args.note,
        )
        row = next(r for r in store.administrations(patient["id"]) if r["id"] == row_id)
        item = _administration_json(row)
        payload = {"patient": patient["hospital_number"], "administration": item, "db": _db_text(store)}
    return payload, [
        f"recorded for {patient['full_name']} ({patient['hospital_number']}): {_administration_line(item)}"
    ]


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``dosecalc give``."""
    p = command("give", "Record what was given (or held, or modified) on a day.", _cmd_give)
    _common(p, writes=True)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument("--drug", required=True, help="a drug id of the catalogue, e.g. sintilimab")
    p.add_argument("--status", required=True, help="given | held | modified")
    p.add_argument("--dose", help='the dose actually given, e.g. "200 mg" (not with held)')
    p.add_argument("--date", required=True, help="the day it was given, YYYY-MM-DD")
    p.add_argument("--bsa", help='the BSA the dose was based on, e.g. "1.7 m**2" (for mg/m² totals)')
    p.add_argument("--order", help="the order id it was given against")
    p.add_argument("--note", help="required for a modified dose: what was changed and why")
    p.add_argument("--site-regimens", help="a site directory whose drug catalogue adds drugs")
