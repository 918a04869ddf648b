"""The patient-record commands: users, patients, measurements, plans, administrations, ledger, audit, backup.

    dosecalc user add --username U --full-name N --role pharmacist|nurse|physician|administrator
    dosecalc patient add --hospital-number H --name N --dob YYYY-MM-DD --sex S --allergies A --diagnosis D
                         [--language zh_CN|en]
    dosecalc patient list [--search TEXT]
    dosecalc patient show PATIENT
    dosecalc measure PATIENT --kind KIND --value "61 kg" --date YYYY-MM-DD [--source measured|stated|estimated]
    dosecalc plan create PATIENT --regimen ID [--version V] --start YYYY-MM-DD [--choose GROUP=OPTION ...]
                         [--phase-start PHASE=YYYY-MM-DD ...] [<dosing policy options>]
    dosecalc give PATIENT --drug ID --status given|held|modified [--dose "200 mg"] --date YYYY-MM-DD
                  [--bsa "1.7 m**2"] [--order ID] [--note TEXT]
    dosecalc ledger PATIENT [--on YYYY-MM-DD]
    dosecalc audit verify
    dosecalc backup --out FILE.jsonl|FILE.jsonl.gz|FILE.sqlite3
    dosecalc restore --from FILE [--accept-broken-trail]

Every command takes ``--db URL`` (else ``DOSECALC_DATABASE_URL``, else the SQLite file in the user's data
directory) and ``--json``. PATIENT is the hospital number. Every command that changes records takes
``--user NAME`` and the password from ``--password-file FILE`` or ``DOSECALC_PASSWORD``: there is no
``--password`` option, because a password typed on the command line stays in the shell history and shows
in the process list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.regimens import library_from, parse_choices, policy_from, regimen_from
from dosecalc.cli.schedule import parse_date
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError, InputError

if TYPE_CHECKING:
    from sqlalchemy import RowMapping

    from dosecalc.regimen.model import Regimen
    from dosecalc.store.audit import Actor
    from dosecalc.store.records import Store
    from dosecalc.store.users import User

__all__ = ["PASSWORD_VARIABLE", "register", "signed_in"]

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


# ----------------------------------------------------------------------------------------------- JSON shapes


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _patient_json(row: RowMapping) -> Payload:
    return {
        "id": row["id"],
        "hospital_number": row["hospital_number"],
        "name": row["full_name"],
        "date_of_birth": row["date_of_birth"].isoformat(),
        "sex": row["sex"],
        "allergies": row["allergies"],
        "diagnosis": row["diagnosis"],
        "language": row["language"],
        "demo": bool(row["demo"]),
        "row_version": row["row_version"],
    }


def _patient_line(row: RowMapping) -> str:
    demo = " [DEMO]" if row["demo"] else ""
    return (
        f"{row['full_name']}, born {row['date_of_birth']:%Y-%m-%d}, {row['sex']}, "
        f"hospital number {row['hospital_number']}{demo}"
    )


def _measurement_json(row: RowMapping) -> Payload:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "value": row["value_text"],
        "measured_on": row["measured_on"].isoformat(),
        "source": row["source"],
    }


def _plan_json(row: RowMapping) -> Payload:
    return {
        "id": row["id"],
        "regimen": {"id": row["regimen_id"], "version": row["regimen_version"]},
        "start": row["start_date"].isoformat(),
        "choices": dict(row["choices"]),
        "phase_starts": dict(row["phase_starts"]),
        "policies": dict(row["policies"]),
        "status": row["status"],
    }


def _plan_line(plan: Payload) -> str:
    choices = ", ".join(f"{g}={o}" for g, o in plan["choices"].items()) or "no choices"
    starts = "".join(f"; {p} from {d}" for p, d in plan["phase_starts"].items())
    return (
        f"plan {plan['id']}: {plan['regimen']['id']} v{plan['regimen']['version']} from {plan['start']} "
        f"({choices}{starts}) [{plan['status']}]"
    )


def _order_json(row: RowMapping) -> Payload:
    return {
        "id": row["id"],
        "plan_id": row["plan_id"],
        "phase": row["phase"],
        "cycle": row["cycle"],
        "status": row["status"],
        "calculated_at": _iso(row["calculated_at"]),
        "verified_at": _iso(row["verified_at"]),
    }


def _administration_json(row: RowMapping) -> Payload:
    return {
        "id": row["id"],
        "given_on": row["given_on"].isoformat(),
        "drug": row["drug"],
        "status": row["status"],
        "dose": {"value": row["dose_mg"], "unit": "mg"},
        "bsa": {"value": row["bsa_m2"], "unit": "m**2"} if row["bsa_m2"] is not None else None,
        "order_id": row["order_id"],
        "note": row["note"],
    }


def _administration_line(item: Payload) -> str:
    bsa = f", BSA {format_number(item['bsa']['value'], 2)} m²" if item["bsa"] else ""
    order = f", order {item['order_id']}" if item["order_id"] is not None else ""
    note = f" — {item['note']}" if item["note"] else ""
    return (
        f"{item['given_on']} {item['drug']} {format_number(item['dose']['value'], 2)} mg "
        f"{item['status']}{bsa}{order}{note}"
    )


# ----------------------------------------------------------------------------------------------- users


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


# ----------------------------------------------------------------------------------------------- patients


def _cmd_patient_add(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    dob = parse_date(args.dob, "dob")
    language = args.language or "zh_CN"
    if language not in LANGUAGES:
        raise InputError("language", language, "is not a language DoseCalc prints in", expected=" | ".join(LANGUAGES))
    with _opened(args) as store:
        user = signed_in(store, args)
        with _fields({"date-of-birth": "dob"}):
            patient_id = store.add_patient(
                _actor(user),
                hospital_number=args.hospital_number,
                full_name=args.name,
                date_of_birth=dob,
                sex=args.sex,
                allergies=args.allergies,
                diagnosis=args.diagnosis,
                language=language,
            )
        row = store.patient(patient_id)
        payload = {"patient": _patient_json(row), "db": _db_text(store)}
    return payload, [f"added patient {row['hospital_number']} (id {patient_id}): {_patient_line(row)}"]


def _cmd_patient_list(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    with _opened(args) as store:
        rows = store.find_patients(args.search or "")
        payload = {"patients": [_patient_json(r) for r in rows], "db": _db_text(store)}
    summary = [_patient_line(r) for r in rows] or ["no patients" + (f" match {args.search!r}" if args.search else "")]
    return payload, summary


def _cmd_patient_show(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from sqlalchemy import select

    from dosecalc.store.schema import orders, plans

    with _opened(args) as store:
        patient = _patient(store, args.patient)
        pid = patient["id"]
        latest = store.latest_measurements(pid)
        with store.engine.connect() as connection:  # the Store has no listing of a patient's plans and orders
            plan_rows = list(
                connection.execute(select(plans).where(plans.c.patient_id == pid).order_by(plans.c.id)).mappings()
            )
            order_rows = list(
                connection.execute(select(orders).where(orders.c.patient_id == pid).order_by(orders.c.id)).mappings()
            )
        given = store.administrations(pid)
        read_only = pid in store.read_only_patients
        payload: Payload = {
            "patient": _patient_json(patient),
            "read_only": read_only,
            "measurements": {kind: _measurement_json(row) for kind, row in sorted(latest.items())},
            "plans": [_plan_json(r) for r in plan_rows],
            "orders": [_order_json(r) for r in order_rows],
            "administrations": [_administration_json(r) for r in given],
            "db": _db_text(store),
        }
    summary = [
        _patient_line(patient) + f" (patient id {pid})",
        f"Allergies: {patient['allergies']}",
        f"Diagnosis: {patient['diagnosis']}",
    ]
    if read_only:
        summary.append("READ-ONLY: this patient's audit trail is broken; an administrator must investigate")
    summary.append("Latest measurements:" if latest else "Latest measurements: none")
    summary.extend(
        f"  {m['kind']}: {m['value']} on {m['measured_on']} ({m['source']})" for m in payload["measurements"].values()
    )
    summary.append("Plans:" if plan_rows else "Plans: none")
    summary.extend(f"  {_plan_line(p)}" for p in payload["plans"])
    summary.append("Orders:" if order_rows else "Orders: none")
    summary.extend(
        f"  order {o['id']}: plan {o['plan_id']}, {o['phase']} cycle {o['cycle']} [{o['status']}]"
        for o in payload["orders"]
    )
    summary.append("Administrations:" if given else "Administrations: none")
    summary.extend(f"  {_administration_line(a)}" for a in payload["administrations"])
    return payload, summary


# ----------------------------------------------------------------------------------------------- measurements


def _cmd_measure(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.records import MEASUREMENT_KINDS

    measured_on = parse_date(args.date, "date")
    with _opened(args) as store:
        user = signed_in(store, args)
        patient = _patient(store, args.patient)
        kind = args.kind.strip().lower()
        # The value's checks name the kind ("creatinine: 80 mg/dL is implausible; did you mean µmol/L?");
        # on this command the option to fix is --value.
        renames = {kind: "value", "measured-on": "date"} if kind in MEASUREMENT_KINDS else {"measured-on": "date"}
        with _fields(renames):
            row_id = store.add_measurement(
                _actor(user), patient["id"], kind, args.value, measured_on, (args.source or "measured").strip().lower()
            )
        row = _measurement(store, row_id)
        payload = {"patient": patient["hospital_number"], "measurement": _measurement_json(row), "db": _db_text(store)}
    return payload, [
        f"recorded {kind} {row['value_text']} on {row['measured_on']:%Y-%m-%d} ({row['source']}) "
        f"for {patient['full_name']} ({patient['hospital_number']})"
    ]


def _measurement(store: Store, row_id: int) -> RowMapping:
    from sqlalchemy import select

    from dosecalc.store.schema import measurements

    with store.engine.connect() as connection:
        return connection.execute(select(measurements).where(measurements.c.id == row_id)).mappings().one()


# ----------------------------------------------------------------------------------------------- plans


def _regimen_version(args: argparse.Namespace) -> tuple[Any, Regimen]:
    from dosecalc.regimen.model import Status

    library = library_from(args)
    regimen = regimen_from(library, args.regimen)
    if args.version is not None:
        key = (args.regimen, args.version.strip())
        if key not in library.versions:
            versions = sorted(v for (rid, v) in library.versions if rid == args.regimen)
            raise InputError(
                "version",
                args.version,
                f"is not a version of {args.regimen} in the library",
                expected=" | ".join(versions),
            )
        regimen = library.versions[key]
    if regimen.status in (Status.WITHDRAWN, Status.SUPERSEDED):
        raise InputError(
            "regimen",
            f"{regimen.id} v{regimen.version}",
            f"is {regimen.status.value}; a new plan cannot use it",
            expected="an approved or draft regimen version",
        )
    return library, regimen


def _phase_starts(values: list[str] | None, regimen: Regimen) -> dict[str, dt.date]:
    phases = [p.id for p in regimen.phases]
    starts: dict[str, dt.date] = {}
    for value in values or []:
        phase, sep, date = value.partition("=")
        if not sep or not phase.strip():
            raise InputError("phase-start", value, "is not PHASE=YYYY-MM-DD", expected="e.g. salvage=2027-06-07")
        if phase.strip() not in phases:
            raise InputError(
                "phase-start", phase.strip(), f"is not a phase of {regimen.id}", expected=" | ".join(phases)
            )
        if phase.strip() in starts:
            raise InputError("phase-start", value, "names a phase twice", expected="one start per phase")
        starts[phase.strip()] = parse_date(date, "phase-start")
    return starts


def _checked_choices(regimen: Regimen, choices: Mapping[str, str], starts: Mapping[str, dt.date]) -> None:
    """Every choice names a group and option of the regimen; every phase that will run has its choices."""
    from dosecalc.regimen.order import NONE_CHOICE

    groups = {g.id: g for g in regimen.choice_groups}
    for group_id, option in choices.items():
        if group_id not in groups:
            raise InputError(
                "choose",
                f"{group_id}={option}",
                f"names no choice group of {regimen.id} v{regimen.version}",
                expected=" | ".join(groups) or "no --choose (this regimen has no choices)",
            )
        group = groups[group_id]
        options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
        if option not in options:
            raise InputError(
                "choose",
                f"{group_id}={option}",
                f"is not an option of {group.name.en} ({group_id})",
                expected=" | ".join(f"{group_id}={o}" for o in options),
            )
    for phase in regimen.phases:
        runs = phase.id in starts or not (phase.start.optional or phase.start.on_event)
        if not runs:
            continue  # an optional phase's choices can wait until it is started
        needed = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
        needed |= {course.choice.split("=")[0] for course in phase.radiotherapy if course.choice}
        for group_id in sorted(needed - set(choices)):
            group = groups[group_id]
            options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
            raise InputError(
                "choose",
                None,
                f"has no choice for {group.name.en} ({group_id}), which phase {phase.id} needs",
                expected=" | ".join(f"{group_id}={o}" for o in options),
                code="value.missing",
            )


_POLICY_OPTIONS = ("bsa-formula", "renal-method", "weight-basis", "creatinine-floor", "gfr-cap", "max-deviation")


def _cmd_plan_create(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    start = parse_date(args.start, "start")
    library, regimen = _regimen_version(args)
    choices = parse_choices(args.choose)
    starts = _phase_starts(args.phase_start, regimen)
    _checked_choices(regimen, choices, starts)
    policy_from(args)  # refuses an invalid policy option before anything is saved
    policies = {
        name.replace("-", "_"): getattr(args, name.replace("-", "_")).strip()
        for name in _POLICY_OPTIONS
        if getattr(args, name.replace("-", "_")) is not None
    }
    with _opened(args) as store:
        user = signed_in(store, args)
        patient = _patient(store, args.patient)
        plan_id = store.create_plan(
            _actor(user),
            patient["id"],
            regimen_id=regimen.id,
            regimen_version=regimen.version,
            choices=choices,
            policies=policies,
            start_date=start,
            phase_starts=starts,
        )
        plan = _plan_json(store.plan(plan_id))
        payload = {
            "patient": patient["hospital_number"],
            "plan": {**plan, "regimen": {**plan["regimen"], "status": regimen.status.value}},
            "origin": library.origins.get((regimen.id, regimen.version)),
            "db": _db_text(store),
        }
    summary = [f"created {_plan_line(plan)} for {patient['full_name']} ({patient['hospital_number']})"]
    summary.append("Policies: " + (", ".join(f"{k} {v}" for k, v in policies.items()) if policies else "the defaults"))
    if regimen.status.value == "draft":
        summary.append(f"Note: {regimen.id} v{regimen.version} is a draft; its unconfirmed values are marked")
    return payload, summary


# ----------------------------------------------------------------------------------------------- administrations


def _cmd_give(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.bsa import parse_bsa
    from dosecalc.inputs import positive_quantity
    from dosecalc.units import MASS_DOSE, MILLIGRAM, SQUARE_METRE, magnitude_in
    from dosecalc.units import parse_number as number

    given_on = parse_date(args.date, "date")
    status = args.status.strip().lower()
    library = library_from(args)
    drugs = sorted(d.id for d in library.catalogue.drugs)
    if args.drug.strip() not in drugs:
        raise InputError("drug", args.drug, "is not in the drug catalogue", expected=" | ".join(drugs))
    if status == "held":
        if args.dose is not None:
            raise InputError("dose", args.dose, "is not used when a dose is held", expected="no --dose with held")
        dose_mg = 0.0
    elif args.dose is None:
        raise InputError("dose", None, "is required", expected='the dose given, e.g. "200 mg"', code="value.missing")
    else:
        dose_mg = positive_quantity(args.dose, "dose", MASS_DOSE, MILLIGRAM)[1]
    bsa_m2 = magnitude_in(parse_bsa(args.bsa).bsa, SQUARE_METRE) if args.bsa is not None else None
    order_id = None
    if args.order is not None:
        value = number(args.order, "order", "an order id")
        if value != int(value) or value < 1:
            raise InputError("order", args.order, "is not an order id", expected="a whole number from 1")
        order_id = int(value)
    with _opened(args) as store:
        user = signed_in(store, args)
        patient = _patient(store, args.patient)
        if order_id is not None and store.order(order_id)["patient_id"] != patient["id"]:
            raise InputError(
                "order", order_id, f"is not an order of patient {patient['hospital_number']}", expected="their order"
            )
        row_id = store.give(
            _actor(user),
            patient["id"],
            drug=args.drug.strip(),
            status=status,
            dose_mg=dose_mg,
            given_on=given_on,
            bsa_m2=bsa_m2,
            order_id=order_id,
            note=args.note,
        )
        row = next(r for r in store.administrations(patient["id"]) if r["id"] == row_id)
        item = _administration_json(row)
        payload = {"patient": patient["hospital_number"], "administration": item, "db": _db_text(store)}
    return payload, [
        f"recorded for {patient['full_name']} ({patient['hospital_number']}): {_administration_line(item)}"
    ]


# ----------------------------------------------------------------------------------------------- ledger


def _cmd_ledger(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.db import StoreError

    on = parse_date(args.on, "on") if args.on is not None else dt.date.today()
    try:
        ledger_module = importlib.import_module("dosecalc.store.ledger")
    except ModuleNotFoundError as error:
        if error.name != "dosecalc.store.ledger":
            raise
        raise StoreError(
            "ledger", None, "is not available in this version of DoseCalc", expected="dosecalc.store.ledger"
        ) from None
    library = library_from(args)
    with _opened(args) as store:
        patient = _patient(store, args.patient)
        ledger = ledger_module.compute_ledger(store, patient["id"], library, on=on)
        payload: Payload = ledger.to_json()
    header = (
        f"Cumulative ledger of {patient['full_name']} ({patient['hospital_number']}) on {on:%Y-%m-%d}: "
        f"{str(payload.get('status', '')).upper()}"
    )
    return payload, [header, *_ledger_lines(payload, getattr(ledger, "flags", ()))]


def _ledger_lines(payload: Payload, flags: Any) -> list[str]:
    """Each drug's total against its limit, then the flags; --json has everything."""
    units = {"mg/m2": "mg/m²"}
    lines = []
    for drug in payload.get("drugs", []):
        unit = drug.get("unit")
        shown = units.get(unit, unit)
        if unit and drug.get("total") is not None:
            parts = [f"{format_number(drug['total'], 2)} {shown}"]
            if drug.get("projected") is not None:
                parts.append(f"projected {format_number(drug['projected'], 2)} {shown}")
            if drug.get("limit") is not None:
                parts.append(f"limit {format_number(drug['limit'], 2)} {shown}")
            elif drug.get("warn_threshold") is not None:
                parts.append(f"warning from {format_number(drug['warn_threshold'], 2)} {shown}")
        else:
            parts = [f"{format_number((drug.get('mg') or {}).get('total') or 0, 2)} mg given"]
            if drug.get("counts"):
                parts.append(str(drug["counts"]))
        lines.append(f"  {drug.get('label') or drug.get('drug')}: {'; '.join(parts)} [{drug.get('status')}]")
    lines.append("Flags:" if flags else "Flags: none")
    lines.extend(f"  {flag.render()}" for flag in flags)
    return lines


# ----------------------------------------------------------------------------------------------- audit, backup


def _cmd_audit_verify(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from sqlalchemy import select

    from dosecalc.store.db import StoreError
    from dosecalc.store.schema import patients

    with _opened(args) as store:
        check = store.check_chain()
        if not check.ok:
            with store.engine.connect() as connection:
                numbers = dict(
                    connection.execute(
                        select(patients.c.id, patients.c.hospital_number).where(patients.c.id.in_(check.patient_ids))
                    ).all()
                )
            affected = ", ".join(f"{numbers.get(p, '?')} (id {p})" for p in sorted(check.patient_ids)) or "none"
            raise StoreError(
                "audit",
                None,
                f"trail broken at entry {check.first_bad_seq}: {check.problem}; affected patients: {affected}; "
                "their records are read-only",
                expected="an administrator to investigate (compare with the last good backup)",
                code="audit.broken",
                params={"first_bad_seq": check.first_bad_seq, "entries": check.entries, "patients": affected},
            )
        payload = {"audit": {"ok": True, "entries": check.entries}, "db": _db_text(store)}
    return payload, [check.one_line()]


def _cmd_backup(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.backup import backup

    with _opened(args) as store:
        result = backup(store, Path(args.out))
        payload = {"backup": result.to_json(), "db": _db_text(store)}
    total = sum(result.rows.values())
    summary = [
        f"backup written to {result.path} ({result.kind}): {total} rows in {len(result.rows)} tables, "
        f"schema revision {result.schema_revision}",
        result.chain.one_line(),
        f"SHA-256: {result.sha256}",
    ]
    return payload, summary


def _cmd_restore(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    from dosecalc.store.backup import restore

    with _opened(args) as store:
        result = restore(store, Path(args.source), accept_broken_trail=args.accept_broken_trail)
        payload = {"restore": result.to_json(), "db": _db_text(store)}
    counts = ", ".join(f"{n} {name}" for name, n in result.rows.items() if n) or "no rows"
    return payload, [f"restored {result.path} into {payload['db']}: {counts}", result.chain.one_line()]


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


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add user, patient, measure, plan, give, ledger, audit, backup and restore."""
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

    patients = _nested(sub, "patient", "Patients in the record store.")
    p = _action(patients, "add", "Add a patient.", _cmd_patient_add, writes=True)
    p.add_argument("--hospital-number", required=True)
    p.add_argument("--name", required=True, help="full name as on the wristband")
    p.add_argument("--dob", required=True, help="date of birth, YYYY-MM-DD")
    p.add_argument("--sex", required=True, help="female | male")
    p.add_argument("--allergies", required=True, help="'no known allergies' if there are none (never left empty)")
    p.add_argument("--diagnosis", required=True)
    p.add_argument("--language", help="language of the patient's printouts: zh_CN (default) | en")
    p = _action(patients, "list", "Patients, by name; --search matches name or hospital number.", _cmd_patient_list,
                writes=False)  # fmt: skip
    p.add_argument("--search")
    p = _action(
        patients,
        "show",
        "One patient: identifiers, latest measurements, plans, orders and administrations.",
        _cmd_patient_show,
        writes=False,
    )
    p.add_argument("patient", metavar="PATIENT", help="hospital number")

    p = command("measure", "Record a measurement or laboratory value for a patient.", _cmd_measure)
    _common(p, writes=True)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument(
        "--kind",
        required=True,
        help="height | weight | creatinine | anc | platelets | hemoglobin | bilirubin | ast | alt",
    )
    p.add_argument("--value", required=True, help='with its unit, e.g. "61 kg", "78 µmol/L", "1.5 x10^9/L"')
    p.add_argument("--date", required=True, help="when it was measured, YYYY-MM-DD")
    p.add_argument("--source", help="measured (default) | stated | estimated")

    plans = _nested(sub, "plan", "Treatment plans.")
    p = _action(plans, "create", "Start a plan: the regimen version is pinned.", _cmd_plan_create, writes=True)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument("--regimen", required=True)
    p.add_argument("--version", help="a regimen version of the library (default: the current one)")
    p.add_argument("--start", required=True, help="first day of the plan, YYYY-MM-DD")
    p.add_argument("--choose", action="append", metavar="GROUP=OPTION", help="one per choice group")
    p.add_argument(
        "--phase-start", action="append", metavar="PHASE=YYYY-MM-DD", help="start of an optional phase on its date"
    )
    p.add_argument("--bsa-formula", help="pin a BSA formula for the plan's orders (default mosteller)")
    p.add_argument("--renal-method", help="cockcroft-gault (default) | ckd-epi-2021 | measured")
    p.add_argument("--weight-basis", help="actual (default) | ideal | adjusted | lower")
    p.add_argument("--creatinine-floor", help='none (default) or e.g. "0.7 mg/dL"')
    p.add_argument("--gfr-cap", help='"125 mL/min" (default), another value, or none')
    p.add_argument("--max-deviation", help='largest rounding deviation, e.g. "5%%" (default)')
    p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")

    p = command("give", "Record what was given (or held, or modified) on a day.", _cmd_give)
    _common(p, writes=True)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument("--drug", required=True, help="a drug id of the catalogue, e.g. sintilimab")
    p.add_argument("--status", required=True, help="given | held | modified")
    p.add_argument("--dose", help='the dose actually given, e.g. "200 mg" (not with held)')
    p.add_argument("--date", required=True, help="the day it was given, YYYY-MM-DD")
    p.add_argument("--bsa", help='the BSA the dose was based on, e.g. "1.7 m**2" (for mg/m² totals)')
    p.add_argument("--order", help="the order id it was given against")
    p.add_argument("--note", help="required for a modified dose: what was changed and why")
    p.add_argument("--site-regimens", help="a site directory whose drug catalogue adds drugs")

    p = command("ledger", "Cumulative doses of a patient against their lifetime limits.", _cmd_ledger)
    _common(p, writes=False)
    p.add_argument("patient", metavar="PATIENT", help="hospital number")
    p.add_argument("--on", help="the day of the ledger, YYYY-MM-DD (default today)")
    p.add_argument("--site-regimens", help="a site directory of regimen files that override by id")

    audit = _nested(sub, "audit", "The audit trail.")
    _action(
        audit,
        "verify",
        "Recompute the audit chain: exit 0 if intact, else exit 2 naming the first bad entry.",
        _cmd_audit_verify,
        writes=False,
    )

    p = command("backup", "Write a backup of the whole store (JSON lines, gzip, or a SQLite copy).", _cmd_backup)
    _common(p, writes=False)
    p.add_argument(
        "--out", required=True, help="FILE.jsonl, FILE.jsonl.gz, or (SQLite store) FILE.sqlite3; never overwritten"
    )

    p = command("restore", "Restore a backup into an empty store (--db), checking the audit chain.", _cmd_restore)
    _common(p, writes=False)
    p.add_argument("--from", dest="source", required=True, metavar="FILE", help="a file written by dosecalc backup")
    p.add_argument(
        "--accept-broken-trail",
        action="store_true",
        help="restore a backup whose audit trail was already broken, exactly as it is (the evidence)",
    )
