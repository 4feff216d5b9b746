"""Ids the audit log names are never given to another row: on SQLite the tables of people, cases,
notes, documents, letters, emails and events are rebuilt with AUTOINCREMENT, every row keeping
its id, and each starts after the highest id already used (a removed document's included).
PostgreSQL's sequences never hand out an id twice, so it needs nothing. Also an index for the
documents one person added today, which the daily upload limit counts.

Revision ID: 0020
Revises: 0024
Create Date: 2026-12-03 19:30:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0024'
branch_labels = None
depends_on = None

# Parents before the tables that point at them.
TABLES = ('users', 'cases', 'case_notes', 'case_attachments', 'case_letters', 'mail_outbox', 'events')
DOCUMENT_EVENTS = ('document_added', 'clinical_document_added', 'document_removed', 'document_downloaded')


def upgrade():
    op.create_index(
        'ix_case_attachments_uploaded_by_id_uploaded_at',
        'case_attachments',
        ['uploaded_by_id', 'uploaded_at'],
        unique=False,
    )
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ):
            pass
    # Copying the rows starts each table's count at its highest id; a removed document's id may
    # be higher than any left, and the audit log still names it.
    start_after(bind, 'case_attachments', highest_document_named(bind))


def highest_document_named(bind) -> int:
    """The highest N of "Document N: ..." in the events about documents."""
    details = bind.execute(
        sa.text(
            "SELECT detail FROM events WHERE detail LIKE 'Document %' AND kind IN ("
            + ', '.join(f"'{kind}'" for kind in DOCUMENT_EVENTS)
            + ')'
        )
    ).scalars()
    numbers = [int(found[1]) for found in map(re.compile(r'Document (\d+):').match, details) if found]
    return max(numbers, default=0)


def start_after(bind, table: str, highest: int) -> None:
    """Make SQLite's next id for the table at least highest + 1."""
    if not highest:
        return
    seq = bind.execute(
        sa.text('SELECT seq FROM sqlite_sequence WHERE name = :table'), {'table': table}
    ).scalar()
    if seq is None:
        bind.execute(
            sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :highest)'),
            {'table': table, 'highest': highest},
        )
    elif seq < highest:
        bind.execute(
            sa.text('UPDATE sqlite_sequence SET seq = :highest WHERE name = :table'),
            {'table': table, 'highest': highest},
        )


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for table in reversed(TABLES):
            with op.batch_alter_table(
                table, recreate='always', table_kwargs={'sqlite_autoincrement': False}
            ):
                pass
    op.drop_index('ix_case_attachments_uploaded_by_id_uploaded_at', table_name='case_attachments')
