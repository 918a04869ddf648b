"""The benchmark command still runs end to end (tiny sizes; no timing is asserted) and keeps the README's prose."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("run")


def test_quick_run_writes_every_figure_beside_its_floor(tmp_path: Path, runner: ModuleType) -> None:
    readme = tmp_path / "README.md"
    original = (BENCH / "README.md").read_text(encoding="utf-8")
    readme.write_text(original, encoding="utf-8")
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--json", str(out), "--readme", str(readme)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert results["quick"] is True
    assert results["machine"]["python"]
    assert set(results["raw"]) == set(runner.ARGUMENTS)
    benches = {row["bench"] for row in results["figures"]}
    assert benches == set(runner.ARGUMENTS)
    for row in results["figures"]:
        assert row["median"] > 0, row
        assert row["low"] <= row["median"] <= row["high"], row
        if row["floor"] is not None:
            assert row["floor_median"] > 0, row
            assert row["ratio"] == pytest.approx(row["median"] / row["floor_median"]), row
    named = " ".join(row["figure"] for row in results["figures"])
    for wanted in ("dosecalc bsa", "peak RSS of `dosecalc order`", ".ics", "main window painted", "ready for input",
                   "keystroke", "calendar PDF", "ledger", "--batch"):  # fmt: skip
        assert wanted in named, wanted
    # The prose outside the markers is untouched; the table between them is the run's.
    written = readme.read_text(encoding="utf-8")
    start, end = original.index(runner.START), original.index(runner.END) + len(runner.END)
    assert written.startswith(original[:start])
    assert written.endswith(original[end:])
    assert "QUICK RUN" in written
    assert written.count("| Workstation: ") >= 4
    # The quick run never touches the real results or README.
    assert (BENCH / "README.md").read_text(encoding="utf-8") == original


def test_readme_without_markers_is_refused(tmp_path: Path, runner: ModuleType) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nno table here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no results markers"):
        runner.write_readme(readme, f"{runner.START}\n{runner.END}")
    assert readme.read_text(encoding="utf-8") == "# Benchmarks\n\nno table here\n"


def test_verdict_names_how_far_a_target_is_missed(runner: ModuleType) -> None:
    met = runner.figure("gui", "start", "s", (0.28, 0.27, 0.30), "bare", 0.1, target=1.0, target_ratio=3.0)
    assert met["met"] is True
    assert runner.verdict(met) == "≤ 1.00 s and ≤ 3× floor: **met**"
    missed = runner.figure("gui", "start", "s", (0.6, 0.55, 0.7), "bare", 0.1, target=1.0, target_ratio=3.0)
    assert missed["met"] is False
    assert "6.0× the floor, 2.0 times the ratio allowed" in runner.verdict(missed)
    over = runner.figure("order", "order", "µs", (160.0, 150.0, 170.0), "floor", 10.0, target=150.0)
    assert "10.0 µs over" in runner.verdict(over)
    assert runner.verdict(runner.figure("plan", "ics", "ms", (7.0, 6.0, 8.0), "floor", 1.0)) == "—"
