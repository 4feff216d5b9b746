"""Everything the tracker holds about one patient, for a subject access request: one zip file
holding the cases, notes and events as JSON, every document as it was uploaded and every letter
as it was sent."""

import json
import zipfile
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import inspect, select

from tracker import clock
from tracker.audit.models import Event
from tracker.cases import attachments
from tracker.cases.letters.kinds import LetterKind, SentMethod
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case, CaseNote, format_nhs_number
from tracker.extensions import db


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(row) -> dict[str, Any]:
    return {
        column.key: _plain(getattr(row, column.key)) for column in inspect(row).mapper.column_attrs
    }


EXPORT_JSON = "subject-access.json"


def document_path(reference: str, attachment: attachments.CaseAttachment) -> str:
    """Where a document sits in the zip: a folder per case, each file named by its number."""
    return f"documents/{reference}/{attachment.id}-{attachment.download_name}"


def export_for(nhs_number: str) -> dict[str, Any]:
    """Every case with this NHS number, with all its notes, documents (clinical ones too) and
    events; no other patient's. The documents' bytes go into the zip (`write_zip`)."""
    cases = db.session.scalars(
        select(Case).where(Case.nhs_number == nhs_number).order_by(Case.id)
    ).all()
    exported = []
    for case in cases:
        notes = db.session.scalars(
            select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id)
        ).all()
        events = db.session.scalars(
            select(Event).where(Event.case_id == case.id).order_by(Event.id)
        ).all()
        letters = db.session.scalars(
            select(CaseLetter).where(CaseLetter.case_id == case.id).order_by(CaseLetter.id)
        ).all()
        exported.append(
            {
                "case": _columns(case),
                "reviewer": case.reviewer.full_name if case.reviewer else None,
                "original_gp": case.original_gp_name,
                "notes": [{**_columns(note), "author": note.author.full_name} for note in notes],
                "documents": [
                    {
                        **_columns(document),
                        "type": document.type_label,
                        "uploaded_by": document.uploaded_by.full_name,
                        "file": document_path(case.reference, document),
                    }
                    for document in attachments.all_for(case.id)
                ],
                # Each letter as it was sent: the PDF itself is in the zip where "file" says.
                "letters": [
                    {
                        "letter": LetterKind.label_of(letter.kind),
                        "sent": SentMethod.label_of(letter.sent_method),
                        "sent_at": letter.sent_at.isoformat(),
                        "sent_by": letter.sent_by.full_name,
                        "file_name": letter.file_name,
                        "id": letter.id,
                        "file": f"letters/{case.reference}/{letter.id}-{letter.file_name}",
                    }
                    for letter in letters
                ],
                "events": [
                    {
                        **_columns(event),
                        "changes": event.all_changes,
                        "detail": event.full_detail,
                        "actor": event.actor.full_name if event.actor else None,
                    }
                    for event in events
                ],
            }
        )
    return {
        "nhs_number": format_nhs_number(nhs_number),
        "exported_at": clock.now_utc().isoformat(),
        "case_references": [case.reference for case in cases],
        "cases": exported,
    }


def write_zip(export: dict[str, Any], target: IO[bytes]) -> None:
    """The export as one zip: the JSON, and each document's and letter's bytes where its entry
    says."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(EXPORT_JSON, json.dumps(export, indent=2, ensure_ascii=False))
        for case in export["cases"]:
            for document in case["documents"]:
                # Scans and photos are compressed already: stored as they are.
                archive.writestr(
                    document["file"],
                    attachments.content_of(document["id"]),
                    compress_type=zipfile.ZIP_STORED,
                )
            for letter in case["letters"]:
                archive.writestr(letter["file"], db.session.get(CaseLetter, letter["id"]).pdf)
