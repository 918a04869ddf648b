"""Patients and their measurements in the record store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping, insert, or_, select

from dosecalc.errors import InputError
from dosecalc.labs import LAB_KINDS, parse_lab
from dosecalc.patient import Height, MeasurementSource, SerumCreatinine, Weight, parse_sex
from dosecalc.store.audit import Actor, append
from dosecalc.store.db import transaction
from dosecalc.store.records.core import StoreCore, _json, _now
from dosecalc.store.schema import (
    measurements,
    patients,
)

__all__ = ["MEASUREMENT_KINDS", "PatientRecords", "measurement_quantity"]


MEASUREMENT_KINDS = ("height", "weight", "creatinine", *LAB_KINDS)


class PatientRecords(StoreCore):
    """Patients and their measurements."""

    # ----------------------------------------------------------------------------------- patients

    def add_patient(
        self,
        by: Actor,
        *,
        hospital_number: str,
        full_name: str,
        date_of_birth: dt.date,
        sex: str,
        allergies: str,
        diagnosis: str,
        language: str = "zh_CN",
        demo: bool = False,
    ) -> int:
        for name, value in (("hospital-number", hospital_number), ("name", full_name), ("allergies", allergies),
                            ("diagnosis", diagnosis)):  # fmt: skip
            if not value or not value.strip():
                raise InputError(
                    name,
                    value,
                    "is required",
                    expected="'no known allergies' if there are none" if name == "allergies" else "text",
                )
        sex_value = parse_sex(sex).value
        today = dt.date.today()
        if not dt.date(1900, 1, 1) <= date_of_birth <= today:
            raise InputError(
                "date-of-birth",
                date_of_birth.isoformat(),
                "is not a plausible date of birth",
                expected="a date between 1900 and today",
            )
        with transaction(self.engine) as connection:
            if connection.execute(select(patients.c.id).where(patients.c.hospital_number == hospital_number)).first():
                raise InputError("hospital-number", hospital_number, "is already in use", expected="a unique number")
            values = {"hospital_number": hospital_number.strip(), "full_name": full_name.strip(),
                      "date_of_birth": date_of_birth, "sex": sex_value, "allergies": allergies.strip(),
                      "diagnosis": diagnosis.strip(), "language": language, "demo": demo}  # fmt: skip
            patient_id = connection.execute(
                insert(patients).returning(patients.c.id).values(**values, created_at=_now(), row_version=1)
            ).scalar_one()
            append(connection, by, "create", "patient", patient_id, patient_id=patient_id, new=_json(values))
        return int(patient_id)

    def update_patient(
        self, by: Actor, patient_id: int, expected_version: int, changes: Mapping[str, Any], reason: str
    ) -> None:
        allowed = {"full_name", "date_of_birth", "sex", "allergies", "diagnosis", "language"}
        unknown = set(changes) - allowed
        if unknown:
            raise InputError(
                "field", sorted(unknown)[0], "cannot be changed here", expected=" | ".join(sorted(allowed))
            )
        if not reason.strip():
            raise InputError("reason", reason, "is required for a change", expected="why the record changes")
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            old = connection.execute(select(patients).where(patients.c.id == patient_id)).mappings().first()
            if old is None:
                raise InputError("patient", patient_id, "does not exist", expected="a patient id")
            self._bump(connection, patients, patient_id, expected_version, changes)
            append(
                connection,
                by,
                "change",
                "patient",
                patient_id,
                patient_id=patient_id,
                old=_json({k: old[k] for k in changes}),
                new=_json(dict(changes)),
                reason=reason,
            )
            self._void_verifications(connection, by, patient_id, "patient details changed")

    def patient_by_number(self, hospital_number: str) -> RowMapping:
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(patients).where(patients.c.hospital_number == hospital_number))
                .mappings()
                .first()
            )
        if row is None:
            raise InputError(
                "patient",
                hospital_number,
                "is not a hospital number in this store",
                expected="a hospital number from dosecalc patient list",
            )
        return row

    def find_patients(self, text: str = "", *, include_demo: bool = True) -> list[RowMapping]:
        query = select(patients).order_by(patients.c.full_name)
        if text.strip():
            pattern = f"%{text.strip()}%"
            query = query.where(or_(patients.c.full_name.ilike(pattern), patients.c.hospital_number.ilike(pattern)))
        if not include_demo:
            query = query.where(patients.c.demo.is_(False))
        with self.engine.connect() as connection:
            return list(connection.execute(query).mappings())

    # ----------------------------------------------------------------------------------- measurements

    def add_measurement(
        self, by: Actor, patient_id: int, kind: str, text: str, measured_on: dt.date, source: str = "measured"
    ) -> int:
        if kind not in MEASUREMENT_KINDS:
            raise InputError(
                "kind", kind, "is not a measurement DoseCalc records", expected=" | ".join(MEASUREMENT_KINDS)
            )
        try:
            source_value = MeasurementSource(source)
        except ValueError:
            raise InputError("source", source, "is not a source", expected="measured | stated | estimated") from None
        if measured_on > dt.date.today():
            raise InputError("measured-on", measured_on.isoformat(), "is in the future", expected="today or earlier")
        if kind == "height":
            value_si = Height.parse(text, source=source_value).centimetres
        elif kind == "weight":
            value_si = Weight.parse(text, source=source_value).kilograms
        elif kind == "creatinine":
            value_si = SerumCreatinine.parse(text, source=source_value).mg_per_dl
        else:
            value_si = parse_lab(kind, text).value
        self._writable(patient_id)
        self.patient(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "kind": kind, "value_text": text.strip(), "value_si": value_si,
                      "measured_on": measured_on, "source": source_value.value}  # fmt: skip
            row_id = connection.execute(insert(measurements).returning(measurements.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), voided=False, row_version=1)
            ).scalar_one()  # fmt: skip
            append(connection, by, "create", "measurement", row_id, patient_id=patient_id, new=_json(values))
            if kind in ("height", "weight", "creatinine"):
                self._void_verifications(connection, by, patient_id, f"new {kind} recorded")
        return int(row_id)

    def latest_measurements(self, patient_id: int, on: dt.date | None = None) -> dict[str, RowMapping]:
        """The most recent valid value of each kind measured on or before ``on``."""
        on = on or dt.date.today()
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(measurements)
                .where(measurements.c.patient_id == patient_id, measurements.c.voided.is_(False),
                       measurements.c.measured_on <= on)
                .order_by(measurements.c.measured_on, measurements.c.id)
            ).mappings()  # fmt: skip
            latest: dict[str, RowMapping] = {}
            for row in rows:
                latest[row["kind"]] = row
        return latest


def measurement_quantity(row: RowMapping) -> Any:
    """The core model of a stored height, weight or creatinine, with its date and source."""
    source = MeasurementSource(row["source"])
    if row["kind"] == "height":
        return Height.parse(row["value_text"], measured_on=row["measured_on"], source=source)
    if row["kind"] == "weight":
        return Weight.parse(row["value_text"], measured_on=row["measured_on"], source=source)
    if row["kind"] == "creatinine":
        return SerumCreatinine.parse(row["value_text"], measured_on=row["measured_on"], source=source)
    raise InputError("kind", row["kind"], "is not a dosing measurement", expected="height | weight | creatinine")
