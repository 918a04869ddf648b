"""``dosecalc patient add|list|show`` and ``dosecalc measure``: patients and their measurements."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dosecalc.cli.common import Handler, Parser, Payload
from dosecalc.cli.records.access import (
    LANGUAGES,
    _action,
    _actor,
    _common,
    _db_text,
    _fields,
    _nested,
    _opened,
    _patient,
    signed_in,
)
from dosecalc.cli.records.shapes import (
    _administration_json,
    _administration_line,
    _measurement_json,
    _order_json,
    _patient_json,
    _patient_line,
    _plan_json,
    _plan_line,
)
from dosecalc.cli.schedule import parse_date
from dosecalc.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import RowMapping

    from dosecalc.store.records import Store

__all__ = ["register"]


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


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add ``dosecalc patient add|list|show`` and ``dosecalc measure``."""
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
