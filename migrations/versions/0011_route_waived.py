"""Cases record when the practice manager gave a case to someone the patient's request did not
name, because no one it named could take it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(
            sa.Column('route_waived', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('route_waived')
