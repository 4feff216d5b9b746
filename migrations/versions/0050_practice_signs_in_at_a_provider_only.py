"""A practice may have its staff sign in with their NHS identity only (NHSmail, NHS Care
Identity), where the install offers it; the practice manager's password and code stay as a way
in when that sign-in is not working.

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06 10:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0050"
down_revision = "0049"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "practices",
        sa.Column(
            "sign_in_at_provider_only", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade():
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("sign_in_at_provider_only")
