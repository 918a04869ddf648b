"""``dosecalc audit verify``, ``dosecalc backup`` and ``dosecalc restore``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.records.access import _action, _common, _db_text, _nested, _opened

__all__ = ["register"]


def _cmd_audit_verify(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from sqlalchemy import select

    from dosecalc.store.db import StoreError
    from dosecalc.store.schema import patients

    with _opened(args) as store:
        check = store.check_chain()
        if not check.ok:
            with store.engine.connect() as connection:
                numbers = dict(
                    connection.execute(
                        select(patients.c.id, patients.c.hospital_number).where(patients.c.id.in_(check.patient_ids))
                    ).all()
                )
            affected = ", ".join(f"{numbers.get(p, '?')} (id {p})" for p in sorted(check.patient_ids)) or "none"
            raise StoreError(
                "audit",
                None,
                f"trail broken at entry {check.first_bad_seq}: {check.problem}; affected patients: {affected}; "
                "their records are read-only",
                expected="an administrator to investigate (compare with the last good backup)",
                code="audit.broken",
                params={"first_bad_seq": check.first_bad_seq, "entries": check.entries, "patients": affected},
            )
        payload = {"audit": {"ok": True, "entries": check.entries}, "db": _db_text(store)}
    return payload, [check.one_line()]


def _cmd_backup(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.backup import backup

    with _opened(args) as store:
        result = backup(store, Path(args.out))
        payload = {"backup": result.to_json(), "db": _db_text(store)}
    total = sum(result.rows.values())
    summary = [
        f"backup written to {result.path} ({result.kind}): {total} rows in {len(result.rows)} tables, "
        f"schema revision {result.schema_revision}",
        result.chain.one_line(),
        f"SHA-256: {result.sha256}",
    ]
    return payload, summary


def _cmd_restore(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.backup import restore

    with _opened(args) as store:
        result = restore(store, Path(args.source), accept_broken_trail=args.accept_broken_trail)
        payload = {"restore": result.to_json(), "db": _db_text(store)}
    counts = ", ".join(f"{n} {name}" for name, n in result.rows.items() if n) or "no rows"
    return payload, [f"restored {result.path} into {payload['db']}: {counts}", result.chain.one_line()]


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``dosecalc audit verify``, ``dosecalc backup`` and ``dosecalc restore``."""
    audit = _nested(sub, "audit", "The audit trail.")
    _action(
        audit,
        "verify",
        "Recompute the audit chain: exit 0 if intact, else exit 2 naming the first bad entry.",
        _cmd_audit_verify,
        writes=False,
    )

    p = command("backup", "Write a backup of the whole store (JSON lines, gzip, or a SQLite copy).", _cmd_backup)
    _common(p, writes=False)
    p.add_argument(
        "--out", required=True, help="FILE.jsonl, FILE.jsonl.gz, or (SQLite store) FILE.sqlite3; never overwritten"
    )

    p = command("restore", "Restore a backup into an empty store (--db), checking the audit chain.", _cmd_restore)
    _common(p, writes=False)
    p.add_argument("--from", dest="source", required=True, metavar="FILE", help="a file written by dosecalc backup")
    p.add_argument(
        "--accept-broken-trail",
        action="store_true",
        help="restore a backup whose audit trail was already broken, exactly as it is (the evidence)",
    )
