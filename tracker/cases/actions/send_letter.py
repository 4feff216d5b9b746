"""Make a letter to the patient and mark it as sent: the PDF as made is kept on the case.

The letter comes from the practice's template in force and the case as it is now. Marking it
as sent stores the PDF's bytes, so it downloads later exactly as it went, whatever changes in
the template, the settings or the case; if what letters are made from changed after the page
was opened, marking it sent is refused, so what is stored is what was checked. Sending the
acknowledgement of a formal complaint also records the acknowledgement (today, by letter or
email as it went), for those who may record one.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import request
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions import acknowledge
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import AcknowledgementMethod, LetterRecipient
from tracker.cases.errors import CaseError
from tracker.cases.forms import VersionedForm
from tracker.cases.letters.kinds import LetterKind, SentMethod
from tracker.cases.letters.models import CaseLetter
from tracker.cases.letters.render import (
    Letter,
    check_length,
    letter_for,
    pdf_of,
    representative_problem,
    why_not,
)
from tracker.cases.letters.texts import LETTERS
from tracker.cases.models import Case
from tracker.cases.workflow import Action, can_take
from tracker.extensions import db
from tracker.forms import choices, strip
from tracker.settings.models import load_settings
from tracker.staff.access import sees_clinical
from tracker.staff.models import Role, User

# How a letter went, as the acknowledgement records it.
ACKNOWLEDGED_BY = {
    SentMethod.POST: AcknowledgementMethod.LETTER,
    SentMethod.HANDED_OVER: AcknowledgementMethod.LETTER,
    SentMethod.EMAIL: AcknowledgementMethod.EMAIL,
}
LETTERHEAD = (
    "practice_name", "practice_address", "practice_phone", "pals_office_name", "pals_phone",
    "pals_email", "pals_web_address", "pals_postal_address",
)  # fmt: skip

NOTE_MAX = 2000


class SendLetterForm(VersionedForm):
    letter = RadioField(
        "Which letter?",
        choices=choices(LetterKind.choices()),
        validators=[InputRequired("Choose the letter to send")],
    )
    # Offered when someone acts for the patient; otherwise the letter goes to the patient.
    recipient = RadioField(
        "Who is the letter to?",
        choices=choices(LetterRecipient.choices()),
        default=LetterRecipient.PATIENT.value,
        validators=[Optional()],
    )
    reviewer_note = TextAreaField(
        "Anything the reviewer wants to add to the outcome letter",
        description="Optional. The outcome letter gives no clinical detail unless you add it here. Write for the patient, in plain words.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    sent_method = RadioField(
        "How was it sent?",
        choices=choices(SentMethod.choices()),
        validators=[InputRequired("Choose how the letter was sent")],
    )
    # What the letters were made from when the page was opened (letter_basis).
    drafted = HiddenField()


def letter_basis(user: User) -> str:
    """A digest of everything a letter is made from besides the case (whose version the form
    carries already): today's date, the templates in force, the practice's letterhead and PALS
    details, and who is making it. If it differs when the letter is marked sent, the letter
    checked and sent is not the one that would be stored."""
    settings = load_settings()
    made_from = [
        clock.today_london().isoformat(),
        sorted((kind, template.body) for kind, template in LETTERS.current_texts().items()),
        [getattr(settings, name, None) for name in LETTERHEAD],
        user.id,
    ]
    return hashlib.sha256(json.dumps(made_from, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    message: str
    field: str


# A complaint's answer, and the letter saying it is late, go out over the practice manager's
# handling of the complaint: only they send them.
MANAGERS_LETTERS = frozenset({LetterKind.FINAL_RESPONSE, LetterKind.DELAY})


def managers_letter(kind: str, actor: User) -> str | None:
    """Why this person may not send this letter: a complaint's final response or delay letter
    is the practice manager's to send."""
    if kind in MANAGERS_LETTERS and actor.role != Role.PRACTICE_MANAGER:
        return "The practice manager sends a complaint's final response and delay letters."
    return None


def recipients_of(choice: str | None) -> tuple[LetterRecipient, ...]:
    """The letters a choice of recipient makes: one, or one each."""
    if choice == LetterRecipient.BOTH:
        return (LetterRecipient.PATIENT, LetterRecipient.REPRESENTATIVE)
    if choice == LetterRecipient.REPRESENTATIVE:
        return (LetterRecipient.REPRESENTATIVE,)
    return (LetterRecipient.PATIENT,)


def letter_problem(
    case: Case, kind: str, note: str, actor: User, recipient: str = LetterRecipient.PATIENT
) -> Problem | None:
    """Why this person cannot make this letter, with this note, for the case now, to this
    recipient (the patient, the person acting for them, or both)."""
    for each in recipients_of(recipient):
        reason = why_not(case, kind, each)
        if reason:
            return Problem(reason, "letter" if each == LetterRecipient.PATIENT else "recipient")
    reason = managers_letter(kind, actor)
    if reason:
        return Problem(reason, "letter")
    if (
        LetterRecipient.REPRESENTATIVE in recipients_of(recipient)
        and kind in set(LetterKind)
        and "{addressee}" not in LETTERS.current(kind).body
    ):
        return Problem(
            f"The practice's {LetterKind(kind).label.lower()} does not use {{addressee}}, so "
            f"it would greet the patient rather than {case.representative_full_name}. Send it "
            "to the patient, or ask the practice manager to start the letter 'Dear {addressee}'",
            "recipient",
        )
    if note and not sees_clinical(actor):
        return Problem(
            "Only the reviewer or the practice manager can add to a letter", "reviewer_note"
        )
    if note and kind != LetterKind.OUTCOME:
        return Problem(
            "A note can only be added to the outcome letter. Remove it, or choose the outcome letter",
            "reviewer_note",
        )
    if note and "{reviewer_note}" not in LETTERS.current(LetterKind.OUTCOME).body:
        return Problem(
            "The practice's outcome letter has no place for a note ({reviewer_note} is not in "
            "its template), so the note would be left out. Leave the note out, or ask the "
            "practice manager to add {reviewer_note} to the outcome letter",
            "reviewer_note",
        )
    if (
        kind == LetterKind.ACKNOWLEDGEMENT
        and case.acknowledged_on is None
        and not can_take(Action.ACKNOWLEDGE, actor, case.stage, case.reviewer_id)
    ):
        return Problem(
            "Sending the acknowledgement records the complaint as acknowledged, which reception "
            "or the practice manager does. Ask them to send it",
            "letter",
        )
    if len(note) > NOTE_MAX:
        return Problem(f"The note must be {NOTE_MAX:,} characters or fewer", "reviewer_note")
    return None


def checked_letter(
    case: Case,
    kind: LetterKind,
    note: str,
    actor: User,
    *,
    for_pdf: bool = False,
    back_href: str | None = None,
    recipient: str = LetterRecipient.PATIENT,
) -> Letter:
    """The letter this person would make for the case now, with this note, to this one
    recipient; CaseError saying why not (letter_problem), LetterTooLong for one over the
    bounds (before it is laid out)."""
    problem = letter_problem(case, kind, note, actor, recipient)
    if problem:
        raise CaseError(problem.message, field=problem.field)
    letter = letter_for(
        case, kind, actor, note, for_pdf=for_pdf, back_href=back_href, recipient=recipient
    )
    check_length(letter)
    return letter


def file_name(case: Case, kind: str, recipient: str = LetterRecipient.PATIENT) -> str:
    to = "-to-representative" if recipient == LetterRecipient.REPRESENTATIVE else ""
    return f"{case.reference}-{kind}-letter{to}-{clock.today_london():%Y-%m-%d}.pdf"


class SendLetter(CaseAction):
    action = Action.SEND_LETTER
    form = SendLetterForm
    events = (EventKind.LETTER_SENT,)

    def build_form(self, case: Case, user: User, *, first_view: bool) -> SendLetterForm:
        form = SendLetterForm()
        # Someone acts for the patient: the letter may go to them, to the patient, or both.
        form.to_whom = bool(case.representative_name)
        form.representative_problem = representative_problem(case) if form.to_whom else None
        if form.to_whom:
            form.recipient.choices = choices(
                [
                    (LetterRecipient.PATIENT.value, f"The patient, {case.patient_name}"),
                    (
                        LetterRecipient.REPRESENTATIVE.value,
                        f"{case.representative_full_name}, acting for the patient",
                    ),
                    (LetterRecipient.BOTH.value, "Both: one letter each"),
                ]
            )
        # A patient without an address can still be written to through the person acting
        # for them.
        through = (
            LetterRecipient.REPRESENTATIVE
            if not case.has_postal_address and form.to_whom and not form.representative_problem
            else LetterRecipient.PATIENT
        )
        if first_view and through == LetterRecipient.REPRESENTATIVE:
            form.recipient.data = through.value
        form.reasons = {
            kind: why_not(case, kind, through) or managers_letter(kind, user) for kind in LetterKind
        }
        available = [kind for kind, reason in form.reasons.items() if reason is None]
        form.letter.choices = choices((kind.value, kind.label) for kind in available)
        form.no_address = not case.has_postal_address and through == LetterRecipient.PATIENT
        form.cannot_submit = not available
        form.submit_label = "Mark as sent"
        form.adds_note = sees_clinical(user)
        if first_view and len(available) == 1:
            form.letter.data = available[0].value
        asked = request.args.get("letter")  # a link that offers one letter (the delay letter)
        if first_view and asked in {kind.value for kind in available}:
            form.letter.data = asked
        # The basis the person saw when they opened the page goes with the submission; a form
        # that comes back carries the basis as it is now, for them to check again.
        form.drafted_when_opened = None if first_view else form.drafted.data
        form.drafted.data = letter_basis(user)
        return form

    def data(self, form: SendLetterForm) -> dict[str, Any]:
        return {
            "letter": form.letter.data,
            "recipient": form.recipient.data or LetterRecipient.PATIENT.value,
            "reviewer_note": form.reviewer_note.data or "",
            "sent_method": form.sent_method.data,
            "drafted": form.drafted_when_opened,
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        kind = LetterKind(data["letter"])
        note = data.get("reviewer_note") or ""
        chosen = data.get("recipient") or LetterRecipient.PATIENT
        problem = letter_problem(case, kind, note, actor, chosen)
        if problem:
            raise CaseError(problem.message, field=problem.field)
        letters = {
            recipient: checked_letter(case, kind, note, actor, for_pdf=True, recipient=recipient)
            for recipient in recipients_of(chosen)
        }
        drafted = data.get("drafted")
        if drafted and drafted != letter_basis(actor):
            raise CaseError(
                "The letter has changed since this page was opened: the date, the practice's "
                "letter templates or its details are different now. Nothing was saved. Check "
                "the letter again (show it or download it), then mark it as sent",
                field="letter",
            )
        for recipient, letter in letters.items():
            db.session.add(
                CaseLetter(
                    case_id=case.id,
                    kind=kind,
                    recipient=recipient,
                    sent_method=data["sent_method"],
                    sent_at=clock.now_utc(),
                    sent_by_id=actor.id,
                    clinical=bool(note),
                    file_name=file_name(case, kind, recipient),
                    pdf=pdf_of(letter),
                )
            )
        if kind == LetterKind.FINAL_RESPONSE and case.response_sent_on is None:
            case.response_sent_on = clock.today_london()  # meets the agreed response date
        if kind == LetterKind.ACKNOWLEDGEMENT and case.acknowledged_on is None:
            acknowledge.ACTION.apply(
                case,
                actor,
                {
                    "acknowledged_on": clock.today_london(),
                    "method": ACKNOWLEDGED_BY[SentMethod(data["sent_method"])],
                },
            )
        to = {
            (LetterRecipient.PATIENT,): "",
            (LetterRecipient.REPRESENTATIVE,): " to the person acting for the patient",
        }.get(tuple(letters), " to the patient and to the person acting for them")
        return Done(
            EventKind.LETTER_SENT,
            detail=f"{kind.label}{to}: {SentMethod(data['sent_method']).label.lower()}",
            clinical=bool(note),
        )


ACTION = SendLetter()
