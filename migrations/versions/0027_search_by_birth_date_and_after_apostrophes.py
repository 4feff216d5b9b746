"""Search finds a patient by date of birth, and by the part of a name after an apostrophe
("Brien" finds O'Brien-Núñez): an index on the date of birth, and the extra words of every
name with an apostrophe.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 21:00:00

"""
import sqlalchemy as sa
from alembic import op

from tracker.names import name_words


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

REMOVED = '[removed]'  # what retention leaves in a name
APOSTROPHES = ("'", "’", "‘", "`", "´")


def upgrade():
    op.create_index('ix_cases_date_of_birth', 'cases', ['date_of_birth'], unique=False)
    connection = op.get_bind()
    words = sa.table('case_name_words', sa.column('case_id', sa.Integer), sa.column('word', sa.String))
    named = sa.or_(*[sa.column('patient_name').contains(mark, autoescape=True) for mark in APOSTROPHES])
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(sa.column('id'), sa.column('patient_name'))
            .select_from(sa.table('cases'))
            .where(sa.column('id') > last_id, named)
            .order_by(sa.column('id'))
            .limit(2000)
        ).all()
        if not rows:
            return
        ids = [case_id for case_id, name in rows if name != REMOVED]
        if ids:
            connection.execute(words.delete().where(words.c.case_id.in_(ids)))
            connection.execute(
                words.insert(),
                [
                    {'case_id': case_id, 'word': word}
                    for case_id, name in rows
                    if name != REMOVED
                    for word in sorted(name_words(name))
                ],
            )
        last_id = rows[-1][0]


def downgrade():
    op.drop_index('ix_cases_date_of_birth', table_name='cases')
