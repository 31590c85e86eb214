"""支援措置: the occupants' read model keeps the measure's dates, so a measure that starts or
ends after the register's event takes effect on its dates (the ledger leaves them unnamed).

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute("ALTER TABLE residents ADD COLUMN protected_from date, "
               "ADD COLUMN protected_until date")


def downgrade() -> None:
    op.execute("ALTER TABLE residents DROP COLUMN protected_from, DROP COLUMN protected_until")
