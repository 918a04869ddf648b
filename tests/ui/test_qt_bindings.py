"""The installed Qt bindings keep Python's reference counts: a method returning nothing returns None properly.

PySide6 6.12.0 on Python 3.11 (its abi3 wheel) returns ``None`` from every method that returns nothing
without taking a reference to it, so each call lowers ``None``'s reference count until the interpreter
aborts with "none_dealloc: deallocating None". pyproject.toml excludes that version; this test finds a
release with the same fault before the workstation or a printout crashes on a ward PC.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont


def test_methods_returning_nothing_keep_the_reference_count_of_none() -> None:
    rectangle, font = QRectF(), QFont()
    before = sys.getrefcount(None)
    for _ in range(100):
        rectangle.setWidth(3.0)
        font.setBold(True)
    # From Python 3.12 None is immortal and its count never moves; before that it must not fall.
    assert sys.getrefcount(None) >= before
