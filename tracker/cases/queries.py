"""Finding cases and what hangs off them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from tracker.cases.attachments import CaseAttachment
from tracker.cases.history import VIEWED_LATELY, view_window_start
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import OPEN_CASE, Case, CaseContact, CaseNote
from tracker.cases.reviewers import outside_gp
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.names import fold
from tracker.practices.scope import made_once
from tracker.staff.access import may_open_case, sees_clinical
from tracker.staff.models import Role, User, shown_by_name
from tracker.types import number_in_sql

# The case page's statements, made once (see `made_once`): building them afresh on every
# request cost as much as running them.
_WITH_ITS_GPS = (
    joinedload(Case.reviewer),
    joinedload(Case.original_gp),
    *shown_by_name(Case.reviewer, Case.original_gp, where_they_work=True),
)
BY_REFERENCE = made_once(
    select(Case).where(Case.reference == bindparam("reference")).options(*_WITH_ITS_GPS)
)


def get_by_reference(reference: str) -> Case | None:
    """The case with its reviewer and original GP in one statement, whoever they are."""
    return db.session.scalar(BY_REFERENCE, {"reference": reference.strip().upper()})


def case_for(user: User, reference: str) -> Case | None:
    """The case with this reference, when this person may open it (a visiting GP only the
    cases given to them); None otherwise, so that no one learns it exists."""
    case = get_by_reference(reference)
    return case if case is not None and may_open(user, case) else None


def may_open(user: User, case: Case) -> bool:
    if not may_open_case(user, case.reviewer_id):
        return False
    # A visiting GP whose practice no longer lets them review (or who left their practice).
    return getattr(user, "role", None) != Role.VISITING_GP or outside_gp(user.id) is not None


@dataclass(frozen=True)
class Held:
    """Which of the lists hanging off a case have anything in them, read with the case: the
    case page reads only the lists that do. A list the case holds something in is read in
    full and filtered as always (a reception member reading a case whose only note is
    clinical still reads no note)."""

    notes: bool
    documents: bool
    letters: bool
    contacts: bool
    same_number: bool  # another case with its NHS number
    viewed_lately: bool  # the person opening it did in the last 10 minutes (`record_view`)

    def other_requests(self, case: Case) -> bool:
        # With no NHS number, the patient's other cases are found by name and birth date.
        return self.same_number or not case.nhs_number


def _any(model) -> exists:
    return exists().where(model.case_id == Case.id)


_OTHER = aliased(Case, name="other_case")
CASE_PAGE = made_once(
    select(
        Case,
        _any(CaseNote),
        _any(CaseAttachment),
        _any(CaseLetter),
        _any(CaseContact),
        exists().where(_OTHER.nhs_number == Case.nhs_number, _OTHER.id != Case.id),
        VIEWED_LATELY,
    )
    .where(Case.reference == bindparam("reference"))
    .options(*_WITH_ITS_GPS)
)


def case_page_for(user: User, reference: str) -> tuple[Case, Held] | None:
    """`case_for`, with which of its lists hold anything and whether this person opened it
    in the last 10 minutes, in the same statement."""
    row = db.session.execute(
        CASE_PAGE,
        {
            "reference": reference.strip().upper(),
            "viewer_id": user.id,
            "since": view_window_start(),
        },
    ).first()
    if row is None or not may_open(user, row[0]):
        return None
    return row[0], Held(*row[1:])


def open_cases_for_patient(
    nhs_number: str | None, patient_name: str, date_of_birth: date | None
) -> list[Case]:
    """Open cases that look like the same patient: same NHS number, or same name and birth date."""
    conditions = []
    if nhs_number:
        conditions.append(Case.nhs_number == nhs_number)
    if date_of_birth:
        conditions.append(
            (func.lower(Case.patient_name) == patient_name.strip().lower())
            & (Case.date_of_birth == date_of_birth)
        )
    if not conditions:
        return []
    # With each case's reviewer, whom the warning names: one statement however many there are.
    query = (
        select(Case)
        .where(OPEN_CASE, or_(*conditions))
        .options(joinedload(Case.reviewer))
        .order_by(Case.id)
    )
    return list(db.session.scalars(query))


def _same_name(one: str, other: str) -> bool:
    return " ".join(fold(one).split()) == " ".join(fold(other).split())


def number_under_another_identity(
    nhs_number: str | None,
    patient_name: str,
    date_of_birth: date | None,
    except_case_id: int | None = None,
) -> list[Case]:
    """Cases, open or closed, holding this NHS number under a different name or date of birth:
    either a mistyped number or a mistyped name, which staff must check before it is saved.
    Names are compared without case, accents or apostrophes; a date of birth not recorded on
    one side is not a difference."""
    if not nhs_number:
        return []
    query = select(Case).where(Case.nhs_number == nhs_number).order_by(Case.id)
    if except_case_id is not None:
        query = query.where(Case.id != except_case_id)
    return [
        case
        for case in db.session.scalars(query)
        if not _same_name(case.patient_name, patient_name)
        or (case.date_of_birth and date_of_birth and case.date_of_birth != date_of_birth)
    ]


@dataclass(frozen=True)
class OtherRequest:
    """One of the patient's other cases, as the case page lists it."""

    reference: str
    received_on: date
    stage: str
    patient_name: str

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


def _others(same) -> Select:
    # Only what the list shows: a whole case is a hundred columns.
    return made_once(
        select(Case.reference, Case.received_on, Case.stage, Case.patient_name)
        .where(same, Case.id != bindparam("case_id"))
        .order_by(Case.id.desc())
        .limit(number_in_sql(50))
    )


SAME_NUMBER = _others(Case.nhs_number == bindparam("nhs_number"))
SAME_NAME_AND_BIRTH = _others(
    (Case.date_of_birth == bindparam("date_of_birth"))
    & (func.lower(Case.patient_name) == bindparam("name"))
)


def other_requests_from(case: Case) -> list[OtherRequest]:
    """The patient's other cases, open or closed, newest first: the same NHS number, or with
    none known, the same name and date of birth."""
    if case.nhs_number:
        found = db.session.execute(SAME_NUMBER, {"nhs_number": case.nhs_number, "case_id": case.id})
    elif case.date_of_birth:
        found = db.session.execute(
            SAME_NAME_AND_BIRTH,
            {
                "date_of_birth": case.date_of_birth,
                "name": case.patient_name.strip().lower(),
                "case_id": case.id,
            },
        )
    else:
        return []
    return [OtherRequest(*row) for row in found]


CONTACTS = made_once(
    select(CaseContact)
    .where(CaseContact.case_id == bindparam("case_id"))
    .order_by(CaseContact.occurred_at.desc(), CaseContact.id.desc())
    .options(
        *shown_by_name(
            CaseContact.recorded_by, CaseContact.callback_owner, CaseContact.callback_done_by
        )
    )
)


def contacts_for(case: Case) -> list[CaseContact]:
    """The contacts with the patient or the person acting for them, newest first."""
    return list(db.session.scalars(CONTACTS, {"case_id": case.id}))


_NOTES = (
    select(CaseNote)
    .where(CaseNote.case_id == bindparam("case_id"))
    .options(*shown_by_name(CaseNote.author))
)
_NEWEST_NOTE_FIRST = (CaseNote.created_at.desc(), CaseNote.id.desc())
EVERY_NOTE = made_once(_NOTES.order_by(*_NEWEST_NOTE_FIRST))
NOTES_NOT_CLINICAL = made_once(
    _NOTES.where(CaseNote.clinical.is_(False)).order_by(*_NEWEST_NOTE_FIRST)
)


def notes_for(case: Case, viewer: User) -> list[CaseNote]:
    """The notes this person may read, newest first (clinical ones only for those who may see
    clinical material)."""
    query = EVERY_NOTE if sees_clinical(viewer) else NOTES_NOT_CLINICAL
    return list(db.session.scalars(query, {"case_id": case.id}))


LETTERS = made_once(
    select(CaseLetter)
    .where(CaseLetter.case_id == bindparam("case_id"))
    .order_by(CaseLetter.sent_at.desc(), CaseLetter.id.desc())
    .options(*shown_by_name(CaseLetter.sent_by))
)


def letters_sent(case: Case) -> list[CaseLetter]:
    """The letters kept on the case, newest first (their PDFs are not read)."""
    return list(db.session.scalars(LETTERS, {"case_id": case.id}))


def open_cases_reviewed_by(user_id: int) -> list[Case]:
    """The open cases this person is the reviewer of, oldest first."""
    return list(
        db.session.scalars(
            select(Case)
            .where(OPEN_CASE, Case.reviewer_id == user_id)
            .order_by(Case.received_on, Case.id)
        )
    )
