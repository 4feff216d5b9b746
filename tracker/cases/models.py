"""The case (one patient's request for a second opinion), its notes and its reference sequence."""

from calendar import monthrange
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    delete,
    event,
    false,
    insert,
)
from sqlalchemy.orm import Mapped, Session, attributes, mapped_column, relationship

from tracker import clock
from tracker.cases.case_fields import REMOVED
from tracker.cases.codes import ConsentForm
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.names import name_words
from tracker.practices.models import Practice
from tracker.practices.scope import PracticeOwned, practice_of_new_row
from tracker.settings.models import load_settings
from tracker.staff.models import User
from tracker.types import IDS_NEVER_REUSED, UTCDateTime, codes_in_sql
from tracker.workdays import DEFAULT_REGION, WorkingCalendar


class CaseSequence(PracticeOwned, db.Model):
    """The last reference number a practice used in each year."""

    __tablename__ = "case_sequences"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id"), primary_key=True, default=practice_of_new_row
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class Case(PracticeOwned, db.Model):
    """A patient's request for a second opinion, from logging to closure."""

    __tablename__ = "cases"
    __table_args__ = (
        # A reference is unique within its practice: each practice numbers its own cases.
        UniqueConstraint("practice_id", "reference", name="uq_cases_practice_id_reference"),
        UniqueConstraint(
            "practice_id", "year", "sequence", name="uq_cases_practice_id_year_sequence"
        ),
        Index("ix_cases_stage_received_on", "practice_id", "stage", "received_on"),
        Index("ix_cases_reviewer_id_stage", "practice_id", "reviewer_id", "stage"),
        Index("ix_cases_stage_route_requested", "practice_id", "stage", "route_requested"),
        # The monthly report reads these index ranges without touching the table: each month's
        # requests by route, channel and flags; its outcomes, responses, working days and
        # reviewers; who held the cases open at its end (its first assignments: below).
        Index(
            "ix_cases_received_on_breakdown",
            "practice_id",
            "received_on",
            "route_requested",
            "channel",
            "formal_complaint",
            "urgent",
        ),
        Index(
            "ix_cases_outcome_recorded_at_report",
            "practice_id",
            "outcome_recorded_at",
            "outcome",
            "patient_response",
            "working_days_to_outcome",
            "reviewer_id",
            "outcome_target_days",
        ),
        Index("ix_cases_assigned_at_reviewer_id", "practice_id", "assigned_at", "reviewer_id"),
        Index(
            "ix_cases_closed_at_received_on",
            "practice_id",
            "closed_at",
            "received_on",
            "reviewer_id",
        ),
        # "New for you" starts from a person's cases changed since they last looked.
        Index(
            "ix_cases_reviewer_id_last_change_at", "practice_id", "reviewer_id", "last_change_at"
        ),
        Index(
            "ix_cases_created_by_id_last_change_at",
            "practice_id",
            "created_by_id",
            "last_change_at",
        ),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16))
    year: Mapped[int]
    sequence: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    stage: Mapped[str] = mapped_column(String(20), default=Stage.LOGGED.value, index=True)

    # The patient
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    nhs_number_unknown: Mapped[bool] = mapped_column(default=False, server_default=false())
    patient_name: Mapped[str] = mapped_column(String(120), index=True)
    # How letters greet the patient: "Dear Mrs Patel", or the name they like to be called.
    patient_title: Mapped[str | None] = mapped_column(String(20))
    preferred_name: Mapped[str | None] = mapped_column(String(60))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # The patient's age in whole years on the day the request was received, for the KO41(b)
    # return's age bands: kept when the retention purge blanks the date of birth, so past
    # returns read the same. Set from the date of birth whenever it or the day received changes.
    age_on_receipt: Mapped[int | None]
    # Whether someone acts for the patient (the KO41(b) complainant's status), kept likewise.
    made_on_behalf: Mapped[bool] = mapped_column(default=False, server_default=false())
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_contact: Mapped[str] = mapped_column(String(10))
    # The postal address: its lines as typed (one a line) and the postcode, kept as "LS1 4AP".
    address_lines: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    representative_name: Mapped[str | None] = mapped_column(String(120))
    representative_relationship: Mapped[str | None] = mapped_column(String(60))
    representative_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    representative_consent_on: Mapped[date | None] = mapped_column(Date)
    representative_consent_form: Mapped[str | None] = mapped_column(String(20))
    representative_title: Mapped[str | None] = mapped_column(String(20))
    representative_phone: Mapped[str | None] = mapped_column(String(40))
    representative_email: Mapped[str | None] = mapped_column(String(254))
    representative_address_lines: Mapped[str | None] = mapped_column(Text)
    representative_postcode: Mapped[str | None] = mapped_column(String(10))
    # The call-back due soonest among those not done (its owner), or once all are done the
    # last one's due date and when it was done: the "Call back" target (cases/clocks.py).
    callback_due_on: Mapped[date | None] = mapped_column(Date)
    callback_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    callback_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The request
    received_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(12))
    original_gp_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    original_gp_other: Mapped[str | None] = mapped_column(String(120))
    concern: Mapped[str] = mapped_column(Text)
    route_requested: Mapped[str] = mapped_column(String(24), index=True)
    already_discussed_with_own_gp: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    formal_complaint: Mapped[bool] = mapped_column(default=False, server_default=false())
    urgent: Mapped[bool] = mapped_column(default=False, server_default=false())

    # The practice's targets and bank holiday region when the case was logged. The case keeps
    # them: a later change in the settings applies to cases logged after it, so due dates,
    # "within target" and the reports of past months never move. The due dates follow from
    # them (kept by `keep_clock_dates` whenever the dates they start from change).
    assign_target_days: Mapped[int] = mapped_column(default=2, server_default="2")
    acknowledge_target_days: Mapped[int] = mapped_column(default=3, server_default="3")
    outcome_target_days: Mapped[int] = mapped_column(default=10, server_default="10")
    # PALS is chased when it has not answered this many working days after a referral.
    pals_chase_working_days: Mapped[int] = mapped_column(default=10, server_default="10")
    bank_holiday_region: Mapped[str] = mapped_column(
        String(30), default=DEFAULT_REGION, server_default=DEFAULT_REGION
    )
    assign_due_on: Mapped[date | None] = mapped_column(Date)
    # An urgent concern: the duty doctor is told by the end of the working day it came in.
    duty_doctor_due_on: Mapped[date | None] = mapped_column(Date)
    acknowledge_due_on: Mapped[date | None] = mapped_column(Date)
    outcome_due_on: Mapped[date | None] = mapped_column(Date)
    pals_chase_due_on: Mapped[date | None] = mapped_column(Date)

    # Telling the duty doctor about an urgent concern: who was told, when, and who recorded it
    duty_doctor_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duty_doctor_name: Mapped[str | None] = mapped_column(String(120))

    # Formal complaint acknowledgement
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    acknowledgement_method: Mapped[str | None] = mapped_column(String(12))
    # The complaint plan, agreed with the acknowledgement: the answer to the offer to discuss
    # how it will be handled (and when they talked or declined), the issues as the complainant
    # sees them, the outcome they want, and the date the final response is agreed for (a
    # target of its own; changed only with the complainant's agreement, every date kept in the
    # history). The final response's date meets it.
    discussion_offer: Mapped[str | None] = mapped_column(String(10))
    discussed_on: Mapped[date | None] = mapped_column(Date)
    complaint_issues: Mapped[str | None] = mapped_column(Text)
    outcome_wanted: Mapped[str | None] = mapped_column(Text)
    response_due_on: Mapped[date | None] = mapped_column(Date)
    response_sent_on: Mapped[date | None] = mapped_column(Date)
    # A significant event: a mistake that caused or could have caused significant harm. Its
    # significant event analysis reference, whether the duty of candour applies (None until
    # decided) and the day the patient was told.
    significant_event: Mapped[bool] = mapped_column(default=False, server_default=false())
    sea_reference: Mapped[str | None] = mapped_column(String(60))
    candour_applies: Mapped[bool | None]
    candour_told_on: Mapped[date | None] = mapped_column(Date)
    # Why the agreed date last moved (the delay letter says it).
    response_delay_reason: Mapped[str | None] = mapped_column(Text)
    # The final response, prepared before its letter is made: how the complaint was
    # considered, each issue with its conclusion ([{"issue": ..., "conclusion": ...}]), any
    # apology, the action taken or to be taken, the lessons learned, and the responsible person
    # who signs it.
    response_considered: Mapped[str | None] = mapped_column(Text)
    response_findings: Mapped[list | None] = mapped_column(JSON)
    response_apology: Mapped[str | None] = mapped_column(Text)
    response_actions: Mapped[str | None] = mapped_column(Text)
    response_lessons: Mapped[str | None] = mapped_column(Text)
    response_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # Review
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The practice manager gave the case to someone the patient's request did not name, and
    # recorded why (the request could not be followed: see reviewers.why_no_reviewer).
    route_waived: Mapped[bool] = mapped_column(default=False, server_default=false())
    first_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The outcome target runs from the first assignment (or a reopening), not from a hand-on.
    outcome_clock_from: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_of_notes: Mapped[bool] = mapped_column(default=False, server_default=false())
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_summary: Mapped[str | None] = mapped_column(Text)
    patient_response: Mapped[str | None] = mapped_column(String(20))
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Working days to each target event, kept from the dates above by `count_working_days`
    # whenever they change (and recounted for every case when the bank holiday region changes),
    # so reports read them from an index instead of counting them case by case.
    working_days_to_assign: Mapped[int | None]
    working_days_to_outcome: Mapped[int | None]

    # PALS
    pals_referred_on: Mapped[date | None] = mapped_column(Date, index=True)
    pals_referred_by: Mapped[str | None] = mapped_column(String(10))
    pals_service: Mapped[str | None] = mapped_column(String(160))
    pals_officer: Mapped[str | None] = mapped_column(String(120))
    pals_reference: Mapped[str | None] = mapped_column(String(60))
    pals_response_on: Mapped[date | None] = mapped_column(Date, index=True)
    pals_response_summary: Mapped[str | None] = mapped_column(Text)

    # Closure
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closure_reason: Mapped[str | None] = mapped_column(String(24))
    complaint_finding: Mapped[str | None] = mapped_column(String(20))
    registered_elsewhere_on: Mapped[date | None] = mapped_column(Date, index=True)

    # Set when the retention purge removed the patient's identifiers and the free text.
    identifiers_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # When the newest event that is news happened (every event but views and sent emails):
    # kept by tracker/cases/news.py as each event is written, never by hand.
    last_change_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    original_gp: Mapped[User | None] = relationship(foreign_keys=[original_gp_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    response_signed_by: Mapped[User | None] = relationship(foreign_keys=[response_signed_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def stage_label(self) -> str:
        return self.stage_enum.label

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def complaint_issue_list(self) -> list[str]:
        """The issues of the complaint plan, one a line, as the final response answers them."""
        return [line.strip() for line in (self.complaint_issues or "").splitlines() if line.strip()]

    @property
    def issues_without_conclusion(self) -> list[str]:
        """The plan's issues the prepared final response gives no conclusion on (all of them
        before it is prepared)."""
        concluded = {
            item["issue"] for item in (self.response_findings or []) if item.get("conclusion")
        }
        return [issue for issue in self.complaint_issue_list if issue not in concluded]

    @property
    def response_overdue_six_months(self) -> bool:
        """A formal complaint still open with no final response six months after it was
        received: the complainant is owed a letter saying why, and when to expect it."""
        return (
            bool(self.formal_complaint)
            and self.is_open
            and self.response_sent_on is None
            and clock.today_london() >= six_months_after(self.received_on)
        )

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    @property
    def has_postal_address(self) -> bool:
        """A letter can be addressed: the address lines and the postcode are both held."""
        return bool(
            self.address_lines
            and self.postcode
            and self.address_lines != REMOVED
            and self.identifiers_removed_at is None
        )

    @property
    def postal_address(self) -> list[str]:
        """The address as the lines of an envelope, the postcode last."""
        if not self.has_postal_address:
            return []
        lines = [line.strip() for line in self.address_lines.splitlines() if line.strip()]
        return [*lines, self.postcode]

    @property
    def representative_postal_address(self) -> list[str]:
        """The address of the person acting for the patient, as the lines of an envelope."""
        if not (
            self.representative_name
            and self.representative_address_lines
            and self.representative_postcode
            and self.identifiers_removed_at is None
        ):
            return []
        lines = [
            line.strip() for line in self.representative_address_lines.splitlines() if line.strip()
        ]
        return [*lines, self.representative_postcode]

    @property
    def representative_full_name(self) -> str:
        """Their name with the title they gave: "Mrs Anita Patel"."""
        return " ".join(p for p in (self.representative_title, self.representative_name) if p)

    @property
    def representative_lines(self) -> list[str]:
        """The person acting for the patient, a line each: who they are, how to reach them,
        and the consent or authority recorded."""
        if not self.representative_name:
            return []
        who = self.representative_full_name
        found = [
            f"{who} ({self.representative_relationship})"
            if self.representative_relationship
            else who
        ]
        if self.representative_phone:
            found.append(f"Phone: {self.representative_phone}")
        if self.representative_email:
            found.append(f"Email: {self.representative_email}")
        if self.representative_postal_address:
            found.append("Address: " + ", ".join(self.representative_postal_address))
        if self.representative_consent:
            how = CONSENT_LABELS.get(self.representative_consent_form or "", "consent recorded")
            when = clock.format_date(self.representative_consent_on)
            found.append(f"Consent: {how}" + (f", {when}" if when else ""))
        else:
            found.append("Consent: not recorded")
        return found

    @property
    def original_gp_name(self) -> str:
        if self.original_gp is not None:
            return self.original_gp.full_name
        return (
            f"{self.original_gp_other} (locum or other)"
            if self.original_gp_other
            else "Not recorded"
        )


# The open cases alone (about one in a hundred of a practice's cases), in the practice queue's
# default order, holding every column a queue row, its filters and its due dates read: the
# queues' counts and pages are read from this small index, never from the table, and the
# first page is its first rows. Kept in step with the columns of migration 0047;
# tests/foundation/test_covering_indexes.py fails when a row, a filter or a target reads a
# column it lacks.
OPEN_CASE = Case.stage != Stage.CLOSED
# The same written into the SQL, as queries must for SQLite to read the index above.
OPEN_CASE_IN_SQL = Case.stage != codes_in_sql([Stage.CLOSED])[0]
Index(
    "ix_cases_open_queue",
    Case.practice_id,
    Case.urgent.desc(),
    Case.received_on,
    Case.id,
    Case.stage,
    Case.route_requested,
    Case.reviewer_id,
    Case.formal_complaint,
    Case.first_assigned_at,
    Case.acknowledged_on,
    Case.outcome_clock_from,
    Case.outcome_recorded_at,
    Case.reference,
    Case.patient_name,
    Case.nhs_number,
    Case.assign_due_on,
    Case.acknowledge_due_on,
    Case.outcome_due_on,
    Case.duty_doctor_due_on,
    Case.duty_doctor_told_at,
    Case.pals_chase_due_on,
    Case.pals_response_on,
    Case.callback_owner_id,
    Case.callback_due_on,
    Case.callback_done_at,
    Case.response_due_on,
    Case.response_sent_on,
    sqlite_where=OPEN_CASE,
    postgresql_where=OPEN_CASE,
)
# The open cases in each stage and a person's own (the queue's and home pages' counts), read
# from the index alone: a narrower index than the queue's above, for the counts alone.
Index(
    "ix_cases_open_counts",
    Case.practice_id,
    Case.stage,
    Case.reviewer_id,
    Case.callback_owner_id,
    Case.callback_done_at,
    Case.callback_due_on,
    sqlite_where=OPEN_CASE,
    postgresql_where=OPEN_CASE,
)


# First assignments and their working days, for the monthly report: only cases assigned at
# least once (a case not yet assigned is never in a report's range, and holding them misleads
# SQLite's planner into reading every unassigned case for "not assigned yet"; migration 0026).
ASSIGNED_CASE = Case.first_assigned_at.is_not(None)
Index(
    "ix_cases_first_assigned_at_days",
    Case.practice_id,
    Case.first_assigned_at,
    Case.working_days_to_assign,
    Case.assign_target_days,
    sqlite_where=ASSIGNED_CASE,
    postgresql_where=ASSIGNED_CASE,
)

# "New for you" reads the cases each person logged as well as those they review.
Index("ix_cases_created_by_id", Case.created_by_id)
# Reception's home lists the requests logged today, newest first.
Index("ix_cases_created_at", Case.practice_id, Case.created_at)
# Search finds a patient by date of birth.
Index("ix_cases_date_of_birth", Case.date_of_birth)


CONSENT_LABELS = dict(ConsentForm.choices())


class CaseNameWord(PracticeOwned, db.Model):
    """Each word of a patient's name, folded (no case, accents, apostrophes or hyphens), so a
    search by name reads a range of this index for each word typed, in any order."""

    __tablename__ = "case_name_words"
    # Within its practice: each word's cases, for the range a typed word starts; and a case's
    # words, read whole from the index when a search checks a case for a second word.
    __table_args__ = (
        Index("ix_case_name_words_practice_id_word", "practice_id", "word", "case_id"),
        Index("ix_case_name_words_case_id_word", "practice_id", "case_id", "word"),
    )

    # Compared byte by byte on PostgreSQL too, so a word's prefix range is an index range.
    word: Mapped[str] = mapped_column(
        String(60).with_variant(String(60, collation="C"), "postgresql"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)


@event.listens_for(Session, "after_flush")
def _keep_name_words(session: Session, flush_context) -> None:
    """Whoever sets a patient's name (the intake, a correction, retention), its words follow.
    A name retention has removed leaves no words."""
    named = [
        obj
        for obj in list(session.new) + list(session.dirty)
        if isinstance(obj, Case)
        and (obj in session.new or attributes.get_history(obj, "patient_name").has_changes())
    ]
    if not named:
        return
    words = CaseNameWord.__table__
    connection = session.connection()
    connection.execute(
        delete(words).where(
            words.c.practice_id.in_({case.practice_id for case in named}),
            words.c.case_id.in_([case.id for case in named]),
        )
    )
    rows = [
        {"practice_id": case.practice_id, "case_id": case.id, "word": word}
        for case in named
        if case.patient_name != REMOVED
        for word in sorted(name_words(case.patient_name))
    ]
    if rows:
        connection.execute(insert(words), rows)


class CaseContact(PracticeOwned, db.Model):
    """A contact with the patient or the person acting for them: how, which way, when and a
    short note; and the call-back or follow-up it leaves, with its due date and owner, until
    someone records the contact that completes it. The note is the patient's data: the subject
    access export includes it and the retention purge removes it."""

    __tablename__ = "case_contacts"
    __table_args__ = (
        Index("ix_case_contacts_case_id_occurred_at", "case_id", "occurred_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    with_whom: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(12))
    direction: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(Text)
    callback_due_on: Mapped[date | None] = mapped_column(Date)
    callback_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    callback_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], lazy="joined")
    callback_owner: Mapped[User | None] = relationship(
        foreign_keys=[callback_owner_id], lazy="joined"
    )
    callback_done_by: Mapped[User | None] = relationship(
        foreign_keys=[callback_done_by_id], lazy="joined"
    )

    @property
    def callback_open(self) -> bool:
        return self.callback_due_on is not None and self.callback_done_at is None


class CaseNote(PracticeOwned, db.Model):
    """A note on a case. Clinical notes are for GPs and the practice manager only."""

    __tablename__ = "case_notes"
    __table_args__ = (
        Index("ix_case_notes_case_id_created_at", "case_id", "created_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    text: Mapped[str] = mapped_column(Text)
    clinical: Mapped[bool] = mapped_column(default=False, server_default=false())

    author: Mapped[User] = relationship(lazy="joined")


class ComplaintAspect(PracticeOwned, db.Model):
    """One aspect of a formal complaint, for the KO41(b) return: a subject area and the staff
    group it concerns, by their codes in the return's lists (cases/ko41b.yaml)."""

    __tablename__ = "complaint_aspects"
    __table_args__ = (Index("ix_complaint_aspects_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    subject_area: Mapped[str] = mapped_column(String(30))
    staff_group: Mapped[str] = mapped_column(String(30))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())


CLOCK_SOURCES = (
    "received_on",
    "urgent",
    "first_assigned_at",
    "outcome_clock_from",
    "outcome_recorded_at",
    "pals_referred_on",
)
TARGETS = (
    "assign_target_days",
    "acknowledge_target_days",
    "outcome_target_days",
    "pals_chase_working_days",
)
# What keep_clock_dates writes.
CLOCK_DATES = (
    "duty_doctor_due_on",
    "assign_due_on",
    "acknowledge_due_on",
    "outcome_due_on",
    "pals_chase_due_on",
    "working_days_to_assign",
    "working_days_to_outcome",
)


def keep_clock_dates(case, calendar: WorkingCalendar) -> None:
    """The case's due dates from its own targets, and its working days to each target event."""
    if not case.urgent:
        case.duty_doctor_due_on = None
    elif case.stage != Stage.CLOSED or getattr(case, "duty_doctor_due_on", None) is not None:
        case.duty_doctor_due_on = calendar.working_day_on_or_after(case.received_on)
    else:  # closed before urgent concerns had this target (migration 0014): it never applied
        case.duty_doctor_due_on = None
    case.assign_due_on = calendar.add_working_days(case.received_on, case.assign_target_days)
    case.acknowledge_due_on = calendar.add_working_days(
        case.received_on, case.acknowledge_target_days
    )
    case.outcome_due_on = (
        calendar.add_working_days(case.outcome_clock_from, case.outcome_target_days)
        if case.outcome_clock_from
        else None
    )
    case.pals_chase_due_on = (
        calendar.add_working_days(case.pals_referred_on, case.pals_chase_working_days)
        if case.pals_referred_on
        else None
    )
    count_working_days(case, calendar)


def count_working_days(case, calendar: WorkingCalendar) -> None:
    """Working days from receipt to first assignment, and from the outcome clock's start to the
    outcome (the same counts the targets use); None until the event has happened."""
    case.working_days_to_assign = (
        calendar.working_days_between(case.received_on, case.first_assigned_at)
        if case.received_on and case.first_assigned_at
        else None
    )
    case.working_days_to_outcome = (
        calendar.working_days_between(case.outcome_clock_from, case.outcome_recorded_at)
        if case.outcome_clock_from and case.outcome_recorded_at
        else None
    )


@event.listens_for(Session, "before_flush")
def _keep_clock_dates(session: Session, flush_context, instances) -> None:
    """A new case takes its practice's targets and region in force; whoever sets a case's
    dates (an action, the intake, a correction, demo data), its due dates and working days
    follow."""
    new = [obj for obj in session.new if isinstance(obj, Case)]
    changed = new + [
        obj
        for obj in session.dirty
        if isinstance(obj, Case)
        and any(attributes.get_history(obj, name).has_changes() for name in CLOCK_SOURCES)
    ]
    if not changed:
        return
    for case in new:
        settings = _practice_of_new_case(session, case)
        if settings.id is not None:
            case.practice_id = settings.id
        for name in TARGETS:
            if getattr(case, name) is None:
                setattr(case, name, getattr(settings, name))
        if case.bank_holiday_region is None:
            case.bank_holiday_region = settings.bank_holiday_region
    for case in changed:
        keep_clock_dates(case, WorkingCalendar(case.bank_holiday_region))


RETURN_SOURCES = ("date_of_birth", "received_on", "formal_complaint", "representative_name")


def age_in_years(born: date | None, day: date | None) -> int | None:
    if born is None or day is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@event.listens_for(Session, "before_flush")
def _keep_what_the_return_counts(session: Session, flush_context, instances) -> None:
    """Whoever sets a case's date of birth, day received or representative (the intake, a
    correction, demo data), its age on receipt and whether it was made on the patient's behalf
    follow; the retention purge blanking them leaves both, as the KO41(b) figures they count
    in must not change."""
    for case in [*session.new, *session.dirty]:
        if not isinstance(case, Case):
            continue
        if case in session.dirty and not any(
            attributes.get_history(case, name).has_changes() for name in RETURN_SOURCES
        ):
            continue
        if case.identifiers_removed_at is not None:
            continue  # purged: what was counted stays
        case.age_on_receipt = age_in_years(case.date_of_birth, case.received_on)
        case.made_on_behalf = bool(case.representative_name)


def _practice_of_new_case(session: Session, case: "Case") -> Practice:
    """The practice the new case names, or the one being worked in (the install's only one
    when none is chosen), or the shipped settings before any practice exists."""
    with session.no_autoflush:
        if case.practice_id is not None:
            found = session.get(Practice, case.practice_id)
            if found is not None:
                return found
        return load_settings()


def six_months_after(day: date) -> date:
    """The same day six months on (the month's last day where it has no such day)."""
    month = day.month + 6
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def format_nhs_number(number: str | None) -> str:
    """485 777 3457 style, or an empty string when there is none."""
    if not number:
        return ""
    return f"{number[:3]} {number[3:6]} {number[6:]}"
