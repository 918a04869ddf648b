"""``dosecalc-app --self-test``: prove that this installation works on this PC, offline, in a few seconds.

Run after installing on a ward PC (the Windows installer runs it itself) and in CI against the frozen
bundle. Each check prints one line (to ``%TEMP%\\dosecalc-self-test.txt`` when the Windows window
program has no standard output), ``ok    name: what was found`` or ``FAIL  name: why``; the exit status
is 0 when every check passed and 1 when any failed. Nothing is written outside a temporary folder, and
no network is used (the PostgreSQL check loads the driver without connecting).

The checks, in order:

- ``units``: pint's definition files are present (the one registry built) and ``168 cm`` parses.
- ``regimens``: the shipped library loads with no refused file and has NCT07016737.
- ``site``: the site settings and the site regimen folder in effect load (which ones is printed).
- ``order``: the hand-worked order of ``tests/dosecalc/test_order.py`` (64-year-old man, 168 cm, 61 kg,
  creatinine 78 µmol/L): BSA √(168 × 61 / 3600) = 1.6872 m²; Cockcroft–Gault (140 − 64) × 61 /
  (72 × 78 / 88.4) = 72.98 mL/min; Calvert 5 × (72.98 + 25) = 489.9 mg; paclitaxel 175 mg/m² → 295.3 →
  300 mg and irinotecan 270 mg/m² → 455.5 → 460 mg (nearest 10 mg within 5 %).
- ``store``: a temporary SQLite record store migrated from the bundled migrations, with the demonstration.
- ``postgresql``: SQLAlchemy's ``postgresql+psycopg`` dialect and psycopg's compiled driver load.
- ``qt``: the Qt platform plugins the window needs on this system are present.
- ``calendar pdf``: the demonstration's first cycle calendar rendered offscreen to a PDF: a PDF header and
  end, the page count the renderer reported, embedded fonts (text was drawn with real glyphs).
- ``chinese text``: the bundled Simplified Chinese font (ui/fonts) loads, and a calendar printed in Chinese
  embeds it: without it a patient's calendar would print with missing glyphs.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

__all__ = ["CHECKS", "Check", "run_self_test"]


class CheckError(Exception):
    """A check found something wrong; the message says what, in one line."""


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[dict[str, Any]], str]
    fatal: bool = True  # False: a note, printed but never failing the test


def _close(name: str, got: float, expected: float, tolerance: float, unit: str) -> str:
    if not math.isfinite(got) or abs(got - expected) > tolerance:
        raise CheckError(f"{name} {got:g} {unit}, expected {expected:g} {unit} (± {tolerance:g})")
    decimals = max(0, -math.floor(math.log10(tolerance)))
    return f"{name} {got:.{decimals}f} {unit}"


def _units(_state: dict[str, Any]) -> str:
    from dosecalc.units import HEIGHT, parse_quantity, ureg

    height = parse_quantity("168 cm", "height", HEIGHT)
    metres = height.to(ureg.meter).magnitude
    if abs(metres - 1.68) > 1e-12:
        raise CheckError(f"168 cm is {metres} m, expected 1.68 m")
    from importlib.metadata import version

    return f"pint {version('pint')}, 168 cm = {metres:g} m"


def _regimens(state: dict[str, Any]) -> str:
    from dosecalc.regimen.loader import load_library, shipped_directory

    library = load_library()  # with the site's folder, as the app loads it; the site's refusals are for `site`
    state["library"] = library
    shipped = str(shipped_directory())
    refused = [problem for problem in library.problems if problem.file.startswith(shipped)]
    if refused:
        raise CheckError(f"{len(refused)} shipped file(s) refused, e.g. {refused[0].one_line()}")
    if "escc-nct07016737" not in library.regimens:
        raise CheckError(f"escc-nct07016737 is missing from {shipped}")
    return f"{len(library.regimens)} regimens, {len(library.catalogue.drugs)} drugs from {shipped}"


def _site(state: dict[str, Any]) -> str:
    from dosecalc.install import installed_site_regimens
    from dosecalc.regimen.loader import SITE_ENVIRONMENT_VARIABLE, shipped_directory
    from dosecalc.site import load_site_settings, site_settings_path

    path = site_settings_path()
    settings = load_site_settings()  # a bad file is refused here, naming the field, as the app would refuse it
    state["settings"] = settings
    shipped = str(shipped_directory())
    refused = [problem for problem in state["library"].problems if not problem.file.startswith(shipped)]
    if refused:
        raise CheckError(f"{len(refused)} site regimen file(s) refused, e.g. {refused[0].one_line()}")
    folder = os.environ.get(SITE_ENVIRONMENT_VARIABLE) or installed_site_regimens()
    found = "present" if path.is_file() else "absent: the defaults"
    changed = ", ".join(settings.changed()) or "nothing changed"
    return f"settings {path} ({found}; {changed}); site regimens {folder or 'none'}"


def _order(_state: dict[str, Any]) -> str:
    from dosecalc.dosing import parse_dose_basis
    from dosecalc.order import DEFAULT_POLICY, OrderLine, compute_order
    from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight

    patient = Patient(
        age_years=64,
        sex=Sex.MALE,
        height=Height.parse("168 cm"),
        weight=Weight.parse("61 kg"),
        creatinine=SerumCreatinine.parse("78 µmol/L"),
    )
    lines = [
        OrderLine("PACLitaxel", parse_dose_basis("175 mg/m**2"), round_step_mg=Decimal(10)),
        OrderLine("irinotecan", parse_dose_basis("270 mg/m**2"), round_step_mg=Decimal(10)),
    ]
    order = compute_order(patient, lines, DEFAULT_POLICY, carboplatin_auc=5)
    if order.renal is None or order.renal.clearance is None or order.carboplatin is None:
        raise CheckError("no clearance or carboplatin dose was computed")
    found = [
        _close("BSA", float(order.bsa.bsa.magnitude), 1.68718, 1e-4, "m²"),
        _close("CrCl", float(order.renal.clearance.ml_per_min), 72.975, 0.01, "mL/min"),
        _close("carboplatin", float(order.carboplatin.dose.magnitude), 489.9, 0.1, "mg"),
    ]
    finals = [float(line.result.final.magnitude) for line in order.lines]
    if finals != [300.0, 460.0]:
        raise CheckError(f"paclitaxel and irinotecan {finals} mg, expected [300, 460] mg")
    return ", ".join(found) + ", paclitaxel 300 mg, irinotecan 460 mg"


def _store(state: dict[str, Any]) -> str:
    from dosecalc.store.db import current_revision
    from dosecalc.store.demo import demonstration_user, ensure_demo
    from dosecalc.store.records import open_store

    store = open_store(f"sqlite:///{state['folder'] / 'self-test.sqlite3'}")
    state["store"] = store
    revision = current_revision(store.engine)
    patient_id = ensure_demo(store, state["library"])
    user = demonstration_user(store)
    if user is None:
        raise CheckError("the demonstration user was not created")
    state["patient_id"], state["user"] = patient_id, user
    return f"SQLite migrated to {revision}, demonstration patient #{patient_id}"


def _postgresql(_state: dict[str, Any]) -> str:
    import psycopg
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://dosecalc@localhost/dosecalc")  # loads the driver; no connection
    try:
        implementation = psycopg.pq.__impl__
    finally:
        engine.dispose()
    if implementation not in ("binary", "c"):
        raise CheckError(f"psycopg uses its {implementation} implementation; expected the compiled one (binary)")
    return f"psycopg {psycopg.__version__} ({implementation}), SQLAlchemy dialect {engine.dialect.name}"


def _qt(_state: dict[str, Any]) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    needed = {"win32": ("qwindows",), "darwin": ("qcocoa",)}.get(sys.platform, ("qxcb", "qoffscreen"))
    present = {path.stem.removeprefix("lib") for path in folder.glob("*") if path.is_file()}
    missing = [name for name in needed if name not in present]
    if missing:
        raise CheckError(f"Qt platform plugin(s) {', '.join(missing)} missing from {folder}")
    return f"PySide6 {pyside_version}, platform plugins {', '.join(needed)} in {folder}"


def _pdf_pages(data: bytes) -> int:
    """The page count a PDF declares (the largest /Count of its page trees), in plain or compressed objects."""
    texts = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            texts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    counts = [int(m.group(1)) for text in texts for m in re.finditer(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", text)]
    counts += [int(m.group(1)) for text in texts for m in re.finditer(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", text)]
    return max(counts, default=0)


def _calendar_pdf(state: dict[str, Any]) -> str:
    from ui.print.calendar import calendar_document, calendar_range
    from ui.print.document import Paper
    from ui.print.jobs import printed_by
    from ui.print.render import write_pdf
    from ui.print.sources import calendar_source

    if "store" not in state:
        raise CheckError("not run: the record store check failed")
    source = calendar_source(state["store"], state["library"], state["patient_id"], state["settings"].contact_number)
    span = calendar_range(source, cycle=1)
    document = calendar_document(source, span, printed_by=printed_by(state["user"]), language="en")
    path = state["folder"] / "calendar.pdf"
    started = time.perf_counter()
    pages = write_pdf(document, path, Paper.A4)
    seconds = time.perf_counter() - started
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise CheckError(f"{path.name} ({len(data)} bytes) is not a complete PDF")
    declared = _pdf_pages(data)
    if pages < 1 or declared != pages:
        raise CheckError(f"the renderer reported {pages} page(s) but the PDF declares {declared}")
    if b"/FontFile" not in data:
        raise CheckError("the PDF embeds no font: its text would not print")
    return f"{span.label}: {pages} page(s), {len(data) // 1024} KiB, fonts embedded, {seconds:.2f} s"


def _chinese(state: dict[str, Any]) -> str:
    from ui.i18n import CHINESE, CJK_FAMILY, register_fonts
    from ui.print.calendar import calendar_document, calendar_range
    from ui.print.document import Paper
    from ui.print.jobs import printed_by
    from ui.print.render import write_pdf
    from ui.print.sources import calendar_source

    if register_fonts() != CJK_FAMILY:
        raise CheckError(f"the bundled font {CJK_FAMILY!r} did not load from ui/fonts")
    if "store" not in state:
        raise CheckError("not run: the record store check failed")
    source = calendar_source(state["store"], state["library"], state["patient_id"], state["settings"].contact_number)
    span = calendar_range(source, cycle=1)
    document = calendar_document(source, span, printed_by=printed_by(state["user"]), language=CHINESE)
    path = state["folder"] / "calendar-zh_CN.pdf"
    write_pdf(document, path, Paper.A4)
    embedded = CJK_FAMILY.replace(" ", "").encode()
    if embedded not in path.read_bytes():
        raise CheckError(f"the Chinese calendar does not embed {CJK_FAMILY!r}: its Chinese would not print")
    return f"{CJK_FAMILY} loaded and embedded in a Chinese calendar"


def _reason(error: Exception) -> str:
    from dosecalc.errors import DoseCalcError

    if isinstance(error, CheckError):
        return str(error)
    if isinstance(error, DoseCalcError):
        return error.one_line()
    return f"{type(error).__name__}: {error}"  # unexpected: the type tells a developer where to look


CHECKS = (
    Check("units", _units),
    Check("regimens", _regimens),
    Check("site", _site),
    Check("order", _order),
    Check("store", _store),
    Check("postgresql", _postgresql),
    Check("qt", _qt),
    Check("calendar pdf", _calendar_pdf),
    Check("chinese text", _chinese),
)


#: Where the report goes when there is no standard output (the Windows window program started without a
#: console or a redirection, e.g. from Explorer).
REPORT_FILE = "dosecalc-self-test.txt"


def run_self_test(application: Callable[[], Any], out: TextIO | None = None) -> int:
    """Run every check (``application`` makes the offscreen QApplication); 0 when all passed, else 1."""
    if out is None and sys.stdout is None:
        with (Path(tempfile.gettempdir()) / REPORT_FILE).open("w", encoding="utf-8") as report:
            return run_self_test(application, report)
    out = out or sys.stdout
    from dosecalc import __version__
    from dosecalc.install import installation_folder

    where = installation_folder()
    print(f"DoseCalc {__version__} self-test ({'installed in ' + str(where) if where else 'not a bundle'}, "
          f"Python {sys.version.split()[0]}, {sys.platform})", file=out, flush=True)  # fmt: skip
    application()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="dosecalc-self-test-") as folder:
        state: dict[str, Any] = {"folder": Path(folder)}
        try:
            for check in CHECKS:
                try:
                    line = "ok    " + f"{check.name}: {check.run(state)}"
                except Exception as error:  # any failure is reported in one line: the test must finish
                    reason = " ".join(_reason(error).split())
                    if check.fatal:
                        failed += 1
                        line = f"FAIL  {check.name}: {reason}"
                    else:
                        line = f"note  {check.name}: {reason}"
                print(line, file=out, flush=True)
        finally:
            store = state.get("store")
            if store is not None:
                store.engine.dispose()
    verdict = "passed" if not failed else f"FAILED ({failed} of {sum(c.fatal for c in CHECKS)} checks)"
    print(f"self-test {verdict}", file=out, flush=True)
    return 1 if failed else 0
