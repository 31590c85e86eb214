"""The outbox's trigger sends its NOTIFY only while the relay is not polling.

Revision ID: 0004
"""

from alembic import op

from kyodo_common.db.rls import notify_on_every_commit, notify_only_a_sleeping_relay

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    notify_only_a_sleeping_relay(op)


def downgrade() -> None:
    notify_on_every_commit(op)
