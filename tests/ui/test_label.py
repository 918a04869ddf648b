"""The bag label: identifiers on the page, the prepared dose as the preparation panel shows it, DRAFT
until verified, refused for a blocked preparation, and ``dosecalc-app print label`` with its audit entry.

Hand-worked for escc-2l-docetaxel (168 cm, 61 kg): DOSE 130 mg → 80 + 3 × 20 mg vials, 6.5 mL, 250 mL
sodium chloride 0.9 % (the smallest site bag in 0.3–0.74 mg/mL), 256.5 mL total, 0.507 mg/mL, over the
catalogue's 1 h: 256.5 mL/h; use within 6 h: printed 07 Dec 2026 09:05 → expiry 07 Dec 2026 15:05.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dosecalc.errors import InputError
from dosecalc.preparation import DEFAULT_PREPARATION
from tests.ui.test_print import PRINTED_AT, WATERMARK, Ward, assert_safe_pages, make_ward, pdf_pages
from ui.app import main
from ui.print.document import Paper
from ui.print.jobs import record_print
from ui.print.label import label_document
from ui.print.render import write_pdf
from ui.print.sources import worksheet_source


def _label(ward: Ward, drug: str) -> Any:
    source = worksheet_source(ward.store, ward.library, ward.patient_id)
    return label_document(source, drug, printed_by="Li Na (li)", printed_at=PRINTED_AT, settings=DEFAULT_PREPARATION)


def test_the_label_of_a_saved_order(tmp_path: Path, qapp: Any) -> None:
    ward = make_ward(tmp_path, "escc-2l-docetaxel", {})
    order_id, order = ward.save_order("treatment", 1)
    pdf = tmp_path / "label.pdf"
    document = _label(ward, "docetaxel")
    assert write_pdf(document, pdf, Paper.A4) == 1
    text = pdf_pages(pdf)
    assert_safe_pages(text, verified=False)
    page = text[0]
    for expected in (
        "DOCEtaxel 130 mg", "FOR INTRAVENOUS USE ONLY", "6.5 mL (1 × 80 mg/4 mL vial + 3 × 20 mg/1 mL vial)",
        "Diluent 250 mL sodium chloride 0.9 %", "Total volume 256.5 mL", "0.507 mg/mL (in range",
        "Rate 256.5 mL/h", "Duration 1 h", "Expiry 07 Dec 2026 15:05", "non-PVC", "UNCONFIRMED",
        f"order #{order_id}, line 1", "Prepared by:",
    ):  # fmt: skip
        assert expected in page, expected
    ward.verify(order_id, order)
    verified = tmp_path / "verified.pdf"
    write_pdf(_label(ward, "docetaxel"), verified, Paper.A4)
    assert WATERMARK not in pdf_pages(verified)[0]
    record_print(ward.store, ward.actor, document, 1, "PDF A4 label.pdf")
    entry = ward.prints()[-1]
    assert (entry["entity"], entry["new_value"]["document"], entry["new_value"]["drug"]) == (
        "plan",
        "label",
        "docetaxel",
    )


def test_no_label_for_a_blocked_preparation_or_an_unknown_drug(tmp_path: Path, qapp: Any) -> None:
    ward = make_ward(tmp_path)  # escc-nct07016737 with sintilimab: no stable range in the catalogue
    ward.save_order("induction", 1)
    with pytest.raises(InputError, match="blocked preparation"):
        _label(ward, "sintilimab")
    with pytest.raises(InputError) as caught:
        _label(ward, "paclitaxel")
    assert caught.value.field == "drug"


def test_print_label_command(qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "label.pdf"
    assert main(["print", "label", "--patient", "demo", "--drug", "docetaxel", "--pdf", str(pdf)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {pdf}: label, 1 page, DRAFT, not verified"
    page = pdf_pages(pdf)[0]
    assert "DEMO-0001" in page
    assert "FOR INTRAVENOUS USE ONLY" in page
    assert main(["print", "label", "--patient", "demo", "--pdf", str(pdf)]) == 2
    assert "drug: is required for a label" in capsys.readouterr().err


def test_a_worksheet_lists_each_line_s_preparation(tmp_path: Path, qapp: Any) -> None:
    ward = make_ward(tmp_path)
    ward.save_order("induction", 1)
    pdf = tmp_path / "worksheet.pdf"
    write_pdf(ward.worksheet(), pdf, Paper.A4)
    text = " ".join(pdf_pages(pdf))
    assert "BLOCK: sintilimab: no stable final-concentration range in the catalogue" in text
    assert "2 × 100 mg/10 mL vial" in text
