"""Documents on a case: scanned letters, emails and photos, kept in the database.

The bytes sit in their own table (case_attachment_contents), so listing a case's documents
never reads them; being in the database, they are in every backup and every app host sees
them. A file's type is read from its first bytes, never from its name. How much may be
uploaded (each file, each case, each person in a day) is UPLOAD_LIMITS in tracker/config.py.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import PurePosixPath, PureWindowsPath

from flask import g, has_app_context
from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    String,
    bindparam,
    delete,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.cases.models import Case
from tracker.config import MB, UPLOAD_LIMITS
from tracker.extensions import db
from tracker.practices.scope import PracticeOwned, made_once
from tracker.staff.access import sees_clinical
from tracker.staff.models import User, shown_by_name
from tracker.types import IDS_NEVER_REUSED, UTCDateTime
from tracker.vocabulary import Labelled


def whole_mb(size: int) -> str:
    """A limit as staff read it: 10 MB."""
    return f"{size // MB} MB"


MAX_BYTES = UPLOAD_LIMITS.file_bytes
MAX_SIZE_TEXT = whole_mb(MAX_BYTES)
LIMITS_TEXT = (
    f"A case holds up to {UPLOAD_LIMITS.case_documents} documents "
    f"({whole_mb(UPLOAD_LIMITS.case_bytes)} in all), and one person can add up to "
    f"{UPLOAD_LIMITS.daily_documents} documents ({whole_mb(UPLOAD_LIMITS.daily_bytes)}) a day."
)
DESCRIPTION_MAX = 200
FILE_NAME_MAX = 255


class DocumentType(Labelled):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG image"
    PNG = "png", "PNG image"


@dataclass(frozen=True)
class Format:
    media_type: str
    signature: bytes
    extensions: tuple[str, ...]  # the first is the one a download is given when it has none


FORMATS = {
    DocumentType.PDF: Format("application/pdf", b"%PDF-", (".pdf",)),
    DocumentType.JPEG: Format(
        "image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg", ".jpe", ".jfif", ".pjpeg", ".pjp")
    ),
    DocumentType.PNG: Format("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
}
ACCEPTED_TEXT = "a PDF, JPEG or PNG"


class CaseAttachment(PracticeOwned, db.Model):
    """A document kept with a case: what it is, who added it and when. Clinical documents are
    for GPs and the practice manager only, like clinical notes."""

    __tablename__ = "case_attachments"
    __table_args__ = (
        Index("ix_case_attachments_case_id_uploaded_at", "case_id", "uploaded_at"),
        # What one person has added today, counted against the daily limit.
        Index("ix_case_attachments_uploaded_by_id_uploaded_at", "uploaded_by_id", "uploaded_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX))
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_MAX))
    document_type: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    clinical: Mapped[bool] = mapped_column(default=False, server_default=false())

    uploaded_by: Mapped[User] = relationship(lazy="joined")

    @property
    def type_label(self) -> str:
        return DocumentType.label_of(self.document_type)

    @property
    def media_type(self) -> str:
        return FORMATS[DocumentType(self.document_type)].media_type

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def download_name(self) -> str:
        """The name it was uploaded with, given its type's extension if it had none."""
        extensions = FORMATS[DocumentType(self.document_type)].extensions
        if PurePosixPath(self.file_name).suffix.lower() in extensions:
            return self.file_name
        return self.file_name + extensions[0]


class CaseAttachmentContent(PracticeOwned, db.Model):
    """The bytes of a document, apart from what lists of documents read."""

    __tablename__ = "case_attachment_contents"

    attachment_id: Mapped[int] = mapped_column(ForeignKey("case_attachments.id"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class UploadProblem(ValueError):
    """A file that cannot be kept, with the words to show beside the file input."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def size_text(size: int) -> str:
    """1.2 MB, 340 KB or 12 bytes, as a computer's file list shows sizes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} byte" + ("" if size == 1 else "s")


def recognise(content: bytes) -> DocumentType | None:
    """The type the file's first bytes show, whatever its name says."""
    for kind, found in FORMATS.items():
        if content.startswith(found.signature):
            return kind
    return None


def clean_file_name(raw: str | None) -> str:
    """The file's own name without any folder a browser sent, control characters or
    surrounding spaces; "document" when nothing is left."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    name = re.sub(r"\s+", " ", name)
    if len(name) > FILE_NAME_MAX:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: FILE_NAME_MAX - len(suffix)] + suffix
    return name or "document"


# Extensions of the other kinds of file staff may have to hand: a name ending in one of these
# says the file is something else. Any other ending ("Letter 03.11.2026", "from Dr.Smith") is
# part of the name, and a download adds the type's own extension.
# fmt: off
OTHER_EXTENSIONS = frozenset({
    ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".webp", ".svg", ".ico",
    ".html", ".htm", ".xhtml", ".mht", ".xml", ".json", ".js",
    ".txt", ".rtf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".csv", ".ppt", ".pptx",
    ".eml", ".msg", ".zip", ".7z", ".rar", ".exe", ".mp3", ".mp4", ".mov", ".avi", ".wav",
})
# fmt: on
KNOWN_EXTENSIONS = OTHER_EXTENSIONS.union(*(found.extensions for found in FORMATS.values()))


def name_extension(file_name: str) -> str | None:
    """The file-type extension a name ends with (".pdf"), lower case, or None."""
    suffix = PurePosixPath(file_name).suffix.lower()
    return suffix if suffix in KNOWN_EXTENSIONS else None


def check_upload(file_name: str | None, content: bytes | None) -> DocumentType:
    """The document's type, or UploadProblem saying why the file cannot be kept. A name whose
    extension says another type is refused (not corrected): the person may have chosen the
    wrong file."""
    if content is None or not file_name:
        raise UploadProblem("Select a file to upload")
    if len(content) == 0:
        raise UploadProblem("The selected file is empty. Check it and select it again")
    if len(content) > MAX_BYTES:
        shown = size_text(len(content))
        raise UploadProblem(
            f"The selected file must be {MAX_SIZE_TEXT} or smaller. This one is "
            + (f"just over {MAX_SIZE_TEXT}" if shown == size_text(MAX_BYTES) else shown)
        )
    kind = recognise(content)
    if kind is None:
        raise UploadProblem(
            f"The selected file must be {ACCEPTED_TEXT}. This file is none of those, "
            "whatever its name says"
        )
    extension = name_extension(clean_file_name(file_name))
    if extension and extension not in FORMATS[kind].extensions:
        raise UploadProblem(
            f"The selected file is a {kind.label} but its name ends {extension}. "
            f"Nothing was saved: check it is the file you meant, rename it to end "
            f"{FORMATS[kind].extensions[0]} and select it again"
        )
    return kind


# Made once (see `made_once`).
_DOCUMENTS = (
    select(CaseAttachment)
    .where(CaseAttachment.case_id == bindparam("case_id"))
    .options(*shown_by_name(CaseAttachment.uploaded_by))
)
_NEWEST_DOCUMENT_FIRST = (CaseAttachment.uploaded_at.desc(), CaseAttachment.id.desc())
EVERY_DOCUMENT = made_once(_DOCUMENTS.order_by(*_NEWEST_DOCUMENT_FIRST))
DOCUMENTS_NOT_CLINICAL = made_once(
    _DOCUMENTS.where(CaseAttachment.clinical.is_(False)).order_by(*_NEWEST_DOCUMENT_FIRST)
)
_LISTED = "listed_documents"  # in flask.g: what listed_for found in this request


def listed_for(case_id: int, viewer: User, *, any_held: bool = True) -> list[CaseAttachment]:
    """The documents this person may see on the case, newest first, without their bytes.
    Read once a request (the case page asks for its list, and whether there is one to
    remove); adding or removing a document in the request forgets it. `any_held=False`: the
    case holds no document, as read in this transaction, so there is nothing to read."""
    key = (case_id, viewer.id, sees_clinical(viewer))
    found = g.setdefault(_LISTED, {}) if has_app_context() else {}
    if key not in found:
        query = EVERY_DOCUMENT if key[2] else DOCUMENTS_NOT_CLINICAL
        found[key] = list(db.session.scalars(query, {"case_id": case_id})) if any_held else []
    return list(found[key])


def _forget_listed() -> None:
    if has_app_context():
        g.pop(_LISTED, None)


def all_for(case_id: int) -> list[CaseAttachment]:
    """Every document on the case, oldest first (for the subject access export)."""
    return list(
        db.session.scalars(
            select(CaseAttachment)
            .where(CaseAttachment.case_id == case_id)
            .order_by(CaseAttachment.id)
        )
    )


def find(case_id: int, attachment_id: int) -> CaseAttachment | None:
    return db.session.scalar(
        select(CaseAttachment).where(
            CaseAttachment.id == attachment_id, CaseAttachment.case_id == case_id
        )
    )


def content_of(attachment_id: int) -> bytes:
    """The document's bytes, read only when someone downloads or exports it."""
    return db.session.scalar(
        select(CaseAttachmentContent.data).where(
            CaseAttachmentContent.attachment_id == attachment_id
        )
    )


def keep(
    case_id: int,
    uploaded_by: User,
    *,
    file_name: str,
    content: bytes,
    description: str,
    clinical: bool,
) -> CaseAttachment:
    """Add the document and its bytes to the session (checked again here, with the room left
    on the case and in the person's day); flushed, so it has its id. The caller records the
    event and commits."""
    kind = check_upload(file_name, content)
    check_room(case_id, uploaded_by, len(content))
    attachment = CaseAttachment(
        case_id=case_id,
        uploaded_by_id=uploaded_by.id,
        uploaded_at=clock.now_utc(),
        description=description,
        file_name=clean_file_name(file_name),
        document_type=kind.value,
        size=len(content),
        sha256=sha256_of(content),
        clinical=clinical,
    )
    _forget_listed()
    db.session.add(attachment)
    db.session.flush()
    db.session.add(CaseAttachmentContent(attachment_id=attachment.id, data=content))
    return attachment


def start_of_today() -> datetime:
    """Midnight at the practice (London), as a UTC moment: when a person's day of uploads began."""
    return datetime.combine(clock.today_london(), time(), tzinfo=clock.LONDON).astimezone(UTC)


def count_and_size(*where) -> tuple[int, int]:
    """How many documents match, and their bytes."""
    count, size = db.session.execute(
        select(func.count(), func.coalesce(func.sum(CaseAttachment.size), 0)).where(*where)
    ).one()
    return int(count), int(size)


def check_room(case_id: int, uploaded_by: User, size: int) -> None:
    """UploadProblem unless a file of this size fits within the case's limits and what this
    person may still add today (UPLOAD_LIMITS)."""
    limits = UPLOAD_LIMITS
    count, used = count_and_size(CaseAttachment.case_id == case_id)
    if count >= limits.case_documents:
        raise UploadProblem(
            f"This case already has {count} documents, the most one case may hold. Nothing was "
            "saved. The practice manager can remove a document added by mistake"
        )
    if used + size > limits.case_bytes:
        raise UploadProblem(
            f"This file ({size_text(size)}) would take the documents on this case past "
            f"{whole_mb(limits.case_bytes)}, the most one case may hold (they take "
            f"{size_text(used)} now). Nothing was saved: make the file smaller, for example by "
            "scanning it in black and white or at a lower resolution"
        )
    count, used = count_and_size(
        CaseAttachment.uploaded_by_id == uploaded_by.id,
        CaseAttachment.uploaded_at >= start_of_today(),
    )
    if count >= limits.daily_documents:
        raise UploadProblem(
            f"You have added {count} documents today, the most one person may add in a day. "
            "Nothing was saved: you can add more tomorrow"
        )
    if used + size > limits.daily_bytes:
        raise UploadProblem(
            f"This file ({size_text(size)}) would take the documents you have added today past "
            f"{whole_mb(limits.daily_bytes)}, the most one person may add in a day (you have "
            f"added {size_text(used)}). Nothing was saved: you can add it tomorrow"
        )


@dataclass(frozen=True)
class CaseStorage:
    """The documents on one case: how many, and their bytes."""

    reference: str
    documents: int
    size: int

    @property
    def size_text(self) -> str:
        return size_text(self.size)


@dataclass(frozen=True)
class Storage:
    """The storage documents use, for the practice manager."""

    documents: int
    size: int
    cases: int
    largest: list[CaseStorage]

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def storage_used(largest: int = 10) -> Storage:
    """How many documents there are and the space they take, with the cases that hold most."""
    documents, size = count_and_size()
    cases = db.session.scalar(select(func.count(func.distinct(CaseAttachment.case_id))))
    total = func.sum(CaseAttachment.size).label("total")
    rows = db.session.execute(
        select(Case.reference, func.count(CaseAttachment.id), total)
        .join(Case, Case.id == CaseAttachment.case_id)
        .group_by(Case.id, Case.reference)
        .order_by(total.desc(), Case.reference)
        .limit(largest)
    ).all()
    return Storage(
        documents=documents,
        size=size,
        cases=int(cases or 0),
        largest=[
            CaseStorage(reference, int(count), int(bytes_)) for reference, count, bytes_ in rows
        ],
    )


def sha256_of(content: bytes) -> str:
    """The digest the export and the audit log give, so a copy can be checked as the same."""
    return hashlib.sha256(content).hexdigest()


def summary(attachment: CaseAttachment) -> str:
    """The system's own words for a document, with nothing about the patient in them."""
    return f"Document {attachment.id}: {attachment.type_label}, {attachment.size_text}"


def remove(attachment: CaseAttachment) -> None:
    """Delete one document and its bytes (removed from the case by the practice manager)."""
    _forget_listed()
    db.session.execute(
        delete(CaseAttachmentContent).where(CaseAttachmentContent.attachment_id == attachment.id)
    )
    db.session.delete(attachment)


def remove_all(case_id: int) -> int:
    """Delete the case's documents and their bytes (retention); returns how many there were."""
    _forget_listed()
    ids = select(CaseAttachment.id).where(CaseAttachment.case_id == case_id)
    count = len(db.session.scalars(ids).all())
    db.session.execute(
        delete(CaseAttachmentContent).where(CaseAttachmentContent.attachment_id.in_(ids))
    )
    db.session.execute(delete(CaseAttachment).where(CaseAttachment.case_id == case_id))
    return count
