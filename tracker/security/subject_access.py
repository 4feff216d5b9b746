"""Everything the tracker holds about one patient, for a subject access request."""

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select

from tracker import clock
from tracker.audit.models import Event
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


def export_for(nhs_number: str) -> dict[str, Any]:
    """Every case with this NHS number, with all its notes and events; no other patient's."""
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
                # Each letter as it was sent: the PDF itself, base64-encoded.
                "letters": [
                    {
                        "letter": LetterKind.label_of(letter.kind),
                        "sent": SentMethod.label_of(letter.sent_method),
                        "sent_at": letter.sent_at.isoformat(),
                        "sent_by": letter.sent_by.full_name,
                        "file_name": letter.file_name,
                        "pdf_base64": base64.b64encode(letter.pdf).decode("ascii"),
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
