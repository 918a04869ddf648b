"""The JSON shapes and one-line summaries of records that the record commands print."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dosecalc.cli.common import Payload
from dosecalc.display import format_number

if TYPE_CHECKING:
    from sqlalchemy import RowMapping


__all__: list[str] = []


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
