"""The PCN and the ICB look across their practices: integrated care boards, each PCN's ICB, and
the people who see a PCN's or an ICB's practices in figures without identifiers.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-06 03:15:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'icbs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('ods_code', sa.String(length=10), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_icbs')),
        sa.UniqueConstraint('name', name=op.f('uq_icbs_name')),
        sa.UniqueConstraint('ods_code', name=op.f('uq_icbs_ods_code')),
    )
    if op.get_bind().dialect.name == 'sqlite':  # in place, as the table is
        op.execute(
            'ALTER TABLE pcns ADD COLUMN icb_id INTEGER '
            'CONSTRAINT fk_pcns_icb_id_icbs REFERENCES icbs (id)'
        )
    else:
        op.add_column('pcns', sa.Column('icb_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_pcns_icb_id_icbs'), 'pcns', 'icbs', ['icb_id'], ['id'])
    op.create_table(
        'network_roles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('pcn_id', sa.Integer(), nullable=True),
        sa.Column('icb_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            '(pcn_id IS NULL) <> (icb_id IS NULL)', name=op.f('ck_network_roles_one_network')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_network_roles_user_id_users')
        ),
        sa.ForeignKeyConstraint(['pcn_id'], ['pcns.id'], name=op.f('fk_network_roles_pcn_id_pcns')),
        sa.ForeignKeyConstraint(['icb_id'], ['icbs.id'], name=op.f('fk_network_roles_icb_id_icbs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_network_roles')),
        sa.UniqueConstraint('user_id', 'pcn_id', 'icb_id', name=op.f('uq_network_roles_user_id')),
    )
    op.create_index(op.f('ix_network_roles_user_id'), 'network_roles', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_network_roles_user_id'), table_name='network_roles')
    op.drop_table('network_roles')
    with op.batch_alter_table('pcns') as batch:
        batch.drop_constraint(op.f('fk_pcns_icb_id_icbs'), type_='foreignkey')
        batch.drop_column('icb_id')
    op.drop_table('icbs')
