"""Safeguards on who the patient is: an NHS number already on a case under another name or
date of birth is checked before it is saved, the case page lists the patient's other requests,
search finds a patient by date of birth, and a name a spreadsheet would read as a formula is
refused."""

from datetime import date

from tests import factories
from tests.helpers import form_values, inputs_named, text_of

NUMBER = "9434765919"  # 943 476 5919
SIOBHAN = {
    "nhs_number": NUMBER,
    "nhs_number_unknown": False,
    "patient_name": "Siobhan O'Brien-Núñez",
    "date_of_birth": date(1961, 3, 3),
}


def intake(**changes) -> dict:
    return factories.intake_form(nhs_number="943 476 5919", **changes)


def test_a_number_on_a_closed_case_under_another_name_is_checked_before_saving(
    staff, place_case, as_user, app
):
    closed = place_case(stage="closed", **SIOBHAN)
    reception = as_user(staff.reception)
    data = intake(patient_name="Sean Murphy", original_gp=str(staff.gp.id))
    warned = reception.post("/cases/new", data=data)
    assert warned.status_code == 200
    text = text_of(warned)
    assert "This NHS number is on another case under a different name or date of birth" in text
    assert f"{closed} : Siobhan O'Brien-Núñez, born 3 March 1961, closed" in text
    with app.app_context():
        assert factories.count_cases() == 1  # nothing saved yet

    # Checked and right: submitting the form again saves it.
    again = reception.post(
        "/cases/new", data=form_values(warned.get_data(as_text=True), holding="confirm_identity")
    )
    assert again.status_code == 302
    with app.app_context():
        assert factories.count_cases() == 2


def test_a_number_on_an_open_case_with_another_birth_date_is_checked(staff, place_case, as_user):
    place_case(**SIOBHAN)
    response = as_user(staff.reception).post(
        "/cases/new",
        data=intake(
            patient_name="Siobhan O'Brien-Núñez",
            original_gp=str(staff.gp.id),
            **{
                "date_of_birth[day]": "4",
                "date_of_birth[month]": "3",
                "date_of_birth[year]": "1961",
            },
        ),
    )
    assert response.status_code == 200
    assert "born 3 March 1961, logged" in text_of(response)
    assert "under a different name or date of birth" in text_of(response)


def test_the_same_patient_written_without_accents_is_no_identity_warning(
    staff, place_case, as_user
):
    place_case(stage="closed", **SIOBHAN)
    response = as_user(staff.reception).post(
        "/cases/new",
        data=intake(
            patient_name="siobhan obrien-nunez",
            original_gp=str(staff.gp.id),
            **{
                "date_of_birth[day]": "3",
                "date_of_birth[month]": "3",
                "date_of_birth[year]": "1961",
            },
        ),
    )
    assert response.status_code == 302  # the closed case is the same patient: nothing to check


def test_a_correction_to_a_number_used_under_another_name_asks_for_confirmation(
    staff, place_case, log_case, as_user, load_case
):
    other = place_case(stage="closed", **SIOBHAN)
    reference = log_case()
    manager = as_user(staff.manager)
    form = form_values(manager.get(f"/cases/{reference}/correct").get_data(as_text=True))
    form.update(nhs_number="943 476 5919", reason="Number mistyped at the desk")
    warned = manager.post(f"/cases/{reference}/correct", data=form)
    text = text_of(warned)
    assert (
        f"This NHS number is on {other} (Siobhan O'Brien-Núñez, born 3 March 1961, closed)" in text
    )
    assert load_case(reference).nhs_number == "9990000018"
    confirmed = manager.post(
        f"/cases/{reference}/correct", data=form_values(warned.get_data(as_text=True))
    )
    assert confirmed.status_code == 302
    assert load_case(reference).nhs_number == NUMBER


def test_the_case_page_lists_the_patients_other_requests(staff, place_case, as_user):
    first = place_case(stage="closed", received_on=date(2026, 3, 2), **SIOBHAN)
    second = place_case(received_on=date(2026, 11, 2), **SIOBHAN)
    unrelated = place_case(nhs_number="9990000026", nhs_number_unknown=False)
    page = text_of(as_user(staff.gp).get(f"/cases/{second}"))
    listed = page.split("Other requests from this patient")[1].split("Letters sent")[0]
    assert f"{first} : received 2 March 2026, closed" in listed
    assert second not in listed and unrelated not in listed
    alone = text_of(as_user(staff.gp).get(f"/cases/{unrelated}"))
    assert "Other requests from this patient None." in alone


def test_search_finds_a_patient_by_date_of_birth_part_of_a_name_and_case_number(
    staff, place_case, as_user
):
    siobhan = place_case(**SIOBHAN)
    numbered = place_case(reference="SO-2026-0061", sequence=61, patient_name="Ann Other")
    reception = as_user(staff.reception)
    for typed in ("3/3/1961", "03-03-1961", "3 3 1961", "1961-03-03"):
        found = text_of(reception.get("/queue", query_string={"q": typed}))
        assert siobhan in found and numbered not in found, typed
    assert siobhan in text_of(reception.get("/queue", query_string={"q": "Brien"}))
    assert siobhan in text_of(reception.get("/queue", query_string={"q": "nunez siob"}))
    by_number = text_of(reception.get("/queue", query_string={"q": "61"}))
    assert numbered in by_number and siobhan not in by_number


def test_a_name_a_spreadsheet_would_read_as_a_formula_is_refused(staff, as_user, app):
    reception = as_user(staff.reception)
    for name in ("=1+1", "+44 Smith", "@SUM(A1)", "-Jones"):
        response = reception.post(
            "/cases/new",
            data=factories.intake_form(patient_name=name, original_gp=str(staff.gp.id)),
        )
        assert response.status_code == 200
        assert (
            "Enter the patient's name without = + - or @ at the start: a spreadsheet would read "
            "it as a formula"
        ) in text_of(response)
        assert inputs_named(response.get_data(as_text=True), "patient_name")[0]["value"] == name
    acting = reception.post(
        "/cases/new",
        data=factories.intake_form(
            original_gp=str(staff.gp.id),
            representative_name="=HYPERLINK(1)",
            representative_relationship="Son",
        ),
    )
    assert "Enter their name without = + - or @ at the start" in text_of(acting)
    with app.app_context():
        assert factories.count_cases() == 0
