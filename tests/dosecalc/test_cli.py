"""The ``dosecalc`` command line, run as other tools run it: a real subprocess.

Every command is run in text and in ``--json`` mode against known answers
(clinical-reference known-answers; medication-safety §2 D1–D3, E1, C5). The JSON
contract is checked key by key: each quantity is ``{"value": number, "unit": str}``
and its unit string parses back through pint. A representative set of bad inputs
is also run as a subprocess (exit status 2, one field-named line on stderr, the
JSON error object, never a traceback); the full bad-input matrix runs in-process
in ``test_bad_input.py`` to keep this suite fast.
"""

from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dosecalc.units import ureg

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


@functools.cache
def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m dosecalc ARGS`` (cached: the same command is run once per session)."""
    return subprocess.run(
        [sys.executable, "-m", "dosecalc", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=ENV,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def ok_json(*args: str) -> dict[str, Any]:
    """Run a command with ``--json``; it must succeed quietly and print one JSON object."""
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    return payload


def ok_text(*args: str) -> str:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    assert result.stdout.strip()
    return result.stdout


def magnitude(quantity: Any, unit: str) -> float:
    """A JSON quantity's value in ``unit``; fails unless it is a well-formed, parseable quantity."""
    assert_quantity(quantity)
    return float(ureg.Quantity(quantity["value"], quantity["unit"]).m_as(unit))


def assert_quantity(quantity: Any) -> None:
    assert isinstance(quantity, dict), quantity
    assert set(quantity) == {"value", "unit"}, quantity
    value, unit = quantity["value"], quantity["unit"]
    assert isinstance(value, int | float), quantity
    assert not isinstance(value, bool), quantity
    assert math.isfinite(value), quantity
    assert isinstance(unit, str), quantity
    assert unit, quantity
    ureg.Quantity(1, unit)  # the unit string round-trips through pint


def quantities(node: Any) -> list[dict[str, Any]]:
    """Every ``{"value", "unit"}`` object anywhere in a payload."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if set(node) == {"value", "unit"}:
            found.append(node)
        else:
            for child in node.values():
                found.extend(quantities(child))
    elif isinstance(node, list):
        for child in node:
            found.extend(quantities(child))
    return found


def assert_common(payload: dict[str, Any]) -> None:
    """derivation: readable lines; warnings: items with code, severity and message; every unit parses."""
    derivation = payload["derivation"]
    assert isinstance(derivation, list)
    assert derivation
    assert all(isinstance(line, str) and line.strip() for line in derivation)
    warnings = payload["warnings"]
    assert isinstance(warnings, list)
    for warning in warnings:
        assert isinstance(warning, dict)
        assert isinstance(warning["code"], str)
        assert warning["code"]
        assert warning["severity"] in {"block", "warning", "info"}
        assert isinstance(warning["message"], str)
        assert warning["message"]
    for quantity in quantities(payload):
        assert_quantity(quantity)


def warning_codes(payload: dict[str, Any]) -> dict[str, str]:
    return {w["code"]: w["severity"] for w in payload["warnings"]}


# --------------------------------------------------------------------------- commands and contract


BSA_ARGS = ("bsa", "--height", "175 cm", "--weight", "70 kg")
CG_ARGS = ("renal", "--age", "65", "--sex", "male", "--weight", "70 kg", "--creatinine", "1.4 mg/dL")
CKD_ARGS = ("renal", "--age", "50", "--sex", "male", "--creatinine", "1.0 mg/dL", "--method", "ckd-epi-2021")
CKD_BSA_ARGS = (*CKD_ARGS, "--height", "180 cm", "--weight", "85 kg")
CARBO_ARGS = ("carboplatin", "--auc", "6", "--gfr", "140 mL/min")
DOSE_ARGS = ("dose", "--dose", "563 mg", "--round-step", "50 mg", "--days", "5")
EQD2_ARGS = ("eqd2", "--alpha-beta", "2 Gy", "--course", "45 Gy", "30", "--course", "30 Gy", "28")

QUANTITY = "quantity"
OPTIONAL_QUANTITY = "quantity or null"
OPTIONAL_NUMBER = "number or null"
NUMBER = "number"
BOOL = "bool"
COURSES = "courses"
TOTAL = "total"

#: the contract's required keys per command, and the shape of each
REQUIRED_KEYS: dict[tuple[str, ...], dict[str, str]] = {
    BSA_ARGS: {"bsa": QUANTITY},
    CG_ARGS: {
        "clearance": OPTIONAL_QUANTITY,
        "egfr_indexed": OPTIONAL_NUMBER,
        "weight_used": OPTIONAL_QUANTITY,
        "creatinine_used": QUANTITY,
    },
    CKD_BSA_ARGS: {
        "clearance": OPTIONAL_QUANTITY,
        "egfr_indexed": OPTIONAL_NUMBER,
        "weight_used": OPTIONAL_QUANTITY,
        "creatinine_used": QUANTITY,
    },
    CARBO_ARGS: {"dose": QUANTITY, "gfr_used": QUANTITY, "gfr_capped": BOOL},
    DOSE_ARGS: {"calculated": QUANTITY, "final": QUANTITY, "per_cycle": QUANTITY, "deviation_percent": NUMBER},
    EQD2_ARGS: {"courses": COURSES, "total": TOTAL},
}


def assert_shape(value: Any, shape: str) -> None:
    if shape == QUANTITY:
        assert_quantity(value)
    elif shape == OPTIONAL_QUANTITY:
        if value is not None:
            assert_quantity(value)
    elif shape in (NUMBER, OPTIONAL_NUMBER):
        if value is None and shape == OPTIONAL_NUMBER:
            return
        assert isinstance(value, int | float), value
        assert not isinstance(value, bool), value
        assert math.isfinite(value), value
    elif shape == BOOL:
        assert isinstance(value, bool), value
    elif shape == COURSES:
        assert isinstance(value, list), value
        assert value
        for course in value:
            assert_quantity(course["eqd2"])
            assert_quantity(course["bed"])
    else:
        assert shape == TOTAL
        assert_quantity(value["eqd2"])
        assert_quantity(value["bed"])


@pytest.mark.parametrize("args", list(REQUIRED_KEYS), ids=lambda a: " ".join(a[:3]))
def test_json_has_the_contract_keys_and_well_formed_quantities(args: tuple[str, ...]) -> None:
    payload = ok_json(*args)
    shapes = REQUIRED_KEYS[args]
    assert set(shapes) | {"derivation", "warnings"} <= set(payload)
    for key, shape in shapes.items():
        assert_shape(payload[key], shape)
    assert_common(payload)


@pytest.mark.parametrize("args", list(REQUIRED_KEYS), ids=lambda a: " ".join(a[:3]))
def test_text_mode_shows_the_same_derivation_readably(args: tuple[str, ...]) -> None:
    text = ok_text(*args)
    payload = ok_json(*args)
    assert not text.lstrip().startswith("{")
    for line in payload["derivation"]:
        assert line in text
    for warning in payload["warnings"]:
        assert warning["message"] in text


# --------------------------------------------------------------------------- BSA


def test_bsa_mosteller_known_answer() -> None:
    payload = ok_json(*BSA_ARGS)
    assert magnitude(payload["bsa"], "m**2") == pytest.approx(1.8447, abs=5e-5)
    assert payload["warnings"] == []
    assert any("Mosteller" in line for line in payload["derivation"])


def test_bsa_text_mode() -> None:
    text = ok_text(*BSA_ARGS)
    assert "BSA: 1.84 m²" in text
    assert "Mosteller" in text
    assert "√(175 cm × 70 kg / 3600)" in text


def test_bsa_other_formula_is_named_and_used() -> None:
    payload = ok_json("bsa", "--height", "170 cm", "--weight", "65 kg", "--formula", "dubois")
    # DuBois & DuBois: 0.007184 × 170^0.725 × 65^0.425 = 1.754 m² (calculatorlib.com)
    assert magnitude(payload["bsa"], "m**2") == pytest.approx(0.007184 * 170**0.725 * 65**0.425, rel=1e-9)
    assert magnitude(payload["bsa"], "m**2") == pytest.approx(1.754, abs=5e-4)
    assert any("DuBois" in line for line in payload["derivation"])


# --------------------------------------------------------------------------- renal


def test_renal_cockcroft_gault_known_answer() -> None:
    payload = ok_json(*CG_ARGS)
    assert magnitude(payload["clearance"], "mL/min") == pytest.approx(52.08, abs=0.005)
    assert payload["egfr_indexed"] is None
    assert magnitude(payload["weight_used"], "kg") == pytest.approx(70)
    assert magnitude(payload["creatinine_used"], "mg/dL") == pytest.approx(1.4)


def test_renal_cockcroft_gault_text_mode() -> None:
    text = ok_text(*CG_ARGS)
    assert "Creatinine clearance: 52.1 mL/min" in text
    assert "Cockcroft–Gault" in text


def test_renal_ckd_epi_indexed_only_without_height_and_weight() -> None:
    payload = ok_json(*CKD_ARGS)
    assert payload["egfr_indexed"] == pytest.approx(91.69, abs=0.005)
    assert isinstance(payload["egfr_indexed"], float)
    assert payload["clearance"] is None
    assert magnitude(payload["creatinine_used"], "mg/dL") == pytest.approx(1.0)
    assert "egfr.indexed_only" in warning_codes(payload)


def test_renal_ckd_epi_deindexed_with_height_and_weight() -> None:
    payload = ok_json(*CKD_BSA_ARGS)
    assert payload["egfr_indexed"] == pytest.approx(91.69, abs=0.005)
    assert magnitude(payload["clearance"], "mL/min") == pytest.approx(109.26, abs=0.005)
    assert "egfr.indexed_only" not in warning_codes(payload)


def test_renal_ckd_epi_text_mode() -> None:
    text = ok_text(*CKD_BSA_ARGS)
    assert "eGFR (indexed): 91.7 mL/min/1.73 m²" in text
    assert "eGFR (de-indexed): 109.3 mL/min" in text


# --------------------------------------------------------------------------- carboplatin


def test_carboplatin_auc5_gfr90_is_575_mg_not_capped() -> None:
    payload = ok_json("carboplatin", "--auc", "5", "--gfr", "90 mL/min")
    assert magnitude(payload["dose"], "mg") == pytest.approx(575)
    assert magnitude(payload["gfr_used"], "mL/min") == pytest.approx(90)
    assert payload["gfr_capped"] is False
    assert "carboplatin.gfr_capped" not in warning_codes(payload)


def test_carboplatin_auc6_gfr140_is_900_mg_capped() -> None:
    payload = ok_json(*CARBO_ARGS)
    assert magnitude(payload["dose"], "mg") == pytest.approx(900)
    assert magnitude(payload["gfr_used"], "mL/min") == pytest.approx(125)
    assert payload["gfr_capped"] is True
    assert warning_codes(payload)["carboplatin.gfr_capped"] == "warning"


def test_carboplatin_text_mode_says_capped() -> None:
    text = ok_text(*CARBO_ARGS)
    assert "Carboplatin dose: 900 mg (GFR capped)" in text
    assert "WARNING: GFR 140 mL/min capped at 125 mL/min" in text


CG_HIGH = ("--age", "55", "--sex", "male", "--weight", "80 kg", "--creatinine", "0.6 mg/dL")


def test_carboplatin_from_cockcroft_gault_is_capped_at_750_mg() -> None:
    payload = ok_json("carboplatin", "--auc", "5", *CG_HIGH)
    # CrCl = (140 − 55) × 80 / (72 × 0.6) = 157.4 mL/min → capped at 125 → 5 × (125 + 25) = 750 mg
    assert magnitude(payload["dose"], "mg") == pytest.approx(750)
    assert magnitude(payload["gfr_used"], "mL/min") == pytest.approx(125)
    assert payload["gfr_capped"] is True
    assert magnitude(payload["renal"]["clearance"], "mL/min") == pytest.approx(157.41, abs=0.005)
    assert warning_codes(payload)["carboplatin.gfr_capped"] == "warning"


def test_carboplatin_gfr_cap_none_is_uncapped_with_a_warning() -> None:
    payload = ok_json("carboplatin", "--auc", "5", *CG_HIGH, "--gfr-cap", "none")
    assert magnitude(payload["dose"], "mg") == pytest.approx(5 * (85 * 80 / (72 * 0.6) + 25), rel=1e-9)
    assert magnitude(payload["dose"], "mg") == pytest.approx(912.04, abs=0.005)
    assert payload["gfr_capped"] is False
    # An estimated GFR without the FDA cap is a warning, not a note.
    assert warning_codes(payload)["carboplatin.no_gfr_cap"] == "warning"


def test_carboplatin_gfr_cap_none_with_a_given_gfr_notes_it() -> None:
    payload = ok_json("carboplatin", "--auc", "5", "--gfr", "140 mL/min", "--gfr-cap", "none")
    assert magnitude(payload["dose"], "mg") == pytest.approx(825)
    assert payload["gfr_capped"] is False
    assert "carboplatin.no_gfr_cap" in warning_codes(payload)


# --------------------------------------------------------------------------- dose


def test_dose_per_m2_with_a_given_bsa_is_322_8_mg() -> None:
    payload = ok_json("dose", "--dose", "175 mg/m**2", "--bsa", "1.8447 m**2")
    assert magnitude(payload["calculated"], "mg") == pytest.approx(322.8, abs=0.05)
    assert magnitude(payload["final"], "mg") == pytest.approx(322.8225)
    assert magnitude(payload["per_cycle"], "mg") == pytest.approx(322.8225)
    assert payload["deviation_percent"] == 0


def test_dose_rounding_563_mg_to_550_mg() -> None:
    payload = ok_json(*DOSE_ARGS)
    # known-answers round-carbo-5pct-03: 563 mg to a 50 mg step within 5 % → 550 mg (−2.31 %)
    assert magnitude(payload["calculated"], "mg") == pytest.approx(563)
    assert magnitude(payload["final"], "mg") == pytest.approx(550)
    assert payload["deviation_percent"] == pytest.approx(-2.31)
    assert isinstance(payload["deviation_percent"], float)


def test_dose_days_per_cycle_is_days_times_final() -> None:
    payload = ok_json(*DOSE_ARGS)
    final = magnitude(payload["final"], "mg")
    assert magnitude(payload["per_cycle"], "mg") == pytest.approx(5 * final)
    assert magnitude(payload["per_cycle"], "mg") == pytest.approx(2750)


def test_dose_days_with_a_per_m2_dose() -> None:
    payload = ok_json("dose", "--dose", "175 mg/m**2", "--bsa", "1.8447 m**2", "--round-step", "10 mg", "--days", "5")
    assert magnitude(payload["final"], "mg") == pytest.approx(320)
    assert magnitude(payload["per_cycle"], "mg") == pytest.approx(1600)
    assert payload["deviation_percent"] == pytest.approx(-0.87)


def test_dose_text_mode_labels_calculated_final_and_per_cycle() -> None:
    text = ok_text(*DOSE_ARGS)
    assert "Calculated dose: 563 mg" in text
    assert "DOSE (final): 550 mg" in text
    assert "2.31 % difference" in text
    assert "Per cycle: 2,750 mg (5 days)" in text


def test_dose_per_kg_and_from_height_and_weight() -> None:
    per_kg = ok_json("dose", "--dose", "3 mg/kg", "--weight", "70 kg")
    assert magnitude(per_kg["calculated"], "mg") == pytest.approx(210)
    per_m2 = ok_json("dose", "--dose", "75 mg/m**2", "--height", "175 cm", "--weight", "70 kg")
    assert magnitude(per_m2["calculated"], "mg") == pytest.approx(75 * math.sqrt(175 * 70 / 3600))
    assert_common(per_m2)


# --------------------------------------------------------------------------- EQD2


def test_eqd2_single_course_at_alpha_beta_10() -> None:
    payload = ok_json("eqd2", "--alpha-beta", "10 Gy", "--dose", "50 Gy", "--fractions", "25")
    assert_common(payload)
    [course] = payload["courses"]
    assert magnitude(course["eqd2"], "Gy") == pytest.approx(50)
    assert magnitude(course["bed"], "Gy") == pytest.approx(60)
    assert magnitude(payload["total"]["eqd2"], "Gy") == pytest.approx(50)
    assert magnitude(payload["total"]["bed"], "Gy") == pytest.approx(60)


def test_eqd2_cord_courses_sum_to_bed_124_82() -> None:
    payload = ok_json(*EQD2_ARGS)
    first, second = payload["courses"]
    assert magnitude(first["bed"], "Gy") == pytest.approx(78.75)
    assert magnitude(first["eqd2"], "Gy") == pytest.approx(39.375)
    assert magnitude(second["bed"], "Gy") == pytest.approx(46.07, abs=0.005)
    assert magnitude(payload["total"]["bed"], "Gy") == pytest.approx(124.82, abs=0.005)
    assert magnitude(payload["total"]["eqd2"], "Gy") == pytest.approx(62.41, abs=0.005)


def test_eqd2_text_mode() -> None:
    text = ok_text(*EQD2_ARGS)
    assert "Total BED: 124.82 Gy (α/β 2 Gy)" in text
    assert "Total EQD2: 62.41 Gy (α/β 2 Gy)" in text


# --------------------------------------------------------------------------- help, version, demo


def test_help_exits_0() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("bsa", "renal", "carboplatin", "dose", "eqd2", "demo"):
        assert command in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_console_script_demo_exits_0() -> None:
    script = Path(sys.executable).with_name("dosecalc")
    if not script.exists():  # pragma: no cover - the venv always installs it
        pytest.skip("dosecalc console script not installed next to the interpreter")
    result = subprocess.run(
        [str(script), "demo"], capture_output=True, text=True, encoding="utf-8", env=ENV, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "DEMONSTRATION ORDER" in result.stdout
    assert "CARBOplatin" in result.stdout


def test_demo_json() -> None:
    payload = ok_json("demo")
    assert payload["demo"] is True
    assert_common(payload)
    assert payload["doses"]
    assert magnitude(payload["carboplatin"]["dose"], "mg") > 0


# --------------------------------------------------------------------------- bad input, as a subprocess

BAD = [
    # (argv, field, text the message must contain)
    (["bsa", "--height", "1.7 cm", "--weight", "70 kg"], "height", "did you mean 1.7 m"),
    (["bsa", "--height", "175 cm", "--weight", "150 lb"], "weight", "metric"),
    (["bsa", "--height", "175 cm", "--weight", "65 g"], "weight", "did you mean 65 kg"),
    (
        ["renal", "--age", "65", "--sex", "male", "--weight", "70 kg", "--creatinine", "80 mg/dL"],
        "creatinine",
        "µmol/L",
    ),
    (["renal", "--age", "65", "--weight", "70 kg", "--creatinine", "1.4 mg/dL"], "sex", "required"),
    (["renal", "--age", "17", "--sex", "male", "--weight", "70 kg", "--creatinine", "1 mg/dL"], "age", "18"),
    (["carboplatin", "--auc", "60", "--gfr", "90 mL/min"], "auc", "1–10"),
    (["carboplatin", "--auc", "5", "--gfr", "90 mL/min", "--age", "65"], "gfr", "--age"),
    (["dose", "--dose", "1,250 mg"], "dose", "comma"),
    (["dose", "--dose", "75 mg/m**2", "--bsa", "1.8 m**2", "--height", "170 cm"], "height", "--bsa"),
    (["dose", "--dose", "75 mg/m**2", "--bsa", "1.8 m**2", "--reason", "neutropenia"], "reason", "--modify"),
    (["eqd2", "--alpha-beta", "10", "--dose", "50 Gy", "--fractions", "25"], "alpha-beta", "no unit"),
    (["bsa", "--height", "NaN", "--weight", "70 kg"], "height", "finite"),
    (["bsa", "--height", "-inf", "--weight", "70 kg"], "height", "finite"),  # a value starting with "-"
    (["bsa", "--height", "175 cm", "--weight", "70 kg", "--bogus", "1"], "bogus", "unrecognized"),
]


def check_bad(result: subprocess.CompletedProcess[str], field: str, needle: str) -> str:
    """Exit status 2, exactly one line on stderr starting with the field name, never a traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"{field}: ")
    assert needle in line
    return line


@pytest.mark.parametrize(("argv", "field", "needle"), BAD, ids=[f"{c[1]}-{i}" for i, c in enumerate(BAD)])
def test_bad_input_subprocess_json(argv: list[str], field: str, needle: str) -> None:
    result = run(*argv, "--json")
    line = check_bad(result, field, needle)
    payload = json.loads(result.stdout)
    assert set(payload) == {"error"}
    assert payload["error"]["field"] == field
    assert isinstance(payload["error"]["message"], str)
    assert payload["error"]["message"] == line


@pytest.mark.parametrize(("argv", "field", "needle"), BAD[:5], ids=[f"{c[1]}-{i}" for i, c in enumerate(BAD[:5])])
def test_bad_input_subprocess_text(argv: list[str], field: str, needle: str) -> None:
    result = run(*argv)
    check_bad(result, field, needle)
    assert result.stdout == ""


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("arguments: ")
    assert "Traceback" not in result.stderr
