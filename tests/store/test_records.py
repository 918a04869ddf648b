"""Record operations: two-person verification, voiding on edit, conflicts, refusals — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dosecalc.errors import InputError, UnitError
from dosecalc.store.audit import SYSTEM
from dosecalc.store.records import AuthenticationError, ConflictError, Store, content_hash
from dosecalc.store.schema import audit_log
from dosecalc.store.users import User, check_password, hash_password
from tests.store.conftest import TODAY, actor

SNAPSHOT = {"lines": [{"drug": "paclitaxel", "final": {"value": 300.0, "unit": "mg"}},
                      {"drug": "sintilimab", "final": {"value": 200.0, "unit": "mg"}}]}  # fmt: skip


def _patient(store: Store, staff: dict[str, User], number: str = "H001") -> int:
    return store.add_patient(actor(staff["li"]), hospital_number=number, full_name="王芳",
                             date_of_birth=dt.date(1958, 7, 1), sex="female", allergies="penicillin",
                             diagnosis="ESCC, in-field recurrence")  # fmt: skip


def _order(store: Store, staff: dict[str, User], patient: int) -> int:
    plan = store.create_plan(
        actor(staff["li"]),
        patient,
        regimen_id="escc-nct07016737",
        regimen_version="1.0.0",
        choices={"pd1": "sintilimab", "chemo": "paclitaxel"},
        policies={},
        start_date=TODAY,
    )
    return store.save_order(actor(staff["li"]), plan, "induction", 1, {"weight": "61 kg"}, SNAPSHOT)


def test_passwords_are_salted_scrypt() -> None:
    first, second = hash_password("same password"), hash_password("same password")
    assert first != second
    assert first.startswith("scrypt$")
    assert check_password("same password", first)
    assert not check_password("other password", first)
    assert not check_password("same password", "md5$abc")
    assert not check_password("same password", "garbage")


def test_users_and_roles(store: Store, staff: dict[str, User]) -> None:
    assert store.authenticate("li", "li-password").id == staff["li"].id
    assert store.user(staff["li"].id) == staff["li"]
    with pytest.raises(InputError, match="does not exist"):
        store.user(9999)
    with pytest.raises(AuthenticationError):
        store.authenticate("li", "wrong")
    with pytest.raises(AuthenticationError):
        store.authenticate("nobody", "li-password")
    with pytest.raises(InputError) as caught:
        store.add_user(SYSTEM, "li", "Li again", "pharmacist", "long-enough")
    assert caught.value.field == "username"
    with pytest.raises(InputError) as caught:
        store.add_user(SYSTEM, "xu", "Xu", "janitor", "long-enough")
    assert caught.value.field == "role"
    with pytest.raises(InputError) as caught:
        store.add_user(SYSTEM, "xu", "Xu", "nurse", "short")
    assert caught.value.field == "password"


def test_patient_needs_both_identifiers_and_explicit_allergies(store: Store, staff: dict[str, User]) -> None:
    li = actor(staff["li"])
    base = {"hospital_number": "H9", "full_name": "A", "date_of_birth": dt.date(1960, 1, 1), "sex": "male",
            "allergies": "no known allergies", "diagnosis": "ESCC"}  # fmt: skip
    for field, value in (("allergies", ""), ("hospital_number", " "), ("diagnosis", "")):
        with pytest.raises(InputError):
            store.add_patient(li, **{**base, field: value})
    with pytest.raises(InputError) as caught:
        store.add_patient(li, **{**base, "date_of_birth": TODAY + dt.timedelta(days=1)})
    assert caught.value.field == "date-of-birth"
    store.add_patient(li, **base)
    with pytest.raises(InputError) as caught:
        store.add_patient(li, **base)
    assert caught.value.field == "hospital-number"


def test_measurements_are_checked_by_the_core(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    li = actor(staff["li"])
    with pytest.raises(InputError) as caught:
        store.add_measurement(li, patient, "creatinine", "80 mg/dL", TODAY)
    assert "did you mean 80 µmol/L" in caught.value.one_line()
    with pytest.raises(UnitError):
        store.add_measurement(li, patient, "weight", "150 lb", TODAY)
    with pytest.raises(InputError) as caught:
        store.add_measurement(li, patient, "weight", "61 kg", TODAY + dt.timedelta(days=1))
    assert caught.value.field == "measured-on"
    store.add_measurement(li, patient, "weight", "60 kg", TODAY - dt.timedelta(days=10))
    store.add_measurement(li, patient, "weight", "61 kg", TODAY, source="stated")
    store.add_measurement(li, patient, "anc", "1.8 x10^9/L", TODAY)
    latest = store.latest_measurements(patient)
    assert latest["weight"]["value_text"] == "61 kg"
    assert latest["weight"]["source"] == "stated"
    assert latest["anc"]["value_si"] == pytest.approx(1.8)
    earlier = store.latest_measurements(patient, on=TODAY - dt.timedelta(days=1))
    assert earlier["weight"]["value_text"] == "60 kg"


def test_two_person_verification(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    order = _order(store, staff, patient)
    stored = store.order(order)
    assert stored["content_hash"] == content_hash({"inputs": {"weight": "61 kg"}, "snapshot": SNAPSHOT})
    blind = {"paclitaxel": 300, "sintilimab": 200}
    # The person who calculated cannot verify.
    with pytest.raises(InputError, match="cannot verify"):
        store.verify_order(staff["li"], "li-password", order, blind)
    # A nurse cannot verify; a wrong password is refused.
    with pytest.raises(InputError, match="nurse cannot verify"):
        store.verify_order(staff["zhao"], "zhao-password", order, blind)
    with pytest.raises(InputError, match="password did not match"):
        store.verify_order(staff["wang"], "wrong", order, blind)
    # A blind re-entry that differs by one digit is refused (medication-safety §3 #25).
    with pytest.raises(InputError, match="paclitaxel 310 mg vs 300 mg"):
        store.verify_order(staff["wang"], "wang-password", order, {"paclitaxel": 310, "sintilimab": 200})
    with pytest.raises(InputError, match="sintilimab missing"):
        store.verify_order(staff["wang"], "wang-password", order, {"paclitaxel": 300})
    assert store.order(order)["status"] == "calculated"
    signature = store.verify_order(staff["wang"], "wang-password", order, blind)
    verified = store.order(order)
    assert (verified["status"], verified["signature"], verified["verified_by"]) == (
        "verified",
        signature,
        staff["wang"].id,
    )
    with pytest.raises(InputError, match="is verified, not calculated"):
        store.verify_order(staff["chen"], "chen-password", order, blind)
    with store.engine.connect() as connection:
        actions = [r.action for r in connection.execute(select(audit_log.c.action).order_by(audit_log.c.seq))]
    assert actions.count("refuse") == 5  # every refusal is audited
    assert "sign" in actions


def test_an_edit_after_verification_voids_it_and_supersedes_prints(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    order = _order(store, staff, patient)
    store.verify_order(staff["wang"], "wang-password", order, {"paclitaxel": 300, "sintilimab": 200})
    store.record_print(actor(staff["zhao"]), order, "nurse calendar")
    assert store.order(order)["status"] == "printed"
    store.add_measurement(actor(staff["li"]), patient, "weight", "55 kg", TODAY)
    assert store.order(order)["status"] == "superseded"
    with pytest.raises(InputError):
        store.verify_order(staff["wang"], "wang-password", order, {"paclitaxel": 300, "sintilimab": 200})


def test_overrides_need_a_reason(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    plan = store.create_plan(actor(staff["li"]), patient, regimen_id="escc-nct07016737", regimen_version="1.0.0",
                             choices={}, policies={}, start_date=TODAY)  # fmt: skip
    with pytest.raises(InputError) as caught:
        store.save_order(actor(staff["li"]), plan, "induction", 1, {}, SNAPSHOT, [{"code": "stale.weight"}])
    assert caught.value.field == "reason"
    order = store.save_order(
        actor(staff["li"]),
        plan,
        "induction",
        1,
        {},
        SNAPSHOT,
        [{"code": "stale.weight", "reason": "weighed yesterday on the ward"}],
    )
    assert store.order(order)["overrides"][0]["by"] == "li"


def test_a_stale_row_version_is_a_conflict(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    version = store.patient(patient)["row_version"]
    store.update_patient(actor(staff["li"]), patient, version, {"allergies": "penicillin, iodine"}, "new allergy")
    with pytest.raises(ConflictError) as caught:
        store.update_patient(actor(staff["wang"]), patient, version, {"diagnosis": "ESCC stage IV"}, "restaging")
    assert caught.value.field == "patients"
    row = store.patient(patient)
    assert row["allergies"] == "penicillin, iodine"
    assert row["diagnosis"] == "ESCC, in-field recurrence"
    with pytest.raises(InputError):
        store.update_patient(actor(staff["li"]), patient, row["row_version"], {"hospital_number": "X"}, "no")
    with pytest.raises(InputError):
        store.update_patient(actor(staff["li"]), patient, row["row_version"], {"diagnosis": "x"}, "  ")


def test_administrations(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    li = actor(staff["zhao"])
    store.give(li, patient, drug="paclitaxel", status="given", dose_mg=300, given_on=TODAY, bsa_m2=1.69)
    store.give(li, patient, drug="paclitaxel", status="held", dose_mg=300, given_on=TODAY)
    with pytest.raises(InputError) as caught:
        store.give(li, patient, drug="paclitaxel", status="modified", dose_mg=240, given_on=TODAY)
    assert caught.value.field == "note"
    with pytest.raises(InputError):
        store.give(li, patient, drug="paclitaxel", status="given", dose_mg=0, given_on=TODAY)
    with pytest.raises(InputError):
        store.give(li, patient, drug="paclitaxel", status="given", dose_mg=300, given_on=TODAY + dt.timedelta(1))
    rows = store.administrations(patient)
    assert [(r["status"], r["dose_mg"]) for r in rows] == [("given", 300.0), ("held", 0.0)]


def test_adverse_events_and_prior_treatment(store: Store, staff: dict[str, User]) -> None:
    patient = _patient(store, staff)
    li = actor(staff["li"])
    store.add_adverse_event(li, patient, term="Neutrophil count decreased", grade=3, onset=TODAY,
                            phase="induction", cycle=1)  # fmt: skip
    with pytest.raises(InputError):
        store.add_adverse_event(li, patient, term="Nausea", grade=6, onset=TODAY)
    store.add_prior_chemotherapy(li, patient, drug="cisplatin", total_text="300 mg/m**2", source="discharge letter")
    store.add_prior_radiotherapy(li, patient, site="oesophagus", total_gy=50.4, fractions=28,
                                 finished_on=dt.date(2025, 3, 1), source="RT summary")  # fmt: skip
    chemo, radio = store.prior_treatment(patient)
    assert chemo[0]["total_text"] == "300 mg/m**2"
    assert radio[0]["fractions"] == 28
    assert store.check_chain().ok
