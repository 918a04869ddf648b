"""Benchmark of the workstation: start-up, keystroke to dose table, and peak memory.

Usage (from the repository root)::

    .venv/bin/python bench/bench_gui.py [--runs N] [--keystrokes N] [--json OUT]

Targets (the workstation issue): *process start to the main window painted ≤ 1.0 s and ≤ 3× a bare
PySide6 window process measured in the same run; keystroke to updated dose table ≤ 50 ms; peak memory
with the demo patient open ≤ 250 MB.*

(a) Start-up. ``python -m ui --db URL --measure-startup`` on a demonstration store prepared beforehand:
    the app's own start (:class:`ui.startup.Startup`) with the demonstration user signed in without a dialog,
    the window at 1366×768. Two moments, each printed as ``time.time()`` from the event loop right after
    a Paint event of the main window, minus ``time.time()`` taken here just before ``subprocess.Popen``
    (the whole process, interpreter start included):

    - *painted*: the first paint. The window has its menus and layout, every input and action disabled,
      and "Opening the record store…" written in it; the store is not open yet.
    - *ready for input*: the first paint after the store was opened (schema check, audit-chain check),
      the regimen library loaded and validated, the user signed in, the patient list filled (the run
      fails unless the demonstration patient is listed) and the inputs enabled.

    Floor of both: a bare ``python -c`` process that creates a QApplication and a QMainWindow of the
    same size, shows it and reports its first paint the same way. Runs are interleaved (bare, app, app
    with the patient) so noise falls on all alike; median, min and max. Both run on the ``offscreen``
    platform (this machine has no display). The tree's modules are byte-compiled first
    (``compileall``), as an installed DoseCalc is: the bare window compiles nothing either.
(b) Keystroke to updated dose table, in this process: a main window with the demonstration patient on
    the Doses tab; ``QTest.keyClick`` into the weight field ("61 kg" → "61. kg" → "61.5 kg" → "61. kg" →
    "61 kg", over and over: every text a valid weight), timed from before the key press to the dose
    table model's ``modelReset``/``dataChanged`` (the recomputation is synchronous), and to the table
    view's next paint after the event loop runs (the redraw the user sees). Floor: the same key presses
    into a bare ``QLineEdit`` to its ``textChanged``.
(c) Peak memory: ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` in the measured process, printed by the
    app run of (a) with ``--measure-patient`` (after the first paint it selects the demonstration patient
    and shows each of the three tabs), and by the bare process of (a).

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
from importlib.metadata import version
from pathlib import Path
from typing import Any

from machine import compile_tree  # bench/machine.py, beside this script

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import json, resource, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
figures = {}
def painted():
    figures["painted"] = time.time()
    figures["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(figures), flush=True)
    app.quit()
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not figures:
            figures["seen"] = True
            QTimer.singleShot(0, painted)
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.resize(1366, 768)
window.show()
app.exec()
"""


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _launch(command: list[str]) -> dict[str, Any]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["startup_s"] = figures["painted"] - started
    if "ready" in figures:
        if figures.get("patients", 0) < 1:
            raise SystemExit(f"{' '.join(command)}: ready with an empty patient list")
        figures["ready_s"] = figures["ready"] - started
    if "patient_open" in figures:
        figures["patient_open_s"] = figures["patient_open"] - started
    return figures


def demonstration_store(folder: Path) -> str:
    from dosecalc.regimen.loader import load_library
    from dosecalc.store.demo import ensure_demo
    from dosecalc.store.records import open_store

    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    store = open_store(url)
    ensure_demo(store, load_library())
    store.engine.dispose()
    return url


def measure_startup(url: str, runs: int) -> dict[str, Any]:
    """(a) and (c): interleaved process launches."""
    bare: list[dict[str, Any]] = []
    app: list[dict[str, Any]] = []
    patient: list[dict[str, Any]] = []
    command = [sys.executable, "-m", "ui", "--db", url, "--measure-startup"]
    for _ in range(runs):
        bare.append(_launch([sys.executable, "-c", BARE]))
        app.append(_launch(command))
        patient.append(_launch([*command, "--measure-patient"]))
    bare_s = _spread([run["startup_s"] for run in bare])
    app_s = _spread([run["startup_s"] for run in app])
    ready_s = _spread([run["ready_s"] for run in app])
    return {
        "bare_startup_s": bare_s,
        "app_startup_s": app_s,
        "startup_ratio": app_s["median"] / bare_s["median"],
        "app_ready_s": ready_s,
        "ready_ratio": ready_s["median"] / bare_s["median"],
        "app_patient_open_s": _spread([run["patient_open_s"] for run in patient]),
        "bare_maxrss_mb": _spread([run["maxrss_kb"] / 1024 for run in bare]),
        "app_maxrss_mb": _spread([run["maxrss_kb"] / 1024 for run in app]),
        "app_patient_maxrss_mb": _spread([run["maxrss_kb"] / 1024 for run in patient]),
    }


def measure_keystrokes(url: str, count: int) -> dict[str, Any]:
    """(b): keystroke → dose table model, → its repaint; floor: keystroke → bare QLineEdit textChanged."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from dosecalc.regimen.loader import load_library
    from dosecalc.store.demo import DEMO_HOSPITAL_NUMBER, demonstration_user
    from dosecalc.store.records import open_store
    from ui.main_window import MainWindow
    from ui.operations import Operations

    app = QApplication.instance() or QApplication([])
    store = open_store(url)
    window = MainWindow(Operations(store, load_library(), demonstration_user(store)))
    window.resize(1366, 768)
    window.show()
    window.operations.select_patient(store.patient_by_number(DEMO_HOSPITAL_NUMBER)["id"])
    app.processEvents()
    doses = window.tab(0)
    edit = doses.weight_field.edit  # type: ignore[union-attr]
    model = doses.dose_model  # type: ignore[union-attr]
    table = doses.table  # type: ignore[union-attr]
    edit.setFocus()
    edit.setText("61 kg")
    app.processEvents()
    marks: dict[str, float] = {}

    def updated(*_: object) -> None:
        marks.setdefault("model", time.perf_counter())

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                marks.setdefault("paint", time.perf_counter())
            return False

    model.modelReset.connect(updated)
    model.dataChanged.connect(updated)
    painted = Painted()
    viewport = table.viewport() if table is not None else None
    if viewport is not None:
        viewport.installEventFilter(painted)
    cycle = [Qt.Key.Key_Period, Qt.Key.Key_5, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace]
    to_model: list[float] = []
    to_paint: list[float] = []
    missed = 0
    for index in range(count + 8):
        if index % 4 == 0:
            edit.setCursorPosition(2)  # after "61"
        marks.clear()
        started = time.perf_counter()
        QTest.keyClick(edit, cycle[index % 4])
        if "model" not in marks:
            missed += 1
            continue
        app.processEvents()
        if index >= 8:  # warm-up
            to_model.append((marks["model"] - started) * 1000)
            if "paint" in marks:
                to_paint.append((marks["paint"] - started) * 1000)
    if viewport is not None:
        viewport.removeEventFilter(painted)
    model.modelReset.disconnect(updated)
    model.dataChanged.disconnect(updated)
    window.close()
    window.deleteLater()
    app.processEvents()
    store.engine.dispose()

    line = QLineEdit()
    line.show()
    line.setText("61 kg")
    floor: list[float] = []
    line.textChanged.connect(updated)
    for index in range(count + 8):
        if index % 4 == 0:
            line.setCursorPosition(2)
        marks.clear()
        started = time.perf_counter()
        QTest.keyClick(line, cycle[index % 4])
        if index >= 8:
            floor.append((marks["model"] - started) * 1000)
    line.textChanged.disconnect(updated)
    line.close()
    line.deleteLater()
    app.processEvents()
    return {
        "keystroke_to_model_ms": _spread(to_model),
        "keystroke_to_paint_ms": _spread(to_paint) if to_paint else None,
        "floor_textchanged_ms": _spread(floor),
        "keystrokes": len(to_model),
        "missed": missed,
        "keystroke_ratio": statistics.median(to_model) / statistics.median(floor),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="process launches of each kind (default 7)")
    parser.add_argument("--keystrokes", type=int, default=200, help="timed keystrokes (default 200)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    compile_tree()
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as folder:
        url = demonstration_store(Path(folder))
        startup = measure_startup(url, args.runs)
        keystrokes = measure_keystrokes(url, args.keystrokes)
    figures = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "pyside6": version("PySide6-Essentials"),
        "runs": args.runs,
        **startup,
        **keystrokes,
    }
    s, k = startup, keystrokes
    print(f"start-up to first paint (median of {args.runs}, min–max):")
    print(f"  bare PySide6 window  {s['bare_startup_s']['median']:.3f} s ({s['bare_startup_s']['min']:.3f}–"
          f"{s['bare_startup_s']['max']:.3f})")  # fmt: skip
    print(f"  dosecalc-app painted {s['app_startup_s']['median']:.3f} s ({s['app_startup_s']['min']:.3f}–"
          f"{s['app_startup_s']['max']:.3f})  = {s['startup_ratio']:.2f}× bare")  # fmt: skip
    print(f"  ready for input      {s['app_ready_s']['median']:.3f} s ({s['app_ready_s']['min']:.3f}–"
          f"{s['app_ready_s']['max']:.3f})  = {s['ready_ratio']:.2f}× bare")  # fmt: skip
    print(f"  + demo patient, every tab shown  {s['app_patient_open_s']['median']:.3f} s")
    print(f"keystroke to dose table (median of {k['keystrokes']}, {k['missed']} missed):")
    print(f"  model updated  {k['keystroke_to_model_ms']['median']:.2f} ms ({k['keystroke_to_model_ms']['min']:.2f}–"
          f"{k['keystroke_to_model_ms']['max']:.2f})  = {k['keystroke_ratio']:.0f}× floor")  # fmt: skip
    if k["keystroke_to_paint_ms"]:
        print(f"  table repainted  {k['keystroke_to_paint_ms']['median']:.2f} ms")
    print(f"  floor: bare QLineEdit textChanged  {k['floor_textchanged_ms']['median']:.3f} ms")
    print("peak RSS (median):")
    print(f"  bare PySide6 window  {s['bare_maxrss_mb']['median']:.0f} MB")
    print(f"  dosecalc-app, no patient  {s['app_maxrss_mb']['median']:.0f} MB")
    print(f"  dosecalc-app, demo patient, every tab shown  {s['app_patient_maxrss_mb']['median']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
