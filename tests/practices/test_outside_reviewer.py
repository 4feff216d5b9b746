"""A second opinion from a GP of another practice in the PCN: Riverside lets its cases go to a
GP of Hillside, in the same PCN. That GP reviews, records the outcome and sends the letter of
the case given to them, and reaches nothing else of Riverside; the case page, the email and the
audit say they work at Hillside. A practice that does not allow it offers no one from outside,
and a GP of a practice in another PCN is never offered."""

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import form_values, set_practice, sign_in, text_of, version_on
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import across_practices, in_practice
from tracker.practices.services import create_practice
from tracker.staff.models import Membership

PATIENT = "Ada Riverside"


@pytest.fixture
def pcn(app, staff, log_case):
    """Riverside (the staff's practice, allowing outside reviewers, two cases) and Hillside
    in North PCN with Dr Hana Hill, a GP there only; Faraway, in South PCN, with its own GP."""
    given = log_case(patient_name=PATIENT, address_lines="4 Mill Lane\nLeeds", postcode="LS6 3AA")
    other = log_case(patient_name="Bea Notgiven", nhs_number="999 000 0026")
    with app.app_context():
        hillside = create_practice(ods_code="B82002", name="Hillside Surgery", pcn_name="North PCN")
        faraway = create_practice(ods_code="C83003", name="Faraway Surgery", pcn_name="South PCN")
        riverside = set_practice(
            practice_name="Riverside Surgery",
            ods_code="A81001",
            pcn_id=hillside.pcn_id,
            outside_reviewers_allowed=True,
        )
        with in_practice(hillside.id):
            hill = factories.create_user("gp", full_name="Dr Hana Hill")
        with in_practice(faraway.id):
            far = factories.create_user("gp", full_name="Dr Fay Far")
        return riverside.id, hillside.id, hill, far, given, other


def assign_page(as_user, staff, reference):
    return as_user(staff.manager).get(f"/cases/{reference}/assign").get_data(as_text=True)


def test_a_gp_of_another_practice_is_offered_and_reviews_only_the_case_given_to_them(
    app, staff, pcn, as_user, act, load_case, mail_on, run_command
):
    riverside, hillside, hill, far, given, other = pcn
    page = assign_page(as_user, staff, given)
    assert "Dr Hana Hill (GP at Hillside Surgery)" in page
    assert "Dr Fay Far" not in page  # another PCN's GP

    assigned = act(staff.manager, given, "assign", {"reviewer": str(hill.id)})
    assert assigned.status_code == 302, assigned.get_data(as_text=True)
    assert load_case(given).reviewer_id == hill.id

    # The case page names where the reviewer works.
    seen_by_manager = text_of(as_user(staff.manager).get(f"/cases/{given}"))
    assert "Dr Hana Hill (GP at Hillside Surgery)" in seen_by_manager

    # The email says whose case it is and where the reviewer works, and links to it there.
    run_command("send-mail")
    [mail] = mail_on.to(hill.email)
    assert "a case of Riverside Surgery, another practice in your PCN" in mail.text
    assert "as a GP at Hillside Surgery" in mail.text
    assert f"/practices/{riverside}/cases/{given}" in mail.text
    assert PATIENT not in mail.text

    # Dr Hill signs in at Hillside; the email's link opens the case in Riverside.
    gp = as_user(hill)
    assert "Riverside Surgery" not in text_of(gp.get("/"))
    opened = gp.get(f"/practices/{riverside}/cases/{given}")
    assert opened.headers["Location"] == f"/cases/{given}"
    home = text_of(gp.get("/"))
    assert "Second opinions for Riverside Surgery" in home
    assert given in home and other not in home
    case_page = gp.get(f"/cases/{given}")
    assert case_page.status_code == 200 and PATIENT in text_of(case_page)

    # They review it, record the outcome and send the letter.
    assert act(hill, given, "start-review", {"review_type": "notes"}).status_code == 302
    recorded = act(
        hill,
        given,
        "record-outcome",
        {
            "outcome": "first_opinion_confirmed",
            "outcome_summary": "Agree with the first opinion.",
            "patient_response": "satisfied",
        },
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    draft = gp.get(f"/cases/{given}/letters/draft.pdf?letter=outcome")
    assert draft.status_code == 200, text_of(draft)
    sent = act(hill, given, "send-letter", {"letter": "outcome", "sent_method": "post"})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    case = load_case(given)
    assert (case.stage, case.outcome) == ("outcome_recorded", "first_opinion_confirmed")

    # They cannot pass it to Riverside's staff, whom they do not know.
    assert gp.get(f"/cases/{given}/assign").status_code == 403

    # Every other page of Riverside answers "page not found", as for a practice not theirs.
    for url in (
        f"/cases/{other}",
        f"/cases/{other}/add-note",
        f"/cases/{other}/letters/draft.pdf?letter=outcome",
        "/queue",
        f"/queue?q={other}",
        "/cases/new",
        "/reports/monthly",
        "/reports/monthly.csv",
        "/reports/complaints",
        "/admin/users",
        "/admin/settings",
        "/admin/guidance",
        "/admin/letters",
        "/admin/audit",
        "/admin/audit.csv",
        "/admin/mail",
        "/admin/storage",
    ):
        assert gp.get(url).status_code == 404, url
    assert 'href="/queue"' not in gp.get("/").get_data(as_text=True)  # no "Cases" menu item

    # The audit names where the reviewer works: the assignment, and what they did.
    with app.app_context(), in_practice(riverside):
        events = db.session.scalars(
            select(Event).where(Event.case_id == case.id).order_by(Event.id)
        ).all()
        assigned_event = next(e for e in events if e.kind == "assigned")
        assert assigned_event.changes["reviewer"] == [None, "Dr Hana Hill (Hillside Surgery)"]
        assert {e.kind for e in events if e.actor_id == hill.id} >= {
            "review_started",
            "outcome_recorded",
        }
    audit = text_of(as_user(staff.manager).get("/admin/audit"))
    assert "Dr Hana Hill (Hillside Surgery)" in audit

    # At Hillside they are Hillside's GP as before: Riverside's cases are not in its queue.
    choose = gp.get("/practice")
    assert "Riverside Surgery (A81001): the cases it has given you to review" in text_of(choose)
    gp.post(
        "/practice",
        data=form_values(choose.get_data(as_text=True), "csrf_token") | {"practice": str(hillside)},
    )
    queue = text_of(gp.get("/queue"))
    assert PATIENT not in queue and given not in queue


def test_given_to_someone_else_the_visitor_no_longer_sees_the_case(app, staff, pcn, as_user, act):
    riverside, _, hill, _, given, _ = pcn
    act(staff.manager, given, "assign", {"reviewer": str(hill.id)})
    gp = as_user(hill)
    gp.get(f"/practices/{riverside}/cases/{given}")
    assert gp.get(f"/cases/{given}").status_code == 200
    act(staff.manager, given, "assign", {"reviewer": str(staff.senior.id), "reason": "Back here"})
    assert gp.get(f"/cases/{given}").status_code == 404
    assert given not in text_of(gp.get("/"))


def test_a_practice_that_does_not_allow_it_offers_no_outside_reviewer(
    app, staff, pcn, as_user, act, load_case
):
    _, _, hill, far, given, _ = pcn
    with app.app_context():
        set_practice(outside_reviewers_allowed=False)
    assert "Dr Hana Hill" not in assign_page(as_user, staff, given)

    # A submitted id of an outside GP is refused, and no access is given.
    client = as_user(staff.manager)
    page = client.get(f"/cases/{given}/assign").get_data(as_text=True)
    refused = client.post(
        f"/cases/{given}/assign", data={"version": version_on(page), "reviewer": str(hill.id)}
    )
    assert refused.status_code == 200
    assert "Choose a GP or the practice manager to review this request" in text_of(refused)
    assert load_case(given).reviewer_id is None

    # Allowed, a GP of a practice in another PCN is refused all the same.
    with app.app_context():
        set_practice(outside_reviewers_allowed=True)
    page = client.get(f"/cases/{given}/assign").get_data(as_text=True)
    refused = client.post(
        f"/cases/{given}/assign", data={"version": version_on(page), "reviewer": str(far.id)}
    )
    assert "Choose a GP or the practice manager to review this request" in text_of(refused)
    with app.app_context(), across_practices("this test"):
        kept = db.session.scalars(select(Membership).where(Membership.user_id == far.id)).all()
        faraway = db.session.scalars(select(Practice).where(Practice.ods_code == "C83003")).one()
        assert [m.practice_id for m in kept] == [faraway.id]  # no access to Riverside given


def test_a_request_for_the_senior_partner_is_not_offered_outside(
    app, staff, pcn, as_user, log_case, load_case
):
    _, _, hill, _, _, _ = pcn
    reference = log_case(
        route_requested="senior_partner", patient_name="Cy Senior", nhs_number="999 000 0034"
    )
    client = as_user(staff.manager)
    page = client.get(f"/cases/{reference}/assign").get_data(as_text=True)
    assert "Dr Hana Hill" not in page
    refused = client.post(
        f"/cases/{reference}/assign", data={"version": version_on(page), "reviewer": str(hill.id)}
    )
    assert "The patient asked for the senior partner. Choose the senior partner" in text_of(refused)
    assert load_case(reference).reviewer_id is None


def test_the_host_practice_cannot_manage_the_visitors_account_or_show_them_other_cases(
    app, staff, pcn, as_user, act, place_case
):
    riverside, hillside, hill, _, given, other = pcn
    act(staff.manager, given, "assign", {"reviewer": str(hill.id)})
    manager = as_user(staff.manager)
    # Not Riverside's staff: not listed, and their account is not Riverside's to change.
    assert "Dr Hana Hill" not in text_of(manager.get("/admin/users"))
    assert manager.get(f"/admin/users/{hill.id}").status_code == 404
    assert manager.post(f"/admin/users/{hill.id}/reset-password").status_code in (400, 404)
    # Nor offered as the owner of a call-back on another case.
    contact = manager.get(f"/cases/{other}/record-contact").get_data(as_text=True)
    assert "Dr Hana Hill" not in contact
    # Their case page does not list the patient's other requests at Riverside.
    with app.app_context():
        from tracker.cases.models import Case

        number = db.session.scalar(select(Case.nhs_number).where(Case.reference == given))
    again = place_case(
        nhs_number=number, patient_name=PATIENT, original_gp_id=None, practice_id=riverside
    )
    gp = as_user(hill)
    gp.get(f"/practices/{riverside}/cases/{given}")
    page = gp.get(f"/cases/{given}").get_data(as_text=True)
    assert again not in page
    assert again in manager.get(f"/cases/{given}").get_data(as_text=True)


def test_access_ends_when_the_practice_stops_allowing_it_or_the_gp_leaves_their_own(
    app, staff, pcn, as_user, act
):
    riverside, hillside, hill, _, given, _ = pcn
    act(staff.manager, given, "assign", {"reviewer": str(hill.id)})
    gp = as_user(hill)
    gp.get(f"/practices/{riverside}/cases/{given}")
    assert gp.get(f"/cases/{given}").status_code == 200
    with app.app_context():
        set_practice(outside_reviewers_allowed=False)
    assert gp.get(f"/cases/{given}").status_code == 404
    with app.app_context():
        set_practice(outside_reviewers_allowed=True)
    assert gp.get(f"/cases/{given}").status_code == 200
    # Hillside, the practice they work at, deactivates them: their account signs in nowhere.
    with app.app_context(), in_practice(hillside):
        from tracker.staff.models import User
        from tracker.staff.services import deactivate_user, works_elsewhere

        hillside_manager = db.session.get(User, factories.create_user("practice_manager").id)
        leaver = db.session.get(User, hill.id)
        assert not works_elsewhere(leaver)  # visiting Riverside is not working there
        deactivate_user(leaver, by=hillside_manager)
        db.session.commit()
    assert gp.get(f"/cases/{given}").status_code == 302  # signed out
    assert sign_in(app.test_client(), hill.email, hill.password).status_code == 200


def test_practices_in_no_named_pcn_offer_no_one_from_each_other(app, staff, log_case, as_user):
    """Practices made without naming a PCN share the install's first network, which is no PCN
    of theirs: no GP of one is offered to the other."""
    reference = log_case()
    with app.app_context():
        unnamed = create_practice(ods_code="D84004", name="Unnamed Surgery")
        set_practice(practice_name="Riverside Surgery", outside_reviewers_allowed=True)
        assert db.session.get(Practice, unnamed.id).pcn_id == (
            db.session.scalars(select(Practice.pcn_id).order_by(Practice.id)).first()
        )
        with in_practice(unnamed.id):
            factories.create_user("gp", full_name="Dr Una Named")
    assert "Dr Una Named" not in as_user(staff.manager).get(f"/cases/{reference}/assign").get_data(
        as_text=True
    )
