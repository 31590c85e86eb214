"""A stored idempotent answer keeps its headers (the write pipeline's, ADR 0017), so that a
repeat gets them again.

Revision ID: 0017
"""

from alembic import op

from kyodo_common.db.rls import add_reply_headers, drop_reply_headers

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    add_reply_headers(op)


def downgrade() -> None:
    drop_reply_headers(op)
