"""Unpublished events are queued by id in outbox_pending; publishing no longer updates them.

Revision ID: 0007
"""

from alembic import op

from kyodo_common.db.rls import queue_outbox_publication, unqueue_outbox_publication

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    queue_outbox_publication(op)


def downgrade() -> None:
    unqueue_outbox_publication(op)
