"""Printouts as a reader gets them: render PDFs, extract each page's text with pdftotext, check it.

Patient Zhang Wei (H001, born 04 Mar 1962), 168 cm, 61 kg, creatinine 78 µmol/L; NCT07016737 v1.0.0 with
sintilimab and docetaxel from Mon 07 Dec 2026, clinic closures CN. Worked doses (Mosteller, NEJM 1987):
BSA √(168 × 61 / 3600) = 1.6872 m²; DOCEtaxel 75 mg/m² × 1.6872 m² = 126.54 mg → 130 mg (10 mg step,
+2.73 %); sintilimab 200 mg flat. The on-screen model (DoseTableModel) and the saved snapshot are the
references the printed doses are compared with (medication-safety K6).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPdfWriter
from sqlalchemy import select

from dosecalc.cli.regimens import order_payload
from dosecalc.display import BANNED_TOKENS
from dosecalc.patient import Height, SerumCreatinine, Weight
from dosecalc.regimen.loader import Library, load_library
from dosecalc.regimen.order import RegimenOrder, compute_regimen_order
from dosecalc.store.audit import SYSTEM, Actor
from dosecalc.store.records import Store, open_store
from dosecalc.store.schema import audit_log
from dosecalc.store.users import User
from ui.models import DoseTableModel
from ui.print import (
    WATERMARK,
    Paper,
    calendar_document,
    calendar_range,
    calendar_source,
    page_layout,
    record_print,
    worksheet_document,
    worksheet_source,
    write_pdf,
)
from ui.print.document import Cell, Document, Frame, Section, Table, paragraph
from ui.print.layout import TextItem, paginate
from ui.print.typeset import Typesetter
from ui.verify_dialog import final_doses_mg, patient_from_record, policy_from_plan

START = dt.date(2026, 12, 7)
MEASURED_ON = dt.date.today() - dt.timedelta(days=1)
CHOICES = {"pd1": "sintilimab", "chemo": "docetaxel"}
PRINTED_AT = dt.datetime(2026, 12, 7, 9, 5).astimezone()
_BANNED = re.compile(r"\b(" + "|".join(re.escape(token) for token in BANNED_TOKENS) + r")\b")
_DATE = re.compile(r"\b\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\b")
_VERSION = re.compile(r"\d+\.\d+\.\d+")

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI", "").lower() != "true",
    reason="pdftotext (poppler-utils) is not installed here: the printout tests are SKIPPED (.ci/run installs it)",
)


# ------------------------------------------------------------------------------------------------ helpers


def pdf_pages(path: Path) -> list[str]:
    """Each page's text in drawing order (pdftotext -raw), whitespace squeezed to single spaces."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


def pdf_page_size(path: Path) -> tuple[int, int]:
    """The first page's size in whole points (A4 is 595 × 842, Letter 612 × 792)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match is not None, info
    return round(float(match.group(1))), round(float(match.group(2)))


def assert_safe_pages(pages: list[str], *, verified: bool) -> None:
    """Both identifiers, Page x of y, the watermark (only) while unverified, no banned token, months as words."""
    for number, text in enumerate(pages, start=1):
        assert "Zhang Wei" in text, number
        assert "Hospital number H001" in text, number
        assert "Born 04 Mar 1962" in text, number
        assert f"Page {number} of {len(pages)}" in text, number
        assert (WATERMARK in text) is not verified, number
        assert "escc-nct07016737 v1.0.0" in text or "escc-2l-docetaxel v1.0.0" in text, number
        assert "DoseCalc 0.1.0" in text, number
        assert "Printed 07 Dec 2026 09:05 by Li Na (li)" in text, number
        assert not _BANNED.search(text), (number, _BANNED.search(text))
        assert not re.search("[<>]", text), number  # never "<" or ">" (medication-safety C3)
        assert not _NUMERIC_DATE.search(text), (number, _NUMERIC_DATE.search(text))
        plain = _VERSION.sub("", text)
        assert not re.search(r"(?<![\d,])\.\d", plain), number  # a leading zero below 1
        assert not re.search(r"\d\.\d*0\b", plain), number  # no trailing zero
        # Chinese drug names are printed beside the English ones (bundled font); tests/ui/test_translations.py
        # checks they extract as the right characters.
        assert _DATE.search(text), number


@dataclass
class Ward:
    store: Store
    library: Library
    li: User
    wang: User
    patient_id: int
    plan_id: int
    regimen_id: str
    choices: dict[str, str]

    @property
    def actor(self) -> Actor:
        return Actor(self.li.id, self.li.username)

    def order(self, phase: str, cycle: int) -> RegimenOrder:
        """The calculation the Doses tab shows for this cycle (its DoseTableModel adapts this)."""
        patient = patient_from_record(
            self.store.patient(self.patient_id),
            Height.parse("168 cm"),
            Weight.parse("61 kg"),
            SerumCreatinine.parse("78 µmol/L"),
        )
        regimen = self.library.regimen(self.regimen_id)
        return compute_regimen_order(
            regimen, self.library.catalogue, patient, phase, cycle, self.choices, policy_from_plan({})[0]
        )

    def save_order(self, phase: str, cycle: int) -> tuple[int, RegimenOrder]:
        order = self.order(phase, cycle)
        inputs = {
            "height": "168 cm",
            "weight": "61 kg",
            "creatinine": "78 µmol/L",
            "measured_on": dict.fromkeys(("height", "weight", "creatinine"), MEASURED_ON.isoformat()),
        }
        overrides = [
            {"code": f.code, "message": f.message, "reason": "checked with the consultant"}
            for f in order.flags
            if f.severity.value == "block"
        ]
        snapshot = order_payload(order, policy_from_plan({})[1])
        return self.store.save_order(self.actor, self.plan_id, phase, cycle, inputs, snapshot, overrides), order

    def verify(self, order_id: int, order: RegimenOrder) -> None:
        self.store.verify_order(self.wang, "wang-password", order_id, final_doses_mg(order))

    def calendar(self, **span: Any) -> Document:
        source = calendar_source(self.store, self.library, self.patient_id, "+86 25 8328 3333")
        return calendar_document(source, calendar_range(source, **span), printed_by="Li Na (li)", printed_at=PRINTED_AT)

    def worksheet(self, **which: Any) -> Document:
        source = worksheet_source(self.store, self.library, self.patient_id, **which)
        return worksheet_document(source, printed_by="Li Na (li)", printed_at=PRINTED_AT)

    def prints(self) -> list[Any]:
        with self.store.engine.connect() as connection:
            return list(connection.execute(select(audit_log).where(audit_log.c.action == "print")).mappings())


def make_ward(folder: Path, regimen_id: str = "escc-nct07016737", choices: dict[str, str] | None = None) -> Ward:
    store = open_store(f"sqlite:///{folder / 'ward.sqlite3'}")
    library = load_library()
    li = store.add_user(SYSTEM, "li", "Li Na", "pharmacist", "li-password")
    wang = store.add_user(SYSTEM, "wang", "Wang Fang", "pharmacist", "wang-password")
    actor = Actor(li.id, li.username)
    patient = store.add_patient(
        actor,
        hospital_number="H001",
        full_name="Zhang Wei",
        date_of_birth=dt.date(1962, 3, 4),
        sex="male",
        language="en",  # these tests read the English calendar; tests/ui/test_translations.py prints Chinese
        allergies="no known allergies",
        diagnosis="oesophageal squamous cell carcinoma, in-field recurrence",
    )
    for kind, text in (("height", "168 cm"), ("weight", "61 kg"), ("creatinine", "78 µmol/L")):
        store.add_measurement(actor, patient, kind, text, MEASURED_ON)
    choices = CHOICES if choices is None else choices
    regimen = library.regimen(regimen_id)
    plan = store.create_plan(
        actor,
        patient,
        regimen_id=regimen.id,
        regimen_version=regimen.version,
        choices=choices,
        policies={},
        start_date=START,
    )
    return Ward(store, library, li, wang, patient, plan, regimen_id, choices)


@pytest.fixture
def ward(tmp_path: Path, qapp: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ward]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    made = make_ward(tmp_path)
    yield made
    made.store.engine.dispose()


def dose_rows(order: RegimenOrder) -> dict[str, list[str]]:
    """The Doses tab's rows (drug → column texts), from the on-screen model itself."""
    model = DoseTableModel(order)
    return {
        str(model.data(model.index(row, DoseTableModel.DRUG))): [
            str(model.data(model.index(row, column))) for column in range(model.columnCount())
        ]
        for row in range(model.rowCount())
    }


# ------------------------------------------------------------------------------------------------ worksheet


def test_a_two_page_worksheet_carries_identifiers_the_order_doses_and_the_watermark_until_verified(
    tmp_path: Path, qapp: Any
) -> None:
    ward = make_ward(tmp_path, "escc-2l-docetaxel", {})
    order_id, order = ward.save_order("treatment", 1)
    pdf = tmp_path / "worksheet.pdf"
    pages = write_pdf(ward.worksheet(), pdf, Paper.A4)
    text = pdf_pages(pdf)
    assert pages == len(text) == 2  # the preparation section took the worksheet past one page
    assert_safe_pages(text, verified=False)
    page = " ".join(text)
    # The doses as the Doses tab shows them: drug, basis, calculated, DOSE, % difference, route, days.
    rows = dose_rows(order)
    assert list(rows) == ["DOCEtaxel"]
    drug, basis, calculated, dose, difference, route, days = rows["DOCEtaxel"]
    assert (basis, calculated, dose, difference) == ("75 mg/m²", "126.54 mg", "130 mg", "+2.73 %")
    assert f"{drug} {basis} {calculated} {dose} {difference} 130 mg {route} {days}" in page
    snapshot = ward.store.order(order_id)["snapshot"]
    assert snapshot["lines"][0]["final"] == {"value": 130.0, "unit": "mg"}
    # The derivation, the measurements with dates, the policies, the status and who calculated.
    assert "Calculated dose = dose basis × BSA = 75 mg/m² × 1.6872 m² = 126.54 mg" in page
    assert f"weight 61 kg {MEASURED_ON:%d %b %Y} used for these doses" in page
    assert "Dosing policies (the site's defaults, except where marked)" in page
    assert "BSA formula Mosteller 1987 Renal method Cockcroft–Gault 1976" in page
    assert "Weight basis (renal) actual body weight Creatinine floor none" in page
    assert "GFR cap 125 mL/min" in page
    assert "NOT VERIFIED: awaiting independent verification" in page
    assert "Calculated and saved by: Li Na (li, pharmacist)" in page
    assert "WARNING: DOCEtaxel: the protocol dose 75 mg/m² is not confirmed" in page
    assert f"order #{order_id} of plan #{ward.plan_id}" in page
    # The preparation (hand-worked in tests/ui/test_preparation_panel.py): 80 + 3 × 20 mg vials, 6.5 mL,
    # 250 mL sodium chloride 0.9 %, 0.507 mg/mL in range, 256.5 mL/h over 1 h.
    assert "Preparation" in page
    assert "1 × 80 mg/4 mL vial + 3 × 20 mg/1 mL vial" in page
    assert "6.5 mL 250 mL sodium chloride 0.9 % 0.507 mg/mL (in range" in page
    assert "256.5 mL/h over 1 h" in page

    ward.verify(order_id, order)
    verified = tmp_path / "verified.pdf"
    document = ward.worksheet()
    write_pdf(document, verified, Paper.A4)
    text = pdf_pages(verified)
    assert_safe_pages(text, verified=True)
    assert "VERIFIED by Wang Fang on" in text[0]
    everything = " ".join(text)
    assert "Verified by: Wang Fang (wang, pharmacist)" in everything
    assert "meaning of the signature: verified calculation" in everything
    assert ward.store.order(order_id)["signature"] in everything

    record_print(ward.store, ward.actor, document, 1, "PDF A4 verified.pdf")
    entry = ward.prints()[-1]
    assert (entry["entity"], entry["entity_id"], entry["username"]) == ("order", order_id, "li")
    assert "worksheet, 1 page, PDF A4 verified.pdf" in str(entry["new_value"])
    assert ward.store.order(order_id)["status"] == "printed"


def test_the_worksheet_shows_every_dose_of_the_screen_and_the_cumulative_totals(ward: Ward, tmp_path: Path) -> None:
    _order_id, order = ward.save_order("induction", 1)
    pdf = tmp_path / "worksheet.pdf"
    write_pdf(ward.worksheet(), pdf, Paper.LETTER)
    pages = pdf_pages(pdf)
    assert_safe_pages(pages, verified=False)
    text = " ".join(pages)
    for drug, (name, basis, calculated, dose, difference, _route, _days) in dose_rows(order).items():
        assert f"{name} {basis} {calculated} {dose} {difference}" in text, drug
    assert "DOCEtaxel 75 mg/m² 126.54 mg 130 mg +2.73 %" in text
    assert "sintilimab 200 mg 200 mg 200 mg 0 %" in text
    assert "DOCEtaxel: total so far: 0 mg/m² (0 mg), 0 doses counted; projected total:" in text
    assert "sintilimab: total so far: 0 mg, 0 doses counted; projected total:" in text
    assert "against the limit: 0 / 400 mg/m² warning level (0 %)" in text
    assert pdf_page_size(pdf) == (612, 792)  # Letter, portrait


# ------------------------------------------------------------------------------------------------ calendar

#: The Chinese names the calendar prints after each English one (regimens/drugs.toml).
_CHINESE = {"sintilimab": "信迪利单抗", "DOCEtaxel": "多西他赛", "PACLitaxel": "紫杉醇", "CARBOplatin": "卡铂"}


def bilingual(name: str) -> str:
    """An English-language calendar names a drug in English, then in Chinese: ``DOCEtaxel 多西他赛``."""
    return f"{name} {_CHINESE[name]}"


def test_a_two_page_calendar_of_one_cycle_is_verified_only_with_its_order(ward: Ward, tmp_path: Path) -> None:
    first = tmp_path / "cycle1.pdf"
    pages = write_pdf(ward.calendar(phase="induction", cycle=1), first, Paper.A4)
    text = pdf_pages(first)
    assert pages == len(text) == 2
    assert_safe_pages(text, verified=False)
    month, legend = text
    assert "December 2026" in month
    expected = dose_rows(ward.order("induction", 1))
    assert f"7 Induction, cycle 1, day 1 (expected doses) {'Blood tests first'}" in month
    for name, dose, route in ((r[0], r[3], r[5]) for r in expected.values()):
        assert f"{bilingual(name)} {dose} {route}" in month
    assert month.count("Rest day: no chemotherapy") == 20  # 08–27 Dec: every day of the cycle but day 1
    assert month.count("not on this calendar") == 10  # 01–06 and 28–31 Dec
    assert "valid only for Induction cycle 1 starting 07 Dec 2026" in month
    assert "If a dose is missed or vomited, do not take an extra dose; call the 24-hour number." in legend
    assert "24-hour contact number: +86 25 8328 3333" in legend
    assert "Before DOCEtaxel 多西他赛: dexamethasone 8 mg twice daily for 3 days, starting the day before." in legend
    assert "Induction cycle 1 Mon 07 Dec 2026" in legend
    assert pdf_page_size(first) == (842, 595)  # A4 landscape

    order_id, order = ward.save_order("induction", 1)
    pending = tmp_path / "pending.pdf"
    write_pdf(ward.calendar(phase="induction", cycle=1), pending, Paper.A4)
    text = pdf_pages(pending)
    assert_safe_pages(text, verified=False)
    assert "7 Induction, cycle 1, day 1 (doses not verified)" in text[0]

    ward.verify(order_id, order)
    verified = tmp_path / "verified.pdf"
    document = ward.calendar(phase="induction", cycle=1)
    write_pdf(document, verified, Paper.LETTER)
    text = pdf_pages(verified)
    assert_safe_pages(text, verified=True)
    snapshot = ward.store.order(order_id)["snapshot"]
    for line in snapshot["lines"]:
        assert f"{bilingual(line['display'])} {line['final']['value']:g} {line['final']['unit']}" in text[0]
    assert "7 Induction, cycle 1, day 1 Blood tests first" in text[0]
    assert f"VERIFIED: every dose is from a verified order (order #{order_id})" in text[0]
    assert pdf_page_size(verified) == (792, 612)  # Letter landscape

    record_print(ward.store, ward.actor, document, 2, "PDF Letter verified.pdf")
    entry = ward.prints()[-1]
    assert (entry["action"], entry["entity"], entry["entity_id"]) == ("print", "plan", ward.plan_id)
    assert entry["new_value"]["pages"] == 2
    assert entry["new_value"]["orders"] == [order_id]
    assert entry["new_value"]["verified"] is True
    assert entry["regimen_version"] == "escc-nct07016737 1.0.0"


def test_a_twelve_page_calendar_has_every_month_and_the_plan_doses(ward: Ward, tmp_path: Path) -> None:
    pdf = tmp_path / "months.pdf"
    document = ward.calendar(first=dt.date(2026, 12, 1), last=dt.date(2027, 9, 30))
    pages = write_pdf(document, pdf, Paper.A4)
    text = pdf_pages(pdf)
    assert pages == len(text) == 12  # ten months, then the legend over two pages
    assert_safe_pages(text, verified=False)
    months = [f"{dt.date(2026 + (11 + i) // 12, (11 + i) % 12 + 1, 1):%B %Y}" for i in range(10)]
    for page, month in zip(text, months, strict=False):
        assert page.startswith(f"{month} Monday Tuesday"), month
    assert text[10].startswith("About this calendar")
    assert "Cycle Blood tests on" in text[11]  # the legend's table continues under its heading row
    assert "PD-1 maintenance cycle 10 Thu 09 Sep 2027" in text[10] + text[11]
    # Induction cycle 4 falls on 08 Feb 2027 (Spring Festival): moved to the next open day, and said so.
    february = text[2]
    assert "Clinic closed: Chinese New Year (Spring Festival)" in february
    assert "11 Induction, cycle 4, day 1 (expected doses)" in february
    assert "Moved here from 08 Feb 2027" in february
    maintenance = dose_rows(ward.order("maintenance", 1))
    assert list(maintenance) == ["sintilimab"]
    assert (
        "PD-1 maintenance, cycle 1, day 1 (expected doses) Blood tests first sintilimab 信迪利单抗 200 mg"
        in " ".join(text)
    )


def test_the_whole_plan_calendar_and_radiotherapy_fractions(tmp_path: Path, qapp: Any) -> None:
    ward = make_ward(tmp_path, choices={**CHOICES, "rt": "50.4gy-28fx"})
    plan = ward.store.plan(ward.plan_id)
    ward.store.update_plan_schedule(
        ward.actor,
        plan["id"],
        plan["row_version"],
        phase_starts={"salvage": dt.date(2027, 6, 1)},
        reason="progression on CT",
    )
    pdf = tmp_path / "salvage.pdf"
    write_pdf(ward.calendar(phase="salvage"), pdf, Paper.A4)
    text = pdf_pages(pdf)
    assert_safe_pages(text, verified=False)
    joined = " ".join(text)
    assert "Radiotherapy: fraction 1 of 28" in joined
    assert "Radiotherapy: fraction 28 of 28" in joined
    assert "PACLitaxel" in joined
    assert "CARBOplatin" in joined
    assert "radiotherapy 50.4 Gy in 28 fractions" in joined


def test_the_calendar_prints_in_the_range_asked_or_refuses_in_one_line(ward: Ward) -> None:
    from dosecalc.errors import InputError

    source = calendar_source(ward.store, ward.library, ward.patient_id)
    assert calendar_range(source).label == "the whole plan"
    with pytest.raises(InputError, match="phase: salvage is not scheduled in this plan"):
        calendar_range(source, phase="salvage")
    with pytest.raises(InputError, match="cycle: 9 is not a cycle of induction"):
        calendar_range(source, phase="induction", cycle=9)
    assert "not set in DoseCalc" in " ".join(
        p.text
        for p in calendar_document(source, calendar_range(source), printed_by="x").sections[-1].blocks
        if hasattr(p, "text")
    )


# ------------------------------------------------------------------------------------------------ layout


def _frame() -> Frame:
    return Frame(
        "Test",
        "Zhang Wei",
        "H001",
        dt.date(1962, 3, 4),
        "escc-nct07016737 v1.0.0",
        "NOT VERIFIED",
        False,
        PRINTED_AT,
        "Li Na (li)",
        "0.1.0",
        "test",
        "test only",
    )


@pytest.mark.parametrize("paper", list(Paper))
def test_text_wraps_and_continues_but_is_never_clipped(tmp_path: Path, qapp: Any, paper: Paper) -> None:
    word = "DOCEtaxel" * 40  # wider than any column: breaks between letters
    tall = tuple(paragraph(f"line {n} of a cell taller than a page") for n in range(120))
    table = Table(
        (1.0, 1.0, 1.0),
        ((Cell((paragraph(word),)), Cell(tall), Cell((paragraph("short"),))),),
        caption=paragraph("A table", bold=True),
    )
    document = Document("test", _frame(), (Section((table,)),), landscape=True)
    pdf = tmp_path / "long.pdf"
    writer = QPdfWriter(str(tmp_path / "measure.pdf"))
    writer.setPageLayout(page_layout(paper, True))
    ts = Typesetter(writer)
    pixels = writer.pageLayout().paintRectPixels(writer.logicalDpiY())
    body = QRectF(0, 0, pixels.width(), pixels.height() / 2)
    for page in paginate([[table]], ts, body):
        for item in page.items:
            if isinstance(item, TextItem) and item.line.runs:
                last = item.line.runs[-1]
                right = item.x + item.line.indent + last.x + ts.width(last.font, last.text)
                assert right <= body.right() + 1
                assert item.y + item.line.height <= body.bottom() + 1
    pages = write_pdf(document, pdf, paper)
    text = pdf_pages(pdf)
    assert pages == len(text) >= 2
    joined = "".join(text).replace(" ", "")
    assert joined.count("DOCEtaxel") >= 40
    for n in range(120):
        assert f"line {n} of a cell taller than a page" in " ".join(text)
    assert "A table (continued)" in text[1]
    assert "(continued)" in text[1]
