"""The rules of the case: reviewers, NHS numbers, stale forms, duplicates, clinical notes."""

import threading

import pytest

from tests import factories
from tests.helpers import inputs_named, text_of, value_of, version_on
from tracker.cases.models import Case, CaseNote
from tracker.extensions import db
from tracker.staff.models import User


def test_the_gp_who_gave_the_first_opinion_cannot_review(staff, log_case, as_user, load_case):
    reference = log_case(original_gp=str(staff.gp.id))
    client = as_user(staff.manager)
    page = client.get(f"/cases/{reference}/assign").get_data(as_text=True)
    assert f'value="{staff.other_gp.id}"' in page
    assert f'value="{staff.gp.id}"' not in page
    response = client.post(
        f"/cases/{reference}/assign", data={"version": version_on(page), "reviewer": staff.gp.id}
    )
    assert "Dr Gina First gave the first opinion. Choose someone else" in text_of(response)
    assert load_case(reference).stage == "logged"


@pytest.mark.parametrize(
    ("route", "refused", "accepted", "message"),
    [
        ("senior_partner", "other_gp", "senior", "The patient asked for the senior partner"),
        ("practice_manager", "senior", "manager", "The patient asked for the practice manager"),
    ],
)
def test_routes_that_name_a_reviewer(
    staff, log_case, as_user, load_case, route, refused, accepted, message
):
    reference = log_case(route_requested=route)
    client = as_user(staff.manager)
    version = version_on(client.get(f"/cases/{reference}/assign").get_data(as_text=True))
    wrong = client.post(
        f"/cases/{reference}/assign",
        data={"version": version, "reviewer": getattr(staff, refused).id},
    )
    assert message in text_of(wrong)
    assert load_case(reference).reviewer_id is None
    right = client.post(
        f"/cases/{reference}/assign",
        data={"version": version, "reviewer": getattr(staff, accepted).id},
    )
    assert right.status_code == 302
    assert load_case(reference).reviewer_id == getattr(staff, accepted).id


def test_inactive_staff_cannot_be_assigned(app, staff, log_case, as_user, load_case):
    reference = log_case()
    client = as_user(staff.manager)
    version = version_on(client.get(f"/cases/{reference}/assign").get_data(as_text=True))
    with app.app_context():
        db.session.get(User, staff.other_gp.id).active = False
        db.session.commit()
    response = client.post(
        f"/cases/{reference}/assign", data={"version": version, "reviewer": staff.other_gp.id}
    )
    assert "account is deactivated, so they cannot be given cases" in text_of(response)
    assert f'value="{staff.other_gp.id}"' not in response.get_data(as_text=True)
    assert load_case(reference).reviewer_id is None


def test_reassigning_needs_a_reason(staff, log_case, act, load_case):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    response = act(staff.manager, reference, "assign", {"reviewer": staff.senior.id, "reason": ""})
    assert "Enter the reason for giving the case to someone else" in text_of(response)
    assert load_case(reference).reviewer_id == staff.other_gp.id


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("999 000 0019", "Enter a valid NHS number"),
        ("999000001", "NHS number must be 10 digits"),
        ("99900000AB", "NHS number must only include numbers and spaces"),
        ("", "Enter the patient's NHS number, or tick 'NHS number not known'"),
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_clear_message(staff, as_user, app, typed, message):
    response = as_user(staff.reception).post(
        "/cases/new", data=factories.intake_form(nhs_number=typed)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in text_of(response)
    assert '<a href="#nhs_number">' in html  # the error summary links to the field
    assert html.count("<title>Error: ") == 1
    # The field comes back holding exactly what was typed (nothing, when nothing was typed),
    # and "NHS number not known" stays unticked.
    assert value_of(html, "nhs_number") == typed
    assert [("checked" in attrs) for attrs in inputs_named(html, "nhs_number_unknown")] == [False]
    with app.app_context():
        assert db.session.query(Case).count() == 0


def test_nhs_number_is_stored_as_digits_and_shown_in_groups(staff, log_case, load_case, as_user):
    reference = log_case(nhs_number=" 999 000 0018 ")
    assert load_case(reference).nhs_number == "9990000018"
    assert "999 000 0018" in text_of(as_user(staff.reception).get(f"/cases/{reference}"))


def test_unknown_nhs_number_needs_the_date_of_birth(staff, as_user, log_case, load_case):
    client = as_user(staff.reception)
    response = client.post(
        "/cases/new",
        data=factories.intake_form(
            nhs_number="",
            nhs_number_unknown="y",
            **{"date_of_birth[day]": "", "date_of_birth[month]": "", "date_of_birth[year]": ""},
        ),
    )
    assert "Enter the patient's date of birth, as their NHS number is not known" in text_of(
        response
    )
    assert '<a href="#date_of_birth-day">' in response.get_data(as_text=True)
    reference = log_case(nhs_number="", nhs_number_unknown="y")
    case = load_case(reference)
    assert case.nhs_number is None and case.nhs_number_unknown is True
    assert case.date_of_birth.isoformat() == "1984-03-15"


def test_a_failed_intake_comes_back_with_every_value_typed(staff, as_user):
    data = factories.intake_form(
        patient_name="Chris Keep",
        concern="Typed concern that must survive",
        **{"received_on[day]": "1", "received_on[month]": "1", "received_on[year]": "2099"},
        **{"date_of_birth[day]": "31", "date_of_birth[month]": "2", "date_of_birth[year]": "1990"},
        route_requested="pals",
        urgent="yes",
        representative_name="Sam Keep",
        representative_relationship="",
    )
    response = as_user(staff.reception).post("/cases/new", data=data)
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "There is a problem" in page
    assert "The date the request was received must be today or in the past" in page
    assert "Date of birth must be a real date" in page
    assert "Enter their relationship to the patient" in page
    for kept in (
        'value="Chris Keep"',
        "Typed concern that must survive",
        'value="2099"',
        'value="31"',
        'value="Sam Keep"',
    ):
        assert kept in html
    assert 'value="pals" checked' in html and 'value="yes" checked' in html


def test_a_stale_form_is_refused_and_keeps_the_typed_text(staff, log_case, as_user, act, load_case):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    gp = as_user(staff.other_gp)
    opened = gp.get(f"/cases/{reference}/record-outcome").get_data(as_text=True)

    # Meanwhile the practice manager changes the case.
    act(
        staff.manager,
        reference,
        "update-contact",
        {"phone": "01632 960999", "preferred_contact": "phone"},
    )

    typed = "A long summary the GP typed and must not lose."
    response = gp.post(
        f"/cases/{reference}/record-outcome",
        data={
            "version": version_on(opened),
            "outcome": "different_opinion",
            "outcome_summary": typed,
            "patient_response": "satisfied",
        },
    )
    page = text_of(response)
    assert "Someone else changed this case" in page
    assert "Mo Manager changed this case on" in page
    assert typed in response.get_data(as_text=True)
    assert 'value="different_opinion" checked' in response.get_data(as_text=True)
    case = load_case(reference)
    assert case.stage == "assigned" and case.outcome is None

    # The page now carries the current version, so submitting again after checking works.
    again = gp.post(
        f"/cases/{reference}/record-outcome",
        data={
            "version": version_on(response.get_data(as_text=True)),
            "outcome": "different_opinion",
            "outcome_summary": typed,
            "patient_response": "satisfied",
        },
    )
    assert again.status_code == 302
    assert load_case(reference).outcome_summary == typed


def test_duplicate_open_case_is_shown_before_a_second_is_logged(app, staff, log_case, as_user):
    first = log_case()
    client = as_user(staff.reception)
    data = factories.intake_form(original_gp=str(staff.gp.id), concern="A second, different worry")
    warned = client.post("/cases/new", data=data)
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert "This patient already has an open request" in text_of(warned)
    assert first in html and "logged, no reviewer yet" in text_of(warned)
    assert "A second, different worry" in html
    with app.app_context():
        assert db.session.query(Case).count() == 1

    confirmed = client.post("/cases/new", data={**data, "confirm_duplicate": "yes"})
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.query(Case).count() == 2


def test_same_name_and_birth_date_without_nhs_number_counts_as_a_duplicate(
    staff, log_case, as_user
):
    log_case(nhs_number="", nhs_number_unknown="y")
    response = as_user(staff.reception).post(
        "/cases/new",
        data=factories.intake_form(
            nhs_number="",
            nhs_number_unknown="y",
            patient_name="ALEX EXAMPLE",
            original_gp=str(staff.gp.id),
        ),
    )
    assert "This patient already has an open request" in text_of(response)


def test_reception_never_sees_clinical_notes(app, staff, log_case, act, as_user):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    act(
        staff.other_gp,
        reference,
        "add-note",
        {"text": "CLINICAL: query migraine with aura", "clinical": "y"},
    )
    act(
        staff.reception,
        reference,
        "add-note",
        {"text": "Patient phoned to ask for an update", "clinical": "y"},
    )
    act(
        staff.other_gp,
        reference,
        "record-outcome",
        {
            "outcome": "tests_arranged",
            "outcome_summary": "SUMMARY: MRI requested",
            "patient_response": "satisfied",
        },
    )

    reception_page = as_user(staff.reception).get(f"/cases/{reference}").get_data(as_text=True)
    assert "CLINICAL: query migraine" not in reception_page
    assert "SUMMARY: MRI requested" not in reception_page
    assert "Patient phoned to ask for an update" in reception_page
    assert "Tests arranged" in reception_page  # the outcome category is not clinical detail

    gp_page = as_user(staff.gp).get(f"/cases/{reference}").get_data(as_text=True)
    assert "CLINICAL: query migraine" in gp_page and "SUMMARY: MRI requested" in gp_page
    with app.app_context():
        notes = {n.text: n.clinical for n in db.session.query(CaseNote)}
    # Reception cannot mark a note clinical, even by posting the box.
    assert notes == {
        "CLINICAL: query migraine with aura": True,
        "Patient phoned to ask for an update": False,
    }


def test_gps_cannot_log_requests(staff, as_user):
    assert as_user(staff.gp).get("/cases/new").status_code == 403


def test_unknown_case_and_unknown_action_are_not_found(staff, log_case, as_user):
    reference = log_case()
    client = as_user(staff.manager)
    assert client.get("/cases/SO-1999-0001").status_code == 404
    assert client.get(f"/cases/{reference}/explode").status_code == 404


def test_references_are_unique_when_requests_are_logged_at_the_same_moment(app, staff):
    """Eight sessions take a reference at once; each gets its own, with no gaps."""
    from datetime import date

    from tracker.cases.intake import Intake, log_request

    barrier = threading.Barrier(8)
    references, errors = [], []

    def log_one(n):
        try:
            with app.app_context():
                reception = db.session.get(User, staff.reception.id)
                barrier.wait(timeout=10)
                case = log_request(
                    Intake(
                        nhs_number=None, nhs_number_unknown=True, patient_name=f"Concurrent {n}",
                        date_of_birth=date(1990, 1, n + 1), phone=None, email=None, preferred_contact="letter",
                        received_on=date(2026, 11, 2), channel="letter", original_gp_id=None, original_gp_other="Locum",
                        concern="At once", route_requested="unsure", already_discussed_with_own_gp=False,
                        formal_complaint=False, urgent=False, representative_name=None,
                        representative_relationship=None, representative_consent=False,
                    ),
                    reception,
                )  # fmt: skip
                db.session.commit()
                references.append(case.reference)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=log_one, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(references) == 8 and len(set(references)) == 8
    assert sorted(int(r[-4:]) for r in references) == list(range(1, 9))


def test_the_intake_form_starts_with_today_as_the_date_received(staff, as_user, frozen_clock):
    frozen_clock.now = frozen_clock.now.replace(
        month=3, day=31, hour=23, minute=30
    )  # 00:30 BST, 1 April
    html = as_user(staff.reception).get("/cases/new").get_data(as_text=True)
    assert 'id="received_on-day" name="received_on[day]" type="text" value="1"' in html
    assert 'id="received_on-month" name="received_on[month]" type="text" value="4"' in html


def test_closing_a_formal_complaint_records_the_finding(staff, log_case, act, load_case):
    reference = log_case(formal_complaint="yes")
    missing = act(staff.manager, reference, "close", {"closure_reason": "withdrawn"})
    assert "Choose whether the complaint was upheld, partially upheld or not upheld" in text_of(
        missing
    )
    assert load_case(reference).stage == "logged"
    act(
        staff.manager,
        reference,
        "close",
        {"closure_reason": "withdrawn", "complaint_finding": "partially_upheld"},
    )
    case = load_case(reference)
    assert (case.stage, case.complaint_finding) == ("closed", "partially_upheld")


def test_a_change_that_takes_the_action_away_still_gives_back_the_typed_text(
    staff, log_case, act, as_user, load_case
):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    gp = as_user(staff.other_gp)
    opened = gp.get(f"/cases/{reference}/record-outcome").get_data(as_text=True)
    act(
        staff.manager,
        reference,
        "assign",
        {"reviewer": staff.senior.id, "reason": "Senior partner asked to see it"},
    )
    typed = "Three paragraphs the GP wrote before the case moved on."
    response = gp.post(
        f"/cases/{reference}/record-outcome",
        data={
            "version": version_on(opened),
            "outcome": "different_opinion",
            "outcome_summary": typed,
            "patient_response": "satisfied",
        },
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "Mo Manager changed this case on" in page
    assert typed in response.get_data(as_text=True)
    assert (
        'type="submit"'
        not in response.get_data(as_text=True).split('id="stale-warning"')[1].split("</form>")[0]
    )
    assert load_case(reference).outcome is None


def test_saving_contact_details_unchanged_records_no_change(
    app, staff, log_case, act, events_of, load_case
):
    reference = log_case(email="")
    before = load_case(reference).version
    act(
        staff.reception,
        reference,
        "update-contact",
        {
            "phone": "01632 960001",
            "email": "",
            "preferred_contact": "phone",
            "representative_name": "",
            "representative_relationship": "",
        },
    )
    assert load_case(reference).version == before
    assert load_case(reference).email is None
    assert [kind for kind, *_ in events_of(reference)][-1] == "contact_updated"
    assert events_of(reference)[-1][4] == {}


def test_odd_reviewer_filters_are_ignored_not_errors(staff, as_user):
    client = as_user(staff.manager)
    for value in ("²", "99999999999999999999", "-1", "abc"):
        assert client.get(f"/queue?reviewer={value}").status_code == 200
