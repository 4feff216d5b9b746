"""Indexes for the monthly report and the queues, found by the benchmark at 100,000 cases.

Each month's figures count cases by the date a step happened (assigned, outcome recorded, PALS,
closed); with these indexes they read only that month's rows instead of every case. "My cases"
and the queue's route filter read the open cases of one reviewer or route, not ten years of them.

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-24 05:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0003'
branch_labels = None
depends_on = None

SINGLE = [
    'first_assigned_at',
    'assigned_at',
    'outcome_recorded_at',
    'pals_referred_on',
    'pals_response_on',
    'registered_elsewhere_on',
]


def upgrade():
    for column in SINGLE:
        op.create_index(f'ix_cases_{column}', 'cases', [column], unique=False)
    op.create_index('ix_cases_reviewer_id_stage', 'cases', ['reviewer_id', 'stage'], unique=False)
    op.create_index('ix_cases_stage_route_requested', 'cases', ['stage', 'route_requested'], unique=False)
    # "Open at month end" asks closed_at and received_on together: both answered from the index.
    op.create_index('ix_cases_closed_at_received_on', 'cases', ['closed_at', 'received_on'], unique=False)


def downgrade():
    op.drop_index('ix_cases_closed_at_received_on', table_name='cases')
    op.drop_index('ix_cases_stage_route_requested', table_name='cases')
    op.drop_index('ix_cases_reviewer_id_stage', table_name='cases')
    for column in reversed(SINGLE):
        op.drop_index(f'ix_cases_{column}', table_name='cases')
