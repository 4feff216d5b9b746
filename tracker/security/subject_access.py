"""Everything the tracker holds about one patient, for a subject access request: one zip file
holding, for each case, a readable record (a PDF: the case, its notes, the letters sent and its
timeline in the case page's words) for the practice manager to review before release; the same
as JSON; every document as it was uploaded and every letter as it was sent.

Staff email addresses are removed everywhere in the export (staff names and roles stay), and
every name in the zip is portable: letters, digits, ".", "_" and "-" only, with the document's
or letter's number in front."""

import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from flask import render_template
from markupsafe import escape
from sqlalchemy import inspect, select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.audit.record import record_event
from tracker.cases import attachments
from tracker.cases.case_fields import CASE_FIELDS
from tracker.cases.history import AUDIT_LOG_ONLY, snapshot
from tracker.cases.letters.kinds import LetterKind, SentMethod
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case, CaseContact, CaseNote, format_nhs_number
from tracker.extensions import db
from tracker.outbox.models import OutboxMessage
from tracker.pdf import pdf_of_html
from tracker.settings.models import load_settings
from tracker.staff.models import User

EXPORT_JSON = "subject-access.json"
README = "README.txt"
STAFF_EMAIL_REMOVED = "[staff email address removed]"
RECORD_TEMPLATE = "admin/subject_access_record.jinja"

# Columns a reader cannot use: the case's edit counter and the parts of its reference. Row ids
# and links between rows (…_id) go too, but for the documents' and letters' own numbers, which
# their file names in the zip carry.
CASE_INTERNAL = frozenset({"version", "year", "sequence"})

# Events about emails the tracker sent name their recipients: staff or the practice's mailboxes.
EMAIL_EVENTS = (EventKind.EMAIL_SENT, EventKind.EMAIL_REQUEUED)
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

NOT_PORTABLE = re.compile(r"[^A-Za-z0-9._-]+")
EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
PORTABLE_NAME_MAX = 100


def portable_name(name: str, fallback: str = "document") -> str:
    """A file name any computer can hold: accents dropped, anything but letters, digits, ".",
    "_" and "-" made "_", no dot or dash at either end, and its extension kept."""
    decomposed = unicodedata.normalize("NFKD", name)
    unaccented = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stem, dot, extension = NOT_PORTABLE.sub("_", unaccented).rpartition(".")
    if not dot or not EXTENSION.fullmatch(extension):
        stem, extension = f"{stem}{dot}{extension}", ""
    stem = stem.strip("._-")[: PORTABLE_NAME_MAX - len(extension) - 1].rstrip("._-")
    return f"{stem or fallback}.{extension}" if extension else stem or fallback


def document_path(reference: str, attachment: attachments.CaseAttachment) -> str:
    """Where a document sits in the zip: a folder per case, each file named by its number."""
    name = portable_name(attachment.download_name)
    return f"documents/{portable_name(reference)}/{attachment.id}-{name}"


def letter_path(reference: str, letter: CaseLetter) -> str:
    """Where a letter's PDF sits in the zip, named by its number."""
    return f"letters/{portable_name(reference)}/{letter.id}-{portable_name(letter.file_name)}"


def record_path(reference: str) -> str:
    """Where a case's readable record sits in the zip."""
    return f"records/{portable_name(reference)}.pdf"


class StaffAddresses:
    """Removes staff email addresses from text, whatever their case; the patient's own
    addresses are kept."""

    def __init__(self, addresses: Iterable[str]):
        found = {a.strip().lower() for a in addresses if a and a.strip()}
        # Each address as typed and as a page writes it, never part of a longer address.
        forms = {form for address in found for form in (address, str(escape(address)))}
        choices = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        self._pattern = (
            re.compile(rf"(?<![\w.+'-])(?:{choices})(?![\w-]|\.[\w-])", re.I) if forms else None
        )

    def text(self, value: str) -> str:
        return self._pattern.sub(STAFF_EMAIL_REMOVED, value) if self._pattern else value

    def data(self, value: Any) -> Any:
        """Every string in a JSON-ready value, its keys too, with staff addresses removed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k): self.data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value


def staff_addresses(events: Iterable[Event], patients_own: set[str]) -> StaffAddresses:
    """Every address of the practice's staff the export could hold: each account's, the
    practice's mailboxes, and everyone the tracker has emailed (it emails staff alone)."""
    settings = load_settings()
    addresses = set(db.session.scalars(select(User.email)))
    addresses.update(db.session.scalars(select(OutboxMessage.recipient).distinct()))
    addresses.update({settings.duty_doctor_mailbox, settings.reception_mailbox})
    for event in events:
        if event.kind in EMAIL_EVENTS:
            addresses.update(EMAIL_ADDRESS.findall(event.full_detail or ""))
    own = {address.lower() for address in patients_own}
    return StaffAddresses(a for a in addresses if a and a.lower() not in own)


@dataclass(frozen=True)
class CaseRecord:
    """One case and everything kept with it."""

    case: Case
    notes: list[CaseNote]
    documents: list[attachments.CaseAttachment]
    letters: list[CaseLetter]
    events: list[Event]  # oldest first, views and downloads too
    contacts: list[CaseContact] = field(default_factory=list)  # oldest first

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def timeline(self) -> list[Event]:
        """The events the case page's timeline shows, oldest first."""
        return [event for event in self.events if event.kind not in AUDIT_LOG_ONLY]

    def staff(self) -> list[User]:
        """Everyone named in the record."""
        people = [self.case.reviewer, self.case.original_gp, self.case.created_by]
        people += [self.case.updated_by]
        people += [note.author for note in self.notes]
        people += [contact.recorded_by for contact in self.contacts]
        people += [document.uploaded_by for document in self.documents]
        people += [letter.sent_by for letter in self.letters]
        people += [event.actor for event in self.events]
        return [person for person in people if person is not None]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(row, *, keep_id: bool = False, leave_out: frozenset[str] = frozenset()) -> dict:
    """The row's columns as JSON-ready values, without the ids a reader cannot use."""
    values = {}
    for attribute in inspect(row).mapper.column_attrs:
        column = attribute.columns[0]
        if attribute.key in leave_out or column.foreign_keys:
            continue
        if column.primary_key and not keep_id:
            continue
        values[attribute.key] = _plain(getattr(row, attribute.key))
    return values


def staff_list(people: Iterable[User]) -> list[dict[str, str]]:
    """Each person once, by name, with their role."""
    unique = {person.id: person for person in people}
    return [
        {"name": person.full_name, "role": person.role_label}
        for person in sorted(unique.values(), key=lambda person: person.full_name)
    ]


def _name(person: User | None) -> str | None:
    return person.full_name if person else None


@dataclass
class SubjectAccessExport:
    """Every case held for one NHS number, and what the zip holds of them."""

    nhs_number: str
    exported_at: datetime
    records: list[CaseRecord]
    hide: StaffAddresses = field(repr=False)

    @property
    def case_references(self) -> list[str]:
        return [record.reference for record in self.records]

    @property
    def document_count(self) -> int:
        return sum(len(record.documents) for record in self.records)

    def staff(self) -> list[dict[str, str]]:
        """Each member of staff named in the export, with their role."""
        return staff_list(person for record in self.records for person in record.staff())

    def as_json(self) -> dict[str, Any]:
        """The export as JSON, staff email addresses removed."""
        return self.hide.data(
            {
                "nhs_number": format_nhs_number(self.nhs_number),
                "exported_at": self.exported_at.isoformat(),
                "case_references": self.case_references,
                "staff": self.staff(),
                "cases": [_case_json(record) for record in self.records],
            }
        )


def _case_json(record: CaseRecord) -> dict[str, Any]:
    case = record.case
    return {
        "case": _columns(case, leave_out=CASE_INTERNAL),
        "record": record_path(case.reference),
        "reviewer": _name(case.reviewer),
        "original_gp": case.original_gp_name,
        "logged_by": _name(case.created_by),
        "last_changed_by": _name(case.updated_by),
        "notes": [{**_columns(note), "author": _name(note.author)} for note in record.notes],
        "contacts": [
            {
                **_columns(contact),
                "recorded_by": _name(contact.recorded_by),
                "callback_owner": _name(contact.callback_owner),
                "callback_done_by": _name(contact.callback_done_by),
            }
            for contact in record.contacts
        ],
        "documents": [
            {
                **_columns(document, keep_id=True),
                "type": document.type_label,
                "uploaded_by": _name(document.uploaded_by),
                "file": document_path(case.reference, document),
            }
            for document in record.documents
        ],
        # Each letter as it was sent: the PDF itself is in the zip where "file" says.
        "letters": [
            {
                "id": letter.id,
                "letter": LetterKind.label_of(letter.kind),
                "sent": SentMethod.label_of(letter.sent_method),
                "sent_at": letter.sent_at.isoformat(),
                "sent_by": _name(letter.sent_by),
                "file_name": letter.file_name,
                "file": letter_path(case.reference, letter),
            }
            for letter in record.letters
        ],
        "events": [
            {
                **_columns(event),
                "changes": event.all_changes,
                "detail": event.full_detail,
                "actor": _name(event.actor),
            }
            for event in record.events
        ],
    }


def _record_for(case: Case) -> CaseRecord:
    return CaseRecord(
        case=case,
        notes=list(
            db.session.scalars(
                select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id)
            )
        ),
        documents=attachments.all_for(case.id),
        letters=list(
            db.session.scalars(
                select(CaseLetter).where(CaseLetter.case_id == case.id).order_by(CaseLetter.id)
            )
        ),
        events=list(
            db.session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))
        ),
        contacts=list(
            db.session.scalars(
                select(CaseContact)
                .where(CaseContact.case_id == case.id)
                .order_by(CaseContact.occurred_at, CaseContact.id)
            )
        ),
    )


def export_for(nhs_number: str, requested_by: User) -> SubjectAccessExport:
    """Every case with this NHS number, with all its notes, documents (clinical ones too),
    letters and events; no other patient's. The export is recorded in the audit log; the
    caller commits."""
    cases = db.session.scalars(
        select(Case).where(Case.nhs_number == nhs_number).order_by(Case.id)
    ).all()
    records = [_record_for(case) for case in cases]
    export = SubjectAccessExport(
        nhs_number=nhs_number,
        exported_at=clock.now_utc(),
        records=records,
        hide=staff_addresses(
            (event for record in records for event in record.events),
            {case.email for case in cases if case.email},
        ),
    )
    record_event(
        EventKind.SUBJECT_ACCESS_EXPORT,
        requested_by,
        changes={"nhs_number": [None, nhs_number], "cases": [None, export.case_references]},
        detail=f"Subject access export for NHS number {format_nhs_number(nhs_number)}: "
        f"{len(records)} case(s), {export.document_count} document(s)",
    )
    return export


def case_details(case: Case) -> list[tuple[str, str, Any]]:
    """(label, key, value) of each field of the case that holds something, in the order the
    case's fields are described."""
    values = snapshot(case)
    return [
        (field.label, field.key, values[field.key])
        for field in CASE_FIELDS
        if values[field.key] not in (None, "", False)
    ]


def record_html(export: SubjectAccessExport, record: CaseRecord) -> str:
    """The case as a readable page: what the patient would receive, staff addresses removed."""
    page = render_template(
        RECORD_TEMPLATE,
        record=record,
        case=record.case,
        details=case_details(record.case),
        practice=load_settings(),
        exported_on=clock.format_date(clock.to_london(export.exported_at).date()),
        document_path=document_path,
        letter_path=letter_path,
        staff=staff_list(record.staff()),
    )
    return export.hide.text(page)


def record_pdf(html: str) -> bytes:
    """The readable record as an A4 PDF, made as letters are."""
    return pdf_of_html(html)


def readme(export: SubjectAccessExport) -> str:
    """What the zip holds, for whoever opens it."""
    lines = [
        f"Subject access export for NHS number {format_nhs_number(export.nhs_number)}",
        f"Made {clock.format_moment(export.exported_at)}",
        "",
        "records/    one readable record (PDF) of each case: the case, its notes, the letters",
        "            sent and its timeline. Review these before releasing them to the patient.",
        "documents/  every document on each case, as it was uploaded, in a folder per case.",
        "letters/    every letter sent, as it was sent, in a folder per case.",
        f"{EXPORT_JSON}  the same as data, for another computer to read.",
        "",
        f"Staff email addresses are shown as {STAFF_EMAIL_REMOVED}.",
    ]
    return "\n".join(lines) + "\n"


def write_zip(export: SubjectAccessExport, target: IO[bytes]) -> None:
    """The export as one zip: a readme, each case's readable record, the JSON, and each
    document's and letter's bytes where the JSON says."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README, readme(export))
        for record in export.records:
            archive.writestr(record_path(record.reference), record_pdf(record_html(export, record)))
        archive.writestr(EXPORT_JSON, json.dumps(export.as_json(), indent=2, ensure_ascii=False))
        for record in export.records:
            for document in record.documents:
                # Scans and photos are compressed already: stored as they are.
                archive.writestr(
                    document_path(record.reference, document),
                    attachments.content_of(document.id),
                    compress_type=zipfile.ZIP_STORED,
                )
            for letter in record.letters:
                archive.writestr(letter_path(record.reference, letter), letter.pdf)
