"""One versioned-text component, two registrations: the guidance topics and the letter
templates save, keep, restore and audit their texts the same way, on the same editor page."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases.letters.defaults import DEFAULT_LETTERS
from tracker.cases.letters.models import LetterTemplateVersion
from tracker.extensions import db
from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.models import GuidanceVersion


@dataclass(frozen=True)
class Registration:
    url: str
    model: type
    key: str
    shipped: str
    change: str  # its name in the audit log
    events: tuple[str, str]  # edited, restored
    saved: str  # the banner after saving


GUIDANCE = Registration(
    "/admin/guidance/intake",
    GuidanceVersion,
    "intake",
    DEFAULT_TEXTS["intake"],
    "guidance.intake",
    ("guidance_edited", "guidance_restored"),
    "Guidance saved: Logging a request",
)
LETTERS = Registration(
    "/admin/letters/pals",
    LetterTemplateVersion,
    "pals",
    DEFAULT_LETTERS["pals"],
    "letter.pals",
    ("letter_template_edited", "letter_template_restored"),
    "Letter saved: PALS: where to get help",
)


def stored(app, registration):
    with app.app_context():
        rows = db.session.scalars(select(registration.model).order_by(registration.model.id))
        return [(row.key, row.body, row.restored_default) for row in rows]


def audited(app):
    with app.app_context():
        rows = db.session.scalars(select(Event).where(Event.kind != "signed_in").order_by(Event.id))
        return [(e.kind, e.changes) for e in rows]


@pytest.mark.parametrize("registration", [GUIDANCE, LETTERS], ids=["guidance", "letters"])
def test_each_registration_saves_keeps_and_restores_its_text_alike(
    app, staff, as_user, registration
):
    manager = as_user(staff.manager)
    saved = manager.post(
        registration.url,
        data={"body": "  Dear all\r\nA new text.  \r\n", "intent": "save"},
        follow_redirects=True,
    )
    assert registration.saved in text_of(saved)
    assert stored(app, registration) == [(registration.key, "Dear all\nA new text.\n", False)]

    again = manager.post(
        registration.url,
        data={"body": "Dear all\nA new text.", "intent": "save"},
        follow_redirects=True,
    )
    assert "No change to save: the text is the same" in text_of(again)
    assert len(stored(app, registration)) == 1

    restored = manager.post(f"{registration.url}/restore", follow_redirects=True)
    page = text_of(restored)
    assert "This is the shipped text." in page and "Shipped text restored by Mo Manager" in page
    assert stored(app, registration)[-1] == (registration.key, registration.shipped, True)
    twice = manager.post(f"{registration.url}/restore", follow_redirects=True)
    assert "The shipped text is already in use" in text_of(twice)
    assert len(stored(app, registration)) == 2

    edited, brought_back = registration.events
    assert audited(app) == [
        (edited, {registration.change: [registration.shipped, "Dear all\nA new text.\n"]}),
        (brought_back, {registration.change: ["Dear all\nA new text.\n", registration.shipped]}),
    ]
