"""Flag severity, ordering and typed overrides, and the threshold and number helpers every check shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import InputError

__all__ = ["apply_overrides", "sorted_flags", "status_of"]


#: Relative tolerance at a threshold, so float noise in a sum (399.99999999 for 400) never hides an edge.
_EPSILON = 1e-9

_SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _reached(value: float, threshold: float) -> bool:
    return value >= threshold - _EPSILON * max(1.0, abs(threshold))


def _exceeds(value: float, threshold: float) -> bool:
    return value > threshold + _EPSILON * max(1.0, abs(threshold))


def _n(value: float | None, decimals: int = 2) -> str:
    return "?" if value is None else format_number(value, decimals)


def _date(value: dt.date) -> str:
    # Month as a word, never a numeric day/month order that can be misread.
    return value.strftime("%d %b %Y")


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def status_of(flags: Iterable[Flag]) -> str:
    """``block``, ``warning`` or ``ok``: the most severe flag (an INFO note leaves it ``ok``).

    >>> status_of([Flag("radiotherapy.reference", Severity.INFO, "information only")])
    'ok'
    """
    severities = {f.severity for f in flags}
    if Severity.BLOCK in severities:
        return "block"
    if Severity.WARNING in severities:
        return "warning"
    return "ok"


def sorted_flags(flags: Iterable[Flag]) -> tuple[Flag, ...]:
    """Flags de-duplicated, blocks first, then warnings, then notes (stable within each).

    >>> note, block = Flag("n", Severity.INFO, "note"), Flag("b", Severity.BLOCK, "block")
    >>> [f.code for f in sorted_flags([note, block, note])]
    ['b', 'n']
    """
    unique = tuple(dict.fromkeys(flags))
    return tuple(sorted(unique, key=lambda f: _SEVERITY_ORDER[f.severity]))


def apply_overrides(flags: Iterable[Flag], overrides: Mapping[str, str] | None) -> tuple[Flag, ...]:
    """Each BLOCK whose code has a typed reason becomes a WARNING that keeps the reason.

    The caller records the override with the order (``Store.save_order(overrides=...)``); a blank
    reason is refused, as the store refuses it.

    >>> flag = Flag("day1.anc_low", Severity.BLOCK, "ANC 1.2 ×10⁹/L is below 1.5 ×10⁹/L")
    >>> apply_overrides([flag], {"day1.anc_low": "G-CSF given, physician agrees"})[0].severity
    <Severity.WARNING: 'warning'>
    """
    if not overrides:
        return tuple(flags)
    result = []
    for flag in flags:
        if flag.severity is Severity.BLOCK and flag.code in overrides:
            reason = str(overrides[flag.code] or "").strip()
            if not reason:
                raise InputError("reason", None, f"is required to override {flag.code}", expected="a typed reason")
            flag = Flag(
                flag.code,
                Severity.WARNING,
                f"{flag.message} — overridden: {reason}",
                {**flag.params, "overridden": True, "reason": reason},
            )
        result.append(flag)
    return tuple(result)
