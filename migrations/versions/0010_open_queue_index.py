"""An index of the open cases in the practice queue's default order (urgent first, then oldest).

The first page of the queue is read from the start of the index instead of sorting every open
case, and closed cases are not in it at all, so the page costs the same in a practice of any age.

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


def upgrade():
    open_case = sa.text("stage != 'closed'")
    op.create_index(
        'ix_cases_open_queue',
        'cases',
        [sa.text('urgent DESC'), 'received_on', 'id'],
        unique=False,
        sqlite_where=open_case,
        postgresql_where=open_case,
    )


def downgrade():
    op.drop_index('ix_cases_open_queue', table_name='cases')
