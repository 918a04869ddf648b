"""What was given in the record store: administrations, adverse events, prior treatment."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import RowMapping, insert, select

from dosecalc.dosing import parse_dose_basis
from dosecalc.errors import InputError
from dosecalc.radiotherapy import parse_course
from dosecalc.store.audit import Actor, append
from dosecalc.store.db import transaction
from dosecalc.store.records.core import StoreCore, _json, _now
from dosecalc.store.schema import (
    administrations,
    adverse_events,
    prior_chemotherapy,
    prior_radiotherapy,
)

__all__ = ["GivenRecords"]


class GivenRecords(StoreCore):
    """What was given: administrations, adverse events and prior treatment."""

    # ----------------------------------------------------------------------------------- what was given

    def give(
        self,
        by: Actor,
        patient_id: int,
        *,
        drug: str,
        status: str,
        dose_mg: float,
        given_on: dt.date,
        bsa_m2: float | None = None,
        order_id: int | None = None,
        note: str | None = None,
    ) -> int:
        if status not in ("given", "held", "modified"):
            raise InputError("status", status, "is not an administration status", expected="given | held | modified")
        if status == "held":
            dose_mg = 0.0
        elif not dose_mg > 0 or dose_mg != dose_mg or dose_mg > 100000:
            raise InputError("dose", dose_mg, "is not a dose given", expected="a dose in mg greater than zero")
        if status == "modified" and not (note or "").strip():
            raise InputError("note", note, "is required for a modified dose", expected="what was changed and why")
        if given_on > dt.date.today():
            raise InputError("date", given_on.isoformat(), "is in the future", expected="the day it was given")
        self._writable(patient_id)
        self.patient(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "order_id": order_id, "drug": drug, "status": status,
                      "dose_mg": float(dose_mg), "bsa_m2": bsa_m2, "given_on": given_on, "note": note}  # fmt: skip
            row_id = connection.execute(insert(administrations).returning(administrations.c.id).values(
                **values, given_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "administration", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def administrations(self, patient_id: int) -> list[RowMapping]:
        with self.engine.connect() as connection:
            return list(connection.execute(
                select(administrations).where(administrations.c.patient_id == patient_id)
                .order_by(administrations.c.given_on, administrations.c.id)).mappings())  # fmt: skip

    def add_adverse_event(
        self,
        by: Actor,
        patient_id: int,
        *,
        term: str,
        grade: int,
        onset: dt.date,
        phase: str | None = None,
        cycle: int | None = None,
    ) -> int:
        if not term.strip():
            raise InputError(
                "term", term, "is required", expected="a CTCAE v5.0 term, e.g. 'Neutrophil count decreased'"
            )
        if grade not in (1, 2, 3, 4, 5):
            raise InputError("grade", grade, "is not a CTCAE grade", expected="1–5")
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "term": term.strip(), "grade": grade, "onset": onset,
                      "phase": phase, "cycle": cycle}  # fmt: skip
            row_id = connection.execute(insert(adverse_events).returning(adverse_events.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "adverse_event", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def add_prior_chemotherapy(
        self, by: Actor, patient_id: int, *, drug: str, total_text: str, source: str, until: dt.date | None = None
    ) -> int:
        if not source.strip():
            raise InputError("source", source, "is required", expected="where the figure comes from")
        if not re.fullmatch(r"\s*\d+\s+cycles?\s*", total_text or ""):  # "6 cycles" of an antibody is a total too
            parse_dose_basis(total_text, field="total")  # a total in mg/m² or mg, checked now rather than at use
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "drug": drug, "total_text": total_text.strip(),
                      "source": source.strip(), "until": until}  # fmt: skip
            row_id = connection.execute(insert(prior_chemotherapy).returning(prior_chemotherapy.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "prior_chemotherapy", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def add_prior_radiotherapy(
        self,
        by: Actor,
        patient_id: int,
        *,
        site: str,
        total_gy: float,
        fractions: int,
        finished_on: dt.date,
        source: str,
    ) -> int:
        if not site.strip() or not source.strip():
            raise InputError("site", site, "and source are required", expected="the treated site and the source")
        parse_course(f"{total_gy} Gy", fractions, dose_field="total", fractions_field="fractions")
        self._writable(patient_id)
        with transaction(self.engine) as connection:
            values = {"patient_id": patient_id, "site": site.strip(), "total_gy": float(total_gy),
                      "fractions": int(fractions), "finished_on": finished_on, "source": source.strip()}  # fmt: skip
            row_id = connection.execute(insert(prior_radiotherapy).returning(prior_radiotherapy.c.id).values(
                **values, entered_by=by.user_id, entered_at=_now(), row_version=1)).scalar_one()  # fmt: skip
            append(connection, by, "create", "prior_radiotherapy", row_id, patient_id=patient_id, new=_json(values))
        return int(row_id)

    def prior_treatment(self, patient_id: int) -> tuple[list[RowMapping], list[RowMapping]]:
        with self.engine.connect() as connection:
            chemo = list(
                connection.execute(
                    select(prior_chemotherapy).where(prior_chemotherapy.c.patient_id == patient_id)
                ).mappings()
            )
            radio = list(
                connection.execute(
                    select(prior_radiotherapy).where(prior_radiotherapy.c.patient_id == patient_id)
                ).mappings()
            )
        return chemo, radio
