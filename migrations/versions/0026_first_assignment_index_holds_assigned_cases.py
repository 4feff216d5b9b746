"""The index of first assignments holds only cases that have been assigned.

The monthly report reads it by a range of first-assignment moments, which never matches a case
not yet assigned. Holding the unassigned cases as well told SQLite's planner that "not assigned
yet" picks out a couple of cases, when it is every unassigned case the practice ever had: so the
home pages' "waiting past the assignment target" read thousands of rows through it instead of
the few logged cases (10 ms at 100,000 cases, now under 1 ms).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 17:05:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

NAME = 'ix_cases_first_assigned_at_days'
COLUMNS = ['first_assigned_at', 'working_days_to_assign', 'assign_target_days']


def upgrade():
    assigned = sa.text('first_assigned_at IS NOT NULL')
    op.drop_index(NAME, table_name='cases')
    op.create_index(NAME, 'cases', COLUMNS, unique=False,
                    sqlite_where=assigned, postgresql_where=assigned)


def downgrade():
    op.drop_index(NAME, table_name='cases')
    op.create_index(NAME, 'cases', COLUMNS, unique=False)
