"""Tenant policies compare as bpchar, so (municipality_code, …) indexes serve them.

Revision ID: 0002
"""

from alembic import op

from kyodo_common.db.rls import retarget_tenant_policies

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    retarget_tenant_policies(op)


def downgrade() -> None:
    pass  # the older predicate gave the same rows, only slower
