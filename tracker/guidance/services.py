"""The guidance in force and every change to it: the guidance topics' versioned texts."""

from tracker.audit.kinds import EventKind
from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.models import GuidanceVersion
from tracker.guidance.topics import TOPICS
from tracker.versioned_text.services import VersionedTexts

GUIDANCE = VersionedTexts(
    model=GuidanceVersion,
    shipped=DEFAULT_TEXTS,
    label_of=lambda topic: TOPICS[topic].title,
    audit_key="guidance",
    edited=EventKind.GUIDANCE_EDITED,
    restored=EventKind.GUIDANCE_RESTORED,
    edited_detail="Guidance changed: {label}",
    restored_detail="Shipped guidance restored: {label}",
    kept_in_each_worker=True,
)
