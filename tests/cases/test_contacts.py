"""The contact log: each contact with the patient or the person acting for them, and the
call-back it leaves, due like any target: in its owner's "My cases", overdue after its day, in
their daily summary, and done by the contact that completes it."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.helpers import form_values, sign_in, text_of
from tracker.cases.models import Case, CaseContact
from tracker.extensions import db

CALL = {"method": "phone", "direction": "out", "note": "Rang to say the GP will call Friday."}


def callback_by(day: int) -> dict:
    return {
        "callback": "yes",
        "callback_due_on[day]": str(day),
        "callback_due_on[month]": "11",
        "callback_due_on[year]": "2026",
    }


def overdue_list(client) -> str:
    page = text_of(client.get("/queue", query_string={"overdue": "1"}))
    return page.split("Searching also looks at closed cases")[1]


def record(client, reference, **fields) -> object:
    form = form_values(client.get(f"/cases/{reference}/record-contact").get_data(as_text=True))
    form.update(fields)
    return client.post(f"/cases/{reference}/record-contact", data=form)


def test_a_contact_with_a_call_back_is_logged_and_lists_for_its_owner(
    staff, log_case, as_user, app, frozen_clock
):
    # Tuesday 24 November 2026
    reference = log_case()
    reception = as_user(staff.reception)
    done = record(reception, reference, **CALL, **callback_by(26))
    assert done.status_code == 302, text_of(done)
    page = text_of(reception.get(f"/cases/{reference}"))
    contacts = page.split("Contacts with the patient")[1].split("Notes")[0]
    assert "Phone, we contacted them · the patient · recorded by Rita Reception" in contacts
    assert "Rang to say the GP will call Friday." in contacts
    assert "Call-back due 26 November 2026 , for Rita Reception" in contacts
    assert "Call back" in page.split("Due dates")[1].split("Review")[0]
    home = text_of(reception.get("/"))
    assert "Your call-backs (1) " in home and reference in home.split("Your call-backs")[1]
    timeline = page.split("Timeline")[1]
    assert "Contact recorded Rita Reception" in timeline


def test_a_call_back_becomes_overdue_and_the_contact_that_completes_it_ends_it(
    staff, log_case, as_user, app, frozen_clock
):
    reference = log_case(**{"received_on[day]": "24"})  # today: no other target is late
    gp = as_user(staff.gp)
    assert record(gp, reference, **CALL, **callback_by(25)).status_code == 302
    frozen_clock.now = datetime(2026, 11, 26, 9, tzinfo=UTC)  # Thursday: a day late
    gp = app.test_client()  # signed in afresh: the old session ended while idle
    assert sign_in(gp, staff.gp.email, staff.gp.password).status_code == 302
    assert reference in overdue_list(gp)
    form = form_values(gp.get(f"/cases/{reference}/record-contact").get_data(as_text=True))
    page = text_of(gp.get(f"/cases/{reference}/record-contact"))
    assert "Call-back due 25 November 2026, for Dr Gina First" in page
    with app.app_context():
        (waiting,) = db.session.scalars(select(CaseContact)).all()
    form.update(
        {
            "method": "phone",
            "direction": "out",
            "note": "Called back.",
            "completes": str(waiting.id),
        }
    )
    assert gp.post(f"/cases/{reference}/record-contact", data=form).status_code == 302
    assert reference not in overdue_list(gp)
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert case.callback_done_at is not None
    shown = text_of(gp.get(f"/cases/{reference}"))
    assert "Call-back due 25 November 2026: done 26 November 2026" in shown


def test_a_contact_needs_what_was_said_and_a_call_back_needs_a_day_and_an_owner(
    staff, log_case, as_user
):
    reference = log_case()
    reception = as_user(staff.reception)
    refused = record(
        reception,
        reference,
        method="phone",
        direction="in",
        note="",
        callback="yes",
        callback_owner="",
    )
    text = text_of(refused)
    assert "Enter what was said or agreed" in text
    assert "Enter the date to call back by" in text
    assert "Choose who will do the call-back" in text
    past = record(reception, reference, **CALL, **callback_by(2))
    assert "The date to call back by must be today or later" in text_of(past)
