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

from dosecalc.store.backup.restoring import restore
from dosecalc.store.backup.values import FORMAT, FORMAT_VERSION, BackupResult, RestoreResult
from dosecalc.store.backup.writing import backup

__all__ = ["FORMAT", "FORMAT_VERSION", "BackupResult", "RestoreResult", "backup", "restore"]
