"""Writing a backup: JSON lines (optionally gzip) from one consistent snapshot, or a SQLite page copy."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from dosecalc import __version__
from dosecalc.store.audit import ChainCheck, verify_chain
from dosecalc.store.backup.reading import _read_sqlite
from dosecalc.store.backup.values import (
    _SUFFIXES,
    FORMAT,
    FORMAT_VERSION,
    TABLES,
    BackupResult,
    _file_sha256,
    _last_hash,
    _line,
    _rows,
)
from dosecalc.store.db import StoreError

if TYPE_CHECKING:
    from dosecalc.store.records import Store

__all__ = ["backup"]


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
