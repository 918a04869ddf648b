"""The store opens on both databases and keeps a valid chain through ordinary work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dosecalc.store.records import Store
from dosecalc.store.users import User
from tests.store.conftest import TODAY, actor


def test_ordinary_work_keeps_the_chain(store: Store, staff: dict[str, User]) -> None:
    li = actor(staff["li"])
    patient = store.add_patient(li, hospital_number="H001", full_name="张伟", date_of_birth=dt.date(1962, 3, 4),
                                sex="male", allergies="no known allergies", diagnosis="ESCC")  # fmt: skip
    store.add_measurement(li, patient, "weight", "61 kg", TODAY)
    store.add_measurement(li, patient, "creatinine", "78 µmol/L", TODAY)
    plan = store.create_plan(li, patient, regimen_id="escc-nct07016737", regimen_version="1.0.0",
                             choices={"pd1": "sintilimab"}, policies={}, start_date=TODAY)  # fmt: skip
    order = store.save_order(
        li,
        plan,
        "induction",
        1,
        {"weight": "61 kg"},
        {"lines": [{"drug": "sintilimab", "final": {"value": 200.0, "unit": "mg"}}]},
    )
    signature = store.verify_order(staff["wang"], "wang-password", order, {"sintilimab": 200})
    assert len(signature) == 64
    assert store.order(order)["status"] == "verified"
    store.give(li, patient, drug="sintilimab", status="given", dose_mg=200, given_on=TODAY, order_id=order)
    check = store.check_chain()
    assert check.ok, check.one_line()
    assert check.entries >= 10


def test_the_code_expects_the_newest_migration() -> None:
    # SCHEMA_REVISION names the newest migration: a new revision must update it.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from dosecalc.store import db
    from dosecalc.store.schema import SCHEMA_REVISION

    config = Config()
    config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION
