"""Radiotherapy BED and EQD2 per site and course, summed for re-irradiation; information only."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.ledger.flags import _r
from dosecalc.radiotherapy import bed_gy, eqd2_gy
from dosecalc.settings import DEFAULT_LIMITS

__all__ = ["CourseSum", "RtCourse", "SiteSum", "radiotherapy_sums"]


@dataclass(frozen=True, slots=True)
class RtCourse:
    """A radiotherapy course at one site: prior (declared) or proposed."""

    site: str
    total_gy: float
    fractions: int
    finished_on: dt.date | None = None
    source: str | None = None
    proposed: bool = False


@dataclass(frozen=True, slots=True)
class CourseSum:
    course: RtCourse
    per_fraction_gy: float
    bed_gy: float
    eqd2_gy: float

    def to_json(self) -> dict[str, Any]:
        c = self.course
        return {
            "total_gy": c.total_gy,
            "fractions": c.fractions,
            "per_fraction_gy": _r(self.per_fraction_gy),
            "bed_gy": _r(self.bed_gy),
            "eqd2_gy": _r(self.eqd2_gy),
            "finished_on": c.finished_on.isoformat() if c.finished_on else None,
            "source": c.source,
            "proposed": c.proposed,
        }


@dataclass(frozen=True, slots=True)
class SiteSum:
    """BED and EQD2 per course at one site and their sums; figures None when no α/β is known."""

    site: str
    alpha_beta_gy: float | None
    alpha_beta_from: str  # "site setting" | "default" | "none"
    courses: tuple[CourseSum, ...]
    total_bed_gy: float | None
    total_eqd2_gy: float | None
    prior_bed_gy: float | None  # without proposed courses
    prior_eqd2_gy: float | None
    reference: tuple[str, ...]  # information only, never a limit
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "alpha_beta_gy": self.alpha_beta_gy,
            "alpha_beta_from": self.alpha_beta_from,
            "courses": [c.to_json() for c in self.courses],
            "total_bed_gy": _r(self.total_bed_gy),
            "total_eqd2_gy": _r(self.total_eqd2_gy),
            "prior_bed_gy": _r(self.prior_bed_gy),
            "prior_eqd2_gy": _r(self.prior_eqd2_gy),
            "reference": list(self.reference),
            "flags": [f.to_json() for f in self.flags],
        }


def _site_key(site: str) -> str:
    return " ".join(site.split()).casefold()


def _gy_ab(alpha_beta: float) -> str:
    subscripts = dict(zip("0123456789", "₀₁₂₃₄₅₆₇₈₉", strict=True))
    if alpha_beta == int(alpha_beta) and 0 < alpha_beta < 100:
        return "Gy" + "".join(subscripts[c] for c in str(int(alpha_beta)))
    return f"Gy (α/β {format_number(alpha_beta, 2)} Gy)"


def _is_cord(key: str) -> bool:
    return "cord" in key or "脊髓" in key


def _is_oesophagus(key: str) -> bool:
    return "oesophag" in key or "esophag" in key or "食管" in key


def radiotherapy_sums(
    courses: Iterable[RtCourse],
    alpha_beta_by_site: Mapping[str, float],
    *,
    default_alpha_beta_gy: float | None = None,
) -> tuple[SiteSum, ...]:
    """BED and EQD2 per site (α/β per organ), each course and summed; no limit is applied.

    Sites are matched case-insensitively; a site without an α/β uses ``default_alpha_beta_gy`` (flagged)
    or, without one, shows no figures. For a spinal-cord site the re-irradiation reference figures of
    clinical-reference §5 (Nieder 2006; QUANTEC) are listed as information; for the oesophagus, that no
    validated cumulative constraint exists. The app shows, the clinician decides.

    Worked example (clinical-reference §5, known-answers rt-cum-cord-bed-08): cord 45 Gy in 30 fractions
    (78.75 Gy₂) then 30 Gy in 28 fractions (46.07 Gy₂) at α/β 2 Gy → 124.82 Gy₂.

    >>> [cord] = radiotherapy_sums([RtCourse("spinal cord", 45, 30), RtCourse("Spinal cord", 30, 28)],
    ...                            {"spinal cord": 2.0})
    >>> [round(c.bed_gy, 2) for c in cord.courses], round(cord.total_bed_gy, 2), round(cord.total_eqd2_gy, 2)
    ([78.75, 46.07], 124.82, 62.41)
    """
    groups: dict[str, list[RtCourse]] = {}
    for course in courses:
        groups.setdefault(_site_key(course.site), []).append(course)
    lookup = {_site_key(k): v for k, v in alpha_beta_by_site.items()}
    results = []
    for key, site_courses in groups.items():
        site = site_courses[0].site.strip()
        flags: list[Flag] = []
        alpha_beta = lookup.get(key)
        origin = "site setting"
        if alpha_beta is None and default_alpha_beta_gy is not None:
            alpha_beta, origin = default_alpha_beta_gy, "default"
            flags.append(
                Flag(
                    "radiotherapy.default_alpha_beta",
                    Severity.INFO,
                    f"{site}: no α/β is set for this site; the default {format_number(alpha_beta, 2)} Gy is used",
                    {"site": site, "alpha_beta": alpha_beta},
                )
            )
        elif alpha_beta is None:
            origin = "none"
            flags.append(
                Flag(
                    "radiotherapy.alpha_beta_missing",
                    Severity.WARNING,
                    f"{site}: no α/β is set for this site, so BED and EQD2 are not shown",
                    {"site": site},
                )
            )
        sums: list[CourseSum] = []
        for index, course in enumerate(site_courses, start=1):
            if not (course.total_gy > 0 and course.fractions >= 1 and math.isfinite(course.total_gy)):
                flags.append(
                    Flag(
                        "radiotherapy.course_invalid",
                        Severity.WARNING,
                        f"{site} course {index}: {course.total_gy} Gy in {course.fractions} fractions "
                        "is not a course; it is left out of the sums",
                        {"site": site, "course": index, "total_gy": course.total_gy, "fractions": course.fractions},
                    )
                )
                continue
            d = course.total_gy / course.fractions
            bed = bed_gy(course.total_gy, course.fractions, alpha_beta) if alpha_beta else math.nan
            eqd2 = eqd2_gy(course.total_gy, course.fractions, alpha_beta) if alpha_beta else math.nan
            sums.append(CourseSum(course, d, bed, eqd2))
            if d > DEFAULT_LIMITS.radiation_per_fraction_gy_warn_above:
                flags.append(
                    Flag(
                        "radiotherapy.large_fraction",
                        Severity.WARNING,
                        f"{site} course {index}: {format_number(d, 2)} Gy per fraction; the "
                        "linear-quadratic model is less reliable for large doses per fraction",
                        {"site": site, "course": index, "per_fraction": d},
                    )
                )
        total_bed = total_eqd2 = prior_bed = prior_eqd2 = None
        if alpha_beta:
            total_bed = math.fsum(s.bed_gy for s in sums)
            total_eqd2 = math.fsum(s.eqd2_gy for s in sums)
            prior_bed = math.fsum(s.bed_gy for s in sums if not s.course.proposed)
            prior_eqd2 = math.fsum(s.eqd2_gy for s in sums if not s.course.proposed)
        reference = _reference(key, alpha_beta, sums, total_bed)
        if reference:
            flags.append(
                Flag(
                    "radiotherapy.reference",
                    Severity.INFO,
                    f"{site}: " + " ".join(reference),
                    {"site": site, "text": " ".join(reference)},
                )
            )
        results.append(
            SiteSum(
                site,
                alpha_beta,
                origin,
                tuple(sums),
                total_bed,
                total_eqd2,
                prior_bed,
                prior_eqd2,
                tuple(reference),
                tuple(flags),
            )
        )
    return tuple(results)


def _reference(key: str, alpha_beta: float | None, sums: Sequence[CourseSum], total_bed: float | None) -> list[str]:
    lines: list[str] = []
    if _is_cord(key):
        lines.append(
            "Information only (clinical-reference §5; Nieder et al., IJROBP 2006;66:1446; QUANTEC): for cord "
            "re-irradiation no myelopathy has been reported at a cumulative BED ≤ 120 Gy₂, and little or no "
            "risk when the cumulative BED is ≤ 135.5 Gy₂, the interval ≥ 6 months and each course ≤ 98 Gy₂."
        )
        if alpha_beta == 2.0 and total_bed is not None:
            courses = ", ".join(f"{format_number(s.bed_gy, 2)}" for s in sums)
            lines.append(f"Here: cumulative BED {format_number(total_bed, 2)} Gy₂ (courses {courses} Gy₂).")
        elif alpha_beta is not None:
            lines.append(f"The reference figures are in Gy₂ (α/β 2 Gy); these sums are in {_gy_ab(alpha_beta)}.")
        finished = sorted(s.course.finished_on for s in sums if s.course.finished_on is not None)
        if len(finished) >= 2:
            gaps = [relativedelta(b, a) for a, b in itertools.pairwise(finished)]
            lines.append(
                "Intervals between courses: "
                + ", ".join(f"{g.years * 12 + g.months} months {g.days} days" for g in gaps)
                + "."
            )
        lines.append("The clinician decides.")
    elif _is_oesophagus(key):
        lines.append(
            "Information only (clinical-reference §5): there is no validated cumulative constraint for "
            "oesophageal re-irradiation; salvage series after definitive chemoradiotherapy report a high risk of "
            "fistula or perforation. The clinician decides."
        )
    return lines
