"""A stored idempotent answer keeps its Location and ETag, so that a repeat gets them again
(identity's writes go through kyodo_common.write_pipeline).

Revision ID: 0012
"""

from alembic import op

from kyodo_common.db.rls import add_reply_headers, drop_reply_headers

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    add_reply_headers(op)


def downgrade() -> None:
    drop_reply_headers(op)
