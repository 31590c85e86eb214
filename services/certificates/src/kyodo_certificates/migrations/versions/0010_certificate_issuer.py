"""A certificate records who issued it: the staff member's home town and the support grant it
was issued under (the staff member was already recorded).

Revision ID: 0010
"""

from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.execute("ALTER TABLE certificates ADD COLUMN issued_by_home char(6), "
               "ADD COLUMN grant_id text")


def downgrade() -> None:
    op.execute("ALTER TABLE certificates DROP COLUMN issued_by_home, DROP COLUMN grant_id")
