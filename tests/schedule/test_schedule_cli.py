"""The `dosecalc schedule` contract: JSON keys, delay syntax, errors naming their field, the .ics file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dosecalc.cli import main
from dosecalc.cli.schedule import parse_date, parse_delay
from dosecalc.errors import InputError

BASE = ["schedule", "--regimen", "escc-nct07016737", "--start", "2026-12-07", "--choose", "pd1=sintilimab",
        "--choose", "chemo=paclitaxel"]  # fmt: skip
EVENT_KEYS = {"date", "kind", "phase", "cycle", "day", "drug", "fraction", "fractions_total", "moved_from", "note"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    status = main([*argv, "--json"])
    captured = capsys.readouterr()
    return status, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, _ = run(capsys, *BASE, "--closures", "none")
    assert status == 0
    events = payload["events"]
    assert isinstance(events, list)
    assert events
    for event in events:
        assert set(event) >= EVENT_KEYS
        assert event["kind"] in {"drug", "radiotherapy", "intervention", "check"}
        dt.date.fromisoformat(event["date"])
    drugs = [e for e in events if e["kind"] == "drug"]
    assert {e["drug"] for e in drugs} == {"sintilimab", "paclitaxel"}
    phases = payload["phases"]
    assert [p["id"] for p in phases] == ["induction", "maintenance", "salvage"]
    assert {"id", "start", "end", "stop_rule"} <= set(phases[0])
    assert phases[2]["start"] is None  # salvage waits for progression
    assert isinstance(payload["flags"], list)


def test_induction_day_ones_are_21_days_apart_without_closures(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload, _ = run(capsys, *BASE, "--closures", "none")
    day1 = [e["date"] for e in payload["events"] if e["kind"] == "drug" and e["drug"] == "paclitaxel"]
    start = dt.date(2026, 12, 7)
    assert day1 == [(start + dt.timedelta(days=21 * k)).isoformat() for k in range(4)]


def test_delay_of_cycle_two_shifts_what_follows(capsys: pytest.CaptureFixture[str]) -> None:
    _, plain, _ = run(capsys, *BASE, "--closures", "none")
    _, delayed, _ = run(capsys, *BASE, "--closures", "none", "--delay", "2=7:grade 3 neutropenia")

    def day1(payload: dict[str, object]) -> list[dt.date]:
        return [dt.date.fromisoformat(e["date"]) for e in payload["events"]  # type: ignore[attr-defined]
                if e["kind"] == "drug" and e["drug"] == "paclitaxel"]  # fmt: skip

    before, after = day1(plain), day1(delayed)
    assert after[0] == before[0]
    assert [b - a for a, b in zip(before[1:], after[1:], strict=True)] == [dt.timedelta(days=7)] * 3
    assert any(f["code"] == "cycle.delayed" and "neutropenia" in f["message"] for f in delayed["flags"])


def test_delay_of_another_phase_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    _, plain, _ = run(capsys, *BASE, "--closures", "none")
    _, delayed, _ = run(capsys, *BASE, "--closures", "none", "--delay", "maintenance:2=14")
    pick = [e for e in plain["events"] if e["phase"] == "maintenance" and e["cycle"] == 2 and e["kind"] == "drug"]
    moved = [e for e in delayed["events"] if e["phase"] == "maintenance" and e["cycle"] == 2 and e["kind"] == "drug"]
    assert dt.date.fromisoformat(moved[0]["date"]) - dt.date.fromisoformat(pick[0]["date"]) == dt.timedelta(days=14)


def test_bringing_a_cycle_forward_is_blocked_without_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload, _ = run(capsys, *BASE, "--closures", "none", "--delay", "2=-7")
    assert any(f["code"] == "interval.short" and f["severity"] == "block" for f in payload["flags"])
    _, payload, _ = run(capsys, *BASE, "--closures", "none", "--delay", "2=-7:trial visit window")
    assert any(f["code"] == "interval.short" and f["severity"] == "warning" for f in payload["flags"])


def test_salvage_with_radiotherapy(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload, _ = run(capsys, *BASE, "--choose", "rt=50.4gy-28fx", "--phase-start", "salvage=2027-06-07")
    fractions = [e for e in payload["events"] if e["kind"] == "radiotherapy"]
    assert [e["fraction"] for e in fractions] == list(range(1, 29))
    assert {e["fractions_total"] for e in fractions} == {28}
    assert all(dt.date.fromisoformat(e["date"]).weekday() < 5 for e in fractions)
    rt_days = {e["date"] for e in fractions}
    weekly = [e for e in payload["events"] if e["kind"] == "drug" and e["phase"] == "salvage"]
    assert sorted({e["drug"] for e in weekly}) == ["carboplatin", "paclitaxel"]
    assert len({e["date"] for e in weekly}) == 5
    assert {e["date"] for e in weekly} <= rt_days


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--start", "07/12/2026"], "start"),
        (["--start", "2026-02-30"], "start"),
        (["--delay", "two=7"], "delay"),
        (["--delay", "2=0"], "delay"),
        (["--delay", "2=120"], "delay"),
        (["--delay", "followup:2=7"], "delay"),
        (["--phase-start", "salvage"], "phase-start"),
        (["--phase-start", "relapse=2027-06-07"], "phase-start"),
        (["--phase-start", "salvage=June 7"], "phase-start"),
        (["--closures", "XX"], "closures"),
        (["--closures", "12"], "closures"),
        (["--regimen", "no-such-regimen"], "regimen"),
    ],
)
def test_bad_input_names_the_field(capsys: pytest.CaptureFixture[str], extra: list[str], field: str) -> None:
    argv = list(BASE)
    for option, value in zip(extra[::2], extra[1::2], strict=True):
        if option in argv and option in ("--start", "--regimen"):
            argv[argv.index(option) + 1] = value
        else:
            argv += [option, value]
    status, payload, err = run(capsys, *argv)
    assert status == 2
    assert err.strip().startswith(f"{field}: ")
    assert len(err.strip().splitlines()) == 1
    assert payload["error"]["field"] == field  # type: ignore[index]


def test_missing_start_and_regimen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--regimen", "escc-nct07016737"]) == 2
    assert capsys.readouterr().err.startswith("start: ")
    assert main(["schedule", "--start", "2026-12-07"]) == 2
    assert capsys.readouterr().err.startswith("regimen: ")


def test_parsers() -> None:
    assert parse_date(" 2028-02-29 ", "start") == dt.date(2028, 2, 29)
    with pytest.raises(InputError):
        parse_date("2027-02-29", "start")
    delay = parse_delay("maintenance:3=-2:pharmacy closed")
    assert (delay.phase, delay.cycle, delay.days, delay.reason) == ("maintenance", 3, -2, "pharmacy closed")
    assert parse_delay("2=7").reason is None


def test_text_output_and_subprocess(tmp_path: Path) -> None:
    ics = tmp_path / "plan.ics"
    result = subprocess.run(
        [sys.executable, "-m", "dosecalc", *BASE, "--closures", "CN", "--ics", str(ics)],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Mon 07 Dec 2026" in result.stdout
    assert "Phase induction: 07 Dec 2026" in result.stdout
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_ics_to_an_unwritable_place(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _payload, err = run(capsys, *BASE, "--ics", str(tmp_path / "missing" / "plan.ics"))
    assert status == 2
    assert err.startswith("ics: ")
