"""Keep each case's working days to assignment and to outcome, and give the monthly report
indexes it can read without touching the table.

The report's medians and percentages used to count working days case by case at every view;
they now read the month's counts from these columns through the indexes, so a month of a
large practice costs about what a month of a small one does. Existing cases are counted here
with the practice's bank holiday region.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 07:00:00

"""
from datetime import UTC

from alembic import op
import sqlalchemy as sa

from tracker.workdays import DEFAULT_REGION, WorkingCalendar


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

REPLACED = [
    # (old index, its columns, new index, its columns)
    ('ix_cases_received_on', ['received_on'],
     'ix_cases_received_on_breakdown',
     ['received_on', 'route_requested', 'channel', 'formal_complaint', 'urgent']),
    ('ix_cases_outcome_recorded_at', ['outcome_recorded_at'],
     'ix_cases_outcome_recorded_at_report',
     ['outcome_recorded_at', 'outcome', 'patient_response', 'working_days_to_outcome', 'reviewer_id']),
    ('ix_cases_first_assigned_at', ['first_assigned_at'],
     'ix_cases_first_assigned_at_days', ['first_assigned_at', 'working_days_to_assign']),
    ('ix_cases_assigned_at', ['assigned_at'],
     'ix_cases_assigned_at_reviewer_id', ['assigned_at', 'reviewer_id']),
]


def _count_existing_cases():
    connection = op.get_bind()
    region = connection.execute(
        sa.text('SELECT bank_holiday_region FROM practice_settings WHERE id = 1')
    ).scalar() or DEFAULT_REGION
    calendar = WorkingCalendar(region)
    update = sa.text(
        'UPDATE cases SET working_days_to_assign = :to_assign, '
        'working_days_to_outcome = :to_outcome WHERE id = :case_id'
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.text(
                'SELECT id, received_on, first_assigned_at, outcome_clock_from, outcome_recorded_at '
                'FROM cases WHERE id > :last AND (first_assigned_at IS NOT NULL OR outcome_clock_from IS NOT NULL) '
                'ORDER BY id LIMIT 2000'
            ).columns(
                sa.column('id', sa.Integer), sa.column('received_on', sa.Date),
                sa.column('first_assigned_at', sa.DateTime), sa.column('outcome_clock_from', sa.DateTime),
                sa.column('outcome_recorded_at', sa.DateTime),
            ),
            {'last': last_id},
        ).all()
        if not rows:
            return
        values = []
        for case_id, received_on, first_assigned_at, clock_from, recorded_at in rows:
            # Stored as naive UTC. A case closed before assignment and then reopened has an
            # outcome clock without a first assignment.
            values.append({
                'case_id': case_id,
                'to_assign': (
                    calendar.working_days_between(received_on, first_assigned_at.replace(tzinfo=UTC))
                    if first_assigned_at else None
                ),
                'to_outcome': (
                    calendar.working_days_between(clock_from.replace(tzinfo=UTC), recorded_at.replace(tzinfo=UTC))
                    if clock_from and recorded_at else None
                ),
            })
        connection.execute(update, values)
        last_id = rows[-1][0]


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('working_days_to_assign', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('working_days_to_outcome', sa.Integer(), nullable=True))
    _count_existing_cases()
    for old, _, new, columns in REPLACED:
        op.drop_index(old, table_name='cases')
        op.create_index(new, 'cases', columns, unique=False)
    op.drop_index('ix_cases_closed_at_received_on', table_name='cases')
    # "Open at month end", per reviewer too.
    op.create_index('ix_cases_closed_at_received_on', 'cases', ['closed_at', 'received_on', 'reviewer_id'], unique=False)


def downgrade():
    op.drop_index('ix_cases_closed_at_received_on', table_name='cases')
    op.create_index('ix_cases_closed_at_received_on', 'cases', ['closed_at', 'received_on'], unique=False)
    for old, old_columns, new, _ in reversed(REPLACED):
        op.drop_index(new, table_name='cases')
        op.create_index(old, 'cases', old_columns, unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('working_days_to_outcome')
        batch_op.drop_column('working_days_to_assign')
