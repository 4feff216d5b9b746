"""Email notifications: the outbox, each person's choices, the practice's mail settings and
when each person last cleared "New for you".

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('case_reference', sa.String(length=16), nullable=True),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('summary_line', sa.String(length=300), server_default='', nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('dedupe_key', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_mail_outbox_case_id_cases')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_outbox_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_outbox_dedupe_key')),
    )
    op.create_index('ix_mail_outbox_case_id', 'mail_outbox', ['case_id'], unique=False)
    op.create_index(
        'ix_mail_outbox_status_next_attempt_at', 'mail_outbox', ['status', 'next_attempt_at'], unique=False
    )
    op.create_index('ix_mail_outbox_user_id_status', 'mail_outbox', ['user_id', 'status'], unique=False)
    op.create_table(
        'notification_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('delivery', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users')
        ),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences')),
    )
    with op.batch_alter_table('practice_settings') as batch_op:
        batch_op.add_column(sa.Column('duty_doctor_mailbox', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reception_mailbox', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pals_chase_working_days', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('daily_summary_time', sa.String(length=5), server_default='07:30', nullable=False))
        batch_op.add_column(sa.Column('notices_off', sa.String(length=300), server_default='', nullable=False))
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('news_seen_at', sa.DateTime(), nullable=True))
    op.create_index('ix_cases_created_by_id', 'cases', ['created_by_id'], unique=False)


def downgrade():
    op.drop_index('ix_cases_created_by_id', table_name='cases')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('news_seen_at')
    with op.batch_alter_table('practice_settings') as batch_op:
        batch_op.drop_column('notices_off')
        batch_op.drop_column('daily_summary_time')
        batch_op.drop_column('pals_chase_working_days')
        batch_op.drop_column('reception_mailbox')
        batch_op.drop_column('duty_doctor_mailbox')
    op.drop_table('notification_preferences')
    op.drop_index('ix_mail_outbox_user_id_status', table_name='mail_outbox')
    op.drop_index('ix_mail_outbox_status_next_attempt_at', table_name='mail_outbox')
    op.drop_index('ix_mail_outbox_case_id', table_name='mail_outbox')
    op.drop_table('mail_outbox')
