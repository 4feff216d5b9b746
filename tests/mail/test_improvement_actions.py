"""Improvement actions: raised from a case with an owner and a due date, listed open, overdue
and done (everyone's or one's own), progress and completion recorded by the owner or the
practice manager; the owner is emailed (real SMTP on loopback) when one falls due and when it
is overdue, once a day; reception sees every action but no clinical action's words."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.helpers import form_values, sign_in, text_of
from tracker.cases.improvement import ImprovementAction
from tracker.extensions import db

CLINICAL = "Add a knee examination prompt to the minor illness template"
PLAIN = "Reception refresher on telephone manner"


def add(client, reference, description, owner_id, due: date, clinical=False):
    page = client.get(f"/actions/new/{reference}")
    assert page.status_code == 200
    data = form_values(page.get_data(as_text=True), "csrf_token") | {
        "description": description,
        "owner": str(owner_id),
        "due_on[day]": str(due.day),
        "due_on[month]": str(due.month),
        "due_on[year]": str(due.year),
    }
    if clinical:
        data["clinical"] = "y"
    return client.post(f"/actions/new/{reference}", data=data)


def action_id(app, description) -> int:
    with app.app_context():
        return db.session.scalar(
            select(ImprovementAction.id).where(ImprovementAction.description == description)
        )


def test_actions_are_listed_filtered_updated_and_hidden_from_reception_when_clinical(
    app, staff, place_case, as_user, frozen_clock
):
    reference = place_case(received_on=date(2026, 11, 2), formal_complaint=True)
    manager = as_user(staff.manager)
    assert (
        add(manager, reference, CLINICAL, staff.gp.id, date(2026, 12, 4), clinical=True).status_code
        == 302
    )
    assert add(manager, reference, PLAIN, staff.reception.id, date(2026, 11, 24)).status_code == 302

    # A form sent with a date in the past comes back with the message and what was typed.
    late = add(manager, reference, "Too late", staff.gp.id, date(2026, 11, 1))
    assert late.status_code == 200
    assert "The due date must be today or later" in text_of(late)
    assert "Too late" in late.get_data(as_text=True)

    listing = text_of(manager.get("/actions"))
    assert CLINICAL in listing and PLAIN in listing
    assert "Due today" in listing

    # Reception sees both actions, the clinical one without its words.
    reception = as_user(staff.reception)
    seen = text_of(reception.get("/actions"))
    assert PLAIN in seen and CLINICAL not in seen
    assert "Clinical detail: for GPs and the practice manager" in seen
    clinical_id = action_id(app, CLINICAL)
    assert CLINICAL not in text_of(reception.get(f"/actions/{clinical_id}"))
    assert reception.get(f"/actions/new/{reference}").status_code == 403
    assert CLINICAL not in text_of(reception.get(f"/cases/{reference}"))

    # Only mine: reception's own action alone.
    mine = text_of(reception.get("/actions?mine=1"))
    assert PLAIN in mine and "Clinical detail" not in mine

    # The owner records progress, then completion with evidence; reception cannot update the
    # GP's action.
    gp = as_user(staff.gp)
    page = gp.get(f"/actions/{clinical_id}").get_data(as_text=True)
    gp.post(
        f"/actions/{clinical_id}/progress",
        data=form_values(page, "csrf_token") | {"text": "Drafted the prompt"},
    )
    empty = gp.post(f"/actions/{clinical_id}/done", data=form_values(page, "csrf_token"))
    assert empty.status_code == 400
    assert "Enter the evidence that the action is done" in text_of(empty)
    done = gp.post(
        f"/actions/{clinical_id}/done",
        data=form_values(page, "csrf_token") | {"evidence": "Template v3 live from 30 November"},
    )
    assert done.status_code == 302
    assert reception.post(f"/actions/{clinical_id}/progress", data={"text": "x"}).status_code in (
        400,
        403,
    )
    shown = text_of(gp.get(f"/actions/{clinical_id}"))
    assert "Drafted the prompt" in shown and "Template v3 live" in shown

    assert CLINICAL not in text_of(manager.get("/actions"))  # open only, by default
    assert CLINICAL in text_of(manager.get("/actions?show=done"))
    assert CLINICAL not in text_of(manager.get("/actions?show=overdue"))
    frozen_clock.now = datetime(2026, 11, 25, 9, tzinfo=UTC)  # the next day: signed in again
    tomorrow = app.test_client()
    sign_in(tomorrow, staff.manager.email, staff.manager.password)
    assert PLAIN in text_of(tomorrow.get("/actions?show=overdue"))


def test_the_owner_is_emailed_when_an_action_falls_due_and_when_it_is_overdue(
    app, staff, place_case, as_user, frozen_clock, mail_on, run_command
):
    reference = place_case(
        received_on=date(2026, 11, 2),
        stage="closed",
        closed_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    add(as_user(staff.manager), reference, PLAIN, staff.gp.id, date(2026, 11, 26))
    seen = {}
    for day in (24, 25, 26, 27):
        frozen_clock.now = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
        before = len(mail_on.received)
        run_command("send-reminders")
        run_command("send-reminders")  # once a day
        run_command("send-mail")
        seen[day] = [
            (m.to, m.subject)
            for m in mail_on.received[before:]
            if m.subject.startswith("Improvement action")
        ]
    assert seen[24] == []
    assert seen[25] == [(staff.gp.email, f"Improvement action due tomorrow: {reference}")]
    assert seen[26] == [(staff.gp.email, f"Improvement action due today: {reference}")]
    assert seen[27] == [(staff.gp.email, f"Improvement action overdue: {reference}")]
    body = [m for m in mail_on.received if m.to == staff.gp.email][-1].text
    assert PLAIN not in body  # the action's words stay in the tracker
    assert "Improvement action due by 26 November 2026" in body


def test_a_clinical_action_is_owned_by_someone_who_can_read_it_and_the_purge_takes_its_words(
    app, staff, place_case, as_user, frozen_clock
):
    reference = place_case(
        received_on=date(2015, 3, 2),
        stage="closed",
        closed_at=datetime(2015, 4, 1, 9, tzinfo=UTC),
    )
    manager = as_user(staff.manager)
    refused = add(
        manager, reference, CLINICAL, staff.reception.id, date(2026, 12, 4), clinical=True
    )
    assert refused.status_code == 200
    assert "A clinical action's owner must be one of the GPs and the practice manager" in text_of(
        refused
    )
    assert add(manager, reference, PLAIN, staff.reception.id, date(2026, 12, 4)).status_code == 302
    with app.app_context():
        from tracker.cases.improvement import ImprovementNote
        from tracker.security.retention import purge_expired

        action = db.session.scalars(select(ImprovementAction)).one()
        db.session.add(ImprovementNote(action_id=action.id, author_id=staff.manager.id, text="x"))
        db.session.commit()
        purge_expired(dry_run=False)
        db.session.commit()
        action = db.session.scalars(select(ImprovementAction)).one()
        assert (action.description, action.evidence) == ("[removed]", None)
        assert db.session.scalars(select(ImprovementNote)).all() == []


def test_another_practices_action_answers_not_found(app, staff, place_case, as_user):
    """An improvement action belongs to its practice: its page and forms answer 404 to the
    staff of another practice, and it is in no list of theirs."""
    from tracker.practices.scope import in_practice
    from tracker.practices.services import create_practice

    reference = place_case(received_on=date(2026, 11, 2))
    add(as_user(staff.manager), reference, PLAIN, staff.reception.id, date(2026, 12, 4))
    theirs = action_id(app, PLAIN)
    with app.app_context():
        hillside = create_practice(ods_code="B82002", name="Hillside Surgery", pcn_name="North PCN")
        db.session.commit()
        from tests import factories

        with in_practice(hillside.id):
            other = factories.create_user("practice_manager")
    client = as_user(other)
    assert client.get(f"/actions/{theirs}").status_code == 404
    token = form_values(client.get("/admin/settings").get_data(as_text=True), "csrf_token")
    assert client.post(f"/actions/{theirs}/progress", data=token | {"text": "x"}).status_code == 404
    assert client.post(f"/actions/{theirs}/done", data=token | {"evidence": "x"}).status_code == 404
    assert PLAIN not in text_of(client.get("/actions?show=all"))
