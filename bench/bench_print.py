"""Benchmark of the printouts: the two-year NCT07016737 calendar of the demonstration patient as a PDF.

Usage (from the repository root)::

    .venv/bin/python bench/bench_print.py [--runs N] [--process-runs N] [--json OUT]

Target (the printouts issue): *the 2-year calendar as PDF in ≤ 1 s.*

Measured in this process, on the ``offscreen`` platform, on a demonstration store prepared beforehand
(the demonstration patient's whole plan: 4 induction cycles, then 24 months of PD-1 maintenance, 26
month pages and the legend), each run after one warm-up:

(a) source: :func:`ui.print.calendar_source` — read the patient, plan and orders; recompute the plan as
    the Calendar tab does (closures CN); calculate each of the 39 cycles' expected doses.
(b) document: :func:`ui.print.calendar_document` — the month grids and the legend as data.
(c) PDF: :func:`ui.print.write_pdf` — measure, wrap and paginate on the PDF writer, draw, write the file.
(d) total: (a) + (b) + (c), what ``dosecalc-app print calendar`` does once the store is open.

Floor, in the same run: an empty :class:`QPdfWriter` with the same page size and number of pages
(``newPage`` only, nothing drawn), and the same pages with only the page frame and watermark drawn
(no content): what any PDF of that many pages costs, and what the frame adds. The whole command as a
process (``dosecalc-app print calendar --patient demo``, interpreter start, imports and a temporary
demonstration store included) is reported for information. Runs are interleaved; median, min, max.

Nothing here asserts a timing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import machine  # bench/machine.py, beside this script

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=RUNS, metavar="N", help=f"timed runs (default {RUNS})")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to this JSON file")
    parser.add_argument("--process-runs", type=int, default=3, metavar="N", help="whole-command launches (default 3)")
    args = parser.parse_args(argv)

    from PySide6.QtGui import QPainter, QPdfWriter
    from PySide6.QtWidgets import QApplication

    from dosecalc.regimen.loader import load_library
    from dosecalc.store.demo import ensure_demo
    from dosecalc.store.records import open_store
    from ui.print import Paper, calendar_document, calendar_range, calendar_source, page_layout, write_pdf
    from ui.print.document import Document, Section
    from ui.print.render import PDF_RESOLUTION, render

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-print-"))
    store = open_store(f"sqlite:///{folder / 'demo.sqlite3'}")
    library = load_library()
    patient = ensure_demo(store, library)
    pdf = folder / "calendar.pdf"

    def one() -> dict[str, float]:
        started = time.perf_counter()
        source = calendar_source(store, library, patient, "+86 25 8328 3333")
        sourced = time.perf_counter()
        document = calendar_document(source, calendar_range(source), printed_by="Demonstration user (demo)")
        built = time.perf_counter()
        pages = write_pdf(document, pdf, Paper.A4)
        written = time.perf_counter()
        return {
            "source_s": sourced - started,
            "document_s": built - sourced,
            "pdf_s": written - built,
            "total_s": written - started,
            "pages": pages,
            "bytes": pdf.stat().st_size,
        }

    def empty(pages: int) -> float:
        started = time.perf_counter()
        writer = QPdfWriter(str(folder / "empty.pdf"))
        writer.setResolution(PDF_RESOLUTION)
        writer.setPageLayout(page_layout(Paper.A4, True))
        painter = QPainter(writer)
        for _ in range(pages - 1):
            writer.newPage()
        painter.end()
        return time.perf_counter() - started

    def frame_only(document: Document) -> float:
        sections = tuple(Section(()) for _ in range(pages))
        bare = Document(document.kind, document.frame, sections, document.landscape, document.condensed)
        started = time.perf_counter()
        writer = QPdfWriter(str(folder / "frame.pdf"))
        writer.setResolution(PDF_RESOLUTION)
        writer.setPageLayout(page_layout(Paper.A4, True))
        render(bare, writer)
        return time.perf_counter() - started

    first = one()  # warm-up: fonts, caches, imports
    pages = int(first["pages"])
    source = calendar_source(store, library, patient)
    document = calendar_document(source, calendar_range(source), printed_by="x")
    runs: list[dict[str, float]] = []
    floors: list[float] = []
    frames: list[float] = []
    for _ in range(args.runs):
        floors.append(empty(pages))
        frames.append(frame_only(document))
        runs.append(one())
    command = [sys.executable, "-m", "ui", "print", "calendar", "--patient", "demo", "--pdf", str(folder / "c.pdf")]
    processes = []
    for _ in range(args.process_runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env={**os.environ})
        processes.append(time.perf_counter() - started)
    store.engine.dispose()
    figures: dict[str, Any] = {
        "machine": machine("PySide6-Essentials", "pint", "SQLAlchemy"),
        "pages": pages,
        "pdf_bytes": int(runs[-1]["bytes"]),
        **{key: _spread([run[key] for run in runs]) for key in ("source_s", "document_s", "pdf_s", "total_s")},
        "floor_empty_writer_s": _spread(floors),
        "floor_frame_only_s": _spread(frames),
        "command_process_s": _spread(processes),
    }
    figures["ratio_pdf_to_empty_writer"] = figures["pdf_s"]["median"] / figures["floor_empty_writer_s"]["median"]
    print(json.dumps(figures, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
