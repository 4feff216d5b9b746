"""The practice is a record of its own, in a primary care network, and everything a practice
keeps belongs to it: the settings row becomes practice one (of a network of its own), and every
case, note, contact, name word, document, letter, event, email, guidance text, letter template
and reference sequence holds its practice's id. The indexes pages read from lead with the
practice, so each practice reads only its own part of them.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 08:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

FIRST_PRACTICE = 1
DEFAULT_PCN_NAME = 'Your primary care network'

# Every table whose rows belong to a practice. Events may have none (an install's own).
OWNED = (
    'case_sequences', 'cases', 'case_name_words', 'case_contacts', 'case_notes',
    'case_attachments', 'case_attachment_contents', 'case_letters', 'events',
    'event_personal_data', 'mail_outbox', 'guidance_versions', 'letter_template_versions',
)
MAY_HAVE_NONE = {'events'}

OPEN_QUEUE = [
    'urgent DESC', 'received_on', 'id', 'stage', 'route_requested', 'reviewer_id',
    'formal_complaint', 'first_assigned_at', 'acknowledged_on', 'outcome_clock_from',
    'outcome_recorded_at', 'reference', 'patient_name', 'nhs_number',
    'assign_due_on', 'acknowledge_due_on', 'outcome_due_on',
    'duty_doctor_due_on', 'duty_doctor_told_at', 'pals_chase_due_on', 'pals_response_on',
]
# name: (table, columns after the practice, partial index condition)
LED_BY_PRACTICE = {
    'ix_cases_stage_received_on': ('cases', ['stage', 'received_on'], None),
    'ix_cases_reviewer_id_stage': ('cases', ['reviewer_id', 'stage'], None),
    'ix_cases_stage_route_requested': ('cases', ['stage', 'route_requested'], None),
    'ix_cases_received_on_breakdown': (
        'cases', ['received_on', 'route_requested', 'channel', 'formal_complaint', 'urgent'], None
    ),
    'ix_cases_outcome_recorded_at_report': (
        'cases',
        ['outcome_recorded_at', 'outcome', 'patient_response', 'working_days_to_outcome',
         'reviewer_id', 'outcome_target_days'],
        None,
    ),
    'ix_cases_assigned_at_reviewer_id': ('cases', ['assigned_at', 'reviewer_id'], None),
    'ix_cases_closed_at_received_on': ('cases', ['closed_at', 'received_on', 'reviewer_id'], None),
    'ix_cases_open_queue': ('cases', OPEN_QUEUE, "stage != 'closed'"),
    'ix_cases_first_assigned_at_days': (
        'cases', ['first_assigned_at', 'working_days_to_assign', 'assign_target_days'],
        'first_assigned_at IS NOT NULL',
    ),
    'ix_cases_created_at': ('cases', ['created_at'], None),
    'ix_events_news': ('events', ['occurred_at', 'case_id', 'actor_id', 'kind'], None),
    'ix_case_name_words_case_id_word': ('case_name_words', ['case_id', 'word'], None),
}
# New: each word's cases within a practice (the primary key is word first, for every practice).
NEW_INDEXES = {
    'ix_case_name_words_practice_id_word': ('case_name_words', ['word', 'case_id'], None),
}

PRACTICE_COLUMNS = (
    'id', 'practice_name', 'ods_code', 'practice_address', 'practice_phone', 'pals_office_name',
    'pals_phone', 'pals_email', 'pals_web_address', 'pals_postal_address', 'assign_target_days',
    'acknowledge_target_days', 'outcome_target_days', 'bank_holiday_region',
    'idle_sign_out_minutes', 'two_factor_for_everyone', 'retention_years', 'duty_doctor_mailbox',
    'reception_mailbox', 'pals_chase_working_days', 'daily_summary_time', 'notices_off',
    'updated_at', 'updated_by_id',
)


def _columns(names):
    return [sa.text(name) if ' ' in name else name for name in names]


def _index(name, table, columns, where):
    condition = {} if where is None else {
        'sqlite_where': sa.text(where), 'postgresql_where': sa.text(where)
    }
    op.create_index(name, table, _columns(columns), unique=False, **condition)


def upgrade():
    bind = op.get_bind()
    op.create_table(
        'pcns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('ods_code', sa.String(length=10), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pcns')),
        sa.UniqueConstraint('name', name=op.f('uq_pcns_name')),
        sa.UniqueConstraint('ods_code', name=op.f('uq_pcns_ods_code')),
    )
    op.create_table(
        'practices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('practice_name', sa.String(length=120), nullable=False),
        sa.Column('ods_code', sa.String(length=10), nullable=True),
        sa.Column('pcn_id', sa.Integer(), nullable=True),
        sa.Column('practice_address', sa.String(length=400), server_default='', nullable=False),
        sa.Column('practice_phone', sa.String(length=40), server_default='', nullable=False),
        sa.Column('pals_office_name', sa.String(length=160), server_default='', nullable=False),
        sa.Column('pals_phone', sa.String(length=40), server_default='', nullable=False),
        sa.Column('pals_email', sa.String(length=254), server_default='', nullable=False),
        sa.Column('pals_web_address', sa.String(length=300), server_default='', nullable=False),
        sa.Column('pals_postal_address', sa.String(length=400), server_default='', nullable=False),
        sa.Column('assign_target_days', sa.Integer(), server_default='2', nullable=False),
        sa.Column('acknowledge_target_days', sa.Integer(), server_default='3', nullable=False),
        sa.Column('outcome_target_days', sa.Integer(), server_default='10', nullable=False),
        sa.Column('bank_holiday_region', sa.String(length=20), server_default='england', nullable=False),
        sa.Column('idle_sign_out_minutes', sa.Integer(), server_default='15', nullable=False),
        sa.Column('two_factor_for_everyone', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('retention_years', sa.Integer(), server_default='10', nullable=False),
        sa.Column('duty_doctor_mailbox', sa.String(length=254), server_default='', nullable=False),
        sa.Column('reception_mailbox', sa.String(length=254), server_default='', nullable=False),
        sa.Column('pals_chase_working_days', sa.Integer(), server_default='10', nullable=False),
        sa.Column('daily_summary_time', sa.String(length=5), server_default='07:30', nullable=False),
        sa.Column('notices_off', sa.String(length=300), server_default='', nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['pcn_id'], ['pcns.id'], name=op.f('fk_practices_pcn_id_pcns')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_practices_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practices')),
        sa.UniqueConstraint('ods_code', name=op.f('uq_practices_ods_code')),
    )
    # The practice's settings row becomes practice one; an install with staff or cases but
    # no saved settings gets practice one with the shipped settings.
    listed = ', '.join(PRACTICE_COLUMNS)
    bind.execute(sa.text(
        f'INSERT INTO practices ({listed}) SELECT {listed} FROM practice_settings WHERE id = 1'
    ))
    in_use = any(
        bind.execute(sa.text(f'SELECT 1 FROM {table} LIMIT 1')).first() is not None
        for table in ('users', 'cases', 'events', 'guidance_versions', 'letter_template_versions')
    )
    has_practice = bind.execute(sa.text('SELECT 1 FROM practices')).first() is not None
    if in_use and not has_practice:
        bind.execute(sa.text(
            "INSERT INTO practices (id, practice_name) VALUES (1, 'Your GP practice')"
        ))
        has_practice = True
    if has_practice:
        bind.execute(sa.text("UPDATE practices SET ods_code = NULL WHERE ods_code = ''"))
        bind.execute(
            sa.text('INSERT INTO pcns (id, name, created_at) VALUES (1, :name, CURRENT_TIMESTAMP)'),
            {'name': DEFAULT_PCN_NAME},
        )
        bind.execute(sa.text('UPDATE practices SET pcn_id = 1'))
    if bind.dialect.name == 'postgresql':
        for table in ('pcns', 'practices'):
            bind.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
    op.drop_table('practice_settings')

    for name, (table, _columns_after, _where) in LED_BY_PRACTICE.items():
        op.drop_index(name, table_name=table)
    for table in OWNED:
        _add_practice(bind, table, may_have_none=table in MAY_HAVE_NONE)
    _references_within_each_practice(bind)
    for name, (table, columns, where) in {**LED_BY_PRACTICE, **NEW_INDEXES}.items():
        _index(name, table, ['practice_id', *columns], where)


def _references_within_each_practice(bind):
    """Each practice numbers its own cases: a reference, and a year's sequence, are unique
    within a practice, and each practice keeps its own count for each year."""
    if bind.dialect.name == 'sqlite':
        # SQLite changes a table's constraints by copying it; the partial indexes were dropped
        # above and are made again after.
        with op.batch_alter_table(
            'cases', recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ) as batch:
            batch.drop_constraint('uq_cases_reference', type_='unique')
            batch.drop_constraint('uq_cases_year', type_='unique')
            batch.create_unique_constraint(
                'uq_cases_practice_id_reference', ['practice_id', 'reference']
            )
            batch.create_unique_constraint(
                'uq_cases_practice_id_year_sequence', ['practice_id', 'year', 'sequence']
            )
        with op.batch_alter_table('case_sequences', recreate='always') as batch:
            batch.drop_constraint('pk_case_sequences', type_='primary')
            batch.create_primary_key('pk_case_sequences', ['practice_id', 'year'])
        return
    op.drop_constraint('uq_cases_reference', 'cases', type_='unique')
    op.drop_constraint('uq_cases_year', 'cases', type_='unique')
    op.create_unique_constraint(
        'uq_cases_practice_id_reference', 'cases', ['practice_id', 'reference']
    )
    op.create_unique_constraint(
        'uq_cases_practice_id_year_sequence', 'cases', ['practice_id', 'year', 'sequence']
    )
    op.drop_constraint('pk_case_sequences', 'case_sequences', type_='primary')
    op.create_primary_key('pk_case_sequences', 'case_sequences', ['practice_id', 'year'])


def _add_practice(bind, table, *, may_have_none):
    """The column, filled with practice one for the rows already there. SQLite adds it in
    place (keeping the table's AUTOINCREMENT and partial indexes), where a new NOT NULL column
    needs a default: the rows already there take it, and the app names the practice of every
    new row itself."""
    constraint = f'fk_{table}_practice_id_practices'
    if bind.dialect.name == 'sqlite':
        required = '' if may_have_none else f'NOT NULL DEFAULT {FIRST_PRACTICE} '
        op.execute(
            f'ALTER TABLE {table} ADD COLUMN practice_id INTEGER {required}'
            f'CONSTRAINT {constraint} REFERENCES practices (id)'
        )
        if may_have_none:
            op.execute(f'UPDATE {table} SET practice_id = {FIRST_PRACTICE}')
        return
    op.add_column(table, sa.Column('practice_id', sa.Integer(), nullable=True))
    op.execute(f'UPDATE {table} SET practice_id = {FIRST_PRACTICE}')
    if not may_have_none:
        op.alter_column(table, 'practice_id', nullable=False)
    op.create_foreign_key(op.f(constraint), table, 'practices', ['practice_id'], ['id'])


def downgrade():
    raise NotImplementedError(
        'Going back to one settings row would merge or lose practices: restore a backup instead'
    )
