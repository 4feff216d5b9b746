"""The patient's postal address, the practice's address and phone for the letterhead, the
practice's letter templates with their history, and the letters sent to patients as PDFs.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 00:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_lines', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('postcode', sa.String(length=10), nullable=True))

    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_address', sa.String(length=400), server_default='', nullable=False))
        batch_op.add_column(sa.Column('practice_phone', sa.String(length=40), server_default='', nullable=False))

    op.create_table(
        'letter_template_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('restored_default', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_letter_template_versions_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template_versions')),
    )
    with op.batch_alter_table('letter_template_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_template_versions_kind'), ['kind'], unique=False)

    op.create_table(
        'case_letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('sent_method', sa.String(length=20), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=False),
        sa.Column('clinical', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('file_name', sa.String(length=120), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_letters_case_id_cases')),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_case_letters_sent_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_letters')),
    )
    with op.batch_alter_table('case_letters', schema=None) as batch_op:
        batch_op.create_index('ix_case_letters_case_id_sent_at', ['case_id', 'sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('case_letters', schema=None) as batch_op:
        batch_op.drop_index('ix_case_letters_case_id_sent_at')
    op.drop_table('case_letters')

    with op.batch_alter_table('letter_template_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_template_versions_kind'))
    op.drop_table('letter_template_versions')

    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('practice_phone')
        batch_op.drop_column('practice_address')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('postcode')
        batch_op.drop_column('address_lines')
