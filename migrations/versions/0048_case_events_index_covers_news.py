"""A case's events index holds what "New for you" checks of each event (its practice, who did
it and what it was), so the list is read from the index alone, not event by event from the
table.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-06 06:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0048'
down_revision = '0047'
branch_labels = None
depends_on = None

NAME = 'ix_events_case_id_occurred_at'


def upgrade():
    op.drop_index(NAME, table_name='events')
    op.create_index(NAME, 'events', ['case_id', 'occurred_at', 'practice_id', 'actor_id', 'kind'])


def downgrade():
    op.drop_index(NAME, table_name='events')
    op.create_index(NAME, 'events', ['case_id', 'occurred_at'])
