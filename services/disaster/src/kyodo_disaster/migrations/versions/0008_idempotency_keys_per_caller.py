"""An Idempotency-Key belongs to its caller: unique per (municipality, caller, key).

Revision ID: 0008
"""

from alembic import op

from kyodo_common.db.rls import scope_idempotency_keys_to_callers, unscope_idempotency_keys

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    scope_idempotency_keys_to_callers(op)


def downgrade() -> None:
    unscope_idempotency_keys(op)
