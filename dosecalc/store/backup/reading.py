"""Reading a backup back: its header, rows and trailer checked (counts, SHA-256) before anything is loaded."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, func, select

from dosecalc.store.audit import ChainCheck, verify_chain
from dosecalc.store.backup.values import _GZIP_MAGIC, FORMAT, FORMAT_VERSION, TABLES, _decode, _last_hash, _rows
from dosecalc.store.db import StoreError, current_revision

__all__: list[str] = []


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
