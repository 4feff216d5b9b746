"""Each formal complaint's aspects for the KO41(b) return: a subject area and a staff group
each, by their codes in the return's lists; on PostgreSQL behind the practice wall.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06 03:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None

WALL = (
    "(SELECT current_setting('tracker.across', true)) = 'on' "
    "OR practice_id = (SELECT NULLIF(current_setting('tracker.practice', true), '')::integer)"
)


def upgrade():
    op.create_table(
        'complaint_aspects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('subject_area', sa.String(length=30), nullable=False),
        sa.Column('staff_group', sa.String(length=30), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_complaint_aspects_case_id_cases')
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by_id'], ['users.id'],
            name=op.f('fk_complaint_aspects_recorded_by_id_users'),
        ),
        sa.ForeignKeyConstraint(
            ['practice_id'], ['practices.id'],
            name=op.f('fk_complaint_aspects_practice_id_practices'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_aspects')),
    )
    op.create_index('ix_complaint_aspects_case_id', 'complaint_aspects', ['case_id'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE complaint_aspects ENABLE ROW LEVEL SECURITY')
        op.execute(
            f'CREATE POLICY practice_wall ON complaint_aspects USING ({WALL}) WITH CHECK ({WALL})'
        )


def downgrade():
    op.drop_index('ix_complaint_aspects_case_id', table_name='complaint_aspects')
    op.drop_table('complaint_aspects')
