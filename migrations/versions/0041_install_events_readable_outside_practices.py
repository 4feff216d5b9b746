"""On PostgreSQL, the install's own events (no practice: a sign-in attempt, a PCN or ICB
manager's sign-out or download) can be read back by a statement that works in no practice,
as writing one reads it back (INSERT ... RETURNING); a practice's staff still see none of them.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06 02:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None

OUTSIDE_PRACTICES = (
    "practice_id IS NULL "
    "AND (SELECT NULLIF(current_setting('tracker.practice', true), '')) IS NULL"
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        f'CREATE POLICY install_events_read ON events FOR SELECT USING ({OUTSIDE_PRACTICES})'
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP POLICY install_events_read ON events')
