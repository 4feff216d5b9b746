"""Markup drawn from the practice's settings alone (the settings form as saved, the footer, the
local PALS office) is kept until the settings change: a change shows on the next request,
also one saved through another worker or host, which this one hears nothing about."""

from sqlalchemy import update

from tests.factories import settings_form
from tests.helpers import text_of, value_of
from tracker.extensions import db
from tracker.settings.models import Practice
from tracker.staff.models import User

RIVERSIDE = settings_form(
    practice_name="Riverside Surgery",
    ods_code="Y12345",
    pals_office_name="Riverside PALS",
    pals_phone="01632 960 123",
)


def test_a_saved_change_shows_on_the_next_request_on_every_page_drawn_from_it(staff, as_user):
    manager, reception = as_user(staff.manager), as_user(staff.reception)
    for client, path in ((manager, "/admin/settings"), (reception, "/cases/new")):
        assert client.get(path).status_code == 200  # drawn, and kept, for the settings before
    assert manager.post("/admin/settings", data=RIVERSIDE).status_code == 302

    form = manager.get("/admin/settings")
    html = form.get_data(as_text=True)
    assert value_of(html, "practice_name") == "Riverside Surgery"
    assert value_of(html, "pals_phone") == "01632 960 123"
    assert "Riverside Surgery · ODS Y12345" in text_of(form)  # the footer

    intake = text_of(reception.get("/cases/new"))
    assert "Your local PALS office Riverside PALS Phone: 01632 960 123" in intake
    assert "Riverside Surgery · ODS Y12345" in intake

    moved = {**RIVERSIDE, "pals_phone": "01632 960 999", "ods_code": "Y99999"}
    assert manager.post("/admin/settings", data=moved).status_code == 302
    intake = text_of(reception.get("/cases/new"))
    assert "Phone: 01632 960 999" in intake and "01632 960 123" not in intake
    assert "Riverside Surgery · ODS Y99999" in intake
    assert value_of(manager.get("/admin/settings").get_data(as_text=True), "ods_code") == "Y99999"


def test_a_change_saved_elsewhere_shows_on_the_next_request(app, staff, as_user):
    """Another worker saves the settings: nothing here is told, the row is what changes."""
    manager, reception = as_user(staff.manager), as_user(staff.reception)
    assert manager.post("/admin/settings", data=RIVERSIDE).status_code == 302
    assert "Phone: 01632 960 123" in text_of(reception.get("/cases/new"))
    assert value_of(manager.get("/admin/settings").get_data(as_text=True), "pals_phone") == (
        "01632 960 123"
    )
    with app.app_context():
        db.session.execute(
            update(Practice).values(pals_phone="01632 960 777", practice_name="Riverbank")
        )
        db.session.commit()

    intake = text_of(reception.get("/cases/new"))
    assert "Phone: 01632 960 777" in intake and "Riverbank · ODS Y12345" in intake
    html = manager.get("/admin/settings").get_data(as_text=True)
    assert value_of(html, "pals_phone") == "01632 960 777"
    assert value_of(html, "practice_name") == "Riverbank"


def test_a_form_sent_back_shows_what_was_typed_not_what_is_saved(staff, as_user):
    manager = as_user(staff.manager)
    assert manager.post("/admin/settings", data=RIVERSIDE).status_code == 302
    manager.get("/admin/settings")
    sent_back = manager.post("/admin/settings", data={**RIVERSIDE, "pals_phone": "call us"})
    assert sent_back.status_code == 200
    html = sent_back.get_data(as_text=True)
    assert value_of(html, "pals_phone") == "call us"
    assert "Enter a PALS phone number using only numbers, spaces and + ( ) -" in text_of(sent_back)
    again = manager.get("/admin/settings").get_data(as_text=True)
    assert value_of(again, "pals_phone") == "01632 960 123"


def test_the_pals_prompt_follows_who_is_reading(staff, as_user):
    """The same settings, kept once for each way the PALS office is shown: the practice
    manager is asked to add the details, others are told where patients can look."""
    for user in (staff.manager, staff.reception, staff.manager):
        intake = text_of(as_user(user).get("/cases/new"))
        asks_manager = "Add the local PALS office's name and how to contact it" in intake
        assert asks_manager == (user is staff.manager)
        assert ("The practice manager has not added" in intake) == (user is not staff.manager)


def test_in_production_a_worker_looks_again_within_seconds(app, staff, as_user, monkeypatch):
    """With the production interval: the worker that saves sees the change at once; a change
    saved elsewhere shows once the interval has passed, and so does new demo data."""
    from tracker import extensions, navigation
    from tracker.settings import models as settings_models

    monkeypatch.setitem(app.config, "SETTINGS_CHECKED_EVERY", 2.0)
    for kept in (settings_models._SNAPSHOT, navigation._DEMO):  # from earlier tests
        monkeypatch.delitem(app.extensions, kept, raising=False)
    now = [1000.0]
    for module in (settings_models, extensions):  # the settings' clock and kept_a_while's
        monkeypatch.setattr(module.time, "monotonic", lambda: now[0])
    manager, reception = as_user(staff.manager), as_user(staff.reception)
    assert manager.post("/admin/settings", data=RIVERSIDE).status_code == 302
    assert "Phone: 01632 960 123" in text_of(reception.get("/cases/new"))  # saved here: at once

    with app.app_context():
        db.session.execute(update(Practice).values(pals_phone="01632 960 777"))
        db.session.execute(update(User).where(User.id == staff.gp.id).values(is_demo=True))
        db.session.commit()
    now[0] += 1.0
    page = text_of(reception.get("/cases/new"))
    assert "Phone: 01632 960 123" in page and "Demo data" not in page  # within the interval
    now[0] += 1.5
    page = text_of(reception.get("/cases/new"))
    assert "Phone: 01632 960 777" in page and "Demo data." in page
