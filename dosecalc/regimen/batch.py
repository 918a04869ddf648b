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

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypeVar, cast

from dosecalc.bsa import parse_formula
from dosecalc.carboplatin import parse_gfr_cap
from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError, InputError, PolicyError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy
from dosecalc.patient import Height, Patient, SerumCreatinine, Weight, parse_age, parse_sex
from dosecalc.regimen.loader import Library, load_library
from dosecalc.regimen.model import Drug
from dosecalc.regimen.order import OrderedLine, RegimenOrder, compute_regimen_order
from dosecalc.renal import AbsoluteGFR, RenalMethod, WeightBasis, measured_gfr, parse_creatinine_floor
from dosecalc.rounding import parse_max_deviation
from dosecalc.settings import DEFAULT_LIMITS, PlausibilityLimits
from dosecalc.units import MASS_DOSE, MILLIGRAM, magnitude_in, parse_number, parse_quantity

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

#: A prescribed dose within 5 % of the recomputed one agrees (inclusive: exactly 5 % agrees).
DEFAULT_TOLERANCE = Decimal("0.05")
#: The largest tolerance accepted: beyond it the re-check would pass a per-cycle total as a per-day dose.
MAX_TOLERANCE = Decimal("0.5")

REQUIRED_COLUMNS = (
    "order_id",
    "patient_id",
    "regimen",
    "phase",
    "cycle",
    "choices",
    "age",
    "sex",
    "height",
    "weight",
    "creatinine",
)
POLICY_COLUMNS = (
    "bsa_formula",
    "renal_method",
    "gfr",
    "weight_basis",
    "creatinine_floor",
    "gfr_cap",
    "max_deviation",
    "dose_level",
    "reference_weight",
)
OPTIONAL_COLUMNS = (*POLICY_COLUMNS, "reason")
PRESCRIBED_PREFIX = "prescribed:"

_ALWAYS_REQUIRED = ("order_id", "regimen", "phase", "cycle")
# Field names the core uses (command-line option names) → the CSV column a user has to fix.
_FIELD_TO_COLUMN = {
    "choose": "choices",
    "bsa-formula": "bsa_formula",
    "renal-method": "renal_method",
    "weight-basis": "weight_basis",
    "creatinine-floor": "creatinine_floor",
    "gfr-cap": "gfr_cap",
    "max-deviation": "max_deviation",
    "dose-level": "dose_level",
    "reference-weight": "reference_weight",
}
_CHOICES_EXPECTED = "GROUP=OPTION pairs separated by ';', e.g. 'pd1=sintilimab;chemo=paclitaxel'"
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_MICROGRAM_IN_MG = Decimal("0.000001")

Status = Literal["ok", "differs", "error"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LineCheck:
    """One drug line of an order: the recomputed dose and how the prescribed dose compares.

    ``calculated_mg``, ``final_mg`` and ``per_cycle_mg`` are None only for a drug that was
    prescribed but is not part of the order. ``within_tolerance`` is None when no dose
    was prescribed for the line (nothing to compare).
    """

    drug: str
    display: str
    days: int
    calculated_mg: float | None
    final_mg: float | None
    per_cycle_mg: float | None
    prescribed_mg: Decimal | None
    difference_percent: Decimal | None  # (prescribed − final) / final × 100, rounded to 0.01 for display
    within_tolerance: bool | None
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "display": self.display,
            "days": self.days,
            "calculated": _mg_json(self.calculated_mg),
            "final": _mg_json(self.final_mg),
            "per_cycle": _mg_json(self.per_cycle_mg),
            "prescribed": _mg_json(self.prescribed_mg),
            "difference_percent": None if self.difference_percent is None else float(self.difference_percent),
            "within_tolerance": self.within_tolerance,
            "flags": [f.to_json() for f in self.flags],
        }


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """One CSV row: the re-checked order, or the error that stopped it (``error`` is ``field: message``)."""

    line: int
    order_id: str
    patient_id: str | None = None
    regimen_id: str | None = None
    regimen_version: str | None = None
    phase: str | None = None
    cycle: int | None = None
    choices: Mapping[str, str] | None = None
    lines: tuple[LineCheck, ...] = ()
    order_flags: tuple[Flag, ...] = ()  # flags about the whole order (not already on one of its lines)
    error: str | None = None
    error_field: str | None = None

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Every flag of the order: the order's own, then each line's, each once."""
        return tuple(dict.fromkeys(self.order_flags + tuple(f for line in self.lines for f in line.flags)))

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.flags)

    @property
    def status(self) -> Status:
        if self.error is not None:
            return "error"
        if any(line.within_tolerance is False for line in self.lines):
            return "differs"
        return "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "order_id": self.order_id,
            "patient_id": self.patient_id,
            "status": self.status,
            "blocked": self.blocked,
            "error": self.error,
            "error_field": self.error_field,
            "regimen": None if self.regimen_id is None else {"id": self.regimen_id, "version": self.regimen_version},
            "phase": self.phase,
            "cycle": self.cycle,
            "choices": None if self.choices is None else dict(self.choices),
            "lines": [line.to_json() for line in self.lines],
            "flags": [f.to_json() for f in self.order_flags],
        }


@dataclass(frozen=True, slots=True)
class BatchTotals:
    """``orders`` = ``ok`` + ``differences`` + ``errors``; ``blocked`` counts re-checked orders with a BLOCK flag."""

    orders: int
    ok: int
    differences: int
    errors: int
    blocked: int

    def to_json(self) -> dict[str, int]:
        return {
            "orders": self.orders,
            "ok": self.ok,
            "differences": self.differences,
            "errors": self.errors,
            "blocked": self.blocked,
        }


@dataclass(frozen=True, slots=True)
class BatchReport:
    rows: tuple[OrderCheck, ...]
    totals: BatchTotals
    tolerance: Decimal
    library_problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "tolerance_percent": float(self.tolerance * _HUNDRED),
            "totals": self.totals.to_json(),
            "library_problems": list(self.library_problems),
            "rows": [row.to_json() for row in self.rows],
        }


def _mg_json(value: float | Decimal | None) -> dict[str, Any] | None:
    return None if value is None else {"value": float(value), "unit": "mg"}


# ------------------------------------------------------------------------------------------------
# The header.
# ------------------------------------------------------------------------------------------------


def _check_header(header: Sequence[str], drugs: Mapping[str, Drug]) -> dict[str, str]:
    """The prescribed columns by name → drug id; refuses unknown, duplicated and missing columns."""
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    expected = (
        f"the columns {', '.join(REQUIRED_COLUMNS)}; optionally {', '.join(OPTIONAL_COLUMNS)} "
        f"and {PRESCRIBED_PREFIX}<drug id>"
    )
    seen: set[str] = set()
    prescribed: dict[str, str] = {}
    for name in header:
        if name == "":
            raise InputError("columns", name, "is an empty column name (line 1)", expected=expected)
        if name in seen:
            raise InputError("columns", name, "appears twice in the header (line 1)", expected="each column once")
        seen.add(name)
        if name.startswith(PRESCRIBED_PREFIX):
            drug_id = name[len(PRESCRIBED_PREFIX) :].strip()
            if drug_id not in drugs:
                raise InputError(
                    "columns",
                    name,
                    "names no drug of the catalogue (line 1)",
                    expected=" | ".join(PRESCRIBED_PREFIX + d for d in sorted(drugs)),
                )
            prescribed[name] = drug_id
        elif name not in known:
            raise InputError("columns", name, "is not a known column (line 1)", expected=expected)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        raise InputError(
            "columns",
            ", ".join(missing),
            f"{'is' if len(missing) == 1 else 'are'} missing from the header (line 1)",
            expected=expected,
            code="value.missing",
        )
    return prescribed


# ------------------------------------------------------------------------------------------------
# One row.
# ------------------------------------------------------------------------------------------------


def _renamed(error: DoseCalcError, column: str) -> DoseCalcError:
    """The same error, naming the CSV column rather than the core's field name."""
    if error.field == column:
        return error
    params = {k: v for k, v in error.params.items() if k not in ("field", "value")}
    return type(error)(column, error.value, error.reason, expected=error.expected, code=error.code, params=params)


def _column_of(field: str) -> str:
    return _FIELD_TO_COLUMN.get(field, field)


class _Batch:
    """What one batch shares across its rows: the library, the tolerance and the parse caches."""

    def __init__(self, library: Library, tolerance: Decimal, limits: PlausibilityLimits) -> None:
        self.library = library
        self.tolerance = tolerance
        self.limits = limits
        self.drugs = {d.id: d for d in library.catalogue.drugs}
        self._caches: dict[str, dict[Any, Any]] = {}

    def parse(self, column: str, key: Any, parser: Callable[[], T]) -> T:
        """``parser()``, cached per column and key; its error names ``column``."""
        cache = self._caches.setdefault(column, {})
        if key in cache:
            return cast(T, cache[key])
        try:
            value = parser()
        except DoseCalcError as error:
            raise _renamed(error, column) from None
        cache[key] = value
        return value

    # -- the cells --------------------------------------------------------------------------------

    def cycle(self, text: str) -> int:
        def parse() -> int:
            number = parse_number(text, "cycle", "a cycle number from 1")
            if number != int(number) or number < 1:
                raise InputError("cycle", text, "is not a cycle number", expected="a whole number from 1")
            return int(number)

        return self.parse("cycle", text, parse)

    def dose_level(self, text: str | None) -> int:
        if text is None:
            return 0

        def parse() -> int:
            expected = "0 (protocol dose) or a reduction level 1–5"
            number = parse_number(text, "dose_level", expected)
            if number != int(number):
                raise InputError("dose_level", text, "is not a whole number", expected=expected)
            return int(number)

        return self.parse("dose_level", text, parse)

    def choices(self, text: str | None) -> dict[str, str]:
        if text is None:
            return {}

        def parse() -> dict[str, str]:
            choices: dict[str, str] = {}
            for item in text.split(";"):
                if not item.strip():
                    continue
                group, sep, option = item.partition("=")
                group, option = group.strip(), option.strip()
                if not sep or not group or not option:
                    raise InputError("choices", item.strip(), "is not GROUP=OPTION", expected=_CHOICES_EXPECTED)
                if group in choices:
                    raise InputError("choices", text, f"chooses {group} twice", expected="one option per group")
                choices[group] = option
            return choices

        return self.parse("choices", text, parse)

    def patient(self, cells: Mapping[str, str | None]) -> Patient:
        limits = self.limits
        age, sex, height, weight, creatinine = (cells.get(c) for c in ("age", "sex", "height", "weight", "creatinine"))
        return Patient(
            age_years=None if age is None else self.parse("age", age, lambda: parse_age(age, limits, "age")),
            sex=None if sex is None else self.parse("sex", sex, lambda: parse_sex(sex, "sex")),
            height=None
            if height is None
            else self.parse("height", height, lambda: Height.parse(height, limits=limits)),
            weight=None
            if weight is None
            else self.parse("weight", weight, lambda: Weight.parse(weight, limits=limits)),
            creatinine=None
            if creatinine is None
            else self.parse("creatinine", creatinine, lambda: SerumCreatinine.parse(creatinine, limits=limits)),
        )

    def policy(self, cells: Mapping[str, str | None]) -> DosingPolicy:
        names = ("bsa_formula", "renal_method", "weight_basis", "creatinine_floor", "gfr_cap", "max_deviation")
        key = tuple(cells.get(name) for name in names)
        if key == (None,) * len(names):
            return DEFAULT_POLICY
        bsa_formula, renal_method, weight_basis, creatinine_floor, gfr_cap, max_deviation = key
        limits = self.limits
        updates: dict[str, Any] = {}
        if bsa_formula is not None:
            updates["bsa_formula"] = self.parse(
                "bsa_formula", bsa_formula, lambda: parse_formula(bsa_formula, field="bsa_formula")
            )
        if renal_method is not None:
            updates["renal_method"] = self.parse(
                "renal_method", renal_method, lambda: _member(renal_method, tuple(RenalMethod), "renal_method")
            )
        if weight_basis is not None:
            updates["weight_basis"] = self.parse(
                "weight_basis", weight_basis, lambda: _member(weight_basis, tuple(WeightBasis), "weight_basis")
            )
        if creatinine_floor is not None:
            updates["creatinine_floor"] = self.parse(
                "creatinine_floor", creatinine_floor, lambda: parse_creatinine_floor(creatinine_floor, limits)
            )
        if gfr_cap is not None:
            updates["gfr_cap"] = self.parse("gfr_cap", gfr_cap, lambda: parse_gfr_cap(gfr_cap, limits))
        if max_deviation is not None:
            updates["max_deviation"] = self.parse(
                "max_deviation", max_deviation, lambda: parse_max_deviation(max_deviation, limits)
            )
        return self.parse("(policy)", key, lambda: DEFAULT_POLICY.model_copy(update=updates))

    def gfr(self, text: str | None, policy: DosingPolicy) -> AbsoluteGFR | None:
        if text is None:
            return None
        if policy.renal_method is not RenalMethod.MEASURED:
            raise InputError(
                "gfr", text, "needs the renal_method 'measured'", expected="renal_method 'measured' with a gfr"
            )
        return self.parse("gfr", text, lambda: measured_gfr(text, self.limits, "gfr"))

    def prescribed(self, column: str, text: str) -> Decimal:
        def parse() -> Decimal:
            quantity = parse_quantity(text, column, MASS_DOSE)
            mg = magnitude_in(quantity, MILLIGRAM)
            if mg <= 0:
                raise InputError(
                    column, text, "must be greater than zero", expected=MASS_DOSE.expected(), code="value.not_positive"
                )
            refuse = self.limits.dose_flat_mg_refuse
            if mg not in refuse:
                raise InputError(
                    column,
                    text,
                    "is outside the range of any antineoplastic dose",
                    expected=refuse.text("mg"),
                    code="value.implausible",
                )
            # To the microgram: 0.3 g is 300 mg, not 300.00000000000006 mg.
            return Decimal(repr(mg)).quantize(_MICROGRAM_IN_MG, rounding=ROUND_HALF_UP).normalize()

        return self.parse(column, text, parse)

    # -- the row ----------------------------------------------------------------------------------

    def row(self, line: int, cells: Mapping[str, str | None], prescribed_columns: Mapping[str, str]) -> OrderCheck:
        order_id = cells.get("order_id") or ""
        patient_id = cells.get("patient_id")
        try:
            for name in _ALWAYS_REQUIRED:
                if cells.get(name) is None:
                    raise InputError(name, None, "is required on every row", code="value.missing")
            regimen_id = cast(str, cells["regimen"])
            regimen = self.library.regimens.get(regimen_id)
            if regimen is None:
                raise InputError(
                    "regimen",
                    regimen_id,
                    "is not in the regimen library",
                    expected=" | ".join(sorted(self.library.regimens)) or "a regimen id (the library is empty)",
                )
            cycle = self.cycle(cast(str, cells["cycle"]))
            choices = self.choices(cells.get("choices"))
            patient = self.patient(cells)
            policy = self.policy(cells)
            gfr = self.gfr(cells.get("gfr"), policy)
            dose_level = self.dose_level(cells.get("dose_level"))
            reference_text = cells.get("reference_weight")
            reference = (
                None
                if reference_text is None
                else self.parse(
                    "reference_weight", reference_text, lambda: Weight.parse(reference_text, limits=self.limits)
                )
            )
            prescribed = {
                drug: self.prescribed(column, text)
                for column, drug in prescribed_columns.items()
                if (text := cells.get(column)) is not None
            }
            try:
                order = compute_regimen_order(
                    regimen,
                    self.library.catalogue,
                    patient,
                    cast(str, cells["phase"]),
                    cycle,
                    choices,
                    policy,
                    dose_level=dose_level,
                    gfr=gfr,
                    reference_weight=reference,
                    limits=self.limits,
                )
            except DoseCalcError as error:
                raise _renamed(error, _column_of(error.field)) from None
        except DoseCalcError as error:
            return OrderCheck(line, order_id, patient_id, error=error.one_line(), error_field=error.field)
        except Exception as error:  # a defect in DoseCalc: this row is reported, the others still run
            return OrderCheck(
                line,
                order_id,
                patient_id,
                error=f"internal: {type(error).__name__}: {error}; please report this with the row",
                error_field="internal",
            )
        return self.compare(line, order_id, patient_id, order, prescribed, cells.get("reason"))

    def compare(
        self,
        line: int,
        order_id: str,
        patient_id: str | None,
        order: RegimenOrder,
        prescribed: Mapping[str, Decimal],
        reason: str | None,
    ) -> OrderCheck:
        checks = [self.compare_line(item, prescribed.get(item.drug.id), reason) for item in order.lines]
        in_order = {item.drug.id for item in order.lines}
        for drug_id, dose in prescribed.items():
            if drug_id not in in_order:
                checks.append(self.not_in_order(self.drugs[drug_id], dose, order))
        line_flags = {f for item in order.lines for f in item.flags}
        order_flags = tuple(f for f in order.flags if f not in line_flags)
        return OrderCheck(
            line,
            order_id,
            patient_id,
            order.regimen.id,
            order.regimen.version,
            order.phase.id,
            order.cycle,
            dict(order.choices),
            tuple(checks),
            order_flags,
        )

    def compare_line(self, item: OrderedLine, prescribed: Decimal | None, reason: str | None) -> LineCheck:
        result = item.result
        final_mg = float(result.final.magnitude)
        per_cycle_mg = float(result.per_cycle.magnitude)
        days = len(item.days)
        base = (item.drug.id, item.drug.display, days, float(result.calculated.magnitude), final_mg, per_cycle_mg)
        if prescribed is None:
            return LineCheck(*base, None, None, None, item.flags)
        final = Decimal(repr(final_mg))
        difference = (prescribed - final) / final
        percent = (difference * _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
        tolerance = self.tolerance
        if abs(difference) <= tolerance:
            return LineCheck(*base, prescribed, percent, True, item.flags)
        name = item.drug.display
        shown = f"{name}: prescribed {format_number(prescribed, 2)} mg"
        recomputed = f"the recomputed {format_number(final_mg, 2)} mg"
        tolerance_text = f"{format_number(tolerance * _HUNDRED, 2)} %"
        params: dict[str, Any] = {
            "drug": item.drug.id,
            "prescribed_mg": float(prescribed),
            "recomputed_mg": final_mg,
            "difference_percent": float(percent),
            "tolerance_percent": float(tolerance * _HUNDRED),
        }
        per_cycle = Decimal(repr(per_cycle_mg))
        if days > 1 and abs(prescribed - per_cycle) / per_cycle <= tolerance:
            flag = Flag(
                "dose.per_day_per_cycle_mismatch",
                Severity.BLOCK,
                f"{shown} matches the per-cycle total {format_number(per_cycle_mg, 2)} mg "
                f"({days} days × {format_number(final_mg, 2)} mg), not the dose per day; check the order",
                {**params, "per_cycle_mg": per_cycle_mg, "days": days},
            )
        elif difference > 0:
            more = f"{shown} is {format_number(percent, 2)} % above {recomputed} (tolerance {tolerance_text})"
            if reason:
                flag = Flag(
                    "dose.above_protocol",
                    Severity.WARNING,
                    f"{more}; reason given: {reason}",
                    params | {"reason": reason},
                )
            else:
                flag = Flag(
                    "dose.above_protocol",
                    Severity.BLOCK,
                    f"{more}; a dose above protocol needs the prescriber's documented reason",
                    params,
                )
        else:
            less = f"{shown} is {format_number(-percent, 2)} % below {recomputed} (tolerance {tolerance_text})"
            flag = Flag(
                "dose.below_protocol",
                Severity.WARNING,
                less + (f"; reason given: {reason}" if reason else "; check for a dose reduction not in the order"),
                params | ({"reason": reason} if reason else {}),
            )
        return LineCheck(*base, prescribed, percent, False, (*item.flags, flag))

    def not_in_order(self, drug: Drug, prescribed: Decimal, order: RegimenOrder) -> LineCheck:
        chosen = ";".join(f"{g}={o}" for g, o in order.choices.items()) or "none"
        flag = Flag(
            "prescribed.not_in_order",
            Severity.BLOCK,
            f"{drug.display}: {format_number(prescribed, 2)} mg is prescribed, but {order.regimen.id} phase "
            f"{order.phase.id}, cycle {order.cycle} with choices {chosen} has no {drug.display} line",
            {"drug": drug.id, "prescribed_mg": float(prescribed)},
        )
        return LineCheck(drug.id, drug.display, 0, None, None, None, prescribed, None, False, (flag,))


def _member(value: str, members: Sequence[Any], field: str) -> Any:
    for member in members:
        if value.strip().lower() == member.value:
            return member
    raise InputError(field, value, "is not recognised", expected=" | ".join(m.value for m in members))


def _check_tolerance(tolerance: Decimal) -> None:
    if not isinstance(tolerance, Decimal) or not Decimal(0) <= tolerance <= MAX_TOLERANCE:
        raise PolicyError(
            "tolerance",
            tolerance,
            f"is outside 0–{format_number(MAX_TOLERANCE * _HUNDRED)} %",
            expected="a fraction such as Decimal('0.05') for 5 %",
        )


# ------------------------------------------------------------------------------------------------
# The batch.
# ------------------------------------------------------------------------------------------------


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
