"""Tenant policies compare as bpchar, so (municipality_code, …) indexes serve them.

Revision ID: 0003
"""

from alembic import op

from kyodo_common.db.rls import retarget_tenant_policies

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    retarget_tenant_policies(op)


def downgrade() -> None:
    pass  # the older predicate gave the same rows, only slower
