"""Staff a case page names (its reviewer, who wrote a note, recorded a contact, took a step)
are read for their names: no one else's password hash or authenticator secret is read to
show the page, and the names are still there."""

from sqlalchemy import event

from tests.helpers import form_values, text_of
from tracker.extensions import db

# Read under any alias: users, users_1, ...
SECRETS = (".password_hash", ".totp_secret")


def test_the_case_page_names_staff_without_reading_their_secrets(
    app, staff, place_case, act, as_user
):
    reference = place_case(stage="in_review", reviewer_id=staff.other_gp.id)
    act(staff.other_gp, reference, "add-note", {"text": "Spoke to the patient's daughter."})
    reception = as_user(staff.reception)
    form = form_values(reception.get(f"/cases/{reference}/record-contact").get_data(as_text=True))
    form.update(method="phone", direction="out", note="Rang back.")
    assert reception.post(f"/cases/{reference}/record-contact", data=form).status_code == 302
    manager = as_user(staff.manager)
    manager.get(f"/cases/{reference}")  # the first view writes its event

    read = []

    def note(_conn, _cursor, statement, *_args):
        read.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
    try:
        page = text_of(manager.get(f"/cases/{reference}"))
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", note)

    assert "Reviewer Dr Omar Second" in page
    assert "Spoke to the patient's daughter." in page.split("Notes")[1]
    assert "Dr Omar Second" in page.split("Notes")[1]
    assert "recorded by Rita Reception" in page.split("Contacts with the patient")[1]
    assert "Contact recorded Rita Reception" in page.split("Timeline")[1]
    with_secrets = [s for s in read if any(column in s for column in SECRETS)]
    # The signed-in person's own account, read with their session, and nothing else.
    assert len(with_secrets) == 1, [s[:300] for s in with_secrets]
    assert "FROM user_sessions" in with_secrets[0]
