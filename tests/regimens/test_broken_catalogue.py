"""Broken drug catalogues (preparation data): each ``broken/drugs/<case>/drugs.toml`` is the ``valid``
one with one kind of error; ``dosecalc regimens validate`` names the file, the field path and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from dosecalc.cli import main

DRUGS = Path(__file__).resolve().parent / "broken" / "drugs"

CASES = {
    "unknown-diluent": ("drugs.paclitaxel.preparation.diluents.allowed.0", "'sodium chloride 0.9%' or 'glucose 5%'"),
    "range-reversed": ("drugs.paclitaxel.preparation.concentration.max", "must run upwards"),
    "concentration-wrong-unit": ("drugs.paclitaxel.preparation.concentration.min", "expected a concentration"),
    "duration-wrong-unit": ("drugs.paclitaxel.preparation.administration.duration", "expected a duration"),
    "oral-with-preparation": ("drugs.paclitaxel.preparation", "an oral drug is dispensed, not prepared"),
    "powder-with-volume": ("drugs.paclitaxel.strengths.0.volume", "a powder vial has no volume"),
    "vial-concentration-mismatch": ("drugs.paclitaxel.strengths.0.concentration", "differs by more than 1 %"),
    "missing-source": ("drugs.paclitaxel.preparation.diluents.source", "Field required"),
}


def test_the_cases_cover_the_folder_and_the_readme() -> None:
    assert sorted(p.name for p in DRUGS.iterdir()) == sorted([*CASES, "valid"])
    readme = (DRUGS.parent / "README.md").read_text(encoding="utf-8")
    for name in CASES:
        assert f"`drugs/{name}/`" in readme


def test_the_valid_catalogue_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regimens", "validate", str(DRUGS / "valid" / "drugs.toml")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_catalogue_names_the_field(capsys: pytest.CaptureFixture[str], case: str) -> None:
    file = str(DRUGS / case / "drugs.toml")
    assert main(["regimens", "validate", file]) == 2
    lines = capsys.readouterr().err.splitlines()
    field, message = CASES[case]
    assert lines == [line for line in lines if line.startswith(f"{file}: ")]
    assert any(line.startswith(f"{file}: {field}: ") and message in line for line in lines), lines
