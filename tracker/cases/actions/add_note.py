"""Add a note to the case; those who may see clinical material may mark it clinical."""

from typing import Any

from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case, CaseNote
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.forms import strip
from tracker.staff.access import CLINICAL_AUDIENCE, sees_clinical
from tracker.staff.models import User


class NoteForm(VersionedForm):
    text = TextAreaField(
        "Note",
        filters=[strip],
        validators=[
            DataRequired("Enter the note"),
            Length(max=NOTE_MAX, message=f"Note must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    clinical = BooleanField(
        "Clinical note",
        description=f"Clinical notes are seen by {CLINICAL_AUDIENCE} only, not by reception.",
    )


class AddNote(CaseAction):
    action = Action.ADD_NOTE
    form = NoteForm
    events = (EventKind.NOTE_ADDED, EventKind.CLINICAL_NOTE_ADDED)

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        clinical = bool(data.get("clinical")) and sees_clinical(actor)
        note = CaseNote(case_id=case.id, author_id=actor.id, text=data["text"], clinical=clinical)
        db.session.add(note)
        return Done(
            EventKind.CLINICAL_NOTE_ADDED if clinical else EventKind.NOTE_ADDED, clinical=clinical
        )


ACTION = AddNote()
