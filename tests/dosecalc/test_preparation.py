"""Preparation: hand-worked cases for every drug of the catalogue, the vial choice, the stable range,
the rate × duration check and the per-day-rate refusal.

Every expected value below is worked by hand from the catalogue's strengths and the stated
convention (drug volume added to the nominal bag volume; rate = total ÷ duration, programmed to
0.1 mL/h), never copied from the code's output. The Alberta figures are from ISMP (Hosp Pharm,
PMC3138377; medication-safety §4): 5,250 mg over 4 days, 28.8 mL per 24 h, correct rate 1.2 mL/h.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dosecalc.derivation import Severity
from dosecalc.errors import InputError, UnitError
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.preparation import (
    Container,
    PreparationSettings,
    check_rate,
    final_concentration,
    infusion_rate,
    parse_diluent,
    parse_duration,
    parse_rate,
    preparation_json,
    prepare,
    prepare_line,
    presentations,
    programmed_rate,
    select_vials,
    summary_lines,
    volume_to_draw,
)
from dosecalc.preparation.vials import MAX_VIALS
from dosecalc.regimen.loader import load_library
from dosecalc.regimen.model import Strength
from dosecalc.regimen.order import compute_regimen_order
from dosecalc.units import Quantity

LIBRARY = load_library()
CATALOGUE = LIBRARY.catalogue
SITE = PreparationSettings.parse("50 mL, 100 mL, 250 mL, 500 mL, 1000 mL", "5 mL/h, 2 mL/h")


def mg(value: float) -> Quantity:
    return Quantity(float(value), "mg")


@dataclass(frozen=True)
class Case:
    drug: str
    dose_mg: float
    diluent: str | None
    duration: str | None
    vials: str  # as VialSelection.text()
    draw_ml: float
    total_ml: float | None
    concentration: float | None  # mg/mL, hand-worked to 3 decimals
    in_range: bool | None
    rate: float | None  # mL/h as programmed
    blocks: tuple[str, ...] = ()


CASES = [
    # 300 mg ÷ 6 mg/mL = 50 mL; 300 ÷ (500 + 50) = 0.545 mg/mL (0.3–1.2); 550 ÷ 3 = 183.33 → 183.3 mL/h.
    Case("paclitaxel", 300, "500 mL sodium chloride 0.9%", "3 h", "1 × 300 mg/50 mL vial", 50, 550, 0.545, True,
         183.3),
    # One 160 mg/8 mL vial (20 mg left = one smallest vial); 140 ÷ 20 = 7 mL; 140 ÷ 257 = 0.545; 257 mL/h.
    Case("docetaxel", 140, "250 mL sodium chloride 0.9%", "1 h", "1 × 160 mg/8 mL vial", 7, 257, 0.545, True, 257),
    # 300 + 40 mg = 15 + 2 mL; 340 ÷ 517 = 0.658 (0.12–2.8); 517 ÷ 1.5 = 344.67 → 344.7 mL/h.
    Case("irinotecan", 340, "500 mL glucose 5%", "90 min", "1 × 300 mg/15 mL vial + 1 × 40 mg/2 mL vial", 17, 517,
         0.658, True, 344.7),
    # 450 mg/45 mL; 450 ÷ 295 = 1.525 (0.5–10); 295 ÷ 0.5 = 590 mL/h.
    Case("carboplatin", 450, "250 mL glucose 5%", "30 min", "1 × 450 mg/45 mL vial", 45, 295, 1.525, True, 590),
    # 100 + 30 mg at 1 mg/mL = 130 mL; 130 ÷ 630 = 0.206; no range configured: BLOCK; 630 ÷ 2 = 315 mL/h.
    Case("cisplatin", 130, "500 mL sodium chloride 0.9%", "2 h", "1 × 100 mg/100 mL vial + 1 × 30 mg/30 mL vial",
         130, 630, 0.206, None, 315, ("preparation.range_not_configured",)),
    # One 200 mg/40 mL vial (50 mg left = one smallest vial, so one vial beats 100 + 50 mg): 150 ÷ 5 = 30 mL;
    # 150 ÷ 280 = 0.536 (0.2–0.7); 280 ÷ 2 = 140 mL/h.
    Case("oxaliplatin", 150, "250 mL glucose 5%", "2 h", "1 × 200 mg/40 mL vial", 30, 280, 0.536, True, 140),
    # Powder 200 mg + 5 mL water = 40 mg/mL: 5 mL; 200 ÷ 105 = 1.905; no range: BLOCK; 105 ÷ 0.5 = 210 mL/h.
    Case("camrelizumab", 200, "100 mL sodium chloride 0.9%", "30 min",
         "1 × 200 mg powder vial (+ 5 mL water for injection = 40 mg/mL)", 5, 105, 1.905, None, 210,
         ("preparation.range_not_configured",)),
    # 2 × 100 mg/10 mL = 20 mL; 200 ÷ 120 = 1.667; no range: BLOCK; 120 ÷ 0.5 = 240 mL/h.
    Case("sintilimab", 200, "100 mL sodium chloride 0.9%", "30 min", "2 × 100 mg/10 mL vial", 20, 120, 1.667, None,
         240, ("preparation.range_not_configured",)),
    # 2 × 100 mg/10 mL = 20 mL; 200 ÷ 120 = 1.667 (1–5); 120 ÷ 1 = 120 mL/h.
    Case("tislelizumab", 200, "100 mL sodium chloride 0.9%", "60 min", "2 × 100 mg/10 mL vial", 20, 120, 1.667,
         True, 120),
    # 240 mg/6 mL; 240 ÷ 106 = 2.264 (1–3); 106 mL/h.
    Case("toripalimab", 240, "100 mL sodium chloride 0.9%", "60 min", "1 × 240 mg/6 mL vial", 6, 106, 2.264, True,
         106),
    # 2 × 100 mg/4 mL = 8 mL; 200 ÷ 108 = 1.852 (1–10); 108 ÷ 0.5 = 216 mL/h.
    Case("pembrolizumab", 200, "100 mL sodium chloride 0.9%", "30 min", "2 × 100 mg/4 mL vial", 8, 108, 1.852, True,
         216),
    # 100 + 100 + 40 mg = 24 mL; 240 ÷ 124 = 1.935 (1–10); 124 ÷ 0.5 = 248 mL/h.
    Case("nivolumab", 240, "100 mL sodium chloride 0.9%", "30 min", "2 × 100 mg/10 mL vial + 1 × 40 mg/4 mL vial",
         24, 124, 1.935, True, 248),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.drug for c in CASES])
def test_hand_worked_preparation(case: Case) -> None:
    drug = CATALOGUE.get(case.drug)
    assert drug is not None
    made = prepare(
        drug,
        mg(case.dose_mg),
        diluent=parse_diluent(case.diluent) if case.diluent else None,
        duration=parse_duration(case.duration) if case.duration else None,
        settings=SITE,
    )
    assert made.container is Container.BAG
    assert made.vials is not None
    assert made.vials.text() == case.vials
    assert made.volume_to_draw.m_as("mL") == pytest.approx(case.draw_ml, abs=0.005)
    assert made.total_volume.m_as("mL") == pytest.approx(case.total_ml, abs=0.005)
    assert round(made.final_concentration.m_as("mg/mL"), 3) == case.concentration
    assert made.in_range is case.in_range
    assert made.rate.m_as("mL/h") == pytest.approx(case.rate, abs=1e-9)
    blocks = tuple(f.code for f in made.flags if f.severity is Severity.BLOCK)
    assert blocks == case.blocks
    assert "preparation.unconfirmed" in {f.code for f in made.flags}  # nothing here is confirmed against a label


def test_fluorouracil_46_hour_pump_hand_worked() -> None:
    """HAIC-FOLFOX fluorouracil 4,200 mg over 46 h in a 5 mL/h device.

    Vials (at most one 250 mg vial's worth left): 2,500 + 1,000 + 500 + 250 mg = 4,250 mg, 50 mg waste;
    draw 50 + 20 + 10 mL and 200 mg of the 25 mg/mL vial = 8 mL: 88 mL. Device 5 mL/h × 46 h = 230 mL;
    diluent 230 − 88 = 142 mL; 4,200 ÷ 230 = 18.261 mg/mL; 230 ÷ 46 = 5 mL/h.
    """
    drug = CATALOGUE.get("fluorouracil")
    assert drug is not None
    made = prepare(drug, mg(4200), duration=parse_duration("46 h"), pump_rate=parse_rate("5 mL/h"), settings=SITE)
    assert made.container is Container.PUMP
    assert made.vials is not None
    assert made.vials.waste.magnitude == 50
    assert made.volume_to_draw.m_as("mL") == pytest.approx(88)
    assert made.total_volume.m_as("mL") == pytest.approx(230)
    assert made.diluent is not None
    assert made.diluent.volume.m_as("mL") == pytest.approx(142)
    assert round(made.final_concentration.m_as("mg/mL"), 3) == 18.261
    assert made.rate.m_as("mL/h") == 5
    assert "preparation.rate_mismatch" not in {f.code for f in made.flags}
    assert any(line.startswith("  Check: rate × duration") for line in made.derivation.lines())


def test_alberta_device_gives_1_2_ml_per_hour() -> None:
    """5,250 mg = 5,000 mg/100 mL + 250 mg/10 mL = 110 mL, + 5.2 mL = 115.2 mL over 4 days: 1.2 mL/h."""
    drug = CATALOGUE.get("fluorouracil")
    assert drug is not None
    made = prepare(drug, mg(5250), diluent=parse_diluent("5.2 mL sodium chloride 0.9%"),
                   duration=parse_duration("4 day"), settings=SITE)  # fmt: skip
    assert made.container is Container.PUMP
    assert made.total_volume.m_as("mL") == pytest.approx(115.2)
    assert made.rate.m_as("mL/h") == pytest.approx(1.2)


def test_alberta_rate_fails_the_rate_times_duration_check() -> None:
    flag = check_rate(Quantity(28.8, "mL/h"), Quantity(96.0, "h"), Quantity(115.2, "mL"))
    assert flag is not None
    assert flag.severity is Severity.BLOCK
    assert flag.code == "preparation.rate_mismatch"
    assert check_rate(Quantity(1.2, "mL/h"), Quantity(4, "day"), Quantity(115.2, "mL")) is None


def test_a_per_day_volume_in_the_rate_formula_is_a_dimension_error() -> None:
    with pytest.raises(UnitError) as caught:
        infusion_rate(Quantity(28.8, "mL/day"), Quantity(96.0, "h"))
    assert caught.value.field == "volume"
    with pytest.raises(UnitError) as caught:
        check_rate(Quantity(115.2, "mL"), Quantity(96.0, "h"), Quantity(115.2, "mL"))
    assert caught.value.field == "rate"
    with pytest.raises(UnitError) as caught:
        volume_to_draw(Quantity(175.0, "mg/m**2"), Quantity(6.0, "mg/mL"))
    assert caught.value.field == "dose"
    with pytest.raises(UnitError) as caught:
        final_concentration(Quantity(300.0, "mg"), Quantity(5.0, "mL/h"), Quantity(50.0, "mL"))
    assert caught.value.field == "diluent"


@pytest.mark.parametrize(
    ("text", "code"),
    [("28.8 mL/day", "rate.not_per_hour"), ("1.2 mL/min", "rate.not_per_hour"), ("28.8 mL", "rate.is_volume"),
     ("5 mg/h", "unit.not_allowed"), ("0 mL/h", "value.not_positive"), ("-5 mL/h", "value.not_positive"),
     ("5", "unit.missing"), ("nan mL/h", "value.not_finite"), ("", "value.missing")],
)  # fmt: skip
def test_rate_field_accepts_ml_per_hour_only(text: str, code: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_rate(text)
    assert (caught.value.field, caught.value.code) == ("rate", code)


@pytest.mark.parametrize("text", ["0 h", "0 min", "-3 h", "3 mL", "3", "8 day", "inf h"])
def test_bad_durations_name_the_field(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_duration(text)
    assert caught.value.field == "duration"


@pytest.mark.parametrize(
    "text", ["", "500", "500 mL", "500 mL water", "0 mL glucose 5%", "4 L glucose 5%", "500 mg glucose 5%", "NS"]
)
def test_bad_diluents_name_the_field(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_diluent(text)
    assert caught.value.field == "diluent"


@pytest.mark.parametrize(
    ("text", "volume", "solution"),
    [("500 mL sodium chloride 0.9%", 500, "sodium chloride 0.9%"), ("0.25 L 5% glucose", 250, "glucose 5%"),
     ("100 mL 0.9% sodium chloride", 100, "sodium chloride 0.9%"), ("250 mL 5%葡萄糖", 250, "glucose 5%")],
)  # fmt: skip
def test_diluent_text(text: str, volume: float, solution: str) -> None:
    bag = parse_diluent(text)
    assert (bag.volume.m_as("mL"), bag.solution.value) == (volume, solution)


# ---------------------------------------------------------------------------------------- vials

PACLITAXEL = presentations(CATALOGUE.get("paclitaxel").strengths)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("dose", "expected", "left"),
    [
        (160, "1 × 150 mg/25 mL vial + 1 × 30 mg/5 mL vial", 20),  # not one 300 mg vial leaving 140 mg
        (200, "2 × 100 mg/16.7 mL vial", 0),  # not one 300 mg vial leaving 100 mg
        (290, "1 × 300 mg/50 mL vial", 10),  # one vial; 10 mg left is less than a 30 mg vial
        (175, "1 × 150 mg/25 mL vial + 1 × 30 mg/5 mL vial", 5),
        (330, "1 × 300 mg/50 mL vial + 1 × 30 mg/5 mL vial", 0),
        (30, "1 × 30 mg/5 mL vial", 0),
        (25, "1 × 30 mg/5 mL vial", 5),
    ],
)
def test_fewest_vials_for_paclitaxel(dose: float, expected: str, left: float) -> None:
    chosen = select_vials(dose, PACLITAXEL)
    assert chosen.text() == expected
    assert chosen.kept.magnitude == pytest.approx(left)  # paclitaxel vials are multi-dose: kept, not wasted
    assert chosen.waste.magnitude == 0


def test_paclitaxel_volume_is_dose_over_six() -> None:
    """160 mg: 25 mL (whole 150 mg vial) + 10 mg ÷ 6 mg/mL = 1.667 mL: 26.667 mL = 160 ÷ 6."""
    assert select_vials(160, PACLITAXEL).volume.m_as("mL") == pytest.approx(160 / 6)


def test_docetaxel_one_vial_when_the_remainder_is_one_small_vial() -> None:
    docetaxel = presentations(CATALOGUE.get("docetaxel").strengths)  # type: ignore[union-attr]
    chosen = select_vials(140, docetaxel)
    assert (chosen.text(), chosen.waste.magnitude) == ("1 × 160 mg/8 mL vial", 20)


def test_a_dose_needing_more_than_40_vials_is_refused() -> None:
    options = presentations([Strength(amount="10 mg", volume="10 mL", form="vial")])
    with pytest.raises(InputError) as caught:
        select_vials(401, options)
    assert caught.value.field == "dose"
    assert "40 vials" in caught.value.reason


def test_tie_break_prefers_fewer_presentations_then_larger_vials() -> None:
    options = presentations([Strength(amount=f"{a} mg", volume=f"{a} mL", form="vial") for a in (10, 20, 40)])
    # 40 mg: 1 × 40. 60 mg: 40 + 20 (2 vials). 80 mg: 2 × 40 (one presentation) rather than 40 + 20 + 20.
    assert select_vials(80, options).text() == "2 × 40 mg/40 mL vial"


@st.composite
def _shelf(draw: st.DrawFn) -> tuple[float, tuple[int, ...]]:
    sizes = draw(st.lists(st.sampled_from([10, 20, 30, 40, 50, 80, 100, 150, 160, 200, 300]), min_size=1, max_size=4,
                          unique=True))  # fmt: skip
    return draw(st.floats(min_value=1, max_value=900, allow_nan=False)), tuple(sizes)


@settings(max_examples=150, deadline=None)
@given(_shelf())
def test_vial_choice_is_the_exact_optimum(case: tuple[float, tuple[int, ...]]) -> None:
    """Against brute force: covers the dose, leaves at most the smallest vial, and no combination
    meeting that uses fewer vials, or as few with less remainder."""
    dose, sizes = case
    assume(dose <= MAX_VIALS * max(sizes))
    options = presentations([Strength(amount=f"{s} mg", volume=f"{s} mL", form="vial") for s in sizes])
    chosen = select_vials(dose, options)
    opened = chosen.opened_mg
    assert opened >= dose - 1e-9
    assert opened - dose <= min(sizes) + 1e-9
    assert chosen.volume.m_as("mL") == pytest.approx(dose)  # 1 mg/mL here
    for count in range(1, chosen.vial_count + 1):
        for combo in itertools.combinations_with_replacement(sizes, count):
            left = sum(combo) - dose
            if -1e-9 <= left <= min(sizes) + 1e-9:
                assert count == chosen.vial_count
                assert left >= opened - dose - 1e-6


# ---------------------------------------------------------------------------------------- range and bags


def test_out_of_range_blocks_and_names_the_bags_that_fit() -> None:
    """300 mg in 100 mL: 300 ÷ 150 = 2 mg/mL > 1.2. Fit: 250 mL (1.0) and 500 mL (0.545); 1,000 mL gives
    0.286 < 0.3 and 50 mL gives 3."""
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(300), diluent=parse_diluent("100 mL sodium chloride 0.9%"), settings=SITE)
    assert made.in_range is False
    assert [q.magnitude for q in made.fitting_bags] == [250, 500]
    block = next(f for f in made.flags if f.code == "preparation.out_of_range")
    assert block.severity is Severity.BLOCK
    assert "250 mL, 500 mL" in block.message
    assert "above" in block.message


def test_below_the_range_blocks_too() -> None:
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(60), diluent=parse_diluent("500 mL glucose 5%"), settings=SITE)  # 60 ÷ 510 = 0.118
    assert made.in_range is False
    assert "below" in next(f.message for f in made.flags if f.code == "preparation.out_of_range")


def test_no_bag_given_proposes_the_smallest_bag_in_range() -> None:
    """Paclitaxel 300 mg: 50 mL → 3, 100 mL → 2, 250 mL → 1.0 (in range): 250 mL of the first diluent."""
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(300), settings=SITE)
    assert made.diluent is not None
    assert made.diluent.text() == "250 mL sodium chloride 0.9 %"
    assert made.in_range is True
    assert made.duration.m_as("h") == 3  # the catalogue's usual duration


def test_oxaliplatin_in_sodium_chloride_blocks() -> None:
    drug = CATALOGUE.get("oxaliplatin")
    assert drug is not None
    made = prepare(drug, mg(150), diluent=parse_diluent("250 mL sodium chloride 0.9%"), settings=SITE)
    block = next(f for f in made.flags if f.code == "preparation.diluent_not_allowed")
    assert block.severity is Severity.BLOCK
    assert "glucose 5 %" in block.message


def test_an_infusion_longer_than_the_product_keeps_blocks() -> None:
    drug = CATALOGUE.get("oxaliplatin")  # use within 6 h
    assert drug is not None
    made = prepare(drug, mg(150), diluent=parse_diluent("500 mL glucose 5%"), duration=parse_duration("8 h"))
    assert "preparation.outlasts_stability" in {f.code for f in made.flags if f.severity is Severity.BLOCK}


def test_requirements_of_paclitaxel() -> None:
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(300), settings=SITE)
    text = " | ".join(made.requirements)
    assert "non-PVC" in text
    assert "0.22 µm in-line filter" in text
    assert "for intravenous use only" in text
    assert made.use_within.m_as("h") == 27


@pytest.mark.parametrize("drug_id", ["ipilimumab", "calcium-folinate"])
def test_a_drug_without_strengths_blocks(drug_id: str) -> None:
    drug = CATALOGUE.get(drug_id)
    assert drug is not None
    made = prepare(drug, mg(100), settings=SITE)
    assert [f.code for f in made.flags] == ["preparation.no_strength"]
    assert made.blocked
    assert made.vials is None


@pytest.mark.parametrize("drug_id", ["capecitabine", "anlotinib"])
def test_an_oral_drug_says_there_is_nothing_to_prepare(drug_id: str) -> None:
    drug = CATALOGUE.get(drug_id)
    assert drug is not None
    made = prepare(drug, mg(12), settings=SITE)
    assert not made.needed
    assert made.container is Container.NONE
    assert not made.blocked
    assert "nothing to prepare" in made.flags[0].message
    assert summary_lines(made)[0].endswith("(oral)")
    assert preparation_json(made)["prepared"] is False


def test_every_catalogue_drug_is_prepared_or_says_why() -> None:
    for drug in CATALOGUE.drugs:
        made = prepare(drug, mg(100), settings=SITE)
        assert made.flags, drug.id
        assert made.needed or drug.oral


def test_a_bolus_is_drawn_undiluted() -> None:
    """Fluorouracil 700 mg, no duration: 500 mg/10 mL whole + 200 mg of the 250 mg/10 mL vial = 8 mL."""
    drug = CATALOGUE.get("fluorouracil")
    assert drug is not None
    made = prepare(drug, mg(700), settings=SITE)
    assert made.container is Container.SYRINGE
    assert made.volume_to_draw.m_as("mL") == pytest.approx(18)
    assert made.in_range is None
    assert made.rate is None
    assert not any(r.startswith("dilute") for r in made.requirements)


def test_no_duration_for_a_drug_that_is_never_pushed_blocks() -> None:
    drug = CATALOGUE.get("cisplatin")
    assert drug is not None
    made = prepare(drug, mg(130), settings=SITE, duration=None)
    assert made.duration.m_as("h") == 2  # the catalogue's
    stripped = drug.model_copy(
        update={"preparation": drug.preparation.model_copy(  # type: ignore[union-attr]
            update={"administration": drug.preparation.administration.model_copy(update={"duration": None})})}  # type: ignore[union-attr]
    )  # fmt: skip
    assert "preparation.no_duration" in {f.code for f in prepare(stripped, mg(130)).flags}


def test_a_pump_that_cannot_hold_the_drug_blocks() -> None:
    drug = CATALOGUE.get("fluorouracil")
    assert drug is not None
    made = prepare(drug, mg(4200), duration=parse_duration("46 h"), pump_rate=parse_rate("1 mL/h"))  # 46 < 88 mL
    assert "preparation.pump_too_small" in {f.code for f in made.flags}


def test_dose_must_be_a_mass() -> None:
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    for dose in (Quantity(175.0, "mg/m**2"), Quantity(0.0, "mg"), 300):
        with pytest.raises(InputError) as caught:
            prepare(drug, dose)
        assert caught.value.field == "dose"


# ---------------------------------------------------------------------------------------- rates


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=10, max_value=3000), st.floats(min_value=0.25, max_value=168))
def test_programmed_rate_times_duration_is_the_volume(volume: float, hours: float) -> None:
    """Rounding to 0.1 mL/h moves rate × duration by at most 0.05 × hours: the check passes exactly when
    that is within 2 % of the volume, and always at 5 mL/h or more."""
    total, duration = Quantity(volume, "mL"), Quantity(hours, "h")
    rate = programmed_rate(infusion_rate(total, duration))
    apart = abs(Decimal(repr(rate.magnitude * hours)) - Decimal(repr(volume))) / Decimal(repr(volume))
    assert (check_rate(rate, duration, total) is None) == (apart <= Decimal("0.02"))
    if volume / hours >= 5:
        assert check_rate(rate, duration, total) is None


# ---------------------------------------------------------------------------------------- order lines


def _order(regimen: str, phase: str, **choices: str) -> object:
    patient = Patient(
        age_years=60, sex=Sex.MALE, height=Height.parse("170 cm"), weight=Weight.parse("65 kg"),
        creatinine=SerumCreatinine.parse("80 µmol/L"),
    )  # fmt: skip
    return compute_regimen_order(LIBRARY.regimens[regimen], CATALOGUE, patient, phase, 1, choices)


def test_haic_folfox_46_hour_fluorouracil_from_the_order() -> None:
    """BSA (Mosteller) √(170 × 65 / 3600) = 1.7520 m²; 2,400 mg/m² × 1.752 = 4,204.8 → 4,200 mg (10 mg step).
    The line's 46 h puts it in the site's first pump (5 mL/h, 230 mL)."""
    order = _order("escc-haic-sintilimab", "haic")
    line = order.lines[-1]  # type: ignore[attr-defined]
    made = prepare_line(line, SITE)
    assert made.dose.magnitude == 4200
    assert made.container is Container.PUMP
    assert made.duration.m_as("h") == 46
    assert (made.total_volume.m_as("mL"), made.rate.m_as("mL/h")) == (pytest.approx(230), 5)
    assert made.route.value == "hepatic intra-arterial"
    assert "for hepatic intra-arterial use only" in made.requirements
    assert made.derivation.source is not None
    assert "escc-haic-sintilimab v1.0.0" in made.derivation.source


def test_every_line_of_every_shipped_regimen_prepares_or_says_why() -> None:
    for regimen in LIBRARY.regimens.values():
        for phase in regimen.phases:
            choices = {g.id: g.options[0].id for g in regimen.choice_groups}
            order = _order(regimen.id, phase.id, **choices)
            for line in order.lines:  # type: ignore[attr-defined]
                made = prepare_line(line, SITE)
                assert made.flags, (regimen.id, line.drug.id)
                if line.line.route.value == "oral":
                    assert not made.needed


def test_a_5_day_line_is_one_bag_a_day() -> None:
    order = _order("escc-keynote-590", "treatment")
    line = next(item for item in order.lines if item.drug.id == "fluorouracil")  # type: ignore[attr-defined]
    made = prepare_line(line, SITE)
    assert made.days == 5
    assert made.container is Container.BAG
    assert any("one per day, on 5 days" in text for text in made.derivation.lines())


def test_expiry_from_the_use_within_time() -> None:
    import datetime as dt

    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(300), settings=SITE)
    start = dt.datetime(2026, 12, 7, 9, 0)
    assert made.expiry(start) == dt.datetime(2026, 12, 8, 12, 0)  # + 27 h
    assert prepare(CATALOGUE.get("sintilimab"), mg(200)).expiry(start) is None  # type: ignore[arg-type]


def test_settings_parse_and_refuse() -> None:
    with pytest.raises(InputError) as caught:
        PreparationSettings.parse("", "5 mL/h")
    assert caught.value.field == "bag-sizes"
    with pytest.raises(InputError) as caught:
        PreparationSettings.parse("100 mL", "28.8 mL/day")
    assert caught.value.field == "pump-rates"


def test_summary_lines_and_json_of_a_bag() -> None:
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(300), diluent=parse_diluent("500 mL sodium chloride 0.9%"), settings=SITE)
    lines = summary_lines(made)
    assert lines[0] == "PACLitaxel 300 mg intravenous: infusion bag"
    assert "Volume to draw: 50 mL" in lines
    assert "Final concentration: 0.545 mg/mL (in range 0.3 mg/mL–1.2 mg/mL)" in lines
    assert "Rate: 183.3 mL/h over 3 h" in lines
    payload = preparation_json(made)
    assert payload["waste"] == {"value": 0.0, "unit": "mg"}
    assert payload["diluent"] == {"volume": {"value": 500.0, "unit": "mL"}, "solution": "sodium chloride 0.9%"}


def test_no_site_bag_fits_proposes_the_largest_and_blocks() -> None:
    """Paclitaxel 3,000 mg = 500 mL: even 1,000 mL gives 3,000 ÷ 1,500 = 2 mg/mL, above 1.2."""
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug, mg(3000), settings=SITE)
    assert made.diluent is not None
    assert made.diluent.volume.m_as("mL") == 1000
    assert made.in_range is False
    assert "no site bag size fits" in next(f.message for f in made.flags if f.code == "preparation.out_of_range")


def test_a_drug_without_preparation_data_blocks_after_the_vials() -> None:
    drug = CATALOGUE.get("paclitaxel")
    assert drug is not None
    made = prepare(drug.model_copy(update={"preparation": None}), mg(300), settings=SITE)
    assert made.vials is not None
    assert made.volume_to_draw.m_as("mL") == 50
    assert [f.code for f in made.flags] == ["preparation.no_data"]


def test_no_site_pump_fits_blocks() -> None:
    """88 mL of fluorouracil over 46 h: a 1 mL/h device holds 46 mL."""
    drug = CATALOGUE.get("fluorouracil")
    assert drug is not None
    small = PreparationSettings.parse("100 mL", "1 mL/h")
    made = prepare(drug, mg(4200), duration=parse_duration("46 h"), settings=small)
    assert "preparation.no_pump_fits" in {f.code for f in made.flags}
    assert made.rate is None
