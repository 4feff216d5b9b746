"""Staff leave: each spell from the first day away to the last, so someone away is not offered
as a reviewer unless the practice manager chooses them, saying why.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04 21:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_leave',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_leave_user_id_users')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_staff_leave_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_leave')),
    )
    op.create_index('ix_staff_leave_user_id_ends_on', 'staff_leave', ['user_id', 'ends_on'], unique=False)


def downgrade():
    op.drop_index('ix_staff_leave_user_id_ends_on', table_name='staff_leave')
    op.drop_table('staff_leave')
