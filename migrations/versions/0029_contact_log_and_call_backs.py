"""A contact log on each case, with call-backs: each contact with the patient or the person
acting for them (how, which way, when, a short note), and the call-back or follow-up it leaves,
due on a date and owned by someone; the case keeps the call-back due soonest, which is a target
like the others.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 21:30:00

"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('with_whom', sa.String(length=20), nullable=False),
        sa.Column('method', sa.String(length=12), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('callback_due_on', sa.Date(), nullable=True),
        sa.Column('callback_owner_id', sa.Integer(), nullable=True),
        sa.Column('callback_done_at', sa.DateTime(), nullable=True),
        sa.Column('callback_done_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_contacts_case_id_cases')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_case_contacts_recorded_by_id_users')),
        sa.ForeignKeyConstraint(['callback_owner_id'], ['users.id'], name=op.f('fk_case_contacts_callback_owner_id_users')),
        sa.ForeignKeyConstraint(['callback_done_by_id'], ['users.id'], name=op.f('fk_case_contacts_callback_done_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_contacts')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_case_contacts_case_id_occurred_at', 'case_contacts', ['case_id', 'occurred_at'], unique=False)
    # Added in place (no copy of the table), so SQLite keeps the table's AUTOINCREMENT and
    # its partial indexes.
    op.add_column('cases', sa.Column('callback_due_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':  # a column's own REFERENCES, which SQLite adds in place
        op.execute(
            'ALTER TABLE cases ADD COLUMN callback_owner_id INTEGER '
            'CONSTRAINT fk_cases_callback_owner_id_users REFERENCES users (id)'
        )
    else:
        op.add_column('cases', sa.Column('callback_owner_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_cases_callback_owner_id_users'), 'cases', 'users', ['callback_owner_id'], ['id']
        )
    op.add_column('cases', sa.Column('callback_done_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('cases', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_constraint(op.f('fk_cases_callback_owner_id_users'), type_='foreignkey')
        batch.drop_column('callback_done_at')
        batch.drop_column('callback_owner_id')
        batch.drop_column('callback_due_on')
    op.drop_index('ix_case_contacts_case_id_occurred_at', table_name='case_contacts')
    op.drop_table('case_contacts')
