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

The main window paints first (:class:`Startup`): this module and :mod:`ui.main_window` import only Qt and
the light ``ui`` modules, so the window shows its menus and layout at once, every input and action
disabled, with "Opening the record store…" written in it. After that first paint the core is imported,
the store opened (schema check, audit-chain check), the regimen library loaded and validated, and the
user signs in; only then is the patient list filled and the window enabled. A failure at any of these
steps is written in the window and in a message box, and the program ends as before (status 2).

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
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

from dosecalc.errors import DoseCalcError, InputError  # plain exceptions: no third-party import
from ui.errors import error_text
from ui.i18n import LANGUAGES, install_language, register_fonts
from ui.print.command import add_print_parser, run_print

if TYPE_CHECKING:  # imported after the first paint (SQLAlchemy, pint, pydantic: most of the start-up)
    from dosecalc.regimen.loader import Library
    from dosecalc.store.records import Store
    from dosecalc.store.users import User
    from ui.main_window import MainWindow

__all__ = ["SignInDialog", "Startup", "main"]

TAB_NAMES = ("doses", "calendar", "ledger")
translate = QCoreApplication.translate


class SignInDialog(QDialog):
    """Sign in; on a store without an administrator, create one; on a demonstration store, open it.

    ``library`` is called for the regimen library only when the demonstration is opened.
    :attr:`user` is who signed in once the dialog is accepted.
    """

    def __init__(self, store: Store, library: Callable[[], Library], parent: QWidget | None = None) -> None:
        from dosecalc.store.demo import demonstration_available, demonstration_user, needs_first_administrator
        from ui.widgets import ERROR_STYLE

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
        from dosecalc.store.audit import SYSTEM
        from dosecalc.store.users import Role

        if self.password.text() != self.repeat.text():
            raise InputError("password", None, "and its repetition differ", expected="the same password twice")
        username = self.username.text().strip()
        self.store.add_user(SYSTEM, username, self.full_name.text().strip(), Role.ADMINISTRATOR.value,
                            self.password.text())  # fmt: skip
        return self.store.authenticate(username, self.password.text())

    def _open_demonstration(self) -> User:
        from dosecalc.store.demo import demonstration_user, ensure_demo

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


def _window(store: Store, library: Library, user: User) -> MainWindow:
    """A ready main window of ``user`` (screenshots, tests): built, then given its store at once."""
    from ui.main_window import MainWindow

    window = MainWindow()
    _attach(window, store, library, user)
    return window


def _attach(window: MainWindow, store: Store, library: Library, user: User) -> None:
    """Give the starting window its store, library and user (it fills the patient list and enables itself)."""
    from ui.operations import Operations

    window.attach(Operations(store, library, user))
    if library.problems:
        window.operations.message.emit(
            translate("MainWindow", "regimen library: {count} file(s) refused, e.g. {example}").format(
                count=len(library.problems), example=library.problems[0].one_line()
            ),
            True,
        )


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
    from dosecalc.regimen.loader import load_library
    from dosecalc.store.demo import demonstration_available, demonstration_user, ensure_demo
    from dosecalc.store.records import open_store

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


# --------------------------------------------------------------------------------------------- start-up


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


# Who works once the store and library are ready (the sign-in dialog, or the demonstration user when
# measuring); None when nobody signs in.
ChooseUser = Callable[["Store", Callable[[], "Library"]], "User | None"]


class Startup:
    """The workstation's start: the main window painted first, then the store, the library and the sign-in.

    :meth:`show` shows the main window with every input and action disabled and "Opening the record
    store…" written in it. After its first paint (or after :attr:`FALLBACK_MS` on a platform that
    reports none) :meth:`open` runs, once: it imports the core, opens the store (schema check, audit-chain
    check), loads and validates the regimen library, asks ``choose_user`` who works, and only then gives
    all three to the window, which fills the patient list and enables its inputs. Until then nothing can
    be typed, chosen or triggered.
    """

    # Start anyway if no paint has been reported by then.
    FALLBACK_MS = 1000

    def __init__(self, url: str | None, choose_user: ChooseUser) -> None:
        from ui.main_window import MainWindow

        self.url = url
        self.choose_user = choose_user
        self.window = MainWindow()
        self.store: Store | None = None
        self.library: Library | None = None
        self._opened = False
        self._watcher: _FirstPaint | None = None

    def show(self, then: Callable[[], None]) -> MainWindow:
        """Show the starting window; ``then`` runs once from the event loop after its first paint."""
        done: list[bool] = []

        def once() -> None:
            if not done:
                done.append(True)
                then()

        self._watcher = _FirstPaint(once)
        self.window.installEventFilter(self._watcher)
        self.window.show()
        QTimer.singleShot(self.FALLBACK_MS, once)
        return self.window

    def open(self) -> int | None:
        """Open the store and library, sign in, enable the window: None when it is ready, else the exit status.

        0: nobody signed in. 2: the start failed; why is written in the window (which stays disabled) and
        shown in a message box, as the workstation always did.
        """
        if self._opened:
            raise RuntimeError("the workstation is already started")
        self._opened = True
        try:
            return self._open()
        except Exception as error:  # a defect: one line for the user, never a window left "opening"
            traceback.print_exc()
            if self.store is not None:
                self.store.engine.dispose()
            return self._refuse(
                translate("Startup", "DoseCalc could not start"),
                translate("Operations", "internal error: {error}; please report this").format(
                    error=f"{type(error).__name__}: {error}"
                ),
            )

    def _open(self) -> int | None:
        from dosecalc.regimen.loader import load_library
        from dosecalc.store.records import open_store

        try:
            self.store = open_store(self.url)
        except DoseCalcError as error:
            return self._refuse(translate("SignInDialog", "DoseCalc cannot open the record store"), error_text(error))
        try:
            self.library = load_library()
        except DoseCalcError as error:
            self.store.engine.dispose()
            return self._refuse(translate("Startup", "DoseCalc cannot load the regimen library"), error_text(error))
        library = self.library
        user = self.choose_user(self.store, lambda: library)
        if user is None:
            self.store.engine.dispose()
            return 0
        _attach(self.window, self.store, library, user)
        return None

    def _refuse(self, title: str, text: str) -> int:
        self.window.show_start_failed(title, text)
        QMessageBox.critical(self.window, title, text)
        return 2


def _measure_startup(args: argparse.Namespace) -> int:
    """For bench_gui.py: print when the main window first painted, then when it was ready for input.

    The start is the normal one (:class:`Startup`) with the demonstration user signed in without a dialog.
    "ready" is the first paint after the patient list was filled and the window enabled.
    """
    import resource  # Unix only, like the benchmark

    app = _application()

    def demonstration(store: Store, _library: Callable[[], Library]) -> User | None:
        from dosecalc.store.demo import demonstration_user

        return demonstration_user(store)

    start = Startup(args.db, demonstration)
    window = start.window
    figures: dict[str, Any] = {}
    outcome: list[int] = []
    watchers: list[_FirstPaint] = []

    def ready() -> None:
        figures["ready"] = time.time()
        figures["patients"] = window.patients.rowCount()
        if args.measure_patient:
            from dosecalc.store.demo import DEMO_HOSPITAL_NUMBER

            window.operations.select_patient(window.operations.store.patient_by_number(DEMO_HOSPITAL_NUMBER)["id"])
            for index in range(window.tabs.count()):
                window.tabs.setCurrentIndex(index)
                _settle(app, 50)
            figures["patient_open"] = time.time()
        figures["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(figures), flush=True)
        app.quit()

    def painted() -> None:
        figures["painted"] = time.time()
        status = start.open()
        if status is not None or not window.ready:
            outcome.append(_fail("--measure-startup needs a demonstration store (--db)") if status == 0 else 2)
            app.quit()
            return
        watchers.append(_FirstPaint(ready))
        window.installEventFilter(watchers[-1])
        window.update()

    window.resize(1366, 768)
    start.show(painted)
    code = app.exec()
    return outcome[0] if outcome else code


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
