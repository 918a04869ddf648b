"""Bad input to every user field of the command line, run in-process through ``dosecalc.cli.main``.

The contract (medication-safety §2 B1–B6, §3 #1–11, #35): invalid input ends
with exit status 2 and exactly one line on stderr, ``<field>: <what is wrong>;
expected <what is expected>``; with ``--json`` stdout is also
``{"error": {"field": <field>, "message": <str>}}``; a traceback never reaches the
user. Each field gets empty text, text, NaN, ±infinity, negative, zero, a bare
number where a unit is needed, a wrong unit, imperial units, comma decimals,
unit slips and out-of-range values, in text and in JSON mode.

The plausibility edges are read from ``DEFAULT_LIMITS``; the warn tier is
checked in the JSON ``warnings`` list. ``main`` returns the exit code and never
raises, so no subprocess is needed here (``test_cli.py`` covers the real process).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from dosecalc.cli import main
from dosecalc.settings import DEFAULT_LIMITS, Range

LIMITS = DEFAULT_LIMITS


@dataclass(frozen=True)
class Case:
    """One bad command line: the fields its error may name and a text the message must contain."""

    argv: tuple[str, ...]
    fields: tuple[str, ...]
    needle: str = ""


def opt(name: str, value: str) -> list[str]:
    """``--name value``; ``--name=value`` when the value starts with '-' (argparse would take it for an option)."""
    return [f"--{name}={value}"] if value.startswith("-") else [f"--{name}", value]


def invoke(capsys: pytest.CaptureFixture[str], argv: list[str] | tuple[str, ...]) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(
    capsys: pytest.CaptureFixture[str], argv: list[str] | tuple[str, ...], fields: tuple[str, ...], needle: str = ""
) -> str:
    """Exit 2, one stderr line ``<field>: ...`` naming one of ``fields``; with --json the error object too."""
    as_json = "--json" in argv
    code, out, err = invoke(capsys, argv)
    assert "Traceback" not in out + err
    assert code == 2, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.strip()
    assert any(line.startswith(f"{field}: ") for field in fields), (fields, line)
    assert needle in line, (needle, line)
    assert "; expected " in line, line  # what is wrong, then what is expected
    if as_json:
        payload = json.loads(out)
        assert set(payload) == {"error"}
        error = payload["error"]
        assert isinstance(error, dict)
        assert error["field"] in fields
        assert line.startswith(f"{error['field']}: ")
        assert isinstance(error["message"], str)
        assert error["message"].strip()
        assert error["message"] == line
    else:
        assert out == ""
    return line


def run_ok(capsys: pytest.CaptureFixture[str], argv: list[str] | tuple[str, ...]) -> dict[str, Any]:
    code, out, err = invoke(capsys, [*argv, "--json"])
    assert "Traceback" not in out + err
    assert code == 0, err
    assert err == ""
    payload = json.loads(out)
    for warning in payload["warnings"]:
        assert isinstance(warning["code"], str)
        assert warning["code"]
        assert warning["severity"] in {"block", "warning", "info"}
        assert isinstance(warning["message"], str)
        assert warning["message"]
    return payload


def codes(payload: dict[str, Any]) -> dict[str, str]:
    return {w["code"]: w["severity"] for w in payload["warnings"]}


# --------------------------------------------------------------------------- the matrix

RENAL = ["renal", "--age", "65", "--sex", "male", "--weight", "70 kg", "--creatinine", "1 mg/dL"]
DOSE = ["dose", "--dose", "75 mg/m**2", "--bsa", "1.8 m**2"]

#: option name -> (the rest of a valid command line, the field names its errors may carry)
BASES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "height": (["bsa", "--weight", "70 kg"], ("height",)),
    "weight": (["bsa", "--height", "175 cm"], ("weight",)),
    "creatinine": (RENAL[:-2], ("creatinine",)),
    "age": (["renal", "--sex", "male", "--weight", "70 kg", "--creatinine", "1 mg/dL"], ("age",)),
    "sex": (["renal", "--age", "65", "--weight", "70 kg", "--creatinine", "1 mg/dL"], ("sex",)),
    "bsa": (["dose", "--dose", "75 mg/m**2"], ("bsa",)),
    "dose": (["dose", "--bsa", "1.8 m**2"], ("dose",)),
    "auc": (["carboplatin", "--gfr", "90 mL/min"], ("auc",)),
    "gfr": (["carboplatin", "--auc", "5"], ("gfr",)),
    "gfr-cap": (["carboplatin", "--auc", "5", "--gfr", "90 mL/min"], ("gfr-cap",)),
    "bsa-cap": (DOSE, ("bsa-cap",)),
    "creatinine-floor": (RENAL, ("creatinine-floor",)),
    "round-step": (DOSE, ("round-step",)),
    "max-deviation": ([*DOSE, "--round-step", "10 mg"], ("max-deviation",)),
    "days": (DOSE, ("days",)),
    "alpha-beta": (["eqd2", "--dose", "50 Gy", "--fractions", "25"], ("alpha-beta",)),
    # The eqd2 single-course fields are currently named 'dose dose' and 'dose fractions'
    # (see test_eqd2_single_course_error_fields_follow_the_contract); both spellings pass here.
    "eqd2-dose": (["eqd2", "--alpha-beta", "10 Gy", "--fractions", "25"], ("dose", "dose dose")),
    "fractions": (["eqd2", "--alpha-beta", "10 Gy", "--dose", "50 Gy"], ("fractions", "dose fractions")),
    "formula": (["bsa", "--height", "175 cm", "--weight", "70 kg"], ("formula",)),
    "method": (RENAL, ("method",)),
    "weight-basis": (RENAL, ("weight-basis",)),
}

COMMON = [("empty", "", "empty"), ("text", "abc", ""), ("nan", "NaN", "finite"), ("inf", "inf", "finite")]
COMMON += [("-inf", "-inf", "finite")]
ENUM = [("empty", "", ""), ("text", "abc", "expected"), ("nan", "NaN", ""), ("inf", "inf", ""), ("-inf", "-inf", "")]
ENUM += [("negative", "-1", ""), ("zero", "0", ""), ("quantity", "170 cm", "")]

#: option name -> [(category, value, text the message must contain)]; a 4th item is pytest marks
ROWS: dict[str, list[tuple[Any, ...]]] = {
    "height": [
        *COMMON,
        ("negative", "-170 cm", "greater than zero"),
        ("zero", "0 cm", "greater than zero"),
        ("missing-unit", "170", "no unit"),
        ("wrong-unit", "170 kg", "wrong unit"),
        ("imperial-in", "67 in", "metric"),
        ("imperial-ft", "5 ft", "metric"),
        ("comma", "1,7 m", "comma"),
        ("slip-m-as-cm", "1.7 cm", "did you mean 1.7 m?"),
        ("slip-mm-as-cm", "1700 cm", "(170 cm)"),
        ("swapped-70cm", "70 cm", "implausible"),
        ("too-tall", "300 cm", "implausible"),
        ("huge", "1e30 cm", "implausible"),
    ],
    "weight": [
        *COMMON,
        ("negative", "-70 kg", "greater than zero"),
        ("zero", "0 kg", "greater than zero"),
        ("missing-unit", "70", "no unit"),
        ("wrong-unit", "70 cm", "wrong unit"),
        ("imperial-lb", "150 lb", "metric"),
        ("imperial-oz", "2400 oz", "metric"),
        ("imperial-stone", "10 stone", "metric"),
        ("comma-decimal", "70,5 kg", "comma"),
        ("comma-thousands", "1,250 g", "comma"),
        ("slip-700kg", "700 kg", "misplaced decimal point"),
        ("slip-7.2kg", "7.2 kg", "misplaced decimal point"),
        ("slip-g-as-kg", "65 g", "did you mean 65 kg?"),
        ("huge", "1e30 kg", "implausible"),
    ],
    "creatinine": [
        *COMMON,
        ("negative", "-1.4 mg/dL", "greater than zero"),
        ("zero", "0 mg/dL", "greater than zero"),
        ("missing-unit", "1.4", "no unit"),
        ("wrong-unit", "1.4 mg", "wrong unit"),
        ("imperial", "0.01 grain/dL", "metric"),
        ("comma", "1,4 mg/dL", "comma"),
        ("slip-umol-as-mgdl", "80 mg/dL", "did you mean 80 µmol/L?"),
        ("slip-mgdl-as-umol", "0.9 µmol/L", "did you mean 0.9 mg/dL?"),
        ("slip-mgdl-as-umol-ascii", "0.9 umol/L", "did you mean 0.9 mg/dL?"),
        ("too-high-umol", "5000 µmol/L", "implausible"),
        ("huge", "1e30 mg/dL", "implausible"),
    ],
    "age": [
        *COMMON,
        ("negative", "-5", "greater than zero"),
        ("zero", "0", "greater than zero"),
        ("with-unit", "65 years", "not a number"),
        ("wrong-unit", "65 kg", "not a number"),
        ("comma", "65,5", "comma"),
        ("child-17", "17", "adult"),
        ("over-121", "121", "implausible"),
        ("huge", "1e30", "implausible"),
    ],
    "sex": [*ENUM, ("typo", "mal", "female or male")],
    "bsa": [
        *COMMON,
        ("negative", "-1.8 m**2", "greater than zero"),
        ("zero", "0 m**2", "greater than zero"),
        ("missing-unit", "1.8", "no unit"),
        ("wrong-unit-kg", "1.8 kg", "wrong unit"),
        ("wrong-unit-m", "1.8 m", "wrong unit"),
        ("imperial-ft2", "19 ft**2", "metric"),
        ("imperial-in2", "2800 in**2", "metric"),
        ("comma", "1,8 m**2", "comma"),
        ("too-large", "18 m**2", "implausible"),
        ("too-small", "0.4 m**2", "implausible"),
        ("huge", "1e30 m**2", "implausible"),
    ],
    "dose": [
        *COMMON,
        ("negative", "-75 mg/m**2", "greater than zero"),
        ("zero", "0 mg/m**2", "greater than zero"),
        ("missing-unit", "75", "no unit"),
        ("wrong-unit-gy", "75 Gy", "wrong unit"),
        ("wrong-unit-ml", "75 mL", "wrong unit"),
        ("imperial-ft2", "75 mg/ft**2", "metric"),
        ("imperial-lb", "3 mg/lb", "metric"),
        ("comma-thousands", "1,250 mg", "comma"),
        ("comma-decimal", "1,5 g/m**2", "comma"),
        ("out-of-range", "75000 mg/m**2", "outside"),
        ("huge", "1e30 mg", "outside"),
    ],
    "auc": [
        *COMMON,
        ("negative", "-5", "greater than zero"),
        ("zero", "0", "greater than zero"),
        ("wrong-unit", "5 mg", "wrong unit"),  # "5 mg/mL·min" is accepted: see test_valid_spellings
        ("comma", "5,5", "comma"),
        ("low-0.5", "0.5", "1–10"),
        ("high-11", "11", "1–10"),
        ("typo-60", "60", "1–10"),
        ("huge", "1e30", "1–10"),
    ],
    "gfr": [
        *COMMON,
        ("negative", "-90 mL/min", "greater than zero"),
        ("zero", "0 mL/min", "greater than zero"),
        ("missing-unit", "90", "no unit"),
        ("wrong-unit", "90 mg/dL", "wrong unit"),
        ("indexed", "90 mL/min/std_bsa", "wrong unit"),
        ("indexed-as-typed", "90 mL/min/1.73 m²", "unit"),
        ("imperial-volume", "3 floz/min", ""),
        ("comma", "1,5 mL/min", "comma"),
        ("too-high", "900 mL/min", "implausible"),
        ("huge", "1e30 mL/min", "implausible"),
    ],
    "gfr-cap": [
        *COMMON,
        ("negative", "-125 mL/min", ""),
        ("zero", "0 mL/min", ""),
        ("missing-unit", "125", "no unit"),
        ("wrong-unit", "125 mg", "wrong unit"),
        ("comma", "1,25 mL/min", "comma"),
        ("too-high", "500 mL/min", "outside"),
        ("huge", "1e30 mL/min", "outside"),
    ],
    "bsa-cap": [
        *COMMON,
        ("negative", "-2 m**2", ""),
        ("zero", "0 m**2", ""),
        ("missing-unit", "2", "no unit"),
        ("wrong-unit", "2 kg", "wrong unit"),
        ("imperial", "20 ft**2", "metric"),
        ("comma", "2,0 m**2", "comma"),
        ("too-high", "20 m**2", "outside"),
        ("huge", "1e30 m**2", "outside"),
    ],
    "creatinine-floor": [
        *COMMON,
        ("negative", "-0.7 mg/dL", ""),
        ("zero", "0 mg/dL", ""),
        ("missing-unit", "0.7", "no unit"),
        ("wrong-unit", "0.7 kg", "wrong unit"),
        ("imperial", "0.01 grain/dL", "metric"),
        ("comma", "0,7 mg/dL", "comma"),
        ("too-high", "3 mg/dL", "outside"),
        ("huge", "1e30 mg/dL", "outside"),
    ],
    "round-step": [
        *COMMON,
        ("negative", "-10 mg", "greater than zero"),
        ("zero", "0 mg", "greater than zero"),
        ("missing-unit", "10", "no unit"),
        ("wrong-unit", "10 mL", "wrong unit"),
        ("imperial-grain", "1 grain", "metric"),
        ("imperial-oz", "0.5 oz", "metric"),
        ("comma-decimal", "1,5 mg", "comma"),
        ("comma-thousands", "2,500 mg", "comma"),
        ("huge", "1e30 mg", ""),
        ("tiny", "1e-300 mg", ""),
    ],
    "max-deviation": [
        ("empty", "", "% sign"),
        ("text", "abc", "% sign"),
        ("nan", "NaN%", "finite"),
        ("inf", "inf%", "finite"),
        ("-inf", "-inf%", "finite"),
        ("negative", "-5%", "0–10 %"),
        ("missing-unit", "5", "% sign"),
        ("fraction", "0.05", "% sign"),
        ("wrong-unit", "5 mg", "% sign"),
        ("comma", "2,5%", "comma"),
        ("too-high", "11%", "0–10 %"),
        ("huge", "1e30%", "0–10 %"),
    ],
    "days": [
        *COMMON,
        ("negative", "-1", "1–31"),
        ("zero", "0", "1–31"),
        ("fraction", "1.5", "whole number"),
        ("too-many", "32", "1–31"),
        ("with-unit", "5 days", "not a number"),
        ("comma", "1,5", "comma"),
        ("huge", "1e30", "1–31"),
    ],
    "alpha-beta": [
        *COMMON,
        ("negative", "-10 Gy", "greater than zero"),
        ("zero", "0 Gy", "greater than zero"),
        ("missing-unit", "10", "no unit"),
        ("wrong-unit", "10 mg", "wrong unit"),
        ("non-si", "10 rad", "wrong unit"),
        ("comma", "1,5 Gy", "comma"),
        ("too-high", "100 Gy", "outside"),
        ("too-low", "0.1 Gy", "outside"),
        ("huge", "1e30 Gy", "outside"),
    ],
    "eqd2-dose": [
        *COMMON,
        ("negative", "-50 Gy", "greater than zero"),
        ("zero", "0 Gy", "greater than zero"),
        ("missing-unit", "50", "no unit"),
        ("wrong-unit", "50 mg", "wrong unit"),
        ("comma", "5,0 Gy", "comma"),
        ("too-high", "500 Gy", "implausible"),
        ("huge", "1e30 Gy", "implausible"),
    ],
    "fractions": [
        *COMMON,
        ("negative", "-25", "whole number of fractions"),
        ("zero", "0", "whole number of fractions"),
        ("fraction", "25.5", "whole number of fractions"),
        ("with-unit", "25 fx", "not a number"),
        ("wrong-unit", "25 Gy", "not a number"),
        ("comma", "2,5", "comma"),
        ("too-many", "1000", "whole number of fractions"),
        ("per-fraction-too-large", "1", "per fraction"),
        ("huge", "1e30", "whole number of fractions"),
    ],
    "formula": [*ENUM, ("typo", "mostelller", "mosteller | dubois")],
    "method": [*ENUM, ("measured", "measured", "carboplatin --gfr")],
    "weight-basis": [*ENUM, ("typo", "ideel", "actual | ideal")],
}

OPTION = {"eqd2-dose": "dose"}  # matrix key -> command-line option, where they differ


def _matrix() -> list[Any]:
    params = []
    for key, rows in ROWS.items():
        base, fields = BASES[key]
        for row in rows:
            category, value, needle = row[:3]
            marks = row[3:] if len(row) > 3 else ()
            case = Case((*base, *opt(OPTION.get(key, key), value)), fields, needle)
            params.append(pytest.param(case, id=f"{key}-{category}", marks=marks))
    return params


MATRIX = _matrix()


def test_every_user_field_is_in_the_matrix() -> None:
    fields = {
        "height", "weight", "creatinine", "age", "sex", "bsa", "dose", "auc", "gfr", "gfr-cap", "bsa-cap",
        "creatinine-floor", "round-step", "max-deviation", "days", "alpha-beta", "eqd2-dose", "fractions",
        "formula", "method", "weight-basis",
    }  # fmt: skip
    assert set(ROWS) == fields
    for key, rows in ROWS.items():
        categories = {row[0] for row in rows}
        assert {"empty", "text", "nan", "inf", "-inf"} <= categories, key
        assert categories & {"negative", "zero"}, key


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("case", MATRIX)
def test_bad_value_is_refused_naming_the_field(capsys: pytest.CaptureFixture[str], case: Case, as_json: bool) -> None:
    argv = [*case.argv, "--json"] if as_json else list(case.argv)
    assert_refused(capsys, argv, case.fields, case.needle)


# --------------------------------------------------------------------------- missing, conflicting, combined

GFR = ["carboplatin", "--auc", "5", "--gfr", "90 mL/min"]
CKD_CARBO = ["carboplatin", "--auc", "5", "--age", "50", "--sex", "male", "--creatinine", "1 mg/dL"]
CKD_CARBO += ["--method", "ckd-epi-2021"]

OTHER_CASES = [
    # sex, age, creatinine, weight missing where the formula needs them
    ("sex-missing-cg", ["renal", "--age", "65", "--weight", "70 kg", "--creatinine", "1 mg/dL"], "sex", "required"),
    (
        "sex-missing-ckd-epi",
        ["renal", "--age", "65", "--creatinine", "1 mg/dL", "--method", "ckd-epi-2021"],
        "sex",
        "required",
    ),
    ("age-missing", ["renal", "--sex", "male", "--weight", "70 kg", "--creatinine", "1 mg/dL"], "age", "required"),
    ("creatinine-missing", ["renal", "--age", "65", "--sex", "male", "--weight", "70 kg"], "creatinine", "required"),
    ("creatinine-unit-missing", [*RENAL[:-1], "1.4"], "creatinine", "no unit"),
    ("weight-missing-cg", ["renal", "--age", "65", "--sex", "male", "--creatinine", "1 mg/dL"], "weight", "required"),
    ("height-missing-ideal-weight", [*RENAL, "--weight-basis", "ideal"], "height", "required"),
    ("height-missing-bsa", ["bsa", "--weight", "70 kg"], "height", "required"),
    ("weight-missing-bsa", ["bsa", "--height", "175 cm"], "weight", "required"),
    ("auc-missing", ["carboplatin", "--gfr", "90 mL/min"], "auc", "required"),
    ("gfr-missing", ["carboplatin", "--auc", "5"], "gfr", "required"),
    ("ckd-epi-carboplatin-without-height", CKD_CARBO, "height", "required"),
    ("dose-per-m2-without-bsa", ["dose", "--dose", "75 mg/m**2"], "height", "required"),
    ("dose-per-m2-without-weight", ["dose", "--dose", "75 mg/m**2", "--height", "170 cm"], "weight", "required"),
    ("dose-per-kg-without-weight", ["dose", "--dose", "3 mg/kg"], "weight", "required"),
    ("eqd2-dose-missing", ["eqd2", "--alpha-beta", "10 Gy", "--fractions", "25"], "dose", "required"),
    ("eqd2-fractions-missing", ["eqd2", "--alpha-beta", "10 Gy", "--dose", "50 Gy"], "fractions", "required"),
    ("eqd2-alpha-beta-missing", ["eqd2", "--dose", "50 Gy", "--fractions", "25"], "alpha-beta", "required"),
    # --gfr together with the renal options
    ("gfr-with-age", [*GFR, "--age", "65"], "gfr", "--age"),
    ("gfr-with-sex", [*GFR, "--sex", "male"], "gfr", "--sex"),
    ("gfr-with-weight", [*GFR, "--weight", "70 kg"], "gfr", "--weight"),
    ("gfr-with-creatinine", [*GFR, "--creatinine", "1 mg/dL"], "gfr", "--creatinine"),
    ("gfr-with-height", [*GFR, "--height", "170 cm"], "gfr", "--height"),
    ("gfr-with-creatinine-floor", [*GFR, "--creatinine-floor", "0.7 mg/dL"], "gfr", "--creatinine-floor"),
    pytest.param("gfr-with-method", [*GFR, "--method", "ckd-epi-2021"], "gfr", "--method"),
    pytest.param("gfr-with-weight-basis", [*GFR, "--weight-basis", "ideal"], "gfr", ""),
    # --bsa together with --height / --bsa-formula
    # The option that would be silently ignored is the one named.
    ("bsa-with-height", [*DOSE, "--height", "170 cm"], "height", "--bsa"),
    ("bsa-with-height-and-weight", [*DOSE, "--height", "170 cm", "--weight", "70 kg"], "height", "--bsa"),
    ("bsa-with-bsa-formula", [*DOSE, "--bsa-formula", "dubois"], "bsa-formula", "--bsa"),
    ("flat-with-weight", ["dose", "--dose", "200 mg", "--weight", "70 kg"], "weight", "flat dose"),
    ("per-kg-with-bsa", ["dose", "--dose", "3 mg/kg", "--weight", "70 kg", "--bsa", "1.8 m**2"], "bsa", "mg/kg"),
    (
        "option-twice",
        ["bsa", "--height", "170 cm", "--height", "180 cm", "--weight", "70 kg"],
        "height",
        "more than once",
    ),
    # dose modification
    ("reason-without-modify", [*DOSE, "--reason", "grade 3 neutropenia"], "reason", "--modify"),
    ("modify-without-reason", [*DOSE, "--modify", "80%"], "reason", "required"),
    ("modify-with-empty-reason", [*DOSE, "--modify", "80%", "--reason", ""], "reason", "required"),
    ("modify-without-percent-sign", [*DOSE, "--modify", "80", "--reason", "x"], "modify", "% sign"),
    ("modify-zero", [*DOSE, "--modify", "0%", "--reason", "x"], "modify", "1–200 %"),
    ("modify-too-high", [*DOSE, "--modify", "300%", "--reason", "x"], "modify", "1–200 %"),
    ("modify-text", [*DOSE, "--modify", "abc%", "--reason", "x"], "modify", "number"),
    # eqd2 courses
    (
        "course-with-dose",
        ["eqd2", "--alpha-beta", "2 Gy", "--dose", "50 Gy", "--fractions", "25", "--course", "45 Gy", "30"],
        "course",
        "cannot be combined",
    ),
    (
        "course-bad-dose",
        ["eqd2", "--alpha-beta", "2 Gy", "--course", "45 Gy", "30", "--course", "abc", "28"],
        "course 2 dose",
        "",
    ),
    (
        "course-bad-fractions",
        ["eqd2", "--alpha-beta", "2 Gy", "--course", "45 Gy", "30", "--course", "30 Gy", "0"],
        "course 2 fractions",
        "",
    ),
    ("course-one-argument", ["eqd2", "--alpha-beta", "2 Gy", "--course", "45 Gy"], "course", "2 arguments"),
    # BMI from height and weight (swapped or mistyped): refused by the renal formulas
    (
        "bmi-150-renal",
        [*RENAL[:5], "--weight", "150 kg", "--height", "100 cm", "--creatinine", "1 mg/dL"],
        "weight",
        "BMI",
    ),
    # values starting with '-' given as a separate argument take argparse's path; still one field-named line
    ("separate-minus-inf-age", [*RENAL[:1], "--age", "-inf", *RENAL[3:]], "age", ""),
    ("separate-minus-inf-height", ["bsa", "--height", "-inf", "--weight", "70 kg"], "height", ""),
    ("separate-negative-weight", ["bsa", "--height", "175 cm", "--weight", "-70kg"], "weight", ""),
    ("separate-negative-percent", [*DOSE, "--max-deviation", "-5%"], "max-deviation", ""),
    # the command line itself
    ("no-command", [], "arguments", ""),
    ("unknown-command", ["frobnicate"], "arguments", "invalid choice"),
    ("unknown-option", ["bsa", "--height", "175 cm", "--weight", "70 kg", "--bogus", "1"], "bogus", ""),
    ("stray-argument", ["bsa", "--height", "175 cm", "--weight", "70 kg", "extra"], "arguments", ""),
]


def _other_params() -> list[Any]:
    params = []
    for item in OTHER_CASES:
        marks = getattr(item, "marks", ())  # a pytest.param carrying marks, or a plain tuple
        name, argv, field, needle = getattr(item, "values", item)
        params.append(pytest.param(argv, field, needle, id=name, marks=marks))
    return params


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize(("argv", "field", "needle"), _other_params())
def test_missing_and_conflicting_options(
    capsys: pytest.CaptureFixture[str], argv: list[str], field: str, needle: str, as_json: bool
) -> None:
    assert_refused(capsys, [*argv, "--json"] if as_json else argv, (field,), needle)


# --------------------------------------------------------------------------- accepted look-alikes


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([*DOSE, "--round-step", "10 mg", "--max-deviation", "0%"], id="max-deviation-zero"),
        pytest.param([*DOSE, "--round-step", "10 mg", "--max-deviation", "5 %"], id="max-deviation-space"),
        pytest.param([*DOSE, "--bsa-cap", "none"], id="bsa-cap-none"),
        pytest.param([*GFR, "--gfr-cap", "NONE"], id="gfr-cap-none-upper"),
        pytest.param([*RENAL, "--creatinine-floor", "none"], id="creatinine-floor-none"),
        pytest.param(["bsa", "--height", "1.75 m", "--weight", "70000 g"], id="metres-and-grams"),
        pytest.param([*RENAL[:-1], "88 µmol/L"], id="creatinine-umol"),
        pytest.param([*RENAL[:-1], "88 umol/L"], id="creatinine-umol-ascii"),
        pytest.param(["renal", "--age", "65", "--sex", "F", *RENAL[5:]], id="sex-letter"),
        pytest.param(["dose", "--dose", "75 mg/m²", "--bsa", "1.8 m²"], id="superscript-two"),
        pytest.param(["eqd2", "--alpha-beta", "1000 cGy", "--dose", "5000 cGy", "--fractions", "25"], id="cGy"),
        pytest.param(["carboplatin", "--auc", "5 mg/mL*min", "--gfr", "90 mL/min"], id="auc-with-unit"),
        pytest.param(["carboplatin", "--auc", "5 mg/mL·min", "--gfr", "90 mL/min"], id="auc-with-middle-dot"),
        pytest.param(["bsa", "--height", "170 cm", "--weight=70 kg"], id="option-equals-value"),
    ],
)
def test_valid_spellings_are_accepted(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    run_ok(capsys, argv)


# --------------------------------------------------------------------------- plausibility edges

EPS = 1e-3


def _edge_argv(field: str, value: float) -> list[str]:
    text = f"{value:.10g}"
    if field == "height":
        weight = 22 * (value / 100) ** 2  # BMI 22 keeps BSA and BMI plausible at both edges
        return ["bsa", "--height", f"{text} cm", "--weight", f"{weight:.1f} kg"]
    if field == "weight":
        return ["renal", "--age", "65", "--sex", "male", "--creatinine", "1 mg/dL", "--weight", f"{text} kg"]
    if field == "age":
        return ["renal", "--age", text, "--sex", "male", "--weight", "70 kg", "--creatinine", "1 mg/dL"]
    if field == "creatinine":
        return ["renal", "--age", "65", "--sex", "male", "--weight", "70 kg", "--creatinine", f"{text} mg/dL"]
    assert field == "auc"
    return ["carboplatin", "--gfr", "90 mL/min", "--auc", text]


EDGE_LIMITS: dict[str, Range] = {
    "height": LIMITS.height_cm_refuse,
    "weight": LIMITS.weight_kg_refuse,
    "age": LIMITS.age_years_refuse,
    "creatinine": LIMITS.creatinine_mg_dl_refuse,
    "auc": LIMITS.auc_refuse,
}


def test_documented_default_limits() -> None:
    assert (LIMITS.height_cm_refuse.low, LIMITS.height_cm_refuse.high) == (100, 250)
    assert (LIMITS.weight_kg_refuse.low, LIMITS.weight_kg_refuse.high) == (20, 350)
    assert (LIMITS.age_years_refuse.low, LIMITS.age_years_refuse.high) == (18, 120)
    assert (LIMITS.creatinine_mg_dl_refuse.low, LIMITS.creatinine_mg_dl_refuse.high) == (0.2, 20)
    assert (LIMITS.auc_refuse.low, LIMITS.auc_refuse.high) == (1, 10)


@pytest.mark.parametrize("field", list(EDGE_LIMITS))
@pytest.mark.parametrize(
    ("edge", "accepted"),
    [("min-eps", False), ("min", True), ("max", True), ("max+eps", False)],
)
def test_plausibility_edges(capsys: pytest.CaptureFixture[str], field: str, edge: str, accepted: bool) -> None:
    limits = EDGE_LIMITS[field]
    value = {"min-eps": limits.low - EPS, "min": limits.low, "max": limits.high, "max+eps": limits.high + EPS}[edge]
    argv = _edge_argv(field, value)
    if accepted:
        run_ok(capsys, argv)
    else:
        assert_refused(capsys, [*argv, "--json"], (field,))


@pytest.mark.parametrize(
    ("value", "accepted"),
    [("17 µmol/L", False), ("18 µmol/L", True), ("1768 µmol/L", True), ("1769 µmol/L", False)],
)
def test_creatinine_edges_in_micromoles_as_the_message_states_them(
    capsys: pytest.CaptureFixture[str], value: str, accepted: bool
) -> None:
    argv = [*RENAL[:-1], value]
    if accepted:
        run_ok(capsys, argv)
    else:
        line = assert_refused(capsys, argv, ("creatinine",))
        assert "18–1,768 µmol/L" in line


# --------------------------------------------------------------------------- the warn tier

BSA_WARN = LIMITS.bsa_m2_warn_above


def test_bsa_above_warn_threshold_warns(capsys: pytest.CaptureFixture[str]) -> None:
    given = run_ok(capsys, ["dose", "--dose", "75 mg/m**2", "--bsa", f"{BSA_WARN + 0.01:g} m**2"])
    assert codes(given)["bsa.above_warn"] == "warning"
    at_threshold = run_ok(capsys, ["dose", "--dose", "75 mg/m**2", "--bsa", f"{BSA_WARN:g} m**2"])
    assert "bsa.above_warn" not in codes(at_threshold)
    calculated = run_ok(capsys, ["bsa", "--height", "200 cm", "--weight", "120 kg"])  # 2.58 m²
    assert codes(calculated)["bsa.above_warn"] == "warning"
    normal = run_ok(capsys, ["bsa", "--height", "175 cm", "--weight", "70 kg"])
    assert "bsa.above_warn" not in codes(normal)


def _weight_for_bmi(bmi: float, height_cm: float = 175) -> str:
    return f"{bmi * (height_cm / 100) ** 2:.1f} kg"


BMI_LOW = _weight_for_bmi(LIMITS.bmi_warn.low - 1)
BMI_HIGH = _weight_for_bmi(LIMITS.bmi_warn.high + 1)
BMI_NORMAL = _weight_for_bmi(22)
RENAL_H = ["renal", "--age", "65", "--sex", "male", "--creatinine", "1 mg/dL", "--height", "175 cm", "--weight"]


@pytest.mark.parametrize(("weight", "warns"), [(BMI_LOW, True), (BMI_HIGH, True), (BMI_NORMAL, False)])
def test_bmi_outside_warn_range_warns_in_renal(capsys: pytest.CaptureFixture[str], weight: str, warns: bool) -> None:
    payload = run_ok(capsys, [*RENAL_H, weight])
    assert ("bmi.unusual" in codes(payload)) is warns
    if warns:
        assert codes(payload)["bmi.unusual"] == "warning"


@pytest.mark.parametrize("weight", [BMI_LOW, BMI_HIGH])
@pytest.mark.parametrize("command", [["bsa"], ["dose", "--dose", "75 mg/m**2"]], ids=["bsa", "dose"])
def test_bmi_outside_warn_range_warns_wherever_height_and_weight_are_given(
    capsys: pytest.CaptureFixture[str], command: list[str], weight: str
) -> None:
    payload = run_ok(capsys, [*command, "--height", "175 cm", "--weight", weight])
    assert codes(payload)["bmi.unusual"] == "warning"


@pytest.mark.parametrize("command", [["bsa"], ["dose", "--dose", "75 mg/m**2"]], ids=["bsa", "dose"])
def test_implausible_bmi_is_refused_wherever_height_and_weight_are_given(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # 100 cm and 150 kg are each within their own limits; BMI 150 is not (medication-safety §3 #4).
    assert_refused(
        capsys, [*command, "--height", "100 cm", "--weight", "150 kg", "--json"], ("weight", "height"), "BMI"
    )


def test_age_above_90_warns(capsys: pytest.CaptureFixture[str]) -> None:
    threshold = LIMITS.age_years_warn.high
    old = run_ok(capsys, ["renal", "--age", f"{threshold + 1:g}", *RENAL[3:]])
    assert codes(old)["age.above_warn"] == "warning"
    at = run_ok(capsys, ["renal", "--age", f"{threshold:g}", *RENAL[3:]])
    assert "age.above_warn" not in codes(at)


def test_creatinine_floor_applied_warns(capsys: pytest.CaptureFixture[str]) -> None:
    floored = run_ok(capsys, [*RENAL[:-1], "0.4 mg/dL", "--creatinine-floor", "0.7 mg/dL"])
    assert codes(floored)["creatinine.floor_applied"] == "warning"
    assert floored["creatinine_used"]["value"] == pytest.approx(0.7)
    assert any("floor" in line.lower() for line in floored["derivation"])
    not_floored = run_ok(capsys, [*RENAL, "--creatinine-floor", "0.7 mg/dL"])
    assert "creatinine.floor_applied" not in codes(not_floored)
    assert not_floored["creatinine_used"]["value"] == pytest.approx(1.0)


def test_gfr_cap_applied_warns(capsys: pytest.CaptureFixture[str]) -> None:
    capped = run_ok(capsys, ["carboplatin", "--auc", "6", "--gfr", "140 mL/min"])
    assert capped["gfr_capped"] is True
    assert codes(capped)["carboplatin.gfr_capped"] == "warning"
    at_cap = run_ok(capsys, ["carboplatin", "--auc", "6", "--gfr", "125 mL/min"])
    assert at_cap["gfr_capped"] is False
    assert "carboplatin.gfr_capped" not in codes(at_cap)


def test_auc_above_7_warns(capsys: pytest.CaptureFixture[str]) -> None:
    high = run_ok(capsys, ["carboplatin", "--auc", f"{LIMITS.auc_warn_above + 1:g}", *GFR[3:]])
    assert codes(high)["carboplatin.auc_high"] == "warning"
    at = run_ok(capsys, ["carboplatin", "--auc", f"{LIMITS.auc_warn_above:g}", *GFR[3:]])
    assert "carboplatin.auc_high" not in codes(at)


# --------------------------------------------------------------------------- field names and one-line errors


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["eqd2", "--alpha-beta", "10 Gy", "--dose", "abc", "--fractions", "25"], "dose"),
        (["eqd2", "--alpha-beta", "10 Gy", "--dose", "50 Gy", "--fractions", "abc"], "fractions"),
    ],
    ids=["dose", "fractions"],
)
def test_eqd2_single_course_error_fields_follow_the_contract(
    capsys: pytest.CaptureFixture[str], argv: list[str], field: str
) -> None:
    assert_refused(capsys, [*argv, "--json"], (field,))


def test_dose_bsa_formula_error_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["dose", "--dose", "75 mg/m**2", "--height", "170 cm", "--weight", "70 kg", "--bsa-formula", "foo"]
    assert_refused(capsys, [*argv, "--json"], ("bsa-formula",))


@pytest.mark.parametrize("value", ["ab\rc", "17\u20280 cm"], ids=["carriage-return", "line-separator"])
def test_error_is_one_line_even_with_line_breaks_in_the_value(capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert_refused(capsys, ["bsa", "--height", value, "--weight", "70 kg", "--json"], ("height",))
