"""A case flagged as a significant event (a mistake that caused or could have caused
significant harm): its significant event analysis reference, whether the duty of candour
applies, and when the patient was told.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06 03:15:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0046'
down_revision = '0045'
branch_labels = None
depends_on = None


def upgrade():
    # Added in place (a rebuilt table would lose SQLite's AUTOINCREMENT on cases).
    for column in (
        sa.Column('significant_event', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('sea_reference', sa.String(length=60), nullable=True),
        sa.Column('candour_applies', sa.Boolean(), nullable=True),
        sa.Column('candour_told_on', sa.Date(), nullable=True),
    ):
        op.add_column('cases', column)


def downgrade():
    with op.batch_alter_table('cases', table_kwargs={'sqlite_autoincrement': True}) as batch:
        for column in ('candour_told_on', 'candour_applies', 'sea_reference', 'significant_event'):
            batch.drop_column(column)
