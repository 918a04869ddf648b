"""One row of a batch: its cells parsed (with per-batch caches), the order recomputed and compared."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast

from dosecalc.bsa import parse_formula
from dosecalc.carboplatin import parse_gfr_cap
from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.order import DEFAULT_POLICY, DosingPolicy
from dosecalc.patient import Height, Patient, SerumCreatinine, Weight, parse_age, parse_sex
from dosecalc.regimen.batch.columns import _ALWAYS_REQUIRED, _column_of, _renamed
from dosecalc.regimen.batch.report import _HUNDRED, LineCheck, OrderCheck
from dosecalc.regimen.loader import Library
from dosecalc.regimen.model import Drug
from dosecalc.regimen.order import OrderedLine, RegimenOrder, compute_regimen_order
from dosecalc.renal import AbsoluteGFR, RenalMethod, WeightBasis, measured_gfr, parse_creatinine_floor
from dosecalc.rounding import parse_max_deviation
from dosecalc.settings import PlausibilityLimits
from dosecalc.units import MASS_DOSE, MILLIGRAM, magnitude_in, parse_number, parse_quantity

__all__: list[str] = []


_CHOICES_EXPECTED = "GROUP=OPTION pairs separated by ';', e.g. 'pd1=sintilimab;chemo=paclitaxel'"

_CENT = Decimal("0.01")

_MICROGRAM_IN_MG = Decimal("0.000001")

T = TypeVar("T")


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
            **item.drug.flag_params,
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
            {
                **drug.flag_params,
                "prescribed_mg": float(prescribed),
                "regimen": order.regimen.id,
                "phase": order.phase.id,
                "cycle": order.cycle,
                "choices": chosen,
            },
        )
        return LineCheck(drug.id, drug.display, 0, None, None, None, prescribed, None, False, (flag,))


def _member(value: str, members: Sequence[Any], field: str) -> Any:
    for member in members:
        if value.strip().lower() == member.value:
            return member
    raise InputError(field, value, "is not recognised", expected=" | ".join(m.value for m in members))
