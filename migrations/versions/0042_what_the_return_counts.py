"""What the KO41(b) return counts of each case, kept when the retention purge blanks the
patient's details: the age on the day received, and whether someone acts for the patient.
Filled in for the cases already here (the age for formal complaints, which the return counts).

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-06 03:00:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def _age(born, day):
    if born is None or day is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def upgrade():
    # Added in place (a rebuilt table would lose SQLite's AUTOINCREMENT on cases).
    op.add_column('cases', sa.Column('age_on_receipt', sa.Integer(), nullable=True))
    op.add_column(
        'cases',
        sa.Column('made_on_behalf', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE cases SET made_on_behalf = (representative_name IS NOT NULL "
            "AND representative_name != '')"
        )
    )
    rows = bind.execute(
        sa.text(
            "SELECT id, date_of_birth, received_on FROM cases "
            "WHERE formal_complaint AND date_of_birth IS NOT NULL"
        )
    ).all()
    update = sa.text("UPDATE cases SET age_on_receipt = :age WHERE id = :id")
    for case_id, born, received in rows:
        if isinstance(born, str):  # SQLite hands dates back as text here
            born, received = date.fromisoformat(born[:10]), date.fromisoformat(received[:10])
        bind.execute(update, {"age": _age(born, received), "id": case_id})


def downgrade():
    with op.batch_alter_table('cases', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_column('made_on_behalf')
        batch.drop_column('age_on_receipt')
