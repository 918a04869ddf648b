"""``dosecalc prepare`` as a real subprocess: the JSON keys (a contract), text output, and bad input
(exit 2, one line naming the field, the JSON error object, never a traceback).

Expected values are hand-worked (see test_preparation.py): paclitaxel 300 mg = 50 mL at 6 mg/mL,
300 ÷ 550 mL = 0.545 mg/mL, 550 mL ÷ 3 h = 183.3 mL/h.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dosecalc.units import ureg

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
ENV.pop("DOSECALC_SITE_REGIMENS", None)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dosecalc", "prepare", *args], capture_output=True, text=True, encoding="utf-8",
        env=ENV, cwd=REPO, timeout=60, check=False,
    )  # fmt: skip


def ok_json(*args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    return payload


def test_prepare_json_contract() -> None:
    payload = ok_json("--drug", "paclitaxel", "--dose", "300 mg", "--diluent", "500 mL sodium chloride 0.9%",
                      "--duration", "3 h")  # fmt: skip
    for key in ("vials", "volume_to_draw", "final_concentration", "in_range", "rate", "derivation", "warnings"):
        assert key in payload
    assert payload["vials"][0]["presentation"] == "300 mg/50 mL vial"
    assert payload["vials"][0]["count"] == 1
    assert payload["volume_to_draw"] == {"value": 50.0, "unit": "mL"}
    assert round(payload["final_concentration"]["value"], 3) == 0.545
    assert payload["final_concentration"]["unit"] == "mg/mL"
    assert payload["in_range"] is True
    assert payload["rate"] == {"value": 183.3, "unit": "mL/h"}
    for value in (payload["volume_to_draw"], payload["final_concentration"], payload["rate"]):
        ureg.Quantity(value["value"], value["unit"])  # each unit string parses back
    assert isinstance(payload["derivation"], list)
    assert payload["derivation"][0].startswith("Preparation:")
    assert {w["code"] for w in payload["warnings"]} == {"preparation.unconfirmed"}


def test_prepare_text() -> None:
    result = run("--drug", "paclitaxel", "--dose", "300 mg")
    assert result.returncode == 0
    assert result.stderr == ""
    assert "Volume to draw: 50 mL" in result.stdout
    assert "Diluent: 250 mL sodium chloride 0.9 %" in result.stdout  # proposed: smallest bag in range
    assert "Final concentration: 1 mg/mL (in range" in result.stdout  # 300 ÷ 300 mL
    assert "Rate: 100 mL/h over 3 h" in result.stdout  # 300 mL ÷ 3 h
    assert "UNCONFIRMED" in result.stdout


def test_prepare_out_of_range_blocks_in_json() -> None:
    payload = ok_json("--drug", "paclitaxel", "--dose", "300 mg", "--diluent", "100 mL sodium chloride 0.9%")
    assert payload["in_range"] is False
    assert payload["blocked"] is True
    assert [b["value"] for b in payload["fitting_bags"]] == [250.0, 500.0]


def test_prepare_ambulatory_pump() -> None:
    payload = ok_json("--drug", "fluorouracil", "--dose", "4200 mg", "--duration", "46 h", "--rate", "5 mL/h")
    assert payload["container"] == "ambulatory pump"
    assert payload["total_volume"] == {"value": 230.0, "unit": "mL"}
    assert payload["rate"]["value"] == 5.0


def test_a_dose_per_square_metre_is_refused_as_not_final_however_written() -> None:
    for text in ("175 mg/m2", "175 mg/m²", "175 mg/m^2"):
        result = run("--drug", "paclitaxel", "--dose", text, "--json")
        assert result.returncode == 2
        assert json.loads(result.stdout)["error"]["code"] == "dose.not_final", text


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--drug", "paclitaxel", "--dose", "175 mg/m**2"), "dose"),
        (("--drug", "paclitaxel", "--dose", "175 mg/m2"), "dose"),
        (("--drug", "paclitaxel", "--dose", "3 mg/kg"), "dose"),
        (("--drug", "paclitaxel", "--dose", "300"), "dose"),
        (("--drug", "fluorouracil", "--dose", "5250 mg", "--duration", "4 day", "--rate", "28.8 mL/day"), "rate"),
        (("--drug", "fluorouracil", "--dose", "5250 mg", "--duration", "4 day", "--rate", "115.2 mL"), "rate"),
        (("--drug", "paclitaxel", "--dose", "300 mg", "--duration", "0 h"), "duration"),
        (("--drug", "paclitaxel", "--dose", "300 mg", "--duration", "28.8 mL"), "duration"),
        (("--drug", "paclitaxel", "--dose", "300 mg", "--diluent", "500 mL water"), "diluent"),
        (("--drug", "cabazitaxel", "--dose", "300 mg"), "drug"),
        (("--drug", "fluorouracil", "--dose", "4200 mg", "--rate", "5 mL/h"), "duration"),
    ],
)
def test_prepare_bad_input(args: tuple[str, ...], field: str) -> None:
    result = run(*args, "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{field}: ")
    assert json.loads(result.stdout)["error"]["field"] == field
