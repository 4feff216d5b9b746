"""The local PALS office's details: set in practice settings, shown wherever PALS comes up."""

from tests import factories
from tests.guidance.pages import Page, sidebar
from tests.helpers import text_of
from tracker.settings.models import load_settings

RIVERSIDE = {
    "pals_office_name": "PALS – Riverside NHS Foundation Trust",
    "pals_phone": "01632 960 123",
    "pals_email": "pals@riverside.nhs.example",
    "pals_web_address": "https://riverside.nhs.example/pals",
    "pals_postal_address": "PALS Office\nRiverside Hospital\nRV1 2AB",
}


def test_the_practice_manager_saves_the_pals_office_in_settings(app, save_settings):
    assert save_settings(**RIVERSIDE).status_code == 302
    with app.app_context():
        settings = load_settings()
        saved = {name: getattr(settings, name) for name in RIVERSIDE}
    assert saved == RIVERSIDE


def test_bad_pals_details_come_back_with_the_typed_text_and_an_error_summary(app, save_settings):
    response = save_settings(
        pals_office_name="Riverside PALS",
        pals_email="not an email",
        pals_web_address="javascript:alert(1)",
        pals_phone="call us",
    )
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error: Practice settings")
    assert "There is a problem" in page
    for message in (
        "Enter a PALS email address in the correct format, like pals@nhs.net",
        "Enter a PALS web page address starting with https://",
        "Enter a PALS phone number using only numbers, spaces and + ( ) -",
    ):
        assert message in page
    html = response.get_data(as_text=True)
    assert 'value="not an email"' in html and 'value="call us"' in html
    with app.app_context():
        assert load_settings().pals_phone == ""  # nothing saved


def test_the_pals_stage_shows_the_office_details_from_settings(
    staff, save_settings, case_at, case_sidebar
):
    save_settings(**RIVERSIDE)
    reference = case_at("referred_to_pals")
    for user in (staff.reception, staff.manager):
        shown = case_sidebar(user, reference)
        assert "Your local PALS office PALS – Riverside NHS Foundation Trust" in shown.text
        for detail in (
            "Phone: 01632 960 123",
            "Email: pals@riverside.nhs.example",
            "Web: https://riverside.nhs.example/pals",
            "Post: PALS Office Riverside Hospital RV1 2AB",
        ):
            assert detail in shown.text
        assert "Not set up yet" not in shown.text and "has not added" not in shown.text
        links = {attrs.get("href") for tag, attrs in shown.elements if tag == "a"}
        assert {
            "tel:01632960123",
            "mailto:pals@riverside.nhs.example",
            "https://riverside.nhs.example/pals",
        } <= links


def test_the_pals_office_is_not_shown_at_stages_without_pals(
    staff, save_settings, case_at, case_sidebar
):
    save_settings(**RIVERSIDE)
    shown = case_sidebar(staff.gp, case_at("in_review"))
    assert "Your local PALS office" not in shown.text


def test_the_refer_to_pals_form_shows_the_office_and_fills_in_the_service(
    staff, save_settings, case_at, as_user
):
    save_settings(**RIVERSIDE)
    reference = case_at("outcome_recorded")
    response = as_user(staff.reception).get(f"/cases/{reference}/refer-to-pals")
    form_column = Page(response.get_data(as_text=True).split("<aside", 1)[0])
    assert "Your local PALS office PALS – Riverside NHS Foundation Trust" in form_column.text
    assert "Phone: 01632 960 123" in form_column.text
    assert 'value="PALS – Riverside NHS Foundation Trust"' in response.get_data(as_text=True)


def test_the_intake_pals_route_shows_the_office(staff, save_settings, as_user):
    save_settings(**RIVERSIDE)
    response = as_user(staff.reception).post(
        "/cases/new", data=factories.intake_form(route_requested="pals", concern="")
    )
    assert "Phone: 01632 960 123" in sidebar(response).text


def test_until_the_office_is_set_the_manager_is_prompted_to_set_it(
    staff, case_at, case_sidebar, as_user, save_settings
):
    reference = case_at("referred_to_pals")
    manager_view = case_sidebar(staff.manager, reference)
    assert "Not set up yet." in manager_view.text
    assert ("a", {"href": "/admin/settings#pals_office_name"}) in manager_view.elements
    reception_view = case_sidebar(staff.reception, reference)
    assert "The practice manager has not added the local PALS office's contact details yet" in (
        reception_view.text
    )
    assert "Not set up yet." not in reception_view.text
    refer_form = text_of(as_user(staff.manager).get(f"/cases/{reference}/add-note"))
    assert "Not set up yet." in refer_form
    assert "Local PALS office not set up" in text_of(as_user(staff.manager).get("/admin/guidance"))

    # A name alone is not enough: staff need a way to reach the office.
    save_settings(pals_office_name="Riverside PALS")
    assert "Not set up yet." in case_sidebar(staff.manager, reference).text
    save_settings(pals_office_name="Riverside PALS", pals_phone="01632 960 123")
    assert "Not set up yet." not in case_sidebar(staff.manager, reference).text
    assert "Local PALS office not set up" not in text_of(
        as_user(staff.manager).get("/admin/guidance")
    )
