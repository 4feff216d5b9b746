"""An index of the open cases in the practice queue's default order (urgent first, then oldest),
holding every column the queues read.

Closed cases are not in it, so it stays about a hundredth of the table. The queues' counts, the
first page of the practice queue and each person's own cases are read from it alone, on SQLite
and on PostgreSQL (index-only scans), so they cost the same in a practice of any age.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

QUEUE_INDEX_COLUMNS = [
    sa.text('urgent DESC'), 'received_on', 'id', 'stage', 'route_requested', 'reviewer_id',
    'formal_complaint', 'first_assigned_at', 'acknowledged_on', 'outcome_clock_from',
    'outcome_recorded_at', 'reference', 'patient_name', 'nhs_number',
]


def upgrade():
    open_case = sa.text("stage != 'closed'")
    op.create_index(
        'ix_cases_open_queue',
        'cases',
        QUEUE_INDEX_COLUMNS,
        unique=False,
        sqlite_where=open_case,
        postgresql_where=open_case,
    )


def downgrade():
    op.drop_index('ix_cases_open_queue', table_name='cases')
