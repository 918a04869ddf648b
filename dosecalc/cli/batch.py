"""``dosecalc order --batch ORDERS.csv [--out REPORT.csv|.json]``: re-check a day's orders from a CSV file.

The file is read here (UTF-8, with or without a byte-order mark), re-checked by
:func:`dosecalc.regimen.batch.recheck_orders` against the regimen library (loaded
once; ``--site-regimens`` as for a single order), and the report is written to
``--out``:

- ``.csv``: one row per drug line (``order_id, line, drug, prescribed,
  recomputed_final, difference_percent, status, flags, error``), UTF-8 with a
  byte-order mark so that spreadsheet programs show µ and Chinese text correctly;
- ``.json``: the full report (every recomputed dose, every flag).

Exit status: 0 whenever the batch ran, *including* when orders differ, are
blocked or have bad rows: those are the findings of the re-check, reported in the
summary and the report, not usage errors. Status 2 is for a batch that could not
run: a missing or unreadable file, a file that is not UTF-8 or not CSV, an unknown
or missing column, an ``--out`` that is not ``.csv`` or ``.json``, or a
single-order option given with ``--batch``.
"""

from __future__ import annotations

import argparse
import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from dosecalc.cli.common import Payload, refuse_unused
from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import InputError
from dosecalc.inputs import parse_percent
from dosecalc.regimen.batch import BatchReport, LineCheck, OrderCheck, recheck_orders
from dosecalc.regimen.loader import load_library

__all__ = ["REPORT_COLUMNS", "run_batch"]

#: The columns of a ``--out REPORT.csv``: one row per drug line of each order.
REPORT_COLUMNS = (
    "order_id",
    "line",
    "drug",
    "prescribed",
    "recomputed_final",
    "difference_percent",
    "status",
    "flags",
    "error",
)
_SINGLE_ORDER_OPTIONS = (
    "regimen",
    "phase",
    "cycle",
    "choose",
    "age",
    "sex",
    "height",
    "weight",
    "creatinine",
    "weight-basis",
    "creatinine-floor",
    "bsa-formula",
    "renal-method",
    "gfr",
    "gfr-cap",
    "max-deviation",
    "dose-level",
    "reference-weight",
)
_SUFFIXES = (".csv", ".json")
_CENT = Decimal("0.01")


def run_batch(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    """Re-check the ``--batch`` file, write ``--out``, and return the summary payload and text."""
    refuse_unused(args, _SINGLE_ORDER_OPTIONS, "with --batch (give it as a column of the CSV file)")
    path = Path(args.batch)
    out = Path(args.out) if args.out is not None else None
    if out is not None:
        if out.suffix.lower() not in _SUFFIXES:
            raise InputError(
                "out", args.out, "is neither a .csv nor a .json file", expected="REPORT.csv or REPORT.json"
            )
        if not out.parent.is_dir():  # refused before a long batch runs, not after
            raise InputError(
                "out", args.out, "is in a folder that does not exist", expected="a report path in an existing folder"
            )
        if out.exists() and path.exists() and out.resolve() == path.resolve():
            raise InputError("out", args.out, "is the --batch file itself", expected="another file for the report")
    text = _read(path, args.batch)
    site = getattr(args, "site_regimens", None)
    tolerance = parse_percent(args.tolerance, "tolerance", "a percentage, e.g. '5%'") / 100 if args.tolerance else None
    if tolerance is not None and not Decimal(0) < tolerance <= Decimal("0.5"):
        raise InputError("tolerance", args.tolerance, "is outside 0–50 %", expected="a percentage, e.g. '5%'")
    library = load_library(Path(site) if site else None)
    report = recheck_orders(text, library) if tolerance is None else recheck_orders(text, library, tolerance=tolerance)
    if out is not None:
        _write(report, out, args.out, path)
    return _payload(report, out), _summary(report, args.batch, out)


def _read(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("batch", shown, "does not exist", expected="a CSV file of orders") from None
    except OSError as error:
        raise InputError(
            "batch", shown, f"cannot be read: {error.strerror or error}", expected="a readable CSV file of orders"
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            "batch",
            shown,
            f"is not UTF-8 text (byte {error.start})",
            expected="a CSV file saved as UTF-8, with or without a byte-order mark",
        ) from None


def _write(report: BatchReport, out: Path, shown: str, source: Path) -> None:
    try:
        if out.suffix.lower() == ".json":
            out.write_text(report_json(report, source), encoding="utf-8")
        else:
            with out.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(REPORT_COLUMNS)
                writer.writerows(report_rows(report))
    except OSError as error:
        raise InputError(
            "out", shown, f"cannot be written: {error.strerror or error}", expected="a writable file path"
        ) from None


def report_json(report: BatchReport, source: Path) -> str:
    """The full report as JSON text, one order per line.

    ``json.dumps`` with ``indent`` runs the pure-Python encoder (about 1 s for
    10,000 orders); encoding each order compactly on its own line keeps the C
    encoder and still lets a person (or grep) read the file an order at a time.
    """
    document = {"batch": str(source), **report.to_json()}
    rows = document.pop("rows")
    head = json.dumps(document, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return f'{head}, "rows": [\n{body}\n]}}\n' if rows else f'{head}, "rows": []}}\n'


def report_rows(report: BatchReport) -> list[list[str]]:
    """The ``--out REPORT.csv`` rows (without the header): one per drug line, one per order without lines."""
    rows: list[list[str]] = []
    for order in report.rows:
        if order.error is not None or not order.lines:
            status = "error" if order.error is not None else order.status
            rows.append(
                [order.order_id, str(order.line), "", "", "", "", status, _codes(order.order_flags), order.error or ""]
            )
            continue
        for line in order.lines:
            rows.append(
                [
                    order.order_id,
                    str(order.line),
                    line.drug,
                    _mg_text(line.prescribed_mg),
                    _mg_text(line.final_mg),
                    "" if line.difference_percent is None else _plain(line.difference_percent),
                    "differs" if line.within_tolerance is False else "ok",
                    _codes(order.order_flags + line.flags),
                    "",
                ]
            )
    return rows


def _plain(value: float | Decimal) -> str:
    """``300``, ``84.36``, ``-5.17``: at most two decimals, no thousands separator (the cell parses back)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    rounded = number.quantize(_CENT, rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:f}" if rounded != 0 else "0"


def _mg_text(value: float | Decimal | None) -> str:
    return "" if value is None else f"{_plain(value)} mg"


def _codes(flags: tuple[Flag, ...]) -> str:
    return "; ".join(f"{f.severity.value}:{f.code}" for f in dict.fromkeys(flags))


def _findings(order: OrderCheck) -> list[Flag]:
    return [f for f in order.flags if f.severity is not Severity.INFO]


def _differing(lines: tuple[LineCheck, ...]) -> list[str]:
    return [line.drug for line in lines if line.within_tolerance is False]


def _payload(report: BatchReport, out: Path | None) -> Payload:
    totals = report.totals
    return {
        "orders": totals.orders,
        "ok": totals.ok,
        "differences": totals.differences,
        "errors": totals.errors,
        "blocked": totals.blocked,
        "tolerance_percent": float(report.tolerance * 100),
        "out": str(out) if out is not None else None,
        "library_problems": list(report.library_problems),
        "rows": [
            {
                "line": order.line,
                "order_id": order.order_id,
                "patient_id": order.patient_id,
                "status": order.status,
                "blocked": order.error is None and order.blocked,
                "error": order.error,
                "differing_drugs": _differing(order.lines),
                "flags": [f"{f.severity.value}:{f.code}" for f in _findings(order)],
            }
            for order in report.rows
        ],
    }


def _summary(report: BatchReport, shown: str, out: Path | None) -> list[str]:
    totals = report.totals
    lines = [
        f"Re-checked {totals.orders} order{'s' if totals.orders != 1 else ''} from {shown} "
        f"(tolerance {format_number(report.tolerance * 100, 2)} %): {totals.ok} ok, "
        f"{totals.differences} with differences, {totals.errors} with errors; {totals.blocked} blocked"
    ]
    lines.extend(f"REFUSED regimen file: {problem}" for problem in report.library_problems)
    for order in report.rows:
        blocked = order.error is None and order.blocked
        if order.status == "ok" and not blocked:
            continue
        label = f"line {order.line}, order {order.order_id or '(no id)'}"
        if order.error is not None:
            lines.append(f"{label}: ERROR {order.error}")
            continue
        state = "DIFFERS" if order.status == "differs" else "OK"
        lines.append(f"{label}: {state}{', BLOCKED' if blocked else ''}")
        lines.extend(f"  {flag.render()}" for flag in _findings(order))
    if out is not None:
        lines.append(f"Report written to {out}")
    return lines
