"""Each case keeps the targets and bank holiday region in force when it was logged, and its due
dates, so a change of settings applies to cases logged after it and history never moves.

Existing cases take the practice's settings as they are now. The queue's index of open cases
and the report's indexes gain the columns their conditions now read.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 22:00:00

"""
from datetime import UTC

from alembic import op
import sqlalchemy as sa

from tracker.workdays import DEFAULT_REGION, WorkingCalendar


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OLD_QUEUE_COLUMNS = [
    sa.text('urgent DESC'), 'received_on', 'id', 'stage', 'route_requested', 'reviewer_id',
    'formal_complaint', 'first_assigned_at', 'acknowledged_on', 'outcome_clock_from',
    'outcome_recorded_at', 'reference', 'patient_name', 'nhs_number',
]
QUEUE_INDEX_COLUMNS = OLD_QUEUE_COLUMNS + ['assign_due_on', 'acknowledge_due_on', 'outcome_due_on']
REPORT_INDEXES = [
    # (index, its columns before, its columns now)
    ('ix_cases_first_assigned_at_days', ['first_assigned_at', 'working_days_to_assign'],
     ['first_assigned_at', 'working_days_to_assign', 'assign_target_days']),
    ('ix_cases_outcome_recorded_at_report',
     ['outcome_recorded_at', 'outcome', 'patient_response', 'working_days_to_outcome', 'reviewer_id'],
     ['outcome_recorded_at', 'outcome', 'patient_response', 'working_days_to_outcome', 'reviewer_id',
      'outcome_target_days']),
]


def _queue_index(columns):
    open_case = sa.text("stage != 'closed'")
    op.create_index(
        'ix_cases_open_queue', 'cases', columns, unique=False,
        sqlite_where=open_case, postgresql_where=open_case,
    )


def _keep_settings_and_due_dates():
    connection = op.get_bind()
    settings = connection.execute(sa.text(
        'SELECT assign_target_days, acknowledge_target_days, outcome_target_days, bank_holiday_region '
        'FROM practice_settings WHERE id = 1'
    )).first()
    assign, acknowledge, outcome, region = settings or (2, 3, 10, DEFAULT_REGION)
    connection.execute(
        sa.text(
            'UPDATE cases SET assign_target_days = :assign, acknowledge_target_days = :acknowledge, '
            'outcome_target_days = :outcome, bank_holiday_region = :region'
        ),
        {'assign': assign, 'acknowledge': acknowledge, 'outcome': outcome, 'region': region},
    )
    calendar = WorkingCalendar(region)
    update = sa.text(
        'UPDATE cases SET assign_due_on = :assign_due, acknowledge_due_on = :acknowledge_due, '
        'outcome_due_on = :outcome_due WHERE id = :case_id'
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.text(
                'SELECT id, received_on, outcome_clock_from FROM cases WHERE id > :last '
                'ORDER BY id LIMIT 2000'
            ).columns(
                sa.column('id', sa.Integer), sa.column('received_on', sa.Date),
                sa.column('outcome_clock_from', sa.DateTime),
            ),
            {'last': last_id},
        ).all()
        if not rows:
            return
        connection.execute(update, [
            {
                'case_id': case_id,
                'assign_due': calendar.add_working_days(received_on, assign),
                'acknowledge_due': calendar.add_working_days(received_on, acknowledge),
                # stored as naive UTC
                'outcome_due': (
                    calendar.add_working_days(clock_from.replace(tzinfo=UTC), outcome)
                    if clock_from else None
                ),
            }
            for case_id, received_on, clock_from in rows
        ])
        last_id = rows[-1][0]


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('assign_target_days', sa.Integer(), server_default='2', nullable=False))
        batch_op.add_column(sa.Column('acknowledge_target_days', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('outcome_target_days', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('bank_holiday_region', sa.String(length=30), server_default='england', nullable=False))
        batch_op.add_column(sa.Column('assign_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('acknowledge_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('outcome_due_on', sa.Date(), nullable=True))
    _keep_settings_and_due_dates()
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(QUEUE_INDEX_COLUMNS)
    for name, before, now in REPORT_INDEXES:
        op.drop_index(name, table_name='cases')
        op.create_index(name, 'cases', now, unique=False)


def downgrade():
    for name, before, now in REPORT_INDEXES:
        op.drop_index(name, table_name='cases')
        op.create_index(name, 'cases', before, unique=False)
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(OLD_QUEUE_COLUMNS)
    with op.batch_alter_table('cases') as batch_op:
        for column in ('outcome_due_on', 'acknowledge_due_on', 'assign_due_on', 'bank_holiday_region',
                       'outcome_target_days', 'acknowledge_target_days', 'assign_target_days'):
            batch_op.drop_column(column)
