"""What every page needs is read once a request: the practice's settings and "New for you".
A change saved by the practice manager shows on the very next request, for everyone."""

import re

import pytest
from flask import before_render_template, template_rendered
from sqlalchemy import event

from tests.factories import VALID_NHS_NUMBERS, intake_form
from tests.helpers import text_of
from tracker.extensions import db


def reads_of(table: str, seen: list[str]) -> int:
    return sum(1 for sql in seen if re.search(rf"\bFROM {table}\b", sql))


SETTINGS = {
    "practice_name": "Brookside Surgery",
    "ods_code": "B81001",
    "assign_target_days": "2",
    "acknowledge_target_days": "3",
    "outcome_target_days": "10",
    "bank_holiday_region": "england",
}

PAGES = {
    "reception": ["/", "/queue", "/cases/new"],
    "gp": ["/", "/queue"],
    "practice_manager": ["/", "/queue", "/cases/new", "/admin/settings", "/reports/monthly"],
}


@pytest.mark.parametrize("saved", [True, False], ids=["saved settings", "shipped defaults"])
def test_each_page_reads_the_settings_once(app, as_user, staff, statements, saved):
    """The session check, the page's targets and the header all use one read of the settings,
    also before anyone has changed them (the shipped values the practice was made with)."""
    if saved:
        assert as_user(staff.manager).post("/admin/settings", data=SETTINGS).status_code == 302
    people = {"reception": staff.reception, "gp": staff.gp, "practice_manager": staff.manager}
    for role, paths in PAGES.items():
        client = as_user(people[role])
        for path in paths:
            with statements() as seen:
                page = client.get(path)
            assert page.status_code == 200, path
            assert reads_of("practices", seen) == 1, (role, path)
            if saved:
                assert "Brookside Surgery" in text_of(page)


def test_a_saved_setting_shows_on_the_next_request_for_everyone(app, as_user, staff):
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    assert "Brookside Surgery" not in text_of(reception.get("/"))
    assert manager.post("/admin/settings", data=SETTINGS).status_code == 302
    assert "Brookside Surgery" in text_of(reception.get("/"))
    changed = {**SETTINGS, "practice_name": "Brookside Health Centre", "assign_target_days": "4"}
    assert manager.post("/admin/settings", data=changed).status_code == 302
    home = text_of(reception.get("/"))
    assert "Brookside Health Centre" in home and "Brookside Surgery" not in home
    assert "Waiting for a reviewer past the 4-working-day target" in home


def test_new_for_you_is_counted_once_and_the_header_and_the_list_agree(
    app, as_user, staff, log_case, act, statements
):
    """Three cases logged and assigned by others: the header's count and the home page's
    list heading give the same number, from one read of the person's news."""
    for number, name in zip(VALID_NHS_NUMBERS, ("Ann Able", "Ben Best", "Cy Cole"), strict=False):
        reference = log_case(nhs_number=number, patient_name=name)
        act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    gp = as_user(staff.other_gp)
    with statements() as seen:
        home = text_of(gp.get("/"))
    assert "New for you: 6" in home
    assert "New for you (6)" in home
    reads_of_news = [sql for sql in seen if re.search(r"\bFROM events\b", sql)]
    assert len(reads_of_news) == 1


def test_the_duplicate_warning_reads_no_case_or_reviewer_while_it_is_drawn(
    app, as_user, staff, log_case, act
):
    """Each open case of the patient names its reviewer: read with the cases, not one by one
    as the page is drawn."""
    first, second = log_case(), log_case(concern="Another worry", confirm_duplicate="yes")
    act(staff.manager, first, "assign", {"reviewer": staff.other_gp.id})
    act(staff.manager, second, "assign", {"reviewer": staff.senior.id})
    drawing = {"now": False, "statements": []}

    def started(sender, template, context, **extra):
        drawing["now"] = True

    def finished(sender, template, context, **extra):
        drawing["now"] = False

    def statement(conn, cursor, sql, *args):
        if drawing["now"] and not re.search(r"\bFROM guidance_versions\b", sql):
            drawing["statements"].append(sql)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    try:
        warned = as_user(staff.reception).post("/cases/new", data=intake_form(concern="A third"))
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        before_render_template.disconnect(started, app)
        template_rendered.disconnect(finished, app)
    page = text_of(warned)
    assert "This patient already has an open request" in page
    assert f"{first} : Alex Example, assigned, with Dr Omar Second" in page
    assert f"{second} : Alex Example, assigned, with Dr Sena Senior" in page
    assert drawing["statements"] == []


def test_the_queue_counts_its_open_cases_once_and_every_count_agrees(
    app, as_user, staff, place_case, statements
):
    """Stage counts, "My cases" and the unfiltered queue's total come from one count of the
    open cases; a filtered queue counts what it shows."""
    for stage, reviewer in [
        ("logged", None),
        ("logged", None),
        ("assigned", staff.manager.id),
        ("in_review", staff.manager.id),
        ("in_review", staff.other_gp.id),
        ("closed", staff.manager.id),
    ]:
        place_case(stage=stage, reviewer_id=reviewer)
    manager = as_user(staff.manager)
    with statements() as seen:
        queue = text_of(manager.get("/queue"))
    assert "Logged: 2" in queue and "Assigned: 1" in queue and "In review: 2" in queue
    assert "5 cases" in queue
    assert "My cases (2)" in queue
    counts = [sql for sql in seen if "count(" in sql.lower() and "FROM events" not in sql]
    assert len(counts) == 1
    filtered = text_of(manager.get("/queue?reviewer=none"))
    assert "2 cases" in filtered and "Logged: 2" in filtered and "My cases (2)" in filtered
    home = text_of(manager.get("/"))
    assert "Logged: 2" in home and "In review: 2" in home and "My cases (2)" in home
