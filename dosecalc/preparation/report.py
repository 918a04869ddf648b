"""A prepared dose as the command line's JSON and as the lines a screen or a label shows."""

from __future__ import annotations

from typing import Any

from dosecalc.derivation import quantity_json
from dosecalc.display import format_quantity
from dosecalc.preparation.model import Container, PreparedDose

__all__ = ["concentration_text", "preparation_json", "summary_lines"]


def preparation_json(made: PreparedDose) -> dict[str, Any]:
    """The ``dosecalc prepare --json`` object (its keys are a contract)."""
    vials = []
    if made.vials is not None:
        for use in made.vials.uses:
            p = use.presentation
            vials.append(
                {
                    "presentation": p.text,
                    "count": use.count,
                    "amount": {"value": p.amount_mg, "unit": "mg"},
                    "concentration": {"value": p.concentration_mg_per_ml, "unit": "mg/mL"},
                    "draw": {"value": use.drawn_mg, "unit": "mg"},
                    "draw_volume": {"value": use.drawn_ml, "unit": "mL"},
                    "remainder": {"value": use.remainder_mg, "unit": "mg"},
                    "multi_dose": p.multi_dose,
                    "confirmed": p.confirmed,
                }
            )
    return {
        "drug": made.drug.id,
        "display": made.drug.display,
        "dose": quantity_json(made.dose),
        "route": made.route.value,
        "container": made.container.value,
        "prepared": made.needed,
        "vials": vials,
        "waste": quantity_json(made.vials.waste) if made.vials else None,
        "kept_multi_dose": quantity_json(made.vials.kept) if made.vials else None,
        "volume_to_draw": quantity_json(made.volume_to_draw),
        "diluent": {"volume": quantity_json(made.diluent.volume), "solution": made.diluent.solution.value}
        if made.diluent
        else None,
        "total_volume": quantity_json(made.total_volume),
        "final_concentration": quantity_json(made.final_concentration),
        "stable_range": [quantity_json(q) for q in made.stable_range] if made.stable_range else None,
        "in_range": made.in_range,
        "fitting_bags": [quantity_json(q) for q in made.fitting_bags],
        "duration": quantity_json(made.duration),
        "rate": quantity_json(made.rate),
        "requirements": list(made.requirements),
        "use_within": quantity_json(made.use_within),
        "storage": made.storage,
        "unconfirmed": list(made.unconfirmed),
        "days": made.days,
        "blocked": made.blocked,
        "derivation": made.derivation.lines(),
        "warnings": [flag.to_json() for flag in made.flags],
    }


def concentration_text(made: PreparedDose) -> str:
    """``0.545 mg/mL (in range 0.3–1.2 mg/mL)`` or why it is not checked."""
    if made.final_concentration is None:
        return "—"
    text = format_quantity(made.final_concentration, 3)
    if made.in_range is None:
        reason = "undiluted" if made.container is Container.SYRINGE else "NOT CHECKED: no stable range configured"
        return f"{text} ({reason})"
    low, high = made.stable_range or (None, None)
    word = "in range" if made.in_range else "OUT OF RANGE"
    return f"{text} ({word} {format_quantity(low, 3)}–{format_quantity(high, 3)})"


def summary_lines(made: PreparedDose) -> list[str]:
    """The preparation in a few lines, as the command line prints it before the derivation."""
    name = f"{made.drug.display} {format_quantity(made.dose, 1)}"
    if not made.needed:
        return [f"{name}: {made.container.value} (oral)"]
    lines = [f"{name} {made.route.value}: {made.container.value}"]
    if made.vials is not None:
        lines.append(f"Vials: {made.vials.text()} (waste {format_quantity(made.vials.waste, 2)})")
        lines.append(f"Volume to draw: {format_quantity(made.volume_to_draw, 2)}")
    if made.diluent is not None:
        lines.append(f"Diluent: {made.diluent.text()}")
    if made.total_volume is not None:
        lines.append(f"Total volume: {format_quantity(made.total_volume, 1)}")
    lines.append(f"Final concentration: {concentration_text(made)}")
    if made.rate is not None:
        lines.append(f"Rate: {format_quantity(made.rate, 1)} over {format_quantity(made.duration, 2)}")
    lines.extend(f"Requirement: {text}" for text in made.requirements)
    if made.use_within is not None:
        lines.append(f"Use within: {format_quantity(made.use_within)} of preparation, {made.storage}")
    if made.unconfirmed:
        lines.append(f"UNCONFIRMED against the label: {', '.join(made.unconfirmed)}")
    return lines
