"""The outbox's trigger sends its NOTIFY only while the relay is not polling.

Revision ID: 0008
"""

from alembic import op

from kyodo_common.db.rls import notify_on_every_commit, notify_only_a_sleeping_relay

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    notify_only_a_sleeping_relay(op)


def downgrade() -> None:
    notify_on_every_commit(op)
