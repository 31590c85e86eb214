"""The access log records the terminal or client each access came from.

Revision ID: 0013
"""

from alembic import op

from kyodo_common.db.rls import add_access_log_terminal, drop_access_log_terminal

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    add_access_log_terminal(op)


def downgrade() -> None:
    drop_access_log_terminal(op)
