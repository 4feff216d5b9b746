"""Letters to the person acting for the patient: their title, phone, email and postal
address, and the date and form of the patient's consent; the patient's title and preferred name
for the greeting; each letter's recipient; the job title a letter's signature carries.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 21:05:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

CASE_COLUMNS = (
    ('patient_title', sa.String(length=20)),
    ('preferred_name', sa.String(length=60)),
    ('representative_consent_on', sa.Date()),
    ('representative_consent_form', sa.String(length=20)),
    ('representative_title', sa.String(length=20)),
    ('representative_phone', sa.String(length=40)),
    ('representative_email', sa.String(length=254)),
    ('representative_address_lines', sa.Text()),
    ('representative_postcode', sa.String(length=10)),
)


def upgrade():
    # Added in place (no copy of a table), so SQLite keeps each table's AUTOINCREMENT and
    # its partial indexes.
    for name, kind in CASE_COLUMNS:
        op.add_column('cases', sa.Column(name, kind, nullable=True))
    op.add_column(
        'case_letters',
        sa.Column('recipient', sa.String(length=20), server_default='patient', nullable=False),
    )
    op.add_column('users', sa.Column('job_title', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('job_title')
    with op.batch_alter_table('case_letters') as batch:
        batch.drop_column('recipient')
    with op.batch_alter_table('cases') as batch:
        for name, _ in reversed(CASE_COLUMNS):
            batch.drop_column(name)
