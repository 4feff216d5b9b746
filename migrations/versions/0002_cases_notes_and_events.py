"""Cases, case notes, the reference sequence and the events table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 04:08:25.151110

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_sequences',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_case_sequences'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('nhs_number', sa.String(length=10), nullable=True),
    sa.Column('nhs_number_unknown', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('patient_name', sa.String(length=120), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('preferred_contact', sa.String(length=10), nullable=False),
    sa.Column('representative_name', sa.String(length=120), nullable=True),
    sa.Column('representative_relationship', sa.String(length=60), nullable=True),
    sa.Column('representative_consent', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('original_gp_id', sa.Integer(), nullable=True),
    sa.Column('original_gp_other', sa.String(length=120), nullable=True),
    sa.Column('concern', sa.Text(), nullable=False),
    sa.Column('route_requested', sa.String(length=24), nullable=False),
    sa.Column('already_discussed_with_own_gp', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('formal_complaint', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('urgent', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('first_assigned_at', sa.DateTime(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.Column('review_started_at', sa.DateTime(), nullable=True),
    sa.Column('appointment_at', sa.DateTime(), nullable=True),
    sa.Column('review_of_notes', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('outcome_summary', sa.Text(), nullable=True),
    sa.Column('patient_response', sa.String(length=20), nullable=True),
    sa.Column('outcome_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('pals_referred_on', sa.Date(), nullable=True),
    sa.Column('pals_referred_by', sa.String(length=10), nullable=True),
    sa.Column('pals_service', sa.String(length=160), nullable=True),
    sa.Column('pals_officer', sa.String(length=120), nullable=True),
    sa.Column('pals_reference', sa.String(length=60), nullable=True),
    sa.Column('pals_response_on', sa.Date(), nullable=True),
    sa.Column('pals_response_summary', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closure_reason', sa.String(length=24), nullable=True),
    sa.Column('registered_elsewhere_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['original_gp_id'], ['users.id'], name=op.f('fk_cases_original_gp_id_users')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_cases_reviewer_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_cases_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_cases_reference')),
    sa.UniqueConstraint('year', 'sequence', name=op.f('uq_cases_year'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_nhs_number'), ['nhs_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_patient_name'), ['patient_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_route_requested'), ['route_requested'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_stage'), ['stage'], unique=False)
        batch_op.create_index('ix_cases_stage_received_on', ['stage', 'received_on'], unique=False)

    op.create_table('case_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('clinical', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_notes_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_notes_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index('ix_case_notes_case_id_created_at', ['case_id', 'created_at'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('from_stage', sa.String(length=20), nullable=True),
    sa.Column('to_stage', sa.String(length=20), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_events_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_events_case_id_occurred_at', ['case_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_occurred_at'), ['occurred_at'], unique=False)

    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pals_office_name', sa.String(length=160), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('pals_office_name')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))
        batch_op.drop_index('ix_events_case_id_occurred_at')
        batch_op.drop_index(batch_op.f('ix_events_actor_id'))

    op.drop_table('events')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_case_notes_case_id_created_at')

    op.drop_table('case_notes')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_stage_received_on')
        batch_op.drop_index(batch_op.f('ix_cases_stage'))
        batch_op.drop_index(batch_op.f('ix_cases_route_requested'))
        batch_op.drop_index(batch_op.f('ix_cases_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_cases_received_on'))
        batch_op.drop_index(batch_op.f('ix_cases_patient_name'))
        batch_op.drop_index(batch_op.f('ix_cases_nhs_number'))

    op.drop_table('cases')
    op.drop_table('case_sequences')
