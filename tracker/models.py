"""Imports every model so metadata is complete for create_all and migrations."""

from tracker.audit.models import Event
from tracker.cases.attachments import CaseAttachment, CaseAttachmentContent
from tracker.cases.models import Case, CaseNote, CaseSequence
from tracker.guidance.models import GuidanceVersion
from tracker.security.models import RecoveryCode, SignInFailure
from tracker.settings.models import PracticeSettings
from tracker.staff.models import User

__all__ = [
    "Case",
    "CaseAttachment",
    "CaseAttachmentContent",
    "CaseNote",
    "CaseSequence",
    "Event",
    "GuidanceVersion",
    "PracticeSettings",
    "RecoveryCode",
    "SignInFailure",
    "User",
]
