"""The retention purge removes identifiers and free text of long-closed cases, keeps figures."""

from datetime import timedelta

from sqlalchemy import select

from tracker.audit.models import Event
from tracker.cases.case_fields import CASE_FIELDS
from tracker.cases.models import Case, CaseNote
from tracker.extensions import db
from tracker.security import retention


def close_with_history(staff, log_case, act, **intake):
    reference = log_case(**intake)
    act(staff.manager, reference, "add-note", {"text": "Patient rang, upset about the delay"})
    act(
        staff.manager,
        reference,
        "close",
        {"closure_reason": "withdrawn", "note": "Patient said no"},
    )
    return reference


def test_purge_dry_run_then_real_run(app, staff, log_case, act, frozen_clock):
    old = close_with_history(staff, log_case, act, patient_name="Olive Oldcase")
    recent = close_with_history(
        staff, log_case, act, patient_name="Rosa Recent", nhs_number="999 000 0026"
    )
    with app.app_context():  # the first closed ten years and a day ago, the other nine years ago
        for reference, years in ((old, 10), (recent, 9)):
            case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
            case.closed_at = case.closed_at.replace(year=case.closed_at.year - years) - timedelta(
                days=1
            )
        db.session.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["tracker", "purge-expired", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert old in dry.output and recent not in dry.output
    assert (
        "would remove" in dry.output and "nhs_number" in dry.output and "patient_name" in dry.output
    )
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == old)).one()
        assert case.patient_name == "Olive Oldcase" and case.identifiers_removed_at is None
        before = db.session.scalars(
            select(Event).where(Event.case_id == case.id).order_by(Event.id)
        ).all()
        assert "Olive" in repr([e.all_changes for e in before])
        assert "Patient said no" in repr([e.full_detail for e in before])
        rows_before = [(e.id, e.kind, e.changes, e.detail, e.occurred_at) for e in before]

    real = runner.invoke(args=["tracker", "purge-expired"])
    assert real.exit_code == 0, real.output
    assert "Removed identifiers and free text from 1 case(s)" in real.output
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == old)).one()
        assert case.nhs_number is None and case.date_of_birth is None and case.phone is None
        assert case.patient_name == "[removed]" and case.concern == "[removed]"
        assert case.identifiers_removed_at is not None
        # The figures stay.
        assert case.stage == "closed" and case.closure_reason == "withdrawn"
        assert case.route_requested == "second_opinion_gp" and case.channel == "telephone"
        assert case.received_on is not None and case.closed_at is not None
        assert not db.session.scalars(select(CaseNote).where(CaseNote.case_id == case.id)).all()
        events = db.session.scalars(
            select(Event).where(Event.case_id == case.id).order_by(Event.id)
        ).all()
        text = repr([(e.all_changes, e.full_detail) for e in events])
        assert "Olive" not in text and "headaches" not in text and "Patient said no" not in text
        assert [e.kind for e in events][-1] == "identifiers_removed"
        assert events[0].kind == "case_logged"  # the history of what happened stays
        # The event rows themselves are exactly as they were: only the details beside them went.
        assert [
            (e.id, e.kind, e.changes, e.detail, e.occurred_at) for e in events[:-1]
        ] == rows_before
        kept = db.session.scalars(select(Case).where(Case.reference == recent)).one()
        assert kept.patient_name == "Rosa Recent" and kept.identifiers_removed_at is None

    again = runner.invoke(args=["tracker", "purge-expired"])
    assert "No case closed more than 10 years ago still holds identifiers." in again.output


def test_every_column_of_a_case_is_either_kept_or_blanked_by_the_purge():
    """A new column fails here until it is put in one list or the other."""
    columns = set(Case.__table__.columns.keys())
    assert not retention.KEPT & set(retention.BLANKED), "kept and blanked"
    assert not retention.KEPT_FOR_FIGURES & retention.KEPT_RECORD
    assert columns - retention.KEPT - set(retention.BLANKED) == set(), "neither kept nor blanked"
    assert retention.KEPT | set(retention.BLANKED) == columns
    # Every personal field of the registry is blanked: none of them is a figure.
    assert {field.name for field in CASE_FIELDS if field.personal} == set(retention.BLANKED)


def test_the_coded_fields_the_reports_count_are_kept():
    """The figures the monthly and complaints reports count, by name."""
    assert {
        "outcome", "patient_response", "complaint_finding", "reviewer_id", "original_gp_id",
        "working_days_to_assign", "working_days_to_outcome", "route_requested", "channel",
        "received_on", "first_assigned_at", "outcome_recorded_at", "closed_at", "closure_reason",
        "pals_referred_on", "pals_response_on", "registered_elsewhere_on", "formal_complaint",
        "urgent", "stage", "assign_target_days", "outcome_target_days",
    } <= retention.KEPT_FOR_FIGURES  # fmt: skip
