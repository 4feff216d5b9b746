"""Each practice's figures marker: a random value replaced whenever a case is added or removed
or a column the monthly report counts is written, so the report's figures can be kept between
requests until the cases change (tracker/reports/kept.py). On PostgreSQL behind the practice
wall, and replaced as the changing transaction commits, by a function running as the tables'
owner: the practice the transaction last worked in does not decide whether the marker of the
practice whose case changed can be written.

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-07 02:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0051'
down_revision = '0050'
branch_labels = None
depends_on = None

WALL = (
    "(SELECT current_setting('tracker.across', true)) = 'on' "
    "OR practice_id = (SELECT NULLIF(current_setting('tracker.practice', true), '')::integer)"
)

# As FIGURES_COLUMNS in tracker/reports/kept.py on the day this migration was written.
COLUMNS = (
    'practice_id', 'received_on', 'route_requested', 'channel', 'formal_complaint', 'urgent',
    'reviewer_id', 'assigned_at', 'first_assigned_at', 'working_days_to_assign',
    'assign_target_days', 'outcome_recorded_at', 'outcome', 'patient_response',
    'working_days_to_outcome', 'outcome_target_days', 'closed_at', 'closure_reason',
    'pals_referred_on', 'pals_response_on', 'registered_elsewhere_on',
)

# Runs as the tables' owner, so that the marker of the practice whose case changed is written
# whichever practice the transaction last worked in. Its search path is this schema then pg_temp,
# fixed when it is made, and the table is named with its schema: a temporary table the app's
# role made could not stand in for the marker table (a temporary schema is searched first
# unless it is named last). It writes a practice's marker once a transaction (`changed_in`):
# every row a bulk change touches still calls it, but rewriting one row over and over in one
# transaction would make that commit slower with every row.
POSTGRESQL_FUNCTION = """
CREATE FUNCTION {schema}.figures_changed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    this_transaction bigint := txid_current();
    fresh varchar(32) := md5(random()::text || clock_timestamp()::text || this_transaction::text);
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.practice_id <> NEW.practice_id) THEN
        UPDATE {schema}.figures_markers SET marker = fresh, changed_in = this_transaction
        WHERE practice_id = OLD.practice_id
          AND changed_in IS DISTINCT FROM this_transaction;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO {schema}.figures_markers AS kept (practice_id, marker, changed_in)
        VALUES (NEW.practice_id, fresh, this_transaction)
        ON CONFLICT (practice_id) DO UPDATE
        SET marker = EXCLUDED.marker, changed_in = EXCLUDED.changed_in
        WHERE kept.changed_in IS DISTINCT FROM EXCLUDED.changed_in;
    END IF;
    RETURN NULL;
END
$$
"""

SQLITE_FRESH = "lower(hex(randomblob(16)))"


def upgrade():
    op.create_table(
        'figures_markers',
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('marker', sa.String(length=32), nullable=False),
        sa.Column('changed_in', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_figures_markers_practice_id_practices')),
        sa.PrimaryKeyConstraint('practice_id', name=op.f('pk_figures_markers')),
    )
    columns = ', '.join(COLUMNS)
    postgresql = op.get_bind().dialect.name == 'postgresql'
    # Every practice starts with a marker, so its figures can be kept from the first request.
    fresh = "md5(random()::text || id::text)" if postgresql else SQLITE_FRESH
    op.execute(f'INSERT INTO figures_markers (practice_id, marker) SELECT id, {fresh} FROM practices')
    if postgresql:
        op.execute('ALTER TABLE figures_markers ENABLE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY practice_wall ON figures_markers USING ({WALL}) WITH CHECK ({WALL})')
        schema = op.get_bind().execute(sa.text('SELECT current_schema()')).scalar_one()
        quoted = op.get_bind().dialect.identifier_preparer.quote(schema)
        op.execute(POSTGRESQL_FUNCTION.format(schema=quoted))
        for name, events in (
            ('figures_on_insert_or_delete', 'INSERT OR DELETE'),
            ('figures_on_update', f'UPDATE OF {columns}'),
        ):
            op.execute(
                f'CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON cases '
                'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_changed()'
            )
        return
    upsert = (
        'INSERT INTO figures_markers (practice_id, marker) VALUES (NEW.practice_id, {fresh}) '
        'ON CONFLICT (practice_id) DO UPDATE SET marker = excluded.marker;'
    ).format(fresh=SQLITE_FRESH)
    update_old = (
        f'UPDATE figures_markers SET marker = {SQLITE_FRESH} WHERE practice_id = OLD.practice_id;'
    )
    op.execute(f'CREATE TRIGGER figures_on_insert AFTER INSERT ON cases BEGIN {upsert} END')
    op.execute(f'CREATE TRIGGER figures_on_delete AFTER DELETE ON cases BEGIN {update_old} END')
    op.execute(
        f'CREATE TRIGGER figures_on_update AFTER UPDATE OF {columns} ON cases '
        f'BEGIN {update_old} {upsert} END'
    )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS figures_on_update ON cases')
        op.execute('DROP TRIGGER IF EXISTS figures_on_insert_or_delete ON cases')
        op.execute('DROP FUNCTION IF EXISTS figures_changed()')
    else:
        for name in ('figures_on_update', 'figures_on_delete', 'figures_on_insert'):
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('figures_markers')
