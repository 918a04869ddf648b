"""The batch re-check: a day's orders exported as CSV, each recomputed and compared with what was prescribed.

This module is pure: it takes the CSV text (UTF-8, with or without a byte-order
mark) and returns a :class:`BatchReport`; reading and writing files is the
command line's job (:mod:`dosecalc.cli.batch`).

One row per order. The columns (README, "Re-checking a day's orders"):

- required in the header: ``order_id, patient_id, regimen, phase, cycle, choices,
  age, sex, height, weight, creatinine``;
- optional policy columns: ``bsa_formula, renal_method, gfr, weight_basis,
  creatinine_floor, gfr_cap, max_deviation, dose_level, reference_weight``;
- ``prescribed:<drug id>`` (one per drug of the catalogue, e.g. ``prescribed:paclitaxel``
  = ``"300 mg"``) and ``reason`` (why a dose is above protocol).

An unknown, duplicated or missing column is an error for the whole file, naming
the column: a misspelt ``prescribed:paclitaxol`` must never be skipped silently.
A bad row (an unparseable or implausible value, an unknown regimen or phase) is
reported with its CSV line number (the header is line 1) and ``field: message``,
and the other rows are still re-checked. An empty cell is the same as leaving
the option out of a single ``dosecalc order``: it is an error only when the
order's doses need the value (sex for Cockcroft–Gault, for example); the
``order_id``, ``regimen``, ``phase`` and ``cycle`` cells are always required.

Each recomputed line is compared with the prescribed dose, per administration:

- within the tolerance (default 5 %, inclusive) of the recomputed final dose: the line agrees;
- above it by more: ``dose.above_protocol``, a BLOCK flag (a WARNING when the row's
  ``reason`` is filled, quoting the reason);
- below it by more: ``dose.below_protocol``, a WARNING;
- on a line given on several days of the cycle, a prescribed dose within the tolerance
  of the per-cycle total: ``dose.per_day_per_cycle_mismatch``, a BLOCK flag (a reason
  does not lift it);
- a dose prescribed for a drug the order does not contain: ``prescribed.not_in_order``, BLOCK.

The regimen library is loaded once per batch by the caller and its parsed
regimens are reused for every row; parsed measurements, choices and policies are
cached per batch by their text, so a day's repeated values are parsed once.
"""

from __future__ import annotations

from dosecalc.regimen.batch.columns import OPTIONAL_COLUMNS, POLICY_COLUMNS, PRESCRIBED_PREFIX, REQUIRED_COLUMNS
from dosecalc.regimen.batch.recheck import DEFAULT_TOLERANCE, recheck_orders
from dosecalc.regimen.batch.report import BatchReport, BatchTotals, LineCheck, OrderCheck

__all__ = [
    "DEFAULT_TOLERANCE",
    "OPTIONAL_COLUMNS",
    "POLICY_COLUMNS",
    "PRESCRIBED_PREFIX",
    "REQUIRED_COLUMNS",
    "BatchReport",
    "BatchTotals",
    "LineCheck",
    "OrderCheck",
    "recheck_orders",
]
