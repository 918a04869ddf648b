"""The workstation's start (:class:`Startup`): the main window painted first, then the store, library and user.

This module and :mod:`ui.main_window` import only Qt and the light ``ui`` modules, so the window shows its
menus and layout at once, every input and action disabled, with "Opening the record store…" written in
it. After that first paint the core is imported, the store opened (schema check, audit-chain check), the
regimen library loaded and validated, and the user signs in; only then is the patient list filled and the
window enabled. Also the helpers the sub-commands share: the application, a ready window, settling.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dosecalc.errors import DoseCalcError  # a plain exception: no third-party import
from ui.errors import error_text
from ui.i18n import install_language, register_fonts

if TYPE_CHECKING:  # imported after the first paint (SQLAlchemy, pint, pydantic: most of the start-up)
    from dosecalc.regimen.loader import Library
    from dosecalc.store.records import Store
    from dosecalc.store.users import User
    from ui.main_window import MainWindow

__all__ = ["ChooseUser", "FirstPaint", "Startup", "application", "attach_store", "ready_window", "settle"]

translate = QCoreApplication.translate


def application(offscreen: bool = False, language: str | None = None) -> QApplication:
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


def ready_window(store: Store, library: Library, user: User) -> MainWindow:
    """A ready main window of ``user`` (screenshots, tests): built, then given its store at once."""
    from ui.main_window import MainWindow

    window = MainWindow()
    attach_store(window, store, library, user)
    return window


def attach_store(window: MainWindow, store: Store, library: Library, user: User) -> None:
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


def settle(app: QApplication, milliseconds: int = 150) -> None:
    """Let queued work (deferred tab computations, layouts) finish before a grab or a measurement."""
    app.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
    app.processEvents()


class FirstPaint(QObject):
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
        self._watcher: FirstPaint | None = None

    def show(self, then: Callable[[], None]) -> MainWindow:
        """Show the starting window; ``then`` runs once from the event loop after its first paint."""
        done: list[bool] = []

        def once() -> None:
            if not done:
                done.append(True)
                then()

        self._watcher = FirstPaint(once)
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
        attach_store(self.window, self.store, library, user)
        return None

    def _refuse(self, title: str, text: str) -> int:
        self.window.show_start_failed(title, text)
        QMessageBox.critical(self.window, title, text)
        return 2
