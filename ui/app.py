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

``screenshot`` renders the main window offscreen with the demonstration patient, on a temporary store
unless ``--db`` is given, writes the PNG and exits 0 (2 with one line on stderr when it cannot).
``print`` writes the nurse's calendar or the pharmacist's worksheet as a PDF the same way (see
:mod:`ui.print.command`). ``--measure-startup`` is for ``bench/bench_gui.py``: it prints when the main
window first painted. ``--self-test`` checks an installation (:mod:`ui.selftest`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dosecalc.errors import DoseCalcError, InputError
from dosecalc.regimen.loader import Library, load_library
from dosecalc.store.audit import SYSTEM
from dosecalc.store.demo import (
    DEMO_HOSPITAL_NUMBER,
    demonstration_available,
    demonstration_user,
    ensure_demo,
    needs_first_administrator,
)
from dosecalc.store.records import Store, open_store
from dosecalc.store.users import Role, User
from ui.errors import error_text
from ui.i18n import LANGUAGES, install_language, register_fonts
from ui.print.command import add_print_parser, run_print
from ui.widgets import ERROR_STYLE

__all__ = ["SignInDialog", "main"]

TAB_NAMES = ("doses", "calendar", "ledger")
translate = QCoreApplication.translate


class SignInDialog(QDialog):
    """Sign in; on a store without an administrator, create one; on a demonstration store, open it.

    ``library`` is called for the regimen library only when the demonstration is opened.
    :attr:`user` is who signed in once the dialog is accepted.
    """

    def __init__(self, store: Store, library: Callable[[], Library], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SignInDialog", "Sign in to DoseCalc"))
        self.setMinimumWidth(560)
        self.store = store
        self.library = library
        self.user: User | None = None
        self.first_administrator = needs_first_administrator(store)
        self.offers_demonstration = demonstration_available(store)
        if demonstration_user(store) is not None:
            intro = translate("SignInDialog", "This record store holds only the demonstration. Open it, or "
                              "create the first administrator to start work with real patients.")  # fmt: skip
        elif self.offers_demonstration:
            intro = translate("SignInDialog", "This record store has no users yet. Create its first administrator, "
                              "or open the demonstration: an invented patient, marked DEMO, with a full NCT07016737 "
                              "plan.")  # fmt: skip
        elif self.first_administrator:
            intro = translate(
                "SignInDialog", "This record store has no administrator yet. Create the first administrator."
            )
        else:
            intro = translate("SignInDialog", "Sign in with your DoseCalc user name and password.")
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.username, self.password = QLineEdit(), QLineEdit()
        self.full_name, self.repeat = QLineEdit(), QLineEdit()
        for name, edit in (("username", self.username), ("password", self.password),
                           ("fullName", self.full_name), ("repeatPassword", self.repeat)):  # fmt: skip
            edit.setObjectName(name)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.form.addRow(translate("SignInDialog", "&User name:"), self.username)
        self.form.addRow(translate("SignInDialog", "&Password:"), self.password)
        self.form.addRow(translate("SignInDialog", "&Full name:"), self.full_name)
        self.form.addRow(translate("SignInDialog", "&Repeat the password:"), self.repeat)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(
            translate("SignInDialog", "&Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.admin_button = QPushButton(translate("SignInDialog", "Create the first &administrator…"))
        self.demo_button = QPushButton(translate("SignInDialog", "Open the &demonstration"))
        if self.first_administrator:
            buttons.addButton(self.admin_button, QDialogButtonBox.ButtonRole.ActionRole)
        if self.offers_demonstration:
            buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(translate("SignInDialog", "&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.sign_in_button.clicked.connect(lambda: self._attempt(self._sign_in))
        self.admin_button.clicked.connect(self._administrator_clicked)
        self.demo_button.clicked.connect(lambda: self._attempt(self._open_demonstration))

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_fields(administrator=False)
        if self.first_administrator:  # nobody can sign in with a password yet
            for edit in (self.username, self.password):
                self.form.setRowVisible(edit, False)
            self.sign_in_button.hide()

    def _show_fields(self, *, administrator: bool) -> None:
        for edit in (self.full_name, self.repeat):
            self.form.setRowVisible(edit, administrator)

    def _attempt(self, action: Callable[[], User]) -> None:
        try:
            self.user = action()
        except DoseCalcError as refusal:
            self.error.setText(translate("SignInDialog", "⚠ Error: {message}").format(message=error_text(refusal)))
            self.error.show()
            return
        self.accept()

    def _sign_in(self) -> User:
        return self.store.authenticate(self.username.text().strip(), self.password.text())

    def _administrator_clicked(self) -> None:
        if not self.form.isRowVisible(self.full_name):  # the first click shows the fields
            for edit in (self.username, self.password):
                self.form.setRowVisible(edit, True)
            self._show_fields(administrator=True)
            self.admin_button.setText(translate("SignInDialog", "Create the &administrator"))
            self.username.setFocus()
            return
        self._attempt(self._create_administrator)

    def _create_administrator(self) -> User:
        if self.password.text() != self.repeat.text():
            raise InputError("password", None, "and its repetition differ", expected="the same password twice")
        username = self.username.text().strip()
        self.store.add_user(SYSTEM, username, self.full_name.text().strip(), Role.ADMINISTRATOR.value,
                            self.password.text())  # fmt: skip
        return self.store.authenticate(username, self.password.text())

    def _open_demonstration(self) -> User:
        ensure_demo(self.store, self.library())
        user = demonstration_user(self.store)
        if user is None:
            raise InputError("demo", None, "cannot be opened: this store has real users", expected="sign in")
        return user


# --------------------------------------------------------------------------------------------- arguments


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


# --------------------------------------------------------------------------------------------- shared


def _application(offscreen: bool = False, language: str | None = None) -> QApplication:
    if offscreen and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName("DoseCalc")
        register_fonts()
        install_language(language)
    elif language is not None:
        install_language(language)
    return app


def _window(store: Store, library: Library, user: User) -> Any:
    from ui.main_window import MainWindow
    from ui.operations import Operations

    window = MainWindow(Operations(store, library, user))
    if library.problems:
        window.operations.message.emit(
            translate("MainWindow", "regimen library: {count} file(s) refused, e.g. {example}").format(
                count=len(library.problems), example=library.problems[0].one_line()
            ),
            True,
        )
    return window


def _settle(app: QApplication, milliseconds: int = 150) -> None:
    """Let queued work (deferred tab computations, layouts) finish before a grab or a measurement."""
    app.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
    app.processEvents()


def _fail(line: str) -> int:
    print(f"dosecalc-app: {line}", file=sys.stderr)
    return 2


# --------------------------------------------------------------------------------------------- screenshot


def _screenshot(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() != ".png":
        return _fail(f"screenshot: {args.file} must end in .png")
    if not args.file.parent.is_dir():
        return _fail(f"screenshot: the folder {args.file.parent} does not exist")
    app = _application(offscreen=True, language=args.language)
    with tempfile.TemporaryDirectory(prefix="dosecalc-screenshot-") as folder:
        try:
            store = open_store(args.db or f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        except DoseCalcError as error:
            return _fail(error.one_line())
        try:
            if not demonstration_available(store):
                return _fail("screenshot: --db names a store with real users; give a demonstration store or none")
            library = load_library()
            patient_id = ensure_demo(store, library)
            user = demonstration_user(store)
            if user is None:  # pragma: no cover - ensure_demo made it
                return _fail("screenshot: the demonstration user is missing")
            window = _window(store, library, user)
            window.resize(*args.size)
            window.operations.select_patient(patient_id)
            window.tabs.setCurrentIndex(TAB_NAMES.index(args.tab))
            window.show()
            _settle(app)
            saved = window.grab().save(str(args.file), "PNG")
            window.close()
            window.deleteLater()
            _settle(app, 0)
        except DoseCalcError as error:
            return _fail(error.one_line())
        finally:
            store.engine.dispose()
    return 0 if saved else _fail(f"screenshot: cannot write {args.file}")


# --------------------------------------------------------------------------------------------- measuring


class _FirstPaint(QObject):
    """Calls ``then`` once, from the event loop, after the watched widget's first paint event."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then: Callable[[], None] | None = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self._then)
            self._then = None
        return False


def _measure_startup(args: argparse.Namespace) -> int:
    """For bench_gui.py: sign in as the demonstration user, show the window, print when it first painted."""
    import resource  # Unix only, like the benchmark

    app = _application()
    store = open_store(args.db)
    user = demonstration_user(store)
    if user is None:
        return _fail("--measure-startup needs a demonstration store (--db)")
    window = _window(store, load_library(), user)
    figures: dict[str, Any] = {}

    def painted() -> None:
        figures["painted"] = time.time()
        if args.measure_patient:
            window.operations.select_patient(store.patient_by_number(DEMO_HOSPITAL_NUMBER)["id"])
            for index in range(window.tabs.count()):
                window.tabs.setCurrentIndex(index)
                _settle(app, 50)
            figures["patient_open"] = time.time()
        figures["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(figures), flush=True)
        app.quit()

    watcher = _FirstPaint(painted)
    window.installEventFilter(watcher)
    window.resize(1366, 768)
    window.show()
    return app.exec()


# --------------------------------------------------------------------------------------------- normal start


def _database_url(given: str | None) -> str | None:
    """``--db`` as given: the store resolves the rest (the environment, the site setting, the SQLite default)."""
    return given


def sign_in(store: Store, library: Callable[[], Library]) -> User | None:
    """Who is working (see :class:`SignInDialog`); None when they quit."""
    dialog = SignInDialog(store, library)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None


def _run(args: argparse.Namespace) -> int:
    app = _application()
    try:
        store = open_store(_database_url(args.db))
    except DoseCalcError as error:
        QMessageBox.critical(
            None, translate("SignInDialog", "DoseCalc cannot open the record store"), error_text(error)
        )
        return 2
    loaded: list[Library] = []

    def library() -> Library:
        if not loaded:
            loaded.append(load_library())
        return loaded[0]

    user = sign_in(store, library)
    if user is None:
        return 0
    window = _window(store, library(), user)

    def sign_out() -> None:
        window.hide()
        window.operations.select_patient(None)
        window.operations.user = None
        again = sign_in(store, library)
        if again is None:
            app.quit()
            return
        window.operations.user = again
        window.signed_in()
        window.show()

    window.signOutRequested.connect(sign_out)
    window.show()
    return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.self_test:
        from ui.selftest import run_self_test

        return run_self_test(lambda: _application(offscreen=True))
    if args.command == "screenshot":
        return _screenshot(args)
    if args.command == "print":
        return run_print(args, lambda: _application(offscreen=True), _database_url)
    if args.measure_startup:
        return _measure_startup(args)
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
