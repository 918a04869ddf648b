"""The sign-in dialog: who works at the workstation, or the store's first administrator, or the demonstration.

On a store without users it offers to create the first administrator or to open the demonstration
(:mod:`dosecalc.store.demo`). The core is imported when the dialog is built, never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dosecalc.errors import DoseCalcError, InputError  # plain exceptions: no third-party import
from ui.errors import error_text

if TYPE_CHECKING:  # imported when the dialog is built (SQLAlchemy, pint, pydantic)
    from dosecalc.regimen.loader import Library
    from dosecalc.store.records import Store
    from dosecalc.store.users import User

__all__ = ["SignInDialog", "sign_in"]

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


def sign_in(store: Store, library: Callable[[], Library]) -> User | None:
    """Who is working (see :class:`SignInDialog`); None when they quit."""
    dialog = SignInDialog(store, library)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
