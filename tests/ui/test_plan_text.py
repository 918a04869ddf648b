"""The plan in words on a Chinese screen: phase stop rules, event notes and statuses from the core's codes,
the plan's flags naming phases by their Chinese names; in English exactly the core's sentences."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from dosecalc.regimen.loader import load_library
from dosecalc.regimen.model import Regimen
from dosecalc.schedule.clinic import clinic_calendar
from dosecalc.schedule.pages import calendar_pages
from dosecalc.schedule.plan import DoseFact, EarlyStop, Plan, compute_plan
from ui import i18n
from ui.calendar_month import PlanNames, day_lines, event_descriptions
from ui.flag_text import flag_text
from ui.plan_text import note_text, stop_rule_text

LIBRARY = load_library()
START = dt.date(2026, 12, 7)  # a Monday
CN = clinic_calendar("CN")


@pytest.fixture
def chinese(qapp: object) -> Iterator[None]:
    i18n.install_language("zh_CN")
    yield
    i18n.install_language("en")


def _choices(regimen: Regimen) -> dict[str, str]:
    return {g.id: g.options[0].id for g in regimen.choice_groups}


def shipped_plans() -> list[Plan]:
    """Each shipped regimen planned as is, with its event phases started, and stopped early."""
    plans = []
    for regimen in LIBRARY.regimens.values():
        choices = _choices(regimen)
        plans.append(compute_plan(regimen, LIBRARY.catalogue, START, choices, CN))
        events = {p.id: START + dt.timedelta(days=200) for p in regimen.phases if p.start.on_event}
        if events:
            plans.append(compute_plan(regimen, LIBRARY.catalogue, START, choices, CN, phase_starts=events))
        stop = EarlyStop(regimen.phases[0].id, START + dt.timedelta(days=30), "grade 4 toxicity")
        plans.append(compute_plan(regimen, LIBRARY.catalogue, START, choices, CN, stops=[stop]))
    return plans


def test_every_stop_rule_kind_of_the_shipped_regimens_is_said_in_chinese(chinese: None) -> None:
    phases = [phase for plan in shipped_plans() for phase in plan.phases]
    kinds = {(t.code, t.params.get("anchor")) for p in phases for t in p.stop_terms}
    assert kinds >= {("cycles", None), ("months", "phase-first-dose"), ("months", "first-pd1-dose"),
                     ("on_event", None), ("stopped_early", None), ("stopped_by", None)}  # fmt: skip
    for phase in phases:
        text = stop_rule_text(phase)
        assert text != phase.stop_rule, phase.stop_rule
        # Nothing of the English left but what a person typed (the reason) and "PD-1".
        rest = text.replace("grade 4 toxicity", "").replace("PD-1", "")
        assert not re.search("[A-Za-z]", rest), (phase.stop_rule, text)
        numbers = set(re.findall(r"(?<![\w.])\d+(?![\w.])", re.sub(r"\d{2} \w{3} \d{4}", "", phase.stop_rule)))
        assert numbers <= set(re.findall(r"\d+", text)), (phase.stop_rule, text)


def test_stop_rules_known_answers_in_both_languages(chinese: None) -> None:
    # NCT07016737 as shipped: induction 4 cycles; PD-1 maintenance 24 months from its first dose (4 Mar 2027,
    # the day 1 after 4 × 21-day induction cycles moved past the Spring Festival closure); salvage on progression.
    regimen = LIBRARY.regimen("escc-nct07016737")
    choices = {"pd1": "sintilimab", "chemo": "docetaxel", "rt": "50.4gy-28fx"}
    plan = compute_plan(regimen, LIBRARY.catalogue, START, choices, CN)
    induction, maintenance, salvage = plan.phases
    assert [stop_rule_text(p) for p in plan.phases] == [
        "4个周期",
        "自本阶段首次给药起24个月（至2029年3月4日）",
        "进展时开始；未排期",
    ]
    i18n.install_language("en")
    assert [stop_rule_text(p) for p in plan.phases] == [
        "4 cycles",
        "24 months from the phase's first dose (until 04 Mar 2029)",
        "starts on progression; not scheduled",
    ]
    assert [stop_rule_text(p) for p in plan.phases] == [induction.stop_rule, maintenance.stop_rule, salvage.stop_rule]


def test_a_stopped_phase_says_who_stopped_it_in_chinese(chinese: None) -> None:
    regimen = LIBRARY.regimen("escc-nct07016737")
    choices = {"pd1": "sintilimab", "chemo": "docetaxel", "rt": "50.4gy-28fx"}
    plan = compute_plan(regimen, LIBRARY.catalogue, START, choices, CN, phase_starts={"salvage": dt.date(2027, 6, 7)})
    maintenance = plan.phases[1]
    assert stop_rule_text(maintenance).endswith("；于2027年6月7日因挽救性放化疗（进展时）停止")
    i18n.install_language("en")
    assert stop_rule_text(maintenance).endswith("; stopped on 07 Jun 2027 by salvage")


def test_plan_flags_in_chinese_name_the_phase_never_its_id(chinese: None) -> None:
    seen: set[str] = set()
    for plan in shipped_plans():
        regimen = LIBRARY.regimen(plan.regimen_id)
        ids = {p.id: p.name.zh for p in regimen.phases}
        for flag in plan.flags:
            if "phase" not in flag.params:
                continue
            text = flag_text(flag)
            assert text != flag.message, flag.message
            assert ids[str(flag.params["phase"])] in text, (flag.code, text)
            assert not set(re.findall(r"[a-z]+", text)) & set(ids), (flag.code, text)
            seen.add(flag.code)
    assert {"event.moved", "phase.stopped"} <= seen


def test_a_moved_drug_is_named_in_chinese_and_by_its_display_name(chinese: None) -> None:
    regimen = LIBRARY.regimen("escc-nct07016737")
    choices = {"pd1": "sintilimab", "chemo": "docetaxel", "rt": "50.4gy-28fx"}
    plan = compute_plan(regimen, LIBRARY.catalogue, START, choices, CN)
    moved = [flag_text(f) for f in plan.flags if f.code == "event.moved"]
    assert "诱导期 第 4 周期第 1 天 信迪利单抗 sintilimab 由 2027年2月8日 改至 2027年2月11日" in moved


def test_an_unmatched_dose_record_names_phase_and_drug_in_chinese(chinese: None) -> None:
    regimen = LIBRARY.regimen("escc-nct07016737")
    choices = {"pd1": "sintilimab", "chemo": "docetaxel", "rt": "50.4gy-28fx"}
    fact = DoseFact("induction", 9, "sintilimab", "given")
    plan = compute_plan(regimen, LIBRARY.catalogue, START, choices, CN, dose_facts=[fact])
    [flag] = [f for f in plan.flags if f.code == "fact.unmatched"]
    assert flag_text(flag) == (
        "已记录的已给药剂量 信迪利单抗 sintilimab（诱导期 第 9 周期第 1 天）与任何计划给药都不对应；请核对记录"
    )


def test_day_cells_and_the_side_panel_say_the_plan_in_chinese(chinese: None) -> None:
    """Every cell of the whole plan and its side-panel lines: no English but drug names and typed notes."""
    for plan in shipped_plans():
        regimen = LIBRARY.regimen(plan.regimen_id)
        names = PlanNames(
            {d.id: i18n.drug_name(d) for d in LIBRARY.catalogue.drugs},
            {p.id: i18n.localized(p.name) for p in regimen.phases},
        )
        english_names = {w.lower() for d in LIBRARY.catalogue.drugs for w in re.findall(r"[A-Za-z]+", d.display)}
        for page in calendar_pages(plan, CN):
            for week in page.weeks:
                for cell in week.days:
                    for line in [*day_lines(cell, names, True), *event_descriptions(cell, names)]:
                        if cell.closed and cell.closed != "weekend":  # a holiday as the calendar names it
                            line = line.replace(cell.closed, "")
                        for name in names.phases.values():  # the regimen file's Chinese phase names
                            line = line.replace(name, "")
                        words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", line)}
                        assert words <= english_names | {"gy"}, (plan.regimen_id, line)
        for event in plan.events:
            if event.note_code:
                assert note_text(event) != event.note, event.note
