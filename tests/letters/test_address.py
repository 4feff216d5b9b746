"""The patient's postal address: on the intake form, in contact details and corrections; a UK
postcode kept upper case with its space; needed when the patient wants letters."""

import pytest

from tests.factories import intake_form
from tests.helpers import text_of, version_on
from tracker.fields import normalise_postcode, postcode_problem


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("ls63aa", "LS6 3AA"), (" sw1a 1aa ", "SW1A 1AA"), ("M1 1AE", "M1 1AE"), ("b338th", "B33 8TH"), ("gir0aa", "GIR 0AA")],
)  # fmt: skip
def test_a_postcode_is_kept_upper_case_with_its_space(typed, kept):
    assert normalise_postcode(typed) == kept
    assert postcode_problem(typed) is None


@pytest.mark.parametrize("typed", ["LS6", "12345", "LS6 3A", "LSS 3AA", "LS6 3AAA", "Q1 1AA!"])
def test_what_is_not_a_postcode_is_refused(typed):
    assert postcode_problem(typed) == "Enter a real UK postcode, like LS1 4AP"


def test_the_intake_keeps_the_address_and_shows_it_on_the_case(log_case, as_user, staff, load_case):
    reference = log_case(
        preferred_contact="letter", address_lines="4 Mill Lane\r\nLeeds", postcode="ls6 3aa"
    )
    case = load_case(reference)
    assert (case.address_lines, case.postcode) == ("4 Mill Lane\r\nLeeds", "LS6 3AA")
    text = text_of(as_user(staff.reception).get(f"/cases/{reference}"))
    assert "Address 4 Mill Lane Leeds LS6 3AA" in text


def test_letters_need_an_address_and_bad_input_comes_back_with_what_was_typed(as_user, staff):
    reception = as_user(staff.reception)
    page = reception.post(
        "/cases/new", data=intake_form(preferred_contact="letter", patient_name="Kept Name")
    )
    assert page.status_code == 200
    text = text_of(page)
    assert "Enter the patient's address, or choose another way to contact them" in text
    assert "Enter the postcode, like LS1 4AP" in text
    assert 'value="Kept Name"' in page.get_data(as_text=True)

    page = reception.post(
        "/cases/new",
        data=intake_form(address_lines="4 Mill Lane", postcode="LS6 XYZ", patient_name="Kept Name"),
    )
    assert "Enter a real UK postcode, like LS1 4AP" in text_of(page)
    html = page.get_data(as_text=True)
    assert "4 Mill Lane</textarea>" in html and 'value="LS6 XYZ"' in html


def test_contact_details_and_corrections_change_the_address(
    log_case, act, staff, load_case, events_of, as_user
):
    reference = log_case()
    response = act(
        staff.reception,
        reference,
        "update-contact",
        {"preferred_contact": "letter", "phone": "01632 960001", "address_lines": "1 Old Road", "postcode": "bd1 1aa"},
    )  # fmt: skip
    assert response.status_code == 302
    assert load_case(reference).postcode == "BD1 1AA"

    # The patient wants letters: a correction cannot take the address away.
    client = as_user(staff.reception)
    page = client.get(f"/cases/{reference}/correct")
    assert 'value="BD1 1AA"' in page.get_data(as_text=True)
    refused = client.post(
        f"/cases/{reference}/correct",
        data={
            **_correct_form(page, staff),
            "address_lines": "",
            "postcode": "",
            "reason": "Moved",
        },
    )
    assert "Enter the patient's address, or choose another way to contact them" in text_of(refused)

    page = client.get(f"/cases/{reference}/correct")
    done = client.post(
        f"/cases/{reference}/correct",
        data={**_correct_form(page, staff), "address_lines": "2 New Road", "postcode": "ls1 4ap", "reason": "Moved"},
    )  # fmt: skip
    assert done.status_code == 302
    case = load_case(reference)
    assert (case.address_lines, case.postcode) == ("2 New Road", "LS1 4AP")
    text = text_of(as_user(staff.manager).get(f"/cases/{reference}"))
    assert "Postcode: BD1 1AA → LS1 4AP" in text


def _correct_form(page, staff) -> dict:
    """The correction form with the values the case was logged with, ready to post."""
    data = intake_form(original_gp=str(staff.gp.id), original_gp_other="")
    for contact in ("phone", "email", "preferred_contact"):
        data.pop(contact)
    data["version"] = version_on(page.get_data(as_text=True))
    return data


def test_a_case_logged_before_addresses_were_kept_can_still_be_corrected(
    place_case, staff, as_user, load_case
):
    reference = place_case(preferred_contact="letter", patient_name="Old Case")
    client = as_user(staff.manager)
    page = client.get(f"/cases/{reference}/correct")
    html = page.get_data(as_text=True)
    data = {
        **_correct_form(page, staff),
        "patient_name": "Old Case Corrected",
        "nhs_number": "",
        "nhs_number_unknown": "y",
        "date_of_birth[day]": "1",
        "date_of_birth[month]": "1",
        "date_of_birth[year]": "1980",
        "received_on[day]": "2",
        "received_on[month]": "11",
        "received_on[year]": "2026",
        "channel": "letter",
        "concern": "Concern",
        "reason": "Typo",
    }
    assert 'name="postcode"' in html
    response = client.post(f"/cases/{reference}/correct", data=data)
    assert response.status_code == 302, text_of(response)
    assert load_case(reference).patient_name == "Old Case Corrected"
