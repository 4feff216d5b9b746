"""Signing in with an NHS identity (NHSmail, NHS Care Identity): each person's identity at a
provider, linked to their account at its first use, and on each session the provider it was
signed in at, the provider's session id (for its back-channel logout) and whether the provider
said more than one factor was used.

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0049"
down_revision = "0048"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_by_email", sa.String(length=254), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_identities_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_identities")),
        sa.UniqueConstraint("provider", "subject", name="uq_sign_in_identities_provider_subject"),
        sa.UniqueConstraint("user_id", "provider", name="uq_sign_in_identities_user_id_provider"),
    )
    # Added in place (a rebuilt table would lose SQLite's AUTOINCREMENT on user_sessions).
    for column in (
        sa.Column("provider", sa.String(length=30), nullable=True),
        sa.Column("provider_session", sa.String(length=255), nullable=True),
        sa.Column("provider_multi_factor", sa.Boolean(), nullable=False, server_default=sa.false()),
    ):
        op.add_column("user_sessions", column)


def downgrade():
    with op.batch_alter_table(
        "user_sessions", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_column("provider_multi_factor")
        batch.drop_column("provider_session")
        batch.drop_column("provider")
    op.drop_table("sign_in_identities")
