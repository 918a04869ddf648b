"""The cycle calendar core: dosecalc.schedule.plan.compute_plan with dosecalc.schedule.clinic.

Done-when tests of the cycle-calendar issue on escc-nct07016737 (induction 4 × 21 days, maintenance every
21 days for 24 months from the phase's first dose, salvage chemoradiation on progression), the closure,
delay, fact and stop rules, and property tests over start dates from 2020 to 2035 (leap days, year ends,
Spring Festival, National Day week) with closures CN and none.

Expected dates are written out by hand or derived by plain date arithmetic here; CN public holidays are
taken from the holidays package directly, never from the clinic calendar under test.

"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.regimen.loader import load_library
from dosecalc.regimen.model import Regimen, Route
from dosecalc.schedule.clinic import ClinicCalendar, MovePolicy, clinic_calendar
from dosecalc.schedule.plan import (
    CycleFact,
    Delay,
    DoseFact,
    EarlyStop,
    Event,
    EventKind,
    PhasePlan,
    Plan,
    compute_plan,
)

LIBRARY = load_library()
CATALOGUE = LIBRARY.catalogue
NCT = LIBRARY.regimen("escc-nct07016737")
ORIENT = LIBRARY.regimen("escc-orient-15")
ANLOTINIB = LIBRARY.regimen("escc-2l-anlotinib")

CHOICES = {"pd1": "sintilimab", "chemo": "paclitaxel", "rt": "50.4gy-28fx"}
CALENDARS = {"CN": clinic_calendar("CN"), "none": clinic_calendar("none")}
CN_HOLIDAYS = holidays.country_holidays("CN")

START = date(2026, 12, 7)  # a Monday
SALVAGE = date(2027, 6, 7)  # a Monday, during maintenance; Wed 9 June 2027 is the Dragon Boat Festival
DAYS_21 = timedelta(days=21)


def plan_for(
    start: date = START,
    closures: str = "none",
    *,
    regimen: Regimen = NCT,
    choices: Mapping[str, str] = CHOICES,
    calendar: ClinicCalendar | None = None,
    **kwargs: object,
) -> Plan:
    clinic = calendar if calendar is not None else CALENDARS[closures]
    return compute_plan(regimen, CATALOGUE, start, choices, clinic, **kwargs)  # type: ignore[arg-type]


def drug_events(plan: Plan, phase: str | None = None, drug: str | None = None) -> list[Event]:
    return [e for e in plan.events if e.kind is EventKind.DRUG and phase in (None, e.phase) and drug in (None, e.drug)]


def day1s(plan: Plan, phase: str) -> list[Event]:
    """The first drug event on day 1 of each cycle of ``phase``, in cycle order."""
    first: dict[int, Event] = {}
    for event in drug_events(plan, phase):
        if event.day == 1 and event.cycle is not None:
            first.setdefault(event.cycle, event)
    assert list(first) == list(range(1, len(first) + 1)), "cycles are numbered 1..n without gaps"
    return [first[c] for c in sorted(first)]


def fractions(plan: Plan) -> list[Event]:
    return [e for e in plan.events if e.kind is EventKind.RADIOTHERAPY]


def flags(plan: Plan, code: str) -> list[Flag]:
    return [f for f in plan.flags if f.code == code]


def phase_plan(plan: Plan, phase: str) -> PhasePlan:
    return next(p for p in plan.phases if p.id == phase)


def weekdays_from(first: date, *, skip: frozenset[date] = frozenset(), count: int) -> list[date]:
    """The first ``count`` Monday–Friday dates from ``first``, leaving out ``skip``."""
    days = (first + timedelta(days=i) for i in range(count * 2 + 30))
    return [d for d in days if d.weekday() < 5 and d not in skip][:count]


# --- done when: induction and maintenance without closures -------------------------------------------------


def test_induction_day1s_are_exactly_21_days_apart_without_closures() -> None:
    plan = plan_for()
    assert [e.date for e in day1s(plan, "induction")] == [START + timedelta(days=21 * k) for k in range(4)]
    assert [e.date for e in day1s(plan, "induction")] == [
        date(2026, 12, 7),
        date(2026, 12, 28),
        date(2027, 1, 18),
        date(2027, 2, 8),
    ]
    for cycle in range(1, 5):
        drugs = {e.drug for e in drug_events(plan, "induction") if e.cycle == cycle}
        assert drugs == {"sintilimab", "paclitaxel"}
    assert all(e.moved_from is None for e in plan.events)
    assert phase_plan(plan, "induction").cycles == 4
    assert not flags(plan, "event.moved")


def test_maintenance_starts_21_days_after_the_last_induction_day1_not_the_day_after() -> None:
    plan = plan_for()
    last_induction = day1s(plan, "induction")[-1].date
    maintenance = phase_plan(plan, "maintenance")
    assert last_induction == date(2027, 2, 8)
    assert maintenance.start == last_induction + DAYS_21 == date(2027, 3, 1)
    assert day1s(plan, "maintenance")[0].date == date(2027, 3, 1)
    assert phase_plan(plan, "induction").next_start == date(2027, 3, 1)
    assert not any(e.phase == "maintenance" and e.date < date(2027, 3, 1) for e in plan.events)


def test_maintenance_every_21_days_and_stops_24_months_after_its_first_dose() -> None:
    plan = plan_for()
    maintenance = phase_plan(plan, "maintenance")
    begin = date(2027, 3, 1)
    stop = begin + relativedelta(months=24)
    assert stop == date(2029, 3, 1)
    assert maintenance.stop_date == stop
    dates = [e.date for e in day1s(plan, "maintenance")]
    assert dates == [begin + timedelta(days=21 * k) for k in range(35)]
    assert dates[-1] == date(2029, 2, 12)
    assert dates[-1] + DAYS_21 >= stop  # no cycle left out: the next one would fall on or after the stop date
    assert all(e.date < stop for e in plan.phase_events("maintenance"))  # strictly before
    assert dates[-1] < begin + relativedelta(years=2)
    assert maintenance.cycles == 35
    assert "24 months" in maintenance.stop_rule
    assert "01 Mar 2029" in maintenance.stop_rule
    assert {e.drug for e in drug_events(plan, "maintenance")} == {"sintilimab"}


def test_salvage_is_not_scheduled_without_its_event() -> None:
    plan = plan_for()
    salvage = phase_plan(plan, "salvage")
    assert salvage.start is None
    assert salvage.end is None
    assert "progression" in salvage.stop_rule
    assert not plan.phase_events("salvage")
    assert not fractions(plan)


def test_maintenance_stop_date_from_a_leap_day() -> None:
    # Induction from Tue 7 Dec 2027: its last day 1 is 2028-02-08 and maintenance starts on 2028-02-29.
    start = date(2027, 12, 7)
    plan = plan_for(start)
    assert [e.date for e in day1s(plan, "induction")] == [start + timedelta(days=21 * k) for k in range(4)]
    assert day1s(plan, "induction")[-1].date == date(2028, 2, 8)
    maintenance = phase_plan(plan, "maintenance")
    assert maintenance.start == date(2028, 2, 29)
    assert maintenance.stop_date == date(2028, 2, 29) + relativedelta(months=24) == date(2030, 2, 28)
    assert all(e.date < date(2030, 2, 28) for e in plan.phase_events("maintenance"))
    assert day1s(plan, "maintenance")[-1].date + DAYS_21 >= date(2030, 2, 28)


# --- done when: closures CN ----------------------------------------------------------------------------------


def test_cn_no_chemotherapy_on_a_public_holiday_and_each_moved_day_flagged() -> None:
    plan = plan_for(closures="CN")
    drugs = drug_events(plan)
    assert drugs
    assert not [e for e in drugs if e.date in CN_HOLIDAYS]
    moved = [e for e in drugs if e.moved_from is not None]
    assert moved, "from 2026-12-07 induction cycle 4 falls on the Spring Festival 2027"
    flagged = {(f.params["date"], f.params["moved_from"]) for f in flags(plan, "event.moved")}
    for event in moved:
        assert event.date > event.moved_from  # the default policy moves forwards
        assert (event.date.isoformat(), event.moved_from.isoformat()) in flagged
        assert event.moved_from in CN_HOLIDAYS or event.moved_from.weekday() >= 5
        skipped = [event.moved_from + timedelta(days=i) for i in range((event.date - event.moved_from).days)]
        assert all(d in CN_HOLIDAYS or d.weekday() >= 5 for d in skipped)  # the first open day, not a later one
    assert len(flags(plan, "event.moved")) == len(moved)
    assert all(f.severity is Severity.WARNING for f in flags(plan, "event.moved"))
    cycle4 = day1s(plan, "induction")[3]
    assert cycle4.moved_from == date(2027, 2, 8)  # Chinese New Year (Spring Festival), Monday
    assert cycle4.date > date(2027, 2, 8)
    # later cycles keep their spacing from the actual day 1
    assert phase_plan(plan, "maintenance").start == cycle4.date + DAYS_21
    for phase in ("induction", "maintenance"):
        events = day1s(plan, phase)
        for before, after in itertools.pairwise(events):
            assert (after.moved_from or after.date) == before.date + DAYS_21


def test_cn_maintenance_stop_date_counts_from_its_first_dose() -> None:
    plan = plan_for(closures="CN")
    first = day1s(plan, "maintenance")[0].date
    stop = first + relativedelta(months=24)
    assert phase_plan(plan, "maintenance").stop_date == stop
    assert all(e.date < stop for e in plan.phase_events("maintenance"))
    last = day1s(plan, "maintenance")[-1].date
    assert CALENDARS["CN"].open_day(last + DAYS_21) >= stop


# --- done when: salvage chemoradiation ------------------------------------------------------------------------


@pytest.mark.parametrize(("rt", "count", "total"), [("50.4gy-28fx", 28, "50.4 Gy"), ("45gy-25fx", 25, "45 Gy")])
def test_salvage_radiotherapy_weekdays_only_none_on_a_closure(rt: str, count: int, total: str) -> None:
    plan = plan_for(closures="CN", choices={**CHOICES, "rt": rt}, phase_starts={"salvage": SALVAGE})
    rt_events = fractions(plan)
    expected = weekdays_from(SALVAGE, skip=frozenset({date(2027, 6, 9)}), count=count)
    assert [e.date for e in rt_events] == expected
    assert [e.fraction for e in rt_events] == list(range(1, count + 1))
    assert {e.fractions_total for e in rt_events} == {count}
    assert all(total in (e.note or "") for e in rt_events)
    assert all(e.date.weekday() < 5 for e in rt_events)
    assert not [e for e in rt_events if e.date in CN_HOLIDAYS]
    assert all(CALENDARS["CN"].radiotherapy_closure(e.date) is None for e in rt_events)
    assert date(2027, 6, 9) in CN_HOLIDAYS  # the lost day: the course stretches by one day
    [extended] = flags(plan, "radiotherapy.extended")
    assert extended.params["lost"] == 1
    assert {e.phase for e in rt_events} == {"salvage"}


def test_salvage_weekly_paclitaxel_and_carboplatin_on_radiotherapy_days() -> None:
    plan = plan_for(closures="CN", phase_starts={"salvage": SALVAGE})
    weekly = [SALVAGE + timedelta(days=7 * k) for k in range(5)]
    assert weekly == [date(2027, 6, 7), date(2027, 6, 14), date(2027, 6, 21), date(2027, 6, 28), date(2027, 7, 5)]
    for drug in ("paclitaxel", "carboplatin"):
        events = drug_events(plan, "salvage", drug)
        assert [e.date for e in events] == weekly
        assert [e.cycle for e in events] == [1, 2, 3, 4, 5]
    assert {e.drug for e in drug_events(plan, "salvage")} == {"paclitaxel", "carboplatin"}
    rt_days = {e.date for e in fractions(plan)}
    assert all(e.date in rt_days for e in drug_events(plan, "salvage"))
    salvage = phase_plan(plan, "salvage")
    assert salvage.start == SALVAGE
    assert salvage.cycles == 5
    assert salvage.end == date(2027, 7, 15)  # the 28th fraction


def test_salvage_during_maintenance_stops_maintenance() -> None:
    plain = plan_for(closures="CN")
    plan = plan_for(closures="CN", phase_starts={"salvage": SALVAGE})
    assert not [e for e in plan.phase_events("maintenance") if e.date >= SALVAGE]
    kept = [e for e in plain.phase_events("maintenance") if e.date < SALVAGE]
    assert kept
    assert plan.phase_events("maintenance") == kept
    assert plan.phase_events("induction") == plain.phase_events("induction")
    [stopped] = flags(plan, "phase.stopped")
    assert {k: stopped.params[k] for k in ("phase", "by", "event")} == {
        "phase": "maintenance",
        "by": "salvage",
        "event": "progression",
    }
    assert stopped.severity is Severity.INFO
    maintenance = phase_plan(plan, "maintenance")
    assert maintenance.end == kept[-1].date < SALVAGE
    assert "stopped on 07 Jun 2027 by salvage" in maintenance.stop_rule


def test_stopped_maintenance_counts_only_the_cycles_it_keeps() -> None:
    plan = plan_for(closures="CN", phase_starts={"salvage": SALVAGE})
    assert phase_plan(plan, "maintenance").cycles == len(day1s(plan, "maintenance"))


def test_salvage_during_induction_stops_induction_and_maintenance() -> None:
    salvage = date(2027, 1, 4)  # between induction cycles 2 and 3
    plan = plan_for(phase_starts={"salvage": salvage})
    assert [e.date for e in day1s(plan, "induction")] == [date(2026, 12, 7), date(2026, 12, 28)]
    assert not plan.phase_events("maintenance")
    assert {f.params["phase"] for f in flags(plan, "phase.stopped")} == {"induction", "maintenance"}
    assert all(e.date >= salvage for e in plan.phase_events("salvage"))


# --- done when: delays and recorded facts ---------------------------------------------------------------------


def test_a_7_day_delay_of_cycle_2_shifts_cycle_2_onwards_by_7_days_and_nothing_before() -> None:
    plain = plan_for()
    delayed = plan_for(delays=[Delay(cycle=2, days=7, reason="grade 3 neutropenia")])
    week = timedelta(days=7)
    assert [e.date for e in day1s(delayed, "induction")] == [
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 1, 25),
        date(2027, 2, 15),
    ]
    before = [e for e in plain.events if e.phase == "induction" and e.cycle == 1]
    assert [e for e in delayed.events if e.phase == "induction" and e.cycle == 1] == before
    shifted = [e for e in plain.events if not (e.phase == "induction" and e.cycle == 1)]
    assert [e for e in delayed.events if not (e.phase == "induction" and e.cycle == 1)] == [
        replace(e, date=e.date + week) for e in shifted
    ]
    assert phase_plan(delayed, "maintenance").start == date(2027, 3, 8)
    assert phase_plan(delayed, "maintenance").stop_date == date(2029, 3, 8)
    assert phase_plan(delayed, "maintenance").cycles == phase_plan(plain, "maintenance").cycles
    [flag] = flags(delayed, "cycle.delayed")
    assert flag.severity is Severity.INFO
    assert flag.params == {
        "phase": "induction",
        "cycle": 2,
        "days": 7,
        "reason": "grade 3 neutropenia",
        "phase_en": "Induction",
        "phase_zh": "诱导期",
    }
    assert "neutropenia" in flag.message
    assert not [f for f in delayed.flags if f.severity is Severity.BLOCK]


def test_a_delay_of_a_named_phase_shifts_only_that_phase_from_that_cycle() -> None:
    plain = plan_for()
    delayed = plan_for(delays=[Delay(cycle=3, days=14, phase="maintenance")])
    assert plan_for().phase_events("induction") == delayed.phase_events("induction")
    before, after = day1s(plain, "maintenance"), day1s(delayed, "maintenance")
    assert [e.date for e in after[:2]] == [e.date for e in before[:2]]
    assert after[2].date == before[2].date + timedelta(days=14) == date(2027, 4, 26)
    assert after[3].date == after[2].date + DAYS_21


@pytest.mark.parametrize(("reason", "severity"), [(None, Severity.BLOCK), ("trial visit window", Severity.WARNING)])
def test_bringing_a_cycle_forward_is_blocked_unless_a_reason_is_given(reason: str | None, severity: Severity) -> None:
    plan = plan_for(delays=[Delay(cycle=2, days=-3, reason=reason)])
    cycle2 = day1s(plan, "induction")[1]
    assert cycle2.date == date(2026, 12, 25)  # Friday; open without public holidays
    assert cycle2.moved_from is None
    [flag] = flags(plan, "interval.short")
    assert flag.severity is severity
    assert {k: flag.params[k] for k in ("phase", "cycle", "gap", "interval")} == {
        "phase": "induction",
        "cycle": 2,
        "gap": 18,
        "interval": 21,
    }
    assert not flags(plan, "cycle.delayed")  # brought forward, not delayed
    assert day1s(plan, "induction")[2].date == date(2026, 12, 25) + DAYS_21


def test_bringing_a_cycle_forward_onto_a_closure_is_still_blocked() -> None:
    # Cycle 2 brought forward 5 days to Wed 23 Dec 2026, a site closure: it moves to Thu 24 Dec, 17 days
    # after cycle 1, with no reason given.
    calendar = clinic_calendar("none", site_closures=[date(2026, 12, 23)])
    plan = plan_for(calendar=calendar, delays=[Delay(cycle=2, days=-5)])
    assert day1s(plan, "induction")[1].date == date(2026, 12, 24)
    assert any(f.code == "interval.short" and f.severity is Severity.BLOCK for f in plan.flags)


def test_a_recorded_day1_on_a_holiday_is_never_moved_and_later_cycles_follow_it() -> None:
    actual = date(2027, 1, 1)  # New Year's Day
    assert actual in CN_HOLIDAYS
    plan = plan_for(closures="CN", cycle_facts=[CycleFact("induction", 2, actual)])
    cycles = day1s(plan, "induction")
    assert cycles[1].date == actual
    assert all(e.date == actual and e.moved_from is None for e in plan.events if e.cycle == 2 and e.day == 1
               and e.phase == "induction")  # fmt: skip
    assert cycles[2].date == actual + DAYS_21 == date(2027, 1, 22)
    assert cycles[3].date == date(2027, 2, 12)
    assert cycles[0].date == START
    assert not [f for f in flags(plan, "event.moved") if f.params["date"] == actual.isoformat()]
    assert phase_plan(plan, "maintenance").start == date(2027, 3, 5)


@pytest.mark.parametrize(
    ("reason", "severity"), [(None, Severity.BLOCK), ("given early at the patient's request", Severity.WARNING)]
)
def test_a_recorded_day1_too_soon_is_blocked_unless_a_reason_is_given(reason: str | None, severity: Severity) -> None:
    plan = plan_for(cycle_facts=[CycleFact("induction", 2, date(2026, 12, 24), reason=reason)])
    assert day1s(plan, "induction")[1].date == date(2026, 12, 24)
    [flag] = flags(plan, "interval.short")
    assert flag.severity is severity
    assert flag.params["gap"] == 17


def test_dose_facts_are_applied_to_the_right_event() -> None:
    facts = [
        DoseFact("induction", 1, "sintilimab", "given"),
        DoseFact("induction", 1, "paclitaxel", "given"),
        DoseFact("induction", 2, "paclitaxel", "held", note="ANC 0.9"),
        DoseFact("maintenance", 3, "sintilimab", "skipped"),
        DoseFact("induction", 3, "paclitaxel", "modified", note="dose level -1"),
    ]
    plan = plan_for(dose_facts=facts)
    expected = {(f.phase, f.cycle, f.drug): f for f in facts}
    for event in drug_events(plan):
        fact = expected.get((event.phase, event.cycle, event.drug))
        assert event.status == (fact.status if fact else "planned")
        if fact is not None and fact.note:
            assert event.note == fact.note
    held = next(e for e in drug_events(plan, "induction", "paclitaxel") if e.cycle == 2)
    assert held.date == date(2026, 12, 28)
    assert all(e.status == "planned" for e in plan.events if e.kind is not EventKind.DRUG)
    # a held dose moves nothing
    assert [e.date for e in plan.events] == [e.date for e in plan_for().events]


def test_a_dose_fact_names_its_day() -> None:
    plan = plan_for(
        date(2026, 9, 24),
        regimen=ORIENT,
        choices={"chemo": "tp"},
        dose_facts=[DoseFact("combination", 1, "paclitaxel", "held", day=8)],
    )
    day1, day8 = drug_events(plan, "combination", "paclitaxel")[:2]
    assert (day1.day, day1.status) == (1, "planned")
    assert (day8.day, day8.status) == (8, "held")


def test_a_dose_fact_with_an_unknown_status_is_an_input_error() -> None:
    with pytest.raises(InputError) as error:
        DoseFact("induction", 1, "paclitaxel", "forgotten")
    assert error.value.field == "status"


def test_an_early_stop_ends_the_phase() -> None:
    stop = date(2028, 1, 1)
    plan = plan_for(stops=[EarlyStop("maintenance", stop, "immune-related pneumonitis")])
    plain = plan_for()
    kept = [e for e in plain.phase_events("maintenance") if e.date < stop]
    assert plan.phase_events("maintenance") == kept
    maintenance = phase_plan(plan, "maintenance")
    assert maintenance.cycles == len(day1s(plan, "maintenance")) == 15
    assert maintenance.end == date(2027, 12, 20) == date(2027, 3, 1) + timedelta(days=21 * 14)
    assert "stopped early on 01 Jan 2028: immune-related pneumonitis" in maintenance.stop_rule
    assert plan.phase_events("induction") == plain.phase_events("induction")


def test_an_early_stop_of_induction_starts_maintenance_after_the_last_cycle_given() -> None:
    plan = plan_for(stops=[EarlyStop("induction", date(2027, 1, 10), "toxicity")])
    assert [e.date for e in day1s(plan, "induction")] == [date(2026, 12, 7), date(2026, 12, 28)]
    assert phase_plan(plan, "induction").cycles == 2
    assert phase_plan(plan, "maintenance").start == date(2026, 12, 28) + DAYS_21


def test_an_early_stop_ends_radiotherapy() -> None:
    stop = date(2027, 6, 21)
    plan = plan_for(phase_starts={"salvage": SALVAGE}, stops=[EarlyStop("salvage", stop, "perforation")])
    assert [e.date for e in fractions(plan)] == weekdays_from(SALVAGE, count=10)
    assert all(e.date < stop for e in plan.phase_events("salvage"))


def test_an_early_stop_leaves_no_dose_after_the_stop_date() -> None:
    stop = date(2026, 9, 28)  # ORIENT-15 from Thu 24 Sep 2026: after cycle 1 day 1, before its day 8
    plan = plan_for(
        date(2026, 9, 24),
        regimen=ORIENT,
        choices={"chemo": "tp"},
        stops=[EarlyStop("combination", stop, "anaphylaxis to paclitaxel")],
    )
    assert not [e for e in plan.phase_events("combination") if e.date >= stop]


# --- closures: move policy, site closures and working days, machine downtime -----------------------------------


def test_move_policy_previous_moves_backwards_and_flags_the_short_interval() -> None:
    calendar = ClinicCalendar(move=MovePolicy.PREVIOUS)
    plan = plan_for(calendar=calendar)
    cycle4 = day1s(plan, "induction")[3]
    assert cycle4.moved_from == date(2027, 2, 8)
    assert cycle4.date < cycle4.moved_from
    assert cycle4.date not in CN_HOLIDAYS
    assert cycle4.date.weekday() < 5
    skipped = [cycle4.date + timedelta(days=i) for i in range(1, (cycle4.moved_from - cycle4.date).days)]
    assert all(d in CN_HOLIDAYS or d.weekday() >= 5 for d in skipped)  # the nearest open day before
    gap = (cycle4.date - day1s(plan, "induction")[2].date).days
    assert gap < 21
    short = flags(plan, "interval.short_by_closure")
    assert all(f.severity is Severity.WARNING for f in short)
    said = [{k: f.params[k] for k in ("phase", "cycle", "gap", "interval", "phase_zh")} for f in short]
    assert {"phase": "induction", "cycle": 4, "gap": gap, "interval": 21, "phase_zh": "诱导期"} in said
    # every day 1 moved backwards shortens the interval before it, and each is flagged
    moved = {(e.phase, e.cycle) for e in plan.events if e.kind is EventKind.DRUG and e.moved_from is not None}
    assert moved
    assert moved == {(f.params["phase"], f.params["cycle"]) for f in short}
    assert not [f for f in plan.flags if f.severity is Severity.BLOCK]
    assert phase_plan(plan, "maintenance").start == cycle4.date + DAYS_21
    assert all(e.moved_from is None or e.date < e.moved_from for e in plan.events)


def test_site_closure_moves_chemotherapy_onto_a_site_working_saturday() -> None:
    calendar = clinic_calendar("none", site_closures=[date(2026, 12, 25)], site_working_days=[date(2026, 12, 26)])
    plan = plan_for(date(2026, 12, 4), calendar=calendar)  # a Friday: cycle 2 falls on the site closure
    cycles = day1s(plan, "induction")
    assert cycles[1].moved_from == date(2026, 12, 25)
    assert cycles[1].date == date(2026, 12, 26)  # Saturday made a working day
    assert cycles[2].moved_from == date(2027, 1, 16)  # 26 Dec + 21 days, an ordinary Saturday
    assert cycles[2].date == date(2027, 1, 18)
    assert cycles[3].date == date(2027, 1, 18) + DAYS_21


def test_site_working_saturday_has_no_radiotherapy_and_weekly_chemotherapy_stays_on_weekdays() -> None:
    calendar = clinic_calendar("none", site_closures=[date(2026, 12, 25)], site_working_days=[date(2026, 12, 26)])
    plan = plan_for(date(2026, 6, 1), calendar=calendar, phase_starts={"salvage": date(2026, 12, 18)})
    rt_days = [e.date for e in fractions(plan)]
    assert date(2026, 12, 25) not in rt_days
    assert date(2026, 12, 26) not in rt_days
    assert rt_days == weekdays_from(date(2026, 12, 18), skip=frozenset({date(2026, 12, 25)}), count=28)
    cycle2 = day1s(plan, "salvage")[1]
    assert cycle2.moved_from == date(2026, 12, 25)
    assert cycle2.date == date(2026, 12, 28)  # Monday, not the working Saturday
    assert all(e.date in rt_days for e in drug_events(plan, "salvage"))


def test_cn_adjusted_working_days_take_chemotherapy_but_no_radiotherapy() -> None:
    sunday, saturday = date(2026, 9, 20), date(2026, 10, 10)  # 调休: weekend days worked in 2026
    calendar = CALENDARS["CN"]
    assert calendar.is_open(sunday)
    assert calendar.is_open(saturday)
    plan = plan_for(date(2026, 9, 19), "CN")  # a Saturday
    first = day1s(plan, "induction")[0]
    assert (first.date, first.moved_from) == (sunday, date(2026, 9, 19))
    salvage = plan_for(date(2026, 3, 2), "CN", phase_starts={"salvage": date(2026, 9, 14)})
    rt_days = [e.date for e in fractions(salvage)]
    national_day = {d for d in CN_HOLIDAYS.keys() if date(2026, 10, 1) <= d <= date(2026, 10, 7)}  # noqa: SIM118
    assert rt_days == weekdays_from(date(2026, 9, 14), skip=frozenset(national_day | {date(2026, 9, 25)}), count=28)
    assert sunday not in rt_days
    assert saturday not in rt_days


def test_radiotherapy_downtime_gets_no_fraction_and_the_course_stretches() -> None:
    down = [date(2027, 6, 15), date(2027, 6, 16)]
    calendar = clinic_calendar("none", radiotherapy_downtime=down)
    plain = plan_for(phase_starts={"salvage": SALVAGE})
    plan = plan_for(calendar=calendar, phase_starts={"salvage": SALVAGE})
    assert fractions(plain)[-1].date == date(2027, 7, 14)
    rt_days = [e.date for e in fractions(plan)]
    assert rt_days == weekdays_from(SALVAGE, skip=frozenset(down), count=28)
    assert rt_days[-1] == date(2027, 7, 16)
    assert [e.fraction for e in fractions(plan)] == list(range(1, 29))
    [extended] = flags(plan, "radiotherapy.extended")
    assert extended.params == {
        "phase": "salvage",
        "lost": 2,
        "dates": "2027-06-15, 2027-06-16",
        "phase_en": "Salvage chemoradiation (on progression)",
        "phase_zh": "挽救性放化疗（进展时）",
    }
    assert not flags(plain, "radiotherapy.extended")
    # the day unit is open on machine downtime: induction and maintenance do not move
    assert plan.phase_events("maintenance") == plain.phase_events("maintenance")


def test_weekly_chemotherapy_on_machine_downtime_moves_to_the_next_radiotherapy_day() -> None:
    calendar = clinic_calendar("none", radiotherapy_downtime=[date(2027, 6, 14)])
    plan = plan_for(calendar=calendar, phase_starts={"salvage": SALVAGE})
    cycle2 = day1s(plan, "salvage")[1]
    assert (cycle2.date, cycle2.moved_from) == (date(2027, 6, 15), date(2027, 6, 14))
    assert day1s(plan, "salvage")[2].date == date(2027, 6, 21)  # the weekday stays Monday
    rt_days = {e.date for e in fractions(plan)}
    assert all(e.date in rt_days for e in drug_events(plan, "salvage"))
    assert len(drug_events(plan, "salvage", "paclitaxel")) == 5


def test_anlotinib_oral_days_1_to_14_are_never_moved_by_closures() -> None:
    start = date(2026, 9, 24)  # days 1–14 run through the Mid-Autumn Festival and National Day week
    plan = plan_for(start, "CN", regimen=ANLOTINIB, choices={})
    assert all(line.route is Route.ORAL for line in ANLOTINIB.phases[0].drugs)
    cycle1 = [e for e in drug_events(plan) if e.cycle == 1]
    assert [e.date for e in cycle1] == [start + timedelta(days=d) for d in range(14)]
    assert [e.day for e in cycle1] == list(range(1, 15))
    assert all(e.moved_from is None for e in cycle1)
    assert len([e for e in cycle1 if e.date in CN_HOLIDAYS]) >= 6
    for cycle in range(1, phase_plan(plan, "treatment").cycles + 1):
        days = [e for e in drug_events(plan) if e.cycle == cycle]
        assert [e.date for e in days] == [days[0].date + timedelta(days=d) for d in range(14)]
        assert all(e.moved_from is None for e in days[1:])
    assert phase_plan(plan, "treatment").cycles == 200


# --- ORIENT-15: split days -------------------------------------------------------------------------------------


def test_orient15_cycle1_paclitaxel_days_1_and_8_without_closures() -> None:
    start = date(2026, 9, 24)
    plan = plan_for(start, regimen=ORIENT, choices={"chemo": "tp"})
    cycle1 = [e for e in drug_events(plan, "combination", "paclitaxel") if e.cycle == 1]
    assert [(e.day, e.date, e.line_order) for e in cycle1] == [(1, start, 2), (8, date(2026, 10, 1), 2)]
    cycle2 = [e for e in drug_events(plan, "combination", "paclitaxel") if e.cycle == 2]
    assert [(e.day, e.date, e.line_order) for e in cycle2] == [(1, start + DAYS_21, 3)]
    assert not drug_events(plan, drug="fluorouracil")
    assert [e.date for e in day1s(plan, "combination")] == [start + timedelta(days=21 * k) for k in range(6)]


def test_orient15_day8_moves_off_a_closure() -> None:
    start = date(2026, 9, 24)  # day 8 is National Day, Thu 1 Oct 2026
    plan = plan_for(start, "CN", regimen=ORIENT, choices={"chemo": "tp"})
    day1, day8 = (e for e in drug_events(plan, "combination", "paclitaxel") if e.cycle == 1)
    assert (day1.date, day1.moved_from) == (start, None)
    assert day8.day == 8
    assert day8.moved_from == date(2026, 10, 1)
    assert day8.date == date(2026, 10, 8)
    assert day8.date not in CN_HOLIDAYS
    assert any(f.params.get("moved_from") == "2026-10-01" for f in flags(plan, "event.moved"))
    # day 8 moving does not move the cycle: cycle 2 is 21 days after day 1
    assert day1s(plan, "combination")[1].date == start + DAYS_21


def test_orient15_maintenance_stops_24_months_after_the_first_pd1_dose() -> None:
    start = date(2026, 9, 24)
    plan = plan_for(start, regimen=ORIENT, choices={"chemo": "tp"})
    maintenance = phase_plan(plan, "maintenance")
    assert maintenance.stop_date == start + relativedelta(months=24) == date(2028, 9, 24)
    assert maintenance.start == start + timedelta(days=21 * 6)
    assert all(e.date < date(2028, 9, 24) for e in plan.phase_events("maintenance"))
    assert day1s(plan, "maintenance")[-1].date + DAYS_21 >= date(2028, 9, 24)


# --- inputs ---------------------------------------------------------------------------------------------------


def test_a_missing_choice_blocks_and_schedules_no_line_of_that_group() -> None:
    plan = plan_for(choices={"pd1": "sintilimab"})
    missing = flags(plan, "choice.missing")
    assert {(f.params["phase"], f.params["group"]) for f in missing} == {("induction", "chemo")}
    assert all(f.severity is Severity.BLOCK for f in missing)
    assert {e.drug for e in drug_events(plan)} == {"sintilimab"}
    assert [e.date for e in day1s(plan, "induction")] == [START + timedelta(days=21 * k) for k in range(4)]


def test_a_missing_radiotherapy_choice_blocks_and_schedules_no_fraction() -> None:
    plan = plan_for(choices={"pd1": "sintilimab", "chemo": "paclitaxel"}, phase_starts={"salvage": SALVAGE})
    [missing] = flags(plan, "choice.missing")
    assert missing.params == {
        "phase": "salvage",
        "group": "rt",
        "phase_en": "Salvage chemoradiation (on progression)",
        "phase_zh": "挽救性放化疗（进展时）",
        "group_en": "Salvage radiotherapy course",
        "group_zh": "挽救性放疗方案",
    }
    assert missing.severity is Severity.BLOCK
    assert not fractions(plan)


def test_an_unknown_phase_start_is_an_input_error() -> None:
    with pytest.raises(InputError) as error:
        plan_for(phase_starts={"relapse": SALVAGE})
    assert error.value.field == "phase-start"
    assert error.value.value == "relapse"


# --- bugs in weekly chemotherapy with radiotherapy ------------------------------------------------------------


def test_weekly_chemotherapy_never_gives_two_cycles_on_one_day() -> None:
    plan = plan_for(date(2025, 9, 1), "CN", phase_starts={"salvage": date(2026, 2, 9)})
    dates = [e.date for e in drug_events(plan, "salvage", "paclitaxel")]
    assert len(dates) == 5
    assert len(set(dates)) == 5
    assert len({d.isocalendar()[:2] for d in dates}) == 5  # one per radiotherapy week


def test_a_computed_plan_without_recorded_input_has_no_block() -> None:
    plan = plan_for(closures="CN", phase_starts={"salvage": date(2027, 4, 5)})
    assert not [f for f in plan.flags if f.severity is Severity.BLOCK]


class _RunawayLoopError(Exception):
    pass


@dataclass(frozen=True)
class _GuardedCalendar(ClinicCalendar):
    """A clinic calendar that stops a runaway search instead of hanging the test run."""

    limit: int = 20_000
    calls: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)

    def radiotherapy_closure(self, day: date) -> str | None:
        self.calls[0] += 1
        if self.calls[0] > self.limit:
            raise _RunawayLoopError(day)
        return super().radiotherapy_closure(day)


def test_the_guarded_calendar_lets_a_normal_plan_through() -> None:
    guarded = _GuardedCalendar(move=MovePolicy.PREVIOUS)
    plan = plan_for(calendar=guarded, phase_starts={"salvage": SALVAGE})
    assert plan == plan_for(calendar=ClinicCalendar(move=MovePolicy.PREVIOUS), phase_starts={"salvage": SALVAGE})
    assert guarded.calls[0] < 1000


def test_move_previous_before_an_adjusted_working_saturday_terminates() -> None:
    calendar = _GuardedCalendar(move=MovePolicy.PREVIOUS)
    plan = plan_for(date(2025, 9, 1), calendar=calendar, phase_starts={"salvage": date(2026, 2, 16)})
    assert all(e.date.weekday() < 5 for e in drug_events(plan, "salvage"))


@pytest.mark.parametrize(
    ("move", "salvage"),
    [
        pytest.param(
            MovePolicy.NEXT,
            date(2020, 1, 8),
            id="next-spring-festival-2020",
        ),
        pytest.param(
            MovePolicy.PREVIOUS,
            date(2021, 2, 10),
            id="previous-spring-festival-2021",
        ),
        pytest.param(MovePolicy.NEXT, date(2026, 2, 9), id="next-spring-festival-2026"),
        pytest.param(MovePolicy.NEXT, date(2026, 9, 28), id="next-national-day-2026"),
    ],
)
def test_weekly_chemotherapy_gives_one_dose_per_radiotherapy_week(move: MovePolicy, salvage: date) -> None:
    plan = plan_for(salvage, calendar=ClinicCalendar(move=move), phase_starts={"salvage": salvage})
    dates = [e.date for e in drug_events(plan, "salvage", "paclitaxel")]
    rt_days = {e.date for e in fractions(plan)}
    assert len(dates) == 5
    assert all(d in rt_days for d in dates)
    assert len({d.isocalendar()[:2] for d in dates}) == 5  # one a week, never two in a week


# --- properties over start dates ------------------------------------------------------------------------------

PROPERTIES = settings(max_examples=120, deadline=None)
STARTS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
SALVAGE_AFTER = st.none() | st.integers(min_value=0, max_value=1000)

EXAMPLE_STARTS = [
    date(2028, 2, 29),  # leap day
    date(2024, 2, 29),
    date(2026, 12, 31),  # year ends
    date(2027, 12, 31),
    date(2020, 1, 24),  # Spring Festival weeks
    date(2026, 2, 16),
    date(2027, 2, 8),
    date(2028, 1, 26),
    date(2030, 2, 4),
    date(2034, 2, 20),
    date(2026, 10, 1),  # National Day weeks
    date(2027, 10, 4),
    date(2029, 10, 1),
    date(2033, 10, 3),
    date(2035, 10, 1),
]


def _with_examples(test: Callable[..., None]) -> Callable[..., None]:
    for start in EXAMPLE_STARTS:
        test = example(start=start, salvage_after=None)(test)
    test = example(start=date(2025, 9, 1), salvage_after=161)(test)  # salvage from Mon 9 Feb 2026
    test = example(start=date(2026, 9, 7), salvage_after=21)(test)  # salvage from Mon 28 Sep 2026
    test = example(start=date(2028, 2, 29), salvage_after=0)(test)
    return example(start=date(2026, 12, 31), salvage_after=365)(test)


def _rt_open(calendar: ClinicCalendar, day: date) -> bool:
    return day.weekday() < 5 and calendar.radiotherapy_closure(day) is None


@pytest.mark.parametrize("closures", ["CN", "none"])
@PROPERTIES
@_with_examples
@given(start=STARTS, salvage_after=SALVAGE_AFTER)
def test_plan_properties(closures: str, start: date, salvage_after: int | None) -> None:
    calendar = CALENDARS[closures]
    starts = {} if salvage_after is None else {"salvage": start + timedelta(days=salvage_after)}
    plan = plan_for(start, closures, phase_starts=starts)

    # sorted, nothing before the start
    assert list(plan.events) == sorted(plan.events, key=Event.sort_key)
    assert all(e.date >= start for e in plan.events)

    # induction: 21 days from the actual day 1; exactly 21 when no move happened, more when moved forwards
    induction = day1s(plan, "induction")
    if salvage_after is None or calendar.open_day(start) < starts["salvage"]:
        assert induction[0].date == calendar.open_day(start)
    else:
        assert not induction  # salvage from the very start stops everything before it
    for before, after in itertools.pairwise(induction):
        gap = (after.date - before.date).days
        assert gap >= 21
        if after.moved_from is None:
            assert gap == 21
        else:
            assert after.moved_from == before.date + DAYS_21
            assert after.date > after.moved_from

    # chemotherapy (not oral) only on open days; in a radiotherapy phase only on radiotherapy days
    rt_events = fractions(plan)
    rt_days = {e.date for e in rt_events}
    for event in drug_events(plan):
        assert calendar.is_open(event.date)
        if closures == "CN":
            assert event.date not in CN_HOLIDAYS
        if event.phase == "salvage":
            assert _rt_open(calendar, event.date)
            assert event.date in rt_days
        if event.moved_from is not None:
            assert not calendar.is_open(event.moved_from) or not _rt_open(calendar, event.moved_from)

    # radiotherapy: fractions 1..n, one per distinct open weekday
    if salvage_after is None:
        assert not rt_events
    else:
        assert [e.fraction for e in rt_events] == list(range(1, 29))
        assert len(rt_days) == 28
        assert all(_rt_open(calendar, d) for d in rt_days)
        assert min(rt_days) >= start + timedelta(days=salvage_after)

    # maintenance: 24 months from its first dose, every dose strictly before, no cycle left out
    if salvage_after is None:
        maintenance = day1s(plan, "maintenance")
        assert phase_plan(plan, "maintenance").start == induction[-1].date + DAYS_21
        stop = maintenance[0].date + relativedelta(months=24)
        assert phase_plan(plan, "maintenance").stop_date == stop
        assert all(e.date < stop for e in plan.phase_events("maintenance"))
        assert calendar.open_day(maintenance[-1].date + DAYS_21) >= stop
        for before, after in itertools.pairwise(maintenance):
            assert (after.moved_from or after.date) == before.date + DAYS_21
    else:
        assert all(e.date < starts["salvage"] for e in plan.events if e.phase != "salvage")

    # deterministic: the same inputs give an equal plan, with this calendar or a fresh one
    assert plan_for(start, closures, phase_starts=starts) == plan
    fresh = clinic_calendar(closures)
    assert plan_for(start, calendar=fresh, phase_starts=starts) == plan
