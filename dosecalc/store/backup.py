"""Backup and restore of the record store, keeping the audit chain valid (SQLite and PostgreSQL, either way).

A backup is a portable dump: JSON lines, gzip-compressed when the name ends in ``.jsonl.gz``. Line 1 is a
header (format, schema revision, the tables in the order they are restored, the audit chain's state);
then one line per row, ``{"table": ..., "row": {...}}``, every table in primary-key order; the last line
is a trailer with the row counts and the SHA-256 of every line before it. Dates are ISO 8601, instants
ISO 8601 in UTC; audit entries are copied exactly as stored, so their hashes still match.

For a SQLite store, a name ending in ``.sqlite3`` makes a page-level copy with SQLite's online backup API
instead (a single file, opened as a store of its own), with a ``.sha256`` file beside it.

:func:`restore` loads either kind into an empty, migrated store (SQLite or PostgreSQL: a ward moving to a
shared server restores its SQLite backup into PostgreSQL), preserving every id and every audit row,
resets PostgreSQL's id sequences, and verifies the restored chain against the backup before it commits:
all or nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Date, DateTime, Engine, Integer, Table, create_engine, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from dosecalc import __version__
from dosecalc.store.audit import ChainCheck, verify_chain
from dosecalc.store.db import StoreError, current_revision, transaction
from dosecalc.store.schema import audit_log, metadata

if TYPE_CHECKING:
    from dosecalc.store.records import Store

__all__ = ["FORMAT", "FORMAT_VERSION", "BackupResult", "RestoreResult", "backup", "restore"]

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


# ----------------------------------------------------------------------------------------------- values


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


# ----------------------------------------------------------------------------------------------- backup


def _kind(path: Path, field: str) -> str:
    name = path.name.lower()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix[1:]
    raise StoreError(
        field, str(path), "has no backup extension", expected="FILE.jsonl, FILE.jsonl.gz or (SQLite) FILE.sqlite3"
    )


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One consistent read of the whole store: a REPEATABLE READ snapshot on PostgreSQL, a locked read on SQLite."""
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection
    except SQLAlchemyError as error:
        raise StoreError(
            "db",
            engine.url.render_as_string(hide_password=True),
            f"cannot be read: {str(error).splitlines()[0]}",
            expected="a reachable database",
        ) from None


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=_BATCH)
    for row in connection.execute(query).mappings():
        yield {name: _encode(value) for name, value in row.items()}


def _last_hash(connection: Connection) -> str | None:
    return connection.execute(select(audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)).scalar()


def _chain_json(chain: ChainCheck, last_hash: str | None) -> dict[str, Any]:
    return {"ok": chain.ok, "entries": chain.entries, "first_bad_seq": chain.first_bad_seq, "last_hash": last_hash}


def _writable_target(path: Path) -> None:
    if path.exists():
        raise StoreError("out", str(path), "already exists", expected="a new file name: a backup never overwrites")
    if not path.parent.is_dir():
        raise StoreError("out", str(path), "is in a folder that does not exist", expected="an existing folder")


def backup(store: Store, path: Path | str) -> BackupResult:
    """Write every table of ``store`` to ``path``: JSON lines, gzip or (SQLite) a page copy; see the module."""
    path = Path(path)
    kind = _kind(path, "out")
    _writable_target(path)
    engine = store.engine
    if kind == "sqlite3":
        return _backup_sqlite_copy(engine, path)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        # Created readable by its owner only: a backup holds patient records and password hashes.
        with _snapshot(engine) as connection, os.fdopen(_private(partial), "wb") as raw:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            chain = verify_chain(connection)
            header = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_revision": revision,
                "app_version": __version__,
                "dialect": connection.dialect.name,
                "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "tables": [t.name for t in TABLES],
                "audit": _chain_json(chain, _last_hash(connection)),
            }
            counts: dict[str, int] = {}
            out: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if kind == "jsonl.gz" else raw
            try:
                data = _line(header)
                digest.update(data)
                out.write(data)
                for table in TABLES:
                    counts[table.name] = 0
                    for row in _rows(connection, table):
                        data = _line({"table": table.name, "row": row})
                        digest.update(data)
                        out.write(data)
                        counts[table.name] += 1
                out.write(_line({"trailer": {"rows": counts, "sha256": digest.hexdigest()}}))
            finally:
                if out is not raw:
                    out.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except OSError as error:
        raise StoreError(
            "out", str(path), f"cannot be written: {error.strerror or error}", expected="a writable file path"
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, kind, digest.hexdigest(), str(revision), counts, chain)


def _private(path: Path) -> int:
    """A new file only its owner may read (on POSIX; Windows keeps the folder's permissions)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)


def _backup_sqlite_copy(engine: Engine, path: Path) -> BackupResult:
    if engine.dialect.name != "sqlite":
        raise StoreError(
            "out",
            str(path),
            "is a SQLite copy, which needs a SQLite store",
            expected="FILE.jsonl or FILE.jsonl.gz for a PostgreSQL store",
        )
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        raw = engine.raw_connection()
        try:
            os.close(_private(partial))
            destination = sqlite3.connect(partial)
            try:
                raw.driver_connection.backup(destination)  # type: ignore[union-attr]
                destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                destination.close()
        finally:
            raw.close()
        source = _read_sqlite(partial)
        digest = _file_sha256(partial)
        os.replace(partial, path)
        Path(f"{path}.sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            "out",
            str(path),
            f"cannot be written: {getattr(error, 'strerror', None) or error}",
            expected="a writable file path",
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, "sqlite3", digest, source.revision, source.counts, source.chain)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------------------------- reading


@dataclass
class _Source:
    """A backup checked end to end before anything is written: header facts, counts, digest."""

    kind: str
    revision: str
    counts: dict[str, int]
    chain: ChainCheck
    last_hash: str | None
    sha256: str | None


def _read_sqlite(path: Path) -> _Source:
    engine = create_engine(f"sqlite:///{path}")
    try:
        revision = current_revision(engine)
        with engine.connect() as connection:
            counts = {
                t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0) for t in TABLES
            }
            chain = verify_chain(connection)
            last = _last_hash(connection)
    except Exception as error:
        raise StoreError("from", str(path), f"is not a DoseCalc store: {error}", expected="a backup file") from None
    finally:
        engine.dispose()
    if revision is None:
        raise StoreError("from", str(path), "is not a DoseCalc store", expected="a backup file")
    return _Source("sqlite3", revision, counts, chain, last, None)


def _open_lines(path: Path) -> io.BufferedIOBase:
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == _GZIP_MAGIC else path.open("rb")


def _parse(data: bytes, path: Path, number: int) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise StoreError("from", f"{path}, line {number}", "is not a JSON line", expected="a DoseCalc backup") from None


def _read_jsonl(path: Path) -> _Source:
    """Check the whole file: header, every line's table, the counts and the SHA-256 in the trailer."""
    digest = hashlib.sha256()
    header: Any = None
    counts: dict[str, int] = {}
    previous: bytes | None = None
    number = 0
    known = {t.name for t in TABLES}
    try:
        with _open_lines(path) as handle:
            for number, data in enumerate(handle, start=1):
                if previous is not None:
                    digest.update(previous)
                    item = _parse(previous, path, number - 1)
                    if header is None:
                        header = item
                        if not isinstance(header, dict) or header.get("format") != FORMAT:
                            raise StoreError("from", str(path), "is not a DoseCalc backup", expected="a backup file")
                    else:
                        table = item.get("table") if isinstance(item, dict) else None
                        if table not in known or not isinstance(item.get("row"), dict):
                            raise StoreError(
                                "from", f"{path}, line {number - 1}", "is not a row of a DoseCalc table",
                                expected="a DoseCalc backup",
                            )  # fmt: skip
                        counts[table] = counts.get(table, 0) + 1
                previous = data
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise StoreError(
            "from", str(path), f"cannot be read: {getattr(error, 'strerror', None) or error}", expected="a backup file"
        ) from None
    last = _parse(previous, path, number) if previous is not None else None
    trailer = last.get("trailer") if isinstance(last, dict) else None
    if header is None or not isinstance(trailer, dict):
        raise StoreError("from", str(path), "is incomplete: it has no trailer", expected="a whole backup file")
    if header.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            "from",
            str(path),
            f"has backup format {header.get('format_version')}",
            expected=f"format {FORMAT_VERSION} (restore it with the DoseCalc version that wrote it)",
        )
    if trailer.get("sha256") != digest.hexdigest():
        raise StoreError(
            "from", str(path), "does not match its SHA-256: it was changed or damaged", expected="an intact backup"
        )
    if {k: v for k, v in (trailer.get("rows") or {}).items() if v} != counts:
        raise StoreError("from", str(path), "does not hold the rows its trailer counts", expected="an intact backup")
    audit = header.get("audit") or {}
    chain = ChainCheck(bool(audit.get("ok")), int(audit.get("entries") or 0), audit.get("first_bad_seq"))
    return _Source(
        "jsonl.gz" if path.name.lower().endswith(".gz") else "jsonl",
        str(header.get("schema_revision")),
        {t.name: counts.get(t.name, 0) for t in TABLES},
        chain,
        audit.get("last_hash"),
        digest.hexdigest(),
    )


def _jsonl_rows(path: Path, sha256: str | None) -> Iterator[tuple[Table, dict[str, Any]]]:
    """The rows, read a second time; the digest is checked again so the file cannot change in between."""
    tables = {t.name: t for t in TABLES}
    digest = hashlib.sha256()
    with _open_lines(path) as handle:
        for number, data in enumerate(handle, start=1):
            item = _parse(data, path, number)
            if "trailer" in item:
                break
            digest.update(data)
            if number == 1:
                continue
            table = tables[item["table"]]
            yield table, _decode(table, item["row"], f"{path}, line {number}")
    if digest.hexdigest() != sha256:
        raise StoreError("from", str(path), "changed while it was being restored", expected="a backup left alone")


def _sqlite_rows(path: Path) -> Iterator[tuple[Table, dict[str, Any]]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            for table in TABLES:
                for row in _rows(connection, table):
                    yield table, _decode(table, row, f"{path}, table {table.name}")
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------------------------- restore


def _counts(connection: Connection) -> dict[str, int]:
    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0) for t in TABLES}


def _refuse_non_empty(connection: Connection, where: str) -> None:
    filled = {name: count for name, count in _counts(connection).items() if count}
    if filled:
        listed = ", ".join(f"{count} {name}" for name, count in filled.items())
        raise StoreError(
            "db",
            where,
            f"is not empty ({listed})",
            expected="a new, empty database: restore never merges or overwrites",
        )


def _reset_sequences(connection: Connection) -> None:
    """After explicit ids, PostgreSQL's sequences must continue after the largest id restored."""
    for table in TABLES:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer):
            continue
        column = columns[0]
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": column.name}
        ).scalar()
        if sequence is None:
            continue
        largest = connection.execute(select(func.max(column))).scalar()
        connection.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
            {"sequence": sequence, "next": int(largest or 0) + 1},
        )


def restore(store: Store, path: Path | str, *, accept_broken_trail: bool = False) -> RestoreResult:
    """Load the backup at ``path`` into ``store``, which must be empty and migrated; see the module.

    A backup whose audit trail was already broken when it was written is refused unless
    ``accept_broken_trail``: it is then restored exactly as it is, break included (the evidence), and
    the store marks the affected patients read-only as it does for any broken trail.
    """
    path = Path(path)
    engine = store.engine
    where = engine.url.render_as_string(hide_password=True)
    if not path.is_file():
        raise StoreError("from", str(path), "is not a file", expected="a backup written by dosecalc backup")
    with path.open("rb") as probe:
        magic = probe.read(len(_SQLITE_MAGIC))
    if magic == _SQLITE_MAGIC:
        source = _read_sqlite(path)
        sidecar = Path(f"{path}.sha256")
        if sidecar.is_file():
            source.sha256 = _file_sha256(path)
            if sidecar.read_text(encoding="utf-8").split()[:1] != [source.sha256]:
                raise StoreError(
                    "from", str(path), "does not match its .sha256 file: it was changed", expected="an intact copy"
                )
        rows = _sqlite_rows(path)
    else:
        source = _read_jsonl(path)
        rows = _jsonl_rows(path, source.sha256)
    revision = current_revision(engine)
    if source.revision != revision:
        raise StoreError(
            "from",
            str(path),
            f"was written at schema revision {source.revision}; this store is at {revision}",
            expected="the DoseCalc version that wrote the backup (restore, then upgrade)",
        )
    if not source.chain.ok and not accept_broken_trail:
        raise StoreError(
            "from",
            str(path),
            f"holds an audit trail that was already broken at entry {source.chain.first_bad_seq}",
            expected="an intact backup, or --accept-broken-trail to restore the evidence as it is",
        )
    with transaction(engine) as connection:
        _refuse_non_empty(connection, where)
        batch: list[dict[str, Any]] = []
        current: Table | None = None
        for table, row in rows:
            if table is not current or len(batch) >= _BATCH:
                if batch and current is not None:
                    connection.execute(insert(current), batch)
                batch, current = [], table
            batch.append(row)
        if batch and current is not None:
            connection.execute(insert(current), batch)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
        restored = _counts(connection)
        chain = verify_chain(connection)
        same = (
            restored == source.counts
            and chain.ok == source.chain.ok
            and chain.entries == source.chain.entries
            and chain.first_bad_seq == source.chain.first_bad_seq
            and _last_hash(connection) == source.last_hash
        )
        if not same:  # nothing is kept: the transaction rolls back
            raise StoreError(
                "from",
                str(path),
                f"did not restore exactly ({chain.one_line()}); nothing was written",
                expected="an intact backup",
            )
    store.check_chain()
    return RestoreResult(path, source.kind, source.sha256, source.revision, restored, chain)
