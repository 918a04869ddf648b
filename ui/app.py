"""``dosecalc-app``: open the record store, sign in, and show the main window (or render a screenshot).

Usage::

    dosecalc-app [--db URL]
    dosecalc-app --self-test
    dosecalc-app [--db URL] screenshot FILE.png [--patient demo] [--tab doses|calendar|ledger] [--size 1366x768]
    dosecalc-app [--db URL] print calendar|worksheet --patient HOSPITAL_NUMBER|demo [--cycle N] [--phase P]
                 [--paper a4|letter] --pdf FILE

The store is the one the command line uses (``--db``, then ``DOSECALC_DATABASE_URL``, then the site
setting, then the SQLite file in the user's data folder). A store that cannot be opened is explained
in a message box, never a traceback. On a store without users the sign-in offers to create the first
administrator or to open the demonstration (:mod:`dosecalc.store.demo`).

The main window paints first (:class:`ui.startup.Startup`): this module, :mod:`ui.startup`,
:mod:`ui.sign_in` and :mod:`ui.main_window` import only Qt and the light ``ui`` modules, so the window
shows its menus and layout at once, every input and action disabled, with "Opening the record store…"
written in it. After that first paint the core is imported,
the store opened (schema check, audit-chain check), the regimen library loaded and validated, and the
user signs in; only then is the patient list filled and the window enabled. A failure at any of these
steps is written in the window and in a message box, and the program ends as before (status 2).

``screenshot`` (:mod:`ui.app_commands`) renders the main window offscreen with the demonstration
patient, on a temporary store unless ``--db`` is given, writes the PNG and exits 0 (2 with one line on
stderr when it cannot).
``print`` writes the nurse's calendar or the pharmacist's worksheet as a PDF the same way (see
:mod:`ui.print.command`). ``--measure-startup`` is for ``bench/bench_gui.py``: it prints when the main
window first painted. ``--self-test`` checks an installation (:mod:`ui.selftest`).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from ui.i18n import LANGUAGES
from ui.print.command import add_print_parser, run_print
from ui.sign_in import SignInDialog, sign_in
from ui.startup import ChooseUser, Startup, application

__all__ = ["TAB_NAMES", "ChooseUser", "SignInDialog", "Startup", "main", "sign_in"]

#: The tabs ``screenshot --tab`` can show, in the window's order.
TAB_NAMES = ("doses", "calendar", "ledger")


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{3,5})\s*[xX×]\s*(\d{3,5})\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1366x768")
    return int(match.group(1)), int(match.group(2))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dosecalc-app",
        description="The DoseCalc workstation: patients, doses, calendars and the cumulative ledger.",
    )
    parser.add_argument("--db", metavar="URL", help="record store (default: DOSECALC_DATABASE_URL, the site "
                        "setting, or the SQLite file in your data folder)")  # fmt: skip
    parser.add_argument("--self-test", action="store_true", help="check this installation offscreen (regimens, a "
                        "known order, the record store, a calendar PDF), print one line per check and exit "
                        "0 if all passed, 1 if not")  # fmt: skip
    parser.add_argument("--measure-startup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure-patient", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    shot = commands.add_parser("screenshot", help="render the main window offscreen to a PNG and exit")
    shot.add_argument("file", metavar="FILE", type=Path, help="the PNG to write")
    shot.add_argument("--patient", choices=["demo"], default="demo", help="the patient shown (default: demo)")
    shot.add_argument("--tab", choices=TAB_NAMES, default="doses", help="the tab shown (default: doses)")
    shot.add_argument("--size", type=_size, default=(1366, 768), help="window size (default: 1366x768)")
    shot.add_argument(
        "--language", choices=LANGUAGES, help="interface language (default: the saved choice or the system's)"
    )
    add_print_parser(commands)
    return parser


def _database_url(given: str | None) -> str | None:
    """``--db`` as given: the store resolves the rest (the environment, the site setting, the SQLite default)."""
    return given


def _run(args: argparse.Namespace) -> int:
    app = application()
    # sign_in is looked up when called, so that tests can stand in for the dialog.
    start = Startup(_database_url(args.db), lambda store, library: sign_in(store, library))
    window = start.window

    def opened() -> None:
        status = start.open()
        if status is not None:
            app.exit(status)
            return
        window.signOutRequested.connect(sign_out)

    def sign_out() -> None:
        window.hide()
        window.operations.select_patient(None)
        window.operations.user = None
        again = sign_in(window.operations.store, lambda: window.operations.library)
        if again is None:
            app.quit()
            return
        window.operations.user = again
        window.signed_in()
        window.show()

    start.show(opened)
    return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.self_test:
        from ui.selftest import run_self_test

        return run_self_test(lambda: application(offscreen=True))
    if args.command == "screenshot":
        from ui.app_commands import screenshot

        return screenshot(args)
    if args.command == "print":
        return run_print(args, lambda: application(offscreen=True), _database_url)
    if args.measure_startup:
        from ui.app_commands import measure_startup

        return measure_startup(args)
    missing = _no_display()
    if missing:
        print(f"dosecalc-app: {missing}", file=sys.stderr)
        return 2
    return _run(args)


def _no_display() -> str | None:
    """Why no window can open here (Linux without a desktop session), in one line; None if it can."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set): start it from a desktop "
        "session, or use 'dosecalc-app screenshot FILE' or the 'dosecalc' command line"
    )
