"""``dosecalc-app --self-test``: every check passes here, and a broken installation fails naming the reason."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import pytest

from dosecalc.regimen.loader import SITE_ENVIRONMENT_VARIABLE, shipped_directory
from dosecalc.site import SITE_SETTINGS_VARIABLE
from ui import selftest
from ui.app import main
from ui.selftest import CHECKS, CheckError, _close, _pdf_pages


@pytest.fixture(autouse=True)
def _no_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SITE_SETTINGS_VARIABLE, str(tmp_path / "absent.json"))
    monkeypatch.delenv(SITE_ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["--self-test", *args])
    return status, capsys.readouterr().out.splitlines()


def test_every_check_passes_here(qapp, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(capsys)
    assert status == 0, "\n".join(lines)
    assert lines[0].startswith("DoseCalc ")
    assert "self-test" in lines[0]
    assert lines[-1] == "self-test passed"
    reported = {line[6:].split(":")[0]: line[:4].strip() for line in lines[1:-1]}
    assert list(reported) == [check.name for check in CHECKS]
    assert all(reported[check.name] == "ok" for check in CHECKS if check.fatal)
    order = next(line for line in lines if line.startswith("ok    order:"))
    # The hand-worked figures of tests/dosecalc/test_order.py::test_order_by_hand.
    for figure in ("BSA 1.6872 m²", "carboplatin 489.9 mg", "paclitaxel 300 mg", "irinotecan 460 mg"):
        assert figure in order
    pdf = next(line for line in lines if line.startswith("ok    calendar pdf:"))
    assert "Induction cycle 1" in pdf
    assert "fonts embedded" in pdf


def test_a_bad_site_file_fails_the_test_naming_the_field(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "site.json"
    bad.write_text(json.dumps({"schema_version": 1, "max_deviation": "50 %"}), encoding="utf-8")
    monkeypatch.setenv(SITE_SETTINGS_VARIABLE, str(bad))
    status, lines = run(capsys)
    assert status == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) >= 1
    assert failed[0].startswith(f"FAIL  site: site-settings: {bad}: max_deviation")
    assert lines[-1].startswith("self-test FAILED (")
    assert any(line.startswith("ok    order:") for line in lines)  # the other checks still ran


def test_a_refused_site_regimen_fails_the_test_naming_the_file(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "regimens"
    site.mkdir()
    text = (shipped_directory() / "escc-nct07016737.toml").read_text(encoding="utf-8")
    (site / "ward.toml").write_text(text.replace('version = "1.0.0"', 'version = "1.1"', 1), encoding="utf-8")
    monkeypatch.setenv(SITE_ENVIRONMENT_VARIABLE, str(site))
    status, lines = run(capsys)
    assert status == 1
    assert any(line.startswith("FAIL  site: 1 site regimen file(s) refused") and "ward.toml" in line for line in lines)
    assert any(line.startswith("ok    regimens:") for line in lines)


def test_a_wrong_figure_fails_with_what_was_expected(
    qapp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import dosecalc.order

    real = dosecalc.order.compute_order
    monkeypatch.setattr(dosecalc.order, "compute_order", lambda patient, lines, policy, carboplatin_auc: real(
        patient, lines, policy, carboplatin_auc=carboplatin_auc + 1))  # fmt: skip
    status, lines = run(capsys)
    assert status == 1
    # AUC 6 instead of 5: 6 × (72.97 + 25) = 587.8 mg.
    assert "FAIL  order: carboplatin 587.844 mg, expected 489.9 mg (± 0.1)" in lines


def test_an_unexpected_error_is_one_line_with_its_type(
    qapp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_state: object) -> str:
        raise OSError("disk gone\nsecond line")

    monkeypatch.setattr(selftest, "CHECKS", (selftest.Check("store", broken), *CHECKS[-2:]))
    status, lines = run(capsys)
    assert status == 1
    assert "FAIL  store: OSError: disk gone second line" in lines
    assert "FAIL  calendar pdf: not run: the record store check failed" in lines


def test_close_refuses_a_figure_out_of_tolerance_and_nan() -> None:
    assert _close("BSA", 1.68718, 1.68718, 1e-4, "m²") == "BSA 1.6872 m²"
    with pytest.raises(CheckError, match=re.escape("BSA 1.6874 m², expected 1.68718 m² (± 0.0001)")):
        _close("BSA", 1.6874, 1.68718, 1e-4, "m²")
    with pytest.raises(CheckError):
        _close("BSA", float("nan"), 1.68718, 1e-4, "m²")


def test_pdf_page_count_plain_and_compressed() -> None:
    plain = b"%PDF-1.4\n2 0 obj\n<<\n/Type /Pages\n/Kids [3 0 R 4 0 R 5 0 R]\n/Count 3\n>>\nendobj\n%%EOF"
    assert _pdf_pages(plain) == 3
    reversed_keys = b"%PDF-1.4\n<< /Count 2 /Kids [3 0 R 4 0 R] /Type /Pages >>\n%%EOF"
    assert _pdf_pages(reversed_keys) == 2
    hidden = zlib.compress(b"<< /Type /Pages /Kids [3 0 R] /Count 7 >>")
    compressed = b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n" + hidden + b"\nendstream"
    assert _pdf_pages(compressed) == 7
    assert _pdf_pages(b"%PDF-1.4\nno pages here\n%%EOF") == 0


def test_without_standard_output_the_report_goes_to_a_file(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Windows window program started from Explorer has no standard output (sys.stdout is None).
    monkeypatch.setattr(selftest.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(selftest.sys, "stdout", None)
    status = main(["--self-test"])
    assert status == 0
    lines = (tmp_path / "dosecalc-self-test.txt").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "self-test passed"
