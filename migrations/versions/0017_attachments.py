"""Documents on a case: what each is, who added it and when (case_attachments), and its bytes
in a table of their own (case_attachment_contents), so lists never read them and every backup
holds them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('document_type', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('clinical', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_attachments_case_id_cases')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_case_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachments'))
    )
    op.create_index('ix_case_attachments_case_id_uploaded_at', 'case_attachments', ['case_id', 'uploaded_at'], unique=False)
    op.create_table('case_attachment_contents',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['case_attachments.id'], name=op.f('fk_case_attachment_contents_attachment_id_case_attachments')),
    sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_case_attachment_contents'))
    )


def downgrade():
    op.drop_table('case_attachment_contents')
    op.drop_index('ix_case_attachments_case_id_uploaded_at', table_name='case_attachments')
    op.drop_table('case_attachments')
