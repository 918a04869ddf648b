"""The shipped regimen library: every file loads, and every regimen computes the doses worked out by hand here.

Conventions §5: one parametrised test loads every shipped file. The worked examples use invented patients
and compare each dose line with arithmetic written out below, done by hand from the protocol dose, the
Mosteller BSA and the drug's rounding step (nearest step if within 5 %, ties up; otherwise the exact dose
is kept). None of the expected values was copied from running the code.

Patient A: a 64-year-old man, 168 cm, 61 kg, creatinine 78 µmol/L.
  BSA (Mosteller) = √(168 × 61 / 3600) = √2.8466667 = 1.6872068 m²
  creatinine 78 / 88.4 = 0.8823529 mg/dL
  Cockcroft–Gault = (140 − 64) × 61 / (72 × 0.8823529) = 4636 / 63.529412 = 72.974074 mL/min
Patient B: the same man at 55 kg (ORIENT-15's weight rule): BSA √(168 × 55 / 3600) = √2.5666667 = 1.6020820 m².

Rounding steps (regimens/drugs.toml): 10 mg for the cytotoxics; the smallest vial for the antibodies
(sintilimab, tislelizumab, pembrolizumab 100 mg; camrelizumab 200 mg; toripalimab 80 mg); nivolumab
20 mg; none for ipilimumab, capecitabine and anlotinib (no strength in clinical-reference §6).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dosecalc.cli import main
from dosecalc.errors import InputError
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.regimen.loader import CATALOGUE_FILE, Library, load_file, load_library, shipped_directory
from dosecalc.regimen.model import Regimen, Route, Status
from dosecalc.regimen.order import NONE_CHOICE, RegimenOrder, compute_regimen_order

SHIPPED = shipped_directory()
REGIMEN_FILES = sorted(p for p in SHIPPED.glob("*.toml") if p.name != CATALOGUE_FILE)

BSA_61 = 1.6872068  # √(168 × 61 / 3600), patient A
BSA_55 = 1.6020820  # √(168 × 55 / 3600), patient B
CG_61 = 72.974074  # mL/min, patient A (see the module docstring)

#: Drugs with no cumulative limit and no maximum single dose: every order flags them (fail-closed).
NO_LIMIT = {"fluorouracil", "calcium-folinate", "capecitabine", "anlotinib", "irinotecan", "carboplatin"}
#: Infused drugs with no strength configured (not in clinical-reference §6): every order blocks them.
NO_STRENGTH = {"calcium-folinate", "ipilimumab", "capecitabine", "anlotinib"}  # oral ones need tablet strengths too

#: Approved only where clinical-reference marks every dose [V]; everything else is a draft.
EXPECTED_STATUS = {
    "escc-nct07016737": Status.APPROVED,  # existing file, seed-regimens §1
    "escc-eso-shanghai-20": Status.DRAFT,  # template: agent and backbone are local choices
    "escc-haic-sintilimab": Status.DRAFT,  # HAIC doses are HCC data, a local protocol must confirm them
    "escc-2l-irinotecan": Status.DRAFT,  # second line [P]
    "escc-2l-docetaxel": Status.DRAFT,  # second line [P]
    "escc-2l-paclitaxel": Status.DRAFT,  # second line [P]
    "escc-2l-anlotinib": Status.APPROVED,  # ALTER1102 [V]
    "escc-escort-1st": Status.APPROVED,  # [V]
    "escc-orient-15": Status.APPROVED,  # [V]
    "escc-jupiter-06": Status.DRAFT,  # TP doses [M]
    "escc-rationale-306": Status.DRAFT,  # chemotherapy options and doses [M]
    "escc-keynote-590": Status.DRAFT,  # doses [M]
    "escc-checkmate-648": Status.DRAFT,  # doses [M]
}


def _patient(weight: str) -> Patient:
    return Patient(
        age_years=64,
        sex=Sex.MALE,
        height=Height.parse("168 cm"),
        weight=Weight.parse(weight),
        creatinine=SerumCreatinine.parse("78 µmol/L"),
    )


@pytest.fixture(scope="module")
def library() -> Iterator[Library]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DOSECALC_SITE_REGIMENS", raising=False)
        yield load_library()


# ---------------------------------------------------------------------------------------------------
# (a) Every shipped file loads and validates.


@pytest.mark.parametrize("path", [SHIPPED / CATALOGUE_FILE, *REGIMEN_FILES], ids=lambda p: p.name)
def test_shipped_file_loads_without_problems(path: Path, library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    model, problems = load_file(path)
    assert problems == []
    assert model is not None
    assert library.problems == ()
    if isinstance(model, Regimen):
        assert model.id in library.regimens
        assert model.id == path.stem  # the file is named after its id
        assert library.origins[(model.id, model.version)] == f"shipped: {path.name}"
    assert main(["regimens", "validate", str(path)]) == 0
    capsys.readouterr()


def test_the_shipped_directory_validates_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regimens", "validate", str(SHIPPED)]) == 0
    assert "valid" in capsys.readouterr().out


def test_every_regimen_file_is_covered_and_has_the_expected_status(library: Library) -> None:
    assert {p.stem for p in REGIMEN_FILES} == set(EXPECTED_STATUS)
    assert {r.id: r.status for r in library.regimens.values()} == EXPECTED_STATUS


def test_new_drugs_use_tall_man_and_chinese_names(library: Library) -> None:
    catalogue = library.catalogue
    expected = {
        "cisplatin": ("CISplatin", "顺铂"),
        "carboplatin": ("CARBOplatin", "卡铂"),
        "paclitaxel": ("PACLitaxel", "紫杉醇"),
        "docetaxel": ("DOCEtaxel", "多西他赛"),
        "oxaliplatin": ("OXALIplatin", "奥沙利铂"),
        "tislelizumab": ("tislelizumab", "替雷利珠单抗"),
        "toripalimab": ("toripalimab", "特瑞普利单抗"),
        "pembrolizumab": ("pembrolizumab", "帕博利珠单抗"),
        "nivolumab": ("nivolumab", "纳武利尤单抗"),
        "ipilimumab": ("ipilimumab", "伊匹木单抗"),
        "fluorouracil": ("fluorouracil", "氟尿嘧啶"),
        "calcium-folinate": ("calcium folinate", "亚叶酸钙"),
        "capecitabine": ("capecitabine", "卡培他滨"),
        "anlotinib": ("anlotinib", "安罗替尼"),
    }
    for drug_id, (display, zh) in expected.items():
        drug = catalogue.get(drug_id)
        assert drug is not None, drug_id
        assert (drug.display, drug.zh) == (display, zh)


def test_cumulative_limits_say_what_kind_they_are(library: Library) -> None:
    # clinical-reference §5: cisplatin ototoxicity from roughly 200–400 mg/m² [M] (ORIENT-15's 300 mg/m²
    # exclusion [V]); oxaliplatin neuropathy above about 780–850 mg/m² [M]. Conventions, no hard ceiling.
    cisplatin = library.catalogue.get("cisplatin")
    oxaliplatin = library.catalogue.get("oxaliplatin")
    assert cisplatin is not None
    assert cisplatin.cumulative is not None
    assert (cisplatin.cumulative.unit, cisplatin.cumulative.warn_at, cisplatin.cumulative.limit) == ("mg/m2", 200, None)
    assert cisplatin.cumulative.kind == "convention"
    assert "300 mg/m²" in cisplatin.cumulative.source
    assert oxaliplatin is not None
    assert oxaliplatin.cumulative is not None
    assert (oxaliplatin.cumulative.unit, oxaliplatin.cumulative.warn_at) == ("mg/m2", 780)
    assert oxaliplatin.cumulative.kind == "convention"
    # KEYNOTE-590: pembrolizumab up to 35 cycles ([M], a protocol bound).
    pembrolizumab = library.catalogue.get("pembrolizumab")
    assert pembrolizumab is not None
    assert pembrolizumab.cumulative is not None
    assert (pembrolizumab.cumulative.unit, pembrolizumab.cumulative.limit) == ("cycles", 35)
    assert pembrolizumab.cumulative.kind == "protocol"
    for drug_id in NO_LIMIT:
        drug = library.catalogue.get(drug_id)
        assert drug is not None
        assert drug.cumulative is None
        assert drug.max_single_dose is None


# ---------------------------------------------------------------------------------------------------
# (b) Worked examples.


@dataclass(frozen=True)
class Line:
    drug: str
    calculated: float  # mg per administration, before rounding
    final: float  # mg per administration, after rounding
    days: tuple[int, ...] = (1,)
    confirmed: bool = True  # False where clinical-reference marks the value [M] or [P], or the trial omits it
    refused: bool = False  # rounding to the step would deviate more than 5 %: the exact dose is kept


@dataclass(frozen=True)
class Case:
    name: str
    regimen: str
    phase: str
    lines: tuple[Line, ...]
    choices: dict[str, str] = field(default_factory=dict)
    cycle: int = 1
    weight: str = "61 kg"
    dose_level: int = 0
    order_flags: tuple[str, ...] = ()


D1_5 = (1, 2, 3, 4, 5)
D1_14 = tuple(range(1, 15))

# --- PD-1 and other antibodies, flat doses (clinical-reference §6) -----------------------------------
# sintilimab 200 mg (ORIENT-15 ≥ 60 kg [V]; NCT07016737): step 100 mg, 200 / 100 = 2 → 200 mg (0 %)
SINTILIMAB = Line("sintilimab", 200, 200)
# camrelizumab 200 mg (ESCORT-1st [V]): step 200 mg → 200 mg
CAMRELIZUMAB = Line("camrelizumab", 200, 200)
# tislelizumab 200 mg (RATIONALE-302/306 [V]): step 100 mg → 200 mg
TISLELIZUMAB = Line("tislelizumab", 200, 200)
# toripalimab 240 mg (JUPITER-06 [V]): step 80 mg, 240 / 80 = 3 → 240 mg
TORIPALIMAB = Line("toripalimab", 240, 240)
PD1 = {"sintilimab": SINTILIMAB, "camrelizumab": CAMRELIZUMAB, "tislelizumab": TISLELIZUMAB, "toripalimab": TORIPALIMAB}

# --- Patient A, per m² (BSA 1.6872068 m²), step 10 mg ------------------------------------------------
# paclitaxel 175 mg/m²: 175 × 1.6872068 = 295.2612 → 29.53 steps → 30 → 300 mg (+1.61 %)
PACLITAXEL_175 = 175 * BSA_61, 300
# paclitaxel 87.5 mg/m² (ORIENT-15 cycle 1, days 1 and 8): 87.5 × 1.6872068 = 147.6306 → 14.76 → 15 → 150 mg (+1.61 %)
PACLITAXEL_87_5 = 87.5 * BSA_61, 150
# paclitaxel 50 mg/m² (NCT07016737 salvage): 50 × 1.6872068 = 84.3603 → 8.44 → 8 → 80 mg would be −5.17 %,
# beyond 5 %: the exact 84.3603 mg is kept
PACLITAXEL_50 = 50 * BSA_61, 50 * BSA_61
# cisplatin 75 mg/m²: 75 × 1.6872068 = 126.5405 → 12.65 → 13 → 130 mg (+2.73 %)
CISPLATIN_75 = 75 * BSA_61, 130
# cisplatin 80 mg/m²: 80 × 1.6872068 = 134.9765 → 13.50 (13.498, below the half) → 13 → 130 mg (−3.69 %)
CISPLATIN_80 = 80 * BSA_61, 130
# oxaliplatin 85 mg/m² (HAIC): 85 × 1.6872068 = 143.4126 → 14.34 → 14 → 140 mg (−2.38 %)
OXALIPLATIN_85 = 85 * BSA_61, 140
# oxaliplatin 130 mg/m²: 130 × 1.6872068 = 219.3369 → 21.93 → 22 → 220 mg (+0.30 %)
OXALIPLATIN_130 = 130 * BSA_61, 220
# fluorouracil 800 mg/m²/day: 800 × 1.6872068 = 1349.7654 → 134.98 → 135 → 1350 mg/day (+0.02 %), × 5 days = 6750 mg
FLUOROURACIL_800 = 800 * BSA_61, 1350
# fluorouracil 400 mg/m² (HAIC bolus): 400 × 1.6872068 = 674.8827 → 67.49 → 67 → 670 mg (−0.72 %)
FLUOROURACIL_400 = 400 * BSA_61, 670
# fluorouracil 2400 mg/m² over 46 h (HAIC): 2400 × 1.6872068 = 4049.2963 → 404.93 → 405 → 4050 mg (+0.02 %)
FLUOROURACIL_2400 = 2400 * BSA_61, 4050
# calcium folinate 400 mg/m² (HAIC): 674.8827 → 670 mg (−0.72 %)
FOLINATE_400 = 400 * BSA_61, 670
# irinotecan 125 mg/m² days 1 and 8: 125 × 1.6872068 = 210.9009 → 21.09 → 21 → 210 mg (−0.43 %), × 2 = 420 mg
IRINOTECAN_125 = 125 * BSA_61, 210
# irinotecan 270 mg/m² (NCT07016737): 270 × 1.6872068 = 455.5458 → 45.55 → 46 → 460 mg (+0.98 %)
IRINOTECAN_270 = 270 * BSA_61, 460
# docetaxel 75 mg/m²: 126.5405 → 130 mg (+2.73 %); level −1 60 mg/m²: 60 × 1.6872068 = 101.2324 → 10.12 → 10
# → 100 mg (−1.22 %); level −2 55 mg/m²: 55 × 1.6872068 = 92.7964 → 9.28 → 9 → 90 mg (−3.01 %)
DOCETAXEL_75 = 75 * BSA_61, 130
DOCETAXEL_60 = 60 * BSA_61, 100
DOCETAXEL_55 = 55 * BSA_61, 90
# capecitabine 2000 mg/m²/day (1000 mg/m² twice daily; no rounding step): 2000 × 1.6872068 = 3374.4136 mg/day
CAPECITABINE_2000 = 2000 * BSA_61, 2000 * BSA_61
# carboplatin AUC 2 (Calvert, CG 72.974074 mL/min, below the 125 mL/min cap): 2 × (72.974074 + 25) = 195.9481
# → 19.59 → 20 → 200 mg (+2.07 %)
CARBOPLATIN_AUC2 = 2 * (CG_61 + 25), 200

# --- Patient A, per kg (61 kg) ----------------------------------------------------------------------
# nivolumab 3 mg/kg: 3 × 61 = 183 mg → step 20 mg: 9.15 → 9 → 180 mg (−1.64 %); days 1, 15, 29 → 540 mg
NIVOLUMAB_3KG = 3 * 61, 180
# ipilimumab 1 mg/kg: 1 × 61 = 61 mg, no rounding step → 61 mg
IPILIMUMAB_1KG = 1 * 61, 61

ESO_CHEMO = {
    # ESO-Shanghai 20 names no backbone: local options, every line unconfirmed.
    "tp": (
        Line("paclitaxel", *PACLITAXEL_175, confirmed=False),
        Line("cisplatin", *CISPLATIN_75, confirmed=False),
    ),
    "fp": (
        Line("cisplatin", *CISPLATIN_75, confirmed=False),
        Line("fluorouracil", *FLUOROURACIL_800, days=D1_5, confirmed=False),
    ),
    NONE_CHOICE: (),
}


def _eso_cases() -> list[Case]:
    # ESO-Shanghai 20 (NCT06190782; seed-regimens §2): anti-PD-1 ± chemotherapy, 4 × 21 days, then PD-1
    # maintenance every 21 days for 2 years; local intervention per lesion (combined arm).
    cases = []
    for pd1, pd1_line in PD1.items():
        for chemo, chemo_lines in ESO_CHEMO.items():
            cases.append(
                Case(
                    f"eso-induction-{pd1}-{chemo}",
                    "escc-eso-shanghai-20",
                    "induction",
                    (pd1_line, *chemo_lines),
                    {"pd1": pd1, "chemo": chemo},
                    cycle=4,
                )
            )
        cases.append(
            Case(f"eso-maintenance-{pd1}", "escc-eso-shanghai-20", "maintenance", (pd1_line,), {"pd1": pd1}, cycle=30)
        )
    cases.append(Case("eso-local", "escc-eso-shanghai-20", "local", ()))
    return cases


def _rationale_306_cases() -> list[Case]:
    # RATIONALE-306 (Lancet Oncol 2023;24:483): tislelizumab 200 mg [V] + platinum (cisplatin 80 or
    # oxaliplatin 130 mg/m² day 1) + fluorouracil 800 mg/m²/day days 1–5, capecitabine 1000 mg/m² twice daily
    # days 1–14 or paclitaxel 175 mg/m² day 1: chemotherapy [M] (top of each range), unconfirmed.
    partners = {
        "fluorouracil": Line("fluorouracil", *FLUOROURACIL_800, days=D1_5, confirmed=False),
        "capecitabine": Line("capecitabine", *CAPECITABINE_2000, days=D1_14, confirmed=False),
        "paclitaxel": Line("paclitaxel", *PACLITAXEL_175, confirmed=False),
    }
    platinums = {
        "cisplatin": Line("cisplatin", *CISPLATIN_80, confirmed=False),
        "oxaliplatin": Line("oxaliplatin", *OXALIPLATIN_130, confirmed=False),
    }
    # the order of administration in the file
    order_of = {
        "tislelizumab": 1,
        "paclitaxel": 2,
        "cisplatin": 3,
        "oxaliplatin": 4,
        "fluorouracil": 5,
        "capecitabine": 6,
    }
    cases = []
    for platinum, platinum_line in platinums.items():
        for partner, partner_line in partners.items():
            lines = sorted((TISLELIZUMAB, platinum_line, partner_line), key=lambda line: order_of[line.drug])
            cases.append(
                Case(
                    f"rationale-306-{platinum}-{partner}",
                    "escc-rationale-306",
                    "treatment",
                    tuple(lines),
                    {"platinum": platinum, "partner": partner},
                )
            )
    return cases


CASES: list[Case] = [
    # --- NCT07016737 (seed-regimens §1): PD-1 200 mg + paclitaxel 175 / docetaxel 75 / irinotecan 270 mg/m²;
    # salvage paclitaxel 50 mg/m² + carboplatin AUC 2 weekly with 45 Gy/25 or 50.4 Gy/28 fractions.
    *[
        Case(
            f"nct07016737-induction-{pd1}-{chemo}", "escc-nct07016737", "induction", lines, {"pd1": pd1, "chemo": chemo}
        )
        for pd1 in ("sintilimab", "camrelizumab")
        for chemo, lines in {
            "paclitaxel": (PD1[pd1], Line("paclitaxel", *PACLITAXEL_175)),
            "docetaxel": (PD1[pd1], Line("docetaxel", *DOCETAXEL_75)),
            "irinotecan": (PD1[pd1], Line("irinotecan", *IRINOTECAN_270)),
        }.items()
    ],
    *[
        Case(f"nct07016737-maintenance-{pd1}", "escc-nct07016737", "maintenance", (PD1[pd1],), {"pd1": pd1})
        for pd1 in ("sintilimab", "camrelizumab")
    ],
    *[
        Case(
            f"nct07016737-salvage-{rt}",
            "escc-nct07016737",
            "salvage",
            (Line("paclitaxel", *PACLITAXEL_50, refused=True), Line("carboplatin", *CARBOPLATIN_AUC2)),
            {"rt": rt},
            cycle=5,
        )
        for rt in ("45gy-25fx", "50.4gy-28fx")
    ],
    # --- ESO-Shanghai 20
    *_eso_cases(),
    # --- HAIC + sintilimab (seed-regimens §3; HAIC-FOLFOX from HCC, clinical-reference §8): oxaliplatin 85,
    # calcium folinate 400, fluorouracil 400 bolus + 2400 mg/m² over 46 h, hepatic intra-arterial; every
    # line unconfirmed (the study gives no doses).
    Case(
        "haic-sintilimab",
        "escc-haic-sintilimab",
        "haic",
        (
            Line("sintilimab", 200, 200, confirmed=False),
            Line("oxaliplatin", *OXALIPLATIN_85, confirmed=False),
            Line("calcium-folinate", *FOLINATE_400, confirmed=False),
            Line("fluorouracil", *FLUOROURACIL_400, confirmed=False),
            Line("fluorouracil", *FLUOROURACIL_2400, confirmed=False),
        ),
        cycle=3,
    ),
    # --- Second line (Sichuan consensus, J Int Oncol 2025;52(5):273; clinical-reference §8 [P])
    # irinotecan 125 mg/m² days 1 and 8 every 3 weeks (RATIONALE-302 control arm, J Clin Oncol 2022;40:3065)
    Case(
        "2l-irinotecan",
        "escc-2l-irinotecan",
        "treatment",
        (Line("irinotecan", *IRINOTECAN_125, days=(1, 8), confirmed=False),),
    ),
    # irinotecan has no dose levels: a reduction request keeps the protocol dose and warns
    Case(
        "2l-irinotecan-level-1",
        "escc-2l-irinotecan",
        "treatment",
        (Line("irinotecan", *IRINOTECAN_125, days=(1, 8), confirmed=False),),
        dose_level=1,
        order_flags=("dose_level.unavailable",),
    ),
    # docetaxel 75 mg/m² every 3 weeks; levels 60 and 55 mg/m² (docetaxel label, clinical-reference §7 [V])
    Case("2l-docetaxel", "escc-2l-docetaxel", "treatment", (Line("docetaxel", *DOCETAXEL_75, confirmed=False),)),
    Case(
        "2l-docetaxel-level-1",
        "escc-2l-docetaxel",
        "treatment",
        (Line("docetaxel", *DOCETAXEL_60, confirmed=False),),
        dose_level=1,
    ),
    Case(
        "2l-docetaxel-level-2",
        "escc-2l-docetaxel",
        "treatment",
        (Line("docetaxel", *DOCETAXEL_55, confirmed=False),),
        dose_level=2,
    ),
    Case(
        "2l-docetaxel-level-3",
        "escc-2l-docetaxel",
        "treatment",
        (Line("docetaxel", *DOCETAXEL_75, confirmed=False),),
        dose_level=3,
        order_flags=("dose_level.unavailable",),
    ),
    # paclitaxel 175 mg/m² every 3 weeks (top of 135–175 mg/m², [P])
    Case("2l-paclitaxel", "escc-2l-paclitaxel", "treatment", (Line("paclitaxel", *PACLITAXEL_175, confirmed=False),)),
    # anlotinib 12 mg orally days 1–14 every 21 days (ALTER1102, Cancer Med 2021;10:1681 [V]): no step → 12 mg,
    # × 14 days = 168 mg per cycle
    Case("2l-anlotinib", "escc-2l-anlotinib", "treatment", (Line("anlotinib", 12, 12, days=D1_14),), cycle=10),
    # --- ESCORT-1st (JAMA 2021;326:916 [V]): camrelizumab 200 mg + paclitaxel 175 + cisplatin 75 mg/m², up to
    # 6 cycles, then camrelizumab
    Case(
        "escort-1st-combination",
        "escc-escort-1st",
        "combination",
        (CAMRELIZUMAB, Line("paclitaxel", *PACLITAXEL_175), Line("cisplatin", *CISPLATIN_75)),
        cycle=6,
    ),
    Case("escort-1st-maintenance", "escc-escort-1st", "maintenance", (CAMRELIZUMAB,), cycle=20),
    # --- ORIENT-15 (BMJ 2022;377:e068714; NCT03748134 [V]): sintilimab 200 mg (≥ 60 kg), cisplatin 75 mg/m²;
    # paclitaxel 87.5 mg/m² days 1 and 8 in cycle 1 (per cycle 2 × 150 = 300 mg), 175 mg/m² day 1 in cycles
    # 2–6; or fluorouracil 800 mg/m²/day days 1–5
    Case(
        "orient-15-tp-cycle-1",
        "escc-orient-15",
        "combination",
        (SINTILIMAB, Line("paclitaxel", *PACLITAXEL_87_5, days=(1, 8)), Line("cisplatin", *CISPLATIN_75)),
        {"chemo": "tp"},
        cycle=1,
    ),
    Case(
        "orient-15-tp-cycle-2",
        "escc-orient-15",
        "combination",
        (SINTILIMAB, Line("paclitaxel", *PACLITAXEL_175), Line("cisplatin", *CISPLATIN_75)),
        {"chemo": "tp"},
        cycle=2,
    ),
    Case(
        "orient-15-tp-cycle-6",
        "escc-orient-15",
        "combination",
        (SINTILIMAB, Line("paclitaxel", *PACLITAXEL_175), Line("cisplatin", *CISPLATIN_75)),
        {"chemo": "tp"},
        cycle=6,
    ),
    *[
        Case(
            f"orient-15-fp-cycle-{cycle}",
            "escc-orient-15",
            "combination",
            (SINTILIMAB, Line("cisplatin", *CISPLATIN_75), Line("fluorouracil", *FLUOROURACIL_800, days=D1_5)),
            {"chemo": "fp"},
            cycle=cycle,
        )
        for cycle in (1, 2)
    ],
    Case("orient-15-maintenance", "escc-orient-15", "maintenance", (SINTILIMAB,), cycle=30),
    # Patient B, 55 kg: sintilimab 3 mg/kg × 55 = 165 mg; 200 mg would be +21.2 %: exact 165 mg kept.
    # paclitaxel 87.5 × 1.6020820 = 140.1822 → 14.02 → 14 → 140 mg (−0.13 %); cisplatin 75 × 1.6020820 = 120.1562
    # → 12.02 → 12 → 120 mg (−0.13 %)
    Case(
        "orient-15-tp-cycle-1-55kg",
        "escc-orient-15",
        "combination",
        (
            Line("sintilimab", 3 * 55, 165, refused=True),
            Line("paclitaxel", 87.5 * BSA_55, 140, days=(1, 8)),
            Line("cisplatin", 75 * BSA_55, 120),
        ),
        {"chemo": "tp"},
        weight="55 kg",
    ),
    Case(
        "orient-15-maintenance-55kg",
        "escc-orient-15",
        "maintenance",
        (Line("sintilimab", 3 * 55, 165, refused=True),),
        weight="55 kg",
    ),
    # --- JUPITER-06 (Cancer Cell 2022;40:277): toripalimab 240 mg [V]; paclitaxel 175 + cisplatin 75 mg/m² [M]
    Case(
        "jupiter-06-combination",
        "escc-jupiter-06",
        "combination",
        (
            TORIPALIMAB,
            Line("paclitaxel", *PACLITAXEL_175, confirmed=False),
            Line("cisplatin", *CISPLATIN_75, confirmed=False),
        ),
    ),
    Case("jupiter-06-maintenance", "escc-jupiter-06", "maintenance", (TORIPALIMAB,), cycle=12),
    # --- RATIONALE-306: every platinum × partner
    *_rationale_306_cases(),
    # --- KEYNOTE-590 (Lancet 2021;398:759): pembrolizumab 200 mg, cisplatin 80 mg/m² day 1 (cycles 1–6),
    # fluorouracil 800 mg/m²/day days 1–5, up to 35 cycles; all [M]. Pembrolizumab: step 100 mg → 200 mg
    *[
        Case(
            f"keynote-590-cycle-{cycle}",
            "escc-keynote-590",
            "treatment",
            (
                Line("pembrolizumab", 200, 200, confirmed=False),
                Line("cisplatin", *CISPLATIN_80, confirmed=False),
                Line("fluorouracil", *FLUOROURACIL_800, days=D1_5, confirmed=False),
            ),
            cycle=cycle,
        )
        for cycle in (1, 6)
    ],
    *[
        Case(
            f"keynote-590-cycle-{cycle}",
            "escc-keynote-590",
            "treatment",
            (
                Line("pembrolizumab", 200, 200, confirmed=False),
                Line("fluorouracil", *FLUOROURACIL_800, days=D1_5, confirmed=False),
            ),
            cycle=cycle,
        )
        for cycle in (7, 35)
    ],
    # --- CheckMate 648 (N Engl J Med 2022;386:449): nivolumab 240 mg days 1 and 15 (step 20 mg → 240 mg, per
    # cycle 480 mg) + cisplatin 80 mg/m² + fluorouracil 800 mg/m²/day days 1–5 every 28 days; or nivolumab
    # 3 mg/kg days 1, 15, 29 + ipilimumab 1 mg/kg day 1 every 42 days; all [M]
    Case(
        "checkmate-648-nivolumab-chemotherapy",
        "escc-checkmate-648",
        "nivolumab-chemotherapy",
        (
            Line("nivolumab", 240, 240, days=(1, 15), confirmed=False),
            Line("cisplatin", *CISPLATIN_80, confirmed=False),
            Line("fluorouracil", *FLUOROURACIL_800, days=D1_5, confirmed=False),
        ),
    ),
    Case(
        "checkmate-648-nivolumab-ipilimumab",
        "escc-checkmate-648",
        "nivolumab-ipilimumab",
        (
            Line("nivolumab", *NIVOLUMAB_3KG, days=(1, 15, 29), confirmed=False),
            Line("ipilimumab", *IPILIMUMAB_1KG, confirmed=False),
        ),
    ),
]


def _order(library: Library, case: Case) -> RegimenOrder:
    return compute_regimen_order(
        library.regimen(case.regimen),
        library.catalogue,
        _patient(case.weight),
        case.phase,
        case.cycle,
        case.choices,
        dose_level=case.dose_level,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_worked_example(case: Case, library: Library) -> None:
    regimen = library.regimen(case.regimen)
    order = _order(library, case)
    assert [line.drug.id for line in order.lines] == [line.drug for line in case.lines]
    for got, want in zip(order.lines, case.lines, strict=True):
        where = f"{case.name}: {want.drug}"
        assert got.result.calculated.magnitude == pytest.approx(want.calculated, rel=1e-6), where
        assert got.result.final.magnitude == pytest.approx(want.final, rel=1e-6), where
        assert got.days == want.days, where
        assert got.result.days == len(want.days), where
        assert got.result.per_cycle.magnitude == pytest.approx(want.final * len(want.days), rel=1e-6), where
        # The hand-worked final stays within 5 % of the calculated dose (a guard on the table above).
        assert abs(want.final - want.calculated) <= 0.05 * want.calculated, where
        codes = {flag.code for flag in got.flags}
        assert got.line.dose.confirmed is want.confirmed, where
        assert ("regimen.value_unconfirmed" in codes) is (not want.confirmed), where
        assert ("rounding.refused" in codes) is want.refused, where
        assert ("drug.no_limit_configured" in codes) is (want.drug in NO_LIMIT), where
        assert ("drug.no_strength_configured" in codes) is (want.drug in NO_STRENGTH), where
    order_codes = {flag.code for flag in order.flags}
    assert ("regimen.draft" in order_codes) is (regimen.status is Status.DRAFT)
    assert "choice.missing" not in order_codes
    assert "choice.unknown" not in order_codes
    for code in case.order_flags:
        assert code in order_codes


def test_the_worked_examples_cover_every_phase_and_every_choice_option(library: Library) -> None:
    covered = {(c.regimen, c.phase, group, option) for c in CASES for group, option in c.choices.items()}
    phases = {(c.regimen, c.phase) for c in CASES}
    for regimen in library.regimens.values():
        groups = {g.id: g for g in regimen.choice_groups}
        for phase in regimen.phases:
            assert (regimen.id, phase.id) in phases, f"{regimen.id} {phase.id} has no worked example"
            used = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
            used |= {course.choice.split("=")[0] for course in phase.radiotherapy if course.choice}
            for group_id in used:
                group = groups[group_id]
                options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
                for option in options:
                    assert (regimen.id, phase.id, group_id, option) in covered, (regimen.id, phase.id, group_id, option)


# ---------------------------------------------------------------------------------------------------
# ORIENT-15: the weight rule and the cycle-1 paclitaxel split.


@pytest.mark.parametrize(
    ("weight", "calculated", "final", "source"),
    [
        ("55 kg", 3 * 55, 165, "weight rule: below 60 kg"),  # 165 mg; 200 mg would be +21 %: exact dose kept
        ("59.9 kg", 3 * 59.9, 179.7, "weight rule: below 60 kg"),  # 179.7 mg; 200 mg would be +11 %: exact dose
        ("60 kg", 200, 200, "protocol"),  # exactly 60 kg is not below 60 kg: 200 mg flat
        ("61 kg", 200, 200, "protocol"),
    ],
)
def test_orient_15_sintilimab_weight_rule(
    weight: str, calculated: float, final: float, source: str, library: Library
) -> None:
    # ORIENT-15 (BMJ 2022;377:e068714): 3 mg/kg if < 60 kg, 200 mg if ≥ 60 kg.
    for phase in ("combination", "maintenance"):
        choices = {"chemo": "fp"} if phase == "combination" else {}
        order = _order(library, Case("weight", "escc-orient-15", phase, (), choices, weight=weight))
        sintilimab = next(line for line in order.lines if line.drug.id == "sintilimab")
        assert sintilimab.result.calculated.magnitude == pytest.approx(calculated, rel=1e-9)
        assert sintilimab.result.final.magnitude == pytest.approx(final, rel=1e-9)
        assert sintilimab.derivation.inputs[0].source == source
        assert any(name == "Weight rule" for name, _ in sintilimab.derivation.policies)


def test_orient_15_cycle_1_splits_paclitaxel_and_cycle_2_does_not(library: Library) -> None:
    regimen = library.regimen("escc-orient-15")

    def paclitaxel(cycle: int) -> list[tuple[tuple[int, ...], float, float]]:
        order = compute_regimen_order(
            regimen, library.catalogue, _patient("61 kg"), "combination", cycle, {"chemo": "tp"}
        )
        return [
            (line.days, line.result.final.magnitude, line.result.per_cycle.magnitude)
            for line in order.lines
            if line.drug.id == "paclitaxel"
        ]

    # cycle 1: 87.5 mg/m² × 1.6872068 = 147.63 → 150 mg on day 1 and on day 8: 2 × 150 = 300 mg per cycle
    assert paclitaxel(1) == [((1, 8), 150, 2 * 150)]
    # cycle 2: 175 mg/m² × 1.6872068 = 295.26 → 300 mg on day 1 only
    assert paclitaxel(2) == [((1,), 300, 300)]


@pytest.mark.parametrize(
    ("regimen_id", "phase", "cycle", "choices"),
    [
        ("escc-orient-15", "combination", 7, {"chemo": "tp"}),  # chemotherapy at most 6 cycles
        ("escc-escort-1st", "combination", 7, {}),  # chemotherapy up to 6 cycles
        ("escc-jupiter-06", "combination", 7, {}),  # up to 6 cycles
        ("escc-eso-shanghai-20", "induction", 5, {"pd1": "sintilimab", "chemo": "none"}),  # 4 cycles
        ("escc-keynote-590", "treatment", 36, {}),  # pembrolizumab up to 35 cycles
    ],
)
def test_cycles_beyond_the_protocol_bound_are_refused(
    regimen_id: str, phase: str, cycle: int, choices: dict[str, str], library: Library
) -> None:
    with pytest.raises(InputError):
        compute_regimen_order(library.regimen(regimen_id), library.catalogue, _patient("61 kg"), phase, cycle, choices)


def test_the_optional_chemotherapy_of_eso_shanghai_20_must_be_chosen_explicitly(library: Library) -> None:
    # "With or without chemotherapy" is a decision, never a silent default: leaving it out needs chemo=none.
    order = compute_regimen_order(
        library.regimen("escc-eso-shanghai-20"),
        library.catalogue,
        _patient("61 kg"),
        "induction",
        1,
        {"pd1": "tislelizumab"},
    )
    assert order.blocked
    assert "choice.missing" in {flag.code for flag in order.flags}


def test_schedules_that_the_reference_spells_out(library: Library) -> None:
    eso = library.regimen("escc-eso-shanghai-20")
    assert (eso.phase("induction").cycle_length_days, eso.phase("induction").cycles) == (21, 4)
    maintenance = eso.phase("maintenance").duration
    assert maintenance is not None
    assert maintenance.months == 24
    local = eso.phase("local").local_interventions
    assert local is not None
    assert local.max_lesions == 4
    assert set(local.kinds) == {"radiotherapy", "surgery", "ablation"}
    assert eso.phase("local").start.optional
    assert next(g for g in eso.choice_groups if g.id == "chemo").optional

    haic = library.regimen("escc-haic-sintilimab").phase("haic")
    assert haic.cycle_length_days == 21
    routes = {(line.drug, line.dose.amount): line.route for line in haic.drugs}
    assert routes[("sintilimab", "200 mg")] is Route.INTRAVENOUS
    for key in [("oxaliplatin", "85 mg/m**2"), ("calcium-folinate", "400 mg/m**2"), ("fluorouracil", "2400 mg/m**2")]:
        assert routes[key] is Route.HEPATIC_INTRA_ARTERIAL
    infusion = next(line.infusion for line in haic.drugs if line.dose.amount == "2400 mg/m**2")
    assert infusion == "46 h"
    for line in haic.drugs:
        if line.drug != "sintilimab":
            assert line.dose.note is not None
            assert "local protocol" in line.dose.note

    anlotinib = library.regimen("escc-2l-anlotinib").phase("treatment")
    assert anlotinib.cycle_length_days == 21
    assert anlotinib.drugs[0].day_list() == tuple(range(1, 15))
    assert anlotinib.drugs[0].route is Route.ORAL

    orient = library.regimen("escc-orient-15")
    assert orient.phase("combination").duration is not None
    assert orient.phase("combination").duration.max_cycles == 6
    orient_maintenance = orient.phase("maintenance").duration
    assert orient_maintenance is not None
    assert (orient_maintenance.months, orient_maintenance.anchor) == (24, "first-pd1-dose")

    keynote = library.regimen("escc-keynote-590").phase("treatment").duration
    assert keynote is not None
    assert keynote.max_cycles == 35

    checkmate = library.regimen("escc-checkmate-648")
    assert [p.cycle_length_days for p in checkmate.phases] == [28, 42]
    assert all(p.duration is not None and p.duration.months == 24 for p in checkmate.phases)


def test_orient_15_order_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["order", "--regimen", "escc-orient-15", "--phase", "combination", "--cycle", "1"]
    arguments += ["--choose", "chemo=tp", "--age", "64", "--sex", "male", "--height", "168 cm"]
    arguments += ["--weight", "61 kg", "--creatinine", "78 µmol/L", "--json"]
    if os.environ.get("DOSECALC_SITE_REGIMENS"):
        pytest.skip("a site regimen directory is configured")
    assert main(arguments) == 0
    payload = json.loads(capsys.readouterr().out)
    paclitaxel = next(line for line in payload["lines"] if line["drug"] == "paclitaxel")
    assert paclitaxel["days"] == [1, 8]
    assert paclitaxel["final"] == {"value": 150.0, "unit": "mg"}  # 87.5 × 1.6872068 = 147.63 → 150 mg
    assert paclitaxel["per_cycle"] == {"value": 300.0, "unit": "mg"}  # 2 × 150 mg
