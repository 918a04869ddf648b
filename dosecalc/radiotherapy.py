"""Biologically effective dose (BED) and 2-Gy equivalent dose (EQD2), per course and summed.

Linear-quadratic model, with D the total dose and d = D / n the dose per fraction:

- BED = D × (1 + d / (α/β))
- EQD2 = D × (d + α/β) / (2 + α/β) = BED / (1 + 2 / (α/β))

Nieder et al., Int J Radiat Oncol Biol Phys 2006;66:1446: 50 Gy in 2 Gy
fractions = 100 Gy₂ (α/β 2 Gy) = 75 Gy₄. Sums over courses (re-irradiation)
add BEDs and EQD2s at one α/β. BED is reported in Gy (the α/β it was
computed at is stated beside it, as in "Gy₂"). The model is less reliable for
large doses per fraction; those are flagged, not refused. No organ limits
are applied here: for oesophageal re-irradiation there is no validated
cumulative constraint (clinical-reference §5), so the clinician judges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dosecalc.derivation import Derivation, Flag, Input, Severity, Step
from dosecalc.display import format_number
from dosecalc.errors import ImplausibleValueError, InputError
from dosecalc.inputs import check_range, positive_quantity
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import GRAY, RADIATION_DOSE, QuantityKind, magnitude_in, make_quantity, parse_number

__all__ = [
    "Course",
    "CourseResult",
    "RadiotherapySum",
    "bed_gy",
    "eqd2_gy",
    "parse_alpha_beta",
    "parse_course",
    "sum_courses",
]


def bed_gy(total_gy: float, fractions: int, alpha_beta_gy: float) -> float:
    """BED = D × (1 + d / (α/β)).

    Nieder 2006: 50 Gy in 25 fractions at α/β 2 Gy → 100 Gy₂ (known-answers rt-bed-02).

    >>> bed_gy(50, 25, 2)
    100.0
    """
    per_fraction = total_gy / fractions
    return total_gy * (1.0 + per_fraction / alpha_beta_gy)


def eqd2_gy(total_gy: float, fractions: int, alpha_beta_gy: float) -> float:
    """EQD2 = D × (d + α/β) / (2 + α/β); 2 Gy fractions are their own EQD2.

    Nieder 2006: 50 Gy in 2 Gy fractions at α/β 4 Gy → BED 75 Gy₄, EQD2 50 Gy.

    >>> eqd2_gy(50, 25, 10)
    50.0
    >>> round(eqd2_gy(45, 30, 2), 4)  # 1.5 Gy fractions
    39.375
    """
    per_fraction = total_gy / fractions
    return total_gy * (per_fraction + alpha_beta_gy) / (2.0 + alpha_beta_gy)


@dataclass(frozen=True, slots=True)
class Course:
    total: Any  # Gy
    fractions: int

    @property
    def total_gy(self) -> float:
        return magnitude_in(self.total, GRAY)

    @property
    def per_fraction_gy(self) -> float:
        return self.total_gy / self.fractions


@dataclass(frozen=True, slots=True)
class CourseResult:
    course: Course
    bed: Any
    eqd2: Any


@dataclass(frozen=True, slots=True)
class RadiotherapySum:
    alpha_beta: Any
    courses: tuple[CourseResult, ...]
    total_bed: Any
    total_eqd2: Any
    derivation: Derivation


ALPHA_BETA = QuantityKind("an α/β ratio", ("Gy", "cGy"), "10 Gy")


def parse_alpha_beta(value: object, limits: PlausibilityLimits = DEFAULT_LIMITS) -> Any:
    """α/β in Gy (10 Gy tumour/acute, 3 Gy late effects, 2 Gy spinal cord)."""
    _, gy = positive_quantity(value, "alpha-beta", ALPHA_BETA, GRAY)
    check_range(gy, limits.alpha_beta_gy_refuse, "alpha-beta", value, "Gy", "is outside the α/β values in use")
    return make_quantity(gy, GRAY)


def parse_course(
    total: object,
    fractions: object,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
    *,
    dose_field: str = "course dose",
    fractions_field: str = "course fractions",
) -> Course:
    """A course as total dose (``"50 Gy"``) and a whole number of fractions; errors name the given fields."""
    _, gy = positive_quantity(total, dose_field, RADIATION_DOSE, GRAY)
    check_range(gy, limits.radiation_total_gy_refuse, dose_field, total, "Gy", "is implausible for one course")
    expected = f"a whole number of fractions, {limits.fractions_refuse.text()}"
    count = parse_number(fractions, fractions_field, expected)
    if count != int(count) or count not in limits.fractions_refuse:
        raise InputError(fractions_field, fractions, "is not a valid number of fractions", expected=expected)
    per_fraction = gy / count
    if per_fraction not in limits.radiation_per_fraction_gy_refuse:
        raise ImplausibleValueError(
            fractions_field,
            fractions,
            f"gives {format_number(per_fraction, 2)} Gy per fraction, which is implausible",
            expected=limits.radiation_per_fraction_gy_refuse.text("Gy per fraction"),
        )
    return Course(make_quantity(gy, GRAY), int(count))


def sum_courses(
    courses: Sequence[Course], alpha_beta: Any, limits: PlausibilityLimits = DEFAULT_LIMITS
) -> RadiotherapySum:
    """BED and EQD2 per course and in total, at one α/β.

    Known answer (known-answers rt-cum-cord-bed-08): cord 45 Gy/30 fx + 30 Gy/28 fx at α/β 2 Gy
    → 78.75 + 46.07 = 124.8 Gy₂.

    >>> from dosecalc.units import Quantity
    >>> s = sum_courses([Course(Quantity(45, "Gy"), 30), Course(Quantity(30, "Gy"), 28)], Quantity(2, "Gy"))
    >>> round(s.total_bed.magnitude, 2)
    124.82
    """
    if not courses:
        raise InputError(
            "course", None, "at least one course is required", expected="--dose and --fractions, or --course"
        )
    ab = magnitude_in(alpha_beta, GRAY)
    ab_text = format_number(ab, 2)
    results: list[CourseResult] = []
    steps: list[Step] = []
    inputs: list[Input] = [Input("α/β", make_quantity(ab, GRAY))]
    flags: list[Flag] = []
    for index, course in enumerate(courses, start=1):
        total = course.total_gy
        d = course.per_fraction_gy
        bed = bed_gy(total, course.fractions, ab)
        eqd2 = eqd2_gy(total, course.fractions, ab)
        inputs.append(
            Input(
                f"course {index}",
                f"{format_number(total, 2)} Gy in {course.fractions} fractions ({format_number(d, 3)} Gy per fraction)",
            )
        )
        steps.append(
            Step(
                f"Course {index} BED (α/β {ab_text} Gy)",
                "D × (1 + d / (α/β))",
                "{0} × (1 + {1} / {2})",
                (make_quantity(total, GRAY), make_quantity(d, GRAY), make_quantity(ab, GRAY)),
                make_quantity(bed, GRAY),
                2,
            )
        )
        steps.append(
            Step(
                f"Course {index} EQD2 (α/β {ab_text} Gy)",
                "D × (d + α/β) / (2 Gy + α/β)",
                "{0} × ({1} + {2}) / (2 Gy + {2})",
                (make_quantity(total, GRAY), make_quantity(d, GRAY), make_quantity(ab, GRAY)),
                make_quantity(eqd2, GRAY),
                2,
            )
        )
        if d > limits.radiation_per_fraction_gy_warn_above:
            flags.append(
                Flag(
                    "radiotherapy.large_fraction",
                    Severity.WARNING,
                    f"course {index}: {format_number(d, 2)} Gy per fraction; the linear-quadratic model "
                    "is less reliable for large doses per fraction",
                    {"course": index, "per_fraction": d},
                )
            )
        results.append(CourseResult(course, make_quantity(bed, GRAY), make_quantity(eqd2, GRAY)))
    total_bed = sum(r.bed.magnitude for r in results)
    total_eqd2 = sum(r.eqd2.magnitude for r in results)
    if len(results) > 1:
        steps.append(
            Step(
                "Total BED",
                "sum of course BEDs",
                " + ".join(f"{{{i}}}" for i in range(len(results))),
                tuple(r.bed for r in results),
                make_quantity(total_bed, GRAY),
                2,
            )
        )
        steps.append(
            Step(
                "Total EQD2",
                "sum of course EQD2s",
                " + ".join(f"{{{i}}}" for i in range(len(results))),
                tuple(r.eqd2 for r in results),
                make_quantity(total_eqd2, GRAY),
                2,
            )
        )
    derivation = Derivation(
        "Radiotherapy BED and EQD2 (linear-quadratic)",
        tuple(inputs),
        (("Model", "linear-quadratic, no repair or time factor"), ("α/β", f"{ab_text} Gy")),
        tuple(steps),
        tuple(flags),
    )
    return RadiotherapySum(
        make_quantity(ab, GRAY),
        tuple(results),
        make_quantity(total_bed, GRAY),
        make_quantity(total_eqd2, GRAY),
        derivation,
    )
