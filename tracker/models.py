"""Imports every model so metadata is complete for create_all and migrations."""

from tracker.audit.models import Event
from tracker.cases.attachments import CaseAttachment, CaseAttachmentContent
from tracker.cases.letters.models import CaseLetter, LetterTemplateVersion
from tracker.cases.models import Case, CaseNote, CaseSequence
from tracker.cases.news import NewsItem  # noqa: F401 - keeps each case's last change as events are written
from tracker.guidance.models import GuidanceVersion
from tracker.outbox.models import NotificationPreference, OutboxMessage
from tracker.security.models import RecoveryCode, SignInFailure
from tracker.settings.models import Practice
from tracker.staff.models import User
from tracker.staff.sessions import UserSession

__all__ = [
    "Case",
    "CaseAttachment",
    "CaseAttachmentContent",
    "CaseLetter",
    "CaseNote",
    "CaseSequence",
    "Event",
    "GuidanceVersion",
    "LetterTemplateVersion",
    "NotificationPreference",
    "OutboxMessage",
    "Practice",
    "RecoveryCode",
    "SignInFailure",
    "User",
    "UserSession",
]
