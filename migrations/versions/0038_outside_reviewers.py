"""A GP of another practice in the PCN may review a practice's cases when it allows it: the
practice's setting, and the visiting role's link to the practice the reviewer works at.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06 02:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practices') as batch:
        batch.add_column(
            sa.Column(
                'outside_reviewers_allowed', sa.Boolean(), nullable=False,
                server_default=sa.false(),
            )
        )
    if op.get_bind().dialect.name == 'sqlite':  # in place, as the table is
        op.execute(
            'ALTER TABLE memberships ADD COLUMN visiting_from_id INTEGER '
            'CONSTRAINT fk_memberships_visiting_from_id_practices REFERENCES practices (id)'
        )
    else:
        op.add_column('memberships', sa.Column('visiting_from_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_memberships_visiting_from_id_practices'), 'memberships', 'practices',
            ['visiting_from_id'], ['id'],
        )


def downgrade():
    with op.batch_alter_table('memberships') as batch:
        batch.drop_constraint(op.f('fk_memberships_visiting_from_id_practices'), type_='foreignkey')
        batch.drop_column('visiting_from_id')
    with op.batch_alter_table('practices') as batch:
        batch.drop_column('outside_reviewers_allowed')
