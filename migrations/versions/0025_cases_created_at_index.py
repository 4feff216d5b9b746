"""An index on when each case was logged, so reception's "Logged today" list reads today's
requests alone instead of every case the practice ever had.

Revision ID: 0025
Revises: 0020
Create Date: 2026-12-03 21:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_created_at', 'cases', ['created_at'], unique=False)


def downgrade():
    op.drop_index('ix_cases_created_at', table_name='cases')
