"""Run every DoseCalc benchmark and write the figures, each beside its floor, to JSON and to bench/README.md.

Usage (from the repository root; ``./scripts/bench.sh`` sets up ``.venv`` first and runs this)::

    .venv/bin/python bench/run.py                     # every benchmark: bench/results.json + README table
    .venv/bin/python bench/run.py --only cli gui      # some of them (the README table keeps the others)
    .venv/bin/python bench/run.py --quick --json OUT.json --readme COPY.md   # tiny sizes: the smoke test

Each benchmark is its own script beside this one (``bench_<name>.py``), run as a child process with
``--json``; every one measures its floors itself, interleaved with the figures, so noise on a shared
machine falls on a figure and its floor alike. This script gathers their figures into one list —
figure, median and spread, floor and floor median, ratio, target and whether it is met — and writes:

- ``bench/results.json``: date, machine (CPU, platform, Python, Qt, package versions), the commit, the
  figures and each benchmark's raw output;
- the table in ``bench/README.md`` between the ``bench:results`` markers (the prose around them is kept).

``--quick`` runs every benchmark on tiny sizes to show the whole chain still works; its figures mean
nothing, so it writes a JSON file or a README only where told (``--json``, ``--readme``), never to the
defaults. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from machine import compile_tree, machine  # bench/machine.py, beside this script

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
START = "<!-- bench:results:start (written by bench/run.py; edit outside these markers) -->"
END = "<!-- bench:results:end -->"
PACKAGES = ("PySide6-Essentials", "pint", "pydantic", "SQLAlchemy", "alembic", "holidays", "icalendar")

# The arguments of each benchmark: (full run, quick run). Order: cheapest first, so a broken chain fails fast.
ARGUMENTS: dict[str, tuple[list[str], list[str]]] = {
    "cli": ([], ["--runs", "1"]),
    "order": ([], ["--repeat", "2"]),
    "plan": ([], ["--repeat", "2", "--cold-runs", "1"]),
    "ledger": ([], ["--repeat", "2", "--patients", "20", "--samples", "3"]),
    "batch": ([], ["--orders", "30", "--runs", "1"]),
    "print": ([], ["--runs", "1", "--process-runs", "1"]),
    "gui": ([], ["--runs", "1", "--keystrokes", "8"]),
}

Figure = dict[str, Any]


def figure(
    bench: str,
    name: str,
    unit: str,
    spread: dict[str, float] | tuple[float, float, float],
    floor: str | None = None,
    floor_median: float | None = None,
    *,
    spread_kind: str = "p10–p90",
    target: float | None = None,
    target_ratio: float | None = None,
    note: str = "",
) -> Figure:
    """One row: ``spread`` is {median, min, max} or (median, low, high) in ``unit``; targets in ``unit`` / ×."""
    if isinstance(spread, dict):
        median, low, high = spread["median"], spread["min"], spread["max"]
        spread_kind = "min–max"
    else:
        median, low, high = spread
    row: Figure = {
        "bench": bench,
        "figure": name,
        "unit": unit,
        "median": median,
        "low": low,
        "high": high,
        "spread": spread_kind,
        "floor": floor,
        "floor_median": floor_median,
        "ratio": median / floor_median if floor_median else None,
        "target": target,
        "target_ratio": target_ratio,
        "note": note,
    }
    checks = []
    if target is not None:
        checks.append(median <= target)
    if target_ratio is not None and row["ratio"] is not None:
        checks.append(row["ratio"] <= target_ratio)
    row["met"] = all(checks) if checks else None
    return row


# --------------------------------------------------------------------------------------------- adapters
# Each turns one benchmark's own JSON into rows of the common table.


def from_cli(data: dict[str, Any]) -> list[Figure]:
    s, m = data["seconds"], data["peak_rss_mb"]
    floor, floor_mb = s["floor"]["median"], m["floor"]["median"]
    return [
        figure("cli", "`dosecalc bsa` as a whole process", "s", s["bsa"], "`python -c pass`", floor),
        figure(
            "cli",
            "`dosecalc order` (one NCT07016737 order) as a whole process",
            "s",
            s["order"],
            "`python -c pass`",
            floor,
        ),
        figure(
            "cli", "peak RSS of `dosecalc order` (child's ru_maxrss)", "MB", m["order"], "`python -c pass`", floor_mb
        ),
    ]


def from_order(data: dict[str, Any]) -> list[Figure]:
    rows = []
    for r in data["results"]:
        target = 150.0 if r["name"] == "compute_order" else None
        label = {
            "compute_order": "one whole order (`compute_order`: BSA, CrCl, Calvert, 3 doses)",
            "parse_inputs": "parse a keystroke's inputs (height, weight, creatinine, 3 doses)",
            "render_derivations": "render the derivations of the order",
        }.get(r["name"], r["name"])
        rows.append(
            figure(
                "order",
                label,
                "µs",
                (r["median_us"], r["p10_us"], r["p90_us"]),
                f"`{r['floor_name']}` (plain floats)",
                r["floor_median_us"],
                target=target,
            )
        )
    return rows


def from_plan(data: dict[str, Any]) -> list[Figure]:
    labels = {
        "compute_plan CN (warm calendar)": ("the whole NCT07016737 plan (`compute_plan`, CN closures, warm)", 5.0),
        "compute_plan CN, new calendar": ("the whole plan with a new CN calendar", None),
        "plan_to_ics": ("its `.ics` export (`plan_to_ics`)", None),
        "calendar_pages": ("its month pages (`calendar_pages`)", None),
    }
    rows = []
    for r in data["results"]:
        if r["name"] not in labels:
            continue
        label, target = labels[r["name"]]
        rows.append(
            figure(
                "plan",
                label,
                "ms",
                (r["median_ms"], r["p10_ms"], r["p90_ms"]),
                f"`{r['floor_name']}`",
                r["floor_median_ms"],
                target=target,
            )
        )
    return rows


def from_ledger(data: dict[str, Any]) -> list[Figure]:
    rows = []
    for r in data["figures"]:
        name = re.sub(r"\s*\(target[^)]*\)", "", r["figure"])
        target = 20.0 if r["figure"].startswith("(a) compute_ledger") else None
        if "look up + compute_ledger" in r["figure"]:
            target = 50.0
        rows.append(
            figure(
                "ledger",
                f"ledger {name}",
                "ms",
                (r["median"], r["p10"], r["p90"]),
                f"{r['floor']}",
                r["floor_median"],
                target=target,
            )
        )
    return rows


def from_batch(data: dict[str, Any]) -> list[Figure]:
    samples, orders = data["samples_s"], data["orders"]

    def spread(name: str) -> dict[str, float]:
        values = samples[name]
        return {"median": data["median_s"][name], "min": min(values), "max": max(values)}

    per_second = orders / data["median_s"]["process"]
    return [
        figure(
            "batch",
            f"`dosecalc order --batch`, {orders:,} orders, whole process",
            "s",
            spread("process"),
            "`python -c pass`",
            data["median_s"]["interpreter"],
            target=5.0 if orders >= 10_000 else None,
            note=f"{per_second:,.0f} orders/s",
        ),
        figure(
            "batch",
            "of which start + imports (`dosecalc --version`)",
            "s",
            spread("imports"),
            "`python -c pass`",
            data["median_s"]["interpreter"],
        ),
        figure(
            "batch",
            f"re-check core in-process (read + `recheck_orders`), {orders:,} orders",
            "s",
            spread("core"),
            "read + `csv.reader`",
            data["median_s"]["csv"],
        ),
    ]


def from_print(data: dict[str, Any]) -> list[Figure]:
    ms = {key: {k: v * 1000 for k, v in data[key].items()} for key in data if key.endswith("_s")}
    pages = data["pages"]
    return [
        figure(
            "print",
            f"2-year calendar PDF ({pages} pages: source + document + PDF)",
            "ms",
            ms["total_s"],
            f"empty `QPdfWriter`, {pages} pages",
            ms["floor_empty_writer_s"]["median"],
            target=1000.0,
        ),
        figure(
            "print",
            "of which the PDF step (`write_pdf`)",
            "ms",
            ms["pdf_s"],
            "page frame and watermark only",
            ms["floor_frame_only_s"]["median"],
        ),
        figure(
            "print",
            "`dosecalc-app print calendar` as a whole process (temporary demo store)",
            "s",
            data["command_process_s"],
            note="information: mostly start-up and the demo store",
        ),
    ]


def from_gui(data: dict[str, Any]) -> list[Figure]:
    bare = data["bare_startup_s"]["median"]
    bare_mb = data["bare_maxrss_mb"]["median"]
    floor_key = data["floor_textchanged_ms"]["median"]
    rows = [
        figure(
            "gui",
            "process start → main window painted (inputs disabled, “Opening the record store…”)",
            "s",
            data["app_startup_s"],
            "bare PySide6 window process",
            bare,
            target=1.0,
            target_ratio=3.0,
        ),
        figure(
            "gui",
            "process start → ready for input (store open, chain and library checked, signed in, patients listed)",
            "s",
            data["app_ready_s"],
            "bare PySide6 window process",
            bare,
        ),
        figure(
            "gui",
            "… + demo patient selected, every tab shown",
            "s",
            data["app_patient_open_s"],
            "bare PySide6 window process",
            bare,
        ),
        figure(
            "gui",
            "keystroke → dose table model updated",
            "ms",
            data["keystroke_to_model_ms"],
            "bare `QLineEdit` `textChanged`",
            floor_key,
            target=50.0,
        ),
    ]
    if data.get("keystroke_to_paint_ms"):
        rows.append(
            figure(
                "gui",
                "keystroke → dose table repainted",
                "ms",
                data["keystroke_to_paint_ms"],
                "bare `QLineEdit` `textChanged`",
                floor_key,
                target=50.0,
            )
        )
    rows += [
        figure(
            "gui",
            "peak RSS, main window, no patient (ru_maxrss)",
            "MB",
            data["app_maxrss_mb"],
            "bare PySide6 window process",
            bare_mb,
        ),
        figure(
            "gui",
            "peak RSS, demo patient, every tab shown (ru_maxrss)",
            "MB",
            data["app_patient_maxrss_mb"],
            "bare PySide6 window process",
            bare_mb,
            target=250.0,
        ),
    ]
    return rows


ADAPTERS: dict[str, Callable[[dict[str, Any]], list[Figure]]] = {
    "cli": from_cli,
    "order": from_order,
    "plan": from_plan,
    "ledger": from_ledger,
    "batch": from_batch,
    "print": from_print,
    "gui": from_gui,
}
TITLES = {
    "cli": "Command line",
    "order": "One order (in-process)",
    "plan": "NCT07016737 plan (in-process)",
    "ledger": "Cumulative ledger (SQLite)",
    "batch": "Batch re-check",
    "print": "Printouts",
    "gui": "Workstation",
}


# --------------------------------------------------------------------------------------------- running


def run_bench(name: str, quick: bool, folder: Path) -> tuple[dict[str, Any], float]:
    """Run ``bench_<name>.py`` as a child process; its JSON and how long it took."""
    out = folder / f"{name}.json"
    full, small = ARGUMENTS[name]
    command = [sys.executable, str(BENCH / f"bench_{name}.py"), "--json", str(out), *(small if quick else full)]
    # This tree's code, whatever is installed: the benchmarks import dosecalc and ui from ROOT.
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join((str(BENCH), str(ROOT)))}
    print(f"== bench_{name}.py {' '.join(small if quick else full)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=environment, stdout=sys.stderr, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench_{name}.py failed (exit {done.returncode}); see its output above")
    return json.loads(out.read_text(encoding="utf-8")), time.perf_counter() - started


def describe_machine() -> dict[str, Any]:
    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    described = machine()
    described["packages"] = {name: installed(name) for name in PACKAGES}
    try:
        from PySide6.QtCore import qVersion

        described["qt"] = qVersion()
    except ImportError:
        described["qt"] = None
    return described


def commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


# --------------------------------------------------------------------------------------------- output


def number(value: float) -> str:
    """Three significant figures, grouped: 0.0123, 1.23, 12.3, 123, 1,234."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    decimals = 0 if magnitude >= 100 else (1 if magnitude >= 10 else (2 if magnitude >= 1 else 3))
    if magnitude < 0.01:
        decimals = 4
    return f"{value:,.{decimals}f}"


def verdict(row: Figure) -> str:
    if row["met"] is None:
        return "—"
    parts = []
    if row["target"] is not None:
        parts.append(f"≤ {number(row['target'])} {row['unit']}")
    if row["target_ratio"] is not None:
        parts.append(f"≤ {row['target_ratio']:g}× floor")
    if row["met"]:
        return f"{' and '.join(parts)}: **met**"
    misses = []
    if row["target"] is not None and row["median"] > row["target"]:
        misses.append(f"{number(row['median'] - row['target'])} {row['unit']} over")
    if row["target_ratio"] is not None and row["ratio"] is not None and row["ratio"] > row["target_ratio"]:
        misses.append(
            f"{row['ratio']:.1f}× the floor, {row['ratio'] / row['target_ratio']:.1f} times the ratio allowed"
        )
    return f"{' and '.join(parts)}: **missed** ({'; '.join(misses)})"


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    packages = ", ".join(f"{name} {v}" for name, v in m["packages"].items() if v)
    lines = [
        START,
        "",
        f"Measured {results['date']} by `{results['command']}`"
        + (f" at commit `{results['commit']}`" if results.get("commit") else "")
        + f" ({results['seconds']:.0f} s).",
        f"Machine: {m['cpu_model']}, {m['cpu_count']} CPUs, {m['platform']}; {m['implementation']} {m['python']}, "
        f"Qt {m.get('qt')}; {packages}.",
        "",
        "Median of repeated, interleaved samples; spread is p10–p90 of timed batches or min–max of launches; "
        "ratio = median ÷ the floor's median measured in the same run. Peak memory is the process's "
        "`ru_maxrss` (whole resident set, interpreter and Qt included), not the Python heap.",
        "",
    ]
    if results["quick"]:
        lines += ["**QUICK RUN (tiny sizes, to check the chain works): these figures mean nothing.**", ""]
    lines += [
        "| figure | median | spread | floor | floor median | ratio | target |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for bench in results["order"]:
        for row in results["figures"]:
            if row["bench"] != bench:
                continue
            unit = row["unit"]
            floor = row["floor"] or "—"
            floor_median = f"{number(row['floor_median'])} {unit}" if row["floor_median"] else "—"
            ratio = f"{row['ratio']:.1f}×" if row["ratio"] is not None else "—"
            name = f"{TITLES[bench]}: {row['figure']}" + (f" ({row['note']})" if row["note"] else "")
            lines.append(
                f"| {name} | {number(row['median'])} {unit} | {number(row['low'])}–{number(row['high'])} | "
                f"{floor} | {floor_median} | {ratio} | {verdict(row)} |"
            )
    lines += ["", END]
    return "\n".join(lines)


def write_readme(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{path} has no results markers; put these two lines where the table belongs:\n{START}\n{END}")
    path.write_text(text[:start] + section + text[end + len(END) :], encoding="utf-8")


def merge_previous(path: Path, results: dict[str, Any]) -> None:
    """With --only, keep the other benchmarks' figures from the previous results file (marked as such)."""
    if not path.exists():
        return
    previous = json.loads(path.read_text(encoding="utf-8"))
    ran = set(results["order"])
    kept = [
        row | {"note": (row["note"] + "; " if row["note"] else "") + f"from the run of {previous['date']}"}
        for row in previous.get("figures", [])
        if row["bench"] not in ran
    ]
    results["figures"] = kept + results["figures"]
    results["order"] = [b for b in ARGUMENTS if b in ran or any(r["bench"] == b for r in kept)]
    results["raw"] = {**{k: v for k, v in previous.get("raw", {}).items() if k not in ran}, **results["raw"]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that every benchmark still runs")
    parser.add_argument(
        "--only", nargs="+", choices=list(ARGUMENTS), metavar="NAME", help=f"run only these ({', '.join(ARGUMENTS)})"
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="OUT",
        help="results file (default bench/results.json; with --quick, none unless given)",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        metavar="FILE",
        help="README whose table to rewrite (default bench/README.md; with --quick, none unless given)",
    )
    args = parser.parse_args(argv)
    json_path = args.json or (None if args.quick else BENCH / "results.json")
    readme = args.readme or (None if args.quick else BENCH / "README.md")
    names = args.only or list(ARGUMENTS)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "./scripts/bench.sh"
        + (" --quick" if args.quick else "")
        + (f" --only {' '.join(names)}" if args.only else ""),
        "quick": args.quick,
        "commit": commit(),
        "machine": describe_machine(),
        "order": names,
        "figures": [],
        "seconds_per_bench": {},
        "raw": {},
    }
    compile_tree()  # the processes launched read compiled modules, as an installed DoseCalc does
    with tempfile.TemporaryDirectory(prefix="dosecalc-bench-") as folder:
        for name in names:
            data, seconds = run_bench(name, args.quick, Path(folder))
            results["raw"][name] = data
            results["figures"] += ADAPTERS[name](data)
            results["seconds_per_bench"][name] = round(seconds, 1)
    results["seconds"] = time.perf_counter() - started
    if args.only and json_path is not None:
        merge_previous(json_path, results)
    section = table(results)
    print(section)
    if json_path is not None:
        json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {json_path}", file=sys.stderr)
    if readme is not None:
        write_readme(readme, section)
        print(f"wrote the table in {readme}", file=sys.stderr)
    missed = [row["figure"] for row in results["figures"] if row["met"] is False]
    if missed and not args.quick:
        print(f"targets missed: {'; '.join(missed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
