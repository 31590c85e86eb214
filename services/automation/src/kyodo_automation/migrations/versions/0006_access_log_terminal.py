"""The access log records the terminal or client each access came from.

Revision ID: 0006
"""

from alembic import op

from kyodo_common.db.rls import add_access_log_terminal, drop_access_log_terminal

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    add_access_log_terminal(op)


def downgrade() -> None:
    drop_access_log_terminal(op)
