"""Re-check a day's orders from their CSV export: every row recomputed and compared, one report."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import InputError, PolicyError
from dosecalc.regimen.batch.columns import _check_header
from dosecalc.regimen.batch.report import _HUNDRED, BatchReport, BatchTotals, OrderCheck
from dosecalc.regimen.batch.rows import _Batch
from dosecalc.regimen.loader import Library, load_library
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits

__all__ = ["DEFAULT_TOLERANCE", "recheck_orders"]


#: A prescribed dose within 5 % of the recomputed one agrees (inclusive: exactly 5 % agrees).
DEFAULT_TOLERANCE = Decimal("0.05")

#: The largest tolerance accepted: beyond it the re-check would pass a per-cycle total as a per-day dose.
MAX_TOLERANCE = Decimal("0.5")


def _check_tolerance(tolerance: Decimal) -> None:
    if not isinstance(tolerance, Decimal) or not Decimal(0) <= tolerance <= MAX_TOLERANCE:
        raise PolicyError(
            "tolerance",
            tolerance,
            f"is outside 0–{format_number(MAX_TOLERANCE * _HUNDRED)} %",
            expected="a fraction such as Decimal('0.05') for 5 %",
        )


def recheck_orders(
    text: str,
    library: Library | None = None,
    *,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    limits: PlausibilityLimits = DEFAULT_LIMITS,
) -> BatchReport:
    """Re-check every order of a CSV export; ``library`` is loaded once here if not given.

    Raises :class:`~dosecalc.errors.InputError` only for the whole file (no header, an
    unknown, duplicated or missing column, malformed CSV); a bad row is a result.
    """
    _check_tolerance(tolerance)
    library = library if library is not None else load_library()
    batch = _Batch(library, tolerance, limits)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header_row = next(reader, None)
        if header_row is None or not any(cell.strip() for cell in header_row):
            raise InputError(
                "batch", None, "has no header line", expected="a CSV file whose first line names the columns"
            )
        header = [cell.strip() for cell in header_row]
        prescribed_columns = _check_header(header, batch.drugs)
        rows: list[OrderCheck] = []
        seen_ids: dict[str, int] = {}
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line (or one of only commas) holds no order
            if len(cells) != len(header):
                order_id = cells[0].strip() if header[0] == "order_id" and cells else ""
                rows.append(
                    OrderCheck(
                        line,
                        order_id,
                        error=f"row: has {len(cells)} cells, the header has {len(header)}; "
                        "expected one cell per column (quote a cell that contains a comma)",
                        error_field="row",
                    )
                )
                continue
            values = {name: (cell.strip() or None) for name, cell in zip(header, cells, strict=True)}
            check = batch.row(line, values, prescribed_columns)
            if check.order_id and check.error is None and check.order_id in seen_ids:
                duplicate = Flag(
                    "batch.duplicate_order_id",
                    Severity.WARNING,
                    f"order {check.order_id} is also on line {seen_ids[check.order_id]}",
                    {"order_id": check.order_id, "line": seen_ids[check.order_id]},
                )
                check = OrderCheck(
                    check.line,
                    check.order_id,
                    check.patient_id,
                    check.regimen_id,
                    check.regimen_version,
                    check.phase,
                    check.cycle,
                    check.choices,
                    check.lines,
                    (*check.order_flags, duplicate),
                )
            if check.order_id:
                seen_ids.setdefault(check.order_id, line)
            rows.append(check)
    except csv.Error as error:
        raise InputError(
            "batch", f"line {reader.line_num}", f"is not valid CSV: {error}", expected="a CSV file (RFC 4180)"
        ) from None
    statuses = [row.status for row in rows]
    totals = BatchTotals(
        orders=len(rows),
        ok=statuses.count("ok"),
        differences=statuses.count("differs"),
        errors=statuses.count("error"),
        blocked=sum(1 for row in rows if row.error is None and row.blocked),
    )
    return BatchReport(tuple(rows), totals, tolerance, tuple(p.one_line() for p in library.problems))
