"""A patient's cumulative-dose ledger and pre-cycle checks, read from the record store.

:func:`compute_ledger` reads what the pure :mod:`dosecalc.ledger` needs in a fixed number of SELECTs on
one connection (no query per row), each filtered by ``patient_id`` first so the per-patient indexes
apply; :func:`ledger_queries` returns them for ``EXPLAIN``. What counts:

- administrations recorded on or before the ledger date (``given``/``modified`` count, ``held`` not);
- prior chemotherapy and radiotherapy as declared, with their source;
- the latest valid measurement of each kind on or before the date (voided ones are ignored);
- the active plans, re-planned with :func:`~dosecalc.schedule.plan.compute_plan` from the actual day 1
  of every cycle that has administrations recorded against its orders: their drug events on or after the
  ledger date that nothing was recorded for are the projected doses (full dose level: an upper bound).
  A caller that has its own projection passes ``planned_events`` instead.

Nothing here writes: a ledger is a view. Overrides given to it only change how its blocks read; the
caller records them with the order (``Store.save_order(overrides=...)``).
"""

from __future__ import annotations

from dosecalc.store.ledger.compute import compute_ledger
from dosecalc.store.ledger.queries import LEDGER_STATEMENTS, ledger_queries
from dosecalc.store.ledger.result import PatientLedger, PlanProjection

__all__ = ["LEDGER_STATEMENTS", "PatientLedger", "PlanProjection", "compute_ledger", "ledger_queries"]
