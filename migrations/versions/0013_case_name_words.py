"""Each word of each patient's name, folded, so a search by name finds "Zoë Åberg" from
"aberg", "O'Neill-Brown" from "oneill", and "Brown, Margaret Anne" from "Margaret Brown",
reading an index range per word typed instead of every case.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 22:30:00

"""
from alembic import op
import sqlalchemy as sa

from tracker.names import name_words


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

REMOVED = '[removed]'  # what retention leaves in a name


def upgrade():
    words = op.create_table(
        'case_name_words',
        sa.Column('word', sa.String(length=60).with_variant(sa.String(length=60, collation='C'), 'postgresql'), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_name_words_case_id_cases')),
        sa.PrimaryKeyConstraint('word', 'case_id', name=op.f('pk_case_name_words')),
    )
    op.create_index('ix_case_name_words_case_id_word', 'case_name_words', ['case_id', 'word'], unique=False)
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.text('SELECT id, patient_name FROM cases WHERE id > :last ORDER BY id LIMIT 2000'),
            {'last': last_id},
        ).all()
        if not rows:
            return
        found = [
            {'case_id': case_id, 'word': word}
            for case_id, name in rows
            if name != REMOVED
            for word in sorted(name_words(name))
        ]
        if found:
            connection.execute(words.insert(), found)
        last_id = rows[-1][0]


def downgrade():
    op.drop_index('ix_case_name_words_case_id_word', table_name='case_name_words')
    op.drop_table('case_name_words')
