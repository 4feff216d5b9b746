"""One account, a role in each practice the person works in: each account's role and senior
partner flag become its membership of practice one, and the account keeps neither.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 08:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'memberships',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('is_senior_partner', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_memberships_practice_id_practices')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
        sa.UniqueConstraint('user_id', 'practice_id', name=op.f('uq_memberships_user_id')),
    )
    op.create_index('ix_memberships_practice_id_role', 'memberships', ['practice_id', 'role'], unique=False)
    op.execute(
        'INSERT INTO memberships (user_id, role, is_senior_partner, created_at, practice_id) '
        'SELECT users.id, users.role, users.is_senior_partner, users.created_at, practices.id '
        'FROM users JOIN practices ON practices.id = (SELECT MIN(id) FROM practices)'
    )
    op.drop_index('ix_users_role', table_name='users')
    if op.get_bind().dialect.name == 'sqlite':
        # In place: the table keeps its AUTOINCREMENT and the tables pointing at it.
        op.execute('ALTER TABLE users DROP COLUMN role')
        op.execute('ALTER TABLE users DROP COLUMN is_senior_partner')
    else:
        op.drop_column('users', 'role')
        op.drop_column('users', 'is_senior_partner')


def downgrade():
    raise NotImplementedError(
        'Going back to one role for each account would lose roles in other practices: restore a backup instead'
    )
