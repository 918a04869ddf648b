"""The preparation of the selected dose line: vials, waste, volume to draw, bag or pump, final
concentration and whether it is in the stable range, rate, duration, set requirements, use-within time.

Everything shown comes from :func:`dosecalc.preparation.prepare_line` and its derivation; the range
state is a word and an icon, never a colour alone, and every catalogue value not confirmed against
the label is marked UNCONFIRMED. "Print bag label…" asks the tab for the line's label: it is enabled only
when the order on screen is saved and the preparation is not blocked (a blocked preparation gets no
label), and its tooltip says why when it is not.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dosecalc.derivation import Severity
from dosecalc.display import format_quantity
from dosecalc.errors import DoseCalcError
from dosecalc.preparation import Container, PreparationSettings, PreparedDose, prepare_line
from dosecalc.regimen.order import OrderedLine
from ui.flag_text import flag_line, flag_text

__all__ = ["PreparationPanel"]


class PreparationPanel(QGroupBox):
    """How to prepare the selected dose line (shown beside its derivation)."""

    ROWS = ("container", "vials", "draw", "diluent", "concentration", "rate", "requirements", "use_within", "flags")

    #: "Print bag label…" was pressed: the drug (catalogue id) and the order line of the line shown.
    labelRequested = Signal(str, int)

    def __init__(self, settings: PreparationSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preparation")
        self.settings, self.settings_error = (settings, None) if settings else _site_preparation()
        self.line: OrderedLine | None = None
        self.prepared: PreparedDose | None = None
        self.order_saved = False
        self.captions: dict[str, str] = {}
        #: The text of each row, as shown (the details view renders these).
        self.values: dict[str, str] = dict.fromkeys(self.ROWS, "")
        #: "UNCONFIRMED against the product label: …", shown first in the details.
        self.unconfirmed = ""
        self.range_icon = QLabel()
        self.range_icon.setObjectName("preparation-range-icon")
        self.range_icon.setFixedSize(18, 18)
        self.range_label = _wrapped_label("preparation-range", bold=True)
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_icon, 0, Qt.AlignmentFlag.AlignTop)
        range_row.addWidget(self.range_label, 1)
        self.details = QTextBrowser()
        self.details.setObjectName("preparation-details")
        self.details.setOpenLinks(False)
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(range_row)
        layout.addWidget(self.details, 1)
        self.label_button = QPushButton()
        self.label_button.setObjectName("printLabel")
        self.label_button.clicked.connect(self._request_label)
        layout.addWidget(self.label_button, 0, Qt.AlignmentFlag.AlignRight)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        """Title, captions and the line shown in the interface language."""
        self.setTitle(self.tr("Preparation"))
        self.captions = {
            "container": self.tr("Container"),
            "vials": self.tr("Vials"),
            "draw": self.tr("Volume to draw"),
            "diluent": self.tr("Diluent"),
            "concentration": self.tr("Final concentration"),
            "rate": self.tr("Rate"),
            "requirements": self.tr("Set and handling"),
            "use_within": self.tr("Use within"),
            "flags": self.tr("Checks"),
        }
        self.label_button.setText(self.tr("Print &bag label…"))
        self.show_line(self.line)

    def set_order_saved(self, saved: bool) -> None:
        """Whether the order on screen is the saved order (a label prints the saved order's line)."""
        self.order_saved = saved
        self._show_label_state()

    def label_refusal(self) -> str | None:
        """Why the line shown gets no bag label now, or None when it can be printed."""
        made = self.prepared
        if self.line is None or made is None:
            return self.tr("No bag label: select a dose line that can be prepared.")
        if not made.needed:
            return self.tr("No bag label: taken by mouth, nothing is prepared.")
        blocks = [flag_text(flag) for flag in made.flags if flag.severity is Severity.BLOCK]
        if blocks:
            return self.tr("No bag label: a blocked preparation gets no label ({0}).").format(blocks[0])
        if not self.order_saved:
            return self.tr("No bag label yet: save the order first (a label prints the saved order's dose).")
        return None

    def _show_label_state(self) -> None:
        refusal = self.label_refusal()
        self.label_button.setEnabled(refusal is None)
        tip = refusal or self.tr("Print preview of this line's bag label")
        self.label_button.setToolTip(tip)
        self.label_button.setAccessibleDescription(tip)

    def _request_label(self) -> None:
        if self.line is not None and self.label_refusal() is None:
            self.labelRequested.emit(self.line.drug.id, self.line.line.order)

    def show_line(self, line: OrderedLine | None) -> None:
        """Prepare ``line`` and show it; an error in the data is shown in place of the preparation."""
        self.line = line
        self.prepared = None
        self.values = dict.fromkeys(self.ROWS, "")
        self.range_icon.clear()
        self.range_label.clear()
        self.unconfirmed = ""
        if line is None:
            self.values["container"] = self.tr("Select a dose line to see how it is prepared.")
        elif self.settings is None:
            self.values["container"] = self.tr("Cannot be prepared: {0}").format(self.settings_error)
        else:
            try:
                self.prepared = prepare_line(line, self.settings)
            except DoseCalcError as error:
                self.values["container"] = self.tr("Cannot be prepared: {0}").format(error.one_line())
            else:
                self._show(self.prepared)
        self._render()
        self._show_label_state()

    def _render(self) -> None:
        rows = "".join(
            f"<tr><td style='padding-right:8px'><b>{escape(self.captions[key])}</b></td>"
            f"<td>{escape(text).replace(chr(10), '<br>')}</td></tr>"
            for key, text in self.values.items()
            if text
        )
        lead = f"<p><b>{escape(self.unconfirmed)}</b></p>" if self.unconfirmed else ""
        self.details.setHtml(f"{lead}<table cellspacing='2'>{rows}</table>")

    def _show(self, made: PreparedDose) -> None:
        v = self.values
        if not made.needed:
            v["container"] = self.tr("Oral: dispensed, nothing to prepare.")
            v["flags"] = "\n".join(flag_line(flag) for flag in made.flags)
            return
        per_day = self.tr(" — one each day, on {0} days").format(made.days) if made.days > 1 else ""
        v["container"] = f"{_container_text(made.container)}{per_day}"
        if made.vials is not None:
            waste = self.tr("waste {0}").format(format_quantity(made.vials.waste, 2))
            kept = (
                self.tr("; {0} kept in a multi-dose vial").format(format_quantity(made.vials.kept, 2))
                if made.vials.kept.magnitude > 0
                else ""
            )
            v["vials"] = f"{made.vials.text()} ({waste}{kept})"
            v["draw"] = "\n".join(
                [format_quantity(made.volume_to_draw, 2)] + [f"  {use.text()}" for use in made.vials.uses]
            )
        if made.diluent is not None:
            total = self.tr("total {0}").format(format_quantity(made.total_volume, 1))
            v["diluent"] = f"{made.diluent.text()} ({total})"
        elif made.container is Container.SYRINGE:
            v["diluent"] = self.tr("none: undiluted bolus")
        v["concentration"] = self._concentration_text(made)
        self.range_label.setText(v["concentration"])
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if made.in_range is None
            else QStyle.StandardPixmap.SP_MessageBoxInformation
            if made.in_range
            else QStyle.StandardPixmap.SP_MessageBoxCritical
        )
        if made.final_concentration is not None:
            self.range_icon.setPixmap(self.style().standardIcon(pixmap).pixmap(16, 16))
        if made.rate is not None:
            v["rate"] = self.tr("{0} over {1} (rate × duration checked)").format(
                format_quantity(made.rate, 1), format_quantity(made.duration, 2)
            )
        elif made.container is not Container.SYRINGE:
            v["rate"] = self.tr("not calculated: see the checks")
        v["requirements"] = "\n".join(made.requirements)
        if made.use_within is not None:
            v["use_within"] = self.tr("{0} of preparation, {1}").format(format_quantity(made.use_within), made.storage)
        else:
            v["use_within"] = self.tr("not in the catalogue")
        v["flags"] = "\n".join(flag_line(flag) for flag in made.flags) or self.tr("none")
        if made.unconfirmed:
            self.unconfirmed = self.tr("UNCONFIRMED against the product label: {0}").format(", ".join(made.unconfirmed))

    def _concentration_text(self, made: PreparedDose) -> str:
        if made.final_concentration is None:
            return "—"
        value = format_quantity(made.final_concentration, 3)
        if made.in_range is None:
            if made.container is Container.SYRINGE:
                return self.tr("{0} (undiluted; range not applied)").format(value)
            return self.tr("⚠ {0} — NOT CHECKED: no stable range in the catalogue").format(value)
        low, high = made.stable_range or (None, None)
        span = f"{format_quantity(low, 3)}–{format_quantity(high, 3)}"
        if made.in_range:
            return self.tr("✔ {0} — in range ({1})").format(value, span)
        return self.tr("✖ {0} — OUT OF RANGE ({1})").format(value, span)


def _wrapped_label(name: str, *, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _container_text(container: Container) -> str:
    # translate() with the panel's context: lupdate files a bare ``widget.tr`` under "widget", which
    # PySide looks up under the class name at run time, so the translation would never be found.
    translate = QCoreApplication.translate
    return {
        Container.BAG: translate("PreparationPanel", "infusion bag"),
        Container.PUMP: translate("PreparationPanel", "ambulatory pump"),
        Container.SYRINGE: translate("PreparationPanel", "syringe (undiluted bolus)"),
        Container.NONE: translate("PreparationPanel", "none: dispensed, not prepared"),
    }[container]


def _site_preparation() -> tuple[PreparationSettings | None, str | None]:
    """The site's bag sizes and pump rates, or the reason they cannot be read (never a silent default)."""
    from dosecalc.site import load_site_settings

    try:
        return load_site_settings().preparation(), None
    except DoseCalcError as error:
        return None, error.one_line()
