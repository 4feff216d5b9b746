"""Access audit: "viewed" events at most once per person per case per 10 minutes, and the
practice manager's audit log with its filters and CSV."""

import csv
import io
from datetime import datetime

from sqlalchemy import select

from tests import factories
from tests.helpers import sign_in, text_of
from tracker import clock
from tracker.audit.models import Event
from tracker.extensions import db


def views(app, reference=None):
    with app.app_context():
        return [
            (e.actor.full_name, e.case_id)
            for e in db.session.scalars(
                select(Event).where(Event.kind == "viewed").order_by(Event.id)
            )
        ]


def test_opening_a_case_is_recorded_once_per_person_per_ten_minutes(
    app, staff, log_case, as_user, frozen_clock
):
    reference = log_case()
    reception, gp = as_user(staff.reception), as_user(staff.gp)
    for _ in range(3):
        assert reception.get(f"/cases/{reference}").status_code == 200
    assert len(views(app)) == 1
    gp.get(f"/cases/{reference}")
    assert [name for name, _ in views(app)] == ["Rita Reception", "Dr Gina First"]
    frozen_clock.advance(minutes=9)
    reception.get(f"/cases/{reference}")
    gp.get(f"/cases/{reference}")  # their view of 9 minutes ago is found
    assert len(views(app)) == 2
    frozen_clock.advance(minutes=2)  # 11 minutes after the first views
    reception.get(f"/cases/{reference}")
    gp.get(f"/cases/{reference}")
    assert [name for name, _ in views(app)] == [
        "Rita Reception", "Dr Gina First", "Rita Reception", "Dr Gina First",
    ]  # fmt: skip
    # Views go to the audit log, not the case's own timeline.
    assert "Case viewed" not in text_of(reception.get(f"/cases/{reference}"))


def test_a_case_not_found_records_no_view(app, staff, log_case, as_user):
    log_case()
    reception = as_user(staff.reception)
    assert reception.get("/cases/SO-2026-99999").status_code == 404
    assert views(app) == []


def read_csv(response):
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:], newline="")))


def test_the_audit_log_filters_by_person_case_kind_and_date(
    app, staff, log_case, as_user, frozen_clock
):
    first = log_case(patient_name="Ann First")
    frozen_clock.advance(days=2)
    reception = app.test_client()  # the first session has long since timed out
    sign_in(reception, staff.reception.email, staff.reception.password)
    logged = reception.post(
        "/cases/new",
        data=factories.intake_form(
            patient_name="Bob Second", nhs_number="999 000 0026", original_gp=str(staff.gp.id)
        ),
    )
    second = logged.headers["Location"].rsplit("/", 1)[1]
    assert second.startswith("SO-2026-")
    gp = as_user(staff.gp)
    gp.get(f"/cases/{first}")
    manager = as_user(staff.manager)

    everything = text_of(manager.get("/admin/audit"))
    assert "Request logged" in everything  # the same words as the case timeline
    assert "Signed in" in everything

    by_gp = manager.get(f"/admin/audit?person={staff.gp.id}")
    rows = read_csv(manager.get(f"/admin/audit.csv?person={staff.gp.id}"))
    assert {row["person"] for row in rows} == {"Dr Gina First"}
    assert {row["kind"] for row in rows} == {"signed_in", "viewed"}
    assert "Dr Gina First" in text_of(by_gp)

    rows = read_csv(manager.get(f"/admin/audit.csv?case={second.lower()}"))
    assert rows and {row["case_reference"] for row in rows} == {second}

    rows = read_csv(manager.get("/admin/audit.csv?kind=case_logged"))
    assert sorted(row["case_reference"] for row in rows) == sorted([first, second])

    rows = read_csv(
        manager.get("/admin/audit.csv?kind=case_logged&date_from=2026-11-25&date_to=2026-11-30")
    )
    assert [row["case_reference"] for row in rows] == [second]
    rows = read_csv(manager.get("/admin/audit.csv?kind=case_logged&date_to=2026-11-24"))
    assert [row["case_reference"] for row in rows] == [first]
    assert list(rows[0]) == [
        "occurred_at_utc", "occurred_at_uk", "person", "person_email", "kind", "case_reference",
        "from_stage", "to_stage", "changes", "detail",
    ]  # fmt: skip
    # UK time beside UTC, and the changes as "field: old → new" text with codes kept.
    utc = datetime.fromisoformat(rows[0]["occurred_at_utc"])
    assert rows[0]["occurred_at_uk"] == clock.to_london(utc).strftime("%Y-%m-%d %H:%M:%S")
    assert "route_requested: (none) → second_opinion_gp" in rows[0]["changes"]
    assert "patient_name: (none) → Ann First" in rows[0]["changes"]

    bad = manager.get("/admin/audit?date_from=24/11/2026")
    assert "Enter the 'from' date as year-month-day" in text_of(bad)
    with app.app_context():
        exported = db.session.scalars(select(Event).where(Event.kind == "audit_exported")).all()
    assert len(exported) == 5 and all(e.actor_id == staff.manager.id for e in exported)


def test_the_audit_csv_neutralises_formulas(app, staff, as_user, make_user):
    make_user("gp", full_name="=HYPERLINK(1)")
    manager = as_user(staff.manager)
    manager.get("/")
    rows = read_csv(manager.get("/admin/audit.csv?kind=account_created"))
    assert rows == [] or all(not r["detail"].startswith("=") for r in rows)
    # An account change with a formula-like name is exported as text.
    target = make_user("gp")
    manager.post(
        f"/admin/users/{target.id}",
        data={"full_name": "=cmd|' /C calc'!A0", "email": target.email, "role": "gp"},
    )
    rows = read_csv(manager.get("/admin/audit.csv?kind=account_changed"))
    assert rows[0]["detail"].startswith("'=cmd")


def test_only_the_practice_manager_sees_the_audit_log(login_as, client):
    login_as("gp")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
