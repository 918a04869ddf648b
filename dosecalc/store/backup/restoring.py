"""Restoring a backup into an empty store, all or nothing, with the audit chain verified before commit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Integer, Table, func, insert, select, text

from dosecalc.store.audit import verify_chain
from dosecalc.store.backup.reading import _jsonl_rows, _read_jsonl, _read_sqlite, _sqlite_rows
from dosecalc.store.backup.values import _BATCH, _SQLITE_MAGIC, TABLES, RestoreResult, _file_sha256, _last_hash
from dosecalc.store.db import StoreError, current_revision, transaction

if TYPE_CHECKING:
    from dosecalc.store.records import Store

__all__ = ["restore"]


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
