"""Flags in Chinese: a template for every code the core can raise, templates filled by the params the core
really passes, the English sentence kept as the core writes it, and the Doses tab's flag list in Chinese."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import dosecalc
from dosecalc.derivation import Flag, Severity
from dosecalc.errors import DoseCalcError
from dosecalc.ledger.checks import day1_lab_check, staleness, weight_change
from dosecalc.ledger.pd1 import pd1_bound
from dosecalc.patient import Height, Patient, SerumCreatinine, Sex, Weight
from dosecalc.preparation import prepare
from dosecalc.preparation.infusion import check_rate
from dosecalc.regimen.loader import load_library
from dosecalc.regimen.order import compute_regimen_order
from dosecalc.units import Quantity
from ui import i18n
from ui.flag_text import TEMPLATES, flag_line, flag_text, template_key
from ui.models import FlagListModel

CORE = Path(dosecalc.__file__).parent


def _code_pattern(node: ast.expr) -> str | None:
    """A literal code, or an f-string code with ``*`` for each part it takes from a variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)  # type: ignore[misc]
    return None


def core_flag_codes() -> set[str]:
    """Every code given to ``Flag(...)`` or a builder's ``.flag(...)`` in dosecalc/."""
    codes = set()
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in ("Flag", "flag") and (code := _code_pattern(node.args[0])) is not None:
                codes.add(code)
    return codes


def _covered(code: str) -> bool:
    if code in TEMPLATES:
        return True
    if code.startswith("*."):
        return code in TEMPLATES
    head, _, tail = code.partition(".")
    if code == "*.not_measured":
        return True
    if tail.startswith("*_") and "*" not in tail[2:]:
        return f"{head}.{tail}" in TEMPLATES
    if tail.count("*") == 2:  # day1.{kind}_{word}: low and high
        return f"{head}.*_low" in TEMPLATES and f"{head}.*_high" in TEMPLATES
    return False


def test_the_scan_finds_the_core_flag_codes() -> None:
    codes = core_flag_codes()
    known = {"bsa.capped", "preparation.rate_mismatch", "cumulative.limit_reached", "pd1.months_reached",
             "interval.short", "measurement.*_missing", "day1.*_*", "*.not_measured", "preparation.oral"}  # fmt: skip
    assert known <= codes
    assert len(codes) > 70


def test_every_flag_code_the_core_raises_has_a_template() -> None:
    missing = sorted(code for code in core_flag_codes() if not _covered(code))
    assert not missing, missing


@pytest.fixture
def chinese(qapp: object) -> Iterator[None]:
    i18n.install_language("zh_CN")
    yield
    i18n.install_language("en")


def representative_flags() -> list[Flag]:
    """Flags the core makes from the shipped regimens and catalogue and from ledger checks."""
    library = load_library()
    flags: list[Flag] = []
    patients = [
        Patient(age_years=92, sex=Sex.FEMALE, height=Height.parse("150 cm"), weight=Weight.parse("160 kg"),
                creatinine=SerumCreatinine.parse("0.3 mg/dL")),
        Patient(age_years=64, sex=Sex.MALE, height=Height.parse("168 cm"), weight=Weight.parse("61 kg"),
                creatinine=SerumCreatinine.parse("78 µmol/L")),
    ]  # fmt: skip
    for regimen in library.regimens.values():
        for phase in regimen.phases:
            for patient in patients:
                for level in (0, 3):
                    with contextlib.suppress(DoseCalcError):
                        order = compute_regimen_order(
                            regimen, library.catalogue, patient, phase.id, dose_level=level, reference_weight=None
                        )
                        flags.extend(order.flags)
                        for line in order.lines:
                            flags.extend(line.result.derivation.flags)
    for drug in library.catalogue.drugs:
        for mg in (1.0, 250.0, 9000.0):
            with contextlib.suppress(DoseCalcError):
                flags.extend(prepare(drug, Quantity(mg, "mg"), duration=Quantity(30, "h")).flags)
    on = dt.date(2026, 3, 1)
    flags.extend(f for fresh in staleness({"weight": dt.date(2026, 1, 1)}, on) for f in fresh.flags)
    flags.extend(weight_change(70.0, 61.0).flags)
    flags.extend(day1_lab_check({"anc": 0.9, "platelets": 400, "bilirubin": 90.0}).flags)
    flags.extend(pd1_bound(dt.date(2024, 1, 1), 40, on, 24, 35).flags)
    flags.extend(pd1_bound(dt.date(2024, 6, 1), 32, on, 24, 35, source="ORIENT-15").flags)
    rate = check_rate(Quantity(28.8, "mL/h"), Quantity(96.0, "h"), Quantity(115.2, "mL"))
    assert rate is not None
    flags.append(rate)
    return list(dict.fromkeys(flags))


def test_every_representative_flag_is_said_whole_in_chinese(chinese: None) -> None:
    flags = representative_flags()
    codes = {flag.code for flag in flags}
    assert len(codes) >= 25, sorted(codes)  # the sample reaches far into the core
    for flag in flags:
        key = template_key(flag)
        assert key is not None, flag.code
        text = flag_text(flag)
        assert text != flag.message, (flag.code, flag.message)  # translated, not the English fallback
        assert not re.search(r"\{\w*(:\w*)?\}", text), (flag.code, text)
        assert re.search("[\u4e00-\u9fff]", text), (flag.code, text)
        # Every number the English states, the Chinese states too (dates aside, which are written in Chinese).
        english_numbers = set(
            re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", re.sub(r"\d{2} \w{3} \d{4}", "", flag.message))
        )
        assert english_numbers <= set(re.findall(r"\d+(?:\.\d+)?", text)), (flag.code, flag.message, text)


def test_every_template_placeholder_is_kept_in_its_chinese(chinese: None) -> None:
    fields = string.Formatter()
    for key, source in TEMPLATES.items():
        translated = i18n.translate("CoreFlag", source)
        wanted = sorted((name, spec) for _, name, spec, _ in fields.parse(source) if name)
        assert sorted((name, spec) for _, name, spec, _ in fields.parse(translated) if name) == wanted, key


def test_english_shows_the_core_sentence_and_a_broken_flag_falls_back_to_it(chinese: None) -> None:
    broken = Flag("bsa.capped", Severity.WARNING, "BSA 2.3 m² capped at 2 m²", {"bsa": 2.3})  # no "cap"
    assert flag_text(broken) == "BSA 2.3 m² capped at 2 m²"
    unknown = Flag("a.new_code", Severity.INFO, "something new", {})
    assert flag_line(unknown) == "信息：something new"
    whole = Flag("bsa.capped", Severity.WARNING, "BSA 2.3 m² capped at 2 m²", {"bsa": 2.3, "cap": 2.0})
    assert flag_line(whole) == "警告：体表面积 2.3 m² 已封顶为 2 m²；ASCO 2021 建议按实际体重足量给药"
    i18n.install_language("en")
    assert flag_line(whole) == "WARNING: BSA 2.3 m² capped at 2 m²"


def test_an_overridden_ledger_block_says_its_reason_in_chinese(chinese: None) -> None:
    [flag] = staleness({"weight": dt.date(2026, 1, 1)}, dt.date(2026, 3, 1), kinds=["weight"])[0].flags
    from dosecalc.ledger.flags import apply_overrides

    [overridden] = apply_overrides([flag], {flag.code: "weighed on the ward today"})
    assert flag_text(overridden) == (
        "体重测于2026年1月1日，至2026年3月1日已 59 天；有效期为 14 天——请重新测量，或填写理由后越过"
        "——已越过，原因：weighed on the ward today"
    )


def test_the_doses_flag_list_is_chinese(chinese: None, qtbot: QtBot) -> None:
    library = load_library()
    regimen = next(r for r in library.regimens.values() if r.id == "escc-nct07016737")
    patient = Patient(sex=Sex.MALE, height=Height.parse("168 cm"), weight=Weight.parse("61 kg"))
    order = compute_regimen_order(regimen, library.catalogue, patient, "induction")
    model = FlagListModel(order.flags)
    texts = [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]
    assert any(text.startswith("阻断：未选择PD-1") or text.startswith("阻断：未选择") for text in texts), texts
    assert not any("no choice made" in text for text in texts), texts
