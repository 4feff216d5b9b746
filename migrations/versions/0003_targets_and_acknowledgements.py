"""Working-day targets, bank holiday region, complaint acknowledgements and the outcome clock.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 04:17:03.669323

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('acknowledgement_method', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('outcome_clock_from', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_outcome_clock_from'), ['outcome_clock_from'], unique=False)

    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assign_target_days', sa.Integer(), server_default='2', nullable=False))
        batch_op.add_column(sa.Column('acknowledge_target_days', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('outcome_target_days', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('bank_holiday_region', sa.String(length=20), server_default='england', nullable=False))

    # Cases assigned before this revision run their outcome clock from the first assignment.
    op.execute("UPDATE cases SET outcome_clock_from = first_assigned_at WHERE first_assigned_at IS NOT NULL")



def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('bank_holiday_region')
        batch_op.drop_column('outcome_target_days')
        batch_op.drop_column('acknowledge_target_days')
        batch_op.drop_column('assign_target_days')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_outcome_clock_from'))
        batch_op.drop_column('outcome_clock_from')
        batch_op.drop_column('acknowledgement_method')
        batch_op.drop_column('acknowledged_on')

