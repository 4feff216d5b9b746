"""The queue's index of open cases holds every column a queue row, its filters and its targets
read again: the call-back's owner and dates and the final response's dates had been added to
the targets but not to the index, so counting a filtered queue read each open case's row.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 05:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0047'
down_revision = '0046'
branch_labels = None
depends_on = None

BEFORE = [
    'practice_id', 'urgent DESC', 'received_on', 'id', 'stage', 'route_requested', 'reviewer_id',
    'formal_complaint', 'first_assigned_at', 'acknowledged_on', 'outcome_clock_from',
    'outcome_recorded_at', 'reference', 'patient_name', 'nhs_number',
    'assign_due_on', 'acknowledge_due_on', 'outcome_due_on',
    'duty_doctor_due_on', 'duty_doctor_told_at', 'pals_chase_due_on', 'pals_response_on',
]
NOW = BEFORE + [
    'callback_owner_id', 'callback_due_on', 'callback_done_at', 'response_due_on', 'response_sent_on',
]


def _queue_index(columns):
    open_case = sa.text("stage != 'closed'")
    op.create_index(
        'ix_cases_open_queue', 'cases',
        [sa.text(name) if ' ' in name else name for name in columns], unique=False,
        sqlite_where=open_case, postgresql_where=open_case,
    )


def upgrade():
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(NOW)


def downgrade():
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(BEFORE)
