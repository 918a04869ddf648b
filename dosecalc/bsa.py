"""Body surface area (m²) by the published formulas.

Constants exactly as in clinical-reference §1; H is height in cm, W weight in kg
(Boyd takes weight in grams inside the formula). Mosteller is the default; ASCO
2021 found no formula superior for obese patients. The BSA is computed at full
precision and never rounded before it is used in a dose (medication-safety D1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dosecalc.derivation import Derivation, Flag, Input, Severity, Step
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.inputs import check_range, positive_quantity
from dosecalc.patient import Height, Weight, bmi_flags
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import BODY_SURFACE_AREA, CENTIMETRE, GRAM, KILOGRAM, SQUARE_METRE, make_quantity

__all__ = [
    "BsaFormula",
    "BsaResult",
    "body_surface_area",
    "boyd",
    "dubois",
    "fujimoto",
    "gehan_george",
    "haycock",
    "mosteller",
    "parse_bsa",
    "parse_formula",
    "stevenson",
]


def mosteller(height_cm: float, weight_kg: float) -> float:
    """Mosteller (NEJM 1987;317:1098): √(H × W / 3600).

    Worked example (known-answers bsa-mosteller-01): 175 cm, 70 kg → 1.845 m².

    >>> round(mosteller(175, 70), 4)
    1.8447
    """
    return math.sqrt(height_cm * weight_kg / 3600.0)


def dubois(height_cm: float, weight_kg: float) -> float:
    """DuBois & DuBois (Arch Intern Med 1916;17:863): 0.007184 × H^0.725 × W^0.425.

    Worked example (calculatorlib.com): 170 cm, 65 kg → 1.754 m².

    >>> round(dubois(170, 65), 3)
    1.754
    """
    return float(0.007184 * height_cm**0.725 * weight_kg**0.425)


def haycock(height_cm: float, weight_kg: float) -> float:
    """Haycock (J Pediatr 1978;93:62): 0.024265 × H^0.3964 × W^0.5378.

    >>> round(haycock(170, 65), 4)
    1.7543
    """
    return float(0.024265 * height_cm**0.3964 * weight_kg**0.5378)


def gehan_george(height_cm: float, weight_kg: float) -> float:
    """Gehan & George (Cancer Chemother Rep 1970;54:225): 0.0235 × H^0.42246 × W^0.51456.

    >>> round(gehan_george(170, 65), 4)
    1.7628
    """
    return float(0.0235 * height_cm**0.42246 * weight_kg**0.51456)


def boyd(height_cm: float, weight_kg: float) -> float:
    """Boyd (1935): 0.0003207 × H^0.3 × Wg^(0.7285 − 0.0188 × log10 Wg), Wg = weight in grams.

    >>> round(boyd(170, 65), 4)
    1.7618
    """
    grams = weight_kg * 1000.0
    return float(0.0003207 * height_cm**0.3 * grams ** (0.7285 - 0.0188 * math.log10(grams)))


def fujimoto(height_cm: float, weight_kg: float) -> float:
    """Fujimoto & Watanabe (Acta Med Nagasaki 1969;13:1): 0.008883 × H^0.663 × W^0.444.

    Worked example (calculatorlib.com): 170 cm, 65 kg → 1.707–1.708 m².

    >>> round(fujimoto(170, 65), 3)
    1.707
    """
    return float(0.008883 * height_cm**0.663 * weight_kg**0.444)


def stevenson(height_cm: float, weight_kg: float) -> float:
    """Stevenson (Chinese J Physiol 1937), the formula Chinese hospitals use: 0.0061 × H + 0.0128 × W − 0.1529.

    Note the constant is −0.1529; a −0.1329 typo circulates in some Chinese apps.

    >>> round(stevenson(170, 65), 4)
    1.7161
    """
    return 0.0061 * height_cm + 0.0128 * weight_kg - 0.1529


class BsaFormula(StrEnum):
    """The BSA formulas DoseCalc offers, by their command-line names."""

    MOSTELLER = "mosteller"
    DUBOIS = "dubois"
    HAYCOCK = "haycock"
    GEHAN_GEORGE = "gehan-george"
    BOYD = "boyd"
    FUJIMOTO = "fujimoto"
    STEVENSON = "stevenson"

    @property
    def label(self) -> str:
        return _TITLES[self]


_FUNCTIONS: dict[BsaFormula, Callable[[float, float], float]] = {
    BsaFormula.MOSTELLER: mosteller,
    BsaFormula.DUBOIS: dubois,
    BsaFormula.HAYCOCK: haycock,
    BsaFormula.GEHAN_GEORGE: gehan_george,
    BsaFormula.BOYD: boyd,
    BsaFormula.FUJIMOTO: fujimoto,
    BsaFormula.STEVENSON: stevenson,
}

_TITLES = {
    BsaFormula.MOSTELLER: "Mosteller 1987",
    BsaFormula.DUBOIS: "DuBois & DuBois 1916",
    BsaFormula.HAYCOCK: "Haycock 1978",
    BsaFormula.GEHAN_GEORGE: "Gehan & George 1970",
    BsaFormula.BOYD: "Boyd 1935",
    BsaFormula.FUJIMOTO: "Fujimoto 1969",
    BsaFormula.STEVENSON: "Stevenson 1937 (Chinese)",
}

_EXPRESSIONS = {
    BsaFormula.MOSTELLER: ("√(height × weight / 3600)", "√({0} × {1} / 3600)"),
    BsaFormula.DUBOIS: ("0.007184 × height^0.725 × weight^0.425", "0.007184 × {0}^0.725 × {1}^0.425"),
    BsaFormula.HAYCOCK: ("0.024265 × height^0.3964 × weight^0.5378", "0.024265 × {0}^0.3964 × {1}^0.5378"),
    BsaFormula.GEHAN_GEORGE: ("0.0235 × height^0.42246 × weight^0.51456", "0.0235 × {0}^0.42246 × {1}^0.51456"),
    BsaFormula.BOYD: (
        "0.0003207 × height^0.3 × weight_g^(0.7285 − 0.0188 × log10 weight_g)",
        "0.0003207 × {0}^0.3 × {2}^(0.7285 − 0.0188 × log10 {2})",
    ),
    BsaFormula.FUJIMOTO: ("0.008883 × height^0.663 × weight^0.444", "0.008883 × {0}^0.663 × {1}^0.444"),
    BsaFormula.STEVENSON: ("0.0061 × height + 0.0128 × weight − 0.1529", "0.0061 × {0} + 0.0128 × {1} − 0.1529"),
}


def parse_formula(value: object, field: str = "formula") -> BsaFormula:
    """A BSA formula by name; unknown names are refused (no silent default)."""
    if isinstance(value, BsaFormula):
        return value
    try:
        return BsaFormula(str(value).strip().lower())
    except ValueError:
        raise InputError(
            field,
            value,
            "is not a known BSA formula",
            expected=" | ".join(f.value for f in BsaFormula),
            code="value.invalid",
        ) from None


@dataclass(frozen=True, slots=True)
class BsaResult:
    bsa: Any
    formula: BsaFormula | None  # None when the BSA was given directly
    derivation: Derivation

    @property
    def square_metres(self) -> float:
        return float(self.bsa.magnitude)


def body_surface_area(
    height: Height,
    weight: Weight,
    formula: BsaFormula = BsaFormula.MOSTELLER,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
) -> BsaResult:
    """BSA in m² with its derivation; warns above 2.2 m².

    >>> body_surface_area(Height.parse("170 cm"), Weight.parse("65 kg")).bsa
    <Quantity(1.75198..., 'meter ** 2')>
    """
    cm = height.centimetres
    kg = weight.kilograms
    value = _FUNCTIONS[formula](cm, kg)
    bsa = make_quantity(value, SQUARE_METRE)
    # BMI first: a swapped height and weight must be refused before any BSA is shown.
    flags: list[Flag] = list(bmi_flags(height, weight, limits))
    if not math.isfinite(value) or value not in limits.bsa_m2_refuse:
        raise ImplausibleValueError(
            "bsa",
            f"{format_number(value, 2)} m²",
            f"from the {formula.label} formula is implausible",
            expected=limits.bsa_m2_refuse.text("m²"),
        )
    if value > limits.bsa_m2_warn_above:
        flags.append(_large_bsa_flag(value, limits))
    formula_text, substitution = _EXPRESSIONS[formula]
    derivation = Derivation(
        title=f"Body surface area ({formula.label})",
        inputs=(height.as_input(), weight.as_input()),
        policies=(("BSA formula", formula.label),),
        steps=(
            Step(
                f"BSA ({formula.label})",
                formula_text,
                substitution,
                (make_quantity(cm, CENTIMETRE), make_quantity(kg, KILOGRAM), make_quantity(kg * 1000, GRAM)),
                bsa,
                4,
            ),
        ),
        flags=tuple(flags),
    )
    return BsaResult(bsa, formula, derivation)


def _large_bsa_flag(value: float, limits: PlausibilityLimits) -> Flag:
    return Flag(
        "bsa.above_warn",
        Severity.WARNING,
        f"BSA {format_number(value, 2)} m² is above {format_number(limits.bsa_m2_warn_above)} m²; "
        "check the obesity / BSA-cap policy of the protocol",
        {"bsa": value, "threshold": limits.bsa_m2_warn_above},
    )


def parse_bsa(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS, field: str = "bsa") -> BsaResult:
    """A BSA typed directly (``"1.8 m**2"``), range-checked, with a derivation that says so."""
    quantity, m2 = positive_quantity(value, field, BODY_SURFACE_AREA, SQUARE_METRE)
    check_range(m2, limits.bsa_m2_refuse, field, value, "m²", "is implausible for an adult")
    flags = (_large_bsa_flag(m2, limits),) if m2 > limits.bsa_m2_warn_above else ()
    derivation = Derivation(
        title="Body surface area (given)",
        inputs=(Input("BSA", quantity, "given, not calculated"),),
        policies=(("BSA formula", "none: BSA given directly"),),
        flags=flags,
    )
    return BsaResult(make_quantity(m2, SQUARE_METRE), None, derivation)
