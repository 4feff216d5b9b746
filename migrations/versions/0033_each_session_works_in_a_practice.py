"""Each signed-in session works in one of the person's practices, changed with the practice
switcher; the sessions already open work in the install's first practice.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05 09:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':  # in place, keeping the table's AUTOINCREMENT
        op.execute(
            'ALTER TABLE user_sessions ADD COLUMN practice_id INTEGER '
            'CONSTRAINT fk_user_sessions_practice_id_practices REFERENCES practices (id)'
        )
    else:
        op.add_column('user_sessions', sa.Column('practice_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_user_sessions_practice_id_practices'), 'user_sessions', 'practices',
            ['practice_id'], ['id'],
        )
    op.execute('UPDATE user_sessions SET practice_id = (SELECT MIN(id) FROM practices)')


def downgrade():
    with op.batch_alter_table('user_sessions', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_constraint(op.f('fk_user_sessions_practice_id_practices'), type_='foreignkey')
        batch.drop_column('practice_id')
