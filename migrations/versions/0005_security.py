"""Security: two-factor sign-in, session versions, sign-in rate limiting, retention settings.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('failed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
    )
    op.create_index('ix_sign_in_failures_address_failed_at', 'sign_in_failures', ['address', 'failed_at'], unique=False)

    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identifiers_removed_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idle_sign_out_minutes', sa.Integer(), server_default='15', nullable=False))
        batch_op.add_column(sa.Column('two_factor_for_everyone', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), server_default='10', nullable=False))


def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('retention_years')
        batch_op.drop_column('two_factor_for_everyone')
        batch_op.drop_column('idle_sign_out_minutes')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('identifiers_removed_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')

    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_index('ix_sign_in_failures_address_failed_at', table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
