"""A declaration may name its spouse's and dependants' persons on the platform, so that each
assessment event can say which of them declared nothing (their 課税証明書 shows ＊).

Revision ID: 0010
"""

from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.execute("ALTER TABLE declarations ADD COLUMN dependant_persons uuid[] NOT NULL "
               "DEFAULT '{}'")


def downgrade() -> None:
    op.execute("ALTER TABLE declarations DROP COLUMN dependant_persons")
