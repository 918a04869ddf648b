"""Every threshold the ledger and the pre-cycle checks use (one settings object, site values [P])."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from dosecalc.errors import InputError
from dosecalc.labs import LAB_KINDS

__all__ = ["DEFAULT_SETTINGS", "Day1Thresholds", "FreshnessWindows", "LedgerSettings"]


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FreshnessWindows(_Settings):
    """How old a value may be on the planned treatment date, in days (medication-safety B3).

    Defaults: weight 14, height 365, creatinine 14, day-1 labs 3 days. The windows are institutional
    ([E] in medication-safety B3, "configurable maximum ages"): a site sets its own.
    """

    weight_days: int = Field(default=14, ge=0, le=3650)
    height_days: int = Field(default=365, ge=0, le=3650)
    creatinine_days: int = Field(default=14, ge=0, le=3650)
    labs_days: int = Field(default=3, ge=0, le=3650)

    def window(self, kind: str) -> int:
        if kind in ("weight", "height", "creatinine"):
            return int(getattr(self, f"{kind}_days"))
        if kind in LAB_KINDS:
            return self.labs_days
        raise InputError("kind", kind, "has no freshness window", expected="height | weight | creatinine | a lab")


class Day1Thresholds(_Settings):
    """Day-1 go criteria, clinical-reference §7 ("typical day-1 go criteria", [P]: site settings).

    ANC ≥ 1.5 ×10⁹/L; platelets ≥ 100 ×10⁹/L (some protocols accept 75); Hb ≥ 9 g/dL; total bilirubin
    ≤ 1.5 × ULN; AST and ALT ≤ 2.5 × ULN (≤ 5 × ULN with liver metastases). Source: ESCC trial
    eligibility NCT06048926 [V]. The upper limits of normal are laboratory-specific [P]: bilirubin
    21 µmol/L and AST/ALT 40 units/L are placeholders a site replaces with its laboratory's figures.
    """

    anc_min: float = Field(default=1.5, ge=0)  # ×10⁹/L
    platelets_min: float = Field(default=100, ge=0)  # ×10⁹/L
    hemoglobin_min: float = Field(default=9, ge=0)  # g/dL
    bilirubin_max_uln: float = Field(default=1.5, gt=0)  # × ULN
    bilirubin_uln: float = Field(default=21, gt=0)  # µmol/L [P]
    ast_max_uln: float = Field(default=2.5, gt=0)  # × ULN
    ast_uln: float = Field(default=40, gt=0)  # units/L [P]
    alt_max_uln: float = Field(default=2.5, gt=0)  # × ULN
    alt_uln: float = Field(default=40, gt=0)  # units/L [P]


class LedgerSettings(_Settings):
    """Every threshold the ledger and the pre-cycle checks use, in one place.

    - ``warn_fraction``: warn at this fraction of a catalogue ``limit`` (or at ``warn_at`` if lower);
      80 % by default (the issue).
    - ``weight_change``: flag a weight this far (either way) from the reference weight; 10 %
      (medication-safety B4, Western Health ±10 % [V], threshold [E]).
    - ``alpha_beta_gy``: α/β per radiotherapy site, matched case-insensitively. Spinal cord 2 Gy
      (re-irradiation literature; Nieder 2006 [V]); oesophagus 3 Gy (late effects, [M] convention);
      tumour 10 Gy ([M]). ``default_alpha_beta_gy`` (3 Gy, late effects) is used for any other site and
      the figure is flagged as a default; set it to None to show no figures for an unlisted site.
    """

    windows: FreshnessWindows = FreshnessWindows()
    day1: Day1Thresholds = Day1Thresholds()
    warn_fraction: float = Field(default=0.8, gt=0, le=1)
    weight_change: float = Field(default=0.10, gt=0, lt=1)
    alpha_beta_gy: dict[str, float] = Field(
        default_factory=lambda: {
            "spinal cord": 2.0,
            "cord": 2.0,
            "oesophagus": 3.0,
            "esophagus": 3.0,
            "tumour": 10.0,
            "tumor": 10.0,
        }
    )
    default_alpha_beta_gy: float | None = Field(default=3.0, gt=0)


DEFAULT_SETTINGS = LedgerSettings()
