"""The cumulative-dose ledger and the pre-cycle checks, computed from plain inputs (no database).

What counts (medication-safety §2 H1–H2, clinical-reference §5 and §7):

- **Drug totals** per drug, and per drug class where the catalogue gives equivalence factors
  (``CumulativeLimit.equivalents``, e.g. doxorubicin equivalents with the ESC 2022 factors). Totals are
  in the limit's unit: mg/m² uses the BSA recorded *at each administration*, mg the dose given. Only
  administrations recorded as ``given`` or ``modified`` count, plus prior doses declared with their
  source; held doses do not. An administration without a BSA cannot count in mg/m²: it is flagged,
  never guessed. Planned doses give a projected total, never part of the total itself.
- **Thresholds** from the catalogue: a warning from ``warn_fraction`` (default 80 %) of ``limit`` or
  from ``warn_at``, whichever comes first; a block at ``limit`` (and when the next planned day would go
  past it). A limit in months or cycles is a PD-1 bound (:func:`pd1_bound`).
- **Radiotherapy**: BED and EQD2 per site and course, summed (re-irradiation). No limit is enforced:
  reference figures are shown as information; the clinician decides.
- **Pre-cycle checks**: staleness of weight, height, creatinine and labs against configurable windows
  (B3), a weight change from the reference weight (B4), and day-1 laboratory go criteria (§7).

Every threshold lives in :class:`LedgerSettings` (one documented settings object; the [P] values are
site settings). Every result carries :class:`~dosecalc.derivation.Flag` objects with stable codes;
a BLOCK stays until resolved or overridden with a typed reason (:func:`apply_overrides`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pint
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.labs import LAB_KINDS
from dosecalc.radiotherapy import bed_gy, eqd2_gy
from dosecalc.regimen.model import Catalogue, CumulativeLimit, Drug
from dosecalc.settings import DEFAULT_LIMITS
from dosecalc.units import DOSE_BASIS, MG_PER_M2, MILLIGRAM, magnitude_in, parse_quantity

__all__ = [
    "COUNTED_STATUSES",
    "DEFAULT_SETTINGS",
    "Administration",
    "Amount",
    "Contribution",
    "CourseSum",
    "Day1Thresholds",
    "DrugTotal",
    "Freshness",
    "FreshnessWindows",
    "LabCheck",
    "LabResult",
    "LedgerSettings",
    "Pd1Bound",
    "PlannedDose",
    "PriorDose",
    "Reading",
    "RtCourse",
    "SiteSum",
    "WeightChange",
    "apply_overrides",
    "day1_lab_check",
    "drug_totals",
    "is_pd1",
    "pd1_bound",
    "radiotherapy_sums",
    "sorted_flags",
    "staleness",
    "status_of",
    "weight_change",
]

#: Administration statuses that count towards a total (medication-safety H2: only what was given).
COUNTED_STATUSES = frozenset({"given", "modified"})
MASS_UNITS = ("mg/m2", "mg")
_UNIT_TEXT = {"mg/m2": "mg/m²", "mg": "mg"}
#: Relative tolerance at a threshold, so float noise in a sum (399.99999999 for 400) never hides an edge.
_EPSILON = 1e-9
_SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARNING: 1, Severity.INFO: 2}


# ------------------------------------------------------------------------------------------------ settings


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FreshnessWindows(_Settings):
    """How old a value may be on the planned treatment date, in days (medication-safety B3).

    Defaults: weight 14, height 365, creatinine 14, day-1 labs 3 days. The windows are institutional
    ([E] in medication-safety B3, "configurable maximum ages"): a site sets its own.
    """

    weight_days: int = Field(default=14, ge=0, le=3650)
    height_days: int = Field(default=365, ge=0, le=3650)
    creatinine_days: int = Field(default=14, ge=0, le=3650)
    labs_days: int = Field(default=3, ge=0, le=3650)

    def window(self, kind: str) -> int:
        if kind in ("weight", "height", "creatinine"):
            return int(getattr(self, f"{kind}_days"))
        if kind in LAB_KINDS:
            return self.labs_days
        raise InputError("kind", kind, "has no freshness window", expected="height | weight | creatinine | a lab")


class Day1Thresholds(_Settings):
    """Day-1 go criteria, clinical-reference §7 ("typical day-1 go criteria", [P]: site settings).

    ANC ≥ 1.5 ×10⁹/L; platelets ≥ 100 ×10⁹/L (some protocols accept 75); Hb ≥ 9 g/dL; total bilirubin
    ≤ 1.5 × ULN; AST and ALT ≤ 2.5 × ULN (≤ 5 × ULN with liver metastases). Source: ESCC trial
    eligibility NCT06048926 [V]. The upper limits of normal are laboratory-specific [P]: bilirubin
    21 µmol/L and AST/ALT 40 units/L are placeholders a site replaces with its laboratory's figures.
    """

    anc_min: float = Field(default=1.5, ge=0)  # ×10⁹/L
    platelets_min: float = Field(default=100, ge=0)  # ×10⁹/L
    hemoglobin_min: float = Field(default=9, ge=0)  # g/dL
    bilirubin_max_uln: float = Field(default=1.5, gt=0)  # × ULN
    bilirubin_uln: float = Field(default=21, gt=0)  # µmol/L [P]
    ast_max_uln: float = Field(default=2.5, gt=0)  # × ULN
    ast_uln: float = Field(default=40, gt=0)  # units/L [P]
    alt_max_uln: float = Field(default=2.5, gt=0)  # × ULN
    alt_uln: float = Field(default=40, gt=0)  # units/L [P]


class LedgerSettings(_Settings):
    """Every threshold the ledger and the pre-cycle checks use, in one place.

    - ``warn_fraction``: warn at this fraction of a catalogue ``limit`` (or at ``warn_at`` if lower);
      80 % by default (the issue).
    - ``weight_change``: flag a weight this far (either way) from the reference weight; 10 %
      (medication-safety B4, Western Health ±10 % [V], threshold [E]).
    - ``alpha_beta_gy``: α/β per radiotherapy site, matched case-insensitively. Spinal cord 2 Gy
      (re-irradiation literature; Nieder 2006 [V]); oesophagus 3 Gy (late effects, [M] convention);
      tumour 10 Gy ([M]). ``default_alpha_beta_gy`` (3 Gy, late effects) is used for any other site and
      the figure is flagged as a default; set it to None to show no figures for an unlisted site.
    """

    windows: FreshnessWindows = FreshnessWindows()
    day1: Day1Thresholds = Day1Thresholds()
    warn_fraction: float = Field(default=0.8, gt=0, le=1)
    weight_change: float = Field(default=0.10, gt=0, lt=1)
    alpha_beta_gy: dict[str, float] = Field(
        default_factory=lambda: {
            "spinal cord": 2.0,
            "cord": 2.0,
            "oesophagus": 3.0,
            "esophagus": 3.0,
            "tumour": 10.0,
            "tumor": 10.0,
        }
    )
    default_alpha_beta_gy: float | None = Field(default=3.0, gt=0)


DEFAULT_SETTINGS = LedgerSettings()


# ------------------------------------------------------------------------------------------------ helpers


def _reached(value: float, threshold: float) -> bool:
    return value >= threshold - _EPSILON * max(1.0, abs(threshold))


def _exceeds(value: float, threshold: float) -> bool:
    return value > threshold + _EPSILON * max(1.0, abs(threshold))


def _n(value: float | None, decimals: int = 2) -> str:
    return "?" if value is None else format_number(value, decimals)


def _date(value: dt.date) -> str:
    # Month as a word, never a numeric day/month order that can be misread.
    return value.strftime("%d %b %Y")


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def status_of(flags: Iterable[Flag]) -> str:
    """``block``, ``warning`` or ``ok``: the most severe flag (an INFO note leaves it ``ok``).

    >>> status_of([Flag("radiotherapy.reference", Severity.INFO, "information only")])
    'ok'
    """
    severities = {f.severity for f in flags}
    if Severity.BLOCK in severities:
        return "block"
    if Severity.WARNING in severities:
        return "warning"
    return "ok"


def sorted_flags(flags: Iterable[Flag]) -> tuple[Flag, ...]:
    """Flags de-duplicated, blocks first, then warnings, then notes (stable within each).

    >>> note, block = Flag("n", Severity.INFO, "note"), Flag("b", Severity.BLOCK, "block")
    >>> [f.code for f in sorted_flags([note, block, note])]
    ['b', 'n']
    """
    unique = tuple(dict.fromkeys(flags))
    return tuple(sorted(unique, key=lambda f: _SEVERITY_ORDER[f.severity]))


def apply_overrides(flags: Iterable[Flag], overrides: Mapping[str, str] | None) -> tuple[Flag, ...]:
    """Each BLOCK whose code has a typed reason becomes a WARNING that keeps the reason.

    The caller records the override with the order (``Store.save_order(overrides=...)``); a blank
    reason is refused, as the store refuses it.

    >>> flag = Flag("day1.anc_low", Severity.BLOCK, "ANC 1.2 ×10⁹/L is below 1.5 ×10⁹/L")
    >>> apply_overrides([flag], {"day1.anc_low": "G-CSF given, physician agrees"})[0].severity
    <Severity.WARNING: 'warning'>
    """
    if not overrides:
        return tuple(flags)
    result = []
    for flag in flags:
        if flag.severity is Severity.BLOCK and flag.code in overrides:
            reason = str(overrides[flag.code] or "").strip()
            if not reason:
                raise InputError("reason", None, f"is required to override {flag.code}", expected="a typed reason")
            flag = Flag(
                flag.code,
                Severity.WARNING,
                f"{flag.message} — overridden: {reason}",
                {**flag.params, "overridden": True, "reason": reason},
            )
        result.append(flag)
    return tuple(result)


def is_pd1(drug: Drug | None) -> bool:
    """An anti-PD-1 antibody by its catalogue class (as the plan computation decides it).

    >>> from dosecalc.regimen.loader import load_library
    >>> catalogue = load_library().catalogue
    >>> is_pd1(catalogue.get("sintilimab")), is_pd1(catalogue.get("ipilimumab")), is_pd1(None)
    (True, False, False)
    """
    return drug is not None and "PD-1" in drug.drug_class


# ------------------------------------------------------------------------------------------------ drug totals


@dataclass(frozen=True, slots=True)
class Administration:
    """One recorded administration: ``dose_mg`` actually given, at the BSA of that day (None: not recorded)."""

    drug: str
    status: str  # given | held | modified
    dose_mg: float
    given_on: dt.date
    bsa_m2: float | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class PriorDose:
    """A total declared from elsewhere (discharge letter, other hospital): ``"300 mg/m**2"`` or ``"450 mg"``."""

    drug: str
    total_text: str
    source: str
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PlannedDose:
    """A dose still planned: per m² for a mg/m² line, in mg for a flat one (or both, with the BSA used)."""

    drug: str
    on: dt.date
    mg_per_m2: float | None = None
    dose_mg: float | None = None
    bsa_m2: float | None = None
    label: str | None = None  # e.g. "maintenance cycle 7 day 1"

    def in_unit(self, unit: str) -> float | None:
        bsa = self.bsa_m2 if self.bsa_m2 and self.bsa_m2 > 0 else None
        if unit == "mg/m2":
            if self.mg_per_m2 is not None:
                return self.mg_per_m2
            return self.dose_mg / bsa if self.dose_mg is not None and bsa else None
        if self.dose_mg is not None:
            return self.dose_mg
        return self.mg_per_m2 * bsa if self.mg_per_m2 is not None and bsa else None

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "on": self.on.isoformat(),
            "mg_per_m2": _r(self.mg_per_m2),
            "dose_mg": _r(self.dose_mg),
            "bsa_m2": _r(self.bsa_m2),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Amount:
    """A total in one unit, after equivalence factors: recorded + declared, and what is planned."""

    unit: str  # mg/m2 | mg
    given: float
    prior: float
    planned: float  # every planned dose still to come
    next: float  # the planned doses of the next treatment day
    next_on: dt.date | None
    not_counted: tuple[str, ...]  # recorded or declared doses that cannot be counted in this unit
    not_projected: tuple[str, ...]  # planned doses that cannot be projected in this unit

    @property
    def total(self) -> float:
        return self.given + self.prior

    @property
    def next_total(self) -> float:
        return self.total + self.next

    @property
    def projected(self) -> float:
        return self.total + self.planned

    @property
    def complete(self) -> bool:
        return not self.not_counted

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "given": _r(self.given),
            "prior": _r(self.prior),
            "total": _r(self.total),
            "next": _r(self.next),
            "next_on": self.next_on.isoformat() if self.next_on else None,
            "next_total": _r(self.next_total),
            "planned": _r(self.planned),
            "projected": _r(self.projected),
            "complete": self.complete,
            "not_counted": list(self.not_counted),
            "not_projected": list(self.not_projected),
        }


@dataclass(frozen=True, slots=True)
class Contribution:
    """One drug's part of a total, before its factor (1 for the drug itself)."""

    drug: str
    factor: float
    counted: int  # administrations given or modified
    held: int  # held: recorded, not counted
    given_mg: float
    given_mg_per_m2: float  # of the administrations with a BSA
    without_bsa: int
    priors: tuple[PriorDose, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "factor": self.factor,
            "counted": self.counted,
            "held": self.held,
            "given_mg": _r(self.given_mg),
            "given_mg_per_m2": _r(self.given_mg_per_m2),
            "without_bsa": self.without_bsa,
            "priors": [
                {"total": p.total_text, "source": p.source, "until": p.until.isoformat() if p.until else None}
                for p in self.priors
            ],
        }


@dataclass(frozen=True, slots=True)
class DrugTotal:
    """A drug's (or a class's) cumulative total against its catalogue limit.

    ``unit`` is the limit's unit (``mg/m2`` or ``mg``); None when the catalogue has no mass limit for
    the drug (no limit, or a PD-1 bound in months or cycles): the amounts are then shown, not judged.
    """

    drug: str
    label: str
    drug_class: str | None
    class_total: bool  # sums other drugs with equivalence factors
    unit: str | None
    mg: Amount
    mg_per_m2: Amount
    contributions: tuple[Contribution, ...]
    warn_threshold: float | None
    limit: float | None
    cumulative: CumulativeLimit | None
    flags: tuple[Flag, ...]

    @property
    def amount(self) -> Amount:
        """The amount in the limit's unit (mg without a mass limit)."""
        return self.mg_per_m2 if self.unit == "mg/m2" else self.mg

    @property
    def total(self) -> float:
        return self.amount.total

    @property
    def status(self) -> str:
        return status_of(self.flags)

    def to_json(self) -> dict[str, Any]:
        limit = self.cumulative
        return {
            "drug": self.drug,
            "label": self.label,
            "drug_class": self.drug_class,
            "class_total": self.class_total,
            "unit": self.unit,
            "total": _r(self.total) if self.unit else None,
            "projected": _r(self.amount.projected) if self.unit else None,
            "warn_threshold": _r(self.warn_threshold),
            "limit": _r(self.limit),
            "limit_kind": limit.kind if limit else None,
            "limit_unit": limit.unit if limit else None,
            "counts": limit.counts if limit else None,
            "source": limit.source if limit else None,
            "mg": self.mg.to_json(),
            "mg_per_m2": self.mg_per_m2.to_json(),
            "contributions": [c.to_json() for c in self.contributions],
            "status": self.status,
            "flags": [f.to_json() for f in self.flags],
        }


@lru_cache(maxsize=1024)
def _parse_prior(text: str) -> tuple[str, float]:
    """``("mg/m2", 300.0)`` or ``("mg", 450.0)``; raises InputError for anything else."""
    quantity = parse_quantity(text, "prior-dose", DOSE_BASIS)
    for unit, target in (("mg/m2", MG_PER_M2), ("mg", MILLIGRAM)):
        try:
            value = magnitude_in(quantity, target)
        except pint.DimensionalityError:
            continue
        if not value > 0 or not math.isfinite(value):
            raise InputError("prior-dose", text, "must be greater than zero", expected="e.g. '300 mg/m**2'")
        return unit, value
    raise InputError(
        "prior-dose", text, "is per kg, which no cumulative total uses", expected="mg/m**2 or mg, e.g. '300 mg/m**2'"
    )


def _prior_text(prior: PriorDose) -> str:
    return f"prior {prior.drug} {prior.total_text} ({prior.source})"


def drug_totals(
    administrations: Iterable[Administration],
    priors: Iterable[PriorDose],
    catalogue: Catalogue,
    *,
    planned: Iterable[PlannedDose] = (),
    warn_fraction: float = DEFAULT_SETTINGS.warn_fraction,
) -> tuple[DrugTotal, ...]:
    """Cumulative totals per drug, and per class with the catalogue's equivalence factors.

    One total for every drug the patient received, declared or has planned, in catalogue order (drugs
    missing from the catalogue last), plus one class total for every catalogue limit whose
    ``equivalents`` name one of them. Only ``given`` and ``modified`` administrations count.

    Worked example, ESC 2022 cardio-oncology guidelines (doi:10.1093/eurheartj/ehac244; clinical-reference
    §5): 300 mg/m² doxorubicin before, then 125 mg/m² epirubicin × 0.8 = 100 mg/m² doxorubicin
    equivalents, 400 mg/m² in all. The anthracyclines here are a test catalogue (the shipped one has none):
    limit 450 mg/m² and ``warn_at`` 400 mg/m², so the warning comes at 80 % of the limit, 360 mg/m², the
    earlier of the two. Epirubicin has no limit of its own here: its own line is shown, not judged.

    >>> anthracycline = {"drug_class": "anthracycline", "zh": "蒽环类"}
    >>> catalogue = Catalogue.model_validate({"schema_version": 1, "drugs": [
    ...     {**anthracycline, "id": "doxorubicin", "generic": "doxorubicin", "display": "DOXOrubicin",
    ...      "cumulative": {"unit": "mg/m2", "warn_at": 400, "limit": 450, "kind": "convention",
    ...                     "counts": "doxorubicin equivalents", "equivalents": {"epirubicin": 0.8},
    ...                     "source": "ESC 2022"}},
    ...     {**anthracycline, "id": "epirubicin", "generic": "epirubicin", "display": "epirubicin"}]})
    >>> given = [Administration("epirubicin", "given", 100.0, dt.date(2026, 10, d), bsa_m2=1.6) for d in (1, 22)]
    >>> held = Administration("epirubicin", "held", 0.0, dt.date(2026, 11, 12), bsa_m2=1.6)
    >>> totals = drug_totals([*given, held], [PriorDose("doxorubicin", "300 mg/m**2", "discharge letter")],
    ...                      catalogue)
    >>> [(t.label, t.mg_per_m2.total, t.status) for t in totals]
    [('doxorubicin equivalents', 400.0, 'warning'), ('epirubicin', 125.0, 'ok')]
    >>> print(totals[0].flags[0].message)
    doxorubicin equivalents 400 mg/m² (epirubicin × 0.8) has reached the warning level of 360 mg/m² (88.9 % ...

    """
    administrations = tuple(administrations)
    priors = tuple(priors)
    planned = tuple(planned)
    by_drug: dict[str, list[Administration]] = {}
    for item in administrations:
        by_drug.setdefault(item.drug, []).append(item)
    priors_by_drug: dict[str, list[PriorDose]] = {}
    for prior in priors:
        priors_by_drug.setdefault(prior.drug, []).append(prior)
    planned_by_drug: dict[str, list[PlannedDose]] = {}
    for dose in planned:
        planned_by_drug.setdefault(dose.drug, []).append(dose)
    present = set(by_drug) | set(priors_by_drug) | set(planned_by_drug)
    if not present:
        return ()
    known = {d.id for d in catalogue.drugs}
    totals: list[DrugTotal] = []
    for drug in catalogue.drugs:
        limit = drug.cumulative
        mass_limit = limit if limit is not None and limit.unit in MASS_UNITS else None
        others = {k: v for k, v in (mass_limit.equivalents if mass_limit else {}).items() if k != drug.id}
        if drug.id in present:
            totals.append(
                _total(
                    drug.id,
                    drug,
                    {drug.id: 1.0},
                    mass_limit,
                    limit,
                    by_drug,
                    priors_by_drug,
                    planned_by_drug,
                    warn_fraction,
                    class_total=False,
                )
            )
        if others and present & set(others):
            members = {drug.id: 1.0, **others}
            totals.append(
                _total(
                    drug.id,
                    drug,
                    members,
                    mass_limit,
                    limit,
                    by_drug,
                    priors_by_drug,
                    planned_by_drug,
                    warn_fraction,
                    class_total=True,
                )
            )
    for drug_id in sorted(present - known):
        totals.append(
            _total(
                drug_id,
                None,
                {drug_id: 1.0},
                None,
                None,
                by_drug,
                priors_by_drug,
                planned_by_drug,
                warn_fraction,
                class_total=False,
            )
        )
    # A drug with equivalents is listed once, as its class total (which contains the drug itself).
    class_ids = {t.drug for t in totals if t.class_total}
    return tuple(t for t in totals if t.class_total or t.drug not in class_ids)


def _total(
    drug_id: str,
    drug: Drug | None,
    members: Mapping[str, float],
    mass_limit: CumulativeLimit | None,
    limit: CumulativeLimit | None,
    by_drug: Mapping[str, Sequence[Administration]],
    priors_by_drug: Mapping[str, Sequence[PriorDose]],
    planned_by_drug: Mapping[str, Sequence[PlannedDose]],
    warn_fraction: float,
    *,
    class_total: bool,
) -> DrugTotal:
    contributions: list[Contribution] = []
    sums = {"mg": [0.0, 0.0], "mg/m2": [0.0, 0.0]}  # unit → [given, prior], after factors
    not_counted: dict[str, list[str]] = {"mg": [], "mg/m2": []}
    not_projected: dict[str, list[str]] = {"mg": [], "mg/m2": []}
    planned_items: list[tuple[PlannedDose, float]] = []
    missing_bsa: list[Administration] = []
    unreadable: list[str] = []
    for member, factor in members.items():
        records = by_drug.get(member, ())
        counted = [a for a in records if a.status in COUNTED_STATUSES]
        held = sum(1 for a in records if a.status == "held")
        given_mg = math.fsum(a.dose_mg for a in counted)
        with_bsa = [a for a in counted if a.bsa_m2 is not None and a.bsa_m2 > 0]
        given_per_m2 = math.fsum(a.dose_mg / a.bsa_m2 for a in with_bsa if a.bsa_m2)
        without = [a for a in counted if a.bsa_m2 is None or not a.bsa_m2 > 0]
        missing_bsa.extend(without)
        not_counted["mg/m2"].extend(_no_bsa_text(a) for a in without)
        sums["mg"][0] += factor * given_mg
        sums["mg/m2"][0] += factor * given_per_m2
        member_priors = tuple(priors_by_drug.get(member, ()))
        for prior in member_priors:
            try:
                unit, value = _parse_prior(prior.total_text)
            except DoseCalcError as error:
                text = f"{_prior_text(prior)}: {error.message}"
                unreadable.append(text)
                for key in not_counted:
                    not_counted[key].append(text)
                continue
            sums[unit][1] += factor * value
            other = "mg" if unit == "mg/m2" else "mg/m2"
            not_counted[other].append(f"{_prior_text(prior)} is declared in {_UNIT_TEXT[unit]}")
        for dose in planned_by_drug.get(member, ()):
            planned_items.append((dose, factor))
        contributions.append(
            Contribution(member, factor, len(counted), held, given_mg, given_per_m2, len(without), member_priors)
        )
    amounts = {}
    next_on = min((d.on for d, _ in planned_items), default=None)
    for mass_unit in MASS_UNITS:
        total_planned = 0.0
        next_day = 0.0
        for dose, factor in planned_items:
            planned_value = dose.in_unit(mass_unit)
            if planned_value is None:
                not_projected[mass_unit].append(
                    f"{dose.drug} on {_date(dose.on)}" + (f" ({dose.label})" if dose.label else "")
                )
                continue
            total_planned += factor * planned_value
            if dose.on == next_on:
                next_day += factor * planned_value
        amounts[mass_unit] = Amount(
            mass_unit,
            sums[mass_unit][0],
            sums[mass_unit][1],
            total_planned,
            next_day,
            next_on,
            tuple(not_counted[mass_unit]),
            tuple(not_projected[mass_unit]),
        )
    limit_unit = mass_limit.unit if mass_limit else None
    name = drug.generic if drug is not None else drug_id
    label = f"{name} equivalents" if class_total else name
    warn_threshold = None
    hard_limit = None
    if mass_limit is not None:
        hard_limit = mass_limit.limit
        warn_threshold = mass_limit.warn_at
        if hard_limit is not None:
            warn_threshold = min(warn_threshold, warn_fraction * hard_limit)
    total = DrugTotal(
        drug_id,
        label,
        drug.drug_class if drug else None,
        class_total,
        limit_unit,
        amounts["mg"],
        amounts["mg/m2"],
        tuple(contributions),
        warn_threshold,
        hard_limit,
        limit,
        (),
    )
    return replace(total, flags=_total_flags(total, drug is not None, members, missing_bsa, unreadable))


def _no_bsa_text(item: Administration) -> str:
    return f"{item.drug} {format_number(item.dose_mg)} mg on {_date(item.given_on)} has no BSA recorded"


def _total_flags(
    total: DrugTotal,
    in_catalogue: bool,
    members: Mapping[str, float],
    missing_bsa: Sequence[Administration],
    unreadable: Sequence[str],
) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    label = total.label
    factors = ", ".join(f"{m} × {format_number(f, 3)}" for m, f in members.items() if f != 1.0)
    params: dict[str, Any] = {"drug": total.drug, "label": label}
    if factors:
        params["factors"] = factors
    if not in_catalogue:
        flags.append(
            Flag(
                "cumulative.not_in_catalogue",
                Severity.INFO,
                f"{label} is not in the drug catalogue: no cumulative limit is known",
                params,
            )
        )
    unit = total.unit
    if unit is None:
        for text in unreadable:
            flags.append(Flag("cumulative.prior_not_counted", Severity.INFO, f"{label}: {text}", params))
        return tuple(flags)
    amount = total.amount
    unit_text = _UNIT_TEXT[unit]
    hard = total.limit is not None
    incomplete = Severity.BLOCK if hard else Severity.WARNING
    if missing_bsa and unit == "mg/m2":
        flags.append(
            Flag(
                "cumulative.bsa_missing",
                incomplete,
                f"{label}: {len(missing_bsa)} administration(s) without a recorded BSA cannot count in "
                f"{unit_text} ({'; '.join(_no_bsa_text(a) for a in missing_bsa)}); record the BSA of "
                "each administration — the total is not guessed",
                {**params, "count": len(missing_bsa)},
            )
        )
    bsa_texts = {_no_bsa_text(a) for a in missing_bsa}
    other = [t for t in amount.not_counted if t not in bsa_texts]
    if other:
        flags.append(
            Flag(
                "cumulative.prior_not_counted",
                incomplete,
                f"{label}: not counted in {unit_text}: {'; '.join(other)}",
                {**params, "count": len(other)},
            )
        )
    if amount.not_projected:
        flags.append(
            Flag(
                "cumulative.planned_not_projected",
                Severity.WARNING,
                f"{label}: planned doses without a dose in {unit_text}: {'; '.join(amount.not_projected)}",
                {**params, "count": len(amount.not_projected)},
            )
        )
    assert total.cumulative is not None
    assert total.warn_threshold is not None
    limit = total.limit
    warn = total.warn_threshold
    kind = total.cumulative.kind
    base = {**params, "total": amount.total, "unit": unit, "warn_at": warn, "limit": limit, "kind": kind}
    shown = f"{label} {_n(amount.total)} {unit_text}" + (f" ({factors})" if factors else "")
    source = f" ({kind}: {total.cumulative.source})"
    if limit is not None and _reached(amount.total, limit):
        flags.append(
            Flag(
                "cumulative.limit_reached",
                Severity.BLOCK,
                f"{shown} has reached the limit of {_n(limit)} {unit_text}{source}",
                base,
            )
        )
        return tuple(flags)
    if _reached(amount.total, warn):
        of_limit = f" ({_n(100 * amount.total / limit, 1)} % of the {_n(limit)} {unit_text} limit)" if limit else ""
        flags.append(
            Flag(
                "cumulative.warning",
                Severity.WARNING,
                f"{shown} has reached the warning level of {_n(warn)} {unit_text}{of_limit}{source}",
                base,
            )
        )
    if amount.next and amount.next_on is not None and limit is not None and _exceeds(amount.next_total, limit):
        flags.append(
            Flag(
                "cumulative.next_over_limit",
                Severity.BLOCK,
                f"{shown}: the doses planned on {_date(amount.next_on)} would bring it to "
                f"{_n(amount.next_total)} {unit_text}, past the limit of {_n(limit)} {unit_text}{source}",
                {**base, "next_total": amount.next_total, "next_on": amount.next_on.isoformat()},
            )
        )
    elif limit is not None and _exceeds(amount.projected, limit):
        flags.append(
            Flag(
                "cumulative.projected_over_limit",
                Severity.WARNING,
                f"{shown}: with every planned dose it would reach {_n(amount.projected)} {unit_text}, past the "
                f"limit of {_n(limit)} {unit_text}{source}",
                {**base, "projected": amount.projected},
            )
        )
    elif not _reached(amount.total, warn) and amount.planned and _reached(amount.projected, warn):
        flags.append(
            Flag(
                "cumulative.projected_warning",
                Severity.INFO,
                f"{shown}: with every planned dose it would reach {_n(amount.projected)} {unit_text}, past the "
                f"warning level of {_n(warn)} {unit_text}{source}",
                {**base, "projected": amount.projected},
            )
        )
    return tuple(flags)


# ------------------------------------------------------------------------------------------------ radiotherapy


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
                        {"site": site, "course": index},
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
                Flag("radiotherapy.reference", Severity.INFO, f"{site}: " + " ".join(reference), {"site": site})
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


# ------------------------------------------------------------------------------------------------ PD-1 bound


@dataclass(frozen=True, slots=True)
class Pd1Bound:
    """Time and cycles since the first PD-1 dose against the regimen's bound."""

    first_dose: dt.date | None
    on: dt.date
    cycles_given: int
    months: int | None
    max_cycles: int | None
    warn_months: int | None
    warn_cycles: int | None
    stop_date: dt.date | None  # first dose + months: no PD-1 dose on or after it
    elapsed_months: int
    elapsed_days: int
    source: str | None
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        return status_of(self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "first_dose": self.first_dose.isoformat() if self.first_dose else None,
            "on": self.on.isoformat(),
            "cycles_given": self.cycles_given,
            "months": self.months,
            "max_cycles": self.max_cycles,
            "warn_months": self.warn_months,
            "warn_cycles": self.warn_cycles,
            "stop_date": self.stop_date.isoformat() if self.stop_date else None,
            "elapsed": {"months": self.elapsed_months, "days": self.elapsed_days},
            "source": self.source,
            "status": self.status,
            "flags": [f.to_json() for f in self.flags],
        }


def pd1_bound(
    first_dose_date: dt.date | None,
    cycles_given: int,
    on: dt.date,
    months: int | None = 24,
    max_cycles: int | None = None,
    *,
    warn_months: int | None = None,
    warn_cycles: int | None = None,
    source: str | None = None,
) -> Pd1Bound:
    """Months (calendar months, ``relativedelta``) and cycles since the first PD-1 dose, against the bound.

    A dose on or after first dose + ``months`` blocks, as :func:`~dosecalc.schedule.plan.compute_plan`
    stops the phase there; ``max_cycles`` given cycles block another. Warnings come ``warn_months``
    (default: 3 months before the bound) or ``warn_cycles`` (default: 4 cycles before) earlier, as the
    catalogue's PD-1 entries set them (drugs.toml: warn at 21 of 24 months, 31 of 35 cycles).

    Sources: ORIENT-15 (BMJ 2022;377:e068714) sintilimab at most 24 months; KEYNOTE-590 / label up to
    35 cycles (clinical-reference §6; 2 years is a trial convention, [P]).

    >>> bound = pd1_bound(dt.date(2025, 1, 1), 34, dt.date(2026, 12, 30))
    >>> bound.elapsed_months, bound.elapsed_days, bound.stop_date, bound.status
    (23, 29, datetime.date(2027, 1, 1), 'warning')
    >>> pd1_bound(dt.date(2025, 1, 1), 34, dt.date(2027, 1, 1)).status
    'block'
    """
    if cycles_given < 0:
        raise InputError("cycles", cycles_given, "cannot be negative", expected="0 or more cycles given")
    if warn_months is None and months is not None:
        warn_months = max(months - 3, 0)
    if warn_cycles is None and max_cycles is not None:
        warn_cycles = max(max_cycles - 4, 0)
    flags: list[Flag] = []
    stop_date = None
    elapsed = relativedelta(months=0)
    if first_dose_date is not None:
        if on >= first_dose_date:
            elapsed = relativedelta(on, first_dose_date)
        since = f"since the first PD-1 dose on {_date(first_dose_date)}"
        elapsed_text = f"{elapsed.years * 12 + elapsed.months} months {elapsed.days} days"
        params: dict[str, Any] = {"first_dose": first_dose_date.isoformat(), "on": on.isoformat()}
        if months is not None:
            stop_date = first_dose_date + relativedelta(months=months)
            if on >= stop_date:
                flags.append(
                    Flag(
                        "pd1.months_reached",
                        Severity.BLOCK,
                        f"{elapsed_text} {since}: the bound of {months} months ended on "
                        f"{_date(stop_date)} ({source or 'regimen bound'})",
                        {**params, "months": months},
                    )
                )
            elif warn_months is not None and on >= first_dose_date + relativedelta(months=warn_months):
                flags.append(
                    Flag(
                        "pd1.months_near",
                        Severity.WARNING,
                        f"{elapsed_text} {since}: the bound of {months} months ends on "
                        f"{_date(stop_date)} ({source or 'regimen bound'})",
                        {**params, "months": months},
                    )
                )
        if max_cycles is not None:
            if cycles_given >= max_cycles:
                flags.append(
                    Flag(
                        "pd1.cycles_reached",
                        Severity.BLOCK,
                        f"{cycles_given} PD-1 cycles given {since}: the bound is {max_cycles} cycles "
                        f"({source or 'regimen bound'})",
                        {**params, "max_cycles": max_cycles},
                    )
                )
            elif warn_cycles is not None and cycles_given >= warn_cycles:
                flags.append(
                    Flag(
                        "pd1.cycles_near",
                        Severity.WARNING,
                        f"{cycles_given} PD-1 cycles given {since}: the bound is {max_cycles} cycles "
                        f"({source or 'regimen bound'})",
                        {**params, "max_cycles": max_cycles},
                    )
                )
    return Pd1Bound(
        first_dose_date,
        on,
        cycles_given,
        months,
        max_cycles,
        warn_months,
        warn_cycles,
        stop_date,
        elapsed.years * 12 + elapsed.months,
        elapsed.days,
        source,
        tuple(flags),
    )


# ------------------------------------------------------------------------------------------------ staleness


@dataclass(frozen=True, slots=True)
class Reading:
    """The latest value of one kind: in the kind's reference unit, with its date."""

    kind: str
    value: float
    measured_on: dt.date
    text: str | None = None
    source: str | None = None  # measured | stated | estimated


@dataclass(frozen=True, slots=True)
class Freshness:
    kind: str
    measured_on: dt.date | None
    age_days: int | None
    window_days: int
    flags: tuple[Flag, ...]

    @property
    def stale(self) -> bool:
        return self.age_days is not None and self.age_days > self.window_days

    @property
    def missing(self) -> bool:
        return self.measured_on is None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "measured_on": self.measured_on.isoformat() if self.measured_on else None,
            "age_days": self.age_days,
            "window_days": self.window_days,
            "stale": self.stale,
            "missing": self.missing,
            "flags": [f.to_json() for f in self.flags],
        }


def staleness(
    measurements: Mapping[str, Reading | dt.date],
    planned_date: dt.date,
    windows: FreshnessWindows = DEFAULT_SETTINGS.windows,
    *,
    kinds: Iterable[str] | None = None,
) -> tuple[Freshness, ...]:
    """Each value's age on the planned date against its window: older than the window blocks (B3).

    A value exactly ``window`` days old is fresh; one day more is stale. A kind in ``kinds`` (default:
    height, weight, creatinine and every lab kind) without a value blocks as missing. Both blocks may be
    overridden with a reason (:func:`apply_overrides`). Source: medication-safety §2 B3 ("a weight 30 days
    old with a 14-day rule gives a blocking warning").

    >>> [weight] = staleness({"weight": dt.date(2026, 10, 22)}, dt.date(2026, 11, 21), kinds=["weight"])
    >>> weight.age_days, weight.stale, weight.flags[0].code
    (30, True, 'measurement.weight_stale')
    """
    wanted = tuple(kinds) if kinds is not None else ("height", "weight", "creatinine", *LAB_KINDS)
    results = []
    for kind in wanted:
        window = windows.window(kind)
        value = measurements.get(kind)
        measured_on = value.measured_on if isinstance(value, Reading) else value
        if measured_on is None:
            flag = Flag(
                f"measurement.{kind}_missing",
                Severity.BLOCK,
                f"no {kind} is recorded on or before {_date(planned_date)}; record one, or override with a reason",
                {"kind": kind},
            )
            results.append(Freshness(kind, None, None, window, (flag,)))
            continue
        age = (planned_date - measured_on).days
        flags: tuple[Flag, ...] = ()
        if age > window:
            flags = (
                Flag(
                    f"measurement.{kind}_stale",
                    Severity.BLOCK,
                    f"{kind} measured on {_date(measured_on)} is {age} days old on {_date(planned_date)}; the "
                    f"window is {window} days — measure again, or override with a reason",
                    {"kind": kind, "age_days": age, "window_days": window},
                ),
            )
        results.append(Freshness(kind, measured_on, age, window, flags))
    return tuple(results)


# ------------------------------------------------------------------------------------------------ weight change


@dataclass(frozen=True, slots=True)
class WeightChange:
    current_kg: float
    reference_kg: float
    change: float  # signed fraction of the reference
    threshold: float
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "current_kg": self.current_kg,
            "reference_kg": self.reference_kg,
            "change_percent": _r(100 * self.change),
            "threshold_percent": _r(100 * self.threshold),
            "flags": [f.to_json() for f in self.flags],
        }


def weight_change(current_kg: float, reference_kg: float, threshold: float = 0.10) -> WeightChange:
    """A change of ``threshold`` or more either way from the reference weight flags recalculation (B4).

    The reference is the weight the last cycle's dose used (or the baseline). Source: medication-safety
    §2 B4 ("a 10.1 % change flags; a 9.9 % change does not"); the boundary itself (10.0 %) flags, "≥".

    >>> weight_change(66, 60).flags[0].code, weight_change(65.9, 60).flags
    ('weight.changed', ())
    """
    for name, value in (("weight", current_kg), ("reference-weight", reference_kg)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise InputError(name, value, "is not a weight", expected="a weight in kg greater than zero")
    change = (current_kg - reference_kg) / reference_kg
    flags: tuple[Flag, ...] = ()
    if _reached(abs(change), threshold):
        flags = (
            Flag(
                "weight.changed",
                Severity.WARNING,
                f"weight {format_number(current_kg, 1)} kg is {format_number(100 * change, 1)} % from the reference "
                f"{format_number(reference_kg, 1)} kg (threshold {format_number(100 * threshold, 1)} %): recalculate "
                "the doses or confirm the weight",
                {"current_kg": current_kg, "reference_kg": reference_kg, "change": change},
            ),
        )
    return WeightChange(current_kg, reference_kg, change, threshold, flags)


# ------------------------------------------------------------------------------------------------ day-1 labs


@dataclass(frozen=True, slots=True)
class LabResult:
    kind: str
    value: float | None
    unit: str
    rule: str  # "≥ 1.5 ×10⁹/L", "≤ 31.5 µmol/L (1.5 × ULN 21)"
    ok: bool

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "unit": self.unit, "rule": self.rule, "ok": self.ok}


@dataclass(frozen=True, slots=True)
class LabCheck:
    results: tuple[LabResult, ...]
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        return status_of(self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [r.to_json() for r in self.results],
            "status": self.status,
            "flags": [f.to_json() for f in self.flags],
        }


def day1_lab_check(
    labs: Mapping[str, float | Reading],
    thresholds: Day1Thresholds = DEFAULT_SETTINGS.day1,
    *,
    overrides: Mapping[str, str] | None = None,
) -> LabCheck:
    """Day-1 go criteria: a value past its threshold, or a missing one, blocks unless overridden with a reason.

    Values are in the reference units of :mod:`dosecalc.labs` (×10⁹/L, g/dL, µmol/L, units/L). Defaults
    from clinical-reference §7 ([P] site settings, :class:`Day1Thresholds`): ANC ≥ 1.5, platelets ≥ 100,
    Hb ≥ 9 g/dL, bilirubin ≤ 1.5 × ULN, AST/ALT ≤ 2.5 × ULN.

    >>> labs = {"anc": 1.5, "platelets": 99, "hemoglobin": 9, "bilirubin": 31.5, "ast": 100, "alt": 20}
    >>> [f.code for f in day1_lab_check(labs).flags]
    ['day1.platelets_low']
    >>> day1_lab_check(labs, overrides={"day1.platelets_low": "protocol accepts 75"}).status
    'warning'
    """
    t = thresholds
    rules: tuple[tuple[str, str, float, str], ...] = (
        ("anc", "min", t.anc_min, f"≥ {_n(t.anc_min)} ×10⁹/L"),
        ("platelets", "min", t.platelets_min, f"≥ {_n(t.platelets_min)} ×10⁹/L"),
        ("hemoglobin", "min", t.hemoglobin_min, f"≥ {_n(t.hemoglobin_min)} g/dL"),
        (
            "bilirubin",
            "max",
            t.bilirubin_max_uln * t.bilirubin_uln,
            f"≤ {_n(t.bilirubin_max_uln * t.bilirubin_uln)} µmol/L ({_n(t.bilirubin_max_uln)} × ULN "
            f"{_n(t.bilirubin_uln)} µmol/L)",
        ),
        (
            "ast",
            "max",
            t.ast_max_uln * t.ast_uln,
            f"≤ {_n(t.ast_max_uln * t.ast_uln)} units/L ({_n(t.ast_max_uln)} × ULN {_n(t.ast_uln)} units/L)",
        ),
        (
            "alt",
            "max",
            t.alt_max_uln * t.alt_uln,
            f"≤ {_n(t.alt_max_uln * t.alt_uln)} units/L ({_n(t.alt_max_uln)} × ULN {_n(t.alt_uln)} units/L)",
        ),
    )
    results: list[LabResult] = []
    flags: list[Flag] = []
    for kind, direction, limit, rule in rules:
        spec = LAB_KINDS[kind]
        raw = labs.get(kind)
        value = raw.value if isinstance(raw, Reading) else raw
        if value is None:
            results.append(LabResult(kind, None, spec.unit, rule, False))
            flags.append(
                Flag(
                    f"day1.{kind}_missing",
                    Severity.BLOCK,
                    f"no day-1 {spec.name} is recorded (go criterion {rule}); record it, or override with a reason",
                    {"kind": kind},
                )
            )
            continue
        value = float(value)
        ok = _reached(value, limit) if direction == "min" else not _exceeds(value, limit)
        results.append(LabResult(kind, value, spec.unit, rule, ok))
        if not ok:
            word = "low" if direction == "min" else "high"
            flags.append(
                Flag(
                    f"day1.{kind}_{word}",
                    Severity.BLOCK,
                    f"{spec.name} {_n(value)} {spec.unit} fails the day-1 go criterion {rule}: the cycle "
                    "waits, or override with a reason",
                    {"kind": kind, "value": value, "limit": limit},
                )
            )
    return LabCheck(tuple(results), apply_overrides(flags, overrides))
