"""``dosecalc order --batch``: the re-check core (dosecalc.regimen.batch) and its command line (dosecalc.cli.batch).

Expected doses are worked by hand here, from the formulas, never copied from a run:
BSA (Mosteller) = √(height cm × weight kg / 3600); a mg/m² dose = dose × BSA, rounded half-up
to the drug's 10 mg step when that stays within 5 %, else kept exact; carboplatin (Calvert)
= AUC × (GFR + 25), GFR by Cockcroft–Gault = (140 − age) × weight / (72 × SCr mg/dL), × 0.85
for women, SCr µmol/L ÷ 88.4.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from dosecalc.cli import main
from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError, PolicyError
from dosecalc.regimen.batch import BatchReport, LineCheck, OrderCheck, recheck_orders
from dosecalc.regimen.batch import rows as batch_module
from dosecalc.regimen.loader import Library, load_library

EXAMPLE = Path(__file__).parent / "orders-example.csv"
REGIMEN = "escc-nct07016737"

# The example's patients, worked by hand.
# P-1001: 64-year-old man, 168 cm, 61 kg, creatinine 78 µmol/L.
BSA_1001 = math.sqrt(168 * 61 / 3600)  # √(10,248 / 3600) = √2.84667 = 1.68721 m²
# P-1002: 158 cm, 52 kg → √(8216 / 3600) = √2.28222 = 1.51070 m²
BSA_1002 = math.sqrt(158 * 52 / 3600)
# P-1003: 71-year-old man, 172 cm, 70 kg, 95 µmol/L → √(12,040 / 3600) = √3.34444 = 1.82878 m²
BSA_1003 = math.sqrt(172 * 70 / 3600)
# P-1004: 160 cm, 55 kg → √(8800 / 3600) = √2.44444 = 1.56347 m²
BSA_1004 = math.sqrt(160 * 55 / 3600)
# P-1005: 175 cm, 72 kg → √(12,600 / 3600) = √3.5 = 1.87083 m²
BSA_1005 = math.sqrt(175 * 72 / 3600)

HEADER = (
    "order_id,patient_id,regimen,phase,cycle,choices,age,sex,height,weight,creatinine,"
    "prescribed:sintilimab,prescribed:paclitaxel,reason"
)
# A one-row order of P-1001, induction cycle 1, sintilimab + paclitaxel; the paclitaxel dose is 300 mg:
# 175 mg/m² × 1.68721 m² = 295.26 mg → nearest 10 mg is 300 mg, (300 − 295.26) / 295.26 = +1.6 % ≤ 5 %.
P1001_CELLS = {
    "regimen": REGIMEN,
    "phase": "induction",
    "cycle": "1",
    "choices": "pd1=sintilimab;chemo=paclitaxel",
    "age": "64",
    "sex": "male",
    "height": "168 cm",
    "weight": "61 kg",
    "creatinine": "78 µmol/L",
}


def _p1001(**changes: str) -> str:
    """The cells regimen … creatinine of P-1001's induction order, with some changed."""
    return ",".join({**P1001_CELLS, **changes}.values())


P1001_INDUCTION = _p1001()


@pytest.fixture(autouse=True)
def _shipped_library_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSECALC_SITE_REGIMENS", raising=False)


@pytest.fixture
def library() -> Library:
    return load_library()


def _by_id(report: BatchReport) -> dict[str, OrderCheck]:
    return {row.order_id: row for row in report.rows}


def _line(order: OrderCheck, drug: str) -> LineCheck:
    matches = [line for line in order.lines if line.drug == drug]
    assert len(matches) == 1, f"{drug} not once in {[line.drug for line in order.lines]}"
    return matches[0]


def _codes(flags: Sequence[Flag]) -> dict[str, Severity]:
    return {f.code: f.severity for f in flags}


def _one_order(prescribed_paclitaxel: str, reason: str = "") -> str:
    return f"{HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,{prescribed_paclitaxel},{reason}\n"


# ------------------------------------------------------------------------------------------------
# The example file.
# ------------------------------------------------------------------------------------------------


def test_example_bad_rows_are_reported_by_line_and_the_others_still_computed(library: Library) -> None:
    report = recheck_orders(EXAMPLE.read_text(encoding="utf-8"), library)
    rows = _by_id(report)
    assert [row.order_id for row in report.rows] == [f"A-{n:03d}" for n in range(1, 13)]
    assert [row.line for row in report.rows] == list(range(2, 14))  # the header is line 1
    bad = [(row.line, row.order_id, row.error_field) for row in report.rows if row.error]
    assert bad == [(12, "A-011", "creatinine"), (13, "A-012", "sex")]
    assert rows["A-011"].error is not None
    assert rows["A-011"].error.startswith("creatinine: 80 mg/dL is implausible; did you mean 80 µmol/L?")
    assert rows["A-012"].error == "sex: is required for Cockcroft–Gault 1976; expected female or male"
    assert rows["A-011"].status == rows["A-012"].status == "error"
    assert all(row.lines for row in report.rows if not row.error)
    totals = report.totals
    assert (totals.orders, totals.ok, totals.differences, totals.errors) == (12, 6, 4, 2)
    assert totals.ok + totals.differences + totals.errors == totals.orders


def test_example_covers_every_phase_and_choice_of_nct07016737(library: Library) -> None:
    report = recheck_orders(EXAMPLE.read_text(encoding="utf-8"), library)
    computed = [row for row in report.rows if row.error is None and row.regimen_id == REGIMEN]
    assert {row.phase for row in computed} == {"induction", "maintenance", "salvage"}
    chosen = {f"{g}={o}" for row in computed for g, o in (row.choices or {}).items()}
    assert chosen == {
        "pd1=sintilimab",
        "pd1=camrelizumab",
        "chemo=paclitaxel",
        "chemo=docetaxel",
        "chemo=irinotecan",
        "rt=45gy-25fx",
        "rt=50.4gy-28fx",
    }
    assert all(row.regimen_version == "1.0.0" for row in computed)
    # and one ORIENT-15 order: the shipped regimen with a line given on several days
    assert [row.order_id for row in report.rows if row.regimen_id == "escc-orient-15"] == ["A-007"]


def test_example_doses_match_the_hand_calculation(library: Library) -> None:
    rows = _by_id(recheck_orders(EXAMPLE.read_text(encoding="utf-8"), library))

    # paclitaxel 175 mg/m² × 1.68721 m² = 295.26 mg → 300 mg (+1.6 %); prescribed 300 mg: agrees.
    paclitaxel = _line(rows["A-001"], "paclitaxel")
    assert paclitaxel.calculated_mg == pytest.approx(175 * BSA_1001)
    assert paclitaxel.calculated_mg == pytest.approx(295.26, abs=0.005)
    assert (paclitaxel.final_mg, paclitaxel.per_cycle_mg, paclitaxel.days) == (300, 300, 1)
    assert (paclitaxel.prescribed_mg, paclitaxel.difference_percent, paclitaxel.within_tolerance) == (300, 0, True)
    sintilimab = _line(rows["A-001"], "sintilimab")  # 200 mg flat, a whole 100 mg vial step
    assert (sintilimab.calculated_mg, sintilimab.final_mg, sintilimab.within_tolerance) == (200, 200, True)
    assert rows["A-001"].status == "ok"

    # docetaxel 75 × 1.51070 = 113.30 mg → 110 mg ((110 − 113.30) / 113.30 = −2.9 %).
    docetaxel = _line(rows["A-002"], "docetaxel")
    assert docetaxel.calculated_mg == pytest.approx(75 * BSA_1002)
    assert docetaxel.final_mg == 110
    assert _line(rows["A-002"], "camrelizumab").final_mg == 200

    # irinotecan 270 × 1.82878 = 493.77 mg → 490 mg (−0.76 %); prescribed 550 mg:
    # (550 − 490) / 490 = +12.24 % > 5 % and no reason → BLOCK dose.above_protocol.
    irinotecan = _line(rows["A-003"], "irinotecan")
    assert irinotecan.calculated_mg == pytest.approx(270 * BSA_1003)
    assert irinotecan.final_mg == 490
    assert irinotecan.difference_percent == Decimal("12.24")
    assert irinotecan.within_tolerance is False
    assert _codes(irinotecan.flags)["dose.above_protocol"] is Severity.BLOCK
    assert rows["A-003"].status == "differs"
    assert rows["A-003"].blocked

    # dose level −1 of paclitaxel is 150 mg/m²: 150 × 1.68721 = 253.08 mg → 250 mg (−1.2 %).
    reduced = _line(rows["A-004"], "paclitaxel")
    assert reduced.calculated_mg == pytest.approx(150 * BSA_1001)
    assert (reduced.final_mg, reduced.within_tolerance) == (250, True)

    # 175 × 1.56347 = 273.61 mg → 270 mg (−1.3 %); prescribed 300 mg: (300 − 270) / 270 = +11.11 %,
    # with a reason → a WARNING that quotes it, not a block.
    above = _line(rows["A-005"], "paclitaxel")
    assert above.calculated_mg == pytest.approx(175 * BSA_1004)
    assert above.final_mg == 270
    assert above.difference_percent == Decimal("11.11")
    assert _codes(above.flags)["dose.above_protocol"] is Severity.WARNING
    flag = next(f for f in above.flags if f.code == "dose.above_protocol")
    assert "one 300 mg vial, site waste policy (Dr Li)" in flag.message
    assert rows["A-005"].status == "differs"

    # PD-1 maintenance, 200 mg flat.
    assert _line(rows["A-006"], "camrelizumab").final_mg == 200
    assert rows["A-006"].phase == "maintenance"

    # ORIENT-15 fluorouracil 800 mg/m² per day on days 1–5: 800 × 1.68721 = 1349.77 mg → 1350 mg a day
    # (+0.02 %), 5 × 1350 = 6750 mg a cycle. Prescribed "6750 mg" is the cycle total written as the daily dose.
    fluorouracil = _line(rows["A-007"], "fluorouracil")
    assert fluorouracil.calculated_mg == pytest.approx(800 * BSA_1001)
    assert (fluorouracil.final_mg, fluorouracil.days, fluorouracil.per_cycle_mg) == (1350, 5, 6750)
    assert fluorouracil.difference_percent == Decimal("400.00")  # (6750 − 1350) / 1350
    assert _codes(fluorouracil.flags)["dose.per_day_per_cycle_mismatch"] is Severity.BLOCK
    assert "dose.above_protocol" not in _codes(fluorouracil.flags)
    # Sintilimab 200 mg: 61 kg is not below the 60 kg of the weight rule (3 mg/kg below 60 kg).
    assert _line(rows["A-007"], "sintilimab").final_mg == 200
    # Cisplatin 75 mg/m² × 1.68721 = 126.54 mg → 130 mg; nothing prescribed, so not compared.
    cisplatin = _line(rows["A-007"], "cisplatin")
    assert (cisplatin.final_mg, cisplatin.within_tolerance) == (130, None)
    assert rows["A-007"].status == "differs"
    assert rows["A-007"].blocked

    # salvage paclitaxel 50 × 1.68721 = 84.36 mg; 80 mg would be (80 − 84.36) / 84.36 = −5.17 %,
    # beyond 5 %, so the exact dose is kept; prescribed 85 mg is +0.76 %: agrees.
    weekly = _line(rows["A-008"], "paclitaxel")
    assert weekly.final_mg == pytest.approx(50 * BSA_1001)
    assert weekly.difference_percent == Decimal("0.76")
    assert weekly.within_tolerance is True
    # Carboplatin AUC 2: SCr 78 / 88.4 = 0.88235 mg/dL; CrCl = (140 − 64) × 61 / (72 × 0.88235) = 72.97 mL/min;
    # 2 × (72.97 + 25) = 195.95 mg → 200 mg (+2.1 %).
    crcl_1001 = (140 - 64) * 61 / (72 * (78 / 88.4))
    carboplatin = _line(rows["A-008"], "carboplatin")
    assert carboplatin.calculated_mg == pytest.approx(2 * (crcl_1001 + 25))
    assert carboplatin.final_mg == 200

    # paclitaxel 50 × 1.82878 = 91.44 mg → 90 mg; prescribed 80 mg: (80 − 90) / 90 = −11.11 % → WARNING below.
    below = _line(rows["A-009"], "paclitaxel")
    assert below.final_mg == 90
    assert below.difference_percent == Decimal("-11.11")
    assert _codes(below.flags)["dose.below_protocol"] is Severity.WARNING
    # Carboplatin: 95 / 88.4 = 1.07466 mg/dL; (140 − 71) × 70 / (72 × 1.07466) = 62.42; 2 × 87.42 = 174.85 → 170 mg.
    crcl_1003 = (140 - 71) * 70 / (72 * (95 / 88.4))
    assert _line(rows["A-009"], "carboplatin").calculated_mg == pytest.approx(2 * (crcl_1003 + 25))
    assert _line(rows["A-009"], "carboplatin").final_mg == 170

    # a measured GFR of 60 mL/min: 2 × (60 + 25) = 170 mg; paclitaxel 50 × 1.87083 = 93.54 → 90 mg (−3.8 %).
    assert _line(rows["A-010"], "carboplatin").calculated_mg == pytest.approx(170)
    assert _line(rows["A-010"], "paclitaxel").calculated_mg == pytest.approx(50 * BSA_1005)
    assert _line(rows["A-010"], "paclitaxel").final_mg == 90
    assert rows["A-010"].status == "ok"


# ------------------------------------------------------------------------------------------------
# Tolerance and the comparison flags.
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prescribed", "percent", "agrees"),
    [
        # Against the recomputed 300 mg: 314.7 is +4.9 %, 315 exactly +5 %, 315.3 is +5.1 %.
        ("314.7 mg", "4.90", True),
        ("315 mg", "5.00", True),
        ("315.3 mg", "5.10", False),
        # 285.3 is −4.9 %, 285 exactly −5 %, 284.7 is −5.1 %.
        ("285.3 mg", "-4.90", True),
        ("285 mg", "-5.00", True),
        ("284.7 mg", "-5.10", False),
        # 0.3147 g is 314.7 mg: the unit is converted before the comparison.
        ("0.3147 g", "4.90", True),
        ("0.315 g", "5.00", True),
    ],
)
def test_tolerance_edges(library: Library, prescribed: str, percent: str, agrees: bool) -> None:
    (order,) = recheck_orders(_one_order(prescribed), library).rows
    line = _line(order, "paclitaxel")
    assert line.final_mg == 300
    assert line.difference_percent == Decimal(percent)
    assert line.within_tolerance is agrees
    assert order.status == ("ok" if agrees else "differs")
    codes = _codes(line.flags)
    assert ("dose.above_protocol" in codes or "dose.below_protocol" in codes) is not agrees


def test_a_wider_tolerance_is_a_parameter(library: Library) -> None:
    # 330 mg is (330 − 300) / 300 = +10 %: outside the default 5 %, inside (inclusive) a 10 % tolerance.
    assert recheck_orders(_one_order("330 mg"), library).rows[0].status == "differs"
    report = recheck_orders(_one_order("330 mg"), library, tolerance=Decimal("0.10"))
    assert report.rows[0].status == "ok"
    assert report.tolerance == Decimal("0.10")


@pytest.mark.parametrize("tolerance", [Decimal("-0.01"), Decimal("0.51")])
def test_a_tolerance_outside_0_to_50_percent_is_refused(library: Library, tolerance: Decimal) -> None:
    with pytest.raises(PolicyError, match="tolerance"):
        recheck_orders(_one_order("300 mg"), library, tolerance=tolerance)


def test_above_protocol_blocks_unless_a_reason_is_given(library: Library) -> None:
    (blocked,) = recheck_orders(_one_order("330 mg"), library).rows
    line = _line(blocked, "paclitaxel")
    assert _codes(line.flags)["dose.above_protocol"] is Severity.BLOCK
    assert blocked.blocked
    assert blocked.status == "differs"

    (reasoned,) = recheck_orders(_one_order("330 mg", "re-escalated after cycle 1 (Dr Chen)"), library).rows
    line = _line(reasoned, "paclitaxel")
    flag = next(f for f in line.flags if f.code == "dose.above_protocol")
    assert flag.severity is Severity.WARNING
    assert "re-escalated after cycle 1 (Dr Chen)" in flag.message
    assert flag.params["reason"] == "re-escalated after cycle 1 (Dr Chen)"
    assert reasoned.status == "differs"  # still a difference: the reason makes it a warning, not a match
    assert not any(f.severity is Severity.BLOCK and f.code.startswith("dose.") for f in reasoned.flags)


def test_below_protocol_is_a_warning(library: Library) -> None:
    # 270 mg is (270 − 300) / 300 = −10 %.
    (order,) = recheck_orders(_one_order("270 mg"), library).rows
    line = _line(order, "paclitaxel")
    assert line.difference_percent == Decimal("-10.00")
    assert _codes(line.flags)["dose.below_protocol"] is Severity.WARNING
    assert "dose.above_protocol" not in _codes(line.flags)


def test_a_line_without_a_prescribed_dose_is_not_compared(library: Library) -> None:
    (order,) = recheck_orders(f"{HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,,\n", library).rows
    line = _line(order, "paclitaxel")
    assert (line.prescribed_mg, line.difference_percent, line.within_tolerance) == (None, None, None)
    assert line.final_mg == 300
    assert order.status == "ok"


def test_a_drug_prescribed_outside_the_order_blocks(library: Library) -> None:
    text = (
        "order_id,patient_id,regimen,phase,cycle,choices,age,sex,height,weight,creatinine,prescribed:docetaxel\n"
        f"T-1,P-1001,{P1001_INDUCTION},130 mg\n"
    )
    (order,) = recheck_orders(text, library).rows
    line = _line(order, "docetaxel")
    assert (line.final_mg, line.prescribed_mg, line.within_tolerance) == (None, 130, False)
    assert _codes(line.flags) == {"prescribed.not_in_order": Severity.BLOCK}
    assert order.status == "differs"
    assert order.blocked


WEEKLY_REGIMEN = """\
schema_version = 1
id = "test-weekly-paclitaxel"
version = "0.1.0"
status = "approved"
review_date = 2027-11-21
name = { en = "Weekly paclitaxel (test)", zh = "每周紫杉醇（测试）" }
indication = "test regimen for the batch re-check: a line given on three days of the cycle"
sources = [{ id = "test", citation = "constructed for tests/regimens/test_batch.py" }]

[[phases]]
id = "weekly"
name = { en = "Weekly", zh = "每周" }
cycle_length_days = 28
cycles = 6

[[phases.drugs]]
drug = "paclitaxel"
dose = { basis = "mg/m2", amount = "80 mg/m**2" }
days = [1, 8, 15]
route = "intravenous"
infusion = "1 h"
order = 1
"""


@pytest.fixture
def site_library(tmp_path: Path) -> Library:
    site = tmp_path / "site"
    site.mkdir()
    (site / "test-weekly-paclitaxel.toml").write_text(WEEKLY_REGIMEN, encoding="utf-8")
    library = load_library(site)
    assert "test-weekly-paclitaxel" in library.regimens, library.problems
    return library


def _weekly(prescribed: str, reason: str = "") -> str:
    return (
        "order_id,patient_id,regimen,phase,cycle,choices,age,sex,height,weight,creatinine,"
        "prescribed:paclitaxel,reason\n"
        f"W-1,P-1001,test-weekly-paclitaxel,weekly,2,,64,male,168 cm,61 kg,78 µmol/L,{prescribed},{reason}\n"
    )


def test_a_per_cycle_total_prescribed_as_the_dose_blocks(site_library: Library) -> None:
    # 80 mg/m² × 1.68721 m² = 134.98 mg → 130 mg ((130 − 134.98) / 134.98 = −3.7 %) on days 1, 8 and 15:
    # 3 × 130 = 390 mg per cycle. "390 mg" is the cycle total written as the dose.
    (order,) = recheck_orders(_weekly("390 mg"), site_library).rows
    line = _line(order, "paclitaxel")
    assert line.calculated_mg == pytest.approx(80 * BSA_1001)
    assert (line.final_mg, line.per_cycle_mg, line.days) == (130, 390, 3)
    assert line.within_tolerance is False
    codes = _codes(line.flags)
    assert codes["dose.per_day_per_cycle_mismatch"] is Severity.BLOCK
    assert "dose.above_protocol" not in codes  # the more specific finding, once
    assert order.blocked

    # A reason does not lift it: a cycle total given as a day's dose is an error, not a decision.
    (reasoned,) = recheck_orders(_weekly("390 mg", "as discussed"), site_library).rows
    assert _codes(_line(reasoned, "paclitaxel").flags)["dose.per_day_per_cycle_mismatch"] is Severity.BLOCK

    # The dose per day agrees; 380 mg is within 5 % of 390 (−2.6 %) and is the same mistake.
    assert recheck_orders(_weekly("130 mg"), site_library).rows[0].status == "ok"
    (near,) = recheck_orders(_weekly("380 mg"), site_library).rows
    assert "dose.per_day_per_cycle_mismatch" in _codes(_line(near, "paclitaxel").flags)
    # 200 mg is neither: (200 − 130) / 130 = +53.8 % → above protocol.
    (far,) = recheck_orders(_weekly("200 mg"), site_library).rows
    assert _codes(_line(far, "paclitaxel").flags)["dose.above_protocol"] is Severity.BLOCK


# ------------------------------------------------------------------------------------------------
# The file: columns, BOM, CSV shape.
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [
        (HEADER.replace("prescribed:paclitaxel", "prescribed:paclitaxol"), "prescribed:paclitaxol", "names no drug"),
        (HEADER + ",weigth_kg", "weigth_kg", "is not a known column"),
        (HEADER + ",reason", "reason", "appears twice"),
        (HEADER.replace("cycle,", ""), "cycle", "is missing from the header"),
        (HEADER.replace("sex,", "").replace("cycle,", ""), "cycle, sex", "are missing from the header"),
        (HEADER + ",", "", "is an empty column name"),
    ],
)
def test_a_bad_header_is_an_error_for_the_whole_file(library: Library, header: str, column: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        recheck_orders(f"{header}\nT-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,\n", library)
    assert caught.value.field == "columns"
    assert caught.value.value == column
    assert reason in caught.value.reason
    assert "(line 1)" in caught.value.reason


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n"])
def test_an_empty_file_has_no_header(library: Library, text: str) -> None:
    with pytest.raises(InputError, match="has no header line"):
        recheck_orders(text, library)


def test_a_header_alone_is_an_empty_batch(library: Library) -> None:
    report = recheck_orders(HEADER + "\n", library)
    assert report.rows == ()
    assert report.totals.orders == 0


def test_a_byte_order_mark_is_ignored(library: Library) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    plain = recheck_orders(text, library)
    marked = recheck_orders("\ufeff" + text, library)
    assert marked.to_json() == plain.to_json()
    assert marked.rows[0].order_id == "A-001"


def test_line_numbers_count_physical_lines(library: Library) -> None:
    # Line 2 is blank (skipped), line 3 an order, lines 4–5 one order whose reason spans two lines,
    # line 6 a row of the wrong width, line 7 a row of only commas (skipped), line 8 a bad weight.
    text = (
        f"{HEADER}\n"
        "\n"
        f"T-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,\n"
        f'T-2,P-1001,{P1001_INDUCTION},200 mg,330 mg,"increase agreed\non the ward round"\n'
        "T-3,P-1001,too,few,cells\n"
        ",,,,,,,,,,,,,\n"
        f"T-4,P-1001,{_p1001(weight='61')},200 mg,300 mg,\n"
    )
    rows = recheck_orders(text, library).rows
    assert [(row.line, row.order_id, row.status) for row in rows] == [
        (3, "T-1", "ok"),
        (4, "T-2", "differs"),
        (6, "T-3", "error"),
        (8, "T-4", "error"),
    ]
    assert rows[2].error is not None
    assert rows[2].error.startswith("row: has 5 cells, the header has 14")
    assert rows[3].error == "weight: 61 has no unit; expected a weight in kg or g, e.g. '65 kg'"
    assert "increase agreed\non the ward round" in next(
        f.message for f in _line(rows[1], "paclitaxel").flags if f.code == "dose.above_protocol"
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"cycle": ""}, "cycle", "cycle: is required on every row"),
        ({"phase": ""}, "phase", "phase: is required on every row"),
        ({"cycle": "1.5"}, "cycle", "cycle: 1.5 is not a cycle number"),
        ({"cycle": "9"}, "cycle", "cycle: 9 is outside this phase; expected 1–4"),
        ({"phase": "consolidation"}, "phase", "phase: consolidation is not a phase of this regimen"),
        ({"regimen": "escc-unknown"}, "regimen", "regimen: escc-unknown is not in the regimen library"),
        ({"choices": "pd1=sintilimab;chemo"}, "choices", "choices: chemo is not GROUP=OPTION"),
        (
            {"choices": "pd1=sintilimab;pd1=camrelizumab"},
            "choices",
            "choices: pd1=sintilimab;pd1=camrelizumab chooses pd1 twice",
        ),
        ({"choices": "pd1=sintilimab;arm=b"}, "choices", "choices: arm=b names no choice group"),
        ({"height": "5.6 ft"}, "height", "height: 5.6 ft is not accepted: dosing uses metric units only"),
        ({"weight": "61"}, "weight", "weight: 61 has no unit"),
        ({"height": "61 cm", "weight": "168 kg"}, "height", "height: 61 cm is implausible for an adult"),
        ({"height": "150 cm", "weight": "250 kg"}, "weight", "weight: BMI 111.1 is implausible"),
        ({"age": "sixty"}, "age", "age: sixty"),
    ],
)
def test_a_bad_row_names_its_column(library: Library, change: dict[str, str], field: str, message: str) -> None:
    good = f"T-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,"
    text = f"{HEADER}\n{good}\nT-2,P-1001,{_p1001(**change)},200 mg,300 mg,\n{good.replace('T-1', 'T-3')}\n"
    rows = recheck_orders(text, library).rows
    assert [row.status for row in rows] == ["ok", "error", "ok"]
    assert rows[1].line == 3
    assert rows[1].error_field == field
    assert (rows[1].error or "").startswith(message), rows[1].error


POLICY_HEADER = HEADER.replace(",reason", ",renal_method,gfr,max_deviation,dose_level,reference_weight,bsa_formula")


@pytest.mark.parametrize(
    ("policy", "field", "message"),
    [
        ("cockcroft-gault,90 mL/min,,,,", "gfr", "gfr: 90 mL/min needs the renal_method 'measured'"),
        ("guesswork,,,,,", "renal_method", "renal_method: guesswork is not recognised"),
        (",,50%,,,", "max_deviation", "max_deviation: 50% is outside 0–10 %"),
        (",,,one,,", "dose_level", "dose_level: one does not start with a number"),
        (",,,9,,", "dose_level", "dose_level: 9 is outside 0–5"),
        (",,,,-5 kg,", "reference_weight", "reference_weight: -5 kg must be greater than zero"),
        (",,,,,lagrange", "bsa_formula", "bsa_formula: lagrange is not a known BSA formula"),
    ],
)
def test_a_bad_policy_cell_names_its_column(library: Library, policy: str, field: str, message: str) -> None:
    text = f"{POLICY_HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,{policy}\n"
    (order,) = recheck_orders(text, library).rows
    assert order.error_field == field
    assert (order.error or "").startswith(message), order.error


def test_policy_columns_change_the_dose(library: Library) -> None:
    # DuBois: 0.007184 × 168^0.725 × 61^0.425 = 1.6904 m²; 175 × 1.6904 = 295.8 mg → 300 mg.
    dubois = 0.007184 * 168**0.725 * 61**0.425
    text = f"{POLICY_HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,,,,,,dubois\n"
    (order,) = recheck_orders(text, library).rows
    assert _line(order, "paclitaxel").calculated_mg == pytest.approx(175 * dubois)
    # A reference weight of 70 kg: (61 − 70) / 70 = −12.9 %, a change of 10 % or more → weight.changed.
    text = f"{POLICY_HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,,,,,70 kg,\n"
    (order,) = recheck_orders(text, library).rows
    assert _codes(order.order_flags)["weight.changed"] is Severity.WARNING


def test_a_bad_prescribed_cell_is_a_bad_row(library: Library) -> None:
    rows = recheck_orders(
        f"{HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,300 mg/m**2,\nT-2,P-1001,{P1001_INDUCTION},200 mg,300,\n",
        library,
    ).rows
    assert rows[0].error_field == rows[1].error_field == "prescribed:paclitaxel"
    assert rows[0].error is not None
    assert "has the wrong unit" in rows[0].error
    assert rows[1].error is not None
    assert "has no unit" in rows[1].error


def test_a_repeated_order_id_is_flagged(library: Library) -> None:
    good = f"T-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,"
    rows = recheck_orders(f"{HEADER}\n{good}\n{good}\n", library).rows
    assert "batch.duplicate_order_id" not in _codes(rows[0].flags)
    flag = next(f for f in rows[1].order_flags if f.code == "batch.duplicate_order_id")
    assert flag.severity is Severity.WARNING
    assert "also on line 2" in flag.message


def test_an_internal_error_in_one_row_does_not_stop_the_others(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch_module.compute_regimen_order

    def failing(*args: object, **kwargs: object) -> object:
        if args[3] in ("maintenance", "combination"):
            raise ZeroDivisionError("float division by zero")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "compute_regimen_order", failing)
    report = recheck_orders(EXAMPLE.read_text(encoding="utf-8"), library)
    internal = [row.order_id for row in report.rows if row.error_field == "internal"]
    assert internal == ["A-006", "A-007"]
    assert report.totals.errors == 4
    assert _by_id(report)["A-001"].status == "ok"


# ------------------------------------------------------------------------------------------------
# The command line.
# ------------------------------------------------------------------------------------------------


def _read_report_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for spreadsheet programs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_cli_writes_a_csv_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.csv"
    assert main(["order", "--batch", str(EXAMPLE), "--out", str(out)]) == 0  # differences are findings
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Re-checked 12 orders" in captured.out
    assert "6 ok, 4 with differences, 2 with errors" in captured.out
    assert "line 12, order A-011: ERROR creatinine: 80 mg/dL is implausible" in captured.out
    assert f"Report written to {out}" in captured.out

    rows = _read_report_csv(out)
    assert list(rows[0]) == [
        "order_id",
        "line",
        "drug",
        "prescribed",
        "recomputed_final",
        "difference_percent",
        "status",
        "flags",
        "error",
    ]
    by_key = {(r["order_id"], r["drug"]): r for r in rows}
    assert by_key[("A-001", "paclitaxel")] | {"flags": ""} == {
        "order_id": "A-001",
        "line": "2",
        "drug": "paclitaxel",
        "prescribed": "300 mg",
        "recomputed_final": "300 mg",
        "difference_percent": "0",
        "status": "ok",
        "flags": "",
        "error": "",
    }
    irinotecan = by_key[("A-003", "irinotecan")]
    assert (irinotecan["prescribed"], irinotecan["recomputed_final"]) == ("550 mg", "490 mg")
    assert (irinotecan["difference_percent"], irinotecan["status"]) == ("12.24", "differs")
    assert "block:dose.above_protocol" in irinotecan["flags"].split("; ")
    assert by_key[("A-008", "paclitaxel")]["recomputed_final"] == "84.36 mg"  # 50 × 1.68721, kept exact
    fluorouracil = by_key[("A-007", "fluorouracil")]  # 1350 mg a day on days 1–5; 6750 mg is the cycle total
    assert (fluorouracil["prescribed"], fluorouracil["recomputed_final"]) == ("6750 mg", "1350 mg")
    assert "block:dose.per_day_per_cycle_mismatch" in fluorouracil["flags"].split("; ")
    assert by_key[("A-009", "paclitaxel")]["difference_percent"] == "-11.11"
    error = by_key[("A-012", "")]
    assert (error["line"], error["status"]) == ("13", "error")
    assert error["error"].startswith("sex: is required")
    # one row per drug line of each computed order, one per order in error
    assert len(rows) == 2 + 2 + 2 + 2 + 2 + 1 + 3 + 2 + 2 + 2 + 1 + 1
    # the cells parse back with the same parsers as the input
    assert {r["status"] for r in rows} == {"ok", "differs", "error"}


def test_cli_writes_a_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main(["order", "--batch", str(EXAMPLE), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert {k: summary[k] for k in ("orders", "ok", "differences", "errors")} == {
        "orders": 12,
        "ok": 6,
        "differences": 4,
        "errors": 2,
    }
    assert isinstance(summary["blocked"], int)
    assert summary["blocked"] >= 1
    assert [r["line"] for r in summary["rows"] if r["status"] == "error"] == [12, 13]
    assert next(r for r in summary["rows"] if r["order_id"] == "A-003")["differing_drugs"] == ["irinotecan"]

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["batch"] == str(EXAMPLE)
    assert report["tolerance_percent"] == 5.0
    assert report["totals"]["orders"] == 12
    a003 = next(r for r in report["rows"] if r["order_id"] == "A-003")
    assert a003["regimen"] == {"id": REGIMEN, "version": "1.0.0"}
    line = next(item for item in a003["lines"] if item["drug"] == "irinotecan")
    assert line["calculated"]["unit"] == "mg"
    assert line["calculated"]["value"] == pytest.approx(270 * BSA_1003)
    assert (line["final"]["value"], line["prescribed"]["value"]) == (490, 550)
    assert line["difference_percent"] == 12.24
    assert line["within_tolerance"] is False
    a011 = next(r for r in report["rows"] if r["order_id"] == "A-011")
    assert (a011["line"], a011["status"], a011["error_field"]) == (12, "error", "creatinine")


def test_cli_reads_a_file_with_a_byte_order_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marked = tmp_path / "orders.csv"
    marked.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8-sig")
    assert marked.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["order", "--batch", str(marked), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["orders"] == 12
    assert summary["rows"][0]["order_id"] == "A-001"


def test_cli_finds_a_site_regimen(site_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orders = tmp_path / "weekly.csv"
    orders.write_text(_weekly("390 mg"), encoding="utf-8")
    code = main(["order", "--batch", str(orders), "--site-regimens", str(tmp_path / "site"), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"][0]["status"] == "differs"
    assert "block:dose.per_day_per_cycle_mismatch" in summary["rows"][0]["flags"]


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        (["--out", "report.txt"], "out", "report.txt is neither a .csv nor a .json file"),
        (["--regimen", REGIMEN], "regimen", f"{REGIMEN} is not used with --batch"),
        (["--weight", "60 kg"], "weight", "60 kg is not used with --batch"),
    ],
)
def test_cli_usage_errors_exit_2(
    arguments: list[str], field: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["order", "--batch", str(EXAMPLE), *arguments]) == 2
    assert capsys.readouterr().err.startswith(f"{field}: {message}")


def test_cli_file_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.csv"
    assert main(["order", "--batch", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"batch: {missing} does not exist")

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-8").replace("µ".encode(), b"\xb5"))
    assert main(["order", "--batch", str(latin1)]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err

    unknown = tmp_path / "unknown.csv"
    unknown.write_text(EXAMPLE.read_text(encoding="utf-8").replace("reason", "comment", 1), encoding="utf-8")
    assert main(["order", "--batch", str(unknown), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("columns: comment is not a known column (line 1)")
    assert json.loads(captured.out)["error"]["field"] == "columns"

    same = tmp_path / "orders.csv"
    same.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["order", "--batch", str(same), "--out", str(same)]) == 2
    assert capsys.readouterr().err.startswith("out: ")
    assert same.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")  # not overwritten


def test_cli_as_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "dosecalc", "order", "--batch", str(EXAMPLE), "--out", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env=_environment_without_site(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Re-checked 12 orders" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [r["line"] for r in report["rows"] if r["status"] == "error"] == [12, 13]


def _environment_without_site() -> Mapping[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "DOSECALC_SITE_REGIMENS"}


SALVAGE_HEADER = (
    "order_id,patient_id,regimen,phase,cycle,choices,age,sex,height,weight,creatinine,"
    "weight_basis,creatinine_floor,gfr_cap,prescribed:carboplatin"
)
P1001_SALVAGE = _p1001(phase="salvage", choices="rt=45gy-25fx")


def test_renal_policy_columns_reach_carboplatin(library: Library) -> None:
    # P-1001's creatinine 78 µmol/L = 0.88235 mg/dL is below a 1.0 mg/dL floor, so 1.0 is used:
    # CrCl = (140 − 64) × 61 / (72 × 1.0) = 64.39 mL/min; 2 × (64.39 + 25) = 178.78 mg → 180 mg (+0.7 %).
    text = f"{SALVAGE_HEADER}\nS-1,P-1001,{P1001_SALVAGE},actual,1.0 mg/dL,none,180 mg\n"
    (order,) = recheck_orders(text, library).rows
    line = _line(order, "carboplatin")
    assert line.calculated_mg == pytest.approx(2 * ((140 - 64) * 61 / 72 + 25))
    assert (line.final_mg, line.within_tolerance) == (180, True)
    for policy, field in (
        ("heaviest,,,", "weight_basis"),
        (",0.1 mg/dL,,", "creatinine_floor"),
        (",,20 mL/min,", "gfr_cap"),
    ):
        (bad,) = recheck_orders(f"{SALVAGE_HEADER}\nS-2,P-1001,{P1001_SALVAGE},{policy}\n", library).rows
        assert bad.error_field == field, bad.error


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-300 mg", "must be greater than zero"),
        ("0 mg", "must be greater than zero"),
        ("200000 mg", "is outside the range of any antineoplastic dose"),
    ],
)
def test_an_implausible_prescribed_dose_is_a_bad_row(library: Library, cell: str, message: str) -> None:
    (order,) = recheck_orders(f"{HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,{cell},\n", library).rows
    assert order.error_field == "prescribed:paclitaxel"
    assert message in (order.error or "")


def test_odd_but_valid_cells(library: Library) -> None:
    # Stray separators in the choices, and a dose level of 1.0 (a whole number).
    text = (
        "order_id,patient_id,regimen,phase,cycle,choices,age,sex,height,weight,creatinine,dose_level\n"
        f"T-1,P-1001,{_p1001(choices=';pd1=sintilimab;;chemo=paclitaxel;')},1.0\n"
        f"T-2,P-1001,{P1001_INDUCTION},1.5\n"
        f",P-1001,{P1001_INDUCTION},\n"
    )
    ok, half, no_id = recheck_orders(text, library).rows
    assert ok.choices == {"pd1": "sintilimab", "chemo": "paclitaxel"}
    assert _line(ok, "paclitaxel").final_mg == 250  # dose level −1: 150 × 1.68721 = 253.08 → 250 mg
    assert half.error == "dose_level: 1.5 is not a whole number; expected 0 (protocol dose) or a reduction level 1–5"
    assert (no_id.order_id, no_id.error) == ("", "order_id: is required on every row")


def test_malformed_csv_is_an_error_for_the_whole_file(library: Library) -> None:
    huge = "x" * (csv.field_size_limit() + 1)
    with pytest.raises(InputError, match=r"batch: line 2 is not valid CSV"):
        recheck_orders(f'{HEADER}\nT-1,P-1001,{P1001_INDUCTION},200 mg,300 mg,"{huge}"\n', library)


def test_cli_unreadable_and_unwritable_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["order", "--batch", str(tmp_path)]) == 2  # a directory
    assert capsys.readouterr().err.startswith(f"batch: {tmp_path} cannot be read")
    out = tmp_path / "no-such-folder" / "report.csv"
    assert main(["order", "--batch", str(EXAMPLE), "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith(f"out: {out} is in a folder that does not exist")
    folder = tmp_path / "report.csv"
    folder.mkdir()  # a folder named like a report
    assert main(["order", "--batch", str(EXAMPLE), "--out", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(f"out: {folder} cannot be written")
