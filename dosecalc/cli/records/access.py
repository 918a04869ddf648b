"""What every record command shares: opening the store, who acts (user and password), the common options."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dosecalc.cli.common import Handler, Parser
from dosecalc.errors import DoseCalcError, InputError

if TYPE_CHECKING:
    from sqlalchemy import RowMapping

    from dosecalc.store.audit import Actor
    from dosecalc.store.records import Store
    from dosecalc.store.users import User

__all__ = ["PASSWORD_VARIABLE", "signed_in"]


#: Where a writing command finds the signed-in user's password when no --password-file is given.
PASSWORD_VARIABLE = "DOSECALC_PASSWORD"

#: Where ``user add`` finds the new user's password when no --new-password-file is given.
NEW_PASSWORD_VARIABLE = "DOSECALC_NEW_PASSWORD"

LANGUAGES = ("zh_CN", "en")

_PASSWORD_HELP = (
    "a file whose first line is your password (keep it readable only by you); or set DOSECALC_PASSWORD. "
    "There is deliberately no --password option: a password on the command line stays in the shell "
    "history and shows in the process list"
)

# The store and its SQLAlchemy engine load only when a record command runs, so the calculation commands
# start as fast as before.


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Store]:
    from dosecalc.store.records import open_store

    _refuse_password_option(args)
    try:
        store = open_store(args.db)
    except DoseCalcError as error:
        raise _without_password(error) from None
    try:
        yield store
    finally:
        store.engine.dispose()


def _without_password(error: DoseCalcError) -> DoseCalcError:
    """open_store's errors quote the database URL; never print the password inside it."""
    if error.field != "db" or not isinstance(error.value, str):
        return error
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        shown = make_url(error.value).render_as_string(hide_password=True)
    except ArgumentError:
        return error
    if shown == error.value:
        return error
    return type(error)(
        error.field,
        shown,
        error.reason.replace(error.value, shown),
        expected=error.expected,
        code=error.code,
        params={k: v for k, v in error.params.items() if k not in ("field", "value")},
    )


def _db_text(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=True)


# ----------------------------------------------------------------------------------------------- who acts


def _read_password(file_option: str | None, variable: str, field: str) -> str | None:
    if file_option is not None:
        try:
            content = Path(file_option).read_text(encoding="utf-8-sig")  # Notepad may add a byte-order mark
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
            raise InputError(field, file_option, f"cannot be read: {reason}", expected="a readable file") from None
        lines = content.splitlines()
        if not lines or not lines[0]:
            raise InputError(field, file_option, "is empty", expected="the password on the first line")
        return lines[0]
    return os.environ.get(variable) or None


def signed_in(store: Store, args: argparse.Namespace) -> User:
    """The user named by --user, authenticated with the password from --password-file or DOSECALC_PASSWORD."""
    if not args.user:
        raise InputError(
            "user",
            None,
            "is required to change records",
            expected="--user NAME with --password-file FILE or DOSECALC_PASSWORD",
            code="value.missing",
        )
    password = _read_password(args.password_file, PASSWORD_VARIABLE, "password-file")
    if password is None:
        raise InputError(
            "password",
            None,
            "is required to change records",
            expected=f"--password-file FILE or the environment variable {PASSWORD_VARIABLE}",
            code="value.missing",
        )
    return store.authenticate(args.user, password)


def _refuse_password_option(args: argparse.Namespace) -> None:
    if getattr(args, "password", None) is not None:
        raise InputError(
            "password",
            None,  # never echo it
            "is not accepted on the command line: it would stay in the shell history and the process list",
            expected=f"--password-file FILE or the environment variable {PASSWORD_VARIABLE}",
        )


def _actor(user: User) -> Actor:
    from dosecalc.store.audit import Actor

    return Actor(user.id, user.username)


def _patient(store: Store, hospital_number: str) -> RowMapping:
    return store.patient_by_number(hospital_number.strip())


@contextmanager
def _fields(renames: Mapping[str, str]) -> Iterator[None]:
    """Report the store's field names as this command's option names (``date-of-birth`` → ``dob``)."""
    try:
        yield
    except DoseCalcError as error:
        if error.field in renames:
            raise error.for_field(renames[error.field]) from None
        raise


# ----------------------------------------------------------------------------------------------- parsers


def _common(p: Parser, *, writes: bool) -> None:
    p.allow_abbrev = False  # "--pass" must never quietly mean --password-file
    p.add_argument(
        "--db",
        help="database URL (default: DOSECALC_DATABASE_URL, else the site settings' database URL, "
        "else the SQLite file in your data folder)",
    )
    if writes:
        p.add_argument("--user", help="your user name: every change is signed with it in the audit trail")
        p.add_argument("--password-file", help=_PASSWORD_HELP)
    p.add_argument("--password", help=argparse.SUPPRESS)  # refused with a reason, never echoed by argparse


def _nested(sub: Any, name: str, help_text: str) -> Any:
    group: Parser = sub.add_parser(name, help=help_text, description=help_text)
    inner = group.add_subparsers(dest=f"{name}_command", metavar="ACTION", parser_class=Parser)
    inner.required = True
    return inner


def _action(inner: Any, name: str, help_text: str, handler: Handler, *, writes: bool) -> Parser:
    p: Parser = inner.add_parser(name, help=help_text, description=help_text)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=handler)
    _common(p, writes=writes)
    return p
