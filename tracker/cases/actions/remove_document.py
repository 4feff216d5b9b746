"""Remove a document from the case: one added to the wrong patient's case, or kept by mistake.
The practice manager alone, with a reason; the file and its bytes go at once (so no later
download or subject access export holds them) and the timeline keeps who removed which
document, when and why."""

from typing import Any

from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases import attachments
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.forms import strip
from tracker.staff.models import User


class RemoveDocumentForm(VersionedForm):
    document = RadioField(
        "Which document?", validators=[InputRequired("Choose the document to remove")]
    )
    reason = TextAreaField(
        "Why remove it?",
        description="For example: added to the wrong patient's case. The reason is kept on "
        "the case's timeline.",
        filters=[strip],
        validators=[
            InputRequired("Enter why the document is being removed"),
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    # The document the person confirmed they mean to remove (the step before it goes).
    confirmed = HiddenField()


def label(document: attachments.CaseAttachment) -> str:
    added = clock.format_date(document.uploaded_at)
    clinical = " (clinical)" if document.clinical else ""
    return (
        f"{document.description}{clinical}: {document.file_name}, {document.type_label}, "
        f"{document.size_text}, added by {document.uploaded_by.full_name} on {added}"
    )


class RemoveDocument(CaseAction):
    action = Action.REMOVE_DOCUMENT
    form = RemoveDocumentForm
    events = (EventKind.DOCUMENT_REMOVED,)

    def refusal(self, case: Case, user: User) -> str | None:
        if not attachments.listed_for(case.id, user):
            return "This case has no document to remove."
        return None

    def build_form(self, case: Case, user: User, *, first_view: bool) -> RemoveDocumentForm:
        form = self.form()
        documents = attachments.listed_for(case.id, user)
        form.document.choices = [(str(document.id), label(document)) for document in documents]
        form.cannot_submit = not documents
        return form

    def confirmation(self, case: Case, form: RemoveDocumentForm) -> str | None:
        """Removing cannot be undone: the person confirms the document they chose, and chooses
        again if it is not the one."""
        if form.confirmed.data and form.confirmed.data == form.document.data:
            return None
        document = attachments.find(case.id, int(form.document.data or 0))
        if document is None:
            return None  # `apply` says the choice is not a document of the case
        form.confirmed.data = str(document.id)
        form.submit_label = "Yes, remove this document"
        return (
            f'You are about to remove "{document.description}" ({document.file_name}) for good: '
            "it cannot be downloaded again. Check it is the right document, then press "
            '"Yes, remove this document".'
        )

    def data(self, form: RemoveDocumentForm) -> dict[str, Any]:
        return {"document_id": form.document.data, "reason": form.reason.data}

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        try:
            document_id = int(data.get("document_id") or "")
        except ValueError:
            document_id = 0
        document = attachments.find(case.id, document_id)
        if document is None:
            raise CaseError("Choose the document to remove", field="document")
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise CaseError("Enter why the document is being removed", field="reason")
        summary = attachments.summary(document)
        attachments.remove(document)
        return Done(
            EventKind.DOCUMENT_REMOVED,
            typed=f"{document.description} ({document.file_name}): {reason}",
            detail=summary,
            clinical=document.clinical,
        )


ACTION = RemoveDocument()
