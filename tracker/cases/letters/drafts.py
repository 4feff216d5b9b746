"""Drafting a letter from a case: the letter this person would send now, checked, to read in the
print view or download as a PDF before it is marked as sent. Nothing is kept; marking it as
sent (cases.actions.send_letter) makes and keeps it by the same checks."""

from tracker.cases.actions import check_can_take
from tracker.cases.actions.send_letter import checked_letter, file_name
from tracker.cases.codes import LetterRecipient
from tracker.cases.errors import CaseError
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.render import Letter, pdf_of
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.staff.models import User


class NoSuchLetter(CaseError):
    """The letter asked for is not one the practice sends: a bad request."""


def _letter_asked(case: Case, kind: str, actor: User) -> LetterKind:
    check_can_take(case, Action.SEND_LETTER, actor)
    if kind not in set(LetterKind):
        raise NoSuchLetter("Choose the letter to make.", field="letter")
    return LetterKind(kind)


def _one_recipient(recipient: str) -> LetterRecipient:
    """A draft is one letter: to the person acting for the patient, or to the patient."""
    if recipient == LetterRecipient.REPRESENTATIVE:
        return LetterRecipient.REPRESENTATIVE
    return LetterRecipient.PATIENT


def draft(
    case: Case,
    kind: str,
    note: str,
    actor: User,
    recipient: str = LetterRecipient.PATIENT,
    *,
    back_href: str | None = None,
) -> Letter:
    """The letter for the print view; NotAllowed when this person may not send letters on the
    case now, NoSuchLetter for an unknown letter, CaseError saying why it cannot be made."""
    asked = _letter_asked(case, kind, actor)
    return checked_letter(
        case, asked, note, actor, back_href=back_href, recipient=_one_recipient(recipient)
    )


def draft_pdf(
    case: Case, kind: str, note: str, actor: User, recipient: str = LetterRecipient.PATIENT
) -> tuple[bytes, str]:
    """The letter as a PDF and the name to download it as, refused as `draft` refuses."""
    asked = _letter_asked(case, kind, actor)
    to = _one_recipient(recipient)
    letter = checked_letter(case, asked, note, actor, for_pdf=True, recipient=to)
    return pdf_of(letter), "draft-" + file_name(case, asked, to)
