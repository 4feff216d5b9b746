"""The sidebar's text is read once a page, though a page shows it twice (beside the form, and
folded above its button on a phone), and its markup is kept by the text: a change saved by the
practice manager shows on the next request, on every page that shows that text."""

import re

from sqlalchemy import event

from tests import factories
from tests.guidance.pages import sidebar
from tracker.extensions import db

NEW_PALS_ROUTE = "## Phone PALS today\n- Give the patient the **leaflet**.\n"


def guidance_reads(app, client, path, data=None):
    """The page, and how many statements read the guidance texts while it was served."""
    seen = []

    def statement(conn, cursor, sql, *args):
        if re.search(r"\bFROM guidance_versions\b", sql):
            seen.append(sql)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    try:
        page = client.post(path, data=data) if data is not None else client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    return page, len(seen)


def test_the_intake_form_and_a_case_page_read_the_guidance_once(app, staff, as_user, case_at):
    reference = case_at("logged")
    reception = as_user(staff.reception)
    # Forms show it beside them and, for a phone, above their button; the case page once.
    shown = {"/cases/new": 2, f"/cases/{reference}": 1, f"/cases/{reference}/add-note": 2}
    for path, times in shown.items():
        page, reads = guidance_reads(app, reception, path)
        assert page.status_code == 200, path
        assert page.get_data(as_text=True).count('<aside class="app-guidance"') == times, path
        assert reads == 1, path


def test_a_saved_route_guidance_shows_on_the_next_intake_form_and_restoring_brings_it_back(
    staff, as_user
):
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    before = sidebar(reception.get("/cases/new")).text
    assert "Phone PALS today" not in before

    saved = manager.post(
        "/admin/guidance/route_pals", data={"body": NEW_PALS_ROUTE, "intent": "save"}
    )
    assert saved.status_code == 302
    page = reception.get("/cases/new")
    assert "Phone PALS today Give the patient the leaflet ." in sidebar(page).text
    html = page.get_data(as_text=True)
    assert html.count('<h5 class="nhsuk-heading-xs">Phone PALS today</h5>') == 2
    assert html.count("<strong>leaflet</strong>") == 2

    assert manager.post("/admin/guidance/route_pals/restore").status_code == 302
    assert sidebar(reception.get("/cases/new")).text == before


def test_a_form_sent_back_shows_the_same_guidance_markup_as_the_empty_form(staff, as_user):
    """Every route's guidance is on the page either way; only which one is shown differs."""
    reception = as_user(staff.reception)
    empty = reception.get("/cases/new").get_data(as_text=True)
    returned = reception.post(
        "/cases/new", data=factories.intake_form(route_requested="pals", concern="")
    ).get_data(as_text=True)

    def routes(html):
        return re.findall(r'<section class="app-guidance__route".*?</section>', html, re.S)

    assert len(routes(empty)) == len(routes(returned)) > 0
    for shown, sent_back in zip(routes(empty), routes(returned), strict=True):
        assert shown.replace(" hidden", "") == sent_back.replace(" hidden", "")


def test_in_production_guidance_is_kept_a_few_seconds_and_a_save_shows_at_once(
    app, staff, as_user, monkeypatch
):
    """Each worker reads the guidance at most every SETTINGS_CHECKED_EVERY seconds, as it reads
    the settings; the worker that saved a change shows it on the next request."""
    from tracker import extensions

    monkeypatch.setitem(app.config, "SETTINGS_CHECKED_EVERY", 2.0)
    now = [100.0]
    monkeypatch.setattr(extensions.time, "monotonic", lambda: now[0])
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    assert guidance_reads(app, reception, "/cases/new")[1] == 1
    now[0] += 1
    page, reads = guidance_reads(app, reception, "/cases/new")
    assert reads == 0 and "Phone PALS today" not in sidebar(page).text

    manager.post("/admin/guidance/route_pals", data={"body": NEW_PALS_ROUTE, "intent": "save"})
    page, reads = guidance_reads(app, reception, "/cases/new")
    assert reads == 1 and "Phone PALS today" in sidebar(page).text
    now[0] += 1
    assert guidance_reads(app, reception, "/cases/new")[1] == 0
    now[0] += 2
    assert guidance_reads(app, reception, "/cases/new")[1] == 1
