"""Preparation and administration of a dose: vials, volume to draw, diluent, final concentration, rate.

Pure and unit-checked (pint): :func:`prepare` for a drug and a final dose, :func:`prepare_line` for a
line of a computed order; :mod:`~dosecalc.preparation.vials` chooses the vials and
:mod:`~dosecalc.preparation.infusion` holds the unit-checked arithmetic and the input parsers.
"""

from dosecalc.preparation.infusion import (
    DiluentBag,
    check_rate,
    final_concentration,
    infusion_rate,
    parse_diluent,
    parse_duration,
    parse_rate,
    programmed_rate,
    volume_to_draw,
)
from dosecalc.preparation.model import DEFAULT_PREPARATION, VIAL_RULE, Container, PreparationSettings, PreparedDose
from dosecalc.preparation.prepare import prepare, prepare_line
from dosecalc.preparation.report import concentration_text, preparation_json, summary_lines
from dosecalc.preparation.vials import Presentation, VialSelection, VialUse, presentations, select_vials

__all__ = [
    "DEFAULT_PREPARATION",
    "VIAL_RULE",
    "Container",
    "DiluentBag",
    "PreparationSettings",
    "PreparedDose",
    "Presentation",
    "VialSelection",
    "VialUse",
    "check_rate",
    "concentration_text",
    "final_concentration",
    "infusion_rate",
    "parse_diluent",
    "parse_duration",
    "parse_rate",
    "preparation_json",
    "prepare",
    "prepare_line",
    "presentations",
    "programmed_rate",
    "select_vials",
    "summary_lines",
    "volume_to_draw",
]
