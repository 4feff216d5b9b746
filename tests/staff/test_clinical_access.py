"""The one rule for clinical material: an allow-list of roles, asked by everything that shows
clinical notes, documents, letters and the events about them."""

import io

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from tests.attachments.files import pdf
from tests.helpers import version_on
from tracker.audit.models import Event
from tracker.cases.attachments import CaseAttachment
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.staff.access import CLINICAL_AUDIENCE, CLINICAL_ROLES, sees_clinical
from tracker.staff.models import Membership, Role, User

# Written out here, not read from the code: granting a role clinical material is a decision
# this test makes someone take on purpose, and a role added to Role is outside it until then.
# A visiting GP (of another practice in the PCN) reads the clinical material of the cases given
# to them, and reaches no other case of the practice.
GRANTED = {"gp", "practice_manager", "visiting_gp"}


@pytest.mark.parametrize("role", list(Role))
def test_clinical_material_is_for_the_roles_granted_it_alone(role):
    assert sees_clinical(User(membership=Membership(role=role.value))) is (role.value in GRANTED)


def test_the_allow_list_names_the_granted_roles_and_no_one_else():
    assert {role.value for role in CLINICAL_ROLES} == GRANTED
    assert CLINICAL_AUDIENCE == "GPs and the practice manager"  # the pages' words for GRANTED
    assert not sees_clinical(
        User(membership=Membership(role="volunteer"))
    )  # a role no one has granted
    assert not sees_clinical(AnonymousUserMixin())


def test_a_clinical_events_typed_words_are_only_for_the_roles_granted_them(
    app, staff, as_user, log_case
):
    reference = log_case()
    manager = as_user(staff.manager)
    page = manager.get(f"/cases/{reference}/add-document")
    manager.post(
        f"/cases/{reference}/add-document",
        data={
            "version": version_on(page.get_data(as_text=True)),
            "description": "Biopsy report",
            "clinical": "y",
            "file": (io.BytesIO(pdf()), "biopsy.pdf"),
        },
        content_type="multipart/form-data",
    )
    with app.app_context():
        document = db.session.scalars(select(CaseAttachment)).one().id
    form = manager.get(f"/cases/{reference}/remove-document").get_data(as_text=True)
    manager.post(
        f"/cases/{reference}/remove-document",
        data={
            "version": version_on(form),
            "document": str(document),
            "confirmed": str(document),
            "reason": "Wrong case",
        },
    )
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        removed = db.session.scalars(
            select(Event).where(Event.case_id == case_id, Event.kind == "document_removed")
        ).one()
        assert removed.clinical
        expected = f"Document {document}: PDF"
        for role in Role:
            shown = removed.detail_seen_by(User(membership=Membership(role=role.value)))
            if role.value in GRANTED:
                assert shown == "Biopsy report (biopsy.pdf): Wrong case"
            else:
                assert shown.startswith(expected) and "Biopsy" not in shown, role
        newcomer = removed.detail_seen_by(User(membership=Membership(role="volunteer")))
        assert newcomer.startswith(expected) and "Wrong case" not in newcomer
