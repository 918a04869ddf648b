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

from dosecalc.ledger.checks import (
    Freshness,
    LabCheck,
    LabResult,
    Reading,
    WeightChange,
    day1_lab_check,
    staleness,
    weight_change,
)
from dosecalc.ledger.doses import Administration, Amount, Contribution, DrugTotal, PlannedDose, PriorDose
from dosecalc.ledger.flags import apply_overrides, sorted_flags, status_of
from dosecalc.ledger.pd1 import Pd1Bound, is_pd1, pd1_bound
from dosecalc.ledger.reirradiation import CourseSum, RtCourse, SiteSum, radiotherapy_sums
from dosecalc.ledger.settings import DEFAULT_SETTINGS, Day1Thresholds, FreshnessWindows, LedgerSettings
from dosecalc.ledger.totals import COUNTED_STATUSES, drug_totals

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
