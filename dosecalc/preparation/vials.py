"""Which vials make a dose: the exact search over the catalogue's presentations, and how much to draw.

Amounts are counted in whole micrograms, so that 0.1 + 0.2 never decides a choice. The rule, in order:

1. cover the dose (never less than it);
2. leave at most one smallest vial's worth: a combination whose remainder is more than a whole
   smallest vial is never chosen (160 mg of paclitaxel is 150 mg + 30 mg, not one 300 mg vial that
   leaves 140 mg; 140 mg of docetaxel is one 160 mg vial leaving 20 mg, not 80 mg + 3 × 20 mg);
3. among those, the fewest vials;
4. then the least remainder (waste, or what stays in a multi-dose vial);
5. ties: fewer different presentations, then the larger vials.

Rule 2 always leaves a candidate (enough of the smallest vial alone), so the search is exact: it tries
1 vial, then 2, … and stops at the first count that has a candidate. Whole vials are drawn first, the
largest first; the last (smallest) vial is the only one drawn in part.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations_with_replacement
from typing import Any

from dosecalc.display import format_number
from dosecalc.errors import InputError
from dosecalc.regimen.model import Strength
from dosecalc.units import (
    CONCENTRATION,
    MASS_DOSE,
    MG_PER_ML,
    MILLIGRAM,
    MILLILITRE,
    VOLUME,
    make_quantity,
    parse_quantity,
)

__all__ = ["MAX_VIALS", "Presentation", "VialSelection", "VialUse", "presentations", "select_vials"]

#: More vials than this for one dose is not a preparation but a data error (a mistyped dose or strength).
MAX_VIALS = 40


@dataclass(frozen=True, slots=True)
class Presentation:
    """One vial as it is drawn from: amount, content volume (after reconstitution) and concentration."""

    amount_mg: float
    volume_ml: float
    concentration_mg_per_ml: float
    form: str
    multi_dose: bool
    confirmed: bool
    reconstitution: str | None  # "5 mL water for injection", for a powder vial

    @property
    def text(self) -> str:
        """``300 mg/50 mL vial``, ``200 mg powder vial (+ 5 mL water for injection = 40 mg/mL)``."""
        amount = format_number(self.amount_mg)
        if self.reconstitution is not None:
            conc = format_number(self.concentration_mg_per_ml)
            return f"{amount} mg powder vial (+ {self.reconstitution} = {conc} mg/mL)"
        return f"{amount} mg/{format_number(self.volume_ml)} mL vial"


def _micrograms(mg: float) -> int:
    return int((Decimal(repr(mg)) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def presentations(strengths: list[Strength]) -> tuple[Presentation, ...]:
    """The vials of a drug's strengths (tablets and capsules are not drawn from), largest first.

    >>> from dosecalc.regimen.model import Strength
    >>> [p.text for p in presentations([Strength(amount="100 mg", volume="16.7 mL", concentration="6 mg/mL",
    ...                                          form="vial")])]
    ['100 mg/16.7 mL vial']
    """
    out = []
    for strength in strengths:
        if strength.form not in ("vial", "powder vial"):
            continue
        amount = _mass_mg(strength.amount)
        reconstitution = None
        if strength.reconstitution is not None:
            concentration = _concentration(strength.reconstitution.concentration)
            volume = amount / concentration
            made = strength.reconstitution
            reconstitution = f"{format_number(_volume(made.volume))} mL {made.liquid}"
        elif strength.volume is not None:
            volume = _volume(strength.volume)
            concentration = _concentration(strength.concentration) if strength.concentration else amount / volume
        else:
            raise InputError(
                "catalogue",
                f"{strength.amount} {strength.form}",
                "has no volume or reconstitution, so no volume can be drawn from it",
                expected="a vial with its volume, or a powder vial with its reconstitution",
                code="catalogue.no_volume",
            )
        out.append(
            Presentation(
                amount, volume, concentration, strength.form, strength.multi_dose, strength.confirmed, reconstitution
            )
        )
    return tuple(sorted(out, key=lambda p: (-p.amount_mg, p.concentration_mg_per_ml)))


def _mass_mg(text: str) -> float:
    return float(parse_quantity(text, "amount", MASS_DOSE).m_as(MILLIGRAM))


def _volume(text: str) -> float:
    return float(parse_quantity(text, "volume", VOLUME).m_as(MILLILITRE))


def _concentration(text: str) -> float:
    return float(parse_quantity(text, "concentration", CONCENTRATION).m_as(MG_PER_ML))


@dataclass(frozen=True, slots=True)
class VialUse:
    """``count`` vials of one presentation: how much is drawn from them and what remains."""

    presentation: Presentation
    count: int
    drawn_mg: float
    drawn_ml: float
    remainder_mg: float

    @property
    def drawn(self) -> Any:
        return make_quantity(self.drawn_ml, MILLILITRE)

    def text(self) -> str:
        """``2 × 100 mg/16.7 mL vial: draw 200 mg = 33.33 mL``."""
        return (
            f"{self.count} × {self.presentation.text}: draw {format_number(self.drawn_mg)} mg "
            f"= {format_number(self.drawn_ml)} mL"
        )


@dataclass(frozen=True, slots=True)
class VialSelection:
    uses: tuple[VialUse, ...]
    dose_mg: float

    @property
    def vial_count(self) -> int:
        return sum(use.count for use in self.uses)

    @property
    def opened_mg(self) -> float:
        return sum(use.count * use.presentation.amount_mg for use in self.uses)

    @property
    def waste(self) -> Any:
        """What is thrown away: the remainder of single-use vials, in mg."""
        return make_quantity(sum(u.remainder_mg for u in self.uses if not u.presentation.multi_dose), MILLIGRAM)

    @property
    def kept(self) -> Any:
        """What stays in an opened multi-dose vial (kept within its in-use time), in mg."""
        return make_quantity(sum(u.remainder_mg for u in self.uses if u.presentation.multi_dose), MILLIGRAM)

    @property
    def volume(self) -> Any:
        """The total volume drawn from all vials, in mL."""
        return make_quantity(sum(use.drawn_ml for use in self.uses), MILLILITRE)

    def text(self) -> str:
        return " + ".join(f"{use.count} × {use.presentation.text}" for use in self.uses)


def select_vials(dose_mg: float, options: tuple[Presentation, ...]) -> VialSelection:
    """The vials for ``dose_mg`` by the rule of this module, with the volume drawn from each.

    Worked example (paclitaxel 6 mg/mL, 30/100/150/300 mg vials; hand-worked): 160 mg is one 150 mg
    vial (25 mL, whole) and one 30 mg vial of which 10 mg = 1.67 mL is drawn; 20 mg remain. One
    300 mg vial would be one vial fewer, but would leave 140 mg: more than a whole 30 mg vial.

    >>> from dosecalc.regimen.model import Strength
    >>> paclitaxel = presentations([Strength(amount=f"{a} mg", volume=f"{a / 6:.4g} mL", concentration="6 mg/mL",
    ...                                      form="vial") for a in (30, 100, 150, 300)])
    >>> chosen = select_vials(160, paclitaxel)
    >>> chosen.text(), round(chosen.volume.magnitude, 2), chosen.waste.magnitude
    ('1 × 150 mg/25 mL vial + 1 × 30 mg/5 mL vial', 26.67, 20.0)
    """
    if not options:
        raise InputError(
            "strengths", None, "lists no vial", expected="a vial or powder vial strength", code="value.missing"
        )
    if not dose_mg > 0:
        raise InputError(
            "dose", dose_mg, "must be greater than zero", expected="a dose in mg", code="value.not_positive"
        )
    target = _micrograms(dose_mg)
    amounts = [_micrograms(p.amount_mg) for p in options]  # largest first
    smallest = min(amounts)
    needed = -(-target // smallest)  # ceiling: enough of the smallest vial alone always qualifies
    if needed > MAX_VIALS and -(-target // max(amounts)) > MAX_VIALS:
        raise InputError(
            "dose",
            f"{format_number(dose_mg)} mg",
            f"needs more than {MAX_VIALS} vials",
            expected="a single dose in mg; check the dose and the catalogue strengths",
        )
    for count in range(1, min(needed, MAX_VIALS) + 1):
        best: tuple[tuple[int, int, tuple[int, ...]], tuple[int, ...]] | None = None
        # combinations_with_replacement over indices in ascending order: largest vials first.
        for combo in combinations_with_replacement(range(len(options)), count):
            total = sum(amounts[i] for i in combo)
            remainder = total - target
            if remainder < 0 or remainder > smallest:
                continue
            key = (remainder, len(set(combo)), combo)
            if best is None or key < best[0]:
                best = (key, combo)
        if best is not None:
            return _drawn(best[1], options, dose_mg)
    raise InputError(  # pragma: no cover - the smallest vial alone always qualifies within ``needed``
        "dose", f"{format_number(dose_mg)} mg", f"needs more than {MAX_VIALS} vials", expected="a single dose in mg"
    )


def _drawn(combo: tuple[int, ...], options: tuple[Presentation, ...], dose_mg: float) -> VialSelection:
    remaining = dose_mg
    uses: list[VialUse] = []
    for index in sorted(set(combo)):  # largest first
        option = options[index]
        count = combo.count(index)
        drawn = min(remaining, count * option.amount_mg)
        remaining -= drawn
        uses.append(
            VialUse(option, count, drawn, drawn / option.concentration_mg_per_ml, count * option.amount_mg - drawn)
        )
    return VialSelection(tuple(uses), dose_mg)
