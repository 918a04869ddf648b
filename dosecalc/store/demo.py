"""The demonstration patient: an invented, clearly marked record that shows the whole product at once.

On a first start with an empty store the workstation offers the demonstration: one patient (``demo``
set, hospital number ``DEMO-0001``, a name that says "DEMO" and "demonstration") with measurements and
a full NCT07016737 plan. Lists mark the record ``DEMO`` and every screen of it carries a banner, so it
is never taken for a real patient.

The demonstration user ``demo`` (a pharmacist) is created only in a store that has no user yet. Its
password is random and never shown: the demonstration is opened without a password while ``demo`` is
the store's only user (:func:`demonstration_user`), and once a real user exists nobody can sign in as
``demo`` any more.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Row, select

from dosecalc.errors import InputError
from dosecalc.regimen.loader import Library
from dosecalc.store.audit import SYSTEM, Actor
from dosecalc.store.records import Store
from dosecalc.store.schema import patients, users
from dosecalc.store.users import Role, User

__all__ = [
    "DEMO_CHOICES",
    "DEMO_HOSPITAL_NUMBER",
    "DEMO_REGIMEN",
    "DEMO_START",
    "DEMO_USERNAME",
    "demonstration_available",
    "demonstration_user",
    "ensure_demo",
    "needs_first_administrator",
]

DEMO_HOSPITAL_NUMBER = "DEMO-0001"
DEMO_USERNAME = "demo"
DEMO_REGIMEN = "escc-nct07016737"
DEMO_CHOICES = {"pd1": "sintilimab", "chemo": "docetaxel", "rt": "50.4gy-28fx"}
DEMO_START = dt.date(2026, 12, 7)
_MEASUREMENTS = {
    "height": "168 cm",
    "weight": "61 kg",
    "creatinine": "78 µmol/L",
    "anc": "2.1 x10^9/L",
    "platelets": "180 x10^9/L",
    "hemoglobin": "12.5 g/dL",
    # Not in the list: without them the day-1 checks block, and the demonstration opens on BLOCK.
    "bilirubin": "12 µmol/L",
    "ast": "25 units/L",
    "alt": "22 units/L",
}


def _user_rows(store: Store) -> list[Row[tuple[int, str, str, str, bool]]]:
    with store.engine.connect() as connection:
        query = select(users.c.id, users.c.username, users.c.full_name, users.c.role, users.c.active)
        return list(connection.execute(query.order_by(users.c.id)))


def demonstration_user(store: Store) -> User | None:
    """The ``demo`` user while it is the store's only user (the demonstration opens without a password)."""
    rows = _user_rows(store)
    if len(rows) != 1 or rows[0].username != DEMO_USERNAME or not rows[0].active:
        return None
    return User(rows[0].id, rows[0].username, rows[0].full_name, Role(rows[0].role))


def demonstration_available(store: Store) -> bool:
    """The demonstration can be opened: the store has no user yet, or only the ``demo`` user."""
    return not _user_rows(store) or demonstration_user(store) is not None


def needs_first_administrator(store: Store) -> bool:
    """No active administrator yet: the first one may be created without signing in."""
    return not any(row.role == Role.ADMINISTRATOR.value and row.active for row in _user_rows(store))


def ensure_demo(store: Store, library: Library) -> int:
    """Create whatever of the demonstration is missing; return the demonstration patient's id.

    Idempotent: a second call finds the patient, its measurements and its plan and adds nothing. Only a
    store without users, or with only the ``demo`` user, receives the demonstration; a store with real
    users is refused (or, if it was a demonstration store before, left as it is).
    """
    with store.engine.connect() as connection:
        existing = connection.execute(
            select(patients.c.id, patients.c.demo).where(patients.c.hospital_number == DEMO_HOSPITAL_NUMBER)
        ).first()
    if existing is not None and not existing.demo:
        raise InputError(
            "hospital-number",
            DEMO_HOSPITAL_NUMBER,
            "belongs to a real patient, so the demonstration cannot be added",
            expected="a store where DEMO-0001 is free",
        )
    if not _user_rows(store):
        demo = store.add_user(
            SYSTEM, DEMO_USERNAME, "Demonstration user (DEMO)", Role.PHARMACIST.value, secrets.token_urlsafe(24)
        )
    elif (demo_or_none := demonstration_user(store)) is not None:
        demo = demo_or_none
    elif existing is not None:
        return int(existing.id)  # made while this was a demonstration store; real users never add to it
    else:
        raise InputError(
            "demo",
            None,
            "cannot be added to a store with real users: demonstration data never mixes with real patients",
            expected="an empty store, or one that holds only the demonstration",
        )
    by = Actor(demo.id, demo.username)
    if existing is not None:
        patient_id = int(existing.id)
    else:
        patient_id = store.add_patient(
            by,
            hospital_number=DEMO_HOSPITAL_NUMBER,
            full_name="DEMO Zhang Wei (demonstration)",
            date_of_birth=dt.date(1962, 3, 4),
            sex="male",
            allergies="no known allergies",
            diagnosis="ESCC: in-field recurrence after definitive chemoradiotherapy (DEMO, invented)",
            language="en",
            demo=True,
        )
    recorded = store.latest_measurements(patient_id)
    measured_on = dt.date.today() - dt.timedelta(days=1)
    for kind, text in _MEASUREMENTS.items():
        if kind not in recorded:
            store.add_measurement(by, patient_id, kind, text, measured_on)
    if not store.plans_of(patient_id):
        regimen = library.regimen(DEMO_REGIMEN)
        store.create_plan(
            by,
            patient_id,
            regimen_id=regimen.id,
            regimen_version=regimen.version,
            choices=DEMO_CHOICES,
            policies={},
            start_date=DEMO_START,
        )
    return patient_id
