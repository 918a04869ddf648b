"""The derivation: one structure with inputs, policies, steps and flags, rendered to lines."""

from __future__ import annotations

import datetime as dt
import json

from dosecalc.bsa import body_surface_area
from dosecalc.derivation import Derivation, Flag, Input, Severity, Step, quantity_json
from dosecalc.dosing import calculate_dose, parse_dose_basis
from dosecalc.patient import Height, MeasurementSource, Weight
from dosecalc.rounding import RoundingRule, parse_round_step
from dosecalc.units import Quantity


def test_lines_show_inputs_with_dates_and_sources() -> None:
    height = Height.parse("170 cm", measured_on=dt.date(2026, 12, 7))
    weight = Weight.parse("65 kg", measured_on=dt.date(2026, 12, 7), source=MeasurementSource.STATED)
    bsa = body_surface_area(height, weight)
    lines = bsa.derivation.lines()
    assert "  height: 170 cm (measured 07 Dec 2026)" in lines
    assert "  weight: 65 kg (stated, measured 07 Dec 2026)" in lines


def test_dose_derivation_carries_every_basis_element() -> None:
    bsa = body_surface_area(Height.parse("170 cm"), Weight.parse("65 kg"))
    result = calculate_dose(
        parse_dose_basis("175 mg/m**2"),
        bsa=bsa,
        rounding=RoundingRule(parse_round_step("10 mg")),
        days=1,
        drug="PACLitaxel",
    )
    text = "\n".join(result.derivation.lines())
    for expected in (
        "PACLitaxel (mg/m²)",
        "height: 170 cm",
        "weight: 65 kg",
        "dose basis: 175 mg/m² (protocol)",
        "BSA formula: Mosteller 1987",
        "BSA cap: none (ASCO 2021)",
        "Rounding: nearest 10 mg if within 5 % (ties round up)",
        "BSA (Mosteller 1987) = √(height × weight / 3600) = √(170 cm × 65 kg / 3600) = 1.752 m²",
        "Calculated dose = dose basis × BSA = 175 mg/m² × 1.752 m² = 306.6 mg",
        "Final dose = rounded to the nearest 10 mg = 310 mg",
        "Difference = (final − calculated) / calculated = 1.11 %",
    ):
        assert expected in text, expected


def test_extended_keeps_first_input_of_a_name_and_appends_steps() -> None:
    base = Derivation("A", inputs=(Input("x", 1),), policies=(("p", "1"),), steps=(Step("s1", "", "", (), 1),))
    more = base.extended(
        title="B",
        inputs=(Input("x", 2), Input("y", 3)),
        policies=(("p", "2"), ("q", "3")),
        steps=(Step("s2", "", "", (), 2),),
        flags=(Flag("c", Severity.INFO, "note"),),
        source="regimen X v1",
    )
    assert more.title == "B"
    assert [i.value for i in more.inputs] == [1, 3]
    assert more.policies == (("p", "1"), ("q", "3"))
    assert [s.label for s in more.steps] == ["s1", "s2"]
    assert more.warnings == more.flags
    assert "Source: regimen X v1" in more.lines()
    assert "  INFO: note" in more.lines()
    merged = Derivation("C", steps=(Step("s3", "", "", (), 3),)).including(base)
    assert [s.label for s in merged.steps] == ["s1", "s3"]
    assert merged.title == "C"


def test_flags_and_quantities_serialise_to_json() -> None:
    flag = Flag("x.y", Severity.WARNING, "msg", {"q": Quantity(5, "mg"), "n": 1, "obj": object(), "d": None})
    data = flag.to_json()
    assert data["params"]["q"] == {"value": 5, "unit": "mg"}
    assert data["params"]["n"] == 1
    assert data["params"]["d"] is None
    assert isinstance(data["params"]["obj"], str)
    json.dumps(data)
    assert quantity_json(None) is None
    assert quantity_json(Quantity(1.5, "m**2")) == {"value": 1.5, "unit": "m**2"}


def test_step_renders_booleans_and_text() -> None:
    assert Step("capped", "", "", (), True).render() == "capped = yes"
    assert Step("capped", "", "", (), False).render() == "capped = no"
    assert Step("rule", "", "", (), "text").render() == "rule = text"
