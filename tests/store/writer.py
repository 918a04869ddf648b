"""A record writer for the SIGKILL test in test_reliability.py: it saves until it is killed.

Usage: ``writer.py URL USER_ID USERNAME --serve`` or ``writer.py URL USER_ID USERNAME --once TAG``.

Each writer opens the store (``open_store``: migration check and chain check, as the application
does) and then loops over ordinary saves, each one Store call (one transaction with its audit entry):
a new patient, a weight, a height, an administration and a change of the diagnosis. It prints
``TAG begin OP`` before each call and ``TAG saved OP ID`` after its commit, flushed at once, so the
test knows what was committed when its SIGKILL arrived.

``--once TAG`` is one writer in a fresh interpreter. ``--serve`` imports everything once and then
reads commands on stdin: ``write TAG`` forks a writer; ``reap TAG`` waits for it to end and prints
``TAG exit STATUS`` (negative: killed by that signal); ``quit`` (or the end of stdin) ends it. A
writer is only reaped when the test says so, so its process id cannot be reused while the test may
still send it a signal. A forked writer is a separate process with its own database connections
(none is opened before the fork), so killing it is what killing a fresh one is to the database; it
only skips the half second of Python start-up, which lets the test kill hundreds of writers within
CI time.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import time

# Everything a writer needs is imported before any fork, including what open_store imports lazily.
import alembic.command
import alembic.script
import psycopg
import sqlalchemy.dialects.postgresql.psycopg
import sqlalchemy.dialects.sqlite.pysqlite

from dosecalc.store.audit import Actor
from dosecalc.store.records import open_store

_PRELOADED = (alembic.command, alembic.script, psycopg, sqlalchemy.dialects.postgresql.psycopg,
              sqlalchemy.dialects.sqlite.pysqlite)  # fmt: skip

#: A writer that was never killed stops by itself: a safety net if the test dies, not a timing.
LIFETIME_SECONDS = 30.0


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write(url: str, by: Actor, tag: str) -> None:
    """Open the store and save until killed (or until LIFETIME_SECONDS have passed)."""
    store = open_store(url)
    _say(f"{tag} ready {os.getpid()}")
    today = dt.date.today()
    deadline = time.monotonic() + LIFETIME_SECONDS
    number = 0
    while time.monotonic() < deadline:
        number += 1
        _say(f"{tag} begin patient")
        patient = store.add_patient(by, hospital_number=f"{tag}-{number}", full_name=f"Writer {tag} {number}",
                                    date_of_birth=dt.date(1950 + number % 50, 1 + number % 12, 1 + number % 28),
                                    sex="female" if number % 2 else "male", allergies="no known allergies",
                                    diagnosis="ESCC")  # fmt: skip
        _say(f"{tag} saved patient {patient}")
        for kind, value in (("weight", f"{50 + number % 40} kg"), ("height", f"{150 + number % 40} cm")):
            _say(f"{tag} begin measurement")
            row = store.add_measurement(by, patient, kind, value, today)
            _say(f"{tag} saved measurement {row}")
        _say(f"{tag} begin administration")
        row = store.give(by, patient, drug="cisplatin", status="given", dose_mg=75.0 + number, given_on=today)
        _say(f"{tag} saved administration {row}")
        _say(f"{tag} begin change")
        store.update_patient(by, patient, 1, {"diagnosis": f"ESCC stage {1 + number % 4}"}, "staging result")
        _say(f"{tag} saved change {patient}")
    _say(f"{tag} done")
    store.engine.dispose()


def _run_once(url: str, by: Actor, tag: str) -> int:
    try:
        write(url, by, tag)
    except Exception as error:  # reported to the test, which fails on it
        _say(f"{tag} error {type(error).__name__}: {' '.join(str(error).split())}")
        return 3
    return 0


def serve(url: str, by: Actor) -> None:
    writers: dict[str, int] = {}
    _say("serving")
    try:
        for command in sys.stdin:
            action, *tag = command.split()
            if action == "quit":
                break
            if action == "write":
                child = os.fork()
                if child == 0:  # the writer: never returns into this loop
                    os._exit(_run_once(url, by, tag[0]))
                writers[tag[0]] = child
            elif action == "reap":
                _, status = os.waitpid(writers.pop(tag[0]), 0)
                _say(f"{tag[0]} exit {os.waitstatus_to_exitcode(status)}")
    finally:
        for child in writers.values():  # the test stopped early: no writer outlives this process
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)


def main(argv: list[str]) -> int:
    url, user_id, username, mode = argv[:4]
    by = Actor(int(user_id), username)
    if mode == "--serve":
        serve(url, by)
        return 0
    return _run_once(url, by, argv[4])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
