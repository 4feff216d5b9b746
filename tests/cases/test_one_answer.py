""" "May this person act here?" has one answer: the case page shows an action's button exactly
when the action's page opens and its request is accepted, for every action and every role; and
a case whose patient's details the retention purge removed takes no action at all, whatever is
posted to it."""

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.attachments.files import pdf
from tests.cases.test_permission_matrix import EXPECTED, PARTIES, POSTS, matrix_case
from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases import attachments
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case, CaseNote
from tracker.extensions import db
from tracker.security.retention import purge_expired
from tracker.staff.models import User

ACTIONS = list(EXPECTED)


def person(staff, party):
    return {
        "reception": staff.reception,
        "gp": staff.gp,
        "assignee": staff.other_gp,
        "practice_manager": staff.manager,
    }[party]


def submission(action: str, staff, version: int) -> dict:
    """A plausible form for the action, so a refusal is about who and when, not the data."""
    data = {
        key: value.format(senior=staff.senior.id)
        if isinstance(value, str)
        else (io.BytesIO(value[0]), value[1])  # a file: (content, name)
        for key, value in POSTS[action].items()
    }
    return {**data, "version": str(version)}


def held(app, reference) -> dict:
    """What the database holds for the case: its fields, and what hangs off it."""
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()

        def count(model, column):
            return db.session.scalar(
                select(func.count()).select_from(model).where(column == case.id)
            )

        return {
            "fields": {c.name: getattr(case, c.name) for c in Case.__table__.columns},
            "events": count(Event, Event.case_id),
            "notes": count(CaseNote, CaseNote.case_id),
            "documents": len(attachments.all_for(case.id)),
            "letters": count(CaseLetter, CaseLetter.case_id),
        }


def with_a_document(app, staff, reference) -> None:
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        uploader = db.session.get(User, staff.reception.id)
        attachments.keep(
            case.id, uploader, file_name="scan.pdf", content=pdf(), description="Letter",
            clinical=False,
        )  # fmt: skip
        db.session.commit()


def purged(app, staff, place_case, stage: str) -> str:
    """A case closed long ago, with a note and a document, put through the retention purge;
    at another stage, a case marked as purged as the purge marks it."""
    long_ago = datetime(2012, 3, 1, 10, tzinfo=UTC)
    if stage == "closed":
        reference = matrix_case(place_case, staff, "closed", closed_at=long_ago)
        with_a_document(app, staff, reference)
        with app.app_context():
            assert [e.reference for e in purge_expired(dry_run=False)] == [reference]
            db.session.commit()
        return reference
    return matrix_case(place_case, staff, stage, identifiers_removed_at=long_ago)


# Cases a practice sees every day, each where some button shows only on what the case holds.
def representative(kind: str, app, staff, place_case, make_user) -> str:
    if kind == "urgent-complaint-logged":
        return matrix_case(place_case, staff, "logged")
    if kind == "in-review-with-a-document":
        reference = matrix_case(place_case, staff, "in_review")
        with_a_document(app, staff, reference)
        return reference
    if kind == "outcome-patient-still-concerned":
        return matrix_case(
            place_case, staff, "outcome_recorded", patient_response="still_concerned"
        )
    if kind == "reviewer-has-left":
        leaver = make_user("gp", full_name="Dr Lee Leaver")
        with app.app_context():
            db.session.get(User, leaver.id).active = False
            db.session.commit()
        return matrix_case(place_case, staff, "assigned", reviewer_id=leaver.id)
    if kind == "closed":
        return matrix_case(place_case, staff, "closed")
    if kind == "purged":
        return purged(app, staff, place_case, "closed")
    raise AssertionError(kind)


KINDS = [
    "urgent-complaint-logged",
    "in-review-with-a-document",
    "outcome-patient-still-concerned",
    "reviewer-has-left",
    "purged",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("party", PARTIES)
def test_a_button_shows_exactly_when_its_request_is_accepted(
    app, staff, as_user, place_case, make_user, party, kind
):
    client = as_user(person(staff, party))
    reference = representative(kind, app, staff, place_case, make_user)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    shown = {action for action in ACTIONS if f'/cases/{reference}/{action}"' in page}
    before = held(app, reference)
    wrong = []
    for action in ACTIONS:
        opened = client.get(f"/cases/{reference}/{action}").status_code
        if opened != (200 if action in shown else 403):
            wrong.append(f"GET {action}: {opened} with the button {action in shown}")
        if action in shown:
            continue
        posted = client.post(
            f"/cases/{reference}/{action}",
            data=submission(action, staff, before["fields"]["version"]),
        )
        if posted.status_code != 403:
            wrong.append(f"POST {action}: {posted.status_code} with no button")
    assert held(app, reference) == before  # nothing refused changed anything
    for action in sorted(shown):  # each on a case of its own, as the button found it
        fresh = representative(kind, app, staff, place_case, make_user)
        version = held(app, fresh)["fields"]["version"]
        posted = client.post(f"/cases/{fresh}/{action}", data=submission(action, staff, version))
        if posted.status_code not in (200, 302):
            wrong.append(f"POST {action}: {posted.status_code} with the button shown")
    assert wrong == []


@pytest.mark.parametrize("stage", ["closed", "in_review"])
@pytest.mark.parametrize("party", PARTIES)
def test_nothing_is_added_to_or_changed_on_a_purged_case(
    app, staff, as_user, place_case, party, stage
):
    reference = purged(app, staff, place_case, stage)
    client = as_user(person(staff, party))
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    before = held(app, reference)  # after the case page's "viewed" event
    if stage == "closed":  # the purge left nothing of the patient to add to
        assert (before["notes"], before["documents"]) == (0, 0)
        assert before["fields"]["patient_name"] == "[removed]"
    assert not [action for action in ACTIONS if f"/cases/{reference}/{action}" in page]
    wrong = []
    for action in ACTIONS:
        for response in (
            client.get(f"/cases/{reference}/{action}"),
            client.post(
                f"/cases/{reference}/{action}",
                data=submission(action, staff, before["fields"]["version"]),
            ),
        ):
            said = text_of(response)
            if response.status_code != 403 or (
                "removed from this case at the end of the retention period" not in said
                or "nothing can be added to it or changed on it" not in said
            ):
                wrong.append(f"{response.request.method} {action}: {response.status_code}")
    assert wrong == []
    assert held(app, reference) == before


def test_a_note_or_document_posted_to_a_purged_case_is_refused_and_not_kept(
    app, staff, as_user, place_case
):
    reference = purged(app, staff, place_case, "closed")
    version = held(app, reference)["fields"]["version"]
    manager = as_user(staff.manager)
    note = manager.post(
        f"/cases/{reference}/add-note", data={"version": version, "text": "Ann Smith rang"}
    )
    document = manager.post(
        f"/cases/{reference}/add-document",
        data={
            "version": version,
            "file": (io.BytesIO(pdf()), "scan.pdf"),
            "description": "Letter from Ann Smith",
        },
    )
    for refused in (note, document):
        assert refused.status_code == 403
        assert "The patient's details were removed from this case" in text_of(refused)
    after = held(app, reference)
    assert (after["notes"], after["documents"]) == (0, 0)
    with app.app_context():
        kept = db.session.scalars(select(CaseNote.text)).all()
        assert "Ann Smith rang" not in kept
