"""The Doses tab's dosing policies: a one-line summary of those in force, and their choices on demand.

The options are the values the core parses (:func:`ui.verify_dialog.policy_from_plan`); the site default of
each is the one that parses to :data:`dosecalc.order.DEFAULT_POLICY`. Texts are translated under the
"DosesTab" context.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from dosecalc.bsa import BsaFormula
from dosecalc.errors import DoseCalcError
from dosecalc.order import DEFAULT_POLICY
from dosecalc.renal import RenalMethod, WeightBasis
from ui.errors import error_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.verify_dialog import policy_from_plan

__all__ = ["POLICIES", "PoliciesBox"]

translate = QCoreApplication.translate
#: Option labels the interface words itself (the formula names are proper names and stay as the core has them).
_OPTION_WORDS = {
    "actual body weight": QT_TRANSLATE_NOOP("DosesTab", "actual body weight"),
    "ideal body weight (Devine)": QT_TRANSLATE_NOOP("DosesTab", "ideal body weight (Devine)"),
    "adjusted body weight (IBW + 0.4 × excess)": QT_TRANSLATE_NOOP(
        "DosesTab", "adjusted body weight (IBW + 0.4 × excess)"
    ),
    "lower of actual and ideal body weight": QT_TRANSLATE_NOOP("DosesTab", "lower of actual and ideal body weight"),
    "Stevenson 1937 (Chinese)": QT_TRANSLATE_NOOP("DosesTab", "Stevenson 1937 (Chinese)"),
    "CKD-EPI 2021 (race-free)": QT_TRANSLATE_NOOP("DosesTab", "CKD-EPI 2021 (race-free)"),
    "none": QT_TRANSLATE_NOOP("DosesTab", "none"),
    "125 mL/min (FDA 2010)": QT_TRANSLATE_NOOP("DosesTab", "125 mL/min (FDA 2010)"),
    "10 % (HOPA ceiling)": QT_TRANSLATE_NOOP("DosesTab", "10 % (HOPA ceiling)"),
}

#: (plan key, label, options as (value the core parses, label)). "measured" needs a GFR, entered elsewhere.
POLICIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("bsa_formula", QT_TRANSLATE_NOOP("DosesTab", "BSA formula"), tuple((f.value, f.label) for f in BsaFormula)),
    ("weight_basis", QT_TRANSLATE_NOOP("DosesTab", "Weight basis (renal)"),
     tuple((w.value, w.label) for w in WeightBasis)),
    ("renal_method", QT_TRANSLATE_NOOP("DosesTab", "Renal method"),
     tuple((m.value, m.label) for m in RenalMethod if m is not RenalMethod.MEASURED)),
    ("creatinine_floor", QT_TRANSLATE_NOOP("DosesTab", "Creatinine floor"),
     tuple((v, v) for v in ("none", "0.7 mg/dL", "0.8 mg/dL", "1.0 mg/dL"))),
    ("gfr_cap", QT_TRANSLATE_NOOP("DosesTab", "GFR cap"), (("125 mL/min", "125 mL/min (FDA 2010)"), ("none", "none"))),
    ("max_deviation", QT_TRANSLATE_NOOP("DosesTab", "Maximum rounding deviation"),
     (("5%", "5 %"), ("10%", "10 % (HOPA ceiling)"))),
)  # fmt: skip


def _option_text(text: str) -> str:
    return translate("DosesTab", _OPTION_WORDS[text]) if text in _OPTION_WORDS else text


class PoliciesBox(QGroupBox):
    """The policies in force as one line ("All site defaults — …"), their combos shown on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The combo of each policy (plan key → combo); its data is the value the plan records.
        self.combos: dict[str, QComboBox] = {}
        #: The site default of each policy, as the value the plan records.
        self.defaults: dict[str, str] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
        self.summary.setObjectName("policySummary")
        self.summary.setWordWrap(True)
        self.toggle = QToolButton()
        self.toggle.setObjectName("policyToggle")
        self.toggle.setCheckable(True)
        top.addWidget(self.summary, 1)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels: dict[str, QLabel] = {}
        for key, label, options in POLICIES:
            combo = QComboBox()
            combo.setObjectName(key)
            for value, text in options:
                is_default = policy_from_plan({key: value})[0] == DEFAULT_POLICY
                if is_default:
                    self.defaults[key] = value
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(self.defaults.get(key)), 0))
            self.combos[key] = combo
            self._labels[key] = QLabel(label)
            form.addRow(self._labels[key], combo)
        self.form.setVisible(False)
        layout.addWidget(self.form)
        self.toggle.toggled.connect(self._show_form)

    def retranslate(self) -> None:
        """Titles and options in the interface language; the choices stay."""
        self.setTitle(translate("DosesTab", "Dosing policies"))
        self._show_form(self.toggle.isChecked())
        self.toggle.setToolTip(translate("DosesTab", "Show the policy choices"))
        for key, label, options in POLICIES:
            self._labels[key].setText(translate("DosesTab", label))
            combo = self.combos[key]
            for index, (value, text) in enumerate(options):
                shown = _option_text(text)
                combo.setItemText(index, translate("DosesTab", "{option} (site default)").format(option=shown)
                                  if value == self.defaults.get(key) else shown)  # fmt: skip
            for index in range(len(options), combo.count()):
                combo.setItemText(
                    index, translate("DosesTab", "{value} (from the plan)").format(value=combo.itemData(index))
                )

    def _show_form(self, shown: bool) -> None:
        self.form.setVisible(shown)
        self.toggle.setText(translate("DosesTab", "Hi&de") if shown else translate("DosesTab", "&Change…"))

    def policies(self) -> dict[str, str]:
        """The policies that differ from the site defaults, as the plan records them."""
        return {
            key: combo.currentData()
            for key, combo in self.combos.items()
            if combo.currentData() != self.defaults.get(key)
        }

    def show_summary(self) -> None:
        changed = self.policies()
        parts = []
        for key, label, options in POLICIES:
            combo = self.combos[key]
            index = combo.currentIndex()
            text = _option_text(options[index][1]) if 0 <= index < len(options) else combo.currentText()
            changed_mark = translate("DosesTab", " (CHANGED)") if key in changed else ""
            parts.append(f"{translate('DosesTab', label)}: {text}{changed_mark}")
        lead = (
            translate("DosesTab", "All site defaults")
            if not changed
            else translate("DosesTab", "{count} changed from the site defaults").format(count=len(changed))
        )
        self.summary.setText(f"{lead} — " + "; ".join(parts))

    def drop_plan_values(self) -> None:
        """Remove the values a plan added to the lists (another patient's plan is not this one's)."""
        for key, _, options in POLICIES:
            while self.combos[key].count() > len(options):
                self.combos[key].removeItem(len(options))

    def show_defaults(self) -> None:
        for key, combo in self.combos.items():
            combo.setCurrentIndex(max(combo.findData(self.defaults.get(key)), 0))

    def show_plan_policy(self, key: str, value: Any) -> str | None:
        """Set a policy combo to the plan's value, compared as the core parses it; an unlisted value is added.

        Returns why the plan's value cannot be shown (it does not parse), else None.
        """
        combo = self.combos[key]
        if value is None:
            combo.setCurrentIndex(combo.findData(self.defaults[key]))
            return None
        try:
            wanted = policy_from_plan({key: value})[0]
        except DoseCalcError as error:
            return translate("DosesTab", "the saved plan's {policy}: {error}").format(
                policy=key.replace("_", " "), error=error_text(error)
            )
        for index in range(combo.count()):
            if policy_from_plan({key: combo.itemData(index)})[0] == wanted:
                combo.setCurrentIndex(index)
                return None
        combo.addItem(translate("DosesTab", "{value} (from the plan)").format(value=value), str(value))
        combo.setCurrentIndex(combo.count() - 1)
        return None
