"""Benchmark of the frozen bundle: its size unpacked, and process start to the main window painted.

Usage (from the repository root, after ``packaging/build-linux.sh``)::

    .venv/bin/python bench/bench_bundle.py [--bundle dist/dosecalc] [--runs N] [--json OUT]

Goals (the installer issue): *the bundle ≤ 200 MB unpacked; frozen start to window ≤ 1.5 s.*

(a) Size: the bytes of every file in the bundle folder (``du --apparent-size``, what the installer
    writes), the disk blocks they take (``du``), the largest parts, and the .deb beside it if built.
(b) Start-up: ``dosecalc-app --db URL --measure-startup`` of the bundle on a demonstration store made
    beforehand, as ``bench/bench_gui.py`` measures the app from source: the whole process (bootloader,
    unpacking nothing: one folder), timed from just before ``subprocess.Popen`` to the ``time.time()`` the
    app prints after a paint of the main window at 1366×768. Two moments: *painted*, the first paint (the
    window disabled, "Opening the record store…"), and *ready*, the first paint once the store is open,
    the audit chain and the regimen library checked, the demonstration user signed in and the patient
    list filled. The goal (frozen start to window ≤ 1.5 s) is judged on *ready*: the window people can
    use. Each run starts from a clean environment (``env -i`` style: PATH, a fixed HOME, offscreen Qt):
    no virtual environment is involved. The first run has a cold pint cache (built in HOME), the others a
    warm one: both are reported. Floor: a bare PySide6 window process from this Python, the same as
    bench_gui's. Runs are interleaved (bare, frozen, source) so noise falls on all alike.

Nothing here asserts a timing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The floor (a bare PySide6 window process), the demonstration store and the spread are bench_gui's, so
# the frozen app is measured against exactly the floor the workstation figures use.
from bench_gui import BARE, _spread, demonstration_store  # bench/bench_gui.py, beside this script

ROOT = Path(__file__).resolve().parent.parent


def _du(path: Path, *options: str) -> int:
    out = subprocess.run(["du", "-sk", *options, str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0]) * 1024


def measure_size(bundle: Path) -> dict[str, Any]:
    internal = bundle / "_internal"
    parts = {
        "Qt libraries (PySide6/Qt/lib)": internal / "PySide6" / "Qt" / "lib",
        "Qt plugins": internal / "PySide6" / "Qt" / "plugins",
        "Qt translations": internal / "PySide6" / "Qt" / "translations",
        "Python library": next(internal.glob("libpython3*"), internal),
        "Python extension modules (python3.11/lib-dynload)": internal / "python3.11",
        "psycopg binary driver and its libraries": internal / "psycopg_binary.libs",
        "the two programs (each embeds its Python modules)": bundle / "dosecalc-app",
    }
    figures: dict[str, Any] = {
        "bundle_bytes": _du(bundle, "--apparent-size"),
        "bundle_disk_bytes": _du(bundle),
        "files": sum(1 for path in bundle.rglob("*") if path.is_file()),
        "parts_bytes": {
            name: _du(path, "--apparent-size") * (2 if "two programs" in name else 1)
            for name, path in parts.items()
            if path.exists()
        },
    }
    debs = sorted(bundle.parent.glob("dosecalc_*_amd64.deb"))
    if debs:
        figures["deb"] = debs[-1].name
        figures["deb_bytes"] = debs[-1].stat().st_size
    return figures


def _launch(command: list[str], home: Path, clean: bool) -> tuple[float, float]:
    """(painted, ready) in seconds from just before Popen; the same figure twice for the bare window."""
    environment = (
        {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
        if clean
        else {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    )
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=home, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return float(figures["painted"]) - started, float(figures.get("ready", figures["painted"])) - started


def measure_startup(bundle: Path, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dosecalc-bench-bundle-") as scratch:
        folder = Path(scratch)
        url = demonstration_store(folder)
        home = folder / "home"
        home.mkdir()
        frozen = [str(bundle / "dosecalc-app"), "--db", url, "--measure-startup"]
        source = [sys.executable, "-m", "ui", "--db", url, "--measure-startup"]
        cold = _launch(frozen, home, clean=True)[1]  # the pint cache is built in this HOME now
        bare_s, frozen_s, source_s, frozen_ready, source_ready = [], [], [], [], []
        for _ in range(runs):
            bare_s.append(_launch([sys.executable, "-c", BARE], home, clean=False)[0])
            painted, ready = _launch(frozen, home, clean=True)
            frozen_s.append(painted)
            frozen_ready.append(ready)
            painted, ready = _launch(source, folder, clean=False)
            source_s.append(painted)
            source_ready.append(ready)
    return {
        "frozen_first_run_ready_s": cold,
        "frozen_startup_s": _spread(frozen_s),
        "frozen_ready_s": _spread(frozen_ready),
        "source_startup_s": _spread(source_s),
        "source_ready_s": _spread(source_ready),
        "bare_startup_s": _spread(bare_s),
        "frozen_ratio_to_bare": statistics.median(frozen_s) / statistics.median(bare_s),
        "frozen_ready_ratio_to_bare": statistics.median(frozen_ready) / statistics.median(bare_s),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "dosecalc", help="the one-folder bundle")
    parser.add_argument("--runs", type=int, default=7, help="warm start-up runs of each (default 7)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (args.bundle / "dosecalc-app").is_file():
        raise SystemExit(f"no bundle at {args.bundle}: build it with packaging/build-linux.sh")
    figures: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "size": measure_size(args.bundle),
        "startup": measure_startup(args.bundle, args.runs),
    }
    size, startup = figures["size"], figures["startup"]
    mb = 1024 * 1024
    print(f"bundle {args.bundle}: {size['bundle_bytes'] / mb:.1f} MB unpacked ({size['bundle_disk_bytes'] / mb:.1f} "
          f"MB on disk, {size['files']} files); goal ≤ 200 MB")  # fmt: skip
    for name, value in size["parts_bytes"].items():
        print(f"  {name}: {value / mb:.1f} MB")
    if "deb" in size:
        print(f"  package {size['deb']}: {size['deb_bytes'] / mb:.1f} MB")
    frozen, source, bare = startup["frozen_startup_s"], startup["source_startup_s"], startup["bare_startup_s"]
    ready, source_ready = startup["frozen_ready_s"], startup["source_ready_s"]
    cold = startup["frozen_first_run_ready_s"]
    print(f"start to window ready for input, frozen: median {ready['median']:.3f} s (min {ready['min']:.3f}, "
          f"max {ready['max']:.3f}; first run, cold pint cache {cold:.3f} s); goal ≤ 1.5 s")  # fmt: skip
    print(f"start to window painted, frozen: median {frozen['median']:.3f} s (min {frozen['min']:.3f}, "
          f"max {frozen['max']:.3f})")  # fmt: skip
    print(f"  from source: painted {source['median']:.3f} s, ready {source_ready['median']:.3f} s; bare PySide6 "
          f"window: median {bare['median']:.3f} s; frozen / bare = {startup['frozen_ratio_to_bare']:.2f}× "
          f"painted, {startup['frozen_ready_ratio_to_bare']:.2f}× ready")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
