"""The core's errors in the interface language, from their stable ``code`` and ``params``.

The core (:mod:`dosecalc.errors`) writes one English line per error for the command line; the
workstation shows the same error translated: a template per code names the field (translated where it
is one of the fields people type) and the value. Where the core's English explains more than the code
can (a range, the expected form), that explanation follows in parentheses, so no detail is lost.
tests/ui/test_translations.py checks that every code the core raises has a template here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from dosecalc.errors import DoseCalcError
from ui.i18n import ENGLISH, QT_TRANSLATE_NOOP, ui_language

__all__ = ["MESSAGES", "error_text", "field_text"]

translate = QCoreApplication.translate

#: code → message template ({field}, {value} and the error's other params).
MESSAGES: dict[str, str] = {
    "error": QT_TRANSLATE_NOOP("CoreError", "{field}: refused"),
    "input.invalid": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} cannot be used"),
    "usage.invalid": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} cannot be used"),
    "policy.invalid": QT_TRANSLATE_NOOP("CoreError", "{field}: the dosing policy {value} is not allowed"),
    "value.missing": QT_TRANSLATE_NOOP("CoreError", "{field}: a value is required"),
    "value.invalid": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is not recognised"),
    "value.not_a_number": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is not a number"),
    "value.not_finite": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is not a finite number"),
    "value.not_positive": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} must be greater than zero"),
    "value.negative": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} cannot be negative"),
    "value.comma": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} contains a comma; write decimals with a point"),
    "value.implausible": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is outside the plausible range"),
    "value.unit_slip": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is implausible; was the unit mistyped?"),
    "unit.invalid": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} has an unusable unit"),
    "unit.missing": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} has no unit"),
    "unit.unknown": QT_TRANSLATE_NOOP("CoreError", "{field}: the unit of {value} is unknown"),
    "unit.not_allowed": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} has the wrong unit"),
    "unit.dimension": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is the wrong kind of quantity"),
    "rate.is_volume": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is a volume, not a rate"),
    "rate.not_per_hour": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is not a rate per hour; give mL/h"),
    "diluent.unknown": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is not a diluent this product allows"),
    "catalogue.no_volume": QT_TRANSLATE_NOOP("CoreError", "{field}: the catalogue gives no volume for {value}"),
    "dose.not_final": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is a dose per m² or per kg, not the final dose"),
    "unit.imperial": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} is in an imperial unit; use metric units"),
    "unit.banned": QT_TRANSLATE_NOOP("CoreError", "{field}: {value} uses a unit that is not allowed"),
    "unit.indexed_gfr": QT_TRANSLATE_NOOP(
        "CoreError", "{field}: {value} is indexed to 1.73 m²; Calvert needs mL/min, not mL/min/1.73 m²"
    ),
    "permission.denied": QT_TRANSLATE_NOOP("CoreError", "{field}: you are not allowed to do this"),
    "verification.refused": QT_TRANSLATE_NOOP("CoreError", "{field}: verification refused"),
    "audit.broken": QT_TRANSLATE_NOOP("CoreError", "{field}: the audit trail is broken"),
    "store.error": QT_TRANSLATE_NOOP("CoreError", "{field}: the record store refused"),
    "store.conflict": QT_TRANSLATE_NOOP(
        "CoreError", "{field}: someone else changed this record; reopen it and try again"
    ),
    "store.read_only": QT_TRANSLATE_NOOP("CoreError", "{field}: the record store is read-only"),
    "store.authentication": QT_TRANSLATE_NOOP("CoreError", "{field}: the user name or password is wrong"),
}

#: Field names people meet in the workstation's forms (others are shown as the core names them).
FIELDS: dict[str, str] = {
    "height": QT_TRANSLATE_NOOP("CoreField", "height"),
    "weight": QT_TRANSLATE_NOOP("CoreField", "weight"),
    "reference-weight": QT_TRANSLATE_NOOP("CoreField", "reference weight"),
    "creatinine": QT_TRANSLATE_NOOP("CoreField", "creatinine"),
    "bsa": QT_TRANSLATE_NOOP("CoreField", "BSA"),
    "dose": QT_TRANSLATE_NOOP("CoreField", "dose"),
    "age": QT_TRANSLATE_NOOP("CoreField", "age"),
    "sex": QT_TRANSLATE_NOOP("CoreField", "sex"),
    "name": QT_TRANSLATE_NOOP("CoreField", "name"),
    "full_name": QT_TRANSLATE_NOOP("CoreField", "name"),
    "hospital-number": QT_TRANSLATE_NOOP("CoreField", "hospital number"),
    "hospital_number": QT_TRANSLATE_NOOP("CoreField", "hospital number"),
    "date-of-birth": QT_TRANSLATE_NOOP("CoreField", "date of birth"),
    "date_of_birth": QT_TRANSLATE_NOOP("CoreField", "date of birth"),
    "allergies": QT_TRANSLATE_NOOP("CoreField", "allergies"),
    "diagnosis": QT_TRANSLATE_NOOP("CoreField", "diagnosis"),
    "language": QT_TRANSLATE_NOOP("CoreField", "language"),
    "reason": QT_TRANSLATE_NOOP("CoreField", "reason"),
    "password": QT_TRANSLATE_NOOP("CoreField", "password"),
    "username": QT_TRANSLATE_NOOP("CoreField", "user name"),
    "user": QT_TRANSLATE_NOOP("CoreField", "user"),
    "measured-on": QT_TRANSLATE_NOOP("CoreField", "measurement date"),
    "kind": QT_TRANSLATE_NOOP("CoreField", "kind"),
    "value": QT_TRANSLATE_NOOP("CoreField", "value"),
    "source": QT_TRANSLATE_NOOP("CoreField", "source"),
    "cycle": QT_TRANSLATE_NOOP("CoreField", "cycle"),
    "phase": QT_TRANSLATE_NOOP("CoreField", "phase"),
    "fractions": QT_TRANSLATE_NOOP("CoreField", "fractions"),
    "auc": QT_TRANSLATE_NOOP("CoreField", "AUC"),
    "gfr": QT_TRANSLATE_NOOP("CoreField", "GFR"),
    "plan": QT_TRANSLATE_NOOP("CoreField", "plan"),
    "order": QT_TRANSLATE_NOOP("CoreField", "order"),
    "patient": QT_TRANSLATE_NOOP("CoreField", "patient"),
    "demo": QT_TRANSLATE_NOOP("CoreField", "demonstration"),
    "anc": QT_TRANSLATE_NOOP("CoreField", "ANC"),
    "platelets": QT_TRANSLATE_NOOP("CoreField", "platelets"),
    "hemoglobin": QT_TRANSLATE_NOOP("CoreField", "haemoglobin"),
    "bilirubin": QT_TRANSLATE_NOOP("CoreField", "bilirubin"),
    "ast": QT_TRANSLATE_NOOP("CoreField", "AST"),
    "alt": QT_TRANSLATE_NOOP("CoreField", "ALT"),
}

#: Codes whose template says all the core's English line says (no English detail after them).
_COMPLETE = frozenset({"value.missing", "value.not_a_number", "value.not_finite", "value.not_positive",
                       "value.negative", "value.comma", "unit.missing", "store.conflict", "store.read_only",
                       "store.authentication"})  # fmt: skip


def field_text(field: str) -> str:
    """A field name in the interface language (the core's own name when it is not a form field)."""
    return translate("CoreField", FIELDS[field]) if field in FIELDS else field


def error_text(error: DoseCalcError) -> str:
    """The error in the interface language: ``weight: -70 kg must be greater than zero`` / ``体重：…``."""
    if ui_language() == ENGLISH or error.code not in MESSAGES:
        return error.one_line()
    params = {key: value for key, value in error.params.items() if isinstance(value, str | int | float)}
    params["field"] = field_text(error.field)
    params["value"] = error.params.get("value") or ""
    try:
        text = translate("CoreError", MESSAGES[error.code]).format_map(_Missing(params))
    except (ValueError, IndexError):  # a broken translation never hides the error
        return error.one_line()
    text = " ".join(text.split()) if params["value"] == "" else text
    if error.code not in _COMPLETE or error.expected:
        text += translate("CoreError", " ({detail})").format(detail=error.one_line())
    return " ".join(text.splitlines())


class _Missing(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
