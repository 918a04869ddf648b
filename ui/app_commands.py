"""The sub-commands that run without a person at the window: ``screenshot`` and ``--measure-startup``.

``screenshot`` renders the main window offscreen with the demonstration patient, on a temporary store
unless ``--db`` is given, writes the PNG and exits 0 (2 with one line on stderr when it cannot).
``--measure-startup`` is for ``bench/bench_gui.py``: it prints when the main window first painted, then
when it was ready for input. Imported only when one of them is asked for.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dosecalc.errors import DoseCalcError
from ui.app import TAB_NAMES
from ui.startup import FirstPaint, Startup, application, ready_window, settle

if TYPE_CHECKING:
    from dosecalc.regimen.loader import Library
    from dosecalc.store.records import Store
    from dosecalc.store.users import User

__all__ = ["fail", "measure_startup", "screenshot"]


def fail(line: str) -> int:
    print(f"dosecalc-app: {line}", file=sys.stderr)
    return 2


def screenshot(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() != ".png":
        return fail(f"screenshot: {args.file} must end in .png")
    if not args.file.parent.is_dir():
        return fail(f"screenshot: the folder {args.file.parent} does not exist")
    app = application(offscreen=True, language=args.language)
    from dosecalc.regimen.loader import load_library
    from dosecalc.store.demo import demonstration_available, demonstration_user, ensure_demo
    from dosecalc.store.records import open_store

    with tempfile.TemporaryDirectory(prefix="dosecalc-screenshot-") as folder:
        try:
            store = open_store(args.db or f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        except DoseCalcError as error:
            return fail(error.one_line())
        try:
            if not demonstration_available(store):
                return fail("screenshot: --db names a store with real users; give a demonstration store or none")
            library = load_library()
            patient_id = ensure_demo(store, library)
            user = demonstration_user(store)
            if user is None:  # pragma: no cover - ensure_demo made it
                return fail("screenshot: the demonstration user is missing")
            window = ready_window(store, library, user)
            window.resize(*args.size)
            window.operations.select_patient(patient_id)
            window.tabs.setCurrentIndex(TAB_NAMES.index(args.tab))
            window.show()
            settle(app)
            saved = window.grab().save(str(args.file), "PNG")
            window.close()
            window.deleteLater()
            settle(app, 0)
        except DoseCalcError as error:
            return fail(error.one_line())
        finally:
            store.engine.dispose()
    return 0 if saved else fail(f"screenshot: cannot write {args.file}")


def measure_startup(args: argparse.Namespace) -> int:
    """For bench_gui.py: print when the main window first painted, then when it was ready for input.

    The start is the normal one (:class:`Startup`) with the demonstration user signed in without a dialog.
    "ready" is the first paint after the patient list was filled and the window enabled.
    """
    import resource  # Unix only, like the benchmark

    app = application()

    def demonstration(store: Store, _library: Callable[[], Library]) -> User | None:
        from dosecalc.store.demo import demonstration_user

        return demonstration_user(store)

    start = Startup(args.db, demonstration)
    window = start.window
    figures: dict[str, Any] = {}
    outcome: list[int] = []
    watchers: list[FirstPaint] = []

    def ready() -> None:
        figures["ready"] = time.time()
        figures["patients"] = window.patients.rowCount()
        if args.measure_patient:
            from dosecalc.store.demo import DEMO_HOSPITAL_NUMBER

            window.operations.select_patient(window.operations.store.patient_by_number(DEMO_HOSPITAL_NUMBER)["id"])
            for index in range(window.tabs.count()):
                window.tabs.setCurrentIndex(index)
                settle(app, 50)
            figures["patient_open"] = time.time()
        figures["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(figures), flush=True)
        app.quit()

    def painted() -> None:
        figures["painted"] = time.time()
        status = start.open()
        if status is not None or not window.ready:
            outcome.append(fail("--measure-startup needs a demonstration store (--db)") if status == 0 else 2)
            app.quit()
            return
        watchers.append(FirstPaint(ready))
        window.installEventFilter(watchers[-1])
        window.update()

    window.resize(1366, 768)
    start.show(painted)
    code = app.exec()
    return outcome[0] if outcome else code
