"""The figures marker also follows the columns the home pages and the queue read for each
person's open cases (their counts by stage and the most urgent of their own), so that these
can be kept between requests as the monthly report's figures are (tracker/cases/kept.py): the
trigger on updates names them too.

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-07 05:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0052'
down_revision = '0051'
branch_labels = None
depends_on = None

# As 0051 named them: the monthly report's.
REPORT_COLUMNS = (
    'practice_id', 'received_on', 'route_requested', 'channel', 'formal_complaint', 'urgent',
    'reviewer_id', 'assigned_at', 'first_assigned_at', 'working_days_to_assign',
    'assign_target_days', 'outcome_recorded_at', 'outcome', 'patient_response',
    'working_days_to_outcome', 'outcome_target_days', 'closed_at', 'closure_reason',
    'pals_referred_on', 'pals_response_on', 'registered_elsewhere_on',
)
# As FIGURES_COLUMNS in tracker/cases/kept.py on the day this migration was written.
COLUMNS = REPORT_COLUMNS + (
    'id', 'reference', 'stage', 'patient_name', 'nhs_number', 'acknowledged_on',
    'outcome_clock_from', 'assign_due_on', 'acknowledge_due_on', 'outcome_due_on',
    'duty_doctor_due_on', 'duty_doctor_told_at', 'pals_chase_due_on', 'callback_owner_id',
    'callback_due_on', 'callback_done_at', 'response_due_on', 'response_sent_on',
)

SQLITE_FRESH = "lower(hex(randomblob(16)))"


def _on_update(columns):
    """Make the trigger on updates anew, naming these columns (the function it runs on
    PostgreSQL, and what it does on SQLite, are 0051's)."""
    names = ', '.join(columns)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS figures_on_update ON cases')
        op.execute(
            f'CREATE CONSTRAINT TRIGGER figures_on_update AFTER UPDATE OF {names} ON cases '
            'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_changed()'
        )
        return
    upsert = (
        'INSERT INTO figures_markers (practice_id, marker) VALUES (NEW.practice_id, {fresh}) '
        'ON CONFLICT (practice_id) DO UPDATE SET marker = excluded.marker;'
    ).format(fresh=SQLITE_FRESH)
    update_old = (
        f'UPDATE figures_markers SET marker = {SQLITE_FRESH} WHERE practice_id = OLD.practice_id;'
    )
    op.execute('DROP TRIGGER IF EXISTS figures_on_update')
    op.execute(
        f'CREATE TRIGGER figures_on_update AFTER UPDATE OF {names} ON cases '
        f'BEGIN {update_old} {upsert} END'
    )


def upgrade():
    _on_update(COLUMNS)


def downgrade():
    _on_update(REPORT_COLUMNS)
