"""Chasing PALS as a target like the others: each case keeps the working days after a referral
at which PALS is chased (the practice's setting when the case was logged) and the date that
gives, in the queue's index of open cases with the date PALS answered.

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-03 19:30:00

"""
from alembic import op
import sqlalchemy as sa

from tracker.workdays import WorkingCalendar


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0021'
branch_labels = None
depends_on = None

BEFORE = [
    sa.text('urgent DESC'), 'received_on', 'id', 'stage', 'route_requested', 'reviewer_id',
    'formal_complaint', 'first_assigned_at', 'acknowledged_on', 'outcome_clock_from',
    'outcome_recorded_at', 'reference', 'patient_name', 'nhs_number',
    'assign_due_on', 'acknowledge_due_on', 'outcome_due_on',
    'duty_doctor_due_on', 'duty_doctor_told_at',
]
NOW = BEFORE + ['pals_chase_due_on', 'pals_response_on']


def _queue_index(columns):
    open_case = sa.text("stage != 'closed'")
    op.create_index(
        'ix_cases_open_queue', 'cases', columns, unique=False,
        sqlite_where=open_case, postgresql_where=open_case,
    )


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(
            sa.Column('pals_chase_working_days', sa.Integer(), server_default='10', nullable=False)
        )
        batch_op.add_column(sa.Column('pals_chase_due_on', sa.Date(), nullable=True))
    connection = op.get_bind()
    # The cases logged so far take the practice's setting now.
    days = connection.execute(
        sa.text('SELECT pals_chase_working_days FROM practice_settings')
    ).scalar()
    if days is not None:
        connection.execute(sa.text('UPDATE cases SET pals_chase_working_days = :days'), {'days': days})
    rows = connection.execute(
        sa.text(
            'SELECT id, pals_referred_on, bank_holiday_region, pals_chase_working_days FROM cases '
            'WHERE pals_referred_on IS NOT NULL'
        ).columns(
            sa.column('id', sa.Integer), sa.column('pals_referred_on', sa.Date),
            sa.column('bank_holiday_region', sa.String), sa.column('pals_chase_working_days', sa.Integer),
        )
    ).all()
    if rows:
        connection.execute(
            sa.text('UPDATE cases SET pals_chase_due_on = :due WHERE id = :case_id'),
            [
                {'case_id': case_id, 'due': WorkingCalendar(region).add_working_days(referred_on, chase)}
                for case_id, referred_on, region, chase in rows
            ],
        )
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(NOW)


def downgrade():
    op.drop_index('ix_cases_open_queue', table_name='cases')
    _queue_index(BEFORE)
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('pals_chase_due_on')
        batch_op.drop_column('pals_chase_working_days')
