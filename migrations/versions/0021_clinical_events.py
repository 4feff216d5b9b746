"""Events about clinical material are marked clinical: a clinical note or document added, a
clinical document removed or downloaded, a letter with the reviewer's clinical detail sent or
downloaded. What was typed for such an event (a document's description and file name, why it
was removed) is then shown only to those who may see clinical material.

The events already held are marked from what they name: the kinds that are clinical by name;
a document removed or downloaded whose number a clinical document's upload event (or a clinical
document still on the case) carries; a letter sent that is the clinical letter sent on that
case by that person at that moment; a letter downloaded whose words name a clinical letter's
kind and sending day. Where two documents or letters cannot be told apart, the event is marked
clinical: hiding a typed reason from reception is the safe side.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-03 19:40:00

"""
import re
from collections import defaultdict
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None

# The words the events of this revision's time were written with (frozen here: the app's
# vocabularies may change after this migration).
CLINICAL_BY_KIND = ('clinical_note_added', 'clinical_document_added')
DOCUMENT_NUMBER = re.compile(r'^Document (\d+):')
LETTER_LABELS = {
    'acknowledgement': 'Acknowledgement of a formal complaint',
    'appointment': 'Second opinion appointment or review of notes',
    'outcome': 'Outcome of the second opinion',
    'pals': 'PALS: where to get help',
}
SAME_MOMENT = timedelta(minutes=1)  # a letter and its event are written in one request
LONDON = ZoneInfo('Europe/London')

events = sa.table(
    'events',
    sa.column('id', sa.Integer),
    sa.column('case_id', sa.Integer),
    sa.column('actor_id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('detail', sa.Text),
    sa.column('occurred_at', sa.DateTime),
    sa.column('clinical', sa.Boolean),
)
attachments = sa.table(
    'case_attachments',
    sa.column('id', sa.Integer),
    sa.column('case_id', sa.Integer),
    sa.column('clinical', sa.Boolean),
)
letters = sa.table(
    'case_letters',
    sa.column('case_id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('sent_at', sa.DateTime),
    sa.column('sent_by_id', sa.Integer),
    sa.column('clinical', sa.Boolean),
)


def _document_number(detail):
    found = DOCUMENT_NUMBER.match(detail or '')
    return int(found.group(1)) if found else None


def clinical_event_ids(connection) -> set[int]:
    """The ids of the events already held that are about clinical material."""
    marked = set(
        connection.scalars(sa.select(events.c.id).where(events.c.kind.in_(CLINICAL_BY_KIND)))
    )

    # Documents: a clinical upload's number, or a clinical document still on the case.
    clinical_documents = {
        (case_id, _document_number(detail))
        for case_id, detail in connection.execute(
            sa.select(events.c.case_id, events.c.detail).where(
                events.c.kind == 'clinical_document_added'
            )
        )
    }
    clinical_documents |= set(
        connection.execute(
            sa.select(attachments.c.case_id, attachments.c.id).where(attachments.c.clinical)
        ).all()
    )
    for event_id, case_id, detail in connection.execute(
        sa.select(events.c.id, events.c.case_id, events.c.detail).where(
            events.c.kind.in_(('document_removed', 'document_downloaded'))
        )
    ):
        if (case_id, _document_number(detail)) in clinical_documents:
            marked.add(event_id)

    # Letters: each clinical letter's "sent" event, and the downloads that name it.
    clinical_letters = connection.execute(
        sa.select(letters.c.case_id, letters.c.kind, letters.c.sent_at, letters.c.sent_by_id).where(
            letters.c.clinical
        )
    ).all()
    if clinical_letters:
        sent = defaultdict(list)
        downloaded = defaultdict(list)
        for event_id, case_id, actor_id, kind, detail, occurred_at in connection.execute(
            sa.select(
                events.c.id,
                events.c.case_id,
                events.c.actor_id,
                events.c.kind,
                events.c.detail,
                events.c.occurred_at,
            ).where(events.c.kind.in_(('letter_sent', 'letter_downloaded')))
        ):
            if kind == 'letter_sent':
                sent[(case_id, actor_id)].append((occurred_at, event_id))
            else:
                downloaded[(case_id, detail)].append(event_id)
        for case_id, kind, sent_at, sent_by_id in clinical_letters:
            nearby = [
                (abs(occurred_at - sent_at), event_id)
                for occurred_at, event_id in sent[(case_id, sent_by_id)]
                if abs(occurred_at - sent_at) <= SAME_MOMENT
            ]
            if nearby:
                marked.add(min(nearby)[1])
            day = sent_at.replace(tzinfo=UTC).astimezone(LONDON)
            label = LETTER_LABELS.get(kind, kind)
            marked.update(downloaded[(case_id, f'{label} sent {day:%Y-%m-%d}, downloaded')])
    return marked


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinical', sa.Boolean(), server_default=sa.false(), nullable=False))

    connection = op.get_bind()
    marked = sorted(clinical_event_ids(connection))
    for start in range(0, len(marked), 500):
        connection.execute(
            events.update()
            .where(events.c.id.in_(marked[start:start + 500]))
            .values(clinical=True)
        )


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('clinical')
