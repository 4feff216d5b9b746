"""Imports every model so metadata is complete for create_all and migrations."""

import tracker.cases.news  # noqa: F401 - its listener keeps each case's last change as events are written
from tracker.audit.models import Event
from tracker.cases.attachments import CaseAttachment, CaseAttachmentContent
from tracker.cases.improvement import ImprovementAction, ImprovementNote
from tracker.cases.kept import FiguresMarker
from tracker.cases.letters.models import CaseLetter, LetterTemplateVersion
from tracker.cases.models import Case, CaseNote, CaseSequence
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
    "FiguresMarker",
    "GuidanceVersion",
    "ImprovementAction",
    "ImprovementNote",
    "LetterTemplateVersion",
    "NotificationPreference",
    "OutboxMessage",
    "Practice",
    "RecoveryCode",
    "SignInFailure",
    "User",
    "UserSession",
]
