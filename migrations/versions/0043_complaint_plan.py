"""The complaint plan: the answer to the offer to discuss how a formal complaint will be
handled, the issues and the outcome wanted as the complainant sees them, the agreed response
date (a target) and the day the final response was sent.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-06 03:05:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    # Added in place (a rebuilt table would lose SQLite's AUTOINCREMENT on cases).
    for column in (
        sa.Column('discussion_offer', sa.String(length=10), nullable=True),
        sa.Column('discussed_on', sa.Date(), nullable=True),
        sa.Column('complaint_issues', sa.Text(), nullable=True),
        sa.Column('outcome_wanted', sa.Text(), nullable=True),
        sa.Column('response_due_on', sa.Date(), nullable=True),
        sa.Column('response_sent_on', sa.Date(), nullable=True),
    ):
        op.add_column('cases', column)


def downgrade():
    with op.batch_alter_table('cases', table_kwargs={'sqlite_autoincrement': True}) as batch:
        for column in (
            'response_sent_on', 'response_due_on', 'outcome_wanted', 'complaint_issues',
            'discussed_on', 'discussion_offer',
        ):
            batch.drop_column(column)
