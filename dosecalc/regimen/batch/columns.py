"""The CSV columns of a batch: required, policy and ``prescribed:<drug>`` columns, and the header check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dosecalc.errors import DoseCalcError, InputError
from dosecalc.regimen.model import Drug

__all__ = ["OPTIONAL_COLUMNS", "POLICY_COLUMNS", "PRESCRIBED_PREFIX", "REQUIRED_COLUMNS"]


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


def _renamed(error: DoseCalcError, column: str) -> DoseCalcError:
    """The same error, naming the CSV column rather than the core's field name."""
    if error.field == column:
        return error
    params = {k: v for k, v in error.params.items() if k not in ("field", "value")}
    return type(error)(column, error.value, error.reason, expected=error.expected, code=error.code, params=params)


def _column_of(field: str) -> str:
    return _FIELD_TO_COLUMN.get(field, field)
