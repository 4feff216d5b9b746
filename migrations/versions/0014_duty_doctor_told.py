"""Urgent concerns: who was told as the duty doctor and when, and the day by which they should
be (the end of the working day the request came in), in the queue's index of open cases.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 23:00:00

"""
from alembic import op
import sqlalchemy as sa

from tracker.workdays import WorkingCalendar


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

BEFORE = [
    sa.text('urgent DESC'), 'received_on', 'id', 'stage', 'route_requested', 'reviewer_id',
    'formal_complaint', 'first_assigned_at', 'acknowledged_on', 'outcome_clock_from',
    'outcome_recorded_at', 'reference', 'patient_name', 'nhs_number',
    'assign_due_on', 'acknowledge_due_on', 'outcome_due_on',
]
NOW = BEFORE + ['duty_doctor_due_on', 'duty_doctor_told_at']


def _queue_index(columns):
    open_case = sa.text("stage != 'closed'")
    op.create_index(
        'ix_cases_open_queue', 'cases', columns, unique=False,
        sqlite_where=open_case, postgresql_where=open_case,
    )


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('duty_doctor_told_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('duty_doctor_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('duty_doctor_due_on', sa.Date(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        # Open urgent cases only: one closed before this target existed was never measured by it.
        sa.text(
            "SELECT id, received_on, bank_holiday_region FROM cases WHERE urgent AND stage != 'closed'"
        ).columns(
            sa.column('id', sa.Integer), sa.column('received_on', sa.Date),
            sa.column('bank_holiday_region', sa.String),
        )
    ).all()
    if rows:
        connection.execute(
            sa.text('UPDATE cases SET duty_doctor_due_on = :due WHERE id = :case_id'),
            [
                {'case_id': case_id, 'due': WorkingCalendar(region).working_day_on_or_after(received_on)}
                for case_id, received_on, region in rows
            ],
        )
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(NOW)


def downgrade():
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(BEFORE)
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('duty_doctor_due_on')
        batch_op.drop_column('duty_doctor_name')
        batch_op.drop_column('duty_doctor_told_at')
