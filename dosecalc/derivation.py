"""How a result was reached: inputs, policies, formula steps and flags.

Every calculation returns a :class:`Derivation` next to its value. The command
line, and later the screen and the printouts, render this one structure; nobody
recomputes anything for display (conventions §4, medication-safety §2 A2).

Steps keep their numbers raw and are formatted only when rendered, so building a
derivation costs almost nothing in the hot path of a dose calculation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dosecalc.display import format_number, format_quantity
from dosecalc.units import Quantity, unit_text

__all__ = ["Derivation", "Flag", "Input", "Severity", "Step", "quantity_json"]


class Severity(StrEnum):
    """BLOCK stops verification until resolved or overridden; WARNING needs a look; INFO is a note."""

    BLOCK = "block"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Flag:
    """A warning or note with a stable code and parameters (for translation)."""

    code: str
    severity: Severity
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def render(self) -> str:
        return f"{self.severity.value.upper()}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "params": {k: _json_value(v) for k, v in self.params.items()},
        }


@dataclass(frozen=True, slots=True)
class Input:
    """A named input value, with where it came from and when it was measured."""

    name: str
    value: Any
    source: str | None = None
    measured_on: dt.date | None = None

    def render(self) -> str:
        text = f"{self.name}: {_render_value(self.value, 4)}"
        notes = [n for n in (self.source, _date_text(self.measured_on)) if n]
        if notes:
            text += f" ({', '.join(notes)})"
        return text


@dataclass(frozen=True, slots=True)
class Step:
    """One formula step: ``label = formula = substituted numbers = result``.

    ``substitution`` is a ``str.format`` template whose fields are filled from
    ``args`` (quantities or numbers), formatted only when rendered.
    """

    label: str
    formula: str
    substitution: str
    args: tuple[Any, ...]
    result: Any
    decimals: int = 2

    def render(self) -> str:
        parts = [self.label]
        if self.formula:
            parts.append(self.formula)
        if self.substitution:
            parts.append(self.substitution.format(*(_render_value(a, 4) for a in self.args)))
        parts.append(_render_value(self.result, self.decimals))
        return " = ".join(parts)


@dataclass(frozen=True, slots=True)
class Derivation:
    """The basis of one result, in the order a pharmacist would check it by hand."""

    title: str
    inputs: tuple[Input, ...] = ()
    policies: tuple[tuple[str, str], ...] = ()
    steps: tuple[Step, ...] = ()
    flags: tuple[Flag, ...] = ()
    source: str | None = None

    def extended(
        self,
        *,
        title: str | None = None,
        inputs: Iterable[Input] = (),
        policies: Iterable[tuple[str, str]] = (),
        steps: Iterable[Step] = (),
        flags: Iterable[Flag] = (),
        source: str | None = None,
    ) -> Derivation:
        """A new derivation with more entries appended (inputs de-duplicated by name)."""
        known = {i.name for i in self.inputs}
        new_inputs = tuple(i for i in inputs if i.name not in known)
        known_policies = {p[0] for p in self.policies}
        new_policies = tuple(p for p in policies if p[0] not in known_policies)
        return Derivation(
            title=title or self.title,
            inputs=self.inputs + new_inputs,
            policies=self.policies + new_policies,
            steps=self.steps + tuple(steps),
            flags=tuple(dict.fromkeys(self.flags + tuple(flags))),  # one flag once, however many steps raise it
            source=source or self.source,
        )

    def including(self, other: Derivation) -> Derivation:
        """This derivation with another one's entries placed before its own steps."""
        merged = other.extended(
            title=self.title,
            inputs=self.inputs,
            policies=self.policies,
            steps=self.steps,
            flags=self.flags,
            source=self.source,
        )
        return merged

    @property
    def warnings(self) -> tuple[Flag, ...]:
        return self.flags

    def lines(self) -> list[str]:
        """The derivation as readable lines (what the CLI prints and JSON carries)."""
        out = [self.title]
        if self.source:
            out.append(f"Source: {self.source}")
        if self.inputs:
            out.append("Inputs:")
            out.extend(f"  {i.render()}" for i in self.inputs)
        if self.policies:
            out.append("Policies:")
            out.extend(f"  {name}: {value}" for name, value in self.policies)
        if self.steps:
            out.append("Steps:")
            out.extend(f"  {s.render()}" for s in self.steps)
        if self.flags:
            out.append("Flags:")
            out.extend(f"  {f.render()}" for f in self.flags)
        return out


def quantity_json(quantity: Any) -> dict[str, Any] | None:
    """``{"value": 575.0, "unit": "mg"}``: a unit string pint parses back."""
    if quantity is None:
        return None
    return {"value": _json_number(quantity.magnitude), "unit": unit_text(quantity.units)}


def _json_number(value: Any) -> float | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return float(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Quantity):
        return quantity_json(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _render_value(value: Any, decimals: int) -> str:
    if isinstance(value, Quantity):
        return format_quantity(value, decimals)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return format_number(value, decimals)
    return str(value)


def _date_text(value: dt.date | None) -> str | None:
    # Month as a word, never a numeric day/month order that can be misread.
    return None if value is None else f"measured {value.strftime('%d %b %Y')}"
