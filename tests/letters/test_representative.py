"""Letters to the person acting for the patient: chosen for each letter, refused without the
patient's consent, greeting them by title and surname at their own address and naming the
patient; the patient greeted by title or preferred name; the signature's job title."""

from datetime import date

from sqlalchemy import select

from tests import factories
from tests.helpers import text_of
from tests.letters.conftest import pdf_text
from tracker.cases.letters.models import CaseLetter
from tracker.extensions import db
from tracker.staff.models import User

MOTHER = {
    "representative_title": "Mrs",
    "representative_name": "Anita Patel",
    "representative_relationship": "Mother",
    "representative_address_lines": "9 Canal Walk\nLeeds",
    "representative_postcode": "LS1 4AP",
}
CONSENTED = {
    "representative_consent": True,
    "representative_consent_form": "parental",
    "representative_consent_on": date(2026, 11, 2),
}


def sign_as(app, user, title):
    with app.app_context():
        db.session.get(User, user.id).job_title = title
        db.session.commit()


def letters(app):
    with app.app_context():
        return [
            (row.recipient, pdf_text(row.pdf))
            for row in db.session.scalars(select(CaseLetter).order_by(CaseLetter.id))
        ]


def test_an_acknowledgement_to_a_parent_greets_them_at_their_address_and_names_the_child(
    practice, staff, act, app, letter_case
):
    sign_as(app, staff.manager, "Practice manager")
    reference = letter_case(patient_name="Ayesha Patel", **MOTHER, **CONSENTED)
    sent = act(
        staff.manager,
        reference,
        "send-letter",
        {"letter": "acknowledgement", "recipient": "representative", "sent_method": "post"},
    )
    assert sent.status_code == 302
    ((recipient, text),) = letters(app)
    assert recipient == "representative"
    assert "Dear Mrs Patel" in text and "Dear Ayesha" not in text
    assert "Mrs Anita Patel 9 Canal Walk Leeds LS1 4AP" in text
    assert "4 Mill Lane" not in text  # not the patient's address
    assert "About: Ayesha Patel" in text
    assert "Mo Manager Practice manager Brookside Surgery" in text


def test_no_letter_goes_to_someone_acting_for_the_patient_without_consent(
    practice, staff, act, as_user, app, letter_case
):
    reference = letter_case(patient_name="Ayesha Patel", **MOTHER)
    page = text_of(as_user(staff.manager).get(f"/cases/{reference}/send-letter"))
    assert "Letters can go to the patient only: The patient's consent to Mrs Anita Patel" in page
    refused = act(
        staff.manager,
        reference,
        "send-letter",
        {"letter": "acknowledgement", "recipient": "representative", "sent_method": "post"},
    )
    assert refused.status_code == 200
    assert "consent to Mrs Anita Patel acting for them is not recorded" in text_of(refused)
    assert letters(app) == []


def test_both_makes_one_letter_each_and_the_timeline_says_so(
    practice, staff, act, as_user, app, letter_case
):
    reference = letter_case(patient_name="Ayesha Patel", **MOTHER, **CONSENTED)
    done = act(
        staff.manager,
        reference,
        "send-letter",
        {"letter": "pals", "recipient": "both", "sent_method": "handed_over"},
    )
    assert done.status_code == 302
    sent = letters(app)
    assert [recipient for recipient, _ in sent] == ["patient", "representative"]
    assert "Dear Ayesha Patel" in sent[0][1] and "Dear Mrs Patel" in sent[1][1]
    timeline = text_of(as_user(staff.manager).get(f"/cases/{reference}")).split("Timeline")[1]
    assert "to the patient and to the person acting for them" in timeline


def test_the_patient_is_greeted_by_preferred_name_or_title_and_surname(
    practice, staff, as_user, letter_case
):
    reception = as_user(staff.reception)
    for fields, greeting in (
        ({"patient_name": "John Smith", "patient_title": "Mr"}, "Dear Mr Smith"),
        ({"patient_name": "Smith, John", "patient_title": "Dr"}, "Dear Dr Smith"),
        ({"patient_name": "John Smith", "preferred_name": "Jack"}, "Dear Jack"),
        ({"patient_name": "John Smith"}, "Dear John Smith"),
    ):
        reference = letter_case(**fields)
        pdf = reception.get(f"/cases/{reference}/letters/draft.pdf?letter=acknowledgement")
        assert greeting in pdf_text(pdf.data), fields


def test_consent_needs_its_form_and_date_and_contact_details_need_a_name(staff, as_user, app):
    reception = as_user(staff.reception)
    form = factories.intake_form(
        original_gp=str(staff.gp.id),
        representative_name="Anita Patel",
        representative_relationship="Mother",
        representative_consent="y",
    )
    text = text_of(reception.post("/cases/new", data=form))
    assert "Choose how the patient's consent was given" in text
    assert "Enter the date consent was given" in text
    nameless = factories.intake_form(
        original_gp=str(staff.gp.id), representative_phone="01632 960555"
    )
    assert "Enter the name of the person acting for the patient" in text_of(
        reception.post("/cases/new", data=nameless)
    )
    form |= {
        "representative_consent_form": "parental",
        "representative_consent_on[day]": "2",
        "representative_consent_on[month]": "11",
        "representative_consent_on[year]": "2026",
        "representative_phone": "01632 960555",
    }
    logged = reception.post("/cases/new", data=form)
    assert logged.status_code == 302
    page = text_of(reception.get(logged.headers["Location"]))
    assert "Anita Patel (Mother) Phone: 01632 960555" in page
    assert "Consent: Parental responsibility for a child, 2 November 2026" in page
