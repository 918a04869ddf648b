"""The record-store command line, end to end through ``dosecalc.cli.main``, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import importlib.util
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from dosecalc.cli import main
from dosecalc.store.audit import Actor
from dosecalc.store.records import open_store
from tests.store.conftest import TODAY

REGIMEN = "escc-nct07016737"
ENVIRONMENT = ("DOSECALC_PASSWORD", "DOSECALC_NEW_PASSWORD", "DOSECALC_DATABASE_URL")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


class Cli:
    """Runs ``dosecalc`` in-process against one database and keeps what it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str], url: str) -> None:
        self.capsys = capsys
        self.url = url
        self.out = ""
        self.err = ""

    def __call__(self, *argv: str, db: str | None = None) -> int:
        self.capsys.readouterr()
        code = main([*argv, "--db", db or self.url])
        self.out, self.err = self.capsys.readouterr()
        return code

    def json(self, *argv: str, db: str | None = None, status: int = 0) -> Any:
        code = self(*argv, "--json", db=db)
        assert code == status, (code, self.err)
        return json.loads(self.out)

    def refused(self, field: str, *argv: str, db: str | None = None) -> str:
        """Exit 2, one line on stderr naming ``field``; returns that line."""
        code = self(*argv, "--json", db=db)
        assert code == 2, (code, self.out, self.err)
        assert json.loads(self.out)["error"]["field"] == field, self.out
        assert self.err.count("\n") == 1, self.err
        assert self.err.startswith(f"{field}: "), self.err
        return self.err.strip()


def _password_file(tmp_path: Path, name: str, password: str) -> str:
    path = tmp_path / f"{name}.password"
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def fresh_url(store_url: str, tmp_path: Path, postgres_cluster: Any) -> Callable[[], str]:
    """Another new, empty database on the same backend as ``store_url``."""
    made = iter(range(1, 100))

    def make() -> str:
        if store_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'other-{next(made)}.sqlite3'}"
        return str(postgres_cluster.create_database())

    return make


@pytest.fixture
def ward(capsys: pytest.CaptureFixture[str], store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A store with an administrator (admin), a pharmacist (li), a nurse (zhao) and patient H001."""
    cli = Cli(capsys, store_url)
    monkeypatch.setenv("DOSECALC_PASSWORD", "admin-password")
    created = cli.json("user", "add", "--username", "admin", "--full-name", "Ada Admin", "--role", "administrator")
    assert created["first_user"] is True
    assert created["user"] == {"id": 1, "username": "admin", "full_name": "Ada Admin", "role": "administrator"}
    monkeypatch.setenv("DOSECALC_NEW_PASSWORD", "li-password")
    cli.json("user", "add", "--user", "admin", "--username", "li", "--full-name", "Li Na", "--role", "pharmacist")
    monkeypatch.delenv("DOSECALC_NEW_PASSWORD")
    zhao = _password_file(tmp_path, "zhao-new", "zhao-password")
    added = cli.json("user", "add", "--user", "admin", "--username", "zhao", "--full-name", "Zhao Min",
                     "--role", "nurse", "--new-password-file", zhao)  # fmt: skip
    assert added["first_user"] is False
    monkeypatch.setenv("DOSECALC_PASSWORD", "li-password")
    patient = cli.json("patient", "add", "--user", "li", "--hospital-number", "H001", "--name", "张伟",
                       "--dob", "1962-03-04", "--sex", "male", "--allergies", "no known allergies",
                       "--diagnosis", "ESCC, mid-thoracic")  # fmt: skip
    assert patient["patient"]["hospital_number"] == "H001"
    assert patient["patient"]["language"] == "zh_CN"
    return cli


def _counts(url: str) -> dict[str, int]:
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            return {
                name: int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar() or 0)
                for name in ("users", "patients", "measurements", "plans", "orders", "administrations", "audit_log")
            }
    finally:
        store.engine.dispose()


def _execute(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------------------------- the whole flow


def test_the_whole_flow(
    ward: Cli, tmp_path: Path, fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = ward
    li = _password_file(tmp_path, "li", "li-password")
    monkeypatch.delenv("DOSECALC_PASSWORD")  # from here the pharmacist's password comes from a file
    signed = ("--user", "li", "--password-file", li)
    today = TODAY.isoformat()

    # patients
    details = ("--name", "王芳", "--sex", "female", "--allergies", "penicillin", "--diagnosis", "ESCC")
    cli.refused("hospital-number", "patient", "add", *signed, "--hospital-number", "H001", *details,
                "--dob", "1970-01-01")  # fmt: skip
    cli.refused("dob", "patient", "add", *signed, "--hospital-number", "H002", *details, "--dob", "1870-01-01")
    cli.json("patient", "add", *signed, "--hospital-number", "H002", "--name", "王芳", "--dob", "1970-01-01",
             "--sex", "female", "--allergies", "penicillin", "--diagnosis", "ESCC", "--language", "en")  # fmt: skip
    listed = cli.json("patient", "list")
    assert sorted(p["hospital_number"] for p in listed["patients"]) == ["H001", "H002"]
    assert [p["hospital_number"] for p in cli.json("patient", "list", "--search", "张")["patients"]] == ["H001"]
    assert cli("patient", "list", "--search", "nobody") == 0
    assert "no patients match 'nobody'" in cli.out

    # measurements: the unit slip is refused naming the field to fix
    for kind, value in (("height", "168 cm"), ("weight", "61 kg"), ("creatinine", "78 µmol/L"), ("anc", "2.1 x10^9/L")):
        made = cli.json("measure", "H001", *signed, "--kind", kind, "--value", value, "--date", today)
        assert made["measurement"]["value"] == value
    slip = cli.refused("value", "measure", "H001", *signed, "--kind", "creatinine", "--value", "80 mg/dL",
                       "--date", today)  # fmt: skip
    assert "did you mean 80 µmol/L?" in slip
    cli.refused("value", "measure", "H001", *signed, "--kind", "weight", "--value", "61 cm", "--date", today)
    cli.refused("kind", "measure", "H001", *signed, "--kind", "bmi", "--value", "22 kg/m**2", "--date", today)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    cli.refused("date", "measure", "H001", *signed, "--kind", "weight", "--value", "61 kg", "--date", tomorrow)
    cli.refused("patient", "measure", "H999", *signed, "--kind", "weight", "--value", "61 kg", "--date", today)
    stated = cli.json("measure", "H001", *signed, "--kind", "weight", "--value", "62 kg", "--date", today,
                      "--source", "stated")  # fmt: skip
    assert stated["measurement"]["source"] == "stated"

    # plans: the regimen version is pinned; a choice the regimen does not have is refused
    start = (TODAY + dt.timedelta(days=2)).isoformat()
    plan_args = ("plan", "create", "H001", *signed, "--regimen", REGIMEN, "--start", start)
    assert "chemo=paclitaxl" in cli.refused("choose", *plan_args, "--choose", "pd1=sintilimab",
                                            "--choose", "chemo=paclitaxl")  # fmt: skip
    cli.refused("choose", *plan_args, "--choose", "pd1=sintilimab", "--choose", "chemotherapy=paclitaxel")
    assert "(chemo)" in cli.refused("choose", *plan_args, "--choose", "pd1=sintilimab")
    cli.refused(
        "version", *plan_args, "--version", "9.9.9", "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel"
    )
    cli.refused("regimen", "plan", "create", "H001", *signed, "--regimen", "escc-nope", "--start", start)
    cli.refused("phase-start", *plan_args, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel",
                "--phase-start", "rescue=2027-06-07")  # fmt: skip
    cli.refused("bsa-formula", *plan_args, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel",
                "--bsa-formula", "guesswork")  # fmt: skip
    plan = cli.json(*plan_args, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel",
                    "--version", "1.0.0", "--bsa-formula", "dubois")["plan"]  # fmt: skip
    assert plan["regimen"] == {"id": REGIMEN, "version": "1.0.0", "status": plan["regimen"]["status"]}
    assert plan["choices"] == {"pd1": "sintilimab", "chemo": "paclitaxel"}
    assert plan["policies"] == {"bsa_formula": "dubois"}

    # an order saved through the store (the CLI has no order command yet), so show lists its status
    store = open_store(cli.url)
    try:
        li_user = store.authenticate("li", "li-password")
        order_id = store.save_order(Actor(li_user.id, li_user.username), plan["id"], "induction", 1,
                                    {"weight": "61 kg"}, {"lines": []})  # fmt: skip
    finally:
        store.engine.dispose()

    # administrations
    given = cli.json("give", "H001", *signed, "--drug", "sintilimab", "--status", "given", "--dose", "200 mg",
                     "--date", today, "--bsa", "1.7 m**2", "--order", str(order_id))["administration"]  # fmt: skip
    assert given["dose"] == {"value": 200.0, "unit": "mg"}
    assert given["bsa"] == {"value": 1.7, "unit": "m**2"}
    cli.json("give", "H001", *signed, "--drug", "paclitaxel", "--status", "held", "--date", today,
             "--note", "ANC low")  # fmt: skip
    cli.refused("note", "give", "H001", *signed, "--drug", "paclitaxel", "--status", "modified", "--dose", "250 mg",
                "--date", today)  # fmt: skip
    cli.refused("dose", "give", "H001", *signed, "--drug", "paclitaxel", "--status", "given",
                "--dose", "175 mg/m**2", "--date", today)  # fmt: skip
    cli.refused("dose", "give", "H001", *signed, "--drug", "paclitaxel", "--status", "given", "--date", today)
    cli.refused("dose", "give", "H001", *signed, "--drug", "paclitaxel", "--status", "held", "--dose", "1 mg",
                "--date", today)  # fmt: skip
    cli.refused("drug", "give", "H001", *signed, "--drug", "aspirin", "--status", "given", "--dose", "100 mg",
                "--date", today)  # fmt: skip
    cli.refused("order", "give", "H002", *signed, "--drug", "sintilimab", "--status", "given", "--dose", "200 mg",
                "--date", today, "--order", str(order_id))  # fmt: skip
    cli.refused("status", "give", "H001", *signed, "--drug", "sintilimab", "--status", "spilled",
                "--dose", "200 mg", "--date", today)  # fmt: skip

    # show: both identifiers, latest measurements with dates and sources, plans, orders with status, doses
    shown = cli.json("patient", "show", "H001")
    assert shown["patient"]["hospital_number"] == "H001"
    assert shown["patient"]["name"] == "张伟"
    assert shown["patient"]["date_of_birth"] == "1962-03-04"
    assert shown["read_only"] is False
    assert shown["measurements"]["weight"] == {"id": shown["measurements"]["weight"]["id"], "kind": "weight",
                                               "value": "62 kg", "measured_on": today, "source": "stated"}  # fmt: skip
    assert set(shown["measurements"]) == {"height", "weight", "creatinine", "anc"}
    assert [p["id"] for p in shown["plans"]] == [plan["id"]]
    assert [(o["id"], o["status"]) for o in shown["orders"]] == [(order_id, "calculated")]
    assert [(a["drug"], a["status"]) for a in shown["administrations"]] == [("sintilimab", "given"),
                                                                            ("paclitaxel", "held")]  # fmt: skip
    assert cli("patient", "show", "H001") == 0
    assert "张伟, born 1962-03-04, male, hospital number H001" in cli.out
    assert f"weight: 62 kg on {today} (stated)" in cli.out
    assert f"order {order_id}: plan {plan['id']}, induction cycle 1 [calculated]" in cli.out
    assert f"{today} sintilimab 200 mg given, BSA 1.7 m², order {order_id}" in cli.out

    # the audit trail
    assert cli("audit", "verify") == 0
    entries = cli.json("audit", "verify")["audit"]["entries"]
    assert entries >= 12
    assert cli("audit", "verify") == 0
    assert cli.out.strip() == f"audit trail intact: {entries} entries"

    # backup → restore into a fresh database: the chain stays valid and every count is the same
    for name in ("ward.jsonl", "ward.jsonl.gz"):
        out = tmp_path / name
        backed = cli.json("backup", "--out", str(out))["backup"]
        assert backed["audit"] == {"ok": True, "entries": entries, "first_bad_seq": None}
        assert len(backed["sha256"]) == 64
        target = fresh_url()
        restored = cli.json("restore", "--from", str(out), db=target)["restore"]
        assert restored["rows"] == backed["rows"]
        assert restored["audit"]["ok"] is True
        assert cli("audit", "verify", db=target) == 0
        assert cli.out.strip() == f"audit trail intact: {entries} entries"
        assert _counts(target) == _counts(cli.url)
        assert cli.json("patient", "show", "H001", db=target)["administrations"] == shown["administrations"]
    assert (tmp_path / "ward.jsonl").stat().st_mode & 0o077 == 0  # only its owner may read a backup

    # the restored store keeps working: ids continue after the restored ones, the chain stays valid
    cli.json("patient", "add", *signed, "--hospital-number", "H003", "--name", "赵强", "--dob", "1955-05-05",
             "--sex", "male", "--allergies", "no known allergies", "--diagnosis", "ESCC", db=target)  # fmt: skip
    assert cli.json("patient", "show", "H003", db=target)["patient"]["id"] == 3
    assert cli("audit", "verify", db=target) == 0

    # tampering with an audit row is found, naming the entry and the patient; the record becomes read-only
    _execute(cli.url, "UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 5")
    broken = cli.refused("audit", "audit", "verify")
    assert "entry 5" in broken
    assert "H001 (id 1)" in broken
    assert json.loads(cli.out)["error"]["params"]["first_bad_seq"] == 5
    assert cli("audit", "verify") == 2
    cli.refused("patient", "measure", "H001", *signed, "--kind", "weight", "--value", "60 kg", "--date", today)
    assert cli.json("patient", "show", "H001")["read_only"] is True

    # a backup of a broken store restores only when asked to keep the evidence as it is
    evidence = tmp_path / "evidence.jsonl"
    assert cli.json("backup", "--out", str(evidence))["backup"]["audit"]["ok"] is False
    target = fresh_url()
    assert "already broken at entry 5" in cli.refused("from", "restore", "--from", str(evidence), db=target)
    assert (
        cli.json("restore", "--from", str(evidence), "--accept-broken-trail", db=target)["restore"]["audit"][
            "first_bad_seq"
        ]
        == 5
    )
    assert "entry 5" in cli.refused("audit", "audit", "verify", db=target)


# ----------------------------------------------------------------------------------------------- who is acting


def test_password_from_the_environment_or_a_file_never_the_command_line(
    ward: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = ward
    today = TODAY.isoformat()
    weight = ("measure", "H001", "--kind", "weight", "--value", "61 kg", "--date", today)
    monkeypatch.setenv("DOSECALC_PASSWORD", "li-password")
    assert cli(*weight, "--user", "li") == 0
    monkeypatch.setenv("DOSECALC_PASSWORD", "not-her-password")
    assert "does not match" in cli.refused("password", *weight, "--user", "li")
    assert cli(*weight, "--user", "li", "--password-file", _password_file(tmp_path, "li", "li-password")) == 0
    cli.refused("password", *weight, "--user", "li", "--password-file", _password_file(tmp_path, "x", "wrong-one"))
    cli.refused("password", *weight, "--user", "nobody")
    cli.refused("password-file", *weight, "--user", "li", "--password-file", str(tmp_path / "missing"))
    cli.refused("password-file", *weight, "--user", "li", "--password-file", _password_file(tmp_path, "empty", ""))
    monkeypatch.delenv("DOSECALC_PASSWORD")
    cli.refused("password", *weight, "--user", "li")
    cli.refused("user", *weight)
    line = cli.refused("password", *weight, "--user", "li", "--password", "li-password")
    assert "shell history" in line
    assert "li-password" not in cli.out + cli.err
    cli.refused("password", "patient", "list", "--password", "li-password")
    assert "li-password" not in cli.out + cli.err
    bom = tmp_path / "notepad.password"
    bom.write_text("li-password\r\n", encoding="utf-8-sig")
    assert cli(*weight, "--user", "li", "--password-file", str(bom)) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["measure", "--help"])
    assert "no --password option: a password on the command line stays in the shell history" in " ".join(
        capsys.readouterr().out.split()
    )
    assert cli.json("patient", "show", "H001")["measurements"]["weight"]["value"] == "61 kg"


def test_a_nurse_cannot_add_users_and_the_first_user_is_an_administrator(
    ward: Cli, capsys: pytest.CaptureFixture[str], fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = ward
    monkeypatch.setenv("DOSECALC_PASSWORD", "zhao-password")
    monkeypatch.setenv("DOSECALC_NEW_PASSWORD", "wang-password")
    add = ("user", "add", "--username", "wang", "--full-name", "Wang Lei", "--role", "pharmacist")
    assert "only an administrator" in cli.refused("user", *add, "--user", "zhao")
    cli.refused("user", *add)
    monkeypatch.setenv("DOSECALC_PASSWORD", "admin-password")
    cli.refused("role", "user", "add", "--user", "admin", "--username", "wang", "--full-name", "W", "--role", "boss")
    cli.refused("username", *add[:2], "--user", "admin", "--username", "li", "--full-name", "Li", "--role", "nurse")
    monkeypatch.setenv("DOSECALC_NEW_PASSWORD", "short")
    cli.refused("password", *add, "--user", "admin")
    monkeypatch.delenv("DOSECALC_NEW_PASSWORD")
    cli.refused("new-password-file", *add, "--user", "admin")
    assert cli.json("patient", "list")["patients"][0]["hospital_number"] == "H001"

    empty = Cli(capsys, fresh_url())
    cli.refused("role", *add, db=empty.url)  # the first user of an empty store must be an administrator
    first = ("user", "add", "--username", "boss", "--full-name", "B", "--role", "administrator")
    empty.refused("user", *first, "--user", "someone")
    monkeypatch.delenv("DOSECALC_PASSWORD")
    empty.refused("new-password-file", *first)
    monkeypatch.setenv("DOSECALC_NEW_PASSWORD", "boss-password")
    assert empty.json(*first)["first_user"] is True
    monkeypatch.setenv("DOSECALC_PASSWORD", "boss-password")
    monkeypatch.setenv("DOSECALC_NEW_PASSWORD", "wang-password")
    assert empty.json(*add, "--user", "boss")["user"]["role"] == "pharmacist"


def test_the_database_comes_from_the_environment(
    ward: Cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOSECALC_DATABASE_URL", ward.url)
    assert main(["patient", "list", "--json"]) == 0
    assert [p["hospital_number"] for p in json.loads(capsys.readouterr().out)["patients"]] == ["H001"]
    assert main(["patient", "list", "--db", "mysql://x/y"]) == 2
    assert capsys.readouterr().err.startswith("db: ")


def test_a_database_password_is_never_printed(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://ward:s3cret-pw@127.0.0.1:1/nowhere?connect_timeout=1"
    assert main(["patient", "list", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("db: ")
    assert "s3cret-pw" not in err


# ----------------------------------------------------------------------------------------------- ledger


def test_ledger(ward: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("dosecalc.store.ledger") is None:
        pytest.skip("dosecalc/store/ledger.py is not written yet (another change): `dosecalc ledger` is untested")
    cli = ward
    monkeypatch.setenv("DOSECALC_PASSWORD", "li-password")
    today = TODAY.isoformat()
    cli.json("give", "H001", "--user", "li", "--drug", "paclitaxel", "--status", "given", "--dose", "300 mg",
             "--bsa", "1.7 m**2", "--date", today)  # fmt: skip
    ledger = cli.json("ledger", "H001")
    assert isinstance(ledger, dict)
    assert "paclitaxel" in json.dumps(ledger)
    assert ledger["patient"]["hospital_number"] == "H001"
    assert cli("ledger", "H001") == 0
    assert cli.out.startswith(f"Cumulative ledger of 张伟 (H001) on {today}: ")
    assert "  paclitaxel: 176.47 mg/m²" in cli.out
    assert "sintilimab" not in cli.out  # nothing of it was given
    cli.refused("patient", "ledger", "H999")
    cli.refused("on", "ledger", "H001", "--on", "21/11/2026")


# ----------------------------------------------------------------------------------------------- backups


def test_a_damaged_or_misplaced_backup_is_refused(ward: Cli, tmp_path: Path, fresh_url: Callable[[], str]) -> None:
    cli = ward
    good = tmp_path / "good.jsonl"
    cli.json("backup", "--out", str(good))
    assert "already exists" in cli.refused("out", "backup", "--out", str(good))
    cli.refused("out", "backup", "--out", str(tmp_path / "ward.zip"))
    cli.refused("out", "backup", "--out", str(tmp_path / "no-such-folder" / "ward.jsonl"))
    if not cli.url.startswith("sqlite"):
        assert "needs a SQLite store" in cli.refused("out", "backup", "--out", str(tmp_path / "ward.sqlite3"))

    assert "is not empty" in cli.refused("db", "restore", "--from", str(good))
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("".join(lines).replace("张伟", "张三"), encoding="utf-8")
    target = fresh_url()
    assert "SHA-256" in cli.refused("from", "restore", "--from", str(damaged), db=target)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:-1]), encoding="utf-8")
    assert "trailer" in cli.refused("from", "restore", "--from", str(cut), db=target)
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": "world"}\n{"trailer": {}}\n', encoding="utf-8")
    assert "not a DoseCalc backup" in cli.refused("from", "restore", "--from", str(other), db=target)
    cli.refused("from", "restore", "--from", str(tmp_path / "missing.jsonl"), db=target)
    header = json.loads(lines[0])
    header["schema_revision"] = "0000"
    stale = tmp_path / "stale.jsonl.gz"
    with gzip.open(stale, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(header) + "\n")
        handle.write(json.dumps({"trailer": {"rows": {}, "sha256": _sha256(json.dumps(header) + "\n")}}) + "\n")
    assert "schema revision 0000" in cli.refused("from", "restore", "--from", str(stale), db=target)
    assert cli.json("patient", "list", db=target)["patients"] == []  # nothing was written by any refusal
    assert cli.json("restore", "--from", str(good), db=target)["restore"]["audit"]["ok"] is True


def _sha256(content: str) -> str:
    import hashlib

    return hashlib.sha256(content.encode()).hexdigest()


def test_a_ward_moves_from_sqlite_to_postgresql(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, postgres_cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite → PostgreSQL (a JSON-lines backup and a SQLite copy), and back: ids, audit rows and chain intact."""
    if postgres_cluster is None:
        pytest.skip("PostgreSQL is not installed here: the SQLite → PostgreSQL restore is SKIPPED")
    sqlite_url = f"sqlite:///{tmp_path / 'ward.sqlite3'}"
    cli = Cli(capsys, sqlite_url)
    monkeypatch.setenv("DOSECALC_PASSWORD", "admin-password")
    cli.json("user", "add", "--username", "admin", "--full-name", "Ada Admin", "--role", "administrator")
    monkeypatch.setenv("DOSECALC_NEW_PASSWORD", "li-password")
    cli.json("user", "add", "--user", "admin", "--username", "li", "--full-name", "Li Na", "--role", "pharmacist")
    monkeypatch.setenv("DOSECALC_PASSWORD", "li-password")
    signed = ("--user", "li")
    today = TODAY.isoformat()
    for number, name in (("H001", "张伟"), ("H002", "王芳")):
        cli.json("patient", "add", *signed, "--hospital-number", number, "--name", name, "--dob", "1962-03-04",
                 "--sex", "male", "--allergies", "no known allergies", "--diagnosis", "ESCC")  # fmt: skip
        cli.json("measure", number, *signed, "--kind", "weight", "--value", "61 kg", "--date", today)
    cli.json("plan", "create", "H002", *signed, "--regimen", REGIMEN, "--start", today, "--choose", "pd1=sintilimab",
             "--choose", "chemo=docetaxel")  # fmt: skip
    cli.json("give", "H002", *signed, "--drug", "docetaxel", "--status", "given", "--dose", "120 mg", "--date", today,
             "--bsa", "1.62 m**2")  # fmt: skip
    entries = cli.json("audit", "verify")["audit"]["entries"]

    for name in ("ward.jsonl.gz", "copy.sqlite3"):
        out = tmp_path / name
        backed = cli.json("backup", "--out", str(out))["backup"]
        assert backed["kind"] == name.split(".", 1)[1]
        shared = postgres_cluster.create_database()
        restored = cli.json("restore", "--from", str(out), db=shared)["restore"]
        assert restored["rows"] == backed["rows"]
        assert cli.json("audit", "verify", db=shared)["audit"] == {"ok": True, "entries": entries}
        assert _counts(shared) == _counts(sqlite_url)
        assert cli.json("patient", "show", "H002", db=shared) | {"db": None} == cli.json("patient", "show", "H002") | {
            "db": None
        }
        # the shared server carries on: sequences continue after the restored ids
        cli.json("patient", "add", *signed, "--hospital-number", "H003", "--name", "赵强", "--dob", "1955-05-05",
                 "--sex", "male", "--allergies", "no known allergies", "--diagnosis", "ESCC", db=shared)  # fmt: skip
        assert cli.json("patient", "show", "H003", db=shared)["patient"]["id"] == 3
        assert cli.json("audit", "verify", db=shared)["audit"]["entries"] == entries + 1

    # and back again: PostgreSQL → SQLite is the same format
    back = tmp_path / "back.jsonl"
    cli.json("backup", "--out", str(back), db=shared)
    again = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    cli.json("restore", "--from", str(back), db=again)
    assert cli.json("audit", "verify", db=again)["audit"] == {"ok": True, "entries": entries + 1}
    assert _counts(again) == _counts(shared)

    # a SQLite copy whose checksum file no longer matches is refused
    copy = tmp_path / "copy.sqlite3"
    Path(f"{copy}.sha256").write_text("0" * 64 + "  copy.sqlite3\n", encoding="utf-8")
    assert ".sha256" in cli.refused("from", "restore", "--from", str(copy), db=postgres_cluster.create_database())


def _rewrite(source: Path, target: Path, edit: Callable[[list[Any]], list[Any]]) -> str:
    """``source`` with its lines (all but the trailer) edited, re-hashed so only the edit is wrong."""
    items = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in edit(items[:-1]))
    trailer = {"trailer": {**items[-1]["trailer"], "sha256": _sha256(body)}}
    target.write_text(body + json.dumps(trailer) + "\n", encoding="utf-8")
    return str(target)


def test_every_line_of_a_backup_is_checked(ward: Cli, tmp_path: Path, fresh_url: Callable[[], str]) -> None:
    cli = ward
    good = tmp_path / "good.jsonl"
    cli.json("backup", "--out", str(good))
    target = fresh_url()

    def patient_row(items: list[Any]) -> dict[str, Any]:
        return next(i["row"] for i in items[1:] if i["table"] == "patients")

    def extra_column(items: list[Any]) -> list[Any]:
        patient_row(items)["nickname"] = "Wei"
        return items

    def bad_date(items: list[Any]) -> list[Any]:
        patient_row(items)["date_of_birth"] = "yesterday"
        return items

    def unknown_table(items: list[Any]) -> list[Any]:
        return [*items, {"table": "secrets", "row": {}}]

    def one_row_less(items: list[Any]) -> list[Any]:
        return [i for i in items if i.get("table") != "patients"]

    def newer_format(items: list[Any]) -> list[Any]:
        items[0]["format_version"] = 2
        return items

    for edit, words in (
        (extra_column, "unknown nickname"),
        (bad_date, "unreadable patients.date_of_birth"),
        (unknown_table, "is not a row of a DoseCalc table"),
        (one_row_less, "does not hold the rows its trailer counts"),
        (newer_format, "has backup format 2"),
    ):
        path = _rewrite(good, tmp_path / f"{edit.__name__}.jsonl", edit)
        assert words in cli.refused("from", "restore", "--from", path, db=target), edit.__name__
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text(good.read_text(encoding="utf-8").replace('{"table"', "{table", 1), encoding="utf-8")
    assert "is not a JSON line" in cli.refused("from", "restore", "--from", str(garbage), db=target)
    not_a_store = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(not_a_store)) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    assert "is not a DoseCalc store" in cli.refused("from", "restore", "--from", str(not_a_store), db=target)
    assert cli.json("patient", "list", db=target)["patients"] == []
    assert cli.json("restore", "--from", str(good), db=target)["restore"]["rows"]["patients"] == 1


def test_a_sqlite_copy_restores_without_its_checksum_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(capsys, f"sqlite:///{tmp_path / 'ward.sqlite3'}")
    monkeypatch.setenv("DOSECALC_PASSWORD", "admin-password")
    cli.json("user", "add", "--username", "admin", "--full-name", "Ada Admin", "--role", "administrator")
    copy = tmp_path / "copy.sqlite3"
    assert cli.json("backup", "--out", str(copy))["backup"]["kind"] == "sqlite3"
    assert (tmp_path / "copy.sqlite3.sha256").read_text(encoding="utf-8").endswith("  copy.sqlite3\n")
    Path(f"{copy}.sha256").unlink()
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restored = cli.json("restore", "--from", str(copy), db=target)["restore"]
    assert restored["sha256"] is None
    assert restored["rows"]["users"] == 1
    assert cli.json("audit", "verify", db=target)["audit"] == {"ok": True, "entries": 1}


def test_more_refusals(ward: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = ward
    monkeypatch.setenv("DOSECALC_PASSWORD", "li-password")
    signed = ("--user", "li")
    today = TODAY.isoformat()
    cli.refused("language", "patient", "add", *signed, "--hospital-number", "H005", "--name", "王芳",
                "--dob", "1970-01-01", "--sex", "female", "--allergies", "none known", "--diagnosis", "ESCC",
                "--language", "fr")  # fmt: skip
    plan = ("plan", "create", "H001", *signed, "--start", today)
    chosen = ("--regimen", REGIMEN, "--choose", "pd1=sintilimab", "--choose", "chemo=paclitaxel")
    cli.refused("phase-start", *plan, *chosen, "--phase-start", "salvage")
    cli.refused("phase-start", *plan, *chosen, "--phase-start", "salvage=2027-06-07", "--phase-start",
                "salvage=2027-07-07")  # fmt: skip
    cli.refused("phase-start", *plan, *chosen, "--phase-start", "salvage=07/06/2027")
    assert "(rt)" in cli.refused("choose", *plan, *chosen, "--phase-start", "salvage=2027-06-07")
    cli.refused("start", "plan", "create", "H001", *signed, *chosen, "--start", "tomorrow")
    cli.refused("choose", *plan, "--regimen", "escc-2l-irinotecan", "--choose", "pd1=sintilimab")
    assert cli(*plan, "--regimen", "escc-2l-irinotecan") == 0
    assert "is a draft" in cli.out
    cli.refused("order", "give", "H001", *signed, "--drug", "sintilimab", "--status", "given", "--dose", "200 mg",
                "--date", today, "--order", "1.5")  # fmt: skip
    cli.refused("order", "give", "H001", *signed, "--drug", "sintilimab", "--status", "given", "--dose", "200 mg",
                "--date", today, "--order", "99")  # fmt: skip
    assert cli("give", "H001", *signed, "--drug", "sintilimab", "--status", "given", "--dose", "200 mg",
               "--date", today) == 0  # fmt: skip
    assert cli("ledger", "H001") == 0
    assert "sintilimab: 200 mg given" in cli.out
    monkeypatch.setitem(sys.modules, "dosecalc.store.ledger", None)  # as before the ledger existed
    assert "not available" in cli.refused("ledger", "ledger", "H001")
