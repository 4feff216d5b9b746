"""Improvement actions raised from cases, each with an owner, a due date, progress notes and the
evidence it was done; on PostgreSQL behind the practice wall.

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 03:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None

WALL = (
    "(SELECT current_setting('tracker.across', true)) = 'on' "
    "OR practice_id = (SELECT NULLIF(current_setting('tracker.practice', true), '')::integer)"
)


def upgrade():
    op.create_table(
        'improvement_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('clinical', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.Column('evidence', sa.Text(), nullable=True),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_improvement_actions_case_id_cases')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_improvement_actions_owner_id_users')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_improvement_actions_created_by_id_users')),
        sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_improvement_actions_done_by_id_users')),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_improvement_actions_practice_id_practices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_actions')),
    )
    op.create_index(
        'ix_improvement_actions_practice_id_due_on', 'improvement_actions',
        ['practice_id', 'done_at', 'due_on'],
    )
    op.create_index('ix_improvement_actions_case_id', 'improvement_actions', ['case_id'])
    op.create_table(
        'improvement_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['improvement_actions.id'], name=op.f('fk_improvement_notes_action_id_improvement_actions')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_improvement_notes_author_id_users')),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_improvement_notes_practice_id_practices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_notes')),
    )
    op.create_index('ix_improvement_notes_action_id', 'improvement_notes', ['action_id'])
    if op.get_bind().dialect.name == 'postgresql':
        for table in ('improvement_actions', 'improvement_notes'):
            op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY practice_wall ON {table} USING ({WALL}) WITH CHECK ({WALL})'
            )


def downgrade():
    op.drop_index('ix_improvement_notes_action_id', table_name='improvement_notes')
    op.drop_table('improvement_notes')
    op.drop_index('ix_improvement_actions_case_id', table_name='improvement_actions')
    op.drop_index('ix_improvement_actions_practice_id_due_on', table_name='improvement_actions')
    op.drop_table('improvement_actions')
