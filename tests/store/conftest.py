"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is a throwaway cluster made for the test session with initdb/pg_ctl (as the
``postgres`` user when the tests run as root, since initdb refuses root), listening only on a Unix
socket in a temporary folder. Without the PostgreSQL binaries the PostgreSQL half is skipped with a
visible notice; under CI (``CI=true``) a missing server is an error, because CI must test it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dosecalc.store.audit import SYSTEM, Actor
from dosecalc.store.records import Store, open_store
from dosecalc.store.users import User

BACKENDS = ["sqlite", "postgresql"]


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class _Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dosecalc-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.port = 54329 + os.getpid() % 500
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def _run(self, *argv: str) -> None:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        assert initdb
        assert pg_ctl
        self.socket.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, self.user)
            shutil.chown(self.socket, self.user)
            os.chmod(self.root, 0o755)
        self._run(initdb, "-D", str(self.data), "-A", "trust", "-U", self.user, "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.socket} -c listen_addresses='' -c fsync=off"
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        pg_ctl = _binary("pg_ctl")
        with contextlib.suppress(Exception):
            self._run(str(pg_ctl), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.socket}&port={self.port}"

    def create_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=str(self.socket), port=self.port, user=self.user, dbname="postgres",
                             autocommit=True) as connection:  # fmt: skip
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[_Cluster | None]:
    if not (_binary("initdb") and _binary("pg_ctl")):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are missing in CI: .ci/run must install postgresql")
        yield None
        return
    cluster = _Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_cluster: _Cluster | None) -> str:
    """A fresh, empty database URL: a SQLite file, or a new database on the throwaway PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    if postgres_cluster is None:
        pytest.skip("PostgreSQL is not installed here: the PostgreSQL half of the store tests is SKIPPED")
    return postgres_cluster.create_database()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.engine.dispose()  # close pooled connections before the throwaway server goes away


@pytest.fixture
def staff(store: Store) -> dict[str, User]:
    """Two pharmacists, a nurse and a physician, with passwords '<username>-password'."""
    people = {}
    for username, role in (("li", "pharmacist"), ("wang", "pharmacist"), ("zhao", "nurse"), ("chen", "physician")):
        people[username] = store.add_user(SYSTEM, username, username.title(), role, f"{username}-password")
    return people


def actor(user: User) -> Actor:
    return Actor(user.id, user.username)


TODAY = dt.date.today()
