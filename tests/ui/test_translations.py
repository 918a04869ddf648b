"""English and Simplified Chinese: every interface string marked and translated, errors by code, a live
language switch that loses nothing, and Chinese printouts whose text extracts as the characters printed.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont

import dosecalc
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.regimen.loader import load_library
from ui import i18n
from ui.errors import MESSAGES, error_text

ROOT = Path(__file__).parents[2]
UI = ROOT / "ui"
TS = UI / "translations" / "dosecalc_zh_CN.ts"
QM = UI / "translations" / "dosecalc_zh_CN.qm"
FONT = UI / "fonts" / "DoseCalcSansSC-Regular.otf"
BIN = Path(sys.executable).parent
#: The pharmacists' worksheet is printed in English by design (ui/print/worksheet.py says so).
ENGLISH_ONLY = {UI / "print" / "worksheet.py"}

#: Qt calls whose string arguments a person reads: the positions of those arguments.
_TEXT_CALLS = {
    **dict.fromkeys(("setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setTitle", "setPrefix",
                     "setSuffix", "setStatusTip", "setAccessibleName", "setAccessibleDescription", "showMessage",
                     "setSpecialValueText", "setWhatsThis", "addMenu", "addRow", "addItem", "addItems", "addTab",
                     "addButton", "emit", "QLabel", "QPushButton", "QCheckBox", "QGroupBox", "QAction",
                     "QRadioButton", "QToolButton", "QListWidgetItem", "paragraph", "strong", "kept", "Span",
                     "_heading", "_head"), None),  # None: every positional argument
    "setTabText": (1,), "setItemText": (1,), "insertItem": (1,), "critical": (1, 2), "warning": (1, 2),
    "information": (1, 2), "question": (1, 2), "getSaveFileName": (1, 3), "getOpenFileName": (1, 3),
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]{2,}")
#: Literal words that are the same in every language (names, units, formats).
_UNTRANSLATED = {"DoseCalc", "mg", "Gy", "UTC", "DEMO"}


def _visible_literal(node: ast.AST) -> str | None:
    """The English words of a string literal or f-string passed as-is (None if it holds none)."""
    parts: list[str] = []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    visible = [re.sub(r"<[^>]*>", " ", part) for part in parts]  # markup is not read
    words = [w for part in visible for w in _WORD.findall(part) if w not in _UNTRANSLATED]
    return " ".join(parts) if words else None


def _untranslated(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name not in _TEXT_CALLS:
            continue
        positions = _TEXT_CALLS[name]
        for index, argument in enumerate(node.args):
            if positions is not None and index not in positions:
                continue
            if name == "addItem" and index > 0:  # the item's data, never shown
                continue
            text = _visible_literal(argument)
            if text is not None:
                yield f"{path.name}:{node.lineno}: {name}({text!r})"


def test_every_visible_string_in_ui_is_marked_for_translation() -> None:
    """A string literal handed to a Qt text setter, a widget or a printout paragraph must go through translate()."""
    found = [
        problem for path in sorted(UI.rglob("*.py")) if path not in ENGLISH_ONLY for problem in _untranslated(path)
    ]
    assert not found, "\n".join(found)


def test_tr_is_only_called_on_self() -> None:
    """``other.tr(...)`` is filed by lupdate under the variable's name but looked up under the object's class
    at run time, so its translation is never found; ``translate("Context", ...)`` is the form to use."""
    import re

    calls = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(UI.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(?!self\b)\w+\.tr\(", line)
    ]
    assert calls == []


def test_the_scanner_catches_an_unmarked_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    bad = 'label.setText("Save the plan")\nlabel.setText(f"Order {n} saved")\nlabel.setText(translate("X", "Fine"))\n'
    sample.write_text(bad + 'box.addItem("— choose —", "plan")\nlabel.setText(f"{a} · {b}")\n', encoding="utf-8")
    found = list(_untranslated(sample))
    assert len(found) == 3, found  # the two English literals and the "choose" item; not the data or the joiner


_SAME_IN_CHINESE = {"Page Up", "Page Down", "YYYY-MM-DD"}


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_every_message_has_a_finished_chinese_translation_with_the_same_placeholders() -> None:
    messages = _messages()
    assert len(messages) > 500
    for context, source, message in messages:
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") is None, f"{context}: {source!r} is {translation.get('type')}"
        text = translation.text or ""
        # An English sentence copied as its own "translation" is a message nobody translated (key names and
        # formats aside); names, units and formulas may stay as they are ("125 mL/min（FDA 2010）").
        words = re.findall("[A-Za-z]{4,}", re.sub(r"\{\w*\}", "", source))
        assert text != source or not words or source in _SAME_IN_CHINESE, f"{context}: {source!r} not translated"
        assert text.strip() or not source.strip(), (context, source)
        assert sorted(re.findall(r"\{\w*\}", source)) == sorted(re.findall(r"\{\w*\}", text)), (context, source)
        assert source.count("&") == text.count("&"), (context, source)  # keyboard accelerators kept


@pytest.mark.skipif(not (BIN / "pyside6-lrelease").exists(), reason="pyside6-lrelease ships with PySide6")
def test_the_compiled_translation_is_current(tmp_path: Path) -> None:
    """The committed .qm is exactly what pyside6-lrelease makes of the committed .ts."""
    fresh = tmp_path / "fresh.qm"
    subprocess.run([BIN / "pyside6-lrelease", "-silent", TS, "-qm", fresh], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run scripts/update_translations.sh"


@pytest.mark.skipif(not (BIN / "pyside6-lupdate").exists(), reason="pyside6-lupdate ships with PySide6")
def test_the_translation_source_has_every_message_of_the_code(tmp_path: Path) -> None:
    """lupdate over ui/ finds no message the .ts lacks (a new translate() call needs a translation)."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = [str(p) for p in sorted(UI.rglob("*.py"))]
    result = subprocess.run(
        [BIN / "pyside6-lupdate", "-no-obsolete", "-locations", "none", *sources, "-ts", copy],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert "(0 new and" in result.stdout, result.stdout
    assert not [m for m in ET.parse(copy).getroot().iter("translation") if m.get("type") == "unfinished"]


# ------------------------------------------------------------------------------------------ core errors


def _codes_raised_in_core() -> set[str]:
    codes: set[str] = set()
    for path in Path(dosecalc.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                codes.add(str(node.value.value))
            named_code = isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "code" for t in node.targets
            )
            if named_code and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):  # type: ignore[attr-defined]
                codes.add(node.value.value)  # type: ignore[attr-defined]
    return codes


def test_every_error_code_of_the_core_has_a_message_template() -> None:
    codes = _codes_raised_in_core()
    assert {"value.missing", "unit.not_allowed", "store.conflict", "input.invalid"} <= codes  # the scan works
    assert codes <= set(MESSAGES), sorted(codes - set(MESSAGES))


@pytest.fixture
def chinese(qapp: object) -> Iterator[None]:
    i18n.install_language("zh_CN")
    yield
    i18n.install_language("en")


def test_core_errors_are_shown_in_chinese_from_their_code(chinese: None) -> None:
    error = InputError(
        "weight", "-70 kg", "must be greater than zero", expected="a weight in kg", code="value.not_positive"
    )
    text = error_text(error)
    assert text.startswith("体重：-70 kg 必须大于零")
    assert "weight: -70 kg must be greater than zero; expected a weight in kg" in text  # the detail, in English
    missing = InputError("height", None, "is required for BSA", code="value.missing")
    assert error_text(missing).startswith("身高：必须填写")
    unknown = DoseCalcError("regimen", "x", "is not in the regimen library")
    assert error_text(unknown).startswith("regimen：x 被拒绝") or "regimen" in error_text(unknown)


def test_core_errors_stay_the_core_line_in_english(qapp: object) -> None:
    i18n.install_language("en")
    error = InputError("weight", "-70 kg", "must be greater than zero", code="value.not_positive")
    assert error_text(error) == error.one_line()


# ------------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh_CN", ("2026年12月7日", "星期一", "2026年12月")), ("en", ("07 Dec 2026", "Monday", "December 2026"))],
)
def test_dates_are_unambiguous_in_either_language(language: str, expected: tuple[str, str, str]) -> None:
    day = dt.date(2026, 12, 7)  # a Monday
    assert (i18n.date_text(day, language), i18n.weekday_text(day, language), i18n.month_text(day, language)) == expected


# ------------------------------------------------------------------------------------------ the font


def _chinese_texts() -> list[str]:
    texts = [(m.find("translation").text or "") for _c, _s, m in _messages()]  # type: ignore[union-attr]
    library = load_library()
    texts += [drug.zh for drug in library.catalogue.drugs]
    for regimen in library.regimens.values():
        texts += [regimen.name.zh, *(p.name.zh for p in regimen.phases)]
        texts += [o.name.zh for g in regimen.choice_groups for o in g.options] + [
            g.name.zh for g in regimen.choice_groups
        ]
    texts += [i18n.weekday_text(d, "zh_CN") + i18n.weekday_text(d, "zh_CN", short=True) for d in range(7)]
    return texts


def test_the_bundled_font_draws_every_chinese_character_shown_or_printed(qapp: object) -> None:
    font = QRawFont(str(FONT), 12)
    assert font.isValid()
    characters = {c for text in _chinese_texts() for c in text if ord(c) > 0x2E7F}
    assert len(characters) > 500
    missing = sorted(c for c in characters if not font.supportsCharacter(ord(c)))  # by code point (UCS-4)
    assert not missing, missing
    # Names of real patients: characters beyond GB 2312 are in the font too.
    assert all(font.supportsCharacter(ord(c)) for c in "喆堃昇珺")


def test_the_bundled_font_maps_each_glyph_to_one_character(qapp: object) -> None:
    """No Kangxi radical, radical supplement or compatibility ideograph: they share glyphs with 月, 日, 一 …"""
    font = QRawFont(str(FONT), 12)
    for first, last in ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF)):
        assert not any(font.supportsCharacter(c) for c in range(first, last + 1)), hex(first)
    assert font.supportsCharacter(0x6708)  # 月
    assert not font.supportsCharacter(0x2F49)  # ⽉, the Kangxi radical drawn with the same glyph


# ------------------------------------------------------------------------------------------ live switch


def test_switching_the_language_retranslates_live_and_keeps_what_was_typed(qtbot: object, tmp_path: Path) -> None:
    from dosecalc.store.demo import demonstration_user, ensure_demo
    from dosecalc.store.records import open_store
    from ui.startup import ready_window

    store = open_store(f"sqlite:///{tmp_path / 'switch.sqlite3'}")
    library = load_library()
    patient = ensure_demo(store, library)
    user = demonstration_user(store)
    assert user is not None
    window = ready_window(store, library, user)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    try:
        window.operations.select_patient(patient)
        tab = window.tab(0)
        tab.height_field.edit.setText("171 cm")
        tab.search_edit.setText("sintilimab")
        tab.cycle_spin.setValue(2)
        regimen = tab.regimen()
        window.search.setText("zhang")
        assert window.tabs.tabText(0) == "&Doses"

        window.set_language("zh_CN")
        assert window.tabs.tabText(0) == "剂量(&D)"
        assert tab.save_plan_button.text() == "保存方案(&P)"
        assert window.new_button.text() == "新建患者(&N)…"
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        assert tab.height_field.edit.text() == "171 cm"  # nothing typed or chosen is lost
        assert tab.height_field.date_label.text() == "新数值 — 未保存"
        assert tab.search_edit.text() == "sintilimab"
        assert tab.cycle_spin.value() == 2
        assert tab.regimen() == regimen
        assert window.search.text() == "zhang"
        assert "出生" in window.header.details.text()
        assert i18n.saved_language() == "zh_CN"
        window.tabs.setCurrentIndex(1)  # built after the switch: in Chinese from the start
        assert window.tab(1).today_button.text() == "今天"
        window.tabs.setCurrentIndex(2)
        assert "累积剂量表" in window.tab(2).summary.text()

        window.set_language("en")
        assert window.tabs.tabText(0) == "&Doses"
        assert window.tab(1).today_button.text() == "Today"
        assert tab.height_field.edit.text() == "171 cm"
        window.set_language(None)  # follow the system again (English here, see conftest)
        assert i18n.saved_language() is None
    finally:
        i18n.install_language("en")
        store.engine.dispose()


# ------------------------------------------------------------------------------------------ printouts

pdftotext = shutil.which("pdftotext")


@pytest.mark.skipif(pdftotext is None, reason="pdftotext (poppler-utils) is installed by .ci/run")
def test_a_chinese_calendar_extracts_its_dates_weekdays_and_bilingual_drug_names(tmp_path: Path) -> None:
    from ui.app import main

    pdf = tmp_path / "zh.pdf"
    assert main(["print", "calendar", "--patient", "demo", "--phase", "induction", "--cycle", "1",
                 "--language", "zh_CN", "--pdf", str(pdf)]) == 0  # fmt: skip
    text = subprocess.run([pdftotext, "-layout", pdf, "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for expected in ("2026年12月", "星期一", "星期日", "仅适用于诱导期 第1周期（2026年12月7日开始）", "先抽血化验",
                     "休息日：无化疗", "信迪利单抗 sintilimab", "多西他赛 DOCEtaxel", "静脉输注", "治疗日历",
                     "草稿 — 未核对 — 不得用于给药", "第1页，共2页", "2026年12月7日 星期一"):  # fmt: skip
        assert expected in flat, expected
    assert not re.search("[\u2e80-\u2fdf\uf900-\ufaff]", text)  # no radical stands in for 月, 日, 一
    fonts = subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True).stdout
    assert "DoseCalcSansSC" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # every font embedded


@pytest.mark.skipif(pdftotext is None, reason="pdftotext (poppler-utils) is installed by .ci/run")
def test_every_drug_name_and_date_extracts_from_a_printed_page(qapp: object, tmp_path: Path) -> None:
    """Each catalogue drug, in Chinese beside its English name, and dates in both languages, read back from a PDF."""
    from ui.print.document import Document, Frame, Paper, Section, paragraph
    from ui.print.render import write_pdf

    catalogue = tomllib.loads((ROOT / "regimens" / "drugs.toml").read_text(encoding="utf-8"))["drugs"]
    names = [f"{drug['zh']} {drug['generic']}" for drug in catalogue]
    days = [dt.date(2026, 12, 7) + dt.timedelta(days=n) for n in range(7)]
    dates = [f"{i18n.date_text(d, 'zh_CN')} {i18n.weekday_text(d, 'zh_CN')} · {i18n.date_text(d, 'en')}" for d in days]
    frame = Frame("名称", "张三", "H001", dt.date(1962, 3, 4), "r v1", "未核对", False,
                  dt.datetime(2026, 12, 7, 9, 5), "x", "0", "plan #1", "—")  # fmt: skip
    document = Document(
        "calendar", frame, (Section(tuple(paragraph(line) for line in names + dates)),), language="zh_CN"
    )
    pdf = tmp_path / "names.pdf"
    write_pdf(document, pdf, Paper.A4)
    text = subprocess.run([pdftotext, pdf, "-"], check=True, capture_output=True, text=True).stdout
    lines = {" ".join(line.split()) for line in text.splitlines()}
    for expected in names + dates:
        assert " ".join(expected.split()) in lines, expected
