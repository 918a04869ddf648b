"""A whole order from a regimen: lines, flags and the ``order --json`` contract.

Expected doses are computed by hand here, from the patient below and the shipped NCT07016737
file (never copied from a run):

    BSA (Mosteller) = √(168 cm × 61 kg / 3600) = √2.846667 = 1.687207 m²
    SCr 78 µmol/L / 88.4 = 0.882353 mg/dL
    Cockcroft–Gault = (140 − 64) × 61 / (72 × 0.882353) = 4636 / 63.5294 = 72.974 mL/min
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from dosecalc.cli import main
from dosecalc.derivation import Severity
from dosecalc.errors import InputError
from dosecalc.order import DEFAULT_POLICY
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.regimen.loader import SITE_ENVIRONMENT_VARIABLE, load_library, shipped_directory
from dosecalc.regimen.model import Catalogue, Regimen
from dosecalc.regimen.order import RegimenOrder, compute_regimen_order
from dosecalc.renal import RenalMethod, measured_gfr
from dosecalc.units import ureg

ESCC = "escc-nct07016737"
BSA = math.sqrt(168 * 61 / 3600)  # 1.687207 m²
SCR_MG_DL = 78 / 88.4  # 0.882353 mg/dL
CG = (140 - 64) * 61 / (72 * SCR_MG_DL)  # 72.974 mL/min
PATIENT_ARGS = ["--age", "64", "--sex", "male", "--height", "168 cm", "--weight", "61 kg", "--creatinine", "78 µmol/L"]
INDUCTION = ["--regimen", ESCC, "--phase", "induction"]
SALVAGE = ["--regimen", ESCC, "--phase", "salvage", "--choose", "rt=45gy-25fx"]


@pytest.fixture(autouse=True)
def _no_site_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SITE_ENVIRONMENT_VARIABLE, raising=False)


def patient(**changes: Any) -> Patient:
    values: dict[str, Any] = {
        "age_years": 64,
        "sex": Sex.MALE,
        "height": Height.parse("168 cm"),
        "weight": Weight.parse("61 kg"),
        "creatinine": SerumCreatinine.parse("78 µmol/L"),
    }
    values.update(changes)
    return Patient(**values)


def order(phase: str, choices: dict[str, str] | None = None, who: Patient | None = None, **kw: Any) -> RegimenOrder:
    library = load_library()
    return compute_regimen_order(
        library.regimens[ESCC], library.catalogue, who or patient(), phase, choices=choices, **kw
    )


def codes(flags: Any) -> dict[str, str]:
    """flag code → severity (from Flag objects or their JSON)."""
    return {
        (f["code"] if isinstance(f, dict) else f.code): str(f["severity"] if isinstance(f, dict) else f.severity.value)
        for f in flags
    }


def line(result: RegimenOrder, drug: str) -> Any:
    return next(item for item in result.lines if item.drug.id == drug)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    """``dosecalc order ARGS --json`` in-process: exit status, the JSON object, stderr."""
    status = main(["order", *args, "--json"])
    captured = capsys.readouterr()
    return status, json.loads(captured.out), captured.err


def json_line(payload: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(item for item in payload["lines"] if item["drug"] == drug)


# --- choices -----------------------------------------------------------------------------------


def test_a_missing_choice_blocks_and_leaves_out_the_group() -> None:
    result = order("induction", {"pd1": "sintilimab"})
    assert codes(result.flags)["choice.missing"] == "block"
    assert result.blocked
    assert [item.drug.id for item in result.lines] == ["sintilimab"]  # no paclitaxel, docetaxel or irinotecan
    missing = next(f for f in result.flags if f.code == "choice.missing")
    assert "chemo" in missing.message
    assert "paclitaxel, docetaxel, irinotecan" in missing.message


def test_no_choices_at_all_blocks_for_every_group() -> None:
    result = order("induction", {})
    assert result.lines == ()
    groups = sorted(f.params["group"] for f in result.flags if f.code == "choice.missing")
    assert groups == ["chemo", "pd1"]  # rt is not used in induction


def test_an_unknown_option_blocks() -> None:
    result = order("induction", {"pd1": "sintilimab", "chemo": "cisplatin"})
    assert codes(result.flags)["choice.unknown"] == "block"
    assert [item.drug.id for item in result.lines] == ["sintilimab"]


def test_an_unknown_group_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as caught:
        order("induction", {"pd1": "sintilimab", "chemo": "paclitaxel", "taxane": "docetaxel"})
    assert caught.value.field == "choose"
    status, payload, err = cli(
        capsys, *INDUCTION, *PATIENT_ARGS, "--choose", "pd1=sintilimab", "--choose", "taxane=docetaxel"
    )
    assert status == 2
    assert payload["error"]["field"] == "choose"
    assert err.startswith("choose: taxane=docetaxel names no choice group of this regimen")


def test_the_missing_choice_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, _ = cli(capsys, *INDUCTION, *PATIENT_ARGS, "--choose", "pd1=camrelizumab")
    assert status == 0
    assert codes(payload["flags"])["choice.missing"] == "block"
    assert payload["blocked"] is True
    assert [item["drug"] for item in payload["lines"]] == ["camrelizumab"]


# --- drug limits and strengths -------------------------------------------------------------------


def test_a_drug_without_a_limit_blocks_but_is_computed() -> None:
    result = order("induction", {"pd1": "sintilimab", "chemo": "irinotecan"})
    irinotecan = line(result, "irinotecan")
    # 270 mg/m² × 1.687207 m² = 455.546 mg → 460 mg (10 mg step, +0.98 %)
    assert irinotecan.result.calculated.magnitude == pytest.approx(270 * BSA)
    assert irinotecan.result.calculated.magnitude == pytest.approx(455.546, abs=1e-3)
    assert irinotecan.result.final.magnitude == pytest.approx(460)
    assert codes(irinotecan.flags)["drug.no_limit_configured"] == "block"
    assert codes(result.flags)["drug.no_limit_configured"] == "block"
    assert result.blocked
    assert "drug.no_limit_configured" not in codes(line(result, "sintilimab").flags)  # it has a cumulative bound


def test_paclitaxel_at_the_protocol_dose_is_not_blocked() -> None:
    result = order("induction", {"pd1": "sintilimab", "chemo": "paclitaxel"})
    # 175 mg/m² × 1.687207 m² = 295.261 mg → 300 mg (+1.60 %); sintilimab 200 mg flat
    paclitaxel = line(result, "paclitaxel")
    assert paclitaxel.result.calculated.magnitude == pytest.approx(295.261, abs=1e-3)
    assert paclitaxel.result.final.magnitude == pytest.approx(300)
    assert float(paclitaxel.result.deviation_percent) == pytest.approx(1.60)
    assert line(result, "sintilimab").result.final.magnitude == pytest.approx(200)
    assert not result.blocked
    assert set(codes(result.flags)) == {"drug.strength_unconfirmed"}
    assert codes(result.flags)["drug.strength_unconfirmed"] == "info"


# --- weight change -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "reference", "flagged"),
    [
        ("90.1 kg", "100 kg", False),  # −9.9 %
        ("90 kg", "100 kg", True),  # −10.0 %
        ("89.9 kg", "100 kg", True),  # −10.1 %
        ("109.9 kg", "100 kg", False),  # +9.9 %
        ("110 kg", "100 kg", True),  # +10.0 %
        ("110.1 kg", "100 kg", True),  # +10.1 %
        ("67.1 kg", "61 kg", True),  # 6.1 / 61 = +10.0 %
        ("61 kg", "61 kg", False),
    ],
)
def test_weight_change_from_the_reference_weight(weight: str, reference: str, flagged: bool) -> None:
    result = order(
        "maintenance",
        {"pd1": "sintilimab"},
        Patient(weight=Weight.parse(weight)),
        reference_weight=Weight.parse(reference),
    )
    found = codes(result.flags)
    assert ("weight.changed" in found) is flagged
    if flagged:
        assert found["weight.changed"] == "warning"
        assert not result.blocked


def test_no_reference_weight_no_weight_flag() -> None:
    result = order("maintenance", {"pd1": "sintilimab"}, Patient(weight=Weight.parse("40 kg")))
    assert "weight.changed" not in codes(result.flags)


def test_reference_weight_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--regimen", ESCC, "--phase", "maintenance", "--choose", "pd1=sintilimab", "--weight", "90 kg"]
    status, payload, _ = cli(capsys, *args, "--reference-weight", "100 kg")
    assert status == 0
    flag = next(f for f in payload["flags"] if f["code"] == "weight.changed")
    assert flag["severity"] == "warning"
    assert flag["params"]["change_percent"] == pytest.approx(-10.0)
    status, payload, _ = cli(capsys, *args, "--reference-weight", "99.9 kg")  # −9.9 %
    assert status == 0
    assert "weight.changed" not in codes(payload["flags"])


# --- carboplatin ---------------------------------------------------------------------------------


def test_salvage_by_hand() -> None:
    result = order("salvage", {"rt": "45gy-25fx"})
    carboplatin = line(result, "carboplatin")
    assert result.renal is not None
    assert result.renal.clearance is not None
    assert result.renal.clearance.ml_per_min == pytest.approx(CG)  # 72.974 mL/min
    # AUC 2 × (72.974 + 25) = 195.948 mg → 200 mg (+2.07 %)
    assert carboplatin.result.calculated.magnitude == pytest.approx(2 * (CG + 25))
    assert carboplatin.result.calculated.magnitude == pytest.approx(195.948, abs=1e-3)
    assert carboplatin.result.final.magnitude == pytest.approx(200)
    assert "carboplatin.gfr_capped" not in codes(result.flags)
    assert codes(carboplatin.flags)["drug.no_limit_configured"] == "block"  # no limit for carboplatin either


def test_gfr_cap_applied_with_a_low_creatinine() -> None:
    result = order("salvage", {"rt": "45gy-25fx"}, patient(creatinine=SerumCreatinine.parse("0.5 mg/dL")))
    carboplatin = line(result, "carboplatin")
    # CG = (140 − 64) × 61 / (72 × 0.5) = 4636 / 36 = 128.78 mL/min > 125 → capped;
    # AUC 2 × (125 + 25) = 300 mg
    clearance = (140 - 64) * 61 / (72 * 0.5)
    assert clearance > 125
    assert carboplatin.result.calculated.magnitude == pytest.approx(300)
    assert carboplatin.result.final.magnitude == pytest.approx(300)
    assert codes(carboplatin.flags)["carboplatin.gfr_capped"] == "warning"
    assert codes(result.flags)["carboplatin.gfr_capped"] == "warning"
    assert any("GFR capped" in text for text in carboplatin.derivation.lines())


def test_measured_gfr(capsys: pytest.CaptureFixture[str]) -> None:
    # AUC 2 × (90 + 25) = 230 mg, already on the 10 mg step
    status, payload, _ = cli(capsys, *SALVAGE, *PATIENT_ARGS, "--renal-method", "measured", "--gfr", "90 mL/min")
    assert status == 0
    carboplatin = json_line(payload, "carboplatin")
    assert carboplatin["calculated"] == {"value": pytest.approx(2 * (90 + 25)), "unit": "mg"}
    assert carboplatin["final"] == {"value": pytest.approx(230), "unit": "mg"}
    assert carboplatin["deviation_percent"] == 0
    policies = {p["name"]: p for p in payload["policies"]}
    assert policies["Renal method"]["from"] == "command line"
    assert policies["Renal method"]["value"] == "GFR given"
    # the same through the library
    result = order(
        "salvage",
        {"rt": "45gy-25fx"},
        policy=DEFAULT_POLICY.model_copy(update={"renal_method": RenalMethod.MEASURED}),
        gfr=measured_gfr("90 mL/min"),
    )
    assert line(result, "carboplatin").result.final.magnitude == pytest.approx(230)
    assert result.renal is None


def test_gfr_needs_the_measured_method(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, err = cli(capsys, *SALVAGE, *PATIENT_ARGS, "--gfr", "90 mL/min")
    assert status == 2
    assert payload["error"]["field"] == "gfr"
    assert "needs --renal-method measured" in err
    status, payload, _ = cli(capsys, *SALVAGE, *PATIENT_ARGS, "--renal-method", "measured")
    assert status == 2
    assert payload["error"]["field"] == "gfr"


# --- rounding --------------------------------------------------------------------------------------


def test_rounding_refused_keeps_the_exact_dose() -> None:
    result = order("salvage", {"rt": "45gy-25fx"})
    paclitaxel = line(result, "paclitaxel")
    exact = 50 * BSA  # 50 mg/m² × 1.687207 m² = 84.360 mg
    assert exact == pytest.approx(84.360, abs=1e-3)
    assert (80 - exact) / exact * 100 == pytest.approx(-5.17, abs=0.01)  # the 10 mg step: beyond 5 %
    assert paclitaxel.result.calculated.magnitude == pytest.approx(exact)
    assert paclitaxel.result.final.magnitude == pytest.approx(exact)
    assert float(paclitaxel.result.deviation_percent) == 0
    assert codes(paclitaxel.flags)["rounding.refused"] == "warning"
    assert codes(result.flags)["rounding.refused"] == "warning"


def test_a_wider_deviation_lets_it_round(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, _ = cli(capsys, *SALVAGE, *PATIENT_ARGS, "--max-deviation", "10%")
    assert status == 0
    paclitaxel = json_line(payload, "paclitaxel")
    assert paclitaxel["final"]["value"] == pytest.approx(80)  # −5.17 % is within 10 %
    assert "rounding.refused" not in codes(payload["flags"])


# --- dose levels -----------------------------------------------------------------------------------


def test_dose_level_one_for_paclitaxel() -> None:
    result = order("induction", {"pd1": "sintilimab", "chemo": "paclitaxel"}, dose_level=1)
    paclitaxel = line(result, "paclitaxel")
    # level −1 = 150 mg/m²: 150 × 1.687207 = 253.081 mg → 250 mg (−1.22 %)
    assert paclitaxel.basis.magnitude == pytest.approx(150)
    assert paclitaxel.result.calculated.magnitude == pytest.approx(150 * BSA)
    assert paclitaxel.result.final.magnitude == pytest.approx(250)
    assert "dose_level.unavailable" not in codes(paclitaxel.flags)
    assert any("protocol dose level −1" in text for text in paclitaxel.derivation.lines())
    # sintilimab is a flat antibody dose without a ladder: given in full, with a note
    sintilimab = line(result, "sintilimab")
    assert sintilimab.result.final.magnitude == pytest.approx(200)
    assert codes(sintilimab.flags)["dose_level.not_applicable"] == "info"
    assert "dose_level.unavailable" not in codes(sintilimab.flags)


def test_dose_level_on_a_line_without_a_ladder() -> None:
    result = order("induction", {"pd1": "sintilimab", "chemo": "irinotecan"}, dose_level=1)
    irinotecan = line(result, "irinotecan")
    assert irinotecan.result.final.magnitude == pytest.approx(460)  # the protocol 270 mg/m², unchanged
    assert codes(irinotecan.flags)["dose_level.unavailable"] == "warning"
    flag = next(f for f in irinotecan.flags if f.code == "dose_level.unavailable")
    assert flag.params == {"drug": "irinotecan", "dose_level": 1}


def test_dose_level_beyond_the_ladder() -> None:
    result = order("induction", {"pd1": "sintilimab", "chemo": "paclitaxel"}, dose_level=3)  # the ladder has 2
    paclitaxel = line(result, "paclitaxel")
    assert paclitaxel.result.final.magnitude == pytest.approx(300)
    assert codes(paclitaxel.flags)["dose_level.unavailable"] == "warning"


def test_dose_level_two_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = [*INDUCTION, *PATIENT_ARGS, "--choose", "pd1=sintilimab", "--choose", "chemo=docetaxel"]
    status, payload, _ = cli(capsys, *args, "--dose-level", "2")
    assert status == 0
    docetaxel = json_line(payload, "docetaxel")
    # level −2 = 55 mg/m²: 55 × 1.687207 = 92.796 mg → 90 mg (−3.01 %)
    assert docetaxel["basis"] == {"value": pytest.approx(55), "unit": "mg/m**2"}
    assert docetaxel["calculated"]["value"] == pytest.approx(55 * BSA)
    assert docetaxel["final"]["value"] == pytest.approx(90)


@pytest.mark.parametrize("level", ["6", "-1", "1.5", "one"])
def test_a_bad_dose_level(capsys: pytest.CaptureFixture[str], level: str) -> None:
    args = [*INDUCTION, *PATIENT_ARGS, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel"]
    status, payload, _ = cli(capsys, *args, "--dose-level", level)
    assert status == 2
    assert payload["error"]["field"] == "dose-level"


# --- phase and cycle -------------------------------------------------------------------------------


@pytest.mark.parametrize("cycle", ["5", "0", "2.5"])
def test_a_cycle_outside_the_phase(capsys: pytest.CaptureFixture[str], cycle: str) -> None:
    args = [*INDUCTION, *PATIENT_ARGS, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel"]
    status, payload, err = cli(capsys, *args, "--cycle", cycle)
    assert status == 2
    assert payload["error"]["field"] == "cycle"
    assert err.startswith("cycle: ")
    assert main(["order", *args, "--cycle", "4", "--json"]) == 0  # the last of 4 cycles is fine
    capsys.readouterr()


def test_cycle_five_through_the_library() -> None:
    with pytest.raises(InputError) as caught:
        order("induction", {"pd1": "sintilimab", "chemo": "paclitaxel"}, cycle=5)
    assert caught.value.field == "cycle"
    assert order("salvage", {"rt": "45gy-25fx"}, cycle=5).cycle == 5  # salvage has 5 weekly cycles


def test_an_unknown_phase(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, err = cli(capsys, "--regimen", ESCC, "--phase", "consolidation", *PATIENT_ARGS)
    assert status == 2
    assert payload["error"]["field"] == "phase"
    assert "induction | maintenance | salvage" in err
    with pytest.raises(InputError) as caught:
        order("consolidation")
    assert caught.value.field == "phase"


# --- the JSON contract -----------------------------------------------------------------------------


def assert_quantity(value: Any, unit: str | None = None) -> None:
    assert isinstance(value, dict)
    assert set(value) == {"value", "unit"}
    assert isinstance(value["value"], int | float)
    assert not isinstance(value["value"], bool)
    assert isinstance(value["unit"], str)
    ureg.Quantity(value["value"], value["unit"])  # the unit parses back
    if unit is not None:
        assert value["unit"] == unit


def test_order_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, err = cli(capsys, *SALVAGE, *PATIENT_ARGS)
    assert (status, err) == (0, "")
    assert payload["regimen"]["id"] == ESCC
    assert payload["regimen"]["version"] == "1.0.0"
    assert payload["phase"] == "salvage"
    assert payload["cycle"] == 1
    assert isinstance(payload["lines"], list)
    assert [item["drug"] for item in payload["lines"]] == ["paclitaxel", "carboplatin"]
    for item in payload["lines"]:
        assert {"drug", "route", "days", "basis", "calculated", "final", "per_cycle", "derivation"} <= set(item)
        assert item["route"] == "intravenous"
        assert item["days"] == [1]
        assert_quantity(item["basis"])
        for key in ("calculated", "final", "per_cycle"):
            assert_quantity(item[key], "mg")
        assert isinstance(item["derivation"], list)
        assert all(isinstance(text, str) for text in item["derivation"])
        assert f"Source: {ESCC} v1.0.0 (approved)" in item["derivation"]
    paclitaxel, carboplatin = payload["lines"]
    assert paclitaxel["basis"] == {"value": 50, "unit": "mg/m**2"}
    assert paclitaxel["final"]["value"] == pytest.approx(50 * BSA)
    assert carboplatin["basis"]["value"] == 2
    assert carboplatin["final"]["value"] == pytest.approx(200)
    assert carboplatin["per_cycle"]["value"] == pytest.approx(200)  # one day a cycle
    assert isinstance(payload["flags"], list)
    assert payload["flags"]
    for flag in payload["flags"]:
        assert {"severity", "code", "message"} <= set(flag)
        assert flag["severity"] in {"info", "warning", "block"}
        assert isinstance(flag["code"], str)
        assert isinstance(flag["message"], str)
        assert flag["message"]
    assert_quantity(payload["bsa"], "m**2")
    assert payload["bsa"]["value"] == pytest.approx(BSA)


def test_policies_say_where_they_came_from(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, _ = cli(capsys, *SALVAGE, *PATIENT_ARGS)
    assert status == 0
    assert {p["from"] for p in payload["policies"]} == {"default"}
    assert {p["name"] for p in payload["policies"]} >= {"BSA formula", "Renal method", "GFR cap", "Creatinine floor"}

    low = [*PATIENT_ARGS[:-1], "0.5 mg/dL"]
    given = ["--bsa-formula", "dubois", "--creatinine-floor", "0.7 mg/dL", "--gfr-cap", "none"]
    status, payload, _ = cli(capsys, *SALVAGE, *low, *given, "--max-deviation", "10%")
    assert status == 0
    sources = {p["name"]: p["from"] for p in payload["policies"]}
    assert sources == {
        "BSA formula": "command line",
        "Renal method": "default",
        "Weight basis (renal)": "default",
        "Creatinine floor": "command line",
        "GFR cap": "command line",
        "Maximum rounding deviation": "command line",
        "Dose level": "default",
    }
    # DuBois: 0.007184 × 168^0.725 × 61^0.425; paclitaxel 50 mg/m² × BSA → 10 mg step within 10 %
    dubois = 0.007184 * 168**0.725 * 61**0.425
    assert payload["bsa"]["value"] == pytest.approx(dubois)
    paclitaxel = json_line(payload, "paclitaxel")
    assert paclitaxel["calculated"]["value"] == pytest.approx(50 * dubois)
    assert paclitaxel["final"]["value"] == pytest.approx(round(50 * dubois / 10) * 10)
    # creatinine 0.5 floored to 0.7 mg/dL: CG = 4636 / (72 × 0.7) = 91.98 mL/min; no cap;
    # AUC 2 × (91.98 + 25) = 233.97 mg → 230 mg (−1.70 %)
    carboplatin = json_line(payload, "carboplatin")
    assert carboplatin["calculated"]["value"] == pytest.approx(2 * ((140 - 64) * 61 / (72 * 0.7) + 25))
    assert carboplatin["final"]["value"] == pytest.approx(230)
    assert codes(payload["flags"])["carboplatin.no_gfr_cap"] == "warning"  # an estimated GFR without the FDA cap
    assert "carboplatin.gfr_capped" not in codes(payload["flags"])


def test_dose_level_policy_comes_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = [*INDUCTION, *PATIENT_ARGS, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel"]
    status, payload, _ = cli(capsys, *args, "--dose-level", "1")
    assert status == 0
    level = next(p for p in payload["policies"] if p["name"] == "Dose level")
    assert level["value"] == "−1"
    assert level["from"] == "command line"


def test_order_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["order", *SALVAGE, *PATIENT_ARGS]) == 0
    out = capsys.readouterr().out
    assert f"{ESCC} v1.0.0 — phase salvage, cycle 1" in out
    assert "DOSE 84.4 mg intravenous over 1 h, day 1" in out  # 84.360 mg kept exact
    assert "DOSE 200 mg intravenous over 30 min, day 1" in out
    assert "BLOCK: CARBOplatin: no dose limit configured" in out
    assert "WARNING: PACLitaxel: rounding to the vial step would exceed the maximum deviation" in out


# --- regimen status (site directory) ---------------------------------------------------------------


def site_regimen(directory: Path, regimen_id: str, status: str) -> Path:
    text = (shipped_directory() / f"{ESCC}.toml").read_text(encoding="utf-8")
    for old, new in ((f'id = "{ESCC}"', f'id = "{regimen_id}"'), ('status = "approved"', f'status = "{status}"')):
        assert text.count(old + "\n") == 1
        text = text.replace(old + "\n", new + "\n")
    directory.mkdir(exist_ok=True)
    (directory / f"{regimen_id}.toml").write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize("status", ["withdrawn", "superseded"])
def test_a_regimen_that_is_not_current_blocks(capsys: pytest.CaptureFixture[str], tmp_path: Path, status: str) -> None:
    site = site_regimen(tmp_path / "site", f"test-{status}", status)
    args = ["--regimen", f"test-{status}", "--phase", "maintenance", "--choose", "pd1=sintilimab", "--weight", "61 kg"]
    code, payload, _ = cli(capsys, *args, "--site-regimens", str(site))
    assert code == 0
    assert payload["regimen"]["status"] == status
    assert codes(payload["flags"])["regimen.not_current"] == "block"
    assert payload["blocked"] is True
    assert json_line(payload, "sintilimab")["final"]["value"] == pytest.approx(200)  # still computed
    assert f"test-{status} v1.0.0 is {status}" in next(
        f["message"] for f in payload["flags"] if f["code"] == "regimen.not_current"
    )


def test_a_draft_regimen_warns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = site_regimen(tmp_path / "site", "test-draft", "draft")
    args = ["--regimen", "test-draft", "--phase", "maintenance", "--choose", "pd1=sintilimab", "--weight", "61 kg"]
    code, payload, _ = cli(capsys, *args, "--site-regimens", str(site))
    assert code == 0
    assert codes(payload["flags"])["regimen.draft"] == "warning"
    assert "regimen.not_current" not in codes(payload["flags"])
    assert payload["blocked"] is False


def test_the_approved_maintenance_order_is_not_blocked(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--regimen", ESCC, "--phase", "maintenance", "--choose", "pd1=sintilimab", "--weight", "61 kg"]
    code, payload, _ = cli(capsys, *args)
    assert code == 0
    assert payload["blocked"] is False
    assert set(codes(payload["flags"])) == {"drug.strength_unconfirmed"}


# --- flags from the catalogue and the regimen (built in the test) ----------------------------------

_TEXT = {"en": "test", "zh": "测试"}
_CATALOGUE = Catalogue.model_validate(
    {
        "schema_version": 1,
        "drugs": [
            {
                "id": "paclitaxel",
                "generic": "paclitaxel",
                "display": "PACLitaxel",
                "zh": "紫杉醇",
                "drug_class": "taxane",
                "strengths": [{"amount": "100 mg", "form": "vial", "confirmed": True}],
                "rounding_step": "10 mg",
                "max_single_dose": "250 mg",
                "max_single_dose_source": "a test limit",
            },
            {  # no limit, no strength
                "id": "docetaxel",
                "generic": "docetaxel",
                "display": "DOCEtaxel",
                "zh": "多西他赛",
                "drug_class": "taxane",
                "rounding_step": "10 mg",
            },
            {
                "id": "sintilimab",
                "generic": "sintilimab",
                "display": "sintilimab",
                "zh": "信迪利单抗",
                "drug_class": "anti-PD-1 monoclonal antibody",
                "strengths": [{"amount": "100 mg", "form": "vial", "confirmed": True}],
                "rounding_step": "100 mg",
                "cumulative": {
                    "unit": "months",
                    "warn_at": 21,
                    "limit": 24,
                    "kind": "protocol",
                    "counts": "months since the first dose",
                    "source": "a test bound",
                },
            },
        ],
    }
)


def _line(drug: str, amount: str, order_: int, basis: str = "mg/m2", **extra: Any) -> dict[str, Any]:
    return {
        "drug": drug,
        "dose": {"basis": basis, "amount": amount, **extra.pop("dose", {})},
        "days": [1],
        "route": "intravenous",
        "order": order_,
        **extra,
    }


def _regimen(status: str = "approved") -> Regimen:
    return Regimen.model_validate(
        {
            "schema_version": 1,
            "id": "test-flags",
            "version": "0.1.0",
            "status": status,
            "review_date": "2030-01-01",
            "name": _TEXT,
            "indication": "test",
            "sources": [{"id": "TEST", "citation": "a test"}],
            "phases": [
                {
                    "id": "bsa",
                    "name": _TEXT,
                    "cycle_length_days": 21,
                    "cycles": 2,
                    "drugs": [_line("paclitaxel", "175 mg/m**2", 1), _line("docetaxel", "75 mg/m**2", 2)],
                },
                {
                    "id": "flat",
                    "name": _TEXT,
                    "cycle_length_days": 21,
                    "cycles": 2,
                    "drugs": [
                        _line(
                            "sintilimab",
                            "200 mg",
                            1,
                            basis="flat",
                            dose={"confirmed": False, "note": "from memory"},
                            weight_rule={"below": "60 kg", "dose": {"basis": "mg/kg", "amount": "3 mg/kg"}},
                        )
                    ],
                },
            ],
        }
    )


def _flags_order(phase: str, who: Patient, status: str = "approved") -> RegimenOrder:
    return compute_regimen_order(_regimen(status), _CATALOGUE, who, phase)


def test_above_the_maximum_single_dose_blocks() -> None:
    result = _flags_order("bsa", patient())
    paclitaxel = line(result, "paclitaxel")
    # 175 × 1.687207 = 295.26 → 300 mg, above the 250 mg maximum
    assert paclitaxel.result.final.magnitude == pytest.approx(300)
    assert codes(paclitaxel.flags) == {"dose.above_max_single": "block"}  # limit and strengths configured


def test_no_limit_and_no_strength_configured_block() -> None:
    result = _flags_order("bsa", patient())
    docetaxel = line(result, "docetaxel")
    # 75 × 1.687207 = 126.54 → 130 mg (+2.73 %)
    assert docetaxel.result.final.magnitude == pytest.approx(130)
    assert codes(docetaxel.flags) == {"drug.no_limit_configured": "block", "drug.no_strength_configured": "block"}


@pytest.mark.parametrize(
    ("weight", "expected_mg", "rounding_refused"),
    [
        ("61 kg", 200, False),  # not below 60 kg: the flat 200 mg
        ("60 kg", 200, False),  # "below" is strict
        ("59.9 kg", 3 * 59.9, True),  # 179.7 mg; 200 mg would be +11.3 %
        ("50 kg", 3 * 50, True),  # 150 mg; 200 mg would be +33 %
    ],
)
def test_weight_rule(weight: str, expected_mg: float, rounding_refused: bool) -> None:
    result = _flags_order("flat", Patient(weight=Weight.parse(weight)))
    sintilimab = line(result, "sintilimab")
    assert sintilimab.result.final.magnitude == pytest.approx(expected_mg)
    found = codes(sintilimab.flags)
    assert found["regimen.value_unconfirmed"] == "warning"
    assert ("rounding.refused" in found) is rounding_refused
    assert "weight_rule.no_weight" not in found
    assert any(text.startswith("  Weight rule: 3 mg/kg below 60 kg") for text in sintilimab.derivation.lines())


def test_weight_rule_without_a_weight_blocks() -> None:
    result = _flags_order("flat", Patient())
    sintilimab = line(result, "sintilimab")
    assert sintilimab.result.final.magnitude == pytest.approx(200)
    assert codes(sintilimab.flags)["weight_rule.no_weight"] == "block"
    assert result.blocked


def test_an_unconfirmed_value_names_its_note() -> None:
    result = _flags_order("flat", Patient(weight=Weight.parse("70 kg")))
    flag = next(f for f in result.flags if f.code == "regimen.value_unconfirmed")
    assert flag.severity is Severity.WARNING
    assert "200 mg" in flag.message
    assert "from memory" in flag.message
    assert not result.blocked


@pytest.mark.parametrize(
    ("status", "code", "blocked"), [("withdrawn", "regimen.not_current", True), ("draft", "regimen.draft", False)]
)
def test_status_flags_through_the_library(status: str, code: str, blocked: bool) -> None:
    result = _flags_order("flat", Patient(weight=Weight.parse("70 kg")), status)
    assert code in codes(result.flags)
    assert result.blocked is blocked
