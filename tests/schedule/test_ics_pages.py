"""iCalendar export and calendar pages of the whole NCT07016737 plan (cycle-calendar issue)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from icalendar import Calendar

from dosecalc.display import BANNED_TOKENS
from dosecalc.errors import InputError
from dosecalc.regimen.loader import Library, load_library
from dosecalc.regimen.model import Regimen
from dosecalc.schedule.clinic import NO_CLOSURES, ClinicCalendar, clinic_calendar
from dosecalc.schedule.ics import plan_to_ics
from dosecalc.schedule.pages import ADJUSTED_WORKING_DAY, CLOSED_PREFIX, calendar_pages
from dosecalc.schedule.plan import Delay, Event, EventKind, Plan, compute_plan

START = dt.date(2026, 12, 7)
SALVAGE = dt.date(2027, 6, 7)
CHOICES = {"pd1": "sintilimab", "chemo": "paclitaxel", "rt": "50.4gy-28fx"}
NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
_BANNED = re.compile(r"(?<![\w.])(" + "|".join(re.escape(t) for t in BANNED_TOKENS) + r")(?!\w)")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def regimen(library: Library) -> Regimen:
    return library.regimen("escc-nct07016737")


@pytest.fixture(scope="module")
def cn() -> ClinicCalendar:
    return clinic_calendar("CN")


def make_plan(library: Library, clinic: ClinicCalendar, delays: tuple[Delay, ...] = ()) -> Plan:
    return compute_plan(
        library.regimen("escc-nct07016737"),
        library.catalogue,
        START,
        CHOICES,
        clinic,
        phase_starts={"salvage": SALVAGE},
        delays=delays,
    )


@pytest.fixture(scope="module")
def plan(library: Library, cn: ClinicCalendar) -> Plan:
    return make_plan(library, cn)


def export(plan: Plan, library: Library, **kwargs: Any) -> bytes:
    kwargs.setdefault("now", NOW)
    return plan_to_ics(plan, library.regimen(plan.regimen_id), library.catalogue, **kwargs)


def vevents(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def treatment_days(plan: Plan) -> list[dt.date]:
    return sorted({e.date for e in plan.events if e.kind in (EventKind.DRUG, EventKind.RADIOTHERAPY)})


def by_heading(data: bytes) -> dict[str, tuple[str, dt.date]]:
    """First description line (phase, cycle, day) of each drug day → (UID, date)."""
    out = {}
    for item in vevents(data):
        if str(item["SUMMARY"]).startswith("radiotherapy"):
            continue  # a radiotherapy-only day
        out[str(item["DESCRIPTION"]).splitlines()[0]] = (str(item["UID"]), item.decoded("DTSTART"))
    return out


# --------------------------------------------------------------------------------------------
# iCalendar
# --------------------------------------------------------------------------------------------


def test_the_file_is_an_rfc5545_calendar(plan: Plan, library: Library) -> None:
    calendar = Calendar.from_ical(export(plan, library))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//DoseCalc//")
    assert str(calendar["PRODID"]).endswith("//EN")
    assert str(calendar["CALSCALE"]) == "GREGORIAN"


def test_one_all_day_event_per_treatment_day(plan: Plan, library: Library) -> None:
    items = vevents(export(plan, library))
    starts = [item.decoded("DTSTART") for item in items]
    assert starts == treatment_days(plan)  # one per day, in date order, no day twice
    for item in items:
        start, end = item.decoded("DTSTART"), item.decoded("DTEND")
        assert type(start) is dt.date
        assert type(end) is dt.date
        assert end == start + dt.timedelta(days=1)
        assert item["DTSTART"].params.get("VALUE") == "DATE"
        assert item["DTSTAMP"].dt == NOW


def test_summary_names_the_drugs_and_their_doses(plan: Plan, library: Library) -> None:
    items = {item.decoded("DTSTART"): item for item in vevents(export(plan, library))}
    assert str(items[START]["SUMMARY"]) == "sintilimab 200 mg, PACLitaxel 175 mg/m²"
    assert str(items[dt.date(2027, 3, 4)]["SUMMARY"]) == "sintilimab 200 mg"
    assert str(items[SALVAGE]["SUMMARY"]) == ("PACLitaxel 50 mg/m², CARBOplatin AUC 2; radiotherapy fraction 1 of 28")
    assert str(items[dt.date(2027, 6, 8)]["SUMMARY"]) == "radiotherapy fraction 2 of 28"


def test_given_doses_replace_the_protocol_dose_of_their_phase_only(plan: Plan, library: Library) -> None:
    doses = {("induction", "paclitaxel"): "300 mg", ("salvage", "carboplatin"): "250 mg"}
    items = {item.decoded("DTSTART"): item for item in vevents(export(plan, library, doses=doses))}
    assert str(items[START]["SUMMARY"]) == "sintilimab 200 mg, PACLitaxel 300 mg"
    assert str(items[SALVAGE]["SUMMARY"]).startswith("PACLitaxel 50 mg/m², CARBOplatin 250 mg;")


def test_a_weight_rule_is_shown_with_the_protocol_dose(library: Library) -> None:
    regimen = library.regimen("escc-orient-15")
    choices = {g.id: g.options[0].id for g in regimen.choice_groups}
    plan = compute_plan(regimen, library.catalogue, START, choices, NO_CLOSURES)
    summaries = [str(item["SUMMARY"]) for item in vevents(plan_to_ics(plan, regimen, library.catalogue, now=NOW))]
    sintilimab = [s for s in summaries if "sintilimab" in s]
    assert sintilimab
    assert all("sintilimab 200 mg (3 mg/kg below 60 kg)" in s for s in sintilimab)


def test_description_has_phase_cycle_day_regimen_and_moves(plan: Plan, library: Library) -> None:
    items = {item.decoded("DTSTART"): item for item in vevents(export(plan, library))}
    first = str(items[START]["DESCRIPTION"]).splitlines()
    assert first[0] == "Induction, cycle 1, day 1"
    assert "- PACLitaxel (紫杉醇) 175 mg/m², intravenous over 3 h" in first
    assert any(line.startswith("- check: day-1 go/no-go") for line in first)
    assert first[-1] == "Regimen escc-nct07016737 version 1.0.0"
    moved = str(items[dt.date(2027, 2, 11)]["DESCRIPTION"])  # cycle 4 moved off the Spring Festival
    assert "Induction, cycle 4, day 1" in moved
    assert "moved from Mon 08 Feb 2027" in moved
    fraction = str(items[dt.date(2027, 6, 10)]["DESCRIPTION"]).splitlines()
    assert fraction[0] == "Salvage chemoradiation (on progression), cycle 1, day 4"
    last = str(items[dt.date(2027, 7, 15)]["DESCRIPTION"]).splitlines()
    assert last[0] == "Salvage chemoradiation (on progression), after cycle 5"


def test_no_banned_abbreviation_in_the_file(plan: Plan, library: Library) -> None:
    for item in vevents(export(plan, library)):
        for key in ("SUMMARY", "DESCRIPTION"):
            assert _BANNED.search(str(item[key])) is None, str(item[key])


def test_a_dose_with_a_banned_abbreviation_is_refused(plan: Plan, library: Library) -> None:
    with pytest.raises(InputError, match="banned abbreviation 'U'"):
        export(plan, library, doses={("induction", "sintilimab"): "200 U"})


def test_uids_are_stable_unique_and_dosecalc(plan: Plan, library: Library) -> None:
    first = [str(item["UID"]) for item in vevents(export(plan, library))]
    again = [str(item["UID"]) for item in vevents(export(plan, library, now=NOW + dt.timedelta(days=3)))]
    assert first == again
    assert len(set(first)) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{40}@dosecalc", uid) for uid in first)
    other = {str(item["UID"]) for item in vevents(export(plan, library, plan_id="patient-17/plan-2"))}
    assert other.isdisjoint(first)


def test_a_delayed_cycle_keeps_every_uid(plan: Plan, library: Library, cn: ClinicCalendar) -> None:
    delayed = make_plan(library, cn, (Delay(cycle=2, days=7),))
    before, after = by_heading(export(plan, library)), by_heading(export(delayed, library))
    assert set(before) == set(after)
    for heading in ("Induction, cycle 2, day 1", "Induction, cycle 4, day 1", "PD-1 maintenance, cycle 1, day 1"):
        assert before[heading][0] == after[heading][0]  # the same UID ...
        assert before[heading][1] != after[heading][1]  # ... on another date
    assert after["Induction, cycle 2, day 1"][1] == dt.date(2027, 1, 4)
    assert {uid for uid, _ in before.values()} == {uid for uid, _ in after.values()}
    assert {str(i["UID"]) for i in vevents(export(plan, library))} == {
        str(i["UID"]) for i in vevents(export(delayed, library))
    }


def test_same_now_same_bytes(plan: Plan, library: Library, cn: ClinicCalendar) -> None:
    assert export(plan, library) == export(make_plan(library, cn), library)
    later = export(plan, library, now=NOW + dt.timedelta(hours=1))
    differ = [(a, b) for a, b in zip(export(plan, library).splitlines(), later.splitlines(), strict=True) if a != b]
    assert differ
    assert all(a.startswith(b"DTSTAMP:") for a, _ in differ)


def test_a_day_with_only_a_check_gets_its_own_event(plan: Plan, library: Library) -> None:
    extra = Event(dt.date(2027, 8, 2), EventKind.CHECK, "salvage", note="response assessment after salvage")
    items = vevents(export(replace(plan, events=(*plan.events, extra)), library))
    assert len(items) == len(treatment_days(plan)) + 1
    assert items[-1].decoded("DTSTART") == dt.date(2027, 8, 2)
    assert "response assessment after salvage" in str(items[-1]["SUMMARY"])


def test_two_days_with_the_same_cycle_day_get_different_uids(plan: Plan, library: Library) -> None:
    # An oral day 8 stays put while an infusion of day 8 moves to the next day: both days hold a day 8.
    oral = Event(dt.date(2027, 1, 25), EventKind.DRUG, "induction", 9, 8, "sintilimab", 1)
    moved = Event(dt.date(2027, 1, 26), EventKind.DRUG, "induction", 9, 8, "paclitaxel", 3, moved_from=oral.date)
    oral9 = Event(dt.date(2027, 1, 26), EventKind.DRUG, "induction", 9, 9, "sintilimab", 1)
    uids = [str(i["UID"]) for i in vevents(export(replace(plan, events=(*plan.events, oral, moved, oral9)), library))]
    assert len(uids) == len(set(uids)) == len(treatment_days(plan)) + 2


def test_the_regimen_must_be_the_plans(plan: Plan, library: Library) -> None:
    with pytest.raises(InputError, match="not the regimen this plan was computed from"):
        plan_to_ics(plan, library.regimen("escc-orient-15"), library.catalogue, now=NOW)


# --------------------------------------------------------------------------------------------
# Calendar pages
# --------------------------------------------------------------------------------------------


def cells(pages: tuple[Any, ...]) -> dict[dt.date, Any]:
    return {cell.date: cell for page in pages for week in page.weeks for cell in week.days if cell.in_month}


def test_every_event_is_in_exactly_one_in_month_cell(plan: Plan, cn: ClinicCalendar) -> None:
    pages = calendar_pages(plan, cn)
    seen: Counter[int] = Counter()
    for page in pages:
        for week in page.weeks:
            for cell in week.days:
                if not cell.in_month:
                    assert cell.events == ()
                    assert cell.labels == ()
                    continue
                assert (cell.date.year, cell.date.month) == (page.year, page.month)
                for event in cell.events:
                    assert event.date == cell.date
                    seen[id(event)] += 1
    assert sorted(seen) == sorted(id(e) for e in plan.events)
    assert set(seen.values()) == {1}


def test_weeks_have_seven_days_monday_first(plan: Plan, cn: ClinicCalendar) -> None:
    for page in calendar_pages(plan, cn):
        assert 4 <= len(page.weeks) <= 6
        for week in page.weeks:
            assert len(week.days) == 7
            assert week.days[0].date.weekday() == 0
            assert [(c.date - week.days[0].date).days for c in week.days] == list(range(7))
        in_month = [c.date for w in page.weeks for c in w.days if c.in_month]
        assert in_month[0] == dt.date(page.year, page.month, 1)
        assert len(in_month) == len(set(in_month))
        assert (in_month[-1] + dt.timedelta(days=1)).month != page.month


def test_months_span_the_first_to_the_last_event(plan: Plan, cn: ClinicCalendar) -> None:
    pages = calendar_pages(plan, cn)
    months = [(p.year, p.month) for p in pages]
    assert months == [(2026, 12), *((2027, m) for m in range(1, 8))]
    given = calendar_pages(plan, cn, dt.date(2027, 2, 15), dt.date(2027, 3, 1))
    assert [(p.year, p.month) for p in given] == [(2027, 2), (2027, 3)]
    assert calendar_pages(replace(plan, events=()), cn) == ()


def test_closures_are_labelled_and_rest_days_are_empty(plan: Plan, cn: ClinicCalendar) -> None:
    days = cells(calendar_pages(plan, cn))
    new_year = days[dt.date(2027, 1, 1)]
    assert new_year.closed == "New Year's Day"
    assert new_year.labels == (f"{CLOSED_PREFIX}New Year's Day",)
    spring = days[dt.date(2027, 2, 8)]  # induction cycle 4 was due here; the clinic is closed
    assert spring.events == ()
    assert [label for label in spring.labels if label.startswith(CLOSED_PREFIX)]
    saturday = days[dt.date(2026, 12, 12)]
    assert saturday.closed == "weekend"
    assert saturday.labels == ()  # an ordinary weekend is not labelled
    rest = days[dt.date(2026, 12, 9)]
    assert (rest.events, rest.labels, rest.closed) == ((), (), None)  # a rest day: nothing, no "rest day"
    assert not any("rest" in label for cell in days.values() for label in cell.labels)


def test_adjusted_working_day_and_no_closures(plan: Plan, cn: ClinicCalendar) -> None:
    pages = calendar_pages(plan, cn, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    working_saturday = cells(pages)[dt.date(2026, 2, 14)]  # 调休 before the 2026 Spring Festival
    assert working_saturday.closed is None
    assert working_saturday.labels == (ADJUSTED_WORKING_DAY,)
    none = cells(calendar_pages(plan, NO_CLOSURES))
    assert none[dt.date(2027, 1, 1)].labels == ()
    assert none[dt.date(2027, 1, 1)].closed is None


def test_each_day_carries_the_phase_whose_cycle_covers_it(plan: Plan, cn: ClinicCalendar) -> None:
    days = cells(calendar_pages(plan, cn))
    assert days[dt.date(2026, 12, 7)].phase == "induction"
    assert days[dt.date(2027, 3, 3)].phase == "induction"  # cycle 4 (11 Feb) + 21 days
    assert days[dt.date(2027, 3, 4)].phase == "maintenance"
    assert days[dt.date(2027, 6, 6)].phase == "maintenance"
    assert days[dt.date(2027, 6, 7)].phase == "salvage"  # salvage stops maintenance
    assert days[dt.date(2027, 7, 15)].phase == "salvage"
    assert days[dt.date(2027, 7, 16)].phase is None  # after the last fraction
    assert days[dt.date(2026, 12, 1)].phase is None  # before the start
