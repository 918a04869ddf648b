"""Languages of the workstation (English, Simplified Chinese) and of each patient's printouts.

The interface language follows the system locale until someone chooses one in the Language menu; the
choice is kept in the user's QSettings and applied live: every window retranslates itself on Qt's
LanguageChange event, so nothing typed is lost. The messages are in ``ui/translations/dosecalc_zh_CN.ts``
(updated with ``scripts/update_translations.sh``) compiled to the ``.qm`` beside it.

A patient's calendar prints in the patient's language (the ``language`` field of the record), whatever
the interface shows: :func:`document_language` sets the language the printout builders translate into
with :func:`translate`. Dates are written so they cannot be misread in either language
(``2026年12月7日`` / ``07 Dec 2026``), with weekday names from tables here, never from the C library's
locale. The bundled font (:func:`register_fonts`) draws Chinese on machines without a CJK font and is the
printouts' font everywhere, so a PDF is the same on every machine.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QSettings, QTranslator

__all__ = [
    "CJK_FAMILY",
    "LANGUAGES",
    "QT_TRANSLATE_NOOP",
    "Retranslating",
    "bilingual",
    "date_text",
    "document_language",
    "install_language",
    "language_name",
    "month_text",
    "register_fonts",
    "saved_language",
    "system_language",
    "translate",
    "ui_language",
    "weekday_text",
]

ENGLISH, CHINESE = "en", "zh_CN"
#: The languages shipped, as stored in settings and in the patient record.
LANGUAGES = (ENGLISH, CHINESE)
TRANSLATIONS = Path(__file__).with_name("translations")
FONTS = Path(__file__).with_name("fonts")
#: The family of the bundled font (ui/fonts, a subset of Noto Sans CJK SC; see scripts/make_cjk_font.py).
CJK_FAMILY = "DoseCalc Sans SC"
_SETTING = "interface/language"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_LONG = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
_WEEKDAYS = {
    ENGLISH: ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    CHINESE: ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
}
_WEEKDAYS_SHORT = {
    ENGLISH: ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    CHINESE: ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def language_name(language: str) -> str:
    """The language's name in itself, as the Language menu and the patient dialog list it."""
    return {ENGLISH: "English", CHINESE: "简体中文"}.get(language, language)


# ------------------------------------------------------------------------------------------ the interface


def system_language() -> str:
    """zh_CN on a Chinese system (any Chinese locale: the product ships Simplified Chinese), else English."""
    return CHINESE if QLocale.system().language() == QLocale.Language.Chinese else ENGLISH


def saved_language() -> str | None:
    """The language chosen in the Language menu, or None to follow the system."""
    value = QSettings("DoseCalc", "DoseCalc").value(_SETTING)
    return value if value in LANGUAGES else None


def _save_language(language: str | None) -> None:
    settings = QSettings("DoseCalc", "DoseCalc")
    if language is None:
        settings.remove(_SETTING)
    else:
        settings.setValue(_SETTING, language)
    settings.sync()


_installed: list[QTranslator] = []
_current = [ENGLISH]


def ui_language() -> str:
    """The language the interface shows now."""
    return _current[0]


def install_language(language: str | None = None, *, save: bool = False) -> str:
    """Show the interface in ``language`` (None: the saved choice, else the system's); the language shown.

    Installing translators makes Qt send LanguageChange to every widget; each retranslates itself.
    With ``save``, the choice is remembered (None: follow the system again).
    """
    if save:
        _save_language(language)
    chosen = language or saved_language() or system_language()
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QApplication")
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _current[0] = chosen
    # Qt's own dates (the date pickers) and numbers follow: Chinese month and weekday names in Chinese.
    if chosen == CHINESE:
        QLocale.setDefault(QLocale("zh_CN"))
    else:  # English, keeping the system's country (its paper size); en_GB where it has none (the C locale)
        country = QLocale.system().name().partition("_")[2]
        QLocale.setDefault(QLocale(f"en_{country or 'GB'}"))
    if chosen != ENGLISH:
        for translator in (_qt_translator(chosen), _translator(chosen)):
            if translator is not None:
                app.installTranslator(translator)
                _installed.append(translator)
    else:  # translators removed: tell every window, as installing one would
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    # Qt posts LanguageChange to each widget: deliver them now, so the switch is done when this returns.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return chosen


@functools.cache
def _translator(language: str) -> QTranslator | None:
    translator = QTranslator()
    return translator if translator.load(str(TRANSLATIONS / f"dosecalc_{language}.qm")) else None


@functools.cache
def _qt_translator(language: str) -> QTranslator | None:
    """Qt's own strings (OK, Cancel, the date picker)."""
    translator = QTranslator()
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return translator if translator.load(f"qtbase_{language}", path) else None


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for translation in ``context`` without translating it (typed as str, unlike Qt's stub)."""
    return text


class Retranslating:
    """Mixin for widgets: call :meth:`retranslate` on LanguageChange (after Qt's own handling)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)  # type: ignore[misc]
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        raise NotImplementedError


# ------------------------------------------------------------------------------------------ printouts

_document_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("document_language", default=None)


@contextlib.contextmanager
def document_language(language: str) -> Iterator[str]:
    """While building or drawing a printout, :func:`translate` translates into ``language``."""
    chosen = language if language in LANGUAGES else ENGLISH
    token = _document_language.set(chosen)
    try:
        yield chosen
    finally:
        _document_language.reset(token)


def translate(context: str, text: str) -> str:
    """``text`` in the printout's language inside :func:`document_language`, else in the interface's."""
    language = _document_language.get()
    if language is None:
        return QCoreApplication.translate(context, text)
    if language == ENGLISH:
        return text
    translator = _translator(language)
    found = translator.translate(context, text) if translator is not None else ""
    return found or text


def current_language() -> str:
    """The printout's language inside :func:`document_language`, else the interface's."""
    return _document_language.get() or ui_language()


# ------------------------------------------------------------------------------------------ dates and names


def date_text(day: dt.date, language: str | None = None) -> str:
    """A date that no reader can misread: ``07 Dec 2026`` or ``2026年12月7日``.

    >>> date_text(dt.date(2026, 12, 7), "en"), date_text(dt.date(2026, 12, 7), "zh_CN")
    ('07 Dec 2026', '2026年12月7日')
    """
    if (language or current_language()) == CHINESE:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def weekday_text(day: dt.date | int, language: str | None = None, *, short: bool = False) -> str:
    """``Monday`` / ``星期一`` (``Mon`` / ``周一`` when short); an int is a weekday, Monday 0.

    >>> weekday_text(dt.date(2026, 12, 7), "zh_CN"), weekday_text(0, "en", short=True)
    ('星期一', 'Mon')
    """
    index = day if isinstance(day, int) else day.weekday()
    table = _WEEKDAYS_SHORT if short else _WEEKDAYS
    return table[language or current_language()][index] if (language or current_language()) in table else ""


def long_date_text(day: dt.date, language: str | None = None) -> str:
    """``Mon 07 Dec 2026`` / ``2026年12月7日 星期一``.

    >>> long_date_text(dt.date(2026, 12, 7), "en"), long_date_text(dt.date(2026, 12, 7), "zh_CN")
    ('Mon 07 Dec 2026', '2026年12月7日 星期一')
    """
    chosen = language or current_language()
    if chosen == CHINESE:
        return f"{date_text(day, chosen)} {weekday_text(day, chosen)}"
    return f"{weekday_text(day, chosen, short=True)} {date_text(day, chosen)}"


def month_text(day: dt.date, language: str | None = None) -> str:
    """``December 2026`` / ``2026年12月``."""
    if (language or current_language()) == CHINESE:
        return f"{day.year}年{day.month}月"
    return f"{_MONTHS_LONG[day.month - 1]} {day.year}"


def short_date_text(day: dt.date, language: str | None = None) -> str:
    """``07 Dec`` / ``12月7日``: a date within a year already named."""
    if (language or current_language()) == CHINESE:
        return f"{day.month}月{day.day}日"
    return f"{day.day:02d} {_MONTHS[day.month - 1]}"


def localized(name: Any, language: str | None = None) -> str:
    """A regimen, phase, option or group name (``.en`` / ``.zh``) in the language shown."""
    return str(name.zh if (language or current_language()) == CHINESE and name.zh else name.en)


def bilingual(english: str, chinese: str, language: str | None = None) -> str:
    """A drug on a printout: the Chinese name and the English one side by side, the reader's language first.

    >>> bilingual("PACLitaxel", "紫杉醇", "zh_CN"), bilingual("PACLitaxel", "紫杉醇", "en")
    ('紫杉醇 PACLitaxel', 'PACLitaxel 紫杉醇')
    """
    if not chinese:
        return english
    return f"{chinese} {english}" if (language or current_language()) == CHINESE else f"{english} {chinese}"


def drug_name(drug: Any, language: str | None = None) -> str:
    """A drug on screen: the display name (tall man), with the Chinese name after it in Chinese."""
    chinese = drug.zh if hasattr(drug, "zh") else ""
    if (language or current_language()) == CHINESE and chinese:
        return f"{chinese} {drug.display}"
    return str(drug.display)


# ------------------------------------------------------------------------------------------ fonts


@functools.cache
def register_fonts() -> str | None:
    """Load the bundled Chinese font into Qt (once); its family, or None when it cannot be loaded.

    It is registered on every machine, not only where no CJK font is installed: the printouts name it
    first for Chinese text, so a calendar prints with the same glyphs and the same line breaks
    everywhere; on screen Qt uses it only for characters the system fonts lack.
    """
    from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

    system_cjk = bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    for path in sorted(FONTS.glob("*.otf")):
        QFontDatabase.addApplicationFont(str(path))
    if CJK_FAMILY not in QFontDatabase.families():
        return None
    if not system_cjk:
        # No system CJK font: the interface's own family falls back to the bundled one for Chinese.
        family = QGuiApplication.font().family()
        QFont.insertSubstitution(family, CJK_FAMILY)
    return CJK_FAMILY
