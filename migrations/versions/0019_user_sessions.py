"""Signed-in sessions kept on the server, so sign-out, a new password, a reset or the
practice manager can end a session at once.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 19:40:00

"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('end_reason', sa.String(length=20), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=64), server_default='', nullable=False),
        sa.Column('user_agent', sa.String(length=255), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_user_sessions_ended_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_user_sessions_user_open', 'user_sessions', ['user_id', 'ended_at'], unique=False)


def downgrade():
    op.drop_index('ix_user_sessions_user_open', table_name='user_sessions')
    op.drop_table('user_sessions')
