"""/admin/guidance: the practice manager edits, previews and restores the guidance."""

import pytest
from sqlalchemy import select

from tests.guidance.pages import Page, shipped_text
from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.models import GuidanceVersion
from tracker.guidance.topics import TOPICS

NEW_IN_REVIEW = "## Before you call\n- Read the **first** consultation again.\n"


def versions(app, topic):
    with app.app_context():
        rows = db.session.scalars(
            select(GuidanceVersion)
            .where(GuidanceVersion.topic == topic)
            .order_by(GuidanceVersion.id)
        )
        return [(v.body, v.restored_default, v.created_by.full_name) for v in rows]


def guidance_events(app):
    with app.app_context():
        rows = db.session.scalars(
            select(Event).where(Event.kind.like("guidance_%")).order_by(Event.id)
        )
        return [(e.kind, e.actor.full_name, e.case_id, list(e.changes), e.detail) for e in rows]


@pytest.mark.parametrize(
    "url", ["/admin/guidance", "/admin/guidance/stage_in_review", "/admin/guidance/intake"]
)
@pytest.mark.parametrize(("role", "senior"), [("reception", False), ("gp", False), ("gp", True)])
def test_only_the_practice_manager_can_open_the_guidance_pages(login_as, client, url, role, senior):
    login_as(role, is_senior_partner=senior)
    response = client.get(url)
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["reception", "gp"])
def test_other_roles_cannot_change_or_restore_guidance(login_as, client, app, role):
    login_as(role)
    assert (
        client.post(
            "/admin/guidance/stage_in_review", data={"body": "Taken over", "intent": "save"}
        ).status_code
        == 403
    )
    assert client.post("/admin/guidance/stage_in_review/restore").status_code == 403
    assert versions(app, "stage_in_review") == []


def test_the_practice_manager_sees_every_topic_and_the_menu_link(staff, as_user):
    response = as_user(staff.manager).get("/admin/guidance")
    assert response.status_code == 200
    page = text_of(response)
    for topic in TOPICS.values():
        assert topic.title in page
    html = response.get_data(as_text=True)
    assert 'href="/admin/guidance"' in html  # in the header menu
    assert 'href="/admin/guidance"' not in as_user(staff.gp).get("/").get_data(as_text=True)


def test_unknown_topics_are_not_found(staff, as_user):
    assert as_user(staff.manager).get("/admin/guidance/stage_nowhere").status_code == 404


def test_an_edit_shows_at_once_and_its_history_keeps_the_earlier_version_and_author(
    app, staff, make_user, as_user, case_at
):
    reference = case_at("in_review")
    manager = as_user(staff.manager)
    form = manager.get("/admin/guidance/stage_in_review")
    assert DEFAULT_TEXTS["stage_in_review"].split("\n")[0] in form.get_data(as_text=True)

    response = manager.post(
        "/admin/guidance/stage_in_review",
        data={"body": NEW_IN_REVIEW, "intent": "save"},
        follow_redirects=True,
    )
    assert "Guidance saved: In review" in text_of(response)

    case_page = Page(as_user(staff.gp).get(f"/cases/{reference}").get_data(as_text=True))
    assert "Before you call Read the first consultation again." in case_page.text
    assert shipped_text("stage_in_review") not in case_page.text

    # A second manager changes it again; the history lists the first edit and who made it.
    deputy = make_user("practice_manager", full_name="Dee Deputy")
    as_user(deputy).post(
        "/admin/guidance/stage_in_review",
        data={"body": "Call the patient within a week.", "intent": "save"},
    )
    history = text_of(as_user(deputy).get("/admin/guidance/stage_in_review"))
    earlier = history.split("Earlier versions", 1)[1]
    assert earlier.index("Edited by Dee Deputy") < earlier.index("Edited by Mo Manager")
    assert "Read the **first** consultation again." in earlier
    assert "Changed by Dee Deputy" in history

    assert versions(app, "stage_in_review") == [
        (NEW_IN_REVIEW, False, "Mo Manager"),
        ("Call the patient within a week.\n", False, "Dee Deputy"),
    ]
    events = guidance_events(app)
    assert [(kind, who, case_id) for kind, who, case_id, _, _ in events] == [
        ("guidance_edited", "Mo Manager", None),
        ("guidance_edited", "Dee Deputy", None),
    ]
    assert events[0][3] == ["guidance.stage_in_review"]
    assert events[0][4] == "Guidance changed: In review"


def test_saving_the_same_text_keeps_no_new_version(app, staff, as_user):
    response = as_user(staff.manager).post(
        "/admin/guidance/stage_closed",
        data={"body": DEFAULT_TEXTS["stage_closed"], "intent": "save"},
        follow_redirects=True,
    )
    assert "No change to save" in text_of(response)
    assert versions(app, "stage_closed") == []
    assert guidance_events(app) == []


def test_restore_brings_back_the_shipped_text(app, staff, as_user, case_at):
    reference = case_at("assigned")
    manager = as_user(staff.manager)
    manager.post(
        "/admin/guidance/stage_assigned", data={"body": "Practice text.", "intent": "save"}
    )
    assert "Practice text." in text_of(manager.get(f"/cases/{reference}"))

    response = manager.post("/admin/guidance/stage_assigned/restore", follow_redirects=True)
    assert "Shipped text restored: Assigned" in text_of(response)
    assert "Shipped text restored by Mo Manager" in text_of(response)
    assert "This is the shipped text." in text_of(response)

    case_page = Page(manager.get(f"/cases/{reference}").get_data(as_text=True))
    assert shipped_text("stage_assigned") in case_page.text
    assert "Practice text." not in case_page.text
    assert versions(app, "stage_assigned") == [
        ("Practice text.\n", False, "Mo Manager"),
        (DEFAULT_TEXTS["stage_assigned"], True, "Mo Manager"),
    ]
    assert [kind for kind, *_ in guidance_events(app)] == ["guidance_edited", "guidance_restored"]

    # Nothing to restore once the shipped text is back: no button, and no new version.
    assert "Restore the shipped text" not in text_of(manager.get("/admin/guidance/stage_assigned"))
    manager.post("/admin/guidance/stage_assigned/restore")
    assert len(versions(app, "stage_assigned")) == 2


def test_preview_shows_the_text_without_saving_it(app, staff, as_user):
    response = as_user(staff.manager).post(
        "/admin/guidance/note_urgent",
        data={"body": "## Ring the duty doctor\n- **Now**", "intent": "preview"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    preview = html.split("data-guidance-preview>", 1)[1].split("</div>", 1)[0]
    assert '<h3 class="nhsuk-heading-xs">Ring the duty doctor</h3>' in preview
    assert "<li><strong>Now</strong></li>" in preview
    assert "Not saved yet" in text_of(response)
    assert "How to format guidance" in text_of(response)
    # The typed text stays in the box, ready to save.
    assert "## Ring the duty doctor\n- **Now**</textarea>" in html
    assert versions(app, "note_urgent") == []


def test_empty_text_comes_back_with_an_error_summary(app, staff, as_user):
    response = as_user(staff.manager).post(
        "/admin/guidance/intake", data={"body": "   ", "intent": "save"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Error: " in html
    assert "nhsuk-error-summary" in html
    assert "Enter the guidance text, or restore the shipped text" in text_of(response)
    assert versions(app, "intake") == []


def test_text_that_is_too_long_is_refused_and_kept(app, staff, as_user):
    typed = "Check the notes. " * 600
    response = as_user(staff.manager).post(
        "/admin/guidance/intake", data={"body": typed, "intent": "save"}
    )
    assert "Guidance text must be 8,000 characters or fewer" in text_of(response)
    assert typed.strip() in response.get_data(as_text=True)
    assert versions(app, "intake") == []


def test_guidance_forms_need_the_csrf_token(app, staff, as_user, monkeypatch):
    manager = as_user(staff.manager)  # signed in before the check is switched on
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert (
        manager.post(
            "/admin/guidance/intake", data={"body": "Forged", "intent": "save"}
        ).status_code
        == 400
    )
    assert manager.post("/admin/guidance/intake/restore").status_code == 400
    page = manager.get("/admin/guidance/intake").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 2  # sign-out and the guidance form
    assert versions(app, "intake") == []


def test_guidance_changes_are_in_the_audit_log(staff, as_user):
    manager = as_user(staff.manager)
    manager.post("/admin/guidance/note_overdue", data={"body": "Act today.", "intent": "save"})
    manager.post("/admin/guidance/note_overdue/restore")
    response = manager.get("/admin/audit")
    html = response.get_data(as_text=True)
    assert (
        '<span class="nhsuk-table-responsive__heading" aria-hidden="true">What </span>Guidance changed</td>'
        in html
    )
    assert (
        '<span class="nhsuk-table-responsive__heading" aria-hidden="true">What </span>Shipped guidance restored</td>'
        in html
    )
    assert "Guidance changed: Overdue" in text_of(response)
