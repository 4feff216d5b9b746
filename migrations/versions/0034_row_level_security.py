"""On PostgreSQL, a second wall between practices: row-level security on every table whose rows
belong to a practice. A statement sees and writes only the rows of the practice its transaction
names (tracker.practice), unless it names itself a cross-practice view or the install's own tools
(tracker.across = 'on'); see tracker/practices/walls.py. The install's own events (a sign-in
attempt before any practice is chosen) have no practice and may be written by anyone. SQLite has
no such thing: nothing changes there.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 11:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

TABLES = (
    'case_attachment_contents', 'case_attachments', 'case_contacts', 'case_letters',
    'case_name_words', 'case_notes', 'case_sequences', 'cases', 'event_personal_data', 'events',
    'guidance_versions', 'letter_template_versions', 'mail_outbox', 'memberships',
)

# Each setting is read once a statement (the sub-selects), not once a row.
WALL = (
    "(SELECT current_setting('tracker.across', true)) = 'on' "
    "OR practice_id = (SELECT NULLIF(current_setting('tracker.practice', true), '')::integer)"
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY practice_wall ON {table} USING ({WALL}) WITH CHECK ({WALL})')
    op.execute(
        'CREATE POLICY install_events ON events FOR INSERT WITH CHECK (practice_id IS NULL)'
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP POLICY install_events ON events')
    for table in TABLES:
        op.execute(f'DROP POLICY practice_wall ON {table}')
        op.execute(f'ALTER TABLE {table} DISABLE ROW LEVEL SECURITY')
