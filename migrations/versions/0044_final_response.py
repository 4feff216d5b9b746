"""The final response to a formal complaint, prepared before its letter is made: how it was
considered, the conclusion on each issue, any apology, the action taken, the lessons learned and
the responsible person who signs it; and why the agreed response date last moved, which the
delay letter gives.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 03:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None


def upgrade():
    # Added in place (a rebuilt table would lose SQLite's AUTOINCREMENT on cases).
    for column in (
        sa.Column('response_considered', sa.Text(), nullable=True),
        sa.Column('response_findings', sa.JSON(), nullable=True),
        sa.Column('response_apology', sa.Text(), nullable=True),
        sa.Column('response_actions', sa.Text(), nullable=True),
        sa.Column('response_lessons', sa.Text(), nullable=True),
        sa.Column('response_delay_reason', sa.Text(), nullable=True),
    ):
        op.add_column('cases', column)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE cases ADD COLUMN response_signed_by_id INTEGER '
            'CONSTRAINT fk_cases_response_signed_by_id_users REFERENCES users (id)'
        )
    else:
        op.add_column('cases', sa.Column('response_signed_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_cases_response_signed_by_id_users'), 'cases', 'users',
            ['response_signed_by_id'], ['id'],
        )


def downgrade():
    with op.batch_alter_table('cases', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_constraint(op.f('fk_cases_response_signed_by_id_users'), type_='foreignkey')
        for column in (
            'response_signed_by_id', 'response_delay_reason', 'response_lessons', 'response_actions', 'response_apology',
            'response_findings', 'response_considered',
        ):
            batch.drop_column(column)
