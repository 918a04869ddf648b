"""``dosecalc prepare``: vials, volume to draw, diluent, final concentration and rate of one dose.

dosecalc prepare --drug ID --dose "300 mg" [--diluent "500 mL sodium chloride 0.9%"] [--duration "3 h"]
                 [--rate "5 mL/h"] [--site-regimens DIR] [--json]

``--rate`` is the nominal rate of a fixed-rate ambulatory pump (the device is filled to rate × hours);
it is accepted in mL/h only. JSON keys (a contract): ``vials``, ``volume_to_draw``,
``final_concentration``, ``in_range``, ``rate``, ``derivation``, ``warnings``, and more.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.regimens import library_from
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.preparation import parse_diluent, parse_duration, parse_rate, preparation_json, prepare, summary_lines
from dosecalc.regimen.model import Catalogue, Drug
from dosecalc.settings import DEFAULT_LIMITS
from dosecalc.site import load_site_settings
from dosecalc.units import DOSE_BASIS, MILLIGRAM, make_quantity, parse_quantity

__all__ = ["drug_from", "final_dose", "register"]


def drug_from(catalogue: Catalogue, value: str) -> Drug:
    """A catalogue drug by id or generic name (any case)."""
    wanted = value.strip().lower()
    for drug in catalogue.drugs:
        if wanted in (drug.id, drug.generic.lower()):
            return drug
    raise InputError(
        "drug", value, "is not in the drug catalogue", expected=" | ".join(sorted(d.id for d in catalogue.drugs))
    )


def final_dose(value: object, field: str = "dose") -> object:
    """The final dose in mg; a dose per m² or per kg is refused (it must be calculated first)."""
    quantity = parse_quantity(value, field, DOSE_BASIS)
    container = quantity.units._units
    if "meter" in container or "kilogram" in container:
        per = "m²" if "meter" in container else "kg"
        raise InputError(
            field,
            value,
            f"is a dose per {per}, not the final dose",
            expected="the final dose in mg, e.g. '300 mg' (calculate it first: dosecalc dose or dosecalc order)",
            code="dose.not_final",
        )
    mg = float(quantity.m_as(MILLIGRAM))
    refuse = DEFAULT_LIMITS.dose_flat_mg_refuse
    if mg <= 0:
        raise InputError(field, value, "must be greater than zero", expected="a dose in mg", code="value.not_positive")
    if mg not in refuse:
        raise ImplausibleValueError(
            field,
            value,
            "is outside the range of any antineoplastic dose",
            expected=f"{format_number(refuse.low, 3)}–{format_number(refuse.high)} mg",
        )
    return make_quantity(mg, MILLIGRAM)


def _cmd_prepare(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    catalogue = library_from(args).catalogue
    drug = drug_from(catalogue, args.drug)
    dose = final_dose(args.dose)
    diluent = parse_diluent(args.diluent) if args.diluent is not None else None
    duration = parse_duration(args.duration) if args.duration is not None else None
    rate = parse_rate(args.rate) if args.rate is not None else None
    if rate is not None and duration is None:
        raise InputError(
            "duration", None, "is required with --rate", expected="--duration '46 h'", code="value.missing"
        )
    if rate is not None and diluent is not None:
        raise InputError(
            "rate", args.rate, "cannot be combined with --diluent", expected="either the pump's rate or the diluent"
        )
    made = prepare(
        drug,
        dose,
        diluent=diluent,
        duration=duration,
        pump_rate=rate,
        settings=load_site_settings().preparation(),
        dose_source="command line",
    )
    return preparation_json(made), summary_lines(made)


def register(command: Callable[[str, str, Handler], Parser]) -> None:
    """Add ``prepare``."""
    p = command(
        "prepare", "Preparation of one dose: vials, volume to draw, diluent, concentration, rate.", _cmd_prepare
    )
    p.add_argument("--drug", required=True, help="catalogue drug id or generic name, e.g. paclitaxel")
    p.add_argument("--dose", required=True, help='the final dose in mg, e.g. "300 mg" (never mg/m²)')
    p.add_argument("--diluent", help='bag volume and solution, e.g. "500 mL sodium chloride 0.9%%" (default: proposed)')
    p.add_argument("--duration", help='infusion duration, e.g. "3 h", "90 min" or "46 h" (default: the catalogue\'s)')
    p.add_argument("--rate", help='nominal rate of a fixed-rate ambulatory pump, in mL/h only, e.g. "5 mL/h"')
    p.add_argument("--site-regimens", help="a site directory whose drugs.toml adds to the catalogue")
