"""Start-up loads only what the first answer or the first window needs (see bench/README.md), same behaviour.

Each check runs in a fresh interpreter and looks at ``sys.modules``; nothing here measures time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from dosecalc.cli import COMMAND_MODULES, _build_parser
from dosecalc.store.db import StoreError, current_revision
from dosecalc.store.records import open_store
from dosecalc.store.schema import SCHEMA_REVISION

ROOT = Path(__file__).resolve().parent.parent


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Run ``code`` in a fresh interpreter; which of ``modules`` it imported."""
    probe = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps([m for m in {list(modules)!r} if m in sys.modules]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def _options(parser: object) -> dict[str, list[str]]:
    """Every command's (and nested action's) option strings, by command path."""
    found: dict[str, list[str]] = {}

    def walk(prefix: str, p: object) -> None:
        for action in p._actions:  # type: ignore[attr-defined]
            if action.choices and hasattr(action, "_name_parser_map"):
                for name, child in action.choices.items():
                    walk(f"{prefix} {name}".strip(), child)
            elif prefix:
                found.setdefault(prefix, []).extend(action.option_strings or [action.dest])

    walk("", parser)
    return found


def test_the_command_table_names_every_command_and_its_module() -> None:
    full = _build_parser()
    assert set(full.get_default("commands")) == set(COMMAND_MODULES)
    every = _options(full)
    assert len(every) > len(COMMAND_MODULES)  # nested actions (patient add, regimens show ...) are compared too
    for command in COMMAND_MODULES:
        alone = _build_parser(command)
        own = _options(alone)
        assert command in alone.get_default("commands")
        assert {k: v for k, v in every.items() if k.split()[0] == command} == {
            k: v for k, v in own.items() if k.split()[0] == command
        }, command


def test_a_calculation_does_not_load_the_library_schedule_or_store() -> None:
    loaded = _loaded_after(
        """
        import contextlib, io
        from dosecalc.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert main(["bsa", "--height", "168 cm", "--weight", "61 kg"]) == 0
        assert "1.69 m²" in out.getvalue()
        """,
        ("sqlalchemy", "alembic", "holidays", "icalendar", "dosecalc.regimen.model", "dosecalc.schedule.plan"),
    )
    assert loaded == []


def test_help_and_unknown_commands_still_see_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from dosecalc.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert all(command in shown for command in COMMAND_MODULES)
    assert main(["bsa-typo"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_opening_a_current_store_does_not_load_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    open_store(url).engine.dispose()  # made with the migrations
    loaded = _loaded_after(
        f"""
        from dosecalc.store.records import open_store
        open_store({url!r}).engine.dispose()
        """,
        ("alembic",),
    )
    assert loaded == []


def test_a_store_from_a_newer_dosecalc_is_still_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    open_store(url).engine.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    assert current_revision(engine) == "9999" != SCHEMA_REVISION
    engine.dispose()
    with pytest.raises(StoreError, match="cannot be prepared"):
        open_store(url)


def test_the_workstation_loads_no_printout_until_something_is_printed() -> None:
    loaded = _loaded_after(
        "import ui.app",
        (
            "ui.print.calendar",
            "ui.print.sources",
            "ui.print.jobs",
            "ui.print.render",
            "dosecalc.schedule.plan",
            "dosecalc.cli.records",
            "alembic",
        ),
    )
    assert loaded == []


def test_the_printouts_still_load_by_name() -> None:
    import ui.print

    assert callable(ui.print.write_pdf)
    from ui.print import calendar_document, worksheet_document

    assert callable(calendar_document)
    assert callable(worksheet_document)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        ui.print.nothing  # type: ignore[attr-defined]  # noqa: B018


def test_the_workstation_paints_its_window_before_importing_the_core(tmp_path: Path) -> None:
    """At the first paint only Qt and light ui modules are loaded; the store and the library come after it."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    probe = textwrap.dedent(
        f"""
        import json, sys
        from ui.app import Startup
        from ui.startup import application

        app = application()
        painted = []
        start = Startup({url!r}, lambda store, library: None)  # nobody signs in
        start.show(lambda: painted.append(sorted(sys.modules)))
        while not painted:
            app.processEvents()
        assert start.store is None and not start.window.ready
        assert start.open() == 0
        print(json.dumps({{"painted": painted[0], "opened": sorted(sys.modules)}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    painted, opened = set(found["painted"]), set(found["opened"])
    heavy = {"sqlalchemy", "pint", "pydantic", "alembic", "holidays", "icalendar", "psycopg"}
    assert {m for m in painted if m.split(".")[0] in heavy} == set()
    ours = {m for m in painted if m.split(".")[0] in ("dosecalc", "ui")}
    # The window, its languages and its error texts; nothing of the store, the library or the tabs.
    assert ours <= {"dosecalc", "dosecalc.errors", "ui", "ui.app", "ui.errors", "ui.i18n", "ui.main_window",
                    "ui.print", "ui.print.command", "ui.print.document", "ui.sign_in", "ui.startup",
                    "ui.main_window_actions", "ui.patient_panel"}, ours  # fmt: skip
    # Then open() imported and ran the store and the library before anyone could sign in.
    assert {"sqlalchemy", "pint", "pydantic", "dosecalc.store.records", "dosecalc.regimen.loader"} <= opened
