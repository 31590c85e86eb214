"""A stored idempotent answer keeps its Location and ETag, so that a repeat gets them again.

Revision ID: 0007
"""

from alembic import op

from kyodo_common.db.rls import add_reply_headers, drop_reply_headers

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    add_reply_headers(op)


def downgrade() -> None:
    drop_reply_headers(op)
