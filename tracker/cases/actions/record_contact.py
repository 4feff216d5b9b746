"""Record a contact with the patient or the person acting for them, and any call-back or
follow-up it leaves (due on a date, owned by someone) or completes.

The case keeps the call-back due soonest among those not done, with its owner: it is the
"Call back" target (cases/clocks.py), so it is due, due today or overdue like any other, lists
in its owner's "My cases" and reaches their daily summary.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import ContactBy, ContactDirection, ContactWith
from tracker.cases.errors import CaseError
from tracker.cases.forms import YES_NO, VersionedForm
from tracker.cases.models import Case, CaseContact
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.fields import DateInputField, NotInFuture, london_datetime, parse_time
from tracker.forms import choices, strip
from tracker.staff.models import STAFF_ROLES, User, works_as

NOTE_MAX = 2000


class RecordContactForm(VersionedForm):
    with_whom = RadioField(
        "Who was the contact with?",
        choices=choices(ContactWith.choices()),
        default=ContactWith.PATIENT.value,
        validators=[InputRequired("Choose who the contact was with")],
    )
    method = RadioField(
        "How?",
        choices=choices(ContactBy.choices()),
        validators=[InputRequired("Choose how the contact was made")],
    )
    direction = RadioField(
        "Which way?",
        choices=choices(ContactDirection.choices()),
        validators=[InputRequired("Choose who contacted whom")],
    )
    occurred_on = DateInputField(
        "Date of the contact",
        default=lambda: clock.today_london(),
        validators=[NotInFuture("The date of the contact must be today or in the past")],
    )
    occurred_time = StringField(
        "Time",
        description="Optional. For example, 14:30 or 9.30am. Left blank today: now.",
        filters=[strip],
    )
    note = TextAreaField(
        "What was said or agreed",
        description="Keep it short. A clinical detail belongs in a clinical note, not here.",
        filters=[strip],
        validators=[
            DataRequired("Enter what was said or agreed"),
            Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    completes = SelectMultipleField(
        "Does this contact complete a call-back?",
        coerce=str,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    callback = RadioField(
        "Is a call-back or follow-up needed?",
        choices=YES_NO,
        default="no",
        validators=[InputRequired("Choose whether a call-back or follow-up is needed")],
    )
    callback_due_on = DateInputField(
        "Call back by", description="For example, 8 12 2026. It is overdue after this day."
    )
    callback_owner = SelectField("Who will do it?", validate_choice=False)

    def validate_occurred_time(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError("Time must be a real time of day, like 14:30 or 9.30am")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.occurred_on.data is None and not self.occurred_on.errors:
            self.occurred_on.errors.append("Enter the date of the contact")
            ok = False
        if self.callback.data == "yes":
            due = self.callback_due_on.data
            if due is None and not self.callback_due_on.errors:
                self.callback_due_on.errors.append("Enter the date to call back by")
                ok = False
            elif due is not None and due < clock.today_london():
                self.callback_due_on.errors.append(
                    "The date to call back by must be today or later"
                )
                ok = False
            if not self.callback_owner.data:
                self.callback_owner.errors.append("Choose who will do the call-back")
                ok = False
        return ok


def open_callbacks(case: Case) -> list[CaseContact]:
    """The case's call-backs not done yet, due soonest first."""
    return list(
        db.session.scalars(
            select(CaseContact)
            .where(
                CaseContact.case_id == case.id,
                CaseContact.callback_due_on.is_not(None),
                CaseContact.callback_done_at.is_(None),
            )
            .order_by(CaseContact.callback_due_on, CaseContact.id)
        )
    )


def callback_label(contact: CaseContact) -> str:
    owner = contact.callback_owner.full_name if contact.callback_owner else "no one"
    return f"Call-back due {clock.format_date(contact.callback_due_on)}, for {owner}"


def keep_callback_on_case(case: Case) -> None:
    """The case's "Call back" target from its contacts: the call-back due soonest among those
    not done and its owner; once all are done, the last one's due date and when it was done."""
    db.session.flush()
    waiting = open_callbacks(case)
    if waiting:
        case.callback_due_on = waiting[0].callback_due_on
        case.callback_owner_id = waiting[0].callback_owner_id
        case.callback_done_at = None
        return
    last = db.session.scalars(
        select(CaseContact)
        .where(CaseContact.case_id == case.id, CaseContact.callback_done_at.is_not(None))
        .order_by(CaseContact.callback_done_at.desc(), CaseContact.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        case.callback_due_on = last.callback_due_on
        case.callback_owner_id = last.callback_owner_id
        case.callback_done_at = last.callback_done_at


def staff_choices() -> list[tuple[str, str]]:
    people = db.session.scalars(
        select(User).where(User.active.is_(True), works_as(*STAFF_ROLES)).order_by(User.full_name)
    )
    return [("", "Choose who")] + [(str(p.id), f"{p.full_name} ({p.role_label})") for p in people]


class RecordContact(CaseAction):
    action = Action.RECORD_CONTACT
    form = RecordContactForm
    events = (EventKind.CONTACT_RECORDED,)

    def build_form(self, case: Case, user: User, *, first_view: bool) -> RecordContactForm:
        form = RecordContactForm()
        form.has_representative = bool(case.representative_name)
        if form.has_representative:
            form.with_whom.choices = choices(
                [
                    (ContactWith.PATIENT.value, f"The patient, {case.patient_name}"),
                    (
                        ContactWith.REPRESENTATIVE.value,
                        f"{case.representative_full_name}, acting for the patient",
                    ),
                ]
            )
        form.completes.choices = [
            (str(contact.id), callback_label(contact)) for contact in open_callbacks(case)
        ]
        form.callback_owner.choices = choices(staff_choices())
        if first_view:
            form.callback_owner.data = str(user.id)
        return form

    def data(self, form: RecordContactForm) -> dict[str, Any]:
        day = form.occurred_on.data
        at = parse_time(form.occurred_time.data) if form.occurred_time.data else None
        if at is not None:
            occurred = london_datetime(day, at)
        elif day == clock.today_london():
            occurred = clock.now_utc()
        else:
            occurred = london_datetime(day, datetime.min.time())
        needed = form.callback.data == "yes"
        return {
            "with_whom": form.with_whom.data,
            "method": form.method.data,
            "direction": form.direction.data,
            "occurred_at": occurred,
            "note": form.note.data,
            "completes": form.completes.data or [],
            "callback_due_on": form.callback_due_on.data if needed else None,
            "callback_owner_id": int(form.callback_owner.data) if needed else None,
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        if data["with_whom"] == ContactWith.REPRESENTATIVE and not case.representative_name:
            raise CaseError("No one is recorded as acting for the patient", field="with_whom")
        owner_id = data.get("callback_owner_id")
        if owner_id is not None:
            owner = db.session.get(User, owner_id)
            if owner is None or not owner.active or owner.role not in STAFF_ROLES:
                raise CaseError("Choose someone who works here now", field="callback_owner")
        now = clock.now_utc()
        waiting = {str(contact.id): contact for contact in open_callbacks(case)}
        done = []
        for chosen in data.get("completes") or []:
            contact = waiting.get(chosen)
            if contact is None:
                raise CaseError(
                    "That call-back is done already or is not on this case", field="completes"
                )
            contact.callback_done_at = now
            contact.callback_done_by_id = actor.id
            done.append(contact)
        db.session.add(
            CaseContact(
                case_id=case.id,
                occurred_at=data["occurred_at"],
                recorded_at=now,
                recorded_by_id=actor.id,
                with_whom=data["with_whom"],
                method=data["method"],
                direction=data["direction"],
                note=data["note"],
                callback_due_on=data.get("callback_due_on"),
                callback_owner_id=owner_id,
            )
        )
        keep_callback_on_case(case)
        words = [
            f"{ContactBy.label_of(data['method'])}, "
            f"{ContactDirection.label_of(data['direction']).lower()}",
            f"with {ContactWith.label_of(data['with_whom']).lower()}",
        ]
        if done:
            words.append(f"completes {len(done)} call-back{'s' if len(done) > 1 else ''}")
        if data.get("callback_due_on"):
            words.append(f"call-back due {clock.format_date(data['callback_due_on'])}")
        return Done(EventKind.CONTACT_RECORDED, typed=data["note"], detail="; ".join(words))


ACTION = RecordContact()
