"""Join the guidance, security, complaint finding and index branches; keep the patient's
details recorded by events beside them in event_personal_data.

Revision ID: 0008
Revises: 0004, 0005, 0006, 0007
Create Date: 2026-11-24 05:00:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = ('0004', '0005', '0006', '0007')
branch_labels = None
depends_on = None

PERSONAL_FIELDS = {
    "nhs_number", "patient_name", "date_of_birth", "phone", "email", "representative_name",
    "representative_relationship", "original_gp_other", "concern", "outcome_summary",
    "pals_officer", "pals_reference", "pals_response_summary",
}
TYPED_DETAIL_KINDS = {"reassigned", "reopened", "closed"}


def upgrade():
    op.create_table('event_personal_data',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_personal_data_event_id_events')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_personal_data'))
    )

    # Move what earlier events recorded about the patient into the new table.
    connection = op.get_bind()
    events = sa.table(
        "events", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer), sa.column("kind", sa.String),
        sa.column("changes", sa.JSON), sa.column("detail", sa.Text),
    )
    personal_table = sa.table(
        "event_personal_data", sa.column("event_id", sa.Integer), sa.column("changes", sa.JSON),
        sa.column("detail", sa.Text),
    )
    case_events = sa.select(events.c.id, events.c.kind, events.c.changes, events.c.detail).where(
        events.c.case_id.is_not(None)
    )
    for event_id, kind, changes, detail in connection.execute(case_events).all():
        if isinstance(changes, str):
            changes = json.loads(changes)
        changes = changes or {}
        personal = {k: v for k, v in changes.items() if k in PERSONAL_FIELDS}
        typed = detail if kind in TYPED_DETAIL_KINDS else None
        if not personal and not typed:
            continue
        connection.execute(sa.insert(personal_table).values(event_id=event_id, changes=personal, detail=typed))
        connection.execute(
            sa.update(events).where(events.c.id == event_id).values(
                changes={k: v for k, v in changes.items() if k not in PERSONAL_FIELDS},
                detail=None if typed else detail,
            )
        )


def downgrade():
    op.drop_table('event_personal_data')
