"""``dosecalc user add``: users of the record store."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.records.access import (
    NEW_PASSWORD_VARIABLE,
    PASSWORD_VARIABLE,
    _action,
    _actor,
    _db_text,
    _nested,
    _opened,
    _read_password,
    signed_in,
)
from dosecalc.errors import InputError

__all__ = ["register"]


def _cmd_user_add(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from sqlalchemy import func, select

    from dosecalc.store.audit import SYSTEM
    from dosecalc.store.schema import users
    from dosecalc.store.users import Role

    with _opened(args) as store:
        with store.engine.connect() as connection:
            first = not connection.execute(select(func.count()).select_from(users)).scalar()
        if first:
            # Nobody can sign in yet: the first user is created without one, and must be an administrator.
            if args.role.strip().lower() != Role.ADMINISTRATOR.value:
                raise InputError(
                    "role",
                    args.role,
                    "cannot be the first user's role",
                    expected="administrator: the first user of an empty store is its administrator",
                )
            if args.user is not None and args.user != args.username:
                raise InputError(
                    "user",
                    args.user,
                    "does not exist: the store has no users yet",
                    expected=f"no --user for the first administrator, or --user {args.username}",
                )
            by = SYSTEM
            password = _read_password(args.new_password_file, NEW_PASSWORD_VARIABLE, "new-password-file")
            if password is None:
                password = _read_password(args.password_file, PASSWORD_VARIABLE, "password-file")
        else:
            admin = signed_in(store, args)
            if admin.role is not Role.ADMINISTRATOR:
                raise InputError(
                    "user",
                    admin.username,
                    f"is a {admin.role.value}; only an administrator can add users",
                    expected="an administrator's --user and password",
                    code="permission.denied",
                )
            by = _actor(admin)
            password = _read_password(args.new_password_file, NEW_PASSWORD_VARIABLE, "new-password-file")
        if password is None:
            raise InputError(
                "new-password-file",
                None,
                "is required: the new user's password",
                expected=f"--new-password-file FILE or the environment variable {NEW_PASSWORD_VARIABLE}"
                + (f" (or {PASSWORD_VARIABLE} for the first administrator)" if first else ""),
                code="value.missing",
            )
        user = store.add_user(by, args.username.strip(), args.full_name.strip(), args.role.strip().lower(), password)
        payload = {
            "user": {"id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role.value},
            "first_user": first,
            "db": _db_text(store),
        }
    what = "first administrator" if first else user.role.value
    return payload, [f"added {what} {user.username} ({user.full_name}), user id {user.id}"]


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``dosecalc user add``."""
    users = _nested(sub, "user", "Users of the record store.")
    p = _action(users, "add", "Add a user (the first user of an empty store is its administrator).", _cmd_user_add,
                writes=True)  # fmt: skip
    p.add_argument("--username", required=True)
    p.add_argument("--full-name", required=True)
    p.add_argument("--role", required=True, help="pharmacist | nurse | physician | administrator")
    p.add_argument(
        "--new-password-file",
        help="a file whose first line is the new user's password; or set DOSECALC_NEW_PASSWORD "
        "(for the first administrator DOSECALC_PASSWORD or --password-file also serve)",
    )
