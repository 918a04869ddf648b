"""``dosecalc-app print calendar|worksheet|label``: a printout as a PDF, offscreen, with its audit entry.

Usage::

    dosecalc-app print calendar|worksheet|label --patient HOSPITAL_NUMBER|demo [--cycle N] [--phase P]
                 [--drug ID [--line N]] [--paper a4|letter] --pdf FILE [--db URL] [--user NAME --password-file FILE]

``--patient demo`` prints the demonstration patient from a temporary store (or from a demonstration
store given with ``--db``), signed in as the demonstration user; for a worksheet, the demonstration's
order of the cycle is saved first when it is missing. A real patient needs ``--user`` and a password
(``--password-file`` or ``DOSECALC_PASSWORD``), as the ``dosecalc`` record commands do. Exit status 0,
or 2 with one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.i18n import LANGUAGES
from ui.print.document import Paper

if TYPE_CHECKING:
    from dosecalc.regimen.loader import Library
    from dosecalc.store.records import Store
    from dosecalc.store.users import User
    from ui.print.document import Document

__all__ = ["add_print_parser", "run_print"]


def add_print_parser(commands: Any) -> None:
    """Add ``print`` to ``dosecalc-app``'s subcommands."""
    parser = commands.add_parser("print", help="print a calendar or an order worksheet to a PDF offscreen and exit")
    parser.add_argument(
        "document",
        choices=("calendar", "worksheet", "label"),
        help="the nurse's calendar, the worksheet or a bag label",
    )
    parser.add_argument("--drug", help="label: the drug of the order (catalogue id)")
    parser.add_argument("--line", type=int, help="label: the order line, when the drug has several")
    parser.add_argument("--patient", required=True, metavar="HOSPITAL_NUMBER|demo", help="whose printout")
    parser.add_argument("--cycle", type=int, help="calendar: only this cycle; worksheet: this cycle's order")
    parser.add_argument("--phase", help="calendar: only this phase (or its --cycle); worksheet: this phase's order")
    parser.add_argument("--paper", choices=[p.value for p in Paper], default="a4", help="paper size (default a4)")
    parser.add_argument("--language", choices=LANGUAGES, help="calendar: its language (default: the patient's)")
    parser.add_argument("--pdf", required=True, type=Path, metavar="FILE", help="the PDF to write")
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="record store (as dosecalc-app --db)")
    parser.add_argument("--user", help="your user name (not for --patient demo)")
    parser.add_argument("--password-file", help="a file whose first line is your password; or DOSECALC_PASSWORD")


def _fail(line: str) -> int:
    print(f"dosecalc-app: print: {line}", file=sys.stderr)
    return 2


def run_print(
    args: argparse.Namespace, application: Callable[[], Any], database_url: Callable[[str | None], Any]
) -> int:
    """Run ``print`` (``application`` makes the offscreen QApplication; ``database_url`` resolves --db)."""
    # Imported here, not at the top: dosecalc-app builds this command's parser at every start.
    from dosecalc.errors import DoseCalcError
    from dosecalc.store.records import open_store

    if args.pdf.suffix.lower() != ".pdf":
        return _fail(f"{args.pdf} must end in .pdf")
    if not args.pdf.parent.is_dir():
        return _fail(f"the folder {args.pdf.parent} does not exist")
    if args.cycle is not None and args.cycle < 1:
        return _fail(f"cycle: {args.cycle} is not a cycle number; expected a whole number from 1")
    application()
    demo = args.patient.strip().lower() == "demo"
    with tempfile.TemporaryDirectory(prefix="dosecalc-print-") as folder:
        url = args.db if args.db else (f"sqlite:///{Path(folder) / 'demo.sqlite3'}" if demo else database_url(None))
        try:
            store = open_store(url)
        except DoseCalcError as error:
            return _fail(error.one_line())
        try:
            return _print(store, args, demo)
        except DoseCalcError as error:
            return _fail(error.one_line())
        finally:
            store.engine.dispose()


def _print(store: Store, args: argparse.Namespace, demo: bool) -> int:
    from dosecalc.cli.records import signed_in
    from dosecalc.regimen.loader import load_library
    from dosecalc.store.audit import Actor
    from dosecalc.store.demo import demonstration_available, demonstration_user, ensure_demo
    from ui.print.jobs import record_print
    from ui.print.render import write_pdf

    library = load_library()
    user: User | None
    if demo:
        if not demonstration_available(store):
            return _fail("--patient demo needs a demonstration store; --db names a store with real users")
        patient_id = ensure_demo(store, library)
        user = demonstration_user(store)
        if user is None:  # pragma: no cover - ensure_demo made it
            return _fail("the demonstration user is missing")
    else:
        user = signed_in(store, args)
        patient_id = int(store.patient_by_number(args.patient.strip())["id"])
    actor = Actor(user.id, user.username)
    document = _document(store, library, args, demo, patient_id, user)
    paper = Paper(args.paper)
    pages = write_pdf(document, args.pdf, paper)
    record_print(store, actor, document, pages, f"PDF {paper.value.upper()} {args.pdf.name}")
    state = "verified" if document.frame.verified else "DRAFT, not verified"
    print(f"wrote {args.pdf}: {document.kind}, {pages} page{'s' * (pages != 1)}, {state}")
    return 0


def _document(
    store: Store, library: Library, args: argparse.Namespace, demo: bool, patient_id: int, user: User
) -> Document:
    from dosecalc.errors import InputError
    from dosecalc.site import load_site_settings
    from dosecalc.store.audit import Actor
    from ui.print.calendar import calendar_document, calendar_range
    from ui.print.jobs import printed_by
    from ui.print.label import label_document
    from ui.print.sources import calendar_source, demo_order, worksheet_source
    from ui.print.worksheet import worksheet_document
    from ui.widgets import chinese_font_available

    by = printed_by(user)
    if args.document == "calendar":
        source = calendar_source(store, library, patient_id, load_site_settings().contact_number)
        span = calendar_range(source, phase=args.phase, cycle=args.cycle)
        return calendar_document(source, span, printed_by=by, language=args.language)
    if demo:
        demo_order(store, library, patient_id, Actor(user.id, user.username), args.cycle or 1, args.phase)
    order = worksheet_source(store, library, patient_id, phase=args.phase, cycle=args.cycle)
    if args.document == "label":
        if not args.drug:
            raise InputError("drug", None, "is required for a label", expected="--drug ID", code="value.missing")
        return label_document(order, args.drug, line_order=args.line, printed_by=by, chinese=chinese_font_available())
    return worksheet_document(order, printed_by=by)
