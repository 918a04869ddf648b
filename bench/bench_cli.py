"""Benchmark of the command line as a whole process: ``dosecalc bsa`` and ``dosecalc order``, time and peak memory.

Usage (from the repository root)::

    .venv/bin/python bench/bench_cli.py [--runs N] [--json OUT]

Three processes, launched interleaved (floor, bsa, order; then again) so that noise on a shared machine
falls on all alike:

- floor: ``python -c pass``, the bare interpreter (the same executable);
- ``dosecalc bsa --height "168 cm" --weight "61 kg"``: the smallest calculation, so nearly all of it is
  interpreter start and imports;
- ``dosecalc order --regimen escc-nct07016737 --phase induction ...``: one whole regimen order for the
  invented patient of bench_order.py (library load, order, derivation printed).

Each is run as ``python -m dosecalc ...`` with the output read through a pipe. Time is wall clock from
just before the process is started to its exit. Peak memory is the child's own ``ru_maxrss`` as
``os.wait4`` returns it (resident set, kB on Linux): the whole process, interpreter included, not only
the Python heap. Figures are the median, min and max over ``--runs`` launches. The script checks each
exit status and that ``bsa`` printed the expected 1.69 m²; it asserts nothing about timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from machine import machine  # bench/machine.py, beside this script

RUNS = 15
BSA = ["bsa", "--height", "168 cm", "--weight", "61 kg"]
ORDER = [
    "order", "--regimen", "escc-nct07016737", "--phase", "induction", "--choose", "pd1=sintilimab",
    "--choose", "chemo=paclitaxel", "--age", "64", "--sex", "male", "--height", "168 cm", "--weight", "61 kg",
    "--creatinine", "78 µmol/L",
]  # fmt: skip


def launch(command: Sequence[str]) -> tuple[float, float, str]:
    """Run ``command``: (wall seconds, peak RSS in MB, stdout)."""
    environment = dict(os.environ)
    environment.pop("DOSECALC_SITE_REGIMENS", None)  # the shipped library
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=environment)
        _, status, usage = os.wait4(child.pid, 0)  # reaps the child with its own resource usage
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}: {problem[-400:]}")
    return elapsed, usage.ru_maxrss / 1024, text


def _spread(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=RUNS, metavar="N", help=f"launches of each (default {RUNS})")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    python = sys.executable
    commands = {
        "floor": [python, "-c", "pass"],
        "bsa": [python, "-m", "dosecalc", *BSA],
        "order": [python, "-m", "dosecalc", *ORDER],
    }
    _, _, text = launch(commands["bsa"])  # warm-up: the page cache, and a check of the answer
    if "1.69 m²" not in text:
        raise SystemExit(f"dosecalc bsa did not print 1.69 m²: {text[:200]!r}")
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    megabytes: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            elapsed, peak, _ = launch(command)
            seconds[name].append(elapsed)
            megabytes[name].append(peak)
    figures: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine("pint", "pydantic"),
        "runs": args.runs,
        "commands": {name: command[1:] for name, command in commands.items()},
        "seconds": {name: _spread(values) for name, values in seconds.items()},
        "peak_rss_mb": {name: _spread(values) for name, values in megabytes.items()},
    }
    floor = figures["seconds"]["floor"]["median"]
    floor_mb = figures["peak_rss_mb"]["floor"]["median"]
    print(f"{args.runs} launches of each, interleaved; median (min–max)")
    for name in commands:
        s, m = figures["seconds"][name], figures["peak_rss_mb"][name]
        print(
            f"  {name:<6} {s['median']:.3f} s ({s['min']:.3f}–{s['max']:.3f}) = {s['median'] / floor:5.1f}× "
            f"python -c pass;  peak RSS {m['median']:.1f} MB = {m['median'] / floor_mb:.1f}× floor"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
