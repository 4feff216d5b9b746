"""Guidance text versions and the local PALS office's contact details.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'guidance_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('restored_default', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_guidance_versions_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guidance_versions')),
    )
    with op.batch_alter_table('guidance_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guidance_versions_topic'), ['topic'], unique=False)

    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pals_phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pals_email', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pals_web_address', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pals_postal_address', sa.String(length=400), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('pals_postal_address')
        batch_op.drop_column('pals_web_address')
        batch_op.drop_column('pals_email')
        batch_op.drop_column('pals_phone')

    with op.batch_alter_table('guidance_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guidance_versions_topic'))

    op.drop_table('guidance_versions')
