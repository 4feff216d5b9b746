"""The letter templates in force and every change to them: the letters' versioned texts."""

from tracker.audit.kinds import EventKind
from tracker.cases.letters.defaults import DEFAULT_LETTERS
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.models import LetterTemplateVersion
from tracker.versioned_text.services import VersionedTexts

LETTERS = VersionedTexts(
    model=LetterTemplateVersion,
    shipped=DEFAULT_LETTERS,
    label_of=LetterKind.label_of,
    audit_key="letter",
    edited=EventKind.LETTER_TEMPLATE_EDITED,
    restored=EventKind.LETTER_TEMPLATE_RESTORED,
    edited_detail="Letter changed: {label}",
    restored_detail="Shipped letter restored: {label}",
)
