"""Number and unit display by the medication-safety rules (§2 C1–C3)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from dosecalc.cli import main
from dosecalc.display import BANNED_TOKENS, display_unit, format_number, format_quantity
from dosecalc.units import Quantity


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.5, 2, "0.5"),  # leading zero (TJC, NHS CUI MEDi-015)
        (5.0, 2, "5"),  # no trailing zero
        (1250, 2, "1,250"),  # thousands separator from 1,000 (NHS CUI MEDi-017)
        (999.5, 0, "1,000"),
        (1000000.25, 1, "1,000,000.3"),  # half-up at the last place
        (0.125, 2, "0.13"),
        (0.045, 1, "0"),
        (-0.04, 1, "0"),  # never "-0"
        (322.8125, 1, "322.8"),
        (Decimal("550"), 2, "550"),
        (Decimal("1E+1"), 2, "10"),
        (2.675, 2, "2.68"),  # decimal from the shortest repr, not binary 2.67499…
        (12, 0, "12"),
    ],
)
def test_format_number(value: float | Decimal, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (Quantity(1250.0, "mg"), "1,250 mg"),
        (Quantity(0.5, "mg"), "0.5 mg"),
        (Quantity(75, "mg/m**2"), "75 mg/m²"),
        (Quantity(1.84, "m**2"), "1.84 m²"),
        (Quantity(80, "umol/L"), "80 µmol/L"),
        (Quantity(52.08, "mL/min"), "52.08 mL/min"),
        (Quantity(5, "mg*min/mL"), "5 mg/mL·min"),
        (Quantity(91.7, "mL/min/std_bsa"), "91.7 mL/min/1.73 m²"),
        (Quantity(50, "Gy"), "50 Gy"),
    ],
)
def test_format_quantity(quantity, expected: str) -> None:
    assert format_quantity(quantity) == expected


def test_micrograms_are_written_mcg() -> None:
    assert display_unit("µg") == "mcg"
    assert format_quantity(Quantity(250, "microgram")) == "250 mcg"


_BANNED = re.compile(r"(?<![\w.])(" + "|".join(re.escape(t) for t in BANNED_TOKENS) + r")(?![\w])")
_TRAILING_ZERO = re.compile(r"\d\.\d*0(?![\d])\s")
_NAKED_DECIMAL = re.compile(r"(?<![\d\w])\.\d")

COMMANDS = [
    ["bsa", "--height", "170 cm", "--weight", "65 kg"],
    ["bsa", "--height", "190 cm", "--weight", "130 kg", "--formula", "boyd"],
    [
        "renal",
        "--age",
        "70",
        "--sex",
        "female",
        "--weight",
        "55 kg",
        "--creatinine",
        "0.5 mg/dL",
        "--creatinine-floor",
        "0.7 mg/dL",
    ],
    [
        "renal",
        "--age",
        "60",
        "--sex",
        "male",
        "--weight",
        "110 kg",
        "--height",
        "180 cm",
        "--creatinine",
        "88.4 umol/L",
        "--weight-basis",
        "adjusted",
    ],
    [
        "renal",
        "--age",
        "50",
        "--sex",
        "female",
        "--weight",
        "60 kg",
        "--height",
        "160 cm",
        "--creatinine",
        "1 mg/dL",
        "--method",
        "ckd-epi-2021",
    ],
    ["carboplatin", "--auc", "6", "--gfr", "140 mL/min"],
    ["dose", "--dose", "1000 mg/m**2", "--height", "180 cm", "--weight", "80 kg", "--days", "4"],
    ["dose", "--dose", "3 mg/kg", "--weight", "55 kg", "--round-step", "10 mg"],
    ["dose", "--dose", "100 mg/m**2", "--bsa", "1.9 m**2", "--modify", "75%", "--reason", "grade 3 neutropenia"],
    ["eqd2", "--alpha-beta", "3 Gy", "--course", "50.4 Gy", "28", "--course", "45 Gy", "25"],
    ["demo"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c[:3]) for c in COMMANDS])
def test_rendered_output_has_no_banned_or_unsafe_number_forms(argv: list[str], capsys) -> None:
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert not _BANNED.findall(text), _BANNED.findall(text)
    assert not _TRAILING_ZERO.findall(text + " "), _TRAILING_ZERO.findall(text + " ")
    assert not _NAKED_DECIMAL.findall(text), _NAKED_DECIMAL.findall(text)
    assert "\t" not in text
