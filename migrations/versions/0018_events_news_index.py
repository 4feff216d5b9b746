"""An index "New for you" reads on every page: the newest events with their case, actor and
kind, so counting what changed on a person's cases reads the index alone.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 01:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_events_news', 'events', ['occurred_at', 'case_id', 'actor_id', 'kind'], unique=False
    )


def downgrade():
    op.drop_index('ix_events_news', table_name='events')
