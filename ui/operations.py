"""The one funnel for user operations (conventions §8, after Anki's CollectionOp).

Every widget that changes something calls :meth:`Operations.run`: it calls the core, turns a
:class:`~dosecalc.errors.DoseCalcError` into one message shown in one place (never a traceback), and
announces what changed so every view refreshes from the core. Widgets keep no copy of domain state: they
ask :class:`Operations` (the store, the regimen library, the signed-in user, the selected patient).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from dosecalc.errors import DoseCalcError
from dosecalc.regimen.loader import Library
from dosecalc.store.audit import Actor
from dosecalc.store.records import Store
from dosecalc.store.users import User
from ui.errors import error_text

__all__ = ["Operations"]

T = TypeVar("T")


class Operations(QObject):
    """Shared state of one workstation window and the funnel through which every change goes."""

    #: The selected patient changed (id, or -1 for none).
    patientSelected = Signal(int)
    #: Records of this patient changed (a measurement, plan, administration, verification...).
    patientChanged = Signal(int)
    #: A one-line message for the status area; ``error`` is True for refusals.
    message = Signal(str, bool)

    def __init__(self, store: Store, library: Library, user: User | None = None,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.store = store
        self.library = library
        self.user = user
        self.patient_id: int | None = None

    @property
    def actor(self) -> Actor:
        if self.user is None:
            raise DoseCalcError("user", None, "nobody is signed in", expected="sign in first")
        return Actor(self.user.id, self.user.username)

    def select_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        self.patientSelected.emit(-1 if patient_id is None else patient_id)

    def run(self, action: Callable[..., T], *args: Any, success: str | None = None, changes: int | None = None,
            **kwargs: Any) -> T | None:  # fmt: skip
        """Call the core; show its refusal in one line, or announce success and what changed.

        Returns the action's result, or None when it was refused (the message says why).
        """
        try:
            result = action(*args, **kwargs)
        except DoseCalcError as error:
            self.message.emit(error_text(error), True)
            return None
        except Exception as error:  # a defect: one line for the user, the details on stderr for support
            traceback.print_exc()
            self.message.emit(
                QCoreApplication.translate("Operations", "internal error: {error}; please report this").format(
                    error=f"{type(error).__name__}: {error}"
                ),
                True,
            )
            return None
        if success:
            self.message.emit(success, False)
        if changes is not None:
            self.patientChanged.emit(changes)
        return result
