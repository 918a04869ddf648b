"""The core's flags in the interface language, from their stable ``code`` and ``params``.

The core (:class:`dosecalc.derivation.Flag`) writes one English sentence per flag; in English the workstation
shows exactly that sentence. In Chinese it says the same from a template per code (``CoreFlag`` in the .ts)
filled with the flag's params: numbers to the decimals the English uses (``{bsa:2}``), quantities with
their units, ISO dates as ``2026年12月7日`` (``{on:date}``), drugs by their Chinese and display names. Text
that comes from a regimen, catalogue or record file (notes, sources, reasons) stays as written, inside the
Chinese sentence. A flag is never hidden: without a template, or when its params do not fill one, the
English sentence is shown. tests/ui/test_flag_text.py checks every code the core can raise has a template.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.units import Quantity
from ui.errors import field_text
from ui.flag_templates import TEMPLATES, WORDS
from ui.i18n import ENGLISH, QT_TRANSLATE_NOOP, date_text, ui_language

__all__ = ["TEMPLATES", "flag_line", "flag_text", "severity_text", "template_key"]

translate = QCoreApplication.translate

SEVERITIES = {
    Severity.BLOCK: QT_TRANSLATE_NOOP("Flags", "BLOCK"),
    Severity.WARNING: QT_TRANSLATE_NOOP("Flags", "WARNING"),
    Severity.INFO: QT_TRANSLATE_NOOP("Flags", "INFO"),
}

_OVERRIDDEN = QT_TRANSLATE_NOOP("CoreFlag", " — overridden: {reason}")
_NO_PD1_PLANNED = QT_TRANSLATE_NOOP("CoreFlag", " — no PD-1 dose is planned")


def severity_text(severity: Severity) -> str:
    """``BLOCK`` / ``阻断``: the severity written out, so its meaning never rests on a colour alone."""
    return translate("Flags", SEVERITIES[severity])


def flag_line(flag: Flag) -> str:
    """``BLOCK: …`` / ``阻断：…``: the severity and the flag's sentence in the interface language."""
    if ui_language() == ENGLISH:
        return flag.render()
    return translate("Flags", "{severity}: {message}").format(
        severity=severity_text(flag.severity), message=flag_text(flag)
    )


def flag_text(flag: Flag) -> str:
    """The flag's sentence in the interface language; the core's English when it cannot be said whole."""
    if ui_language() == ENGLISH:
        return flag.message
    key = template_key(flag)
    if key is None:
        return flag.message
    try:
        params = _params(flag)
        text = _FORMATTER.format(translate("CoreFlag", TEMPLATES[key]), **params)
        if flag.params.get("no_pd1_planned"):
            text += translate("CoreFlag", _NO_PD1_PLANNED)
        if flag.params.get("overridden"):
            text += translate("CoreFlag", _OVERRIDDEN).format(reason=flag.params.get("reason", ""))
    except (KeyError, IndexError, ValueError, TypeError, AttributeError, ArithmeticError):
        return flag.message  # a flag is never hidden behind a broken template
    return " ".join(text.splitlines())


def template_key(flag: Flag) -> str | None:
    """The template for this flag: its code (or its code's pattern), in the form its params call for."""
    code, p = flag.code, flag.params
    if code not in TEMPLATES:
        head, _, tail = code.partition(".")
        kind_tail = tail.rsplit("_", 1)[-1] if "_" in tail else ""
        for candidate in (f"{head}.*_{kind_tail}", f"*.{tail}"):
            if candidate in TEMPLATES:
                return candidate
        return None
    variant = _variant(code, p)
    return f"{code}#{variant}" if variant and f"{code}#{variant}" in TEMPLATES else code


def _variant(code: str, p: Mapping[str, Any]) -> str | None:
    own_reason = p.get("reason") and not p.get("overridden")
    variants = {
        "carboplatin.no_gfr_cap": "measured" if p.get("estimated") is False else None,
        "dose.above_protocol": ("reason" if own_reason else "prescribed") if "prescribed_mg" in p else None,
        "dose.below_protocol": "reason" if own_reason else None,
        "rounding.not_applied": "small" if p.get("candidate") == 0 else None,
        "weight.changed": "ledger" if "threshold" in p else None,
        "radiotherapy.large_fraction": "site" if "site" in p else None,
        "cumulative.prior_not_counted": None if "count" in p else "unreadable",
        "cumulative.warning": "limit" if p.get("limit") else None,
        "preparation.diluent_not_allowed": "note" if p.get("note") else None,
        "preparation.out_of_range": None if p.get("fitting") else "no_bag",
        "regimen.value_unconfirmed": "weight_rule" if p.get("weight_rule") else ("note" if p.get("note") else None),
        "choice.missing": "plan" if "phase" in p else None,
        "event.moved": "note" if p.get("note") else None,
        "cycle.delayed": "reason" if own_reason else None,
        "interval.short": "reason" if own_reason else None,
        "plan.not_projected": "reason" if "reason" in p else None,
    }
    return variants.get(code)


def _word(value: Any) -> str:
    text = str(value)
    return translate("CoreFlag", WORDS[text]) if text in WORDS else text


def _params(flag: Flag) -> dict[str, Any]:
    """The flag's params as the templates use them: names, words and derived figures in the interface language."""
    p = dict(flag.params)
    if p.get("drug_display"):
        p["drug"] = f"{p['drug_zh']} {p['drug_display']}" if p.get("drug_zh") else p["drug_display"]
    if "kind" in p and (flag.code.startswith(("measurement.", "day1."))):
        p["kind"] = field_text(str(p["kind"]))
    if "field" in p:
        p["field"] = field_text(str(p["field"]))
    for name in ("diluent", "status"):
        if name in p:
            p[name] = _word(p[name])
    for name in ("allowed", "groups"):
        if name in p:
            p[name] = "、".join(_word(part.strip()) for part in str(p[name]).split(","))
    if flag.code.endswith("not_measured"):
        p["source"] = _word(p["source"])
    if flag.code.startswith("pd1."):
        p["source"] = p.get("source") or _word("regimen bound")
    if flag.code.startswith("cumulative."):
        p["kind"] = _word(p.get("kind", ""))
        p["factors"] = f"（{p['factors']}）" if p.get("factors") else ""
    if "group" in p:
        p["group_name"] = p.get("group_zh") or p.get("group_en") or p["group"]
        if flag.code == "choice.missing" and "phase" in p:  # the plan's sentence names the group once
            p["group"] = p["group_name"]
    # A phase by its Chinese name, never its id ("诱导期", not "induction").
    if p.get("phase_zh"):
        p["phase"] = p["phase_zh"]
    if p.get("by_zh"):
        p["by"] = p["by_zh"]
    if flag.code == "phase.stopped":
        p["event"] = _word(p.get("event") or "")
    if "below" in p:
        p["where"] = _word("below" if p["below"] else "above")
    if "difference_percent" in p and "prescribed_mg" in p:
        p["difference"] = abs(float(p["difference_percent"]))
    if flag.code == "weight.changed" and "threshold" in p:
        p["change_percent"] = 100 * float(p["change"])
        p["threshold_percent"] = 100 * float(p["threshold"])
    if flag.code == "interval.short":
        p["previous"] = int(p["cycle"]) - 1
    if flag.code == "event.moved":
        p["what"] = p.get("drug") or _word(p.get("kind", ""))
    if flag.code == "prescribed.not_in_order":
        p["choices"] = _word(p["choices"])
    return p


class _FlagFormatter(string.Formatter):
    """``{x:2}``: a number or quantity to 2 decimals; ``{d:date}``: an ISO date; ``{ds:dates}``: a list of them."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "date":
            return date_text(dt.date.fromisoformat(str(value)))
        if format_spec == "dates":
            return "、".join(date_text(dt.date.fromisoformat(part.strip())) for part in str(value).split(","))
        if format_spec and not format_spec.isdigit():
            raise ValueError(format_spec)
        decimals = int(format_spec) if format_spec else 2
        if isinstance(value, Quantity):
            return format_quantity(value, decimals)
        if isinstance(value, bool):
            raise TypeError("a yes/no param is not said in a sentence")
        if isinstance(value, int | float | Decimal):
            return format_number(value, decimals)
        if value is None:
            raise ValueError("a missing value")
        return str(value)


_FORMATTER = _FlagFormatter()
