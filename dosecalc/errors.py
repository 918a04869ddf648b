"""The one error family of the calculation core.

Every error names the field (or file) it is about, what was wrong and what is
expected, and carries a stable ``code`` with ``params`` so that a user interface
can show it translated. The command line prints :meth:`DoseCalcError.one_line`
and exits with status 2; nothing in the core ever lets a traceback reach a user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DoseCalcError",
    "ImplausibleValueError",
    "InputError",
    "PolicyError",
    "UnitError",
]


class DoseCalcError(Exception):
    """Base class: an error about one named field.

    >>> e = InputError("weight", "-70 kg", "must be greater than zero", expected="a weight in kg, e.g. '65 kg'")
    >>> e.one_line()
    "weight: -70 kg must be greater than zero; expected a weight in kg, e.g. '65 kg'"
    """

    code = "error"

    def __init__(
        self,
        field: str,
        value: object,
        reason: str,
        *,
        expected: str | None = None,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        self.expected = expected
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = {"field": field, "value": _show(value)}
        if params:
            self.params.update(params)
        super().__init__(self.one_line())

    def for_field(self, field: str) -> DoseCalcError:
        """The same error about another field name, e.g. ``weight`` checks reported for ``reference-weight``."""
        return type(self)(
            field, self.value, self.reason, expected=self.expected, code=self.code,
            params={k: v for k, v in self.params.items() if k not in ("field", "value")},
        )  # fmt: skip

    @property
    def message(self) -> str:
        """The message without the leading field name."""
        shown = _show(self.value)
        text = f"{shown} {self.reason}" if shown else self.reason
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def one_line(self) -> str:
        """``field: message`` on a single line, as the command line prints it."""
        return " ".join(f"{self.field}: {self.message}".splitlines())

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "message": self.one_line(),
            "code": self.code,
            "params": {k: v for k, v in self.params.items() if _jsonable(v)},
        }


class InputError(DoseCalcError):
    """A value a person typed or a caller passed is unusable."""

    code = "input.invalid"


class UnitError(InputError):
    """Missing, unknown, non-metric or wrongly dimensioned unit."""

    code = "unit.invalid"


class ImplausibleValueError(InputError):
    """A well-formed value outside the range a real adult patient can have."""

    code = "value.implausible"


class PolicyError(DoseCalcError):
    """A dosing policy (cap, floor, rounding rule) is not allowed or inconsistent."""

    code = "policy.invalid"


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return repr(value) if value.strip() != value or value == "" else value
    return str(value)


def _jsonable(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
