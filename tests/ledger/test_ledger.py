"""The cumulative-dose ledger and pre-cycle checks (pure core), against hand-computed figures.

Sources of the figures:
- ESC 2022 cardio-oncology guidelines (doi:10.1093/eurheartj/ehac244), doxorubicin equivalents:
  epirubicin × 0.8, daunorubicin × 0.6, mitoxantrone × 10.5, idarubicin × 5; worked example
  125 mg/m² epirubicin × 0.8 = 100 mg/m² doxorubicin (clinical-reference §5).
- Nieder et al., IJROBP 2006;66:1446 and QUANTEC (clinical-reference §5): BED = D × (1 + d/(α/β));
  cord 45 Gy/30 fx + 30 Gy/28 fx at α/β 2 Gy = 78.75 + 46.07 = 124.82 Gy₂ (known-answers rt-cum-cord-bed-08).
- ORIENT-15 (BMJ 2022;377:e068714): PD-1 at most 24 months; KEYNOTE-590 / label: 35 cycles (clinical-reference §6).
- medication-safety §2 B3 (freshness windows), B4 (10 % weight change: 9.9 % does not flag, 10.1 % does),
  H1–H2 (totals at each administration's BSA, only what was given counts, priors with their source).
- clinical-reference §7 day-1 go criteria [P]: ANC ≥ 1.5, platelets ≥ 100 ×10⁹/L, Hb ≥ 9 g/dL, bilirubin
  ≤ 1.5 × ULN, AST/ALT ≤ 2.5 × ULN (NCT06048926).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import ValidationError

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.ledger import (
    DEFAULT_SETTINGS,
    Administration,
    Day1Thresholds,
    DrugTotal,
    FreshnessWindows,
    LedgerSettings,
    PlannedDose,
    PriorDose,
    Reading,
    RtCourse,
    apply_overrides,
    day1_lab_check,
    drug_totals,
    pd1_bound,
    radiotherapy_sums,
    staleness,
    status_of,
    weight_change,
)
from dosecalc.regimen.loader import load_library
from dosecalc.regimen.model import Catalogue

D = dt.date(2026, 11, 21)
ANTHRACYCLINE = {"drug_class": "anthracycline", "zh": "蒽环类"}
#: ESC 2022 doxorubicin equivalents (clinical-reference §5).
ESC_2022 = {"epirubicin": 0.8, "daunorubicin": 0.6, "mitoxantrone": 10.5, "idarubicin": 5.0}


def catalogue(limit: float | None = 500, warn_at: float = 500, unit: str = "mg/m2") -> Catalogue:
    """A test catalogue: the shipped one has no anthracycline (regimens/drugs.toml)."""
    cumulative: dict[str, Any] = {
        "unit": unit,
        "warn_at": warn_at,
        "kind": "label",
        "equivalents": ESC_2022,
        "counts": "doxorubicin equivalents, mg/m² at each administration's BSA",
        "source": "ESC 2022 (doi:10.1093/eurheartj/ehac244)",
    }
    if limit is not None:
        cumulative["limit"] = limit
    return Catalogue.model_validate(
        {
            "schema_version": 1,
            "drugs": [
                {
                    **ANTHRACYCLINE,
                    "id": "doxorubicin",
                    "generic": "doxorubicin",
                    "display": "DOXOrubicin",
                    "cumulative": cumulative,
                },
                {**ANTHRACYCLINE, "id": "epirubicin", "generic": "epirubicin", "display": "epirubicin"},
                {**ANTHRACYCLINE, "id": "daunorubicin", "generic": "daunorubicin", "display": "DAUNOrubicin"},
                {
                    "id": "bleo",
                    "generic": "testmycin",
                    "display": "testmycin",
                    "zh": "测试",
                    "drug_class": "test",
                    "cumulative": {
                        "unit": "mg",
                        "warn_at": 800,
                        "limit": 1000,
                        "kind": "protocol",
                        "counts": "mg",
                        "source": "test",
                    },
                },
                {
                    "id": "sintilimab",
                    "generic": "sintilimab",
                    "display": "sintilimab",
                    "zh": "信迪利单抗",
                    "drug_class": "anti-PD-1 monoclonal antibody",
                    "cumulative": {
                        "unit": "months",
                        "warn_at": 21,
                        "limit": 24,
                        "kind": "protocol",
                        "counts": "months since the first PD-1 dose",
                        "source": "ORIENT-15",
                    },
                },
            ],
        }
    )


def given(drug: str, mg: float, bsa: float | None, day: int = 1, status: str = "given") -> Administration:
    return Administration(drug, status, mg, D - dt.timedelta(days=100 - day), bsa)


def by_label(totals: tuple[DrugTotal, ...]) -> dict[str, DrugTotal]:
    return {t.label: t for t in totals}


def codes(flags: tuple[Flag, ...]) -> list[str]:
    return [f.code for f in flags]


# ------------------------------------------------------------------------------------------------ drug totals


def test_esc_2022_worked_example_300_doxorubicin_plus_125_epirubicin_is_400() -> None:
    # 3 × 150 mg doxorubicin at 1.5 m² = 3 × 100 = 300 mg/m²; epirubicin 200 mg at 1.6 m² = 125 mg/m²,
    # × 0.8 = 100 mg/m² doxorubicin; class total 400 mg/m² (ESC 2022, clinical-reference §5).
    records = [given("doxorubicin", 150, 1.5, d) for d in (1, 22, 43)] + [given("epirubicin", 200, 1.6, 64)]
    totals = by_label(drug_totals(records, [], catalogue()))
    assert list(totals) == ["doxorubicin equivalents", "epirubicin"]
    klass = totals["doxorubicin equivalents"]
    assert klass.class_total
    assert klass.unit == "mg/m2"
    assert klass.total == pytest.approx(400.0)
    shares = {c.drug: (c.factor, c.given_mg_per_m2) for c in klass.contributions if c.counted}
    assert shares == {"doxorubicin": (1.0, pytest.approx(300.0)), "epirubicin": (0.8, pytest.approx(125.0))}
    assert "epirubicin × 0.8" in klass.flags[0].message  # 400 of 500 = 80 %: the warning shows the factor
    assert totals["epirubicin"].unit is None  # no limit of its own: shown, not judged
    assert totals["epirubicin"].mg_per_m2.total == pytest.approx(125.0)


def test_esc_2022_example_with_doxorubicin_declared_as_a_prior_dose() -> None:
    prior = PriorDose("doxorubicin", "300 mg/m**2", "discharge letter, other hospital", dt.date(2024, 5, 1))
    klass = drug_totals([given("epirubicin", 200, 1.6)], [prior], catalogue())[0]
    assert (klass.amount.given, klass.amount.prior, klass.total) == (pytest.approx(100.0), 300.0, pytest.approx(400))
    assert klass.contributions[0].priors == (prior,)


def test_other_esc_factors_daunorubicin_0_6() -> None:
    # daunorubicin 100 mg/m² × 0.6 = 60 mg/m² doxorubicin equivalents.
    klass = drug_totals([given("daunorubicin", 200, 2.0)], [], catalogue())[0]
    assert klass.label == "doxorubicin equivalents"
    assert klass.total == pytest.approx(60.0)


def test_mg_per_m2_uses_the_bsa_of_each_administration() -> None:
    # 150 mg at 1.5 m² = 100 mg/m²; 150 mg at 2.0 m² = 75 mg/m² → 175 mg/m² (H1), not 300 mg / mean BSA.
    totals = drug_totals([given("doxorubicin", 150, 1.5), given("doxorubicin", 150, 2.0, 22)], [], catalogue())
    assert totals[0].total == pytest.approx(175.0)
    assert totals[0].mg.total == pytest.approx(300.0)


def test_held_doses_do_not_count_modified_doses_do() -> None:
    records = [
        given("doxorubicin", 150, 1.5),
        given("doxorubicin", 150, 1.5, 22, status="held"),  # a held record never counts, whatever its dose
        given("doxorubicin", 75, 1.5, 43, status="modified"),
        given("doxorubicin", 150, 1.5, 64, status="planned"),  # not a recorded status: ignored
    ]
    total = drug_totals(records, [], catalogue())[0]
    assert total.total == pytest.approx(150.0)
    own = total.contributions[0]
    assert (own.counted, own.held) == (2, 1)


def test_priors_in_mg_per_m2_mg_and_g_per_m2() -> None:
    priors = [PriorDose("doxorubicin", "0.1 g/m**2", "letter"), PriorDose("doxorubicin", "50 mg/m**2", "letter")]
    assert drug_totals([], priors, catalogue())[0].total == pytest.approx(150.0)
    mass = drug_totals([], [PriorDose("bleo", "450 mg", "letter")], catalogue())[0]
    assert (mass.unit, mass.total) == ("mg", 450.0)


def test_a_prior_in_the_wrong_unit_or_unreadable_is_flagged_not_counted() -> None:
    priors = [
        PriorDose("doxorubicin", "450 mg", "letter"),  # mg cannot count in mg/m² without a BSA
        PriorDose("doxorubicin", "six cycles", "letter"),
        PriorDose("doxorubicin", "2 mg/kg", "letter"),
    ]
    total = drug_totals([given("doxorubicin", 150, 1.5)], priors, catalogue())[0]
    assert total.total == pytest.approx(100.0)
    assert total.mg.total == pytest.approx(600.0)  # the mg prior counts in mg
    flag = next(f for f in total.flags if f.code == "cumulative.prior_not_counted")
    assert flag.severity is Severity.BLOCK  # a hard limit: an incomplete total blocks
    assert flag.params["count"] == 3
    assert "450 mg" in flag.message
    assert "six cycles" in flag.message
    assert "per kg" in flag.message


def test_administration_without_bsa_is_flagged_never_guessed() -> None:
    records = [given("doxorubicin", 150, 1.5), given("doxorubicin", 150, None, 22)]
    total = drug_totals(records, [], catalogue())[0]
    assert total.total == pytest.approx(100.0)  # only the one with a BSA counts in mg/m²
    assert total.mg.total == pytest.approx(300.0)  # both count in mg
    assert not total.amount.complete
    flag = next(f for f in total.flags if f.code == "cumulative.bsa_missing")
    assert flag.severity is Severity.BLOCK
    assert flag.params["count"] == 1
    # Without a hard limit (warn_at only) the incomplete total warns.
    soft = drug_totals(records, [], catalogue(limit=None, warn_at=400))[0]
    assert next(f for f in soft.flags if f.code == "cumulative.bsa_missing").severity is Severity.WARNING
    # In an mg limit a missing BSA does not matter.
    mass = drug_totals([given("bleo", 100, None)], [], catalogue())[0]
    assert mass.flags == ()


@pytest.mark.parametrize(
    ("mg", "expected"),
    [
        (799.0, []),  # 399.5 mg/m² = 79.9 % of 500
        (800.0, ["cumulative.warning"]),  # 400 mg/m² = 80 %
        (998.0, ["cumulative.warning"]),  # 499 mg/m²
        (1000.0, ["cumulative.limit_reached"]),  # 500 mg/m² = 100 %: block at the limit
        (1100.0, ["cumulative.limit_reached"]),
    ],
)
def test_warn_at_80_percent_and_block_at_the_limit(mg: float, expected: list[str]) -> None:
    total = drug_totals([given("doxorubicin", mg, 2.0)], [], catalogue(limit=500, warn_at=500))[0]
    assert codes(total.flags) == expected
    if expected:
        severity = Severity.BLOCK if expected[0] == "cumulative.limit_reached" else Severity.WARNING
        assert total.flags[0].severity is severity
        assert total.flags[0].params["warn_at"] == 400.0


def test_float_noise_at_the_edge_still_warns() -> None:
    # 3 × 133.333… mg/m² computed from mg and BSA sums to 399.99999999999994 in floats: still 80 %.
    records = [given("doxorubicin", 200, 1.5, d) for d in (1, 22, 43)]
    total = drug_totals(records, [], catalogue(limit=500, warn_at=500))[0]
    assert codes(total.flags) == ["cumulative.warning"]


def test_warn_fraction_is_settable_and_warn_at_wins_when_earlier() -> None:
    cat = catalogue(limit=500, warn_at=500)
    record = [given("doxorubicin", 850, 2.0)]  # 425 mg/m²
    assert codes(drug_totals(record, [], cat, warn_fraction=0.9)[0].flags) == []  # warns from 450
    assert codes(drug_totals(record, [], cat, warn_fraction=0.8)[0].flags) == ["cumulative.warning"]
    earlier = catalogue(limit=500, warn_at=350)  # warn_at below 80 % of the limit: it comes first
    assert drug_totals([given("doxorubicin", 700, 2.0)], [], earlier)[0].warn_threshold == 350
    no_limit = catalogue(limit=None, warn_at=400)  # warn_at only: warn, never block
    assert codes(drug_totals([given("doxorubicin", 1200, 2.0)], [], no_limit)[0].flags) == ["cumulative.warning"]


def test_projected_totals_for_the_cycles_still_planned() -> None:
    # 300 mg/m² given; three planned cycles of 50 mg/m² → projected 450 mg/m²; next day 350 mg/m².
    planned = [PlannedDose("doxorubicin", D + dt.timedelta(days=21 * i), mg_per_m2=50) for i in range(3)]
    total = drug_totals([given("doxorubicin", 600, 2.0)], [], catalogue(limit=500, warn_at=500), planned=planned)[0]
    amount = total.amount
    assert (amount.total, amount.next, amount.next_total, amount.projected) == (300.0, 50.0, 350.0, 450.0)
    assert amount.next_on == D
    assert codes(total.flags) == ["cumulative.projected_warning"]
    assert total.flags[0].severity is Severity.INFO
    # The total itself never includes what is planned.
    assert total.to_json()["total"] == 300.0


def test_next_planned_day_past_the_limit_blocks_up_to_the_limit_does_not() -> None:
    cat = catalogue(limit=500, warn_at=500)
    done = [given("doxorubicin", 900, 2.0)]  # 450 mg/m²
    to_limit = [PlannedDose("doxorubicin", D, mg_per_m2=50)]  # reaches exactly 500: allowed
    assert codes(drug_totals(done, [], cat, planned=to_limit)[0].flags) == ["cumulative.warning"]
    past = [PlannedDose("doxorubicin", D, mg_per_m2=51)]
    flags = drug_totals(done, [], cat, planned=past)[0].flags
    assert codes(flags) == ["cumulative.warning", "cumulative.next_over_limit"]
    assert flags[1].severity is Severity.BLOCK
    later = [PlannedDose("doxorubicin", D, mg_per_m2=40), PlannedDose("doxorubicin", D + dt.timedelta(21), 40)]
    assert codes(drug_totals(done, [], cat, planned=later)[0].flags) == [
        "cumulative.warning",
        "cumulative.projected_over_limit",
    ]


def test_planned_doses_with_factors_and_units() -> None:
    cat = catalogue(limit=500, warn_at=500)
    planned = [
        PlannedDose("epirubicin", D, mg_per_m2=100),  # × 0.8 = 80
        PlannedDose("doxorubicin", D + dt.timedelta(21), dose_mg=120, bsa_m2=1.6),  # 75 mg/m²
        PlannedDose("doxorubicin", D + dt.timedelta(42), dose_mg=120),  # no BSA: cannot be projected in mg/m²
    ]
    klass = by_label(drug_totals([], [], cat, planned=planned))["doxorubicin equivalents"]
    assert klass.amount.planned == pytest.approx(155.0)
    assert klass.amount.next == pytest.approx(80.0)
    assert len(klass.amount.not_projected) == 1
    assert "cumulative.planned_not_projected" in codes(klass.flags)


def test_mg_limit_and_drugs_without_mass_limits() -> None:
    cat = catalogue()
    totals = by_label(
        drug_totals(
            [
                given("bleo", 500, None),
                given("bleo", 300, None, 22),
                given("sintilimab", 200, None),
                given("mystery", 10, 1.8),
            ],
            [],
            cat,
        )
    )
    assert totals["testmycin"].total == 800.0
    assert codes(totals["testmycin"].flags) == ["cumulative.warning"]  # 800 = warn_at
    assert totals["sintilimab"].unit is None  # months: the PD-1 bound, not a mass total
    assert totals["sintilimab"].flags == ()
    assert codes(totals["mystery"].flags) == ["cumulative.not_in_catalogue"]
    assert drug_totals([], [], cat) == ()


def test_shipped_catalogue_cisplatin_total_and_json() -> None:
    # Cisplatin (drugs.toml): warn_at 200 mg/m², no hard ceiling. 4 × 120 mg at 1.6 m² = 300 mg/m².
    shipped = load_library().catalogue
    records = [given("cisplatin", 120, 1.6, d) for d in (1, 22, 43, 64)]
    [total] = drug_totals(records, [], shipped)
    assert (total.unit, total.total, total.limit, total.warn_threshold) == ("mg/m2", 300.0, None, 200.0)
    assert codes(total.flags) == ["cumulative.warning"]
    data = json.loads(json.dumps(total.to_json()))
    assert data["mg_per_m2"]["total"] == 300.0
    assert data["status"] == "warning"


# ------------------------------------------------------------------------------------------------ radiotherapy


def test_cord_re_irradiation_sum_124_82_gy2() -> None:
    # 45 Gy/30 fx: d 1.5, BED 45 × (1 + 1.5/2) = 78.75 Gy₂; 30 Gy/28 fx: d 1.0714, BED 46.07 Gy₂.
    # EQD2 = BED / (1 + 2/2) = BED / 2 → 62.41 Gy.
    courses = [
        RtCourse("Spinal cord", 45, 30, dt.date(2024, 3, 1), "RT summary"),
        RtCourse("spinal  cord", 30, 28, dt.date(2025, 6, 1), "RT summary"),
    ]
    [cord] = radiotherapy_sums(courses, DEFAULT_SETTINGS.alpha_beta_gy)
    assert cord.alpha_beta_gy == 2.0
    assert [round(c.bed_gy, 2) for c in cord.courses] == [78.75, 46.07]
    assert round(cord.total_bed_gy or 0, 2) == 124.82
    assert round(cord.total_eqd2_gy or 0, 2) == 62.41
    # The reference figures are information only: no warning, no block, whatever the sum.
    assert {f.severity for f in cord.flags} == {Severity.INFO}
    assert "124.82 Gy₂" in " ".join(cord.reference)
    assert "135.5 Gy₂" in " ".join(cord.reference)
    assert "15 months 0 days" in " ".join(cord.reference)  # interval between the courses


def test_nieder_50_gy_in_2_gy_fractions_and_per_site_alpha_beta() -> None:
    # Nieder 2006: 50 Gy in 2 Gy fractions = 100 Gy₂ = 75 Gy₄; EQD2 50 Gy at any α/β.
    sums = radiotherapy_sums([RtCourse("A", 50, 25), RtCourse("B", 50, 25)], {"a": 2.0, "B": 4.0})
    assert [(s.site, s.total_bed_gy, s.total_eqd2_gy) for s in sums] == [("A", 100.0, 50.0), ("B", 75.0, 50.0)]


def test_default_and_missing_alpha_beta_and_proposed_course() -> None:
    courses = [
        RtCourse("oesophagus", 50.4, 28, dt.date(2025, 1, 10)),
        RtCourse("Lung", 60, 30),
        RtCourse("oesophagus", 45, 25, proposed=True),
    ]
    sums = {s.site: s for s in radiotherapy_sums(courses, {"oesophagus": 3.0}, default_alpha_beta_gy=3.0)}
    oesophagus = sums["oesophagus"]
    # 50.4/28 at α/β 3: 50.4 × (1 + 1.8/3) = 80.64 Gy₃; 45/25: 45 × (1 + 1.8/3) = 72 Gy₃.
    assert (round(oesophagus.prior_bed_gy or 0, 2), round(oesophagus.total_bed_gy or 0, 2)) == (80.64, 152.64)
    assert "no validated cumulative constraint" in oesophagus.reference[0]
    assert codes(sums["Lung"].flags) == ["radiotherapy.default_alpha_beta"]
    [lung] = radiotherapy_sums([RtCourse("Lung", 60, 30)], {})
    assert (lung.total_bed_gy, lung.courses[0].per_fraction_gy) == (None, 2.0)
    assert codes(lung.flags) == ["radiotherapy.alpha_beta_missing"]
    json.dumps(lung.to_json())


def test_invalid_course_left_out_large_fraction_flagged() -> None:
    [site] = radiotherapy_sums([RtCourse("liver", 0, 5), RtCourse("liver", 36, 3)], {"liver": 10})
    assert codes(site.flags) == ["radiotherapy.course_invalid", "radiotherapy.large_fraction"]
    assert site.total_bed_gy == pytest.approx(36 * (1 + 12 / 10))


# ------------------------------------------------------------------------------------------------ PD-1


FIRST = dt.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("on", "elapsed", "status", "code"),
    [
        (dt.date(2026, 9, 30), (20, 29), "ok", None),
        (dt.date(2026, 10, 1), (21, 0), "warning", "pd1.months_near"),  # warn 3 months before (drugs.toml: 21)
        (dt.date(2026, 12, 30), (23, 29), "warning", "pd1.months_near"),  # 23 months 29 days: still allowed
        (dt.date(2027, 1, 1), (24, 0), "block", "pd1.months_reached"),  # 24 months: the bound
        (dt.date(2027, 3, 1), (26, 0), "block", "pd1.months_reached"),
    ],
)
def test_pd1_months_bound_edges(on: dt.date, elapsed: tuple[int, int], status: str, code: str | None) -> None:
    bound = pd1_bound(FIRST, 10, on, months=24)
    assert (bound.elapsed_months, bound.elapsed_days) == elapsed
    assert bound.stop_date == dt.date(2027, 1, 1)
    assert bound.status == status
    assert codes(bound.flags) == ([code] if code else [])


@pytest.mark.parametrize(
    ("cycles", "status"), [(30, "ok"), (31, "warning"), (34, "warning"), (35, "block"), (36, "block")]
)
def test_pd1_cycles_bound_edges(cycles: int, status: str) -> None:
    # KEYNOTE-590 / label: up to 35 cycles; 35 given means no 36th.
    bound = pd1_bound(FIRST, cycles, dt.date(2025, 6, 1), months=None, max_cycles=35)
    assert bound.status == status
    assert bound.stop_date is None


def test_pd1_bound_without_a_first_dose_and_explicit_warnings() -> None:
    assert pd1_bound(None, 0, D).flags == ()
    bound = pd1_bound(FIRST, 2, dt.date(2026, 7, 1), months=24, warn_months=18, source="ORIENT-15")
    assert codes(bound.flags) == ["pd1.months_near"]
    assert "ORIENT-15" in bound.flags[0].message
    assert json.loads(json.dumps(bound.to_json()))["elapsed"] == {"months": 18, "days": 0}
    with pytest.raises(InputError):
        pd1_bound(FIRST, -1, D)


# ------------------------------------------------------------------------------------------------ staleness


@pytest.mark.parametrize(
    ("kind", "window"), [("weight", 14), ("height", 365), ("creatinine", 14), ("anc", 3), ("bilirubin", 3)]
)
def test_staleness_exactly_at_the_window_is_fresh_one_day_over_is_stale(kind: str, window: int) -> None:
    at = staleness({kind: D - dt.timedelta(days=window)}, D, kinds=[kind])[0]
    assert (at.age_days, at.stale, at.flags) == (window, False, ())
    over = staleness({kind: Reading(kind, 1.0, D - dt.timedelta(days=window + 1))}, D, kinds=[kind])[0]
    assert over.stale
    assert codes(over.flags) == [f"measurement.{kind}_stale"]
    assert over.flags[0].severity is Severity.BLOCK  # B3: a blocking warning, overridable with a reason


def test_staleness_missing_values_default_kinds_and_site_windows() -> None:
    results = {f.kind: f for f in staleness({"weight": D}, D)}
    assert list(results) == [
        "height",
        "weight",
        "creatinine",
        "anc",
        "platelets",
        "hemoglobin",
        "bilirubin",
        "ast",
        "alt",
    ]
    assert results["height"].missing
    assert codes(results["height"].flags) == ["measurement.height_missing"]
    assert results["weight"].flags == ()
    windows = FreshnessWindows(weight_days=7)
    assert staleness({"weight": D - dt.timedelta(8)}, D, windows, kinds=["weight"])[0].stale
    # B3 test case: a weight 30 days old under a 14-day rule blocks.
    assert staleness({"weight": D - dt.timedelta(30)}, D, kinds=["weight"])[0].flags[0].severity is Severity.BLOCK
    with pytest.raises(InputError):
        FreshnessWindows().window("potassium")


# ------------------------------------------------------------------------------------------------ weight change


@pytest.mark.parametrize(
    ("current", "flags"),
    [(109.9, False), (110.0, True), (110.1, True), (90.1, False), (90.0, True), (89.9, True), (100.0, False)],
)
def test_weight_change_9_9_10_10_1_percent(current: float, flags: bool) -> None:
    change = weight_change(current, 100.0)
    assert bool(change.flags) is flags
    if flags:
        assert change.flags[0].code == "weight.changed"
        assert change.flags[0].severity is Severity.WARNING


def test_weight_change_threshold_and_bad_input() -> None:
    assert weight_change(66, 60, threshold=0.15).flags == ()  # a site may set another threshold
    assert round(weight_change(54, 60).change, 6) == -0.1
    with pytest.raises(InputError):
        weight_change(0, 60)
    with pytest.raises(InputError):
        weight_change(60, float("nan"))


# ------------------------------------------------------------------------------------------------ day-1 labs

GOOD = {"anc": 1.5, "platelets": 100.0, "hemoglobin": 9.0, "bilirubin": 31.5, "ast": 100.0, "alt": 100.0}


def test_day1_labs_exactly_at_every_threshold_go() -> None:
    check = day1_lab_check(GOOD)
    assert check.flags == ()
    assert check.status == "ok"
    assert all(r.ok for r in check.results)


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("anc", 1.49, "day1.anc_low"),
        ("platelets", 99.0, "day1.platelets_low"),
        ("hemoglobin", 8.9, "day1.hemoglobin_low"),
        ("bilirubin", 31.6, "day1.bilirubin_high"),  # 1.5 × ULN 21 µmol/L = 31.5
        ("ast", 100.1, "day1.ast_high"),  # 2.5 × ULN 40 units/L = 100
        ("alt", 100.1, "day1.alt_high"),
    ],
)
def test_day1_labs_just_past_each_threshold_block(kind: str, value: float, code: str) -> None:
    check = day1_lab_check({**GOOD, kind: value})
    assert codes(check.flags) == [code]
    assert check.flags[0].severity is Severity.BLOCK
    overridden = day1_lab_check({**GOOD, kind: value}, overrides={code: "physician reviewed, proceed"})
    assert overridden.flags[0].severity is Severity.WARNING
    assert overridden.flags[0].params["reason"] == "physician reviewed, proceed"
    assert overridden.status == "warning"


def test_day1_missing_lab_blocks_site_thresholds_and_blank_reason() -> None:
    labs = {k: Reading(k, v, D) for k, v in GOOD.items() if k != "hemoglobin"}
    assert codes(day1_lab_check(labs).flags) == ["day1.hemoglobin_missing"]
    site = Day1Thresholds(platelets_min=75)  # "some protocols accept ≥ 75" (clinical-reference §7)
    assert day1_lab_check({**GOOD, "platelets": 75.0}, site).flags == ()
    with pytest.raises(InputError):
        day1_lab_check({**GOOD, "anc": 1.0}, overrides={"day1.anc_low": "  "})


def test_overrides_leave_other_flags_alone_and_status_of() -> None:
    flags = (Flag("a", Severity.BLOCK, "a"), Flag("b", Severity.WARNING, "b"), Flag("c", Severity.INFO, "c"))
    assert apply_overrides(flags, None) == flags
    assert apply_overrides(flags, {"b": "why"})[1] is flags[1]
    assert status_of(flags) == "block"
    assert status_of(flags[1:]) == "warning"
    assert status_of(flags[2:]) == "ok"


def test_settings_are_validated() -> None:
    assert DEFAULT_SETTINGS.windows.window("weight") == 14
    with pytest.raises(ValidationError):
        LedgerSettings(warn_fraction=1.5)
    with pytest.raises(ValidationError):
        FreshnessWindows(labs_days=-1)
