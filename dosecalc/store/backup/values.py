"""The backup format: name, version, tables in restore order, results, and the row values as JSON.

Also the reads and checksums that writing, reading and restoring share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, select

from dosecalc.store.audit import ChainCheck
from dosecalc.store.db import StoreError
from dosecalc.store.schema import audit_log, metadata

__all__ = ["FORMAT", "FORMAT_VERSION", "BackupResult", "RestoreResult"]


FORMAT = "dosecalc-backup"

FORMAT_VERSION = 1

_SUFFIXES = (".jsonl", ".jsonl.gz", ".sqlite3")

_BATCH = 500

_SQLITE_MAGIC = b"SQLite format 3\x00"

_GZIP_MAGIC = b"\x1f\x8b"

#: Every table, parents before children: the order rows are written and restored in.
TABLES: tuple[Table, ...] = tuple(metadata.sorted_tables)


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    kind: str  # jsonl | jsonl.gz | sqlite3
    sha256: str
    schema_revision: str
    rows: dict[str, int]
    chain: ChainCheck

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "sha256": self.sha256,
            "schema_revision": self.schema_revision,
            "rows": dict(self.rows),
            "audit": {"ok": self.chain.ok, "entries": self.chain.entries, "first_bad_seq": self.chain.first_bad_seq},
        }


@dataclass(frozen=True, slots=True)
class RestoreResult:
    path: Path
    kind: str
    sha256: str | None
    schema_revision: str
    rows: dict[str, int]
    chain: ChainCheck

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "sha256": self.sha256,
            "schema_revision": self.schema_revision,
            "rows": dict(self.rows),
            "audit": {"ok": self.chain.ok, "entries": self.chain.entries, "first_bad_seq": self.chain.first_bad_seq},
        }


def _encode(value: Any) -> Any:
    """A column value as JSON: dates ISO 8601, instants ISO 8601 in UTC (SQLite hands them back without zone)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)  # the store writes UTC; SQLite drops the zone
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decode(table: Table, row: Mapping[str, Any], where: str) -> dict[str, Any]:
    names = {c.name for c in table.columns}
    if set(row) != names:
        problems = [f"missing {', '.join(sorted(names - set(row)))}" if names - set(row) else "",
                    f"unknown {', '.join(sorted(set(row) - names))}" if set(row) - names else ""]  # fmt: skip
        raise StoreError(
            "from",
            where,
            f"does not match table {table.name}: " + "; ".join(p for p in problems if p),
            expected="a backup written at this schema revision",
        )
    out: dict[str, Any] = {}
    for column in table.columns:
        value = row[column.name]
        try:
            if value is not None and isinstance(column.type, DateTime):
                moment = dt.datetime.fromisoformat(value)
                value = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
            elif value is not None and isinstance(column.type, Date):
                value = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise StoreError(
                "from", where, f"has an unreadable {table.name}.{column.name}: {value!r}", expected="an ISO 8601 date"
            ) from None
        out[column.name] = value
    return out


def _line(value: Any) -> bytes:
    try:
        return (json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode()
    except ValueError as error:  # NaN or infinity: nothing the store writes; refuse rather than guess
        raise StoreError("out", None, f"cannot be written: {error}", expected="finite numbers only") from None


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=_BATCH)
    for row in connection.execute(query).mappings():
        yield {name: _encode(value) for name, value in row.items()}


def _last_hash(connection: Connection) -> str | None:
    return connection.execute(select(audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)).scalar()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
