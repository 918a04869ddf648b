"""The append-only, hash-chained audit trail (21 CFR 11.10(e); medication-safety I1–I4).

Every create, change, sign and print writes one entry in the same transaction as the change: who,
when (UTC and local), what, old → new, why, app version and regimen version. Each entry's hash covers
its content and the previous entry's hash, so changing or deleting any entry breaks the chain from
that entry on; sequence numbers must be contiguous, so a removed entry is found too. The chain is
checked when the store opens and by ``dosecalc audit verify``; the patients of a broken entry become
read-only until an administrator investigates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Text, insert, select, text, type_coerce, update

from dosecalc import __version__
from dosecalc.store.schema import audit_head, audit_log

__all__ = ["GENESIS", "Actor", "ChainCheck", "append", "entry_hash", "verify_chain"]

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something: a signed-in user, or the system itself (user_id None)."""

    user_id: int | None
    username: str


SYSTEM = Actor(None, "system")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's fields, in a canonical JSON form."""
    return hashlib.sha256((prev_hash + _canonical(dict(fields))).encode("utf-8")).hexdigest()


_HASHED = ("seq", "at_utc", "at_local", "user_id", "username", "action", "entity", "entity_id", "patient_id",
           "old_value", "new_value", "reason", "app_version", "regimen_version")  # fmt: skip


def append(
    connection: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    patient_id: int | None = None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
    regimen_version: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Add one entry inside the caller's transaction; returns its hash."""
    if connection.dialect.name == "postgresql":
        # Writers append one at a time, so two never chain to the same previous entry.
        connection.execute(text("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"))
    last = connection.execute(
        select(audit_log.c.seq, audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq = (last.seq + 1) if last else 1
    prev = last.entry_hash if last else GENESIS
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    fields: dict[str, Any] = {
        "seq": seq,
        "at_utc": moment.isoformat(timespec="microseconds"),
        "at_local": moment.astimezone().isoformat(timespec="seconds"),
        "user_id": actor.user_id,
        "username": actor.username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "patient_id": patient_id,
        "old_value": _plain(old),
        "new_value": _plain(new),
        "reason": reason,
        "app_version": __version__,
        "regimen_version": regimen_version,
    }
    digest = entry_hash(prev, fields)
    connection.execute(insert(audit_log).values(**fields, prev_hash=prev, entry_hash=digest))
    moved = connection.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=seq, entry_hash=digest))
    if moved.rowcount == 0:
        connection.execute(insert(audit_head).values(id=1, seq=seq, entry_hash=digest))
    return digest


_JSON_COLUMNS = ("old_value", "new_value")


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _plain(value: Any) -> Any:
    """JSON-safe, so the stored value reads back exactly as it was hashed."""
    return None if value is None else json.loads(_canonical(value))


@dataclass(frozen=True, slots=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None
    patient_ids: frozenset[int] = frozenset()

    def one_line(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.entries} entries"
        patients = ", ".join(str(p) for p in sorted(self.patient_ids)) or "none"
        return (
            f"audit trail broken at entry {self.first_bad_seq}: {self.problem}; "
            f"records of patient(s) {patients} are read-only"
        )


def _problem(row: Any, expected_seq: int, previous: str) -> str | None:
    """What is wrong with one entry, or None."""
    if row["seq"] != expected_seq:
        return f"entry {expected_seq} is missing"
    if row["prev_hash"] != previous:
        return "its link to the previous entry does not match"
    try:
        fields = {name: _loaded(row[name]) if name in _JSON_COLUMNS else row[name] for name in _HASHED}
    except ValueError:
        return "its content was changed after it was written (unreadable)"
    if entry_hash(previous, fields) != row["entry_hash"]:
        return "its content was changed after it was written"
    return None


def verify_chain(connection: Connection) -> ChainCheck:
    """Recompute every hash in order; report the first entry that does not match, and whose records it touches."""
    previous = GENESIS
    expected_seq = 1
    count = 0
    # The JSON columns are read as stored text where the driver allows, so a changed byte that breaks the
    # JSON is reported as a broken entry rather than failing to load.
    raw = [type_coerce(column, Text).label(column.name) if column.name in _JSON_COLUMNS else column
           for column in audit_log.c]  # fmt: skip
    rows = connection.execute(select(*raw).order_by(audit_log.c.seq)).mappings()
    for row in rows:
        count += 1
        problem = _problem(row, expected_seq, previous)
        if problem is not None:
            affected = {row["patient_id"]} if row["patient_id"] is not None else set()
            # Everything after a break is unverifiable too: its patients are protected as well.
            affected |= {r.patient_id for r in connection.execute(
                select(audit_log.c.patient_id).where(audit_log.c.seq >= row["seq"], audit_log.c.patient_id.isnot(None))
            )}  # fmt: skip
            return ChainCheck(False, count, min(row["seq"], expected_seq), problem, frozenset(affected))
        previous = row["entry_hash"]
        expected_seq += 1
    head = connection.execute(select(audit_head.c.seq, audit_head.c.entry_hash).where(audit_head.c.id == 1)).first()
    last_seq = expected_seq - 1
    if (head is None and count) or (head is not None and (head.seq, head.entry_hash) != (last_seq, previous)):
        newest = head.seq if head is not None else "unknown"
        return ChainCheck(
            False,
            count,
            last_seq + 1,
            f"the newest entries were removed (the trail ended at entry {newest}, now at {last_seq})",
        )
    return ChainCheck(True, count)
