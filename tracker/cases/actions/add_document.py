"""Add a document to the case: a scanned letter, an email saved as a PDF, or a photo. Those who
may see clinical material may mark it clinical, as with notes."""

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.audit.kinds import EventKind
from tracker.cases import attachments
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.attachments import (
    DESCRIPTION_MAX,
    LIMITS_TEXT,
    MAX_BYTES,
    MAX_SIZE_TEXT,
    UploadProblem,
)
from tracker.cases.errors import CaseError
from tracker.cases.forms import VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.forms import strip
from tracker.staff.access import CLINICAL_AUDIENCE, sees_clinical
from tracker.staff.models import User


class DocumentForm(VersionedForm):
    multipart = True  # the action page sends it as multipart/form-data

    file = FileField(
        "Document",
        description=f"A PDF, JPEG or PNG file, up to {MAX_SIZE_TEXT}: a scanned letter, "
        f"an email saved as a PDF, or a photo. {LIMITS_TEXT}",
    )
    description = StringField(
        "Description",
        description="What it is and where it came from, for example: letter from the "
        "patient's daughter, received 3 November",
        filters=[strip],
        validators=[
            DataRequired("Enter a description of the document"),
            Length(
                max=DESCRIPTION_MAX,
                message=f"Description must be {DESCRIPTION_MAX} characters or fewer",
            ),
        ],
    )
    clinical = BooleanField(
        "Clinical document",
        description=f"Clinical documents are seen by {CLINICAL_AUDIENCE} only, not by reception.",
    )

    file_name: str | None = None
    content: bytes | None = None
    # For the page's own check of a chosen file's size (static/js/upload.js).
    max_bytes = MAX_BYTES
    max_size_text = MAX_SIZE_TEXT

    def validate_file(self, field) -> None:
        """Read the chosen file once and check it: its type from its content, its size."""
        upload = field.data
        if upload is not None and upload.filename:
            self.file_name = upload.filename
            self.content = upload.stream.read()
        try:
            attachments.check_upload(self.file_name, self.content)
        except UploadProblem as problem:
            raise ValidationError(problem.message) from problem


class AddDocument(CaseAction):
    action = Action.ADD_DOCUMENT
    form = DocumentForm
    events = (EventKind.DOCUMENT_ADDED, EventKind.CLINICAL_DOCUMENT_ADDED)

    def data(self, form: DocumentForm) -> dict[str, Any]:
        return {
            "file_name": form.file_name,
            "content": form.content,
            "description": form.description.data,
            "clinical": form.clinical.data,
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        clinical = bool(data.get("clinical")) and sees_clinical(actor)
        description = (data.get("description") or "").strip()
        if not description:
            raise CaseError("Enter a description of the document", field="description")
        try:
            attachment = attachments.keep(
                case.id,
                actor,
                file_name=data.get("file_name"),
                content=data.get("content"),
                description=description,
                clinical=clinical,
            )
        except UploadProblem as problem:
            raise CaseError(problem.message, field="file") from problem
        return Done(
            EventKind.CLINICAL_DOCUMENT_ADDED if clinical else EventKind.DOCUMENT_ADDED,
            typed=f"{description} ({attachment.file_name})",
            detail=attachments.summary(attachment),
            clinical=clinical,
        )


ACTION = AddDocument()
