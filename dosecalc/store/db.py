"""Opening the record store: SQLite by default, PostgreSQL by URL; migrations with a backup first.

Which database: ``--db URL``, else ``DOSECALC_DATABASE_URL``, else the site settings' database URL, else
a SQLite file in the user's data directory. Choose PostgreSQL when several ward PCs share patients:
SQLite's locking is not safe on a network share (medication-safety J2).

SQLite is opened in WAL mode with ``synchronous=FULL`` (WAL with NORMAL can lose committed
transactions on power loss, and every transaction here writes an audit entry) and every write
transaction starts with ``BEGIN IMMEDIATE``, so two writers never both read and then both write.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from dosecalc.errors import DoseCalcError

__all__ = [
    "DATABASE_URL_VARIABLE",
    "StoreError",
    "current_revision",
    "default_url",
    "make_engine",
    "migrate",
    "resolve_url",
    "transaction",
]

DATABASE_URL_VARIABLE = "DOSECALC_DATABASE_URL"


class StoreError(DoseCalcError):
    """The record store cannot do what was asked: nothing was written."""

    code = "store.error"


def default_url() -> str:
    folder = Path(platformdirs.user_data_dir("DoseCalc", appauthor=False))
    return f"sqlite:///{folder / 'dosecalc.sqlite3'}"


def _site_url() -> str:
    from dosecalc.site import load_site_settings  # here: the site settings check their URL with resolve_url

    return load_site_settings().database_url


def resolve_url(url: str | None = None) -> str:
    """``--db`` first, then ``DOSECALC_DATABASE_URL``, then the site setting, then the user's SQLite file.

    The site setting (:mod:`dosecalc.site`; on an installed ward PC the administrator's ``site/site.json``)
    is how every PC of a ward reaches the shared PostgreSQL server, for the window and the command line alike.
    """
    chosen = url or os.environ.get(DATABASE_URL_VARIABLE) or _site_url() or default_url()
    try:
        parsed = make_url(chosen)
    except ArgumentError:
        raise StoreError(
            "db", chosen, "is not a database URL", expected="sqlite:///PATH or postgresql+psycopg://user@host/db"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            "db",
            chosen,
            "names a database DoseCalc does not support",
            expected="sqlite:///PATH or postgresql+psycopg://user@host/db",
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        chosen = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    return chosen


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN IMMEDIATE instead
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (already resolved); creates the SQLite file's folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    "db", url, f"cannot create its folder: {error.strerror or error}", expected="a writable location"
                ) from None
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing write: commits on success, rolls back on any error, and says why in one line."""
    try:
        with engine.begin() as connection:
            yield connection
    except DoseCalcError:
        raise
    except (OperationalError, DBAPIError) as error:
        raise StoreError("db", _where(engine), _explain(error), expected="a writable, reachable database") from None


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _explain(error: DBAPIError) -> str:
    text = str(error.orig) if error.orig is not None else str(error)
    lowered = text.lower()
    if "database or disk is full" in lowered or "no space" in lowered:
        return "cannot save: the disk is full; nothing was written"
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return "cannot save: the database is read-only; nothing was written"
    if "locked" in lowered or "could not serialize" in lowered:
        return "cannot save: another workstation is writing; try again; nothing was written"
    if "connection" in lowered and ("refused" in lowered or "could not" in lowered):
        return "cannot reach the database server; nothing was written"
    return "cannot save: " + text.splitlines()[0] + "; nothing was written"


def _migrations_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migrate(engine: Engine, target: str = "head") -> Path | None:
    """Bring the schema to ``target`` in one transaction; back up a SQLite file first. Returns the backup."""
    from dosecalc.store.schema import SCHEMA_REVISION  # the newest migration (a test checks it is the head)

    if target == "head" and current_revision(engine) == SCHEMA_REVISION:
        return None  # current: every start-up takes this path, without importing Alembic (≈ 0.1 s)
    from alembic import command
    from alembic.script import ScriptDirectory

    backup = None
    with engine.connect() as probe:
        head = ScriptDirectory.from_config(_migrations_config(probe)).get_current_head()
    before = current_revision(engine)
    if before == head:
        return None
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and before is not None and Path(database).exists():
        backup = _backup_sqlite(Path(database), before)
    if engine.url.get_backend_name() != "sqlite":
        with transaction(engine) as connection:
            command.upgrade(_migrations_config(connection), target)
        return backup
    # SQLite: a migration that rebuilds a referenced table needs foreign keys off, which SQLite only allows
    # outside a transaction; they are checked as a whole before the migration commits, then switched back on.
    with engine.connect() as connection:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                command.upgrade(_migrations_config(connection), target)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise StoreError(
                        "db",
                        _where(engine),
                        f"migration would break a reference in {broken[0]}",
                        expected="a migration that keeps every reference",
                    )
        except (OperationalError, DBAPIError) as error:
            raise StoreError("db", _where(engine), _explain(error), expected="a migration that completes") from None
        finally:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return backup


def _backup_sqlite(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.backup")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)  # a consistent copy even while WAL holds recent pages
        finally:
            destination.close()
    finally:
        source.close()
    return target
