""""New for you" starts from a person's cases changed since they last looked: each case keeps
when its newest event that is news happened (every event but views and sent emails), with an
index for the cases a person reviews and one for those they logged. Before, every event of the
window was checked against its case, which at 100,000 cases cost 40 ms on SQLite.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05 15:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('last_change_at', sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE cases SET last_change_at = ("
        "SELECT max(events.occurred_at) FROM events "
        "WHERE events.case_id = cases.id AND events.kind NOT IN ('viewed', 'email_sent'))"
    )
    with op.batch_alter_table('cases') as batch_op:
        batch_op.create_index(
            'ix_cases_reviewer_id_last_change_at',
            ['practice_id', 'reviewer_id', 'last_change_at'],
            unique=False,
        )
        batch_op.create_index(
            'ix_cases_created_by_id_last_change_at',
            ['practice_id', 'created_by_id', 'last_change_at'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_index('ix_cases_created_by_id_last_change_at')
        batch_op.drop_index('ix_cases_reviewer_id_last_change_at')
        batch_op.drop_column('last_change_at')
